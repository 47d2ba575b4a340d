"""The due queue's response (`GET /api/flashcards/due/`) from values-only queries and stored card payloads.

Same cards, same order, same bytes as `scheduling.due_queue` + `DueQueueOutput`, without
instantiating whole cards: the learner's card states come back as tuples together with each
card's stored API payload (`concepts.stored_payloads.cards`, one LEFT JOIN) and the three
counts, and only the per-learner part (state, the four interval previews) is computed per
request. Queries: the profile, the due cards with the three counts (and the new cards when
there is room): 2 or 3, against 8 before.
"""

from __future__ import annotations

import json
from datetime import datetime
from datetime import timezone as dt_timezone
from functools import partial

from django.db import connections
from django.db.models import FilteredRelation, IntegerField, Q, Subquery
from rest_framework import ISO_8601, serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.settings import api_settings

from concepts.models import Concept
from concepts.payload_models import StoredPayload
from concepts.stored_payloads import cards as stored_cards
from study import scheduling
from study.models import CardState, LearnerProfile, ReviewLog

STATE_COLUMNS = ("state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses")
# DRF's own fields, so that every value is written exactly as DueQueueOutput writes it
_DATETIME = serializers.DateTimeField()
_FLOAT = serializers.FloatField()
_INT = serializers.IntegerField()


class Count(Subquery):
    """`(SELECT count(*) FROM (<queryset>))`: several counts in one query."""

    template = "(SELECT count(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()


def _with_payload(queryset, lang: str, prefix: str):
    """`queryset` with the card's stored payload (fingerprint, body) joined on, when there is one."""
    relation = f"{prefix}stored_payloads"
    return queryset.annotate(payload=FilteredRelation(relation, condition=Q(**{
        f"{relation}__kind": StoredPayload.Kind.CARD, f"{relation}__lang": lang})))


def _datetime_writer():
    """DRF's DateTimeField.to_representation for this request, without its per-call overhead where the
    format is ISO 8601 and a timezone is active (the settings here): astimezone, isoformat, +00:00 as Z."""
    zone = _DATETIME.default_timezone()
    if zone is None or api_settings.DATETIME_FORMAT is None or api_settings.DATETIME_FORMAT.lower() != ISO_8601:
        return _DATETIME.to_representation

    def write(value):
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return write


def memory_key(state: CardState | None, now: datetime) -> tuple | None:
    """All that the four previews at `now` depend on: FSRS reads a card's state, step, stability and
    difficulty, and its last review only as whole days before `now` (the due date it overwrites). Cards
    with equal keys (every new card; cards reviewed alike on one day) get the same dates."""
    if state is None:
        return None
    days = None if state.last_review is None else (now - state.last_review).days
    return state.state, state.step, state.stability, state.difficulty, days


def _learner_part(state: CardState | None, next_due: dict[str, str], write_datetime, labels: dict) -> dict:
    """`FlashcardOutput` without its `concept`: is_new, state, next_due (`labels`: state names met so far)."""
    if state is not None and state.state not in labels:
        labels[state.state] = str(state.get_state_display())  # builds a dict of the choices on every call
    return {
        "is_new": state is None,
        "state": None if state is None else {
            "state": labels[state.state],
            "due": write_datetime(state.due),
            "stability": None if state.stability is None else _FLOAT.to_representation(state.stability),
            "difficulty": None if state.difficulty is None else _FLOAT.to_representation(state.difficulty),
            "reps": _INT.to_representation(state.reps),
            "lapses": _INT.to_representation(state.lapses),
        },
        "next_due": next_due,
    }


class _Compiled:
    """A query's SQL compiled once per shape, run with new values (Django compiles a queryset on every
    run: for the due cards' query, with its payload join and three count subqueries, that took longer
    than the database). The query is built with stand-in values that cannot occur (a negative user
    id, dates in 1901), whose places in the parameters are then filled with the request's; the
    ORM's own converters turn the rows into Python values, as for any query."""

    USER, LANG, TOPIC = -987_654_321, "\x01lang", "\x01topic"

    def __init__(self, queryset, connection):
        compiler = queryset.query.get_compiler(connection=connection)
        self.sql, params = compiler.as_sql()
        self.converters = compiler.get_converters([col for col, _sql, _alias in compiler.select])
        self.compiler = compiler
        adapt = connection.ops.adapt_datetimefield_value
        marks = {("user", type(self.USER), self.USER), ("now", None, adapt(_STAND_IN_NOW)),
                 ("day", None, adapt(_STAND_IN_DAY)), ("lang", str, self.LANG), ("topic", str, self.TOPIC)}
        self.slots = []
        for value in params:
            slot = next((name for name, kind, mark in marks
                         if (kind is None or type(value) is kind) and value == mark), None)
            self.slots.append((slot, value))
        self.adapt = adapt

    def rows(self, connection, **values) -> list[tuple]:
        adapted = {"now": self.adapt(values["now"]), "day": self.adapt(values["day"])}
        params = [value if slot is None else adapted.get(slot, values.get(slot)) for slot, value in self.slots]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.converters:
            rows = [tuple(row) for row in self.compiler.apply_converters(rows, self.converters)]
        return rows


_STAND_IN_NOW = datetime(1901, 1, 1, 0, 0, 0, 123457, tzinfo=dt_timezone.utc)
_STAND_IN_DAY = datetime(1901, 1, 2, 0, 0, 0, 654321, tzinfo=dt_timezone.utc)
_compiled: dict[tuple, _Compiled] = {}


def _queries(user_id, now, day, lang: str, topic: str | None):
    """The due cards (with the three counts), the new cards and the counts alone, as querysets."""
    due_states = CardState.objects.filter(user_id=user_id).due_by(now, topic=topic)
    unseen = Concept.objects.published().of_topic(topic).exclude(
        pk__in=CardState.objects.filter(user_id=user_id).values("concept_id"))
    introduced = ReviewLog.objects.filter(user_id=user_id).active().filter(was_new=True, reviewed_at__gte=day)
    counts = {"n_due": Count(due_states.order_by().values("pk")), "n_unseen": Count(unseen.order_by().values("pk")),
              "n_introduced": Count(introduced.order_by().values("pk"))}  # unordered: a count sorts nothing
    # the three counts ride on the due cards' query (uncorrelated subqueries: computed once per query)
    due = _with_payload(due_states, lang, "concept__").annotate(**counts).order_by("due", "id").values_list(
        "id", "concept_id", "concept__updated_at", "payload__fingerprint", "payload__body", *STATE_COLUMNS,
        *counts)
    new = _with_payload(unseen, lang, "").order_by("topic__order", "order", "id").values_list(
        "id", "updated_at", "payload__fingerprint", "payload__body")
    only_counts = LearnerProfile.objects.filter(user_id=user_id).annotate(**counts).values_list(*counts)
    return {"due": due, "new": new, "counts": only_counts}


def _compiled_for(kind: str, limit: int, by_topic: bool, connection) -> _Compiled:
    key = (kind, limit, by_topic, id(connection))
    compiled = _compiled.get(key)
    if compiled is None:
        stand_in = _Compiled
        queryset = _queries(stand_in.USER, _STAND_IN_NOW, _STAND_IN_DAY, stand_in.LANG,
                            stand_in.TOPIC if by_topic else None)[kind]
        compiled = _compiled[key] = _Compiled(queryset[:limit] if limit else queryset, connection)
    return compiled


def _run(kind: str, limit: int, *, user_id, now, day, lang, topic) -> list[tuple]:
    """Rows of the `kind` query ("due", "new" or "counts") for these values, compiled once per shape."""
    connection = connections[CardState.objects.db]
    compiled = _compiled_for(kind, limit, topic is not None, connection)
    return compiled.rows(connection, user=user_id, now=now, day=day, lang=lang, topic=topic)


def warm_up(limit: int = 20) -> None:
    """Compile the queries of the default request (`limit` cards, all topics) now, at a web worker's start,
    rather than in its first due queue (tens of ms: the due cards' query is the largest the ORM builds here)."""
    connection = connections[CardState.objects.db]
    for kind, size in (("due", limit), ("counts", 0), ("new", limit)):
        _compiled_for(kind, size, False, connection)


def _queue(user, *, now: datetime, topic: str | None, limit: int, lang: str):
    """The counts, each card's id with its learner part (`_learner_part`), and what locates its stored payload."""
    profile = scheduling.profile_for(user)
    values = {"user_id": user.pk, "now": now, "day": scheduling.day_start(profile, now), "lang": lang,
              "topic": topic}
    entries: list[tuple[int, CardState | None]] = []
    stamps, stored = {}, {}
    totals = None
    for pk, concept_id, updated_at, fp, body, *fields in _run("due", limit, **values):
        fields, totals = fields[:len(STATE_COLUMNS)], fields[len(STATE_COLUMNS):]
        entries.append((concept_id, CardState(pk, user_id=user.pk, concept_id=concept_id,
                                              **dict(zip(STATE_COLUMNS, fields)))))
        stamps[concept_id], stored[concept_id] = updated_at, (fp, body)
    if totals is None:  # no card due: the counts on their own
        totals = _run("counts", 0, **values)[0]
    due_count, unseen_count, introduced_count = totals
    new_left = max(0, profile.new_cards_per_day - introduced_count)
    room = min(limit - len(entries), new_left)
    if room > 0:
        for concept_id, updated_at, fp, body in _run("new", room, **values):
            entries.append((concept_id, None))
            stamps[concept_id], stored[concept_id] = updated_at, (fp, body)

    scheduler = scheduling.scheduler_for(profile)
    write_datetime, labels, next_due = _datetime_writer(), {}, {}

    def next_due_of(state: CardState | None) -> dict[str, str]:  # once per memory state (`memory_key`)
        key = memory_key(state, now)
        if key not in next_due:
            previews = scheduling.preview(user, None, now=now, state=state, scheduler=scheduler)
            next_due[key] = {str(name): write_datetime(due) for name, due in previews.items()}
        return next_due[key]

    cards = [(concept_id, _learner_part(state, next_due_of(state), write_datetime, labels))
             for concept_id, state in entries]
    return {"due": due_count, "new": min(unseen_count, new_left)}, cards, stamps, stored


def due_queue_data(user, *, now: datetime, topic: str | None, limit: int, lang: str) -> dict:
    """The due queue's response body: {"due", "new", "cards"} as `DueQueueOutput` renders it."""
    counts, cards, stamps, stored = _queue(user, now=now, topic=topic, limit=limit, lang=lang)
    payloads = stored_cards.read_cards(stamps, stored, lang)
    return {**counts, "cards": [{"concept": payloads[concept_id], **part} for concept_id, part in cards]}


def due_queue_json(user, *, now: datetime, topic: str | None, limit: int, lang: str) -> bytes:
    """`due_queue_data` as DRF's JSONRenderer writes it (compact, UTF-8, no indent), each card's stored
    payload put in as the JSON text it is stored as, rather than parsed and written out again."""
    counts, cards, stamps, stored = _queue(user, now=now, topic=topic, limit=limit, lang=lang)
    texts = stored_cards.read_card_texts(stamps, stored, lang)
    dumps = partial(json.dumps, cls=JSONRenderer.encoder_class, ensure_ascii=not api_settings.UNICODE_JSON,
                    allow_nan=not api_settings.STRICT_JSON, separators=(",", ":"))
    body = ",".join('{"concept":' + texts[concept_id] + "," + dumps(part)[1:] for concept_id, part in cards)
    text = '{"due":%s,"new":%s,"cards":[%s]}' % (dumps(counts["due"]), dumps(counts["new"]), body)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").encode()  # as JSONRenderer does

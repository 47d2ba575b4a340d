"""Content as CSV / JSON (concepts.resources): round trips, and invalid files refused whole with messages."""

import csv
import io
import json

import pytest

from concepts.content import load_content
from concepts.models import AcceptedAnswer, Choice, Concept, Question, Topic
from concepts.resources import (
    ConceptResource, QuestionResource, TopicResource, export_text, import_text, problems,
)

pytestmark = pytest.mark.django_db

RESOURCES = [TopicResource, ConceptResource, QuestionResource]


def snapshot() -> dict:
    """Everything an author wrote, without ids or timestamps."""
    skip = {"id", "created_at", "updated_at", "topic", "concept", "question"}

    def values(obj):
        return {f.name: getattr(obj, f.name) for f in obj._meta.concrete_fields if f.name not in skip}

    return {
        "topics": {t.slug: values(t) for t in Topic.objects.all()},
        "concepts": {c.slug: {**values(c), "topic": c.topic.slug,
                              "related": sorted(r.slug for r in c.related.all())} for c in Concept.objects.all()},
        "questions": {q.slug: {**values(q), "concept": q.concept.slug,
                               "choices": [values(c) for c in q.choices.order_by("order")],
                               "accepted": sorted((a.language, a.text) for a in q.accepted_answers.all())}
                      for q in Question.objects.all()},
    }


def _rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def _csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_content_exported_and_imported_into_an_empty_database_is_the_same(db, mini_content, write_content, fmt):
    relu = mini_content["concepts"][0]
    relu["demo"] = {"key": "activations", "params": {"x_min": -4.5, "points": 81}}
    relu["questions"][3]["demo"] = {"key": "activations", "params": {}}
    mini_content["concepts"][1].update(status="draft", answer={"ko": "초안", "en": ""})  # drafts may be half-written
    load_content(write_content(mini_content))
    before = snapshot()
    files = {resource: export_text(resource, fmt) for resource in RESOURCES}
    Question.objects.all().delete()
    Concept.objects.all().delete()
    Topic.objects.all().delete()
    for resource in RESOURCES:  # topics, then concepts, then questions
        result = import_text(resource, files[resource], fmt)
        assert problems(result) == []
    assert snapshot() == before


def test_the_question_columns_are_flat_with_numbered_choices(content):
    row = {r["slug"]: r for r in _rows(export_text(QuestionResource))}["mini-single"]
    assert (row["concept"], row["kind"]) == ("mini-relu", "single")
    assert (row["choice1_en"], row["choice1_correct"]) == ("0", "true")
    assert row["choice2_correct"] == "false" and row["choice3_en"] == "" and "choice8_correct" in row
    short = {r["slug"]: r for r in _rows(export_text(QuestionResource))}["mini-short"]
    assert sorted(json.loads(short["accepted_en"])) == ["dead relu", "dying relu"]


def test_json_imports_accept_native_lists_numbers_and_booleans(content):
    rows = json.loads(export_text(QuestionResource, "json"))
    numeric = next(r for r in rows if r["slug"] == "mini-numeric")
    numeric.update(numeric_value=8, numeric_tolerance=0.5, accepted_ko=[], accepted_en=[])
    single = next(r for r in rows if r["slug"] == "mini-single")
    single.update(choice1_correct=False, choice2_correct=True)
    assert problems(import_text(QuestionResource, json.dumps([numeric, single]), "json")) == []
    assert Question.objects.get(slug="mini-numeric").numeric_value == 8
    assert Choice.objects.get(question__slug="mini-single", is_correct=True).text_en == "-2"


def test_an_update_edits_the_choices_in_place_so_quiz_answers_keep_pointing_at_them(content):
    ids = list(Choice.objects.filter(question__slug="mini-single").order_by("order").values_list("pk", flat=True))
    rows = [r for r in _rows(export_text(QuestionResource)) if r["slug"] == "mini-single"]
    rows[0]["choice2_en"] = "minus two"
    assert problems(import_text(QuestionResource, _csv(rows))) == []
    choices = Choice.objects.filter(question__slug="mini-single").order_by("order")
    assert [c.pk for c in choices] == ids and choices[1].text_en == "minus two"


def test_an_invalid_row_refuses_the_whole_file_naming_each_row_and_field(content):
    before = snapshot()
    rows = {r["slug"]: r for r in _rows(export_text(QuestionResource))}
    rows["mini-multiple"]["prompt_en"] = "Changed, and valid"             # row 1: fine on its own
    rows["mini-single"]["choice2_correct"] = "true"                       # row 2: two correct answers
    rows["mini-numeric"]["numeric_tolerance"] = ""                        # row 3: no tolerance
    rows["mini-tf"]["concept"] = "no-such-concept"                        # row 4: unknown concept
    rows["mini-short"]["accepted_en"] = "dying relu"                      # row 5: not a JSON list
    ordered = [rows[s] for s in ("mini-multiple", "mini-single", "mini-numeric", "mini-tf", "mini-short")]
    result = import_text(QuestionResource, _csv(ordered))
    lines = problems(result)
    assert "row 2, choices: A single-choice question needs exactly one correct choice (has 2)." in lines
    assert "row 3, numeric_tolerance: A numeric question needs a tolerance (0 for an exact answer)." in lines
    assert "row 4, concept: There is no concept with the slug 'no-such-concept'." in lines
    assert any(line.startswith("row 5, accepted_en: Must be a JSON list of texts") for line in lines)
    assert not any(line.startswith("row 1") for line in lines)
    assert snapshot() == before  # not even the valid row was written


@pytest.mark.parametrize("column, value, message", [
    ("kind", "essay", "row 1, kind: Value 'essay' is not a valid choice."),
    ("difficulty", "hard", "row 1, difficulty: Must be a whole number, not 'hard'."),
    ("difficulty", "7", "row 1, difficulty: Value 7 is not a valid choice."),
    ("answer_bool", "maybe", "row 1, answer_bool: Use true or false (or 1 / 0), not 'maybe'."),
    ("prompt_en", "", "row 1, prompt_en: The English text is missing; published items need both languages."),
    ("demo_key", "no-such-demo", "row 1, demo_key: Unknown demo 'no-such-demo'"),
    ("demo_params", "[1, 2]", "row 1, demo_params: Must be a JSON object"),
])
def test_bad_values_are_reported_against_their_column(content, column, value, message):
    row = next(r for r in _rows(export_text(QuestionResource)) if r["slug"] == "mini-tf")
    row[column] = value
    lines = problems(import_text(QuestionResource, _csv([row])))
    assert any(line.startswith(message) for line in lines), lines


def test_choices_must_be_filled_in_order(content):
    row = next(r for r in _rows(export_text(QuestionResource)) if r["slug"] == "mini-single")
    row.update(choice2_ko="", choice2_en="", choice2_correct="", choice3_ko="x", choice3_en="x",
               choice3_correct="false")
    lines = problems(import_text(QuestionResource, _csv([row])))
    assert "row 1, choice3_ko: Choice 3 is filled but choice 2 is empty; fill the choices in order." in lines


def test_a_slug_used_by_two_rows_is_refused(content):
    row = next(r for r in _rows(export_text(QuestionResource)) if r["slug"] == "mini-tf")
    lines = problems(import_text(QuestionResource, _csv([row, row])))
    assert "row 1, slug: The slug 'mini-tf' is used by rows 1, 2; each item needs one row." in lines


def test_more_choice_columns_than_supported_refuse_the_file(content):
    row = next(r for r in _rows(export_text(QuestionResource)) if r["slug"] == "mini-tf")
    row["choice9_en"] = ""
    assert any("at most 8 choices" in line for line in problems(import_text(QuestionResource, _csv([row]))))


def test_related_concepts_may_come_later_in_the_file_but_must_exist(db, mini_content, write_content):
    topics = "slug,order,title_ko,title_en,description_ko,description_en\nmini,1,미니,Mini,작다,Small\n"
    assert problems(import_text(TopicResource, topics)) == []
    header = "slug,topic,status,related,title_ko,title_en\n"
    good = header + 'a,mini,draft,"[""b""]",가,A\nb,mini,draft,[],나,B\n'
    assert problems(import_text(ConceptResource, good)) == []
    assert list(Concept.objects.get(slug="a").related.values_list("slug", flat=True)) == ["b"]
    bad = header + 'c,mini,draft,"[""zzz""]",다,C\n'
    assert problems(import_text(ConceptResource, bad)) == ["row 1, related: There is no concept with the slug 'zzz'."]
    assert not Concept.objects.filter(slug="c").exists()


def test_a_dry_run_writes_nothing_even_when_every_row_is_valid(content):
    rows = _rows(export_text(QuestionResource))
    for row in rows:
        row["prompt_en"] += " (edited)"
    result = import_text(QuestionResource, _csv(rows), dry_run=True)
    assert problems(result) == [] and result.totals["update"] == 5
    assert not Question.objects.filter(prompt_en__endswith="(edited)").exists()


def test_accepted_answers_listed_twice_are_refused(content):
    row = next(r for r in _rows(export_text(QuestionResource)) if r["slug"] == "mini-short")
    row["accepted_en"] = '["dead relu", "dead relu"]'
    lines = problems(import_text(QuestionResource, _csv([row])))
    assert "row 1, accepted_en: The accepted answer 'dead relu' is listed 2 times." in lines
    assert AcceptedAnswer.objects.filter(question__slug="mini-short").count() == 4

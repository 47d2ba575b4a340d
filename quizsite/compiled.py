"""A queryset compiled to SQL once per database, then run with each request's values.

Django compiles a queryset's SQL on every evaluation. For the small queries every API request runs
(the token with its user and profile, the quiz item being answered, the card's locked state) that
compiling took as long as the database did (~1 ms each of a ~2 ms query). `CompiledQuery` builds the
queryset once with a stand-in value per parameter (distinct from every other parameter, so that its
place can be found), keeps the SQL, and puts each call's values in the stand-ins' places. Rows become model instances as Django's own
`ModelIterable` makes them: the backend's converters, `Model.from_db`, and the related populators of
`select_related`, deferred fields included.
"""

from __future__ import annotations

import threading
from typing import Callable

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models import sql
from django.db.models.query import get_related_populators


def _lookups(node):
    for child in node.children:
        if hasattr(child, "children"):
            yield from _lookups(child)
        else:
            yield child


class _Slots:
    """Where each stand-in's value goes among a query's parameters, and its field's integer range."""

    def __init__(self, query, params: list, stand_ins: dict, connection, first: int = 0):
        self.stand_ins, self.slots, self.ranges = stand_ins, {}, {}
        for name, stand_in in stand_ins.items():
            # isinstance: a backend may have wrapped the value (psycopg's Int2 for a small integer field)
            places = [i for i, p in enumerate(params) if i >= first and isinstance(p, type(stand_in)) and p == stand_in]
            if len(places) != 1:
                raise ValueError(f"the stand-in for {name!r} appears {len(places)} times among the parameters")
            self.slots[name] = places[0]
        # Django answers "no rows" without asking the database for an integer outside its field's range;
        # so do we (the database would raise an error, and abort the transaction on PostgreSQL)
        for lookup in _lookups(query.where):
            for name, stand_in in stand_ins.items():
                if type(lookup.rhs) is type(stand_in) and lookup.rhs == stand_in and isinstance(stand_in, int):
                    field = lookup.lhs.output_field
                    field = getattr(field, "target_field", None) or field  # a foreign key: the key it points to
                    self.ranges[name] = connection.ops.integer_field_ranges.get(field.get_internal_type())

    def fill(self, params: list, values: dict) -> bool:
        """Put `values` in their places in `params`; False if one is out of its field's range (no rows)."""
        if values.keys() != self.stand_ins.keys():
            raise TypeError(f"values for {sorted(self.stand_ins)} expected, got {sorted(values)}")
        for name, slot in self.slots.items():
            value = values[name]
            bounds = self.ranges.get(name)
            if bounds is not None and not bounds[0] <= value <= bounds[1]:
                return False
            wrapper = type(params[slot])
            params[slot] = value if wrapper is type(self.stand_ins[name]) else wrapper(value)
        return True


class _Compiled:
    def __init__(self, queryset: QuerySet, stand_ins: dict, connection):
        compiler = queryset.query.get_compiler(connection=connection)
        self.sql, params = compiler.as_sql()
        self.params = list(params)
        self.slots = _Slots(queryset.query, self.params, stand_ins, connection)
        select, klass_info = compiler.select, compiler.klass_info
        fields = klass_info["select_fields"]
        self.model = klass_info["model"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [column[0].target.attname for column in select[self.start:self.end]]
        self.populators = get_related_populators(klass_info, select, connection.alias)
        self.converters = compiler.get_converters([column for column, _sql, _alias in select])
        self.compiler = compiler

    def run(self, connection, values: dict) -> list[Model]:
        params = list(self.params)
        if not self.slots.fill(params, values):
            return []
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.converters:
            rows = list(self.compiler.apply_converters(rows, self.converters))
        objects = []
        for row in rows:
            obj = self.model.from_db(connection.alias, self.init_list, row[self.start:self.end])
            for populator in self.populators:
                populator.populate(row, obj)
            objects.append(obj)
        return objects


class CompiledQuery:
    """`build(**stand_ins)` returns the queryset; `CompiledQuery(build, user=2_000_000_001).all(user=7)`.

    A stand-in marks its parameter's place when compiling: it must appear once among the SQL's
    parameters (checked) and lie within its field's range, or Django leaves the condition out.
    A queryset with `select_for_update()` is compiled on its first call, which runs inside a
    transaction, as Django requires."""

    def __init__(self, build: Callable[..., QuerySet], **stand_ins):
        self.build, self.stand_ins = build, stand_ins
        self._compiled: dict[str, _Compiled] = {}
        self._lock = threading.Lock()

    def _for(self, connection) -> _Compiled:
        compiled = self._compiled.get(connection.alias)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(connection.alias)
                if compiled is None:
                    queryset = self.build(**self.stand_ins)
                    compiled = self._compiled[connection.alias] = _Compiled(queryset, self.stand_ins, connection)
        return compiled

    def all(self, using: str = "default", **values) -> list[Model]:
        connection = connections[using]
        return self._for(connection).run(connection, values)

    def first(self, using: str = "default", **values) -> Model | None:
        found = self.all(using, **values)
        return found[0] if found else None


class CompiledUpdate:
    """`build(**stand_ins).update(**values)`, compiled once per database and per which values are None
    (Django writes `= NULL` in the SQL for them). Each value is prepared by its field on every call
    (`get_db_prep_save`), as `QuerySet.update` prepares it; like it, no `pre_save` (auto_now) runs.
    Returns the number of rows updated."""

    def __init__(self, build: Callable[..., QuerySet], fields: list[str], **stand_ins):
        self.build, self.fields, self.stand_ins = build, fields, stand_ins
        self._compiled: dict[tuple, tuple] = {}
        self._lock = threading.Lock()

    def _for(self, connection, values: dict):
        nulls = tuple(v is None for v in values.values())
        key = (connection.alias, nulls)
        compiled = self._compiled.get(key)
        if compiled is None:
            with self._lock:  # compiling twice would be harmless, only wasted
                # compiled with this call's values: only their places matter, and None stays None
                query = self.build(**self.stand_ins).query.chain(sql.UpdateQuery)
                query.add_update_values(values)
                text, params = query.get_compiler(connection=connection).as_sql()
                written = [field for field, _model, value in query.values if value is not None]
                params = list(params)
                slots = _Slots(query, params, self.stand_ins, connection, first=len(written))
                compiled = self._compiled[key] = (text, params, written, slots)
        return compiled

    def run(self, using: str = "default", *, values: dict, **where) -> int:
        if sorted(values) != sorted(self.fields):
            raise TypeError(f"values for {sorted(self.fields)} expected, got {sorted(values)}")
        values = {name: values[name] for name in self.fields}
        connection = connections[using]
        text, template, written, slots = self._for(connection, values)
        params = list(template)
        if not slots.fill(params, where):
            return 0
        params[:len(written)] = [field.get_db_prep_save(values[field.name], connection=connection) for field in written]
        with connection.cursor() as cursor:
            cursor.execute(text, params)
            return cursor.rowcount


class CompiledInsert:
    """`Model.objects.create(**values)` (or, with `ignore_conflicts`, a one-row `bulk_create(...,
    ignore_conflicts=True)`) with the INSERT's SQL compiled once per database. Each call prepares its
    values as Django's insert compiler does (`pre_save`, so `auto_now_add` and defaults apply, then
    `get_db_prep_save`). Returns the saved instance, its primary key read back with RETURNING; with
    `ignore_conflicts`, the instance without its key (as `bulk_create` leaves it), or None when a row
    with the same unique values was already there.""" 

    def __init__(self, model: type[Model], *, ignore_conflicts: bool = False):
        self.model, self.ignore_conflicts = model, ignore_conflicts
        self._compiled: dict[str, tuple] = {}
        self._lock = threading.Lock()

    def _for(self, connection):
        compiled = self._compiled.get(connection.alias)
        if compiled is None:
            with self._lock:  # compiling twice would be harmless, only wasted
                from django.db.models.constants import OnConflict

                meta = self.model._meta
                # the database makes the key (and any other returning field) whether or not it is read back
                fields = [f for f in meta.local_concrete_fields if f not in meta.db_returning_fields and not f.generated]
                returning = [] if self.ignore_conflicts else meta.db_returning_fields
                query = sql.InsertQuery(self.model, on_conflict=OnConflict.IGNORE if self.ignore_conflicts else None)
                query.insert_values(fields, [self.model()])
                compiler = query.get_compiler(connection=connection)
                compiler.returning_fields = returning or None
                [(text, params)] = compiler.as_sql()
                if len(params) != len(fields) or text.count("%s") != len(fields):
                    raise ValueError(f"{meta.label}: a field's value is not one plain parameter; use the ORM")
                converters = compiler.get_converters([f.get_col(meta.db_table) for f in returning])
                compiled = self._compiled[connection.alias] = (text, fields, returning, compiler, converters)
        return compiled

    def create(self, using: str = "default", **values) -> Model | None:
        connection = connections[using]
        text, fields, returning, compiler, converters = self._for(connection)
        obj = self.model(**values)
        params = [compiler.prepare_value(field, compiler.pre_save_val(field, obj)) for field in fields]
        with connection.cursor() as cursor:
            cursor.execute(text, params)
            if not returning:
                return None if cursor.rowcount == 0 else obj  # ignored: the row was there
            row = cursor.fetchone()
        if converters:
            row = next(iter(compiler.apply_converters([row], converters)))
        for field, value in zip(returning, row):
            setattr(obj, field.attname, value)
        obj._state.adding, obj._state.db = False, using
        return obj

"""Model instances from rows read with hand-written SQL, converted exactly as the ORM converts them.

For the few hot paths where building the query through the ORM costs more than
running it (the session's principal, the first page of the person list): the
SQL is written once per process, and the rows still come back as the model
instances the rest of the code — the projection above all — expects.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import models
from django.db.models import signals
from django.db.models.base import ModelState

# (database alias, model, attnames) -> per column, the converters the ORM would apply.
_CONVERTERS: dict[tuple[str, type[models.Model], tuple[str, ...]], list[tuple[int, list[Any], Any]]] = {}


def _converters(connection: Any, model: type[models.Model],
                attnames: tuple[str, ...]) -> list[tuple[int, list[Any], Any]]:
    key = (connection.alias, model, attnames)
    found = _CONVERTERS.get(key)
    if found is None:
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        found = []
        for i, attname in enumerate(attnames):
            field = by_attname[attname]
            col = field.cached_col
            functions = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
            if isinstance(field, models.JSONField) and field.decoder is None:
                functions = [_empty_object_first(f) if f == field.from_db_value else f for f in functions]
            if functions:
                found.append((i, functions, col))
        _CONVERTERS[key] = found
    return found


def _empty_object_first(from_db_value: Any) -> Any:
    # Most records raise no field class: their ``sensitivity_overrides`` is the text "{}" on every
    # row of a list. A new empty dict is what ``json.loads`` gives for it, without the decoder's calls.
    def convert(value: Any, expression: Any, connection: Any) -> Any:
        if value == "{}":
            return {}
        return from_db_value(value, expression, connection)
    return convert


def converted(connection: Any, model: type[models.Model], attnames: Sequence[str],
              values: Sequence[Any]) -> list[Any]:
    """Raw column values as the ORM would hand them over (SQLite returns dates as text, JSON as text, …)."""
    return _convert(connection, _converters(connection, model, tuple(attnames)), values)


def _convert(connection: Any, conversions: list[tuple[int, list[Any], Any]], values: Sequence[Any]) -> list[Any]:
    out = list(values)
    for i, functions, col in conversions:
        value = out[i]
        for function in functions:  # None too, as the ORM does: a converter may give None a meaning
            value = function(value, col, connection)
        out[i] = value
    return out


def instances(connection: Any, model: type[models.Model], attnames: Sequence[str],
              rows: Sequence[Sequence[Any]]) -> list[Any]:
    """One model instance per row (fields not in ``attnames`` deferred, as with ``.only()``).

    What ``Model.from_db`` builds, without running ``__init__`` field by field:
    an instance is its ``__dict__`` (a deferred field is one missing from it)
    and its ``_state``. ``__init__`` also sends pre_init/post_init, so when
    anything listens to those for ``model`` the ordinary ``from_db`` is used.
    """
    names = list(attnames)
    if signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model):
        return [model.from_db(connection.alias, names, converted(connection, model, names, row)) for row in rows]
    out = []
    alias = connection.alias
    conversions = _converters(connection, model, tuple(names))  # once per page, not per row
    for row in rows:
        obj = model.__new__(model)
        state = ModelState()
        state.adding = False
        state.db = alias
        obj._state = state
        obj.__dict__.update(zip(names, _convert(connection, conversions, row), strict=True))
        out.append(obj)
    return out

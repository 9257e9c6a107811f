"""Append-only tables: triggers that refuse UPDATE and DELETE, written once for every table that needs them.

Audit events, the log's leaves and signed heads, and custody events all keep
their history by refusing change at the database level (decision 0004). The
PostgreSQL triggers call ``audit_auditevent_append_only()``, made by
audit/0002; SQLite has no functions, so each trigger raises its own message.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any


def pg_up(tables: Sequence[str]) -> str:
    return "".join(f"""
CREATE TRIGGER {t}_no_update BEFORE UPDATE ON {t} FOR EACH ROW EXECUTE FUNCTION audit_auditevent_append_only();
CREATE TRIGGER {t}_no_delete BEFORE DELETE ON {t} FOR EACH ROW EXECUTE FUNCTION audit_auditevent_append_only();
""" for t in tables)


def pg_down(tables: Sequence[str]) -> str:
    return "".join(f"DROP TRIGGER IF EXISTS {t}_no_update ON {t}; DROP TRIGGER IF EXISTS {t}_no_delete ON {t};\n"
                   for t in tables)


def sqlite_up(tables: Sequence[str], what: str) -> list[str]:
    """``what`` is the refusal, e.g. "custody events are append-only"."""
    return [stmt for t in tables for stmt in (
        f"""CREATE TRIGGER {t}_no_update BEFORE UPDATE ON {t}
       BEGIN SELECT RAISE(ABORT, '{what} (UPDATE refused)'); END;""",
        f"""CREATE TRIGGER {t}_no_delete BEFORE DELETE ON {t}
       BEGIN SELECT RAISE(ABORT, '{what} (DELETE refused)'); END;""",
    )]


def sqlite_down(tables: Sequence[str]) -> list[str]:
    return [stmt for t in tables for stmt in (f"DROP TRIGGER IF EXISTS {t}_no_update;",
                                              f"DROP TRIGGER IF EXISTS {t}_no_delete;")]


def operation(tables: Sequence[str], what: str) -> Any:
    """A migration operation that makes ``tables`` append-only (and, reversed, lifts it)."""
    from django.db import migrations

    def up(apps: Any, schema_editor: Any) -> None:
        _run(schema_editor, pg_up(tables), sqlite_up(tables, what))

    def down(apps: Any, schema_editor: Any) -> None:
        _run(schema_editor, pg_down(tables), sqlite_down(tables))

    return migrations.RunPython(up, down)


def _run(schema_editor: Any, pg: str, sqlite: list[str]) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(pg, params=None)
    elif vendor == "sqlite":
        for statement in sqlite:
            schema_editor.execute(statement)


# Every append-only table and its SQLite refusal (tests lift the triggers to tamper or to flush).
TABLES: dict[str, str] = {
    "audit_auditevent": "audit events are append-only",
    "audit_logleaf": "the audit log is append-only",
    "audit_signedtreehead": "the audit log is append-only",
    "evidence_custodyevent": "custody events are append-only",
}


@contextmanager
def sqlite_lifted(cursor: Any, tables: Sequence[str] = tuple(TABLES)) -> Iterator[None]:
    """SQLite only: the triggers of ``tables`` dropped for the block and recreated after it, whatever happens."""
    for statement in sqlite_down(tables):
        cursor.execute(statement)
    try:
        yield
    finally:
        for table in tables:
            for statement in sqlite_up([table], TABLES[table]):
                cursor.execute(statement)

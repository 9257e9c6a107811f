"""Custody events refuse UPDATE and DELETE, like audit events (audit/0002) and the log's leaves (audit/0004)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

T = "evidence_custodyevent"
PG_UP = f"""
CREATE TRIGGER {T}_no_update BEFORE UPDATE ON {T} FOR EACH ROW EXECUTE FUNCTION audit_auditevent_append_only();
CREATE TRIGGER {T}_no_delete BEFORE DELETE ON {T} FOR EACH ROW EXECUTE FUNCTION audit_auditevent_append_only();
"""
PG_DOWN = f"DROP TRIGGER IF EXISTS {T}_no_update ON {T}; DROP TRIGGER IF EXISTS {T}_no_delete ON {T};"
SQLITE_UP = [
    f"""CREATE TRIGGER {T}_no_update BEFORE UPDATE ON {T}
       BEGIN SELECT RAISE(ABORT, 'custody events are append-only (UPDATE refused)'); END;""",
    f"""CREATE TRIGGER {T}_no_delete BEFORE DELETE ON {T}
       BEGIN SELECT RAISE(ABORT, 'custody events are append-only (DELETE refused)'); END;""",
]
SQLITE_DOWN = [f"DROP TRIGGER IF EXISTS {T}_no_update;", f"DROP TRIGGER IF EXISTS {T}_no_delete;"]


def up(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_UP, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_UP:
            schema_editor.execute(statement)


def down(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DOWN, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_DOWN:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("evidence", "0001_initial"), ("audit", "0002_append_only")]
    operations = [migrations.RunPython(up, down)]

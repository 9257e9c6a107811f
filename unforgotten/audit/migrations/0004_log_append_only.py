"""The log's leaves and signed tree heads refuse UPDATE and DELETE, like audit events (0002);
existing audit events are entered into the log in id order."""

from __future__ import annotations

from typing import Any

from django.db import migrations

TABLES = ("audit_logleaf", "audit_signedtreehead")

PG_UP = "".join(f"""
CREATE TRIGGER {t}_no_update BEFORE UPDATE ON {t}
    FOR EACH ROW EXECUTE FUNCTION audit_auditevent_append_only();
CREATE TRIGGER {t}_no_delete BEFORE DELETE ON {t}
    FOR EACH ROW EXECUTE FUNCTION audit_auditevent_append_only();
""" for t in TABLES)
PG_DOWN = "".join(f"""
DROP TRIGGER IF EXISTS {t}_no_update ON {t};
DROP TRIGGER IF EXISTS {t}_no_delete ON {t};
""" for t in TABLES)
SQLITE_UP = [stmt for t in TABLES for stmt in (
    f"""CREATE TRIGGER {t}_no_update BEFORE UPDATE ON {t}
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only (UPDATE refused)'); END;""",
    f"""CREATE TRIGGER {t}_no_delete BEFORE DELETE ON {t}
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only (DELETE refused)'); END;""",
)]
SQLITE_DOWN = [stmt for t in TABLES for stmt in (f"DROP TRIGGER IF EXISTS {t}_no_update;",
                                                 f"DROP TRIGGER IF EXISTS {t}_no_delete;")]


def backfill(apps: Any, schema_editor: Any) -> None:
    # The entry format is frozen (v1), so using the live serialiser here is safe.
    from unforgotten.audit.log import _AUDIT_FIELDS, audit_entry_from_values
    from unforgotten.core.merkle import leaf_hash

    event_model = apps.get_model("audit", "AuditEvent")
    leaf_model = apps.get_model("audit", "LogLeaf")
    db = schema_editor.connection.alias
    if leaf_model.objects.using(db).exists():
        return
    batch = []
    index = 0
    for values in event_model.objects.using(db).order_by("id").values_list(*_AUDIT_FIELDS).iterator(chunk_size=5000):
        batch.append(leaf_model(index=index, kind="audit", ref=str(values[0]),
                                leaf_hash=leaf_hash(audit_entry_from_values(values))))
        index += 1
        if len(batch) >= 5000:
            leaf_model.objects.using(db).bulk_create(batch)
            batch = []
    leaf_model.objects.using(db).bulk_create(batch)


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
    dependencies = [("audit", "0003_log")]
    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(up, down),
    ]

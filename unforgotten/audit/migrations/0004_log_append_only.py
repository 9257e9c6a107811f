"""The log's leaves and signed tree heads refuse UPDATE and DELETE, like audit events (0002);
existing audit events are entered into the log in id order."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from unforgotten.core import append_only

TABLES = ("audit_logleaf", "audit_signedtreehead")


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


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_log")]
    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
        append_only.operation(TABLES, "the audit log is append-only"),
    ]

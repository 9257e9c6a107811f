"""The two covering list indexes of 0002 also carry ``merged_into_id`` (issue 3 benchmark).

0006 (person merges, issue 4) made every list query ask ``merged_into_id IS
NULL``, a column these indexes did not hold: the capped count of "country +
occupation + status" stopped being an index-only scan and read ~7,000 heap rows
at a million people (6 ms instead of 1.3 ms, measured). With the column in
INCLUDE it is index-only again. Same way of working as 0002: outside the model
state, CONCURRENTLY on PostgreSQL (no write lock), plain keys on SQLite (which
has no INCLUDE and so nothing to change).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

INDEXES = {
    "person_org_country_occupation": (
        "organisation_id, country, occupation, sort_name, id",
        "current_status, recognition_outcome, sensitivity_floor",
    ),
    "person_org_country_recognition": (
        "organisation_id, country, recognition_outcome, sort_name, id",
        "current_status, occupation, sensitivity_floor",
    ),
}


def _rebuild(schema_editor: Any, extra: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (keys, include) in INDEXES.items():
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON registry_person ({keys}) INCLUDE ({include}{extra})")


def up(apps: Any, schema_editor: Any) -> None:
    _rebuild(schema_editor, ", merged_into_id")


def down(apps: Any, schema_editor: Any) -> None:
    _rebuild(schema_editor, "")


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("registry", "0008_evidence_retention"),
    ]

    operations = [
        migrations.RunPython(up, down, elidable=False),
    ]

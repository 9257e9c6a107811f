"""Indexes for the person list's country + occupation and country + recognition filters (registry benchmark).

Measured at a million people (bench/bench_registry.py): with only the indexes
of 0001, "country=CN & occupation=religious_figure, sorted by name" walks the
occupation index in name order and throws away ~18,000 rows of other countries
before it has a page (340 ms cold, 70-150 ms warm), and the capped count of
a three-column filter fetches thousands of heap rows (60-170 ms). With these two
indexes the page is one index range (0.2 ms) and the capped count an index-only
scan (0.5-2 ms): the INCLUDE columns are the other list filters, the
sensitivity floor and the id (the case-team check), so no heap row is read.

They are created here, outside Django's model state (``Person.Meta.indexes``
belongs to the registry models; moving them there later needs a
SeparateDatabaseAndState migration), so ``makemigrations`` never proposes to
drop them. PostgreSQL builds them CONCURRENTLY (no write lock on a live
registry); SQLite, which has no INCLUDE, gets the plain composite keys.
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


def up(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    for name, (keys, include) in INDEXES.items():
        if vendor == "postgresql":
            schema_editor.execute(
                f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON registry_person ({keys}) INCLUDE ({include})")
        elif vendor == "sqlite":
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON registry_person ({keys})")


def down(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    for name in INDEXES:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
        elif vendor == "sqlite":
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("registry", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(up, down, elidable=False),
    ]

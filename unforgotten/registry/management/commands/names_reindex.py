"""``unforgotten names-reindex``: rebuild the persisted person-name index from the database."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from unforgotten.registry import search


class Command(BaseCommand):
    help = (
        "Rebuild the person-name index from the database and save it under NAMES_INDEX_PATH, so starting "
        "processes load it and catch up instead of re-reading every name. Run it after a bulk load or a restore. "
        "Running processes follow every change made through the registry's actions on their own; a bulk load "
        "that bypasses them calls registry.search.note_bulk_change() so they rebuild."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        index = search.PeopleNameIndex(settings.NAMES_INDEX_PATH)
        people = index.rebuild_and_save()
        self.stdout.write(f"indexed {people} people in {time.monotonic() - started:.1f}s "
                          f"(up to change {index.covered}) into {settings.NAMES_INDEX_PATH}")

"""``unforgotten radar-recompute``: rebuild the forgotten-case radar's ledger from the sources, now."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Recompute the attention index of every case from interventions, media mentions and the registry."

    def handle(self, *args: Any, **options: Any) -> None:
        from unforgotten.radar.actions import do_recompute

        started = time.perf_counter()
        rows = do_recompute(acting_user="command:radar-recompute")
        self.stdout.write(f"Every case recomputed in {time.perf_counter() - started:.1f} s; {rows} ledger row(s) changed.")

"""``unforgotten stats-rebuild [--org SLUG] [--if-stale]``: recompute the precomputed statistics from the registry.

Needed after a bulk load that bypassed the action functions (imports and
``demo-data --people`` leave a mark the catch-up job notices anyway), after
restoring a backup, and once when the statistics are first installed.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from unforgotten.accounts.models import Organisation


class Command(BaseCommand):
    help = "Recompute the statistics (spans and day/month totals) of every organisation, or of one."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--org", default=None, help="Only this organisation (its slug).")
        parser.add_argument("--if-stale", action="store_true",
                            help="Only organisations whose figures lag behind a bulk load.")

    def handle(self, *args: Any, **options: Any) -> None:
        from unforgotten.stats.actions import do_rebuild_statistics
        from unforgotten.stats.engine import stale

        orgs = Organisation.objects.order_by("pk")
        if options["org"]:
            orgs = orgs.filter(slug=options["org"])
            if not orgs.exists():
                raise CommandError(f"No organisation '{options['org']}'.")
        for org in orgs:
            if options["if_stale"] and not stale(org.pk):
                continue
            self.stdout.write(f"{org.slug}:")
            result = do_rebuild_statistics(organisation=org, acting_user=None, progress=self.stdout.write)
            self.stdout.write(f"  {result['people']:,} people counted in {result['seconds']:.1f} s")

"""``unforgotten find-duplicates [--organisation SLUG]``: fill the review queue of probable duplicates."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from unforgotten.registry.duplicates import DUPLICATE_SCORE, find_duplicates


class Command(BaseCommand):
    help = ("Compare every person's names with their organisation's other people and queue the pairs scoring at "
            f"least --threshold (default {DUPLICATE_SCORE}) for review at /work/registry/duplicates/. Never merges; "
            "pairs judged \"not the same person\" are not proposed again.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", default="", metavar="SLUG", help="only this organisation")
        parser.add_argument("--threshold", type=float, default=DUPLICATE_SCORE, help="lowest score to queue (0..1)")

    def handle(self, *args: Any, **options: Any) -> None:
        from unforgotten.accounts.models import Organisation

        threshold = float(options["threshold"])
        if not 0.5 <= threshold <= 1.0:
            raise CommandError("--threshold must be between 0.5 and 1.")
        orgs = Organisation.objects.filter(is_active=True).order_by("slug")
        if options["organisation"]:
            orgs = orgs.filter(slug=options["organisation"])
            if not orgs.exists():
                raise CommandError(f"No active organisation has the slug {options['organisation']!r}.")
        for slug, new in find_duplicates(orgs, threshold=threshold).items():
            self.stdout.write(f"{slug}: {new} new probable duplicate pair(s)")

"""``unforgotten purge_public_pages``: empty the public page store (after a deploy that changed templates or CSS)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from unforgotten.publishing import cache


class Command(BaseCommand):
    help = "Remove every stored public page at once (each is rendered again on its next request)."

    def handle(self, *args: Any, **options: Any) -> None:
        before = len(cache.stored_files())
        cache.purge_all()
        self.stdout.write(f"purged {before} stored public page(s)")

"""``unforgotten check-fixity``: re-hash every evidence file now; exit 1 when any failed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from unforgotten.evidence import fixity


class Command(BaseCommand):
    help = "Re-hash every evidence file (decrypting it) and record each check; exit 1 if any file fails."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=int, default=0,
                            help="Instead of checking now, enqueue the background task to run every N seconds.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["every"] > 0:
            from unforgotten.evidence.tasks import check_fixity

            check_fixity.enqueue(options["every"])
            self.stdout.write(f"Fixity check enqueued, repeating every {options['every']} s.")
            return
        report = fixity.check_all(progress=self.stderr.write)
        self.stdout.write(f"Fixity: {report.checked} files checked, {len(report.failed)} failed.")
        if report.failed:
            raise SystemExit(1)

"""``unforgotten import-people FILE --mapping MAP.toml --source NAME [--dry-run] [--organisation SLUG]``."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from unforgotten.accounts.models import Organisation
from unforgotten.exchange.actions import ImportRefused, do_import_people
from unforgotten.exchange.importer import ImportReport
from unforgotten.exchange.mapping import MappingError
from unforgotten.exchange.readers import ReadError


class ProgressBar:
    """A plain-text bar on stderr, redrawn in place on a terminal and every ten seconds otherwise."""

    def __init__(self, stream: Any = None, width: int = 30) -> None:
        self.stream = stream or sys.stderr
        self.width = width
        self.started = time.perf_counter()
        self.last = 0.0
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())

    def __call__(self, report: ImportReport, fraction: float | None) -> None:
        now = time.perf_counter()
        if fraction != 1.0 and now - self.last < (0.2 if self.tty else 10.0):
            return
        self.last = now
        elapsed = max(now - self.started, 1e-9)
        rate = report.rows_read / elapsed
        if fraction is not None:
            filled = int(self.width * min(max(fraction, 0.0), 1.0))
            bar = f"[{'#' * filled}{'.' * (self.width - filled)}] {fraction * 100:5.1f}%"
        else:
            bar = "[rows]"
        text = (f"{bar} {report.rows_read:,} rows ({rate:,.0f}/s): {report.created:,} new, "
                f"{report.updated:,} updated, {report.skipped:,} skipped")
        self.stream.write(("\r" + text) if self.tty else (text + "\n"))
        if fraction == 1.0 and self.tty:
            self.stream.write("\n")
        self.stream.flush()


class Command(BaseCommand):
    help = "Import a list of people (CSV, JSON Lines or XLSX) through a TOML mapping, in one transaction."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--mapping", type=Path, required=True, help="The TOML mapping (see docs/examples/).")
        parser.add_argument("--source", required=True, help='The name of the list, e.g. "cpj": with the external '
                                                            "id it decides whether a row updates a person.")
        parser.add_argument("--organisation", default="", help="The organisation's slug (needed when there are several).")
        parser.add_argument("--format", choices=("csv", "jsonl", "xlsx"), default=None,
                            help="Override the format told by the file's extension.")
        parser.add_argument("--dry-run", action="store_true", help="Do everything, report, and write nothing.")
        parser.add_argument("--strict", action="store_true", help="Write nothing if any row is bad.")
        parser.add_argument("--errors", type=Path, default=None, help="Write the skipped rows (line, reason) to this CSV.")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        errors_path = Path(options["errors"]) if options["errors"] else None
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            mapping_text = Path(options["mapping"]).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{options['mapping']}: cannot read the mapping ({exc})") from None
        organisation = self._organisation(options["organisation"])
        progress = None if options["no_progress"] else ProgressBar(self.stderr._out)
        try:
            report = do_import_people(organisation=organisation, path=path, mapping_text=mapping_text,
                                      source_name=options["source"], acting_user="import-people (command line)",
                                      file_format=options["format"], dry_run=options["dry_run"],
                                      strict=options["strict"], progress=progress)
        except (ReadError, MappingError, ImportRefused) as exc:
            raise CommandError(f"{path}: {exc}; nothing was written") from None
        except ValidationError as exc:
            raise CommandError(f"{'; '.join(exc.messages)}; nothing was written") from None
        for line, reason in report.errors[:20]:
            self.stderr.write(f"  line {line}: {reason}")
        if report.skipped > 20:
            self.stderr.write(f"  … and {report.skipped - 20:,} more skipped rows"
                              + ("" if options["errors"] else " (--errors FILE writes them all)"))
        if errors_path is not None:
            from unforgotten.exchange.report import write_error_csv

            with errors_path.open("w", encoding="utf-8", newline="") as handle:
                write_error_csv(handle, report.errors)
        verb = "would import" if options["dry_run"] else "imported"
        self.stdout.write(f"{verb} {report.rows_read:,} rows in {report.seconds:.1f} s: {report.created:,} new people, "
                          f"{report.updated:,} updated, {report.unchanged:,} unchanged, {report.skipped:,} skipped"
                          + (" (dry run: nothing was written)" if options["dry_run"] else ""))

    def _organisation(self, slug: str) -> Organisation:
        if slug:
            found = Organisation.objects.filter(slug=slug, is_active=True).first()
            if found is None:
                raise CommandError(f"no active organisation {slug!r}")
            return found
        active = list(Organisation.objects.filter(is_active=True)[:2])
        if len(active) != 1:
            raise CommandError("name the organisation to import for: --organisation SLUG")
        return active[0]

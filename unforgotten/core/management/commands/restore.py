"""``unforgotten restore PATH [--force]``: fill a fresh, migrated database and empty media/evidence
folders from a backup archive, verifying every table digest, file hash and the audit log first.

Exit 0 when restored; 1 when the archive was refused (damaged, truncated, wrong key, another schema)
or the target is not empty — in both cases nothing in the target has changed.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError

from unforgotten.core import backup, merkle


class Command(BaseCommand):
    help = "Restore a backup archive into a fresh database and empty media/evidence folders."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The archive written by `unforgotten backup`.")
        parser.add_argument("--force", action="store_true",
                            help="Replace the data of a non-empty database and non-empty folders.")
        parser.add_argument("--public-key", metavar="FILE", action="append", default=[],
                            help="An extra trusted tree-head signing key (PEM).")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            keys = [merkle.load_public_key(Path(p)) for p in options["public_key"]]
        except (OSError, ValueError) as exc:
            self.stderr.write(f"restore: {exc}")
            sys.exit(2)
        try:
            summary = backup.restore_backup(options["path"], force=options["force"], extra_keys=keys)
        except backup.BackupError as exc:
            self.stderr.write(f"restore: REFUSED, nothing was changed: {exc}")
            sys.exit(1)
        except DatabaseError as exc:
            self.stderr.write(f"restore: REFUSED by the database, nothing was changed: {exc}")
            sys.exit(1)
        head = "no signed tree head" if summary.tree_size is None else f"signed tree head of size {summary.tree_size}"
        self.stdout.write(f"Restored {summary.tables} tables ({summary.rows} rows) and {summary.files} files; "
                          f"every digest matched; audit log of {summary.log_size} entries verified against the "
                          f"{head} in {time.perf_counter() - started:.1f} s.")

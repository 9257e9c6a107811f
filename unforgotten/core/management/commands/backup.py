"""``unforgotten backup PATH``: one encrypted archive of the database, media and evidence folders
and the audit log's latest signed tree head (docs/decisions/0011-backups.md)."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from unforgotten.core import backup


class Command(BaseCommand):
    help = "Write an encrypted backup archive (database, media, evidence, signed tree head) to PATH."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The archive to write; it must not exist yet.")
        parser.add_argument("--no-sign", action="store_true",
                            help="Do not sign a fresh tree head first (the archive carries the latest stored one).")
        parser.add_argument("--check", action="store_true",
                            help="Do not write: decrypt and check an existing archive at PATH, then exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            if options["check"]:
                manifest = backup.check_backup(options["path"])
                rows = sum(t["rows"] for t in manifest["tables"].values())
                self.stdout.write(f"Archive intact: {len(manifest['tables'])} tables, {rows} rows, "
                                  f"{len(manifest['files'])} files.")
                return
            summary = backup.write_backup(options["path"], sign_head=not options["no_sign"])
        except backup.BackupError as exc:
            self.stderr.write(f"backup: FAILED: {exc}")
            sys.exit(1)
        for note in summary.notes:
            self.stdout.write(f"note: {note}")
        head = "no signed tree head" if summary.tree_size is None else f"tree head of size {summary.tree_size}"
        self.stdout.write(f"Backup written to {summary.path}: {summary.tables} tables, {summary.rows} rows, "
                          f"{summary.files} files ({summary.file_bytes} bytes), {head}; encrypted under data key "
                          f"{summary.key_id} in {time.perf_counter() - started:.1f} s. Keep the KEK elsewhere: "
                          "without it this archive cannot be read.")

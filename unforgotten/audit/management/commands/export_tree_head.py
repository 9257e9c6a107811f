"""``unforgotten export-tree-head [--out FILE]``: the latest signed tree head as JSON, for partners."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from unforgotten.audit import log


class Command(BaseCommand):
    help = "Write the latest signed tree head as JSON (with the signing key's id)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", metavar="FILE", help="Write here instead of standard output.")

    def handle(self, *args: Any, **options: Any) -> None:
        head = log.latest_tree_head()
        if head is None:
            raise CommandError("no tree head has been signed yet; run `unforgotten sign-tree-head`")
        text = head.to_json() + "\n"
        if options["out"]:
            Path(options["out"]).write_text(text, encoding="ascii")
            self.stdout.write(f"Tree head of size {head.tree_size} written to {options['out']}")
        else:
            self.stdout.write(text, ending="")

"""``unforgotten verify-log [--tree-head FILE]``: recompute the log and check it against the signed heads.

Exit 0 and print size and root when the log is intact; exit 1 naming the first
bad entry (its index and source row) when anything was altered, removed,
inserted or reordered; exit 2 when the given files cannot be read.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from unforgotten.audit import log
from unforgotten.core import merkle


class Command(BaseCommand):
    help = "Verify the tamper-evident log against every stored signed tree head (and an optional given one)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tree-head", metavar="FILE", help="A tree head JSON kept by a partner organisation.")
        parser.add_argument("--public-key", metavar="FILE", action="append", default=[],
                            help="An extra trusted public key (PEM), e.g. a previous signing key.")
        parser.add_argument("--public-keys", metavar="FILE", action="append", default=[],
                            help="A public-keys file of retired signing keys (rotate-signing-key writes one); "
                                 "each is trusted for heads signed before its retirement.")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        head = None
        keys = []
        retired: list[log.RetiredKey] = []
        try:
            if options["tree_head"]:
                head = merkle.TreeHead.from_json(Path(options["tree_head"]).read_bytes())
            keys = [merkle.load_public_key(p) for p in options["public_key"]]
            for path in options["public_keys"]:
                retired += log.read_public_keys(Path(path).read_text("ascii"))
        except (OSError, ValueError) as exc:
            self.stderr.write(f"verify-log: {exc}")
            sys.exit(2)
        try:
            result = log.verify(tree_head=head, extra_keys=keys, extra_retired=retired)
        except log.LogProblem as problem:
            self.stderr.write(f"verify-log: FAILED at {problem}")
            sys.exit(1)
        self.stdout.write(f"Log intact: size {result.size}, root {result.root.hex()}, "
                          f"{result.heads_checked} signed tree head(s) checked "
                          f"in {time.perf_counter() - started:.1f} s.")
        for kind, count in result.unchecked.items():
            self.stdout.write(f"note: {count} {kind} entries checked by hash only (no source registered)")

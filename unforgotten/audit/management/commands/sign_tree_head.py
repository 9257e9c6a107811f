"""``unforgotten sign-tree-head``: sign the audit log as it is now (or schedule it with ``--every``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from unforgotten.audit import log, tasks
from unforgotten.core import merkle


class Command(BaseCommand):
    help = "Sign the tamper-evident log's current tree head and store it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=int, metavar="SECONDS", default=0,
                            help="Instead, enqueue the signing task to run now and then every SECONDS "
                                 "(start it once; needs `unforgotten db_worker`).")
        parser.add_argument("--generate-key", action="store_true",
                            help="Create the signing key pair at SIGNING_KEY_FILE (never overwrites) and stop.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["generate_key"]:
            path = log._signing_path()  # noqa: SLF001
            try:
                key = merkle.generate_signing_key(path, log._public_path())  # noqa: SLF001
            except (FileExistsError, OSError) as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(f"Signing key {merkle.public_key_id(key.public_key())} written to {path} (+ .pub).")
            return
        every = options["every"]
        if every < 0:
            raise CommandError("--every must be a positive number of seconds")
        if every:
            result = tasks.sign_tree_head.enqueue(every)
            self.stdout.write(f"Signing task enqueued ({result.id}); it re-enqueues itself every {every} s.")
            return
        head = log.sign_tree_head()
        self.stdout.write(f"Signed tree head: size {head.tree_size}, root {bytes(head.root_hash).hex()}, "
                          f"at {head.timestamp}, key {head.key_id}")

"""``unforgotten export-public-key [--out FILE]``: the log's Ed25519 public key (PEM) and its id."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from django.core.management.base import BaseCommand, CommandParser

from unforgotten.audit import log
from unforgotten.core import merkle


class Command(BaseCommand):
    help = "Write the public key that verifies the log's tree heads (give it to partner organisations)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", metavar="FILE", help="Write the PEM here instead of standard output.")

    def handle(self, *args: Any, **options: Any) -> None:
        key = log.public_key()
        pem = key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        key_id = merkle.public_key_id(key)
        if options["out"]:
            Path(options["out"]).write_bytes(pem)
            self.stdout.write(f"Public key {key_id} written to {options['out']}")
        else:
            self.stdout.write(f"# key id {key_id}\n" + pem.decode("ascii"), ending="")

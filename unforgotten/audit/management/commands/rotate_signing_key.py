"""``unforgotten rotate-signing-key``: retire the Ed25519 key that signs the log's tree heads and start a new one.

Old heads stay verifiable: each names its key id, and the retired public key is
kept in the public-keys file (``SIGNING_PUBLIC_KEYS_FILE``, public: give it to
partners with ``export-public-key``'s PEM) with the moment of its retirement;
``verify-log`` trusts a retired key only for heads signed before then. The old
private key is deleted. No restart: processes re-read the key file when it changes.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from unforgotten.audit import log


class Command(BaseCommand):
    help = "Retire the tree-head signing key (kept as a public key for verification) and start a new one."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            old_id, new_id = log.rotate_signing_key(actor="rotate-signing-key")
        except (ImproperlyConfigured, OSError, ValueError) as exc:
            raise CommandError(f"rotate-signing-key: {exc}") from None
        self.stdout.write(f"Signing key {old_id} retired (public key kept in {log.public_keys_path()}); "
                          f"new key {new_id} in use. Send partners the new public key (export-public-key) "
                          "and the public-keys file.")

"""Sealed values (source identities, family contacts): encrypted before they reach the database.

Kept small and in one place on purpose: the evidence issue replaces the key
source with the platform keyring and adds rotation, without touching callers.
The key-encryption key lives in a file outside the database and the media
folder (``KEY_FILE``; development generates one under ``var/keys/``). A missing
key never falls back to storing plaintext: it raises.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from unforgotten.core.crypto import (
    FIELD_PREFIX,
    DecryptionError,
    KeyLoadError,
    derive_subkey,
    generate_kek_file,
    load_kek,
)
from unforgotten.core.crypto import (
    decrypt_value as _decrypt,
)
from unforgotten.core.crypto import (
    encrypt_value as _encrypt,
)

__all__ = ["DecryptionError", "SealedTextField", "seal", "unseal"]


@cache
def _field_key() -> bytes:
    path = Path(settings.KEY_FILE)
    if not path.exists():
        if settings.PRODUCTION:
            raise ImproperlyConfigured(f"KEY_FILE {path} does not exist; sealed values cannot be stored without it")
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        generate_kek_file(path)
    try:
        kek = load_kek(path)
    except KeyLoadError as exc:
        raise ImproperlyConfigured(f"KEY_FILE: {exc}") from None
    return derive_subkey(kek.key, "sealed-fields")


def seal(plaintext: str, context: str) -> str:
    """Encrypt ``plaintext`` bound to ``context`` (e.g. "registry.relationship.contact:<uuid>")."""
    import base64

    raw = _encrypt(_field_key(), plaintext.encode("utf-8"), aad=context.encode("utf-8"))
    return FIELD_PREFIX + base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def unseal(token: str, context: str) -> str:
    import base64

    if not token.startswith(FIELD_PREFIX):
        raise DecryptionError("not a sealed value")
    body = token[len(FIELD_PREFIX) :]
    raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    return _decrypt(_field_key(), raw, aad=context.encode("utf-8")).decode("utf-8")


class SealedTextField(models.TextField):  # type: ignore[type-arg]
    """Holds ciphertext only. Models read and write it through ``seal``/``unseal`` with a row context.

    The attribute on the instance is always the token as stored; there is no
    implicit decryption, so a template or serializer that forgets the
    projection shows ciphertext, never the secret.
    """

    description = "Encrypted text (sealed)"

    def get_prep_value(self, value: Any) -> Any:
        if value and not str(value).startswith(FIELD_PREFIX):
            raise ValueError("refusing to store a sealed field in plaintext; call seal() first")
        return super().get_prep_value(value)

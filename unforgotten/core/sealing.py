"""Sealed values (source identities, family contacts): encrypted before they reach the database.

A thin face over the platform keyring (``core/keyring.py``): ``seal`` encrypts
under the active "sealed-fields" data key, which is wrapped by the KEK that
lives outside the database and the media folder; every token names its data
key, so values stay readable after ``rotate-keys``. Tokens written by this
module's earlier single-key version (a key derived straight from ``KEY_FILE``)
are read through the keyring's legacy keys (docs/decisions/0009-keyring.md).
A missing key never falls back to storing plaintext: it raises.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from unforgotten.core import keyring
from unforgotten.core.crypto import FIELD_PREFIX, DecryptionError

__all__ = ["DecryptionError", "SealedTextField", "seal", "unseal"]

PURPOSE = "sealed-fields"


def seal(plaintext: str, context: str) -> str:
    """Encrypt ``plaintext`` bound to ``context`` (e.g. "registry.relationship.contact:<uuid>")."""
    return keyring.seal_text(PURPOSE, plaintext, aad=context)


def unseal(token: str, context: str) -> str:
    """Decrypt a token from ``seal``; DecryptionError if it was altered or belongs elsewhere."""
    return keyring.unseal_text(PURPOSE, token, aad=context)


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

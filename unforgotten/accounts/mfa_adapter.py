"""Second-factor secrets are encrypted in the database.

allauth stores TOTP keys and the recovery-code seed through ``encrypt``/``decrypt``
hooks that default to plaintext. A copied database must not let anyone mint a
caseworker's codes, so they are sealed with AES-GCM under a key derived from
``SECRET_KEY`` (which is not in the database). The evidence issue moves this to
the platform keyring; rotating ``SECRET_KEY`` before then means re-enrolling.
"""

from __future__ import annotations

import base64
from functools import cache

from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings

from unforgotten.core.crypto import decrypt_value, derive_subkey, encrypt_value

_PREFIX = "ufmfa1:"
_AAD = b"unforgotten.mfa.secret"


@cache
def _key(secret_key: str) -> bytes:
    return derive_subkey(secret_key.encode("utf-8"), "mfa-secrets")


class MFAAdapter(DefaultMFAAdapter):  # type: ignore[misc]
    def encrypt(self, text: str) -> str:
        sealed = encrypt_value(_key(settings.SECRET_KEY), text.encode("utf-8"), aad=_AAD)
        return _PREFIX + base64.urlsafe_b64encode(sealed).decode("ascii")

    def decrypt(self, encrypted_text: str) -> str:
        if not encrypted_text.startswith(_PREFIX):
            # No plaintext fallback: a value that is not ours is refused, not trusted.
            raise ValueError("second-factor secret is not encrypted with this platform's key")
        sealed = base64.urlsafe_b64decode(encrypted_text[len(_PREFIX) :].encode("ascii"))
        return decrypt_value(_key(settings.SECRET_KEY), sealed, aad=_AAD).decode("utf-8")

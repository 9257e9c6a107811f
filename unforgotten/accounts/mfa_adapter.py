"""Second-factor secrets are encrypted in the database.

allauth stores TOTP keys and the recovery-code seed through ``encrypt``/``decrypt``
hooks that default to plaintext. A copied database must not let anyone mint a
caseworker's codes, so they are sealed with AES-GCM under the platform
keyring's "mfa" data key (wrapped by the KEK, which is not in the database).
Secrets sealed before the keyring (under a key derived from ``SECRET_KEY``)
carry that key's id and are read through the keyring's legacy keys;
``rotate-keys`` adopts that key, after which changing ``SECRET_KEY`` no longer
means re-enrolling.
"""

from __future__ import annotations

import base64
import binascii

from allauth.mfa.adapter import DefaultMFAAdapter

from unforgotten.core import keyring

_PREFIX = "ufmfa1:"
_AAD = b"unforgotten.mfa.secret"
PURPOSE = "mfa"


class MFAAdapter(DefaultMFAAdapter):  # type: ignore[misc]
    def encrypt(self, text: str) -> str:
        sealed = keyring.encrypt_value(PURPOSE, text.encode("utf-8"), aad=_AAD)
        return _PREFIX + base64.urlsafe_b64encode(sealed).decode("ascii")

    def decrypt(self, encrypted_text: str) -> str:
        if not encrypted_text.startswith(_PREFIX):
            # No plaintext fallback: a value that is not ours is refused, not trusted.
            raise ValueError("second-factor secret is not encrypted with this platform's key")
        try:
            sealed = base64.urlsafe_b64decode(encrypted_text[len(_PREFIX) :].encode("ascii"))
        except (binascii.Error, ValueError):
            raise ValueError("second-factor secret is damaged") from None
        return keyring.decrypt_value(PURPOSE, sealed, aad=_AAD).decode("utf-8")

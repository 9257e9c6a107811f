"""Supporters' addresses: normalised, stored encrypted, found again only through a keyed digest."""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from unforgotten.core import keyring

if TYPE_CHECKING:
    from unforgotten.actions.models import Supporter

PURPOSE = "supporters"
MAX_EMAIL = 254


_CONTROL = re.compile("[\x00-\x1f\x7f]")  # control characters: one search, not a test per character


def normalise_email(raw: str) -> str:
    """The address as we keep it, or ValidationError with a clear message."""
    text = (raw or "").strip()
    if not text:
        raise ValidationError(_("Give your e-mail address."), code="required")
    if len(text) > MAX_EMAIL or _CONTROL.search(text):
        raise ValidationError(_("Enter a valid e-mail address."), code="invalid")
    validate_email(text)
    local, _at, domain = text.rpartition("@")
    # Domains are case-insensitive; local parts are in principle not, but no real
    # mail system treats them so, and counting "Ann@" and "ann@" twice would be wrong.
    return f"{local.lower()}@{domain.lower()}"


def email_domain(email: str) -> str:
    return email.rpartition("@")[2]


def _key() -> bytes:
    return hashlib.sha256(b"unforgotten.actions.email:" + settings.AUDIT_HASH_SECRET.encode()).digest()


def email_key(email: str) -> str:
    """Keyed (HMAC) so that a leaked table cannot be searched by hashing guessed addresses."""
    return hmac.new(_key(), email.encode("utf-8"), hashlib.sha256).hexdigest()


def _aad(organisation_id: int, key: str) -> str:
    return f"actions.supporter:{organisation_id}:{key}"


def seal_email(organisation_id: int, email: str, *, key_max_age: float = 0.0, key: str | None = None) -> bytes:
    """The address encrypted for the supporters' table; ``key``: its ``email_key``, when the caller has it."""
    return keyring.encrypt_value(PURPOSE, email.encode("utf-8"), aad=_aad(organisation_id, key or email_key(email)),
                                 max_age=key_max_age)


def open_email(supporter: Supporter) -> str:
    if not supporter.email_sealed:
        return ""
    return keyring.decrypt_value(PURPOSE, bytes(supporter.email_sealed),
                                 aad=_aad(supporter.organisation_id, supporter.email_key)).decode("utf-8")

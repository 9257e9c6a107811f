"""The CSRF token a page carries, masked with one read of the system's randomness instead of thirty-two.

Django masks the cookie's secret afresh for every page (so the token in the
page differs each time, against BREACH): 32 characters drawn one by one with
``secrets.choice``, each one ``os.urandom`` call, a system call and a dozen
Python calls. Here the same mask comes from one ``os.urandom`` call: each byte
below 248 (four times the 62 allowed characters) gives one character by its
remainder, bytes from 248 up are dropped, so every character is as uniform and
independent as ``secrets.choice`` makes it. The token has Django's form
(mask, then secret plus mask, character by character), and Django's middleware
unmasks and checks it as always; nothing here checks a token.

Used by the template context (``csrf_token``, hence ``{% csrf_token %}``) in
place of Django's processor, which it overrides. A request that has no secret yet
(its first page) goes Django's own way, which also schedules the cookie.
"""

from __future__ import annotations

import os
from typing import Any

from django.http import HttpRequest
from django.middleware import csrf as django_csrf
from django.utils.functional import SimpleLazyObject

_CHARS = django_csrf.CSRF_ALLOWED_CHARS
_INDEX = {char: i for i, char in enumerate(_CHARS)}
_LENGTH = django_csrf.CSRF_SECRET_LENGTH
# Bytes from here up are dropped: 256 is not a multiple of 62, and their remainders would favour the first 8 characters.
_KEEP_BELOW = 256 - 256 % len(_CHARS)


def mask(secret: str) -> str:
    """``secret`` (32 allowed characters) as a masked token that Django's ``_unmask_cipher_token`` turns back."""
    n = len(_CHARS)
    offsets: list[int] = []
    while len(offsets) < _LENGTH:
        # 40 bytes give the 32 kept ones but for a chance of about one in 300,000; then read again.
        offsets += [byte % n for byte in os.urandom(_LENGTH + 8) if byte < _KEEP_BELOW]
    offsets = offsets[:_LENGTH]
    return "".join([_CHARS[m] for m in offsets]) + "".join(
        [_CHARS[(_INDEX[char] + m) % n] for char, m in zip(secret, offsets, strict=True)])


def get_token(request: HttpRequest) -> str:
    """Django's ``get_token``, with the mask drawn in one call (see the module text)."""
    secret = request.META.get("CSRF_COOKIE")
    if not isinstance(secret, str) or len(secret) != _LENGTH or not (secret.isascii() and secret.isalnum()):
        # No secret yet (a first visit) or one Django would not have accepted: Django's way throughout.
        return str(django_csrf.get_token(request))
    # As Django's get_token does: the page uses the cookie, so the response renews it.
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    return mask(secret)


def context(request: HttpRequest) -> dict[str, Any]:
    """The ``csrf_token`` of the template context, lazily, as Django's own processor gives it."""
    return {"csrf_token": SimpleLazyObject(lambda: get_token(request))}

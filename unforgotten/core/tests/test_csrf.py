"""The page's CSRF token: Django's form and check, its mask drawn in one call (core/csrf.py)."""

from __future__ import annotations

import os
import re
from typing import Any
from unittest import mock

import pytest
from django.middleware.csrf import CSRF_ALLOWED_CHARS, _unmask_cipher_token  # type: ignore[attr-defined]
from django.test import Client

from unforgotten.core import csrf

LIST = "/work/registry/people/"
SECRET = "abcdefghijklmnopqrstuvwxyzABCDEF"


def _token(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def test_it_masks_so_that_django_unmasks_the_secret() -> None:
    for _ in range(200):
        token = csrf.mask(SECRET)
        assert len(token) == 64 and all(c in CSRF_ALLOWED_CHARS for c in token)
        assert _unmask_cipher_token(token) == SECRET


def test_it_draws_each_mask_character_from_one_byte_and_drops_the_bytes_that_would_bias_it() -> None:
    # Bytes 248..255 would make the first eight characters likelier (256 = 4 x 62 + 8): dropped.
    # Byte b below 248 gives character b % 62. When too many are dropped, more are read.
    reads = [bytes(range(248, 256)) + bytes([255, 250]) + bytes(range(0, 30)), bytes(range(30, 70))]
    with mock.patch.object(os, "urandom", side_effect=reads) as urandom:
        token = csrf.mask(SECRET)
    assert urandom.call_count == 2
    assert token[:32] == CSRF_ALLOWED_CHARS[:32]
    assert _unmask_cipher_token(token) == SECRET
    with mock.patch.object(os, "urandom", return_value=bytes([61, 62, 124, 186, 247] + [0] * 35)):
        token = csrf.mask(SECRET)
    assert token[:5] == CSRF_ALLOWED_CHARS[61] + CSRF_ALLOWED_CHARS[0] * 3 + CSRF_ALLOWED_CHARS[247 % 62]


def test_it_uses_every_character_for_masks() -> None:
    seen: set[str] = set()
    for _ in range(100):
        seen.update(csrf.mask(SECRET)[:32])
    assert seen == set(CSRF_ALLOWED_CHARS)


@pytest.mark.django_db
def test_it_gives_amal_a_fresh_token_per_page_from_one_random_read_that_django_accepts(cast: Any) -> None:
    # Amal (caseworker of Org A) reads her list twice and logs out with the page's token.
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.amal)
    client.get(LIST)  # the first page of the visit sets the cookie (Django's own way)
    real = os.urandom
    with mock.patch.object(os, "urandom", side_effect=real) as urandom:
        first = _token(client.get(LIST).content.decode())
    assert urandom.call_count == 2  # the request's id (uuid4) and the mask; Django's mask alone made 32
    second = _token(client.get(LIST).content.decode())
    assert first != second
    secret = client.cookies["csrftoken"].value
    assert _unmask_cipher_token(first) == _unmask_cipher_token(second) == secret
    assert client.post("/accounts/logout/", {}).status_code == 403
    assert client.post("/accounts/logout/", {"csrfmiddlewaretoken": second}).status_code == 302


@pytest.mark.django_db
def test_it_leaves_the_first_page_of_a_visit_to_django_which_sets_the_cookie(cast: Any) -> None:
    # Vera (viewer of Org A) arrives without a CSRF cookie: the page's token and the new cookie match.
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.vera)
    response = client.get(LIST)
    assert _unmask_cipher_token(_token(response.content.decode())) == response.cookies["csrftoken"].value

"""Fixtures of the events tests.

Fixtures strategy: the cast (Org A runs the public site, through
``PUBLIC_SITE_ORGANISATION``); events made through the action functions
(``events.testing.make_vigil``: Dana writes, Bilal publishes); public posts made
through the real views with a form token served by the real form page, and time
moved with time-machine past the minimum fill time; e-mails read from the real
outbox (``core.outbox``), delivered to Django's in-memory backend or, in the
browser test, to a real SMTP server on loopback.
"""

from __future__ import annotations

import re
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _public_site(settings: Any) -> None:
    settings.PUBLIC_SITE_ORGANISATION = "org-a"
    settings.INTAKE_MIN_FILL_SECONDS = 0


def form_token(html: str) -> str:
    found = re.search(r'name="form_token" value="([^"]+)"', html)
    assert found is not None, "the form carries no form token"
    return found.group(1)

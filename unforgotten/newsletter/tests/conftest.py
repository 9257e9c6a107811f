"""Fixtures of the intake and newsletter tests.

Fixtures strategy: the cast (Org A receives the public site's suggestions and
owns its newsletter, through ``PUBLIC_SITE_ORGANISATION``); suggestions made
through the action functions (``intake.testing.make_suggestion``); public posts
made through the real views with a form token served by the real form page,
and time moved with time-machine past the minimum fill time.
"""

from __future__ import annotations

import re
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _public_site(settings: Any) -> None:
    settings.PUBLIC_SITE_ORGANISATION = "org-a"


def form_token(html: str) -> str:
    found = re.search(r'name="form_token" value="([^"]+)"', html)
    assert found is not None, "the form carries no form token"
    return found.group(1)

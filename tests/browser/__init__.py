"""Browser tests: Debian's chromium driven by Playwright (sync API) against pytest-django's live server.

Run them with ``.venv/bin/pytest tests/browser``. They skip when chromium, the
``playwright`` package or axe-core (``make node``) is missing, and fail instead
when ``REQUIRE_BROWSER=1`` (as in CI), so a machine without a browser cannot
pass CI by skipping.
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def browser_required() -> bool:
    return os.environ.get("REQUIRE_BROWSER", "") == "1"


def unavailable(reason: str) -> NoReturn:
    """Skip for ``reason``; or fail, saying so, when ``REQUIRE_BROWSER=1``."""
    if browser_required():
        pytest.fail(f"{reason} (REQUIRE_BROWSER=1: browser tests must run here, not skip)", pytrace=False)
    pytest.skip(reason)

"""Fixtures for browser tests: ``browser`` (one chromium per session) and ``page`` (one context per test).

- Chromium is Debian's (``/usr/bin/chromium``), never a downloaded one: the path
  comes from ``$CHROMIUM``, else ``/usr/bin/chromium``, else ``chromium`` on
  ``$PATH``. The launch flags below are needed on this machine (no sandbox
  inside the container, no GPU, no QUIC, no calls home).
- ``page`` opens a new browser context per test on pytest-django's
  ``live_server``; it needs ``transactional_db`` so that the server thread sees
  the rows the test creates. Context options come from
  ``@pytest.mark.browser_context(**options)`` (for instance
  ``java_script_enabled=False`` or ``bypass_csp=True``); ``page_no_js`` is a
  page with JavaScript off.
- The final state of every page is saved to ``var/test-artifacts/<test>.png``.
- Each test starts with an empty cache (throttles, spent TOTP codes), and on
  SQLite the append-only audit table is emptied before the flush (see
  ``_flushable_audit_table``).
- Missing chromium or playwright: the test is skipped, or fails when
  ``REQUIRE_BROWSER=1``.

Playwright's sync API keeps an asyncio loop marked as running in the test
thread from the moment it starts until the session ends (hence
``DJANGO_ALLOW_ASYNC_UNSAFE`` in the root conftest). So that no other test has
to live with that loop, browser tests are moved to the end of the run.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.browser import unavailable

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Playwright

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "var" / "test-artifacts"
DEBIAN_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 15_000


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "browser_context(**options): options for the Playwright browser context of the `page` fixture "
        "(java_script_enabled=False, bypass_csp=True, locale=…)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Browser tests last (stable order otherwise): see the module docstring.
    others = [item for item in items if item.get_closest_marker("browser") is None]
    if len(others) != len(items):
        items[:] = others + [item for item in items if item.get_closest_marker("browser") is not None]


def chromium_executable() -> str:
    configured = os.environ.get("CHROMIUM", "")
    if configured:
        if not os.access(configured, os.X_OK):
            unavailable(f"CHROMIUM={configured} is not an executable file")
        return configured
    if os.access(DEBIAN_CHROMIUM, os.X_OK):
        return DEBIAN_CHROMIUM
    found = shutil.which("chromium")
    if found is None:
        unavailable(f"chromium not found (set CHROMIUM, or install Debian's chromium at {DEBIAN_CHROMIUM}: make system)")
    return found


@pytest.fixture(scope="session")
def _playwright() -> Iterator[Playwright]:
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        unavailable("the playwright Python package is not installed (make venv)")
    try:
        playwright = sync_playwright().start()
    except (Error, OSError) as exc:
        unavailable(f"Playwright's driver did not start: {exc}")
    yield playwright
    playwright.stop()


@pytest.fixture(scope="session")
def browser(_playwright: Playwright) -> Iterator[Browser]:
    from playwright.sync_api import Error

    executable = chromium_executable()
    try:
        launched = _playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
    except Error as exc:
        unavailable(f"chromium at {executable} did not start: {exc.message.splitlines()[0] if exc.message else exc}")
    yield launched
    launched.close()


def _context_options(request: pytest.FixtureRequest, **defaults: Any) -> dict[str, Any]:
    options = dict(defaults)
    marker = request.node.get_closest_marker("browser_context")
    if marker is not None:
        options.update(marker.kwargs)
    return options


def artifact_path(request: pytest.FixtureRequest) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / (re.sub(r"[^\w.-]+", "_", request.node.name) + ".png")


def _open_page(request: pytest.FixtureRequest, browser: Browser, base_url: str, **options: Any) -> Iterator[Page]:
    from django.core.cache import cache
    from playwright.sync_api import Error

    # Login throttles and spent TOTP codes live in the database cache, which a
    # transactional flush leaves alone: each browser test starts with none.
    cache.clear()
    context = browser.new_context(base_url=base_url, **_context_options(request, **options))
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        try:
            page.screenshot(path=str(artifact_path(request)), full_page=True)
        except Error as exc:  # a crashed page must not hide the test's own failure
            print(f"no screenshot for {request.node.name}: {exc.message}")
        context.close()
        cache.clear()


@pytest.fixture(autouse=True)
def _flushable_audit_table(flushable_audit: None) -> None:
    """Every browser test is transactional (a live server): logging in writes audit events, and SQLite's flush
    deletes row by row, which the append-only triggers refuse. The root conftest's ``flushable_audit`` empties
    those tables first."""


@pytest.fixture
def live_url(live_server: Any) -> str:
    """The live server's base URL, e.g. ``http://localhost:40123``."""
    return str(live_server.url)


@pytest.fixture
def page(request: pytest.FixtureRequest, browser: Browser, live_url: str, transactional_db: None) -> Iterator[Page]:
    """A page in a fresh browser context on the live server (relative URLs work in ``goto``)."""
    yield from _open_page(request, browser, live_url, java_script_enabled=True)


@pytest.fixture
def page_no_js(request: pytest.FixtureRequest, browser: Browser, live_url: str, transactional_db: None) -> Iterator[Page]:
    """Like ``page``, with JavaScript off: what a reader with scripts disabled gets."""
    yield from _open_page(request, browser, live_url, java_script_enabled=False)

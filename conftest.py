"""Test configuration shared by every app.

Fixtures strategy: personas and organisations are created per test by
``make_cast`` (unforgotten/testing.py), small and explicit, so each test reads
on its own; sample data from ../shared/data is read only by benchmarks and by
tests that say so. Real components are used wherever one runs here: SQLite or
PostgreSQL (DATABASE_URL), a local SMTP server, Debian's chromium.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

# Browser tests run Playwright's sync API, which keeps an event loop in the test
# thread; Django's async-safety guard would otherwise refuse ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config: Any) -> None:
    if "DJANGO_SETTINGS_MODULE" not in os.environ:
        return  # pure-library runs (-p no:django): nothing to configure
    from django.conf import settings

    # A fast hasher: password hashing cost is not what these tests measure.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    # A module imported while the apps loaded may already have asked for a task backend (it is kept per
    # process); the signal Django's own settings overrides send drops the kept one.
    from django.core.signals import setting_changed

    setting_changed.send(sender=type(settings), setting="TASKS", value=settings.TASKS, enter=True)
    # Tests that exercise delivery start a real SMTP server on loopback and
    # point MAILERS at it; the rest capture mail in memory.
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    settings.DEMO = False
    # Uploaded files (photos, evidence) go to a fresh folder per run, never into var/.
    import tempfile

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="unforgotten-media-")
    # Stored public pages too: a test's pages never land in (or come from) var/.
    settings.PUBLIC_CACHE_DIR = tempfile.mkdtemp(prefix="unforgotten-public-")
    settings.EVIDENCE_ROOT = tempfile.mkdtemp(prefix="unforgotten-evidence-")


@pytest.fixture
def cast(db: Any) -> Any:
    from unforgotten.testing import make_cast

    return make_cast()


@pytest.fixture(autouse=True)
def _clear_cache() -> Any:
    # Throttle counters and re-authentication stamps live in the cache; one
    # test's failures must not throttle the next test's logins.
    yield
    try:
        from django.core.cache import cache

        cache.clear()
        # Per-process catalogue copies may hold rows a rolled-back test created.
        from unforgotten.registry.forms import _forget_catalogues

        _forget_catalogues()
    except Exception:  # noqa: BLE001, S110  (no database in pure-library tests: nothing to clear)
        pass


@pytest.fixture(autouse=True)
def _default_language() -> Any:
    # A request to /ar/… leaves Arabic active in the thread (LocaleMiddleware activates, nothing
    # deactivates): the next test's reverse() would build /ar/ addresses and English-only routes
    # answer 404. Each test starts from the default language.
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture
def smtp_server(settings: Any) -> Any:
    """A real SMTP server on loopback; the default mailer sends to it for this test."""
    from unforgotten.testing import LocalSMTPServer

    server = LocalSMTPServer().start()
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                                    "OPTIONS": {"host": "127.0.0.1", "port": server.port, "timeout": 5}}}
    yield server
    server.stop()


@pytest.fixture
def webhook_receiver() -> Any:
    """A real HTTP receiver on loopback that records webhook POSTs."""
    from unforgotten.testing import WebhookReceiver

    receiver = WebhookReceiver().start()
    yield receiver
    receiver.stop()


@pytest.fixture
def flushable_audit(transactional_db: None) -> Any:
    """After a transactional test on SQLite, empty the append-only tables so the flush can run (PostgreSQL's
    flush truncates, which its triggers allow; SQLite's deletes row by row, which they refuse)."""
    yield
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    from unforgotten.core.append_only import TABLES, sqlite_lifted

    with connection.cursor() as cursor, sqlite_lifted(cursor):
        for table in reversed(list(TABLES)):
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608  (fixed table names)

"""Fixtures of the take-action tests.

Fixtures strategy: the cast (personas) plus one open petition of Org A with a
confirmed canary signer (``actions.testing.make_petition_sample``), built per
test through the action functions.
"""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def pet(cast: Any) -> Any:
    from unforgotten.actions.testing import make_petition_sample

    return make_petition_sample(cast)


@pytest.fixture
def flushable_audit(transactional_db: None) -> Any:
    """After a transactional test on SQLite, empty the append-only tables so the flush can run (as the browser
    tests do: PostgreSQL's flush truncates, which the triggers allow; SQLite's deletes row by row)."""
    yield
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    from unforgotten.core.append_only import TABLES, sqlite_lifted

    with connection.cursor() as cursor, sqlite_lifted(cursor):
        for table in reversed(list(TABLES)):
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608  (fixed table names)


@pytest.fixture(autouse=True)
def fresh_fast_path() -> Any:
    """The signing fast path keeps petitions per process for seconds; tests reuse slugs and ids, so start empty."""
    from unforgotten.actions import fastpath

    fastpath.forget()
    yield
    fastpath.forget()

"""Fixtures of the alerts tests.

Fixtures strategy: the registry's sample (``registry.testing.make_sample``: a prisoner of Org A
with canaries in every field above public, name and story consent given) plus, where a test
needs them, the alerts sample on top (``alerts.testing.make_alerts_sample``), all built per test
through the action functions. Webhooks go to the real ``webhook_receiver`` on loopback and
e-mail to the real ``smtp_server``.
"""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def sample(cast: Any) -> Any:
    from unforgotten.registry.testing import make_sample

    return make_sample(cast)


@pytest.fixture
def public_store(settings: Any, tmp_path: Any) -> Any:
    """The public page store switched on, in a folder of this test's own."""
    settings.PUBLIC_CACHE_ENABLED = True
    settings.PUBLIC_CACHE_DIR = str(tmp_path / "public-cache")
    return tmp_path / "public-cache"


@pytest.fixture
def login_as() -> Any:
    """A test client signed in as a persona (their second factor is taken as given, as in the other apps' tests)."""
    from django.test import Client

    def make(user: Any) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make

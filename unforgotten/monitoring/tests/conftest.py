"""Fixtures of the monitoring tests.

Fixtures strategy: the registry's sample (``registry.testing.make_sample``: Maryia, imprisoned,
a prisoner of Org A with canaries above public), built per test through the action functions;
contacts, health and reports are added by each test through monitoring's actions.
"""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def sample(cast: Any) -> Any:
    from unforgotten.registry.testing import make_sample

    return make_sample(cast)


@pytest.fixture
def login_as() -> Any:
    """A test client signed in as a persona (their second factor is taken as given, as in the other apps' tests)."""
    from django.test import Client

    def make(user: Any) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make

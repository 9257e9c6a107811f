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



@pytest.fixture(autouse=True)
def fresh_fast_path() -> Any:
    """The signing fast path keeps petitions per process for seconds; tests reuse slugs and ids, so start empty."""
    from unforgotten.actions import fastpath

    fastpath.forget()
    yield
    fastpath.forget()

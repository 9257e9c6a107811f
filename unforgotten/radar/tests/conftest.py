"""Fixtures of the radar tests.

Fixtures strategy: the registry's sample (a prisoner of Org A, detained since
September 2020, with canaries in every field above public), the advocacy sample
on top where interventions matter, and the radar's own (``radar.testing``),
all built per test through the action functions.
"""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def sample(cast: Any) -> Any:
    from unforgotten.registry.testing import make_sample

    return make_sample(cast)


@pytest.fixture
def adv(cast: Any, sample: Any) -> Any:
    from unforgotten.advocacy.testing import make_advocacy_sample

    return make_advocacy_sample(cast, sample)


@pytest.fixture
def radar(cast: Any, sample: Any) -> Any:
    from unforgotten.radar.testing import make_radar_sample

    return make_radar_sample(cast, sample)

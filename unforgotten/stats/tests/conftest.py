"""Fixtures of the statistics tests.

Fixtures strategy: the registry is filled through its action functions only
(``unforgotten/stats/testing.py``), so the statistics are kept in step by the
same signals as in production; the hand-computed figures sit beside each
person there. Public pages get an empty page store of their own per test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def fixture(cast: Any) -> Any:
    from unforgotten.stats.testing import make_fixture

    return make_fixture(cast)


@pytest.fixture(autouse=True)
def page_store(tmp_path: Path, settings: Any) -> Iterator[Path]:
    settings.PUBLIC_CACHE_DIR = tmp_path / "public-cache"
    settings.PUBLIC_CACHE_ENABLED = True
    yield Path(settings.PUBLIC_CACHE_DIR)

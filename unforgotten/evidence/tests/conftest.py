"""Evidence tests: each test gets its own evidence store, so "nothing partial stored" is checked on an empty folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def evidence_root(tmp_path: Path, settings: Any) -> Path:
    root = tmp_path / "evidence"
    settings.EVIDENCE_ROOT = root
    return root

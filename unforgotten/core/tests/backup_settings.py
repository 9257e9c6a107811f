"""Settings for the restore subprocesses of test_backup.py: the project's, plus an evidence folder.

EVIDENCE_ROOT comes from the evidence app's settings when it has them; the test
names its own folder so the round trip covers evidence files either way.
"""

from __future__ import annotations

import os
from pathlib import Path

from unforgotten.settings import *  # noqa: F403

if os.environ.get("TEST_EVIDENCE_ROOT"):
    EVIDENCE_ROOT = Path(os.environ["TEST_EVIDENCE_ROOT"])

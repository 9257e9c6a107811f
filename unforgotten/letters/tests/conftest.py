"""Fixtures of the letters tests.

Fixtures strategy: the cast (personas) plus Org A's sample prisoner (``registry.testing.make_sample``) published
in English with the family's consent to be written to, an open letter box, letters in every moderation state, and
an open letter campaign to a minister with one sent letter (``letters.testing.make_letters_sample``), all built
per test through the action functions. ``pdf_text`` reads a PDF as ``pdftotext`` does.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def letters(cast: Any) -> Any:
    from unforgotten.letters.testing import make_letters_sample

    return make_letters_sample(cast)


def pdf_text(pdf: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is needed: make system")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(pdf)
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
        return out.stdout.decode("utf-8")

"""Fixtures of the advocacy tests.

Fixtures strategy: the registry's sample (``registry.testing.make_sample``: a
prisoner of Org A with canaries in every field above public) plus the advocacy
sample on top (``advocacy.testing.make_advocacy_sample``), both built per test
through the action functions. ``pdf_text`` reads a PDF as ``pdftotext`` does.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
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


def pdf_text(pdf: bytes, *, first: int | None = None, last: int | None = None) -> str:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is needed: make system")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(pdf)
        args = ["pdftotext", "-enc", "UTF-8"]
        if first is not None:
            args += ["-f", str(first), "-l", str(last or first)]
        out = subprocess.run([*args, str(path), "-"], capture_output=True, check=True)
        return out.stdout.decode("utf-8")


def pdf_pages(pdf: bytes) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(pdf)
        out = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))

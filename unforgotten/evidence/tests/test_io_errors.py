"""T6: I/O errors injected with strace into a real ingest: it fails loudly and leaves nothing behind.

``unforgotten add-evidence`` runs in a child process against its own migrated
SQLite database and evidence store, under ``strace -f -y -e inject=…``. Each
case first proves (from strace's own log, ``-y`` names the file of each fd) that
the injected error hit the evidence store, then that the command exited
non-zero, that no item or custody row was written, and that neither
``objects/`` nor ``tmp/`` holds a file. A control run under strace without
injection stores the item, so the harness itself is shown to work.

Skipped where strace is missing or ptrace is not permitted (containers without
CAP_SYS_PTRACE): checked by running ``strace -f true`` once.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
STRACE = shutil.which("strace") or "/usr/bin/strace"


def _strace_works() -> bool:
    if not Path(STRACE).exists():
        return False
    try:
        return subprocess.run([STRACE, "-f", "-o", os.devnull, "true"], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


pytestmark = pytest.mark.skipif(not _strace_works(), reason="strace is missing or ptrace is not permitted here")

_SETUP = """
from unforgotten.core import keyring
from unforgotten.registry.testing import make_sample
from unforgotten.testing import make_cast
sample = make_sample(make_cast())
keyring.active_key_id("evidence-files")  # the data key exists before the traced run: its row is not what fails
print(sample.person_a.uuid)
"""


def _env(base: Path, db: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "UNFORGOTTEN_MODE")}
    env.update(DJANGO_SETTINGS_MODULE="unforgotten.settings", DATABASE_URL=f"sqlite:///{db}",
               UNFORGOTTEN_VAR_DIR=str(base / "var"), EVIDENCE_ROOT=str(base / "evidence"),
               KEY_FILE=str(base / "var" / "kek"), PYTHONDONTWRITEBYTECODE="1")
    return env


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-c", "from unforgotten.cli import main; main()", *args]


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A migrated SQLite database with a person, made once; each case works on a copy."""
    base = tmp_path_factory.mktemp("t6")
    db = base / "template.sqlite3"
    env = _env(base, db)
    subprocess.run(_cli("migrate", "-v0"), env=env, cwd=ROOT, check=True, timeout=300)
    out = subprocess.run(_cli("shell", "-c", _SETUP), env=env, cwd=ROOT, check=True, timeout=300,
                         capture_output=True, text=True)
    return base, out.stdout.strip().splitlines()[-1]


def _rows(db: Path) -> tuple[int, int]:
    with sqlite3.connect(db) as conn:
        items = conn.execute("SELECT count(*) FROM evidence_evidenceitem").fetchone()[0]
        events = conn.execute("SELECT count(*) FROM evidence_custodyevent").fetchone()[0]
    return int(items), int(events)


def _store_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _ingest_under_strace(prepared: tuple[Path, str], tmp_path: Path, inject: list[str]) -> tuple[int, str, Path, Path]:
    base, person = prepared
    db = tmp_path / "db.sqlite3"
    shutil.copyfile(base / "template.sqlite3", db)
    env = _env(base, db)
    evidence = tmp_path / "evidence"
    env["EVIDENCE_ROOT"] = str(evidence)
    source = tmp_path / "statement.pdf"
    source.write_bytes(b"%PDF-1.4\n" + os.urandom(3 * 1024 * 1024 + 123))
    trace = tmp_path / "strace.log"
    run = subprocess.run([STRACE, "-f", "-y", "-o", str(trace), *inject,
                          *_cli("add-evidence", person, str(source), "--reason", "T6 test")],
                         env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert _store_files(evidence) == [] or run.returncode == 0
    return run.returncode, trace.read_text(errors="replace"), db, evidence


def _injected(log: str) -> list[str]:
    return [line for line in log.splitlines() if "(INJECTED)" in line]


def test_it_stores_the_file_under_strace_when_nothing_is_injected(prepared: tuple[Path, str], tmp_path: Path) -> None:
    code, log, db, evidence = _ingest_under_strace(prepared, tmp_path, ["-e", "trace=fsync,write"])
    assert code == 0, log[-2000:]
    assert _rows(db) == (1, 1)
    files = _store_files(evidence)
    assert len(files) == 1 and "/objects/" in str(files[0])
    assert any(".part>" in line and line.split("(", 1)[0].endswith("fsync") for line in log.splitlines())


@pytest.mark.parametrize(("inject", "where"), [
    # The first fsync of the run is the new file's, in tmp/; the second the objects/ folder's, after the rename.
    ("fsync:error=EIO:when=1", ".part>"),
    ("fsync:error=EIO:when=2", "/objects/"),
    ("fsync:error=EIO", ".part>"),
    # The first write is the stream header; the second a sealed chunk; from then on every write fails.
    ("write:error=ENOSPC:when=2+", ".part>"),
], ids=["fsync-file", "fsync-directory", "fsync-always", "write-enospc"])
def test_it_fails_and_leaves_no_row_and_no_file_when_the_disk_fails(prepared: tuple[Path, str], tmp_path: Path,
                                                                     inject: str, where: str) -> None:
    syscall = inject.split(":", 1)[0]
    code, log, db, evidence = _ingest_under_strace(prepared, tmp_path,
                                                   ["-e", f"trace={syscall}", "-e", f"inject={inject}"])
    hits = _injected(log)
    assert hits, "strace injected nothing: the test would prove nothing"
    assert where in hits[0] and str(evidence) in hits[0], hits[0]
    assert code != 0
    assert _rows(db) == (0, 0)
    assert _store_files(evidence / "objects") == []
    assert _store_files(evidence / "tmp") == []

"""T7 (backup → restore round trip with equal digests; a damaged archive always refused) and the
backup part of T2/T20 (no canary in an archive; nothing opens without the KEK)."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings as django_settings
from django.db import connection

from unforgotten.core import backup, crypto, keyring
from unforgotten.core.models import DataKey
from unforgotten.registry.testing import make_sample

PG_BASE = os.environ.get("DATABASE_URL_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres")
MEDIA_CANARY = "CANARY-media-file-restricted"
CHUNK = 1024  # small chunks: damage lands mid-stream, after rows were already applied


def _pg_reachable() -> bool:
    try:
        with psycopg.connect(PG_BASE.rsplit("/", 1)[0] + "/postgres", connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error:
        return False
    return True


@pytest.fixture
def roots(settings: Any, tmp_path: Path) -> dict[str, Path]:
    """Media and evidence folders with a file each (the evidence file is ciphertext, as the app stores it)."""
    media, evidence = tmp_path / "media", tmp_path / "evidence"
    (media / "registry" / "photos").mkdir(parents=True)
    (media / "registry" / "photos" / "portrait.jpg").write_bytes(b"\xff\xd8 portrait " + MEDIA_CANARY.encode())
    (media / "exports").mkdir()
    (media / "exports" / ".half.part").write_bytes(b"a temporary file, never backed up")
    evidence.mkdir()
    plain = tmp_path / "statement.txt"
    plain.write_bytes(b"witness statement CANARY-evidence-text-sealed " * 200)
    keyring.encrypt_file("evidence-files", plain, evidence / "item.bin",
                         aad="evidence:test")
    plain.unlink()
    settings.MEDIA_ROOT = str(media)
    settings.EVIDENCE_ROOT = str(evidence)
    return {"media": media, "evidence": evidence}


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _cli(args: list[str], *, database_url: str, media: Path, evidence: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.update({
        "DJANGO_SETTINGS_MODULE": "unforgotten.core.tests.backup_settings",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media),
        "TEST_EVIDENCE_ROOT": str(evidence),
        "KEY_FILE": str(django_settings.KEY_FILE),
        "SIGNING_KEY_FILE": str(django_settings.SIGNING_KEY_FILE),
    })
    exe = str(Path(sys.executable).with_name("unforgotten"))
    return subprocess.run([exe, *args], env=env, capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_target(request: Any, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """A fresh, migrated database of either engine (made and dropped here) and empty folders."""
    target = tmp_path / "target"
    target.mkdir()
    if request.param == "sqlite":
        url = f"sqlite:///{target / 'restored.sqlite3'}"
        name = None
    else:
        if not _pg_reachable():
            pytest.skip("no PostgreSQL server reachable")
        name = f"unforgotten_restore_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(PG_BASE.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        url = PG_BASE.rsplit("/", 1)[0] + f"/{name}"
    spec: dict[str, Any] = {"database_url": url, "media": target / "media", "evidence": target / "evidence"}
    migrated = _cli(["migrate", "-v0"], **spec)
    assert migrated.returncode == 0, migrated.stderr
    try:
        yield spec
    finally:
        if name is not None:
            with psycopg.connect(PG_BASE.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db
def test_it_restores_a_backup_into_a_fresh_database_with_equal_digests(cast: Any, roots: dict[str, Path],
                                                                      fresh_target: dict[str, Any],
                                                                      tmp_path: Path) -> None:
    make_sample(cast)
    archive = tmp_path / "nightly.ufb"
    summary = backup.write_backup(archive, chunk_size=CHUNK)
    assert summary.rows > 100 and summary.files == 2 and summary.tree_size
    source_digests = backup.table_digests()
    assert source_digests["registry_person"]["rows"] == 2

    # Negative control first: a truncated archive is refused loudly and changes nothing.
    truncated = tmp_path / "truncated.ufb"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size * 2 // 3])
    refused = _cli(["restore", str(truncated)], **fresh_target)
    assert refused.returncode == 1
    assert "REFUSED" in refused.stderr and "failed authentication" in refused.stderr
    assert not fresh_target["media"].exists() or not any(fresh_target["media"].iterdir())

    restored = _cli(["restore", str(archive)], **fresh_target)
    assert restored.returncode == 0, restored.stderr
    assert "every digest matched" in restored.stdout

    shown = _cli(["shell", "-c", "import json; from unforgotten.core.backup import table_digests; "
                                 "print(json.dumps(table_digests()))"], **fresh_target)
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout.strip().splitlines()[-1]) == source_digests
    expected_media = {k: v for k, v in _files(roots["media"]).items() if not k.endswith(".part")}
    assert _files(fresh_target["media"]) == expected_media
    assert _files(fresh_target["evidence"]) == _files(roots["evidence"])
    verified = _cli(["verify-log"], **fresh_target)
    assert verified.returncode == 0, verified.stderr
    assert f"size {summary.tree_size}" in verified.stdout

    # A second restore into the now filled target is refused without --force.
    again = _cli(["restore", str(archive)], **fresh_target)
    assert again.returncode == 1 and "not empty" in again.stderr


def _mutations(data: bytes, rng: random.Random, trials: int) -> Iterator[tuple[str, bytes]]:
    block = CHUNK + 16
    for trial in range(trials):
        kind = trial % 5
        i = rng.randrange(len(data))
        if kind == 0:
            damaged = bytearray(data)
            damaged[i] ^= 1 << rng.randrange(8)
            yield f"flip byte {i}", bytes(damaged)
        elif kind == 1:
            yield f"truncate at {i}", data[:i]
        elif kind == 2:
            yield f"delete byte {i}", data[:i] + data[i + 1 :]
        elif kind == 3:
            yield f"insert at {i}", data[:i] + bytes([rng.randrange(256)]) + data[i:]
        else:
            start = len(data) - (len(data) - 200) // block * block  # chunk boundaries after the headers
            n = (len(data) - start) // block
            a, b = sorted(rng.sample(range(n), 2))
            pa, pb = start + a * block, start + b * block
            swapped = data[:pa] + data[pb : pb + block] + data[pa + block : pb] + data[pa : pa + block] + data[pb + block :]
            if swapped != data:
                yield f"swap chunks {a} and {b}", swapped


@pytest.mark.django_db
def test_it_refuses_every_damaged_archive(cast: Any, roots: dict[str, Path], tmp_path: Path) -> None:
    make_sample(cast)
    archive = tmp_path / "b.ufb"
    backup.write_backup(archive, chunk_size=CHUNK)
    data = archive.read_bytes()
    assert backup.check_backup(archive)["tables"]["registry_person"]["rows"] == 2
    rng = random.Random(7)
    damaged = tmp_path / "damaged.ufb"
    count = 0
    for label, blob in _mutations(data, rng, 500):
        damaged.write_bytes(blob)
        with pytest.raises(backup.BackupError):
            backup.check_backup(damaged)
            pytest.fail(f"accepted an archive after: {label}")
        count += 1
    assert count >= 450


@pytest.mark.django_db
def test_it_leaves_the_database_and_folders_untouched_when_a_restore_fails_midway(
        cast: Any, roots: dict[str, Path], tmp_path: Path) -> None:
    make_sample(cast)
    archive = tmp_path / "b.ufb"
    backup.write_backup(archive, chunk_size=CHUNK)
    before, media_before = backup.table_digests(), _files(roots["media"])
    data = archive.read_bytes()
    # Damage late in the stream: rows of early tables were already written when it is found.
    for cut in (len(data) - 5, len(data) * 3 // 4, len(data) // 2):
        bad = tmp_path / f"bad-{cut}.ufb"
        flipped = bytearray(data)
        flipped[cut] ^= 0x40
        bad.write_bytes(bytes(flipped))
        with pytest.raises(backup.BackupError, match="failed authentication"):
            backup.restore_backup(bad, force=True)
        assert backup.table_digests() == before
        assert _files(roots["media"]) == media_before
        assert not [p for p in roots["media"].parent.iterdir() if ".restore-" in p.name or ".replaced-" in p.name]
    # And the intact archive, forced over the same data, restores it exactly.
    backup.restore_backup(archive, force=True)
    assert backup.table_digests() == before


@pytest.mark.django_db
def test_it_keeps_every_canary_and_the_data_keys_out_of_the_archive(cast: Any, roots: dict[str, Path],
                                                                   tmp_path: Path) -> None:
    sample = make_sample(cast)
    archive = tmp_path / "b.ufb"
    backup.write_backup(archive)
    blob = archive.read_bytes()
    ring = keyring._ensure_keks()  # noqa: SLF001  (the test holds the key a thief would lack)
    secrets = [c.encode() for c in sample.canaries] + [MEDIA_CANARY.encode(), b"CANARY-evidence-text", b"Musician"]
    for row in DataKey.objects.all():
        dek = ring.unwrap(bytes(row.wrapped))
        secrets += [dek, dek.hex().encode()]
    for kek in (keyring._state.current, *keyring._state.previous):  # noqa: SLF001
        assert kek is not None
        secrets += [kek.key, kek.key.hex().encode()]
    assert [s for s in secrets if s in blob] == []
    # The plaintext really is in there: with the key, the public control reads back.
    assert backup.check_backup(archive)["tables"]["registry_person"]["rows"] == 2


@pytest.mark.django_db
def test_it_cannot_open_an_archive_without_its_kek(cast: Any, roots: dict[str, Path], tmp_path: Path,
                                                   settings: Any) -> None:
    make_sample(cast)
    archive = tmp_path / "b.ufb"
    backup.write_backup(archive)
    other = tmp_path / "other-kek.key"
    crypto.generate_kek_file(other)
    settings.KEY_FILE = other
    keyring.reset()
    try:
        with pytest.raises(backup.BackupError, match="cannot be opened"):
            backup.check_backup(archive)
    finally:
        settings.KEY_FILE = django_settings.KEY_FILE
        keyring.reset()


@pytest.mark.django_db
def test_it_refuses_a_target_that_is_not_fresh_and_a_path_that_exists(cast: Any, roots: dict[str, Path],
                                                                       tmp_path: Path) -> None:
    make_sample(cast)
    archive = tmp_path / "b.ufb"
    backup.write_backup(archive)
    with pytest.raises(backup.BackupError, match="already exists"):
        backup.write_backup(archive)
    assert connection.in_atomic_block  # the test's transaction: a plain restore must not run inside it
    with pytest.raises(backup.BackupError):
        backup.restore_backup(archive)
    not_archive = tmp_path / "notes.txt"
    not_archive.write_text("hello")
    with pytest.raises(backup.BackupError, match="not an Unforgotten backup"):
        backup.check_backup(not_archive)

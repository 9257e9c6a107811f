"""T2 (raw dumps) and T20 (seized server), completed: restricted values, sealed values and evidence files.

The scene: the registry's and advocacy's samples (a canary in every restricted
and sealed field), and an evidence file uploaded by the case team with canaries
in its name, its capture URL and its EXIF; then a backup. A seizure takes the
database (the SQLite file as it lies on disk and its `.dump`, or a `pg_dump`),
the media, evidence and public-page folders, the configuration folder (secret
key, signing key, name index) and the backups — everything but the KEK, which
lives outside the server. Pass: no restricted or sealed canary and no data key
in any of it; the copy opens nothing under another KEK; a flipped byte in any
encrypted field, evidence file or backup fails to decrypt, every time.
"""

from __future__ import annotations

import base64
import random
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection

from unforgotten.advocacy.testing import make_advocacy_sample
from unforgotten.core import backup, crypto, keyring
from unforgotten.core.crypto import DecryptionError
from unforgotten.core.encrypted import EncryptedTextField, is_encrypted_field
from unforgotten.core.models import DataKey
from unforgotten.core.sealing import SealedTextField
from unforgotten.evidence import store
from unforgotten.evidence.models import EvidenceItem
from unforgotten.evidence.tests.helpers import client_for, jpeg_with_exif, post_file, put_on_team
from unforgotten.policy.sensitivity import Sensitivity
from unforgotten.registry.models import Case
from unforgotten.registry.testing import make_sample

NAME = "CANARYSEIZEDNAMEx4"  # evidence file name (restricted)
URL = "CANARYSEIZEDURLx4"  # capture URL (restricted)
EXIF = "CANARYSEIZEDEXIFx4"  # inside the original file (encrypted at rest)
PUBLIC_CONTROL = b"Musician and campaigner"  # a public value: proves the copy holds the data


def _scene(cast: Any, tmp_path: Path) -> dict[str, Any]:
    sample = make_sample(cast)
    adv = make_advocacy_sample(cast, sample)
    put_on_team(sample.person_a, cast.amal, cast)
    amal = client_for(cast.amal)
    picture = jpeg_with_exif(EXIF)
    assert EXIF.encode() in picture
    response = post_file(amal, sample.person_a, f"{NAME}-witness.jpg", picture, title="Photo",
                         collected_url=f"https://example.org/{URL}")
    assert response.status_code == 302
    protected = [c for c, level in {**sample.canaries, **adv.canaries}.items() if level >= Sensitivity.RESTRICTED]
    restricted = [c for c, level in {**sample.canaries, **adv.canaries}.items() if level == Sensitivity.RESTRICTED]
    assert len(restricted) >= 10  # case, hearing, detention, relationship, advocacy records, the WGAD draft
    archive = tmp_path / "backups" / "nightly.ufb"
    archive.parent.mkdir()
    backup.write_backup(archive)
    ring = keyring._ensure_keks()  # noqa: SLF001  (the test holds the key a seizure would lack)
    keys: list[bytes] = []
    for row in DataKey.objects.all():
        dek = ring.unwrap(bytes(row.wrapped))
        keys += [dek, base64.b64encode(dek), base64.urlsafe_b64encode(dek).rstrip(b"="), dek.hex().encode()]
    forbidden = [c.encode() for c in [*protected, NAME, URL, EXIF]] + keys
    return {"sample": sample, "forbidden": forbidden, "archive": archive, "item": EvidenceItem.objects.get()}


def _config_folder(tmp_path: Path) -> Path:
    """What a seizure finds beside the data: the secret key, the signing key, the name index — not the KEK."""
    config = tmp_path / "seized-config"
    config.mkdir()
    for path in (Path(settings.VAR_DIR) / "secret_key", Path(settings.SIGNING_KEY_FILE),
                 Path(str(settings.SIGNING_KEY_FILE) + ".pub")):
        if path.is_file():
            shutil.copy(path, config / path.name)
    index = Path(settings.NAMES_INDEX_PATH)
    if index.is_dir():
        shutil.copytree(index, config / "names-index")
    assert not (config / Path(settings.KEY_FILE).name).exists() or Path(settings.KEY_FILE).name == "secret_key"
    return config


def _files(*roots: Path) -> Iterator[Path]:
    for root in roots:
        if root.is_file():
            yield root
        elif root.is_dir():
            yield from (p for p in root.rglob("*") if p.is_file())


def _leaks(blob: bytes, forbidden: list[bytes]) -> list[bytes]:
    return [f for f in forbidden if f in blob]


def _scan_folders(tmp_path: Path, scene: dict[str, Any]) -> int:
    roots = [Path(settings.MEDIA_ROOT), Path(settings.EVIDENCE_ROOT), Path(settings.PUBLIC_CACHE_DIR),
             scene["archive"].parent, _config_folder(tmp_path)]
    scanned = 0
    for path in _files(*roots):
        assert _leaks(path.read_bytes(), scene["forbidden"]) == [], path
        scanned += 1
    return scanned


@pytest.mark.django_db
def test_it_leaves_no_restricted_or_sealed_canary_in_a_seized_sqlite_server(cast: Any, tmp_path: Path) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite file copy; PostgreSQL is covered by the pg_dump test")
    scene = _scene(cast, tmp_path)
    connection.ensure_connection()
    raw = connection.connection.serialize()  # the database file exactly as it would lie on disk
    copy = tmp_path / "seized.sqlite3"
    copy.write_bytes(raw)
    dump = "\n".join(sqlite3.connect(copy).iterdump()).encode()
    assert PUBLIC_CONTROL in raw and PUBLIC_CONTROL in dump
    assert _leaks(raw, scene["forbidden"]) == []
    assert _leaks(dump, scene["forbidden"]) == []
    # The evidence file, the backup and the configuration were really scanned.
    assert _scan_folders(tmp_path, scene) >= 3


@pytest.mark.django_db(transaction=True)
def test_it_leaves_no_restricted_or_sealed_canary_in_a_pg_dump_of_a_seized_server(cast: Any, tmp_path: Path) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump needs PostgreSQL")
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        pytest.skip("pg_dump is not installed")
    scene = _scene(cast, tmp_path)  # committed (transactional test), so another connection can dump it
    conf = connection.settings_dict
    cmd = [pg_dump, "--no-owner", "-h", conf["HOST"] or "127.0.0.1", "-p", str(conf["PORT"] or 5432),
           "-U", conf["USER"] or "postgres", conf["NAME"]]
    dump = subprocess.run(cmd, capture_output=True, timeout=120, check=True,  # noqa: S603
                          env={"PGPASSWORD": conf["PASSWORD"] or "", "PATH": "/usr/bin:/bin"}).stdout
    assert PUBLIC_CONTROL in dump
    assert _leaks(dump, scene["forbidden"]) == []
    assert _scan_folders(tmp_path, scene) >= 3


def _stored_ciphertexts() -> list[tuple[Any, Any, str]]:
    """(field, row, token) of every non-empty encrypted value in the database, history tables included."""
    out = []
    for model in apps.get_models():
        # Text ciphertexts (restricted and sealed); one-way digests are no ciphertext to flip.
        fields = [f for f in model._meta.concrete_fields
                  if is_encrypted_field(f) and isinstance(f, (EncryptedTextField, SealedTextField))]
        for f in fields:
            for row in model._base_manager.exclude(**{f.attname: ""}).exclude(**{f"{f.attname}__isnull": True}):
                out.append((f, row, str(row.__dict__[f.attname])))
    return out


def _opens(f: Any, row: Any, token: str) -> bool:
    try:
        if isinstance(f, EncryptedTextField):
            f.decrypt(row, token)
        else:
            assert isinstance(f, SealedTextField)
            base: Any = getattr(type(row), "instance_type", type(row))
            stem = f.attname.removesuffix("_sealed")
            context = (base(uuid=row.uuid).sealed_context(stem) if hasattr(base, "sealed_context")
                       else f"{base._meta.app_label}.{base._meta.model_name}.{stem}:{row.uuid}")
            keyring.unseal_text("sealed-fields", token, aad=context)
    except DecryptionError:
        return False
    return True


def _flip(data: bytes, rng: random.Random) -> bytes:
    damaged = bytearray(data)
    damaged[rng.randrange(len(damaged))] ^= 1 << rng.randrange(8)
    return bytes(damaged)


@pytest.mark.django_db
def test_it_fails_to_decrypt_any_encrypted_field_file_or_backup_with_one_flipped_byte(cast: Any,
                                                                                    tmp_path: Path) -> None:
    scene = _scene(cast, tmp_path)
    stored = _stored_ciphertexts()
    kinds = {type(f).__name__ for f, _row, _token in stored}
    assert kinds == {"EncryptedTextField", "SealedTextField"} and len(stored) >= 20
    assert all(_opens(f, row, token) for f, row, token in stored)  # the control: intact, every one opens
    rng = random.Random(2020)
    failed = 0
    for trial in range(1000):
        f, row, token = stored[trial % len(stored)]
        body = token.removeprefix("uf1:")
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        flipped = "uf1:" + base64.urlsafe_b64encode(_flip(raw, rng)).rstrip(b"=").decode()
        failed += not _opens(f, row, flipped)
    assert failed == 1000
    # Evidence files: one flipped byte anywhere in the stored ciphertext, 200 times.
    item = scene["item"]
    path = store.object_path(item.storage_name)
    original = path.read_bytes()
    assert store.rehash(item.storage_name, str(item.uuid))[1] == item.sha256
    refused = 0
    try:
        for _ in range(200):
            path.write_bytes(_flip(original, rng))
            try:
                store.rehash(item.storage_name, str(item.uuid))
            except DecryptionError:
                refused += 1
    finally:
        path.write_bytes(original)
    assert refused == 200
    # The backup archive: a flipped byte is refused by the check, 20 times.
    archive: Path = scene["archive"]
    blob = archive.read_bytes()
    damaged_archive = tmp_path / "damaged.ufb"
    for _ in range(20):
        damaged_archive.write_bytes(_flip(blob, rng))
        with pytest.raises(backup.BackupError):
            backup.check_backup(damaged_archive)


@pytest.mark.django_db
def test_it_opens_nothing_in_the_seized_copy_without_the_kek(cast: Any, tmp_path: Path, settings: Any) -> None:
    scene = _scene(cast, tmp_path)
    case_pk, item = scene["sample"].case_a.pk, scene["item"]
    assert Case.objects.get(pk=case_pk).legal_strategy.startswith("CANARY")  # the control, with the KEK
    other = tmp_path / "guessed-kek.key"
    crypto.generate_kek_file(other)  # the thief's best guess: a key of their own
    settings.KEY_FILE = other
    keyring.reset()
    try:
        with pytest.raises(DecryptionError):
            _ = Case.objects.get(pk=case_pk).legal_strategy
        with pytest.raises(DecryptionError):
            _ = EvidenceItem.objects.get(pk=item.pk).display_name
        with pytest.raises(DecryptionError):
            store.rehash(item.storage_name, str(item.uuid))
        with pytest.raises(backup.BackupError):
            backup.check_backup(scene["archive"])
    finally:
        keyring.reset()

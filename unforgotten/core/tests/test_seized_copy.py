"""T20, database part: a copy of the database taken without the KEK reveals no sealed canary,
and a flipped byte in any stored ciphertext always fails to decrypt."""

from __future__ import annotations

import base64
import random
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from unforgotten.core import crypto, keyring
from unforgotten.core.crypto import DecryptionError
from unforgotten.core.models import DataKey
from unforgotten.policy.sensitivity import Sensitivity
from unforgotten.registry.models import Relationship, Source
from unforgotten.registry.testing import make_sample

PUBLIC_CONTROL = "Musician and campaigner"  # the sample's public summary: proves the copy holds the data


def _secrets_that_must_not_appear(sample: Any) -> list[bytes]:
    sealed = [c.encode() for c, level in sample.canaries.items() if level >= Sensitivity.SEALED]
    assert len(sealed) >= 3
    kek = keyring._ensure_keks()  # noqa: SLF001  (the test holds the key a seizure would lack)
    keys: list[bytes] = []
    for row in DataKey.objects.all():
        dek = kek.unwrap(bytes(row.wrapped))
        keys += [dek, base64.b64encode(dek), base64.urlsafe_b64encode(dek), dek.hex().encode()]
    assert keys
    return sealed + keys


def _scan(blob: bytes, forbidden: list[bytes]) -> list[bytes]:
    return [f for f in forbidden if f in blob]


@pytest.mark.django_db
def test_it_leaves_no_sealed_canary_or_data_key_in_a_copy_of_the_sqlite_database(cast: Any, tmp_path: Path) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite file copy; PostgreSQL is covered by the pg_dump test")
    sample = make_sample(cast)
    forbidden = _secrets_that_must_not_appear(sample)
    copy = tmp_path / "seized.sqlite3"
    connection.ensure_connection()
    # The database file exactly as it would lie on disk (the test database lives in memory).
    raw = connection.connection.serialize()
    copy.write_bytes(raw)
    dump = "\n".join(sqlite3.connect(copy).iterdump()).encode()
    assert PUBLIC_CONTROL.encode() in raw and PUBLIC_CONTROL.encode() in dump
    assert _scan(raw, forbidden) == []
    assert _scan(dump, forbidden) == []


@pytest.mark.django_db(transaction=True)
def test_it_leaves_no_sealed_canary_or_data_key_in_a_pg_dump(cast: Any, tmp_path: Path) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump needs PostgreSQL")
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        pytest.skip("pg_dump is not installed")
    sample = make_sample(cast)  # committed (transactional test), so another connection can dump it
    forbidden = _secrets_that_must_not_appear(sample)
    conf = connection.settings_dict
    cmd = [pg_dump, "--no-owner", "-h", conf["HOST"] or "127.0.0.1", "-p", str(conf["PORT"] or 5432),
           "-U", conf["USER"] or "postgres", conf["NAME"]]
    dump = subprocess.run(cmd, capture_output=True, timeout=120, check=True,
                          env={"PGPASSWORD": conf["PASSWORD"] or "", "PATH": "/usr/bin:/bin"}).stdout
    assert PUBLIC_CONTROL.encode() in dump
    assert _scan(dump, forbidden) == []


@pytest.mark.django_db
def test_it_fails_to_decrypt_any_stored_ciphertext_with_one_flipped_byte(cast: Any) -> None:
    sample = make_sample(cast)
    stored: list[tuple[str, str]] = []
    rel = Relationship.objects.get(pk=sample.relationship_a.pk)
    stored += [(rel.name_sealed, rel.sealed_context("name")), (rel.contact_sealed, rel.sealed_context("contact"))]
    src = Source.objects.get(pk=sample.source_a.pk)
    stored.append((src.identity_sealed, f"registry.source.identity:{src.uuid}"))
    rng = random.Random(2020)
    for trial in range(1000):
        token, context = stored[trial % len(stored)]
        body = token.removeprefix("uf1:")
        raw = bytearray(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        raw[rng.randrange(len(raw))] ^= 1 << rng.randrange(8)
        flipped = "uf1:" + base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()
        with pytest.raises(DecryptionError):
            keyring.unseal_text("sealed-fields", flipped, aad=context)
    # The wrapped data keys themselves: a flipped byte never unwraps.
    ring = keyring._ensure_keks()  # noqa: SLF001
    for row in DataKey.objects.all():
        wrapped = bytes(row.wrapped)
        for _ in range(100):
            damaged = bytearray(wrapped)
            damaged[rng.randrange(len(damaged))] ^= 1 << rng.randrange(8)
            with pytest.raises(crypto.DecryptionError):
                ring.unwrap(bytes(damaged))

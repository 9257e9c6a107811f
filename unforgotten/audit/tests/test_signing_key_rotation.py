"""Rotating the tree-head signing key (issue 5): old heads stay verifiable, a retired key vouches for nothing new."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from unforgotten.audit import log
from unforgotten.audit.actions import record
from unforgotten.audit.models import AuditEvent, LogLeaf, SignedTreeHead
from unforgotten.core import merkle


@pytest.fixture
def keys(tmp_path: Path, settings: Any) -> Iterator[Path]:
    folder = tmp_path / "keys"
    folder.mkdir()
    settings.SIGNING_KEY_FILE = folder / "log-signing.pem"
    settings.SIGNING_PUBLIC_KEYS_FILE = folder / "log-signing.pem.retired"
    log.forget_signing_key()
    yield folder
    log.forget_signing_key()


def _events(n: int) -> None:
    for i in range(n):
        with transaction.atomic():
            record("test.event", object_type="test.thing", object_id=i, changes={"value": [i, i + 1]})


def _verify_log(*args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_log", *args, stdout=out, stderr=err)
        return 0, out.getvalue()
    except SystemExit as exc:
        return int(exc.code or 0), err.getvalue()


@pytest.mark.django_db
def test_it_rotates_the_signing_key_and_old_heads_stay_verifiable(keys: Path, tmp_path: Path, settings: Any) -> None:
    _events(5)
    first = log.sign_tree_head()
    old_key = log.signing_key()
    old_id = merkle.public_key_id(old_key.public_key())
    head_file = tmp_path / "partner-head.json"
    head_file.write_text(log.tree_head_of(first).to_json())  # a partner's copy of an old head

    out = io.StringIO()
    call_command("rotate_signing_key", stdout=out)
    new_id = merkle.public_key_id(log.signing_key().public_key())
    assert new_id != old_id and f"Signing key {old_id} retired" in out.getvalue()
    # The old private key is gone from disk; its public half is in the public-keys file.
    assert merkle.public_key_id(merkle.load_private_key(settings.SIGNING_KEY_FILE).public_key()) == new_id
    assert merkle.public_key_id(merkle.load_public_key(str(settings.SIGNING_KEY_FILE) + ".pub")) == new_id
    retired = log.retired_keys()
    assert [k.key_id for k in retired] == [old_id]
    # Heads: the first, the old key's last one (covering the rotation's audit event), the new key's first.
    heads = list(SignedTreeHead.objects.order_by("id").values_list("key_id", flat=True))
    assert heads == [old_id, old_id, new_id]
    assert AuditEvent.objects.filter(action="audit.rotate_signing_key", object_id=old_id).count() == 1
    _events(3)
    log.sign_tree_head()
    assert log.verify().heads_checked == 4
    assert _verify_log("--tree-head", str(head_file))[0] == 0

    # Without the public-keys file the old heads name an unknown key: refused, not silently accepted.
    kept = Path(settings.SIGNING_PUBLIC_KEYS_FILE)
    settings.SIGNING_PUBLIC_KEYS_FILE = tmp_path / "elsewhere.pem"
    code, err = _verify_log()
    assert code == 1 and f"signed by key {old_id}, which is not a known log key" in err
    # A partner gives the file on the command line.
    code, _out = _verify_log("--public-keys", str(kept), "--tree-head", str(head_file))
    assert code == 0


@pytest.mark.django_db
def test_it_refuses_a_head_signed_by_a_retired_key_after_its_retirement(keys: Path) -> None:
    _events(3)
    log.sign_tree_head()
    old_key = log.signing_key()
    log.rotate_signing_key()
    _events(2)
    acc = merkle.CompactRange()
    acc.extend(bytes(h) for h in LogLeaf.objects.order_by("index").values_list("leaf_hash", flat=True))
    with time_machine.travel("2099-01-01 00:00 +0000"):
        # Someone who kept (or stole) the retired key signs the current log later on.
        forged = merkle.sign_tree_head(old_key, acc.size, acc.root())
    SignedTreeHead.objects.create(tree_size=forged.tree_size, root_hash=forged.root_hash, timestamp=forged.timestamp,
                                  signature=forged.signature, key_id=forged.key_id, created=timezone.now())
    with pytest.raises(log.LogProblem, match="after that key was retired"):
        log.verify()


def test_it_reads_public_keys_files_strictly() -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate().public_key()
    pem = key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    key_id = merkle.public_key_id(key)
    good = f"# comment\n# key-id: {key_id} retired: 2026-12-05T01:30:00.25Z\n{pem}"
    assert [(k.key_id, k.retired) for k in log.read_public_keys(good)] == [(key_id, "2026-12-05T01:30:00.25Z")]
    with pytest.raises(ValueError, match="not 0000"):
        log.read_public_keys(good.replace(key_id, "0000000000000000"))
    with pytest.raises(ValueError, match="without its"):
        log.read_public_keys(pem)
    with pytest.raises(ValueError, match="UTC time"):
        log.read_public_keys(good.replace("2026-12-05T01:30:00.25Z", "yesterday"))

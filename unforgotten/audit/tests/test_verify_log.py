"""`unforgotten verify-log` (T8): every edit, deletion, insertion, reorder or truncation is detected
and the first bad entry is named."""

from __future__ import annotations

import io
import random
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.db import connection, transaction

from unforgotten.audit import log
from unforgotten.audit.actions import record
from unforgotten.audit.models import AuditEvent, LogLeaf, SignedTreeHead
from unforgotten.core import append_only, merkle


def _fill(n: int, sign_every: int = 0) -> None:
    for i in range(n):
        with transaction.atomic():
            record("test.event", object_type="test.thing", object_id=i, reason=f"because {i}",
                   changes={"value": [i, i + 1], "text": ["é", "ü"]})
        if sign_every and (i + 1) % sign_every == 0:
            log.sign_tree_head()


def _run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_log", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_it_passes_an_intact_log_and_prints_size_and_root(tmp_path: Path) -> None:
    _fill(12, sign_every=5)
    head = log.sign_tree_head()
    call_command("export_tree_head", out=str(tmp_path / "head.json"), stdout=io.StringIO())
    code, out, err = _run("--tree-head", str(tmp_path / "head.json"))
    assert code == 0, err
    assert f"size {head.tree_size}, root {bytes(head.root_hash).hex()}" in out


@pytest.mark.django_db
def test_it_refuses_a_partner_head_that_the_log_does_not_match(tmp_path: Path) -> None:
    _fill(4)
    key = log.signing_key()
    forged = merkle.sign_tree_head(key, 4, merkle.leaf_hash(b"another history"))
    (tmp_path / "forged.json").write_text(forged.to_json())
    code, _, err = _run("--tree-head", str(tmp_path / "forged.json"))
    assert code == 1 and "root differs" in err
    stranger = merkle.sign_tree_head(Ed25519PrivateKey.generate(), 4, merkle.EMPTY_ROOT)
    (tmp_path / "stranger.json").write_text(stranger.to_json())
    code, _, err = _run("--tree-head", str(tmp_path / "stranger.json"))
    assert code == 1 and "not a known log key" in err
    (tmp_path / "bad.json").write_text("{}")
    assert _run("--tree-head", str(tmp_path / "bad.json"))[0] == 2


def _exported() -> tuple[list[log.Entry], list[tuple[str, merkle.TreeHead]]]:
    entries = list(log._db_entries({}))  # noqa: SLF001  (an exported copy of the log)
    heads = [(f"head {h.tree_size}", log.tree_head_of(h)) for h in SignedTreeHead.objects.order_by("id")]
    return entries, heads


def _mutations(entries: list[log.Entry], rng: random.Random) -> Iterator[tuple[str, list[log.Entry], int]]:
    """Random single mutations with the index of the first entry they break."""
    n = len(entries)
    while True:
        kind = rng.choice(("edit", "edit-hash", "delete", "reorder", "truncate"))
        copy = list(entries)
        if kind == "edit":
            i = rng.randrange(n)
            payload = bytearray(copy[i].payload or b"")
            payload[rng.randrange(len(payload))] ^= 1 << rng.randrange(8)
            copy[i] = replace(copy[i], payload=bytes(payload))
            yield kind, copy, i
        elif kind == "edit-hash":
            i = rng.randrange(n)
            h = bytearray(copy[i].leaf_hash)
            h[rng.randrange(len(h))] ^= 1 << rng.randrange(8)
            copy[i] = replace(copy[i], leaf_hash=bytes(h))
            yield kind, copy, i
        elif kind == "delete":
            i = rng.randrange(n)
            del copy[i]
            yield kind, copy, i
        elif kind == "reorder":
            i, j = sorted(rng.sample(range(n), 2))
            copy[i], copy[j] = copy[j], copy[i]
            yield kind, copy, i
        else:
            keep = rng.randrange(n)
            yield kind, copy[:keep], keep


@pytest.mark.django_db
def test_it_detects_ten_thousand_random_mutations_and_names_the_first_bad_entry() -> None:
    _fill(60, sign_every=20)  # signed heads at 20, 40 and 60
    entries, heads = _exported()
    keys = log.known_keys()
    assert log.check_entries(entries, heads, keys)[0] == 60
    rng = random.Random(8)
    seen: dict[str, int] = {}
    for _, (kind, mutated, first_bad), in zip(range(10_000), _mutations(entries, rng), strict=False):
        with pytest.raises(log.LogProblem) as problem:
            log.check_entries(mutated, heads, keys)
        assert problem.value.index == first_bad, (kind, str(problem.value))
        seen[kind] = seen.get(kind, 0) + 1
    assert set(seen) == {"edit", "edit-hash", "delete", "reorder", "truncate"}
    assert sum(seen.values()) == 10_000  # speed is the benchmarks' business, not a test's


@pytest.fixture
def tamperable(db: Any) -> Iterator[None]:
    """Drop the append-only triggers inside this test's transaction (rolled back afterwards)."""
    tables = ["audit_auditevent", "audit_logleaf", "audit_signedtreehead"]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(append_only.pg_down(tables))
        else:
            for statement in append_only.sqlite_down(tables):
                cursor.execute(statement)
    yield


def _failure() -> tuple[int, str]:
    code, _, err = _run()
    assert code == 1, err
    return code, err


def _leaf(index: int) -> LogLeaf:
    return LogLeaf.objects.get(index=index)


@pytest.mark.django_db
def test_it_names_the_entry_when_an_audit_row_is_edited_in_the_database(tamperable: None) -> None:
    _fill(10, sign_every=10)
    victim = _leaf(6)
    AuditEvent.objects.filter(pk=int(victim.ref)).update(reason="nothing happened")
    _, err = _failure()
    assert f"entry 6 (audit {victim.ref})" in err and "altered" in err


@pytest.mark.django_db
def test_it_names_the_entry_when_an_audit_row_is_deleted_or_inserted(tamperable: None) -> None:
    _fill(10, sign_every=10)
    victim = _leaf(3)
    AuditEvent.objects.filter(pk=int(victim.ref)).delete()
    _, err = _failure()
    assert f"entry 3 (audit {victim.ref})" in err and "missing" in err


@pytest.mark.django_db
def test_it_names_an_event_inserted_without_a_leaf(tamperable: None) -> None:
    _fill(5, sign_every=5)
    sneaked = AuditEvent.objects.create(at=AuditEvent.objects.latest("id").at, action="test.sneaked")
    _, err = _failure()
    assert f"entry 5 (audit {sneaked.pk})" in err and "no leaf" in err


@pytest.mark.django_db
def test_it_detects_reordered_rewritten_and_truncated_leaves(tamperable: None) -> None:
    _fill(12, sign_every=4)
    a, b = _leaf(5), _leaf(9)
    LogLeaf.objects.filter(index=5).update(leaf_hash=bytes(b.leaf_hash))
    LogLeaf.objects.filter(index=9).update(leaf_hash=bytes(a.leaf_hash))
    _, err = _failure()
    assert "entry 5" in err
    LogLeaf.objects.filter(index=5).update(leaf_hash=bytes(a.leaf_hash))
    LogLeaf.objects.filter(index=9).update(leaf_hash=bytes(b.leaf_hash))
    assert _run()[0] == 0
    # An attacker who rewrites an event AND its leaf hash is caught by the signed heads.
    victim = _leaf(6)
    AuditEvent.objects.filter(pk=int(victim.ref)).update(reason="rewritten")
    LogLeaf.objects.filter(index=6).update(
        leaf_hash=merkle.leaf_hash(log.audit_entry(AuditEvent.objects.get(pk=int(victim.ref)))))
    _, err = _failure()
    assert "entry 4" in err and "root differs" in err  # the first entry after the last good head


@pytest.mark.django_db
def test_it_detects_a_truncated_log(tamperable: None) -> None:
    _fill(12, sign_every=4)
    for leaf in LogLeaf.objects.filter(index__gte=10):
        AuditEvent.objects.filter(pk=int(leaf.ref)).delete()
    LogLeaf.objects.filter(index__gte=10).delete()
    _, err = _failure()
    assert "entry 10" in err and "truncated" in err

"""The tamper-evident log: dense leaves in commit order, signed heads, proofs against the stored log (T8)."""

from __future__ import annotations

import io
import json
import threading
from typing import Any

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, connections, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from unforgotten.audit import log
from unforgotten.audit.actions import record
from unforgotten.audit.models import AuditEvent, LogLeaf, SignedTreeHead
from unforgotten.core import merkle


def _record(n: int, **extra: Any) -> list[AuditEvent]:
    out = []
    for i in range(n):
        with transaction.atomic():
            out.append(record("test.event", object_type="test.thing", object_id=i, reason=f"reason {i}", **extra))
    return out


@pytest.mark.django_db
def test_it_appends_one_dense_leaf_per_audit_event_with_its_canonical_bytes() -> None:
    start = LogLeaf.objects.count()
    events = _record(3, changes={"name": ["Алесь", "Ales"], "n": [1.5, None], "nested": [{"b": 1, "a": [2]}, "x"]})
    leaves = list(LogLeaf.objects.filter(index__gte=start).order_by("index"))
    assert [leaf.index for leaf in leaves] == [start, start + 1, start + 2]
    for event, leaf in zip(events, leaves, strict=True):
        stored = AuditEvent.objects.get(pk=event.pk)  # as read back from the database
        assert (leaf.kind, leaf.ref) == ("audit", str(event.pk))
        assert bytes(leaf.leaf_hash) == merkle.leaf_hash(log.audit_entry(stored)) == merkle.leaf_hash(log.audit_entry(event))
    entry = json.loads(log.audit_entry(events[0]))
    assert entry["v"] == 1 and entry["kind"] == "audit" and entry["id"] == events[0].pk


@pytest.mark.django_db
def test_it_reuses_the_index_of_a_rolled_back_transaction() -> None:
    _record(1)
    size = LogLeaf.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        record("test.doomed")
        raise RuntimeError("the action failed")
    _record(1)
    assert list(LogLeaf.objects.order_by("index").values_list("index", flat=True)) == list(range(size + 1))
    assert log.verify().size == size + 1


@pytest.mark.django_db
def test_it_refuses_update_and_delete_of_leaves_and_tree_heads() -> None:
    _record(1)
    log.sign_tree_head()
    for sql in ("UPDATE audit_logleaf SET kind = 'x'", "DELETE FROM audit_logleaf",
                "UPDATE audit_signedtreehead SET tree_size = 0", "DELETE FROM audit_signedtreehead"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert LogLeaf.objects.exists() and SignedTreeHead.objects.exists()


@pytest.mark.django_db
def test_it_signs_exports_and_verifies_tree_heads(tmp_path: Any) -> None:
    _record(5)
    out = io.StringIO()
    call_command("sign_tree_head", stdout=out)
    assert "Signed tree head: size" in out.getvalue()
    row = SignedTreeHead.objects.latest("id")
    head = log.tree_head_of(row)
    assert merkle.verify_tree_head(head, log.public_key())
    acc = merkle.CompactRange()
    acc.extend(bytes(h) for h in LogLeaf.objects.order_by("index").values_list("leaf_hash", flat=True))
    assert (head.tree_size, head.root_hash) == (acc.size, acc.root())
    call_command("export_tree_head", out=str(tmp_path / "head.json"), stdout=io.StringIO())
    exported = merkle.TreeHead.from_json((tmp_path / "head.json").read_text())
    assert exported == head and exported.key_id == merkle.public_key_id(log.public_key())
    call_command("export_public_key", out=str(tmp_path / "log.pub"), stdout=io.StringIO())
    assert merkle.verify_tree_head(exported, merkle.load_public_key(tmp_path / "log.pub"))


@pytest.mark.django_db
def test_it_signs_on_a_schedule_through_the_tasks_framework() -> None:
    from unforgotten.audit.tasks import sign_tree_head

    _record(2)
    before = SignedTreeHead.objects.count()
    result = sign_tree_head.enqueue()  # the immediate backend in tests
    assert result.return_value["tree_size"] == LogLeaf.objects.count()
    assert SignedTreeHead.objects.count() == before + 1


@pytest.fixture
def stored_log(db: Any) -> tuple[int, list[bytes]]:
    """A stored log of 150 leaves (audit events and another kind)."""
    with transaction.atomic():
        for i in range(150):
            if i % 3:
                record("test.event", object_id=i)
            else:
                log.append_leaf("custody", f"custody entry {i}".encode(), ref=f"c{i}")
    hashes = [bytes(h) for h in LogLeaf.objects.order_by("index").values_list("leaf_hash", flat=True)]
    return len(hashes), hashes


def _root(hashes: list[bytes]) -> bytes:
    acc = merkle.CompactRange()
    acc.extend(hashes)
    return acc.root()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_it_proves_inclusion_and_consistency_against_the_stored_log(stored_log: tuple[int, list[bytes]],
                                                                    data: st.DataObject) -> None:
    size, hashes = stored_log
    new = data.draw(st.integers(1, size), label="tree size")
    old = data.draw(st.integers(0, new), label="old size")
    index = data.draw(st.integers(0, new - 1), label="leaf index")
    new_root, old_root = _root(hashes[:new]), _root(hashes[:old])
    path = log.inclusion_proof(index, new)
    assert merkle.verify_inclusion(log.leaf_hash_at(index), index, new, path, new_root)
    other = (index + 1) % new
    if hashes[other] != hashes[index]:
        assert not merkle.verify_inclusion(hashes[other], index, new, path, new_root)
    proof = log.consistency_proof(old, new)
    assert merkle.verify_consistency(old, new, old_root, new_root, proof)
    if 0 < old < new:
        assert not merkle.verify_consistency(old, new, merkle.leaf_hash(b"forged"), new_root, proof)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_keeps_leaves_dense_and_in_event_order_under_concurrent_transactions() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def writer(n: int) -> None:
        try:
            barrier.wait()
            for i in range(15):
                try:
                    with transaction.atomic():
                        record("test.concurrent", object_id=f"{n}-{i}")
                        if i % 5 == 4:
                            raise RuntimeError("rolled back")
                except RuntimeError:
                    pass
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    leaves = list(LogLeaf.objects.order_by("index").values_list("index", "ref"))
    assert [i for i, _ in leaves] == list(range(len(leaves)))
    refs = [int(r) for _, r in leaves]
    assert refs == sorted(refs)  # event ids follow the log's order
    assert len(leaves) == AuditEvent.objects.count()
    log.sign_tree_head()
    assert log.verify().size == len(leaves)


@pytest.mark.django_db
def test_it_generates_a_signing_key_once_and_never_overwrites_it(tmp_path: Any) -> None:
    from django.core.management import CommandError
    from django.test import override_settings

    with override_settings(SIGNING_KEY_FILE=tmp_path / "sign.pem"):
        call_command("sign_tree_head", generate_key=True, stdout=io.StringIO())
        assert (tmp_path / "sign.pem").stat().st_mode & 0o077 == 0
        first = (tmp_path / "sign.pem").read_bytes()
        with pytest.raises(CommandError, match="refusing to overwrite"):
            call_command("sign_tree_head", generate_key=True, stdout=io.StringIO())
        assert (tmp_path / "sign.pem").read_bytes() == first

"""T9 scaled to 200 files (issue 5): client hashes hold, fixity passes, then exactly the corrupted items are flagged."""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.core import mail

from unforgotten.audit import log
from unforgotten.audit.models import AuditEvent
from unforgotten.evidence import fixity, store
from unforgotten.evidence.models import CustodyEvent, EvidenceItem
from unforgotten.evidence.tests.helpers import client_for, post_file, sha
from unforgotten.registry.testing import make_sample

NAMES = ["report.pdf", "фото суда.jpg", "شهادة.txt", "../odd name.txt", "tab\tname.txt", "a" * 250 + ".bin"]


@pytest.mark.django_db
@pytest.mark.slow
def test_it_ingests_200_files_passes_fixity_and_then_flags_exactly_the_corrupted_ones(
        cast: Any, django_capture_on_commit_callbacks: Any) -> None:
    sample = make_sample(cast)
    sample.person_a.case_team.add(cast.amal)
    amal = client_for(cast.amal, sudo=True)
    rng = random.Random(9)
    sent: dict[str, bytes] = {}
    for i in range(200):
        size = rng.choice([1, 17, 1000, 65_536, 300_000, 1_048_576 + 3]) + i
        data = rng.randbytes(size)
        response = post_file(amal, sample.person_a, NAMES[i % len(NAMES)], data, sha256=sha(data), title=f"Item {i}")
        assert response.status_code == 302, i
        sent[response["Location"].rstrip("/").rsplit("/", 1)[-1]] = data
    items = list(EvidenceItem.objects.order_by("id"))
    assert len(items) == 200
    assert all(item.sha256 == item.client_sha256 == sha(sent[str(item.uuid)]) for item in items)
    # Downloads give back the very bytes (a sample of 20: each download is a full decrypt).
    for item in items[:: 10]:
        response = amal.post(f"/work/evidence/items/{item.uuid}/download/", {"reason": "check"})
        assert sha(b"".join(response.streaming_content)) == item.sha256  # type: ignore[attr-defined]

    report = fixity.check_all()
    assert report.checked == 200 and report.failed == []

    # One flipped byte in one stored ciphertext, and one edited hash in one database record.
    bad_file, bad_record = items[37], items[141]
    path = store.object_path(bad_file.storage_name)
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    path.write_bytes(bytes(raw))
    flipped = bad_record.sha256[:10] + ("0" if bad_record.sha256[10] != "0" else "1") + bad_record.sha256[11:]
    EvidenceItem.objects.filter(pk=bad_record.pk).update(sha256=flipped)

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report = fixity.check_all()
    assert report.checked == 200
    assert sorted(report.failed) == sorted([str(bad_file.uuid), str(bad_record.uuid)])
    assert EvidenceItem.objects.filter(last_fixity_ok=False).count() == 2
    failures = AuditEvent.objects.filter(action="evidence.fixity_failed")
    assert sorted(failures.values_list("object_id", flat=True)) == sorted([str(bad_file.pk), str(bad_record.pk)])
    assert CustodyEvent.objects.filter(action="hash_verified").count() == 200 + 198
    assert CustodyEvent.objects.filter(action="hash_failed").count() == 2
    # The organisation's admin (Dana) is told, twice, without file names or titles.
    assert len(mail.outbox) == 2 and all(m.to == [cast.dana.email] for m in mail.outbox)
    assert all("Item " not in m.body and "odd name" not in m.body for m in mail.outbox)
    assert log.verify().size > 0  # custody events and audit events all verify in the Merkle log


@pytest.mark.django_db
def test_verify_log_names_an_altered_custody_event(cast: Any) -> None:
    from django.db import connection

    sample = make_sample(cast)
    post_file(client_for(cast.amal), sample.person_a, "a.txt", b"hello\n")
    event = CustodyEvent.objects.get()
    with connection.cursor() as cursor:
        # An attacker who can drop the trigger and edit the row (the log's hash stays as it was).
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER evidence_custodyevent_no_update")
        else:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # flush the deferred FK checks first
            cursor.execute("DROP TRIGGER evidence_custodyevent_no_update ON evidence_custodyevent")
        cursor.execute("UPDATE evidence_custodyevent SET purpose = 'rewritten' WHERE id = %s", [event.pk])
    with pytest.raises(log.LogProblem) as problem:
        log.verify()
    assert f"custody {event.pk}" in str(problem.value)

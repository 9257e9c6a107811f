"""A fixity mismatch raises an alert: an audit event and an e-mail to the coordinators, through the outbox."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine

from unforgotten.audit.models import AuditEvent
from unforgotten.core.models import OutboxMessage
from unforgotten.evidence import fixity, store
from unforgotten.evidence.models import EvidenceItem
from unforgotten.evidence.tests.helpers import client_for, post_file, put_on_team
from unforgotten.registry.testing import make_sample

NAME = "CANARYALERTNAMEz2"


def _corrupt(item: EvidenceItem) -> None:
    path = store.object_path(item.storage_name)
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0x40
    path.write_bytes(bytes(raw))


@pytest.mark.django_db
def test_it_mails_the_coordinators_through_the_outbox_when_a_file_fails_its_fixity_check(
        cast: Any, smtp_server: Any, django_capture_on_commit_callbacks: Any) -> None:
    sample = make_sample(cast)
    put_on_team(sample.person_a, cast.amal, cast)
    amal = client_for(cast.amal)
    assert post_file(amal, sample.person_a, f"{NAME}.txt", b"witness statement\n" * 100, title="Statement").status_code == 302
    assert post_file(amal, sample.person_a, "other.txt", b"another file\n", title="Other").status_code == 302
    item = EvidenceItem.objects.get(title="Statement")
    with django_capture_on_commit_callbacks(execute=True):
        assert fixity.check_all().failed == []
    assert smtp_server.messages == []  # the control: a clean run tells nobody anything

    _corrupt(item)
    with time_machine.travel("2026-12-07 03:00 +0000", tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            report = fixity.check_all()
        assert report.failed == [str(item.uuid)]
        event = AuditEvent.objects.get(action="evidence.fixity_failed")
        assert event.object_id == str(item.pk) and "cannot be decrypted" in event.reason
        message = OutboxMessage.objects.get(kind="evidence.fixity_failed")
        assert message.organisation_id == cast.org_a.pk and message.state == OutboxMessage.State.SENT
        # Delivered by SMTP to the coordinators (Dana, Org A's admin), naming the item by id only.
        assert [e[1] for e in smtp_server.envelopes] == [[cast.dana.email]]
        mail = smtp_server.messages[0]
        body = mail.get_payload(decode=True).decode() if not mail.is_multipart() else str(mail)
        assert str(mail["Subject"]) == "[Unforgotten] Evidence fixity check FAILED"
        assert str(item.uuid) in body and NAME not in str(mail) and "Statement" not in str(mail)
        # A re-run the same day records the failure again but does not mail it again.
        with django_capture_on_commit_callbacks(execute=True):
            assert fixity.check_all().failed == [str(item.uuid)]
        assert AuditEvent.objects.filter(action="evidence.fixity_failed").count() == 2
        assert len(smtp_server.messages) == 1
    with time_machine.travel("2026-12-08 03:00 +0000", tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            fixity.check_all()
        assert len(smtp_server.messages) == 2  # the next day, still damaged: told again

"""The outbox: a message exists exactly when its cause committed, leaves through real SMTP or a
signed webhook, survives a dead worker and a receiver that is down, and is wiped once sent."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import timezone

from unforgotten.core import outbox
from unforgotten.core.models import OutboxMessage

pytestmark = pytest.mark.django_db


def _queue_mail(**extra: Any) -> OutboxMessage:
    with transaction.atomic():
        return outbox.enqueue_email(kind="test.hello", to=["signer@example.net"], subject="Please confirm",
                                    body="Confirm here: https://example.org/c/token-123", **extra)


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_queue_outside_a_transaction() -> None:
    with pytest.raises(outbox.OutsideTransaction):
        outbox.enqueue_email(kind="test.hello", to=["a@example.net"], subject="s", body="b")


def test_it_keeps_no_message_when_its_cause_rolls_back() -> None:
    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        outbox.enqueue_email(kind="test.hello", to=["a@example.net"], subject="s", body="b")
        raise Boom
    assert OutboxMessage.objects.count() == 0


def test_it_stores_the_content_encrypted_while_it_waits() -> None:
    message = _queue_mail()
    with connection.cursor() as cursor:
        cursor.execute("SELECT payload FROM core_outboxmessage WHERE id = %s", [message.pk])
        raw = bytes(cursor.fetchone()[0])
    assert b"signer@example.net" not in raw and b"token-123" not in raw
    assert message.state == "pending"


def test_it_sends_through_a_real_smtp_server_and_wipes_the_content(smtp_server: Any) -> None:
    message = _queue_mail()
    report = outbox.deliver_due()
    assert report.sent == 1
    assert smtp_server.envelopes[0][1] == ["signer@example.net"]
    received = smtp_server.messages[0]
    assert received["Subject"] == "Please confirm"
    assert received["Message-ID"] == f"<{message.uuid}@127.0.0.1>"
    assert "token-123" in smtp_server.bodies()[0]
    message.refresh_from_db()
    assert message.state == "sent" and message.sent_at is not None and bytes(message.payload) == b""
    # Nothing is due any more: a second run sends nothing.
    assert outbox.deliver_due().sent == 0 and len(smtp_server.messages) == 1


def test_it_retries_with_backoff_while_the_mail_server_refuses_then_gives_up(smtp_server: Any) -> None:
    smtp_server.refuse = True
    message = _queue_mail(max_attempts=3)
    assert outbox.deliver_due().retried == 1
    message.refresh_from_db()
    assert message.state == "pending" and message.attempts == 1
    assert message.next_attempt_at > timezone.now() + timedelta(seconds=25)
    assert "content" not in message.last_error and message.last_error
    # Not due yet: nothing is attempted.
    assert outbox.deliver_due().retried == 0
    later = timezone.now() + timedelta(hours=1)
    assert outbox.deliver_due(now=later).retried == 1
    assert outbox.deliver_due(now=later + timedelta(hours=1)).failed == 1
    message.refresh_from_db()
    assert message.state == "failed" and message.attempts == 3
    # The operator fixes the server and re-queues.
    smtp_server.refuse = False
    assert outbox.retry_failed() == 1
    assert outbox.deliver_due().sent == 1 and len(smtp_server.messages) == 1


def test_it_does_not_let_two_workers_send_the_same_message(smtp_server: Any) -> None:
    message = _queue_mail()
    now = timezone.now()
    token, claimed = outbox._claim(10, now)  # a worker claims, then dies before sending
    assert [m.pk for m in claimed] == [message.pk]
    # While its lease holds, another worker finds nothing to do.
    assert outbox.deliver_due(now=now + timedelta(minutes=1)).sent == 0
    # After the lease expires the message is sent by the second worker...
    assert outbox.deliver_due(now=now + outbox.LEASE + timedelta(seconds=1)).sent == 1
    # ...and the dead worker's claim can no longer mark anything.
    stale = OutboxMessage.objects.filter(pk=message.pk, lease_token=token).count()
    assert stale == 0
    assert len(smtp_server.messages) == 1


def test_it_returns_the_same_message_for_the_same_dedupe_key() -> None:
    first = _queue_mail(dedupe_key="signature:42:confirm")
    second = _queue_mail(dedupe_key="signature:42:confirm")
    assert first.pk == second.pk and OutboxMessage.objects.count() == 1


def test_it_signs_webhooks_and_the_receiver_can_verify_them(webhook_receiver: Any) -> None:
    with transaction.atomic():
        message = outbox.enqueue_webhook(kind="alerts.raised", url=webhook_receiver.url,
                                         payload={"alert": "A-1", "severity": "critical"}, secret="s3cret")
    assert outbox.deliver_due().sent == 1
    path, headers, body = webhook_receiver.requests[0]
    assert json.loads(body) == {"alert": "A-1", "severity": "critical"}
    assert headers[outbox.DELIVERY_HEADER] == str(message.uuid)
    assert headers[outbox.EVENT_HEADER] == "alerts.raised"
    signature = headers[outbox.SIGNATURE_HEADER]
    assert outbox.verify_signature("s3cret", signature, body)
    assert not outbox.verify_signature("wrong", signature, body)
    assert not outbox.verify_signature("s3cret", signature, body + b" ")
    # A replayed signature from long ago is refused.
    assert not outbox.verify_signature("s3cret", signature, body, now=10**10)


def test_it_retries_a_webhook_whose_receiver_is_down_and_never_follows_redirects(webhook_receiver: Any) -> None:
    with transaction.atomic():
        message = outbox.enqueue_webhook(kind="alerts.raised", url=webhook_receiver.url,
                                         payload={"alert": "A-2"}, secret="k")
    webhook_receiver.status = 503
    assert outbox.deliver_due().retried == 1
    message.refresh_from_db()
    assert message.last_error == "HTTP 503"
    webhook_receiver.status = 302
    assert outbox.deliver_due(now=timezone.now() + timedelta(hours=1)).retried == 1
    message.refresh_from_db()
    assert message.last_error == "HTTP 302"
    webhook_receiver.status = 200
    assert outbox.deliver_due(now=timezone.now() + timedelta(hours=3)).sent == 1
    # Every attempt carried the same delivery id, so the receiver can drop repeats.
    assert {h[outbox.DELIVERY_HEADER] for _p, h, _b in webhook_receiver.requests} == {str(message.uuid)}


def test_it_retries_a_webhook_whose_receiver_is_not_listening() -> None:
    with transaction.atomic():
        outbox.enqueue_webhook(kind="alerts.raised", url="http://127.0.0.1:9/hook", payload={}, secret="k")
    assert outbox.deliver_due().retried == 1


@pytest.mark.django_db(transaction=True)
def test_it_delivers_right_after_the_commit(smtp_server: Any) -> None:
    # With the immediate task backend of the tests, the on-commit kick sends at once.
    _queue_mail()
    assert len(smtp_server.messages) == 1
    assert OutboxMessage.objects.get().state == "sent"

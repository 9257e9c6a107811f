"""Signed webhooks to coalition systems (issue 9, item 1): HMAC verified by a real receiver on loopback,
the coalition projection only, and a receiver that is down never loses the event nor blocks the request."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from unforgotten.alerts import actions
from unforgotten.alerts.models import WebhookSubscription
from unforgotten.alerts.testing import CANARY_NOTES, CANARY_SUMMARY
from unforgotten.core import outbox
from unforgotten.core.models import OutboxMessage

pytestmark = pytest.mark.django_db


def _raise(cast: Any, sample: Any) -> Any:
    return actions.do_raise_alert(case=sample.case_a, data={
        "kind": "incommunicado", "severity": "critical", "summary": CANARY_SUMMARY, "internal_notes": CANARY_NOTES},
        acting_user=cast.amal)


def test_it_signs_each_step_and_the_receiver_verifies_the_signature(cast: Any, sample: Any,
                                                                   webhook_receiver: Any) -> None:
    _sub, secret = actions.do_add_webhook(organisation=cast.org_a, label="Phone tree", url=webhook_receiver.url,
                                          acting_user=cast.dana)
    alert = _raise(cast, sample)
    actions.do_move_alert(alert=alert, to="verified", acting_user=cast.dana)
    assert outbox.deliver_due().sent == 3  # one e-mail to Cleo, the coordinator (nobody on call), two webhooks
    assert len(webhook_receiver.requests) == 2
    for _path, headers, body in webhook_receiver.requests:
        assert outbox.verify_signature(secret, headers[outbox.SIGNATURE_HEADER], body)
        assert not outbox.verify_signature("whsec_wrong", headers[outbox.SIGNATURE_HEADER], body)
        assert not outbox.verify_signature(secret, headers[outbox.SIGNATURE_HEADER], body + b" ")
    payloads = [json.loads(body) for _p, _h, body in webhook_receiver.requests]
    assert [p["event"] for p in payloads] == ["alert.raised", "alert.verified"]
    assert payloads[1]["alert"]["state"] == "verified" and payloads[1]["alert"]["verified_at"]
    assert payloads[0]["person"]["display_name"] == "Maryia Kalesnikava"
    everything = b"".join(body for _p, _h, body in webhook_receiver.requests).decode()
    # Internal summary, restricted notes and every registry canary above coalition stay home.
    assert CANARY_SUMMARY not in everything and CANARY_NOTES not in everything
    assert not [c for c in sample.canaries if c in everything]


def test_it_shows_the_secret_once_and_keeps_it_sealed(cast: Any) -> None:
    sub, secret = actions.do_add_webhook(organisation=cast.org_a, label="Phone tree",
                                         url="https://coalition.example/hook", acting_user=cast.dana)
    assert secret.startswith("whsec_") and sub.signing_secret() == secret
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret_sealed FROM alerts_webhooksubscription WHERE id = %s", [sub.pk])
        stored = cursor.fetchone()[0]
    assert secret not in stored


def test_it_refuses_a_webhook_address_that_is_not_http(cast: Any) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        actions.do_add_webhook(organisation=cast.org_a, label="x", url="ftp://example.org/", acting_user=cast.dana)
    assert "url" in caught.value.message_dict
    assert WebhookSubscription.objects.count() == 0


def test_it_never_blocks_nor_loses_the_event_while_the_receiver_is_down(cast: Any, sample: Any,
                                                                        webhook_receiver: Any) -> None:
    _sub, secret = actions.do_add_webhook(organisation=cast.org_a, label="Phone tree", url=webhook_receiver.url,
                                          acting_user=cast.dana)
    webhook_receiver.status = 503
    started = time.monotonic()
    _raise(cast, sample)
    assert time.monotonic() - started < 2  # raising only writes a row: nothing waits for the receiver
    message = OutboxMessage.objects.get(channel="webhook")
    assert outbox.deliver_due().retried == 1
    message.refresh_from_db()
    assert message.state == "pending" and message.attempts == 1 and message.next_attempt_at > timezone.now()
    assert outbox.deliver_due().retried == 0  # backing off: not tried again at once
    assert outbox.deliver_due(now=timezone.now() + timedelta(minutes=2)).retried == 1
    webhook_receiver.status = 200
    assert outbox.deliver_due(now=timezone.now() + timedelta(hours=1)).sent == 1
    deliveries = {h[outbox.DELIVERY_HEADER] for _p, h, _b in webhook_receiver.requests}
    assert deliveries == {str(message.uuid)}  # the same event each time: the receiver can deduplicate
    _p, headers, body = webhook_receiver.requests[-1]
    assert outbox.verify_signature(secret, headers[outbox.SIGNATURE_HEADER], body)


def test_it_stops_telling_a_deactivated_subscription(cast: Any, sample: Any, webhook_receiver: Any) -> None:
    sub, _secret = actions.do_add_webhook(organisation=cast.org_a, label="Phone tree", url=webhook_receiver.url,
                                          acting_user=cast.dana)
    actions.do_deactivate_webhook(subscription=sub, acting_user=cast.dana)
    _raise(cast, sample)
    assert OutboxMessage.objects.filter(channel="webhook").count() == 0

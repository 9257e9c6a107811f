"""Sample alerts for tests, the authorization matrix and the API fuzz test, built through the action functions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import timezone

from unforgotten.alerts import actions
from unforgotten.alerts.models import Alert, OnCallShift, WebhookSubscription

CANARY_NOTES = "CANARY-alert-internal-notes-restricted"
CANARY_SUMMARY = "CANARY-alert-summary-internal"


@dataclass
class AlertSample:
    alert: Alert
    published: Alert
    shift: OnCallShift
    webhook: WebhookSubscription
    secret: str


def make_alerts_sample(cast: Any, sample: Any, *, webhook_url: str = "http://127.0.0.1:9/hook") -> AlertSample:
    """An open critical alert with canaries, a published urgent action, Amal on call and a webhook."""
    now = timezone.now()
    shift = actions.do_add_shift(organisation=cast.org_a, user=cast.amal, starts_at=now - timedelta(hours=1),
                                 ends_at=now + timedelta(days=7), acting_user=cast.dana)
    webhook, secret = actions.do_add_webhook(organisation=cast.org_a, label="Coalition phone tree", url=webhook_url,
                                             acting_user=cast.dana)
    alert = actions.do_raise_alert(case=sample.case_a, data={
        "kind": "hunger_strike", "severity": "critical", "summary": CANARY_SUMMARY,
        "internal_notes": CANARY_NOTES}, acting_user=cast.amal)
    published = actions.do_raise_alert(case=sample.case_a, data={
        "kind": "transfer", "severity": "high", "summary": "Moved at night, family not told.",
        "internal_notes": CANARY_NOTES + "-2"}, acting_user=cast.amal)
    published = actions.do_move_alert(alert=published, to="verified", acting_user=cast.dana)
    actions.do_save_public_text(alert=published, language="en", data={
        "title": "Activist faces detention and travel ban",
        "situation": "She was moved to an unknown place on Monday night.",
        "what_to_do": "Write to the prosecutor asking where she is held."}, acting_user=cast.dana)
    published = actions.do_publish_alert(alert=published, acting_user=cast.dana)
    return AlertSample(alert, published, shift, webhook, secret)

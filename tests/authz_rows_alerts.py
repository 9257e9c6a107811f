"""Matrix rows for urgent alerts and monitoring (issue 9, items 1, 2 and 6), written from the persona sentences.

Readers of Org A (Amal, Bilal, Dana, Vera, Cleo) see its alerts and a prisoner's monitoring; members
of any organisation (Chris too, for his own) see the board, the monitoring list and a facility's
conditions. Raising an alert is for anyone who records about cases and for coordinators (Amal,
Bilal, Dana, Cleo; Chris for Org B's cases, so the empty form answers him too); moving an alert
along is for caseworkers, reviewers, admins and the coordinator of Org A (Amal, Bilal, Dana, Cleo);
logging contacts, health, rules and conditions is case work (Amal, Bilal, Dana; Chris for Org B's
facilities' conditions); the public urgent action is for those who publish (Bilal, Dana); the
on-call roster, the webhook subscriptions and the escalation limits for the organisation's admin
(Dana). The matrix sends no body: an allowed form
answers 400 (pages) or 422 (API); removing a shift or switching a subscription off needs none.
The public urgent actions answer everyone.
"""

from __future__ import annotations

from typing import Any

from tests.authz_matrix import ADMIN_A, VIEW_A, Expect, Row, api, everyone, page, safe

MEMBERS = frozenset({"amal", "bilal", "dana", "vera", "chris", "cleo"})
RAISERS = frozenset({"amal", "bilal", "dana", "chris", "cleo"})
RESPOND_A = frozenset({"amal", "bilal", "dana", "cleo"})
# Monitoring is case work (``edit_cases``): the coordinator answers alerts but logs no contact, health or rule.
MONITOR_A = frozenset({"amal", "bilal", "dana"})
REPORTERS = frozenset({"amal", "bilal", "dana", "chris"})
PUBLISH_A = frozenset({"bilal", "dana"})
GHOST_UUID = "00000000-0000-4000-8000-000000000000"
GHOST_ID = "999999999"

ALERT = {"alert": "{alert_a}"}
NO_ALERT = {"alert": GHOST_UUID}
CASE = {"case": "{case_a}"}
NO_CASE = {"case": GHOST_ID}


def _form(allowed: frozenset[str], post: int = 400) -> dict[str, Expect]:
    return {"GET": page(allowed), "HEAD": page(allowed), "POST": page(allowed, post)}


def _write(allowed: frozenset[str], ok: int = 422) -> Expect:
    return Expect(allowed, ok, signed_out=401)


ROWS: dict[str, Row] = {
    "alerts_public:live": Row(safe(everyone(200))),
    "alerts_public:detail": Row(safe(everyone(200)), kwargs={"slug": "{alert_public_slug}"}),
    "alerts:board": Row(safe(page(MEMBERS))),
    "alerts:raise": Row(_form(RAISERS)),
    "alerts:detail": Row(safe(page(VIEW_A)), kwargs=ALERT, probe=NO_ALERT),
    "alerts:move": Row({"POST": page(RESPOND_A, 400)}, kwargs=ALERT, probe=NO_ALERT),
    "alerts:public": Row(_form(PUBLISH_A), kwargs=ALERT, probe=NO_ALERT),
    "alerts:roster": Row(_form(ADMIN_A)),
    "alerts:remove_shift": Row({"POST": page(ADMIN_A, 302)}, kwargs={"shift": "{alert_shift_a}"},
                               probe={"shift": GHOST_ID}),
    "alerts:limits": Row(_form(ADMIN_A)),
    "alerts:webhooks": Row(_form(ADMIN_A)),
    "alerts:deactivate_webhook": Row({"POST": page(ADMIN_A, 302)}, kwargs={"subscription": "{alert_webhook_a}"},
                                     probe={"subscription": GHOST_UUID}),
    "monitoring:home": Row(safe(page(MEMBERS))),
    "monitoring:case": Row(safe(page(VIEW_A)), kwargs=CASE, probe=NO_CASE),
    "monitoring:contact_create": Row(_form(MONITOR_A), kwargs=CASE, probe=NO_CASE),
    "monitoring:health_create": Row(_form(MONITOR_A), kwargs=CASE, probe=NO_CASE),
    "monitoring:rule": Row(_form(MONITOR_A), kwargs=CASE, probe=NO_CASE),
    "monitoring:facility": Row(safe(page(MEMBERS)), kwargs={"facility": "{facility_a}"}),
    "monitoring:conditions_create": Row(_form(REPORTERS), kwargs={"facility": "{facility_a}"}),
}

API_ALERT = {"uuid": "{alert_a}"}
API_NO_ALERT = {"uuid": GHOST_UUID}
API_CASE = {"case_id": "{case_a}"}
API_NO_CASE = {"case_id": GHOST_ID}
_alerts = {"GET": api(MEMBERS), "POST": _write(RAISERS)}
_publication = {"POST": _write(PUBLISH_A), "DELETE": _write(PUBLISH_A, 200)}
_shifts = {"GET": api(ADMIN_A), "POST": _write(ADMIN_A)}
_webhooks = {"GET": api(ADMIN_A), "POST": _write(ADMIN_A)}
_limits = {"GET": api(ADMIN_A), "PATCH": _write(ADMIN_A)}
_conditions = {"GET": api(MEMBERS), "POST": _write(REPORTERS)}

ROWS.update({
    "api:list_alerts": Row(_alerts),
    "api:raise_alert": Row(_alerts),
    "api:alerts_report": Row({"GET": api(MEMBERS)}),
    "api:get_alert": Row({"GET": api(VIEW_A)}, kwargs=API_ALERT, probe=API_NO_ALERT),
    "api:move_alert": Row({"POST": _write(RESPOND_A)}, kwargs=API_ALERT, probe=API_NO_ALERT),
    "api:set_alert_text": Row({"PUT": _write(PUBLISH_A)}, kwargs={**API_ALERT, "language": "en"},
                              probe={**API_NO_ALERT, "language": "en"}),
    # The sample alert is not verified: publishing it is refused (422); taking it down is a no-op (200).
    "api:publish_alert": Row(_publication, kwargs=API_ALERT, probe=API_NO_ALERT),
    "api:unpublish_alert": Row(_publication, kwargs=API_ALERT, probe=API_NO_ALERT),
    "api:list_shifts": Row(_shifts),
    "api:add_shift": Row(_shifts),
    "api:remove_shift": Row({"DELETE": _write(ADMIN_A, 204)}, kwargs={"shift_id": "{alert_shift_a}"},
                            probe={"shift_id": GHOST_ID}),
    # One URL, two routes: each names both methods.
    "api:get_limits": Row(_limits),
    "api:set_limits": Row(_limits),
    "api:list_webhooks": Row(_webhooks),
    "api:add_webhook": Row(_webhooks),
    "api:deactivate_webhook": Row({"DELETE": _write(ADMIN_A, 200)}, kwargs={"uuid": "{alert_webhook_a}"},
                                  probe={"uuid": GHOST_UUID}),
    "api:get_case_monitoring": Row({"GET": api(VIEW_A)}, kwargs=API_CASE, probe=API_NO_CASE),
    "api:log_contact": Row({"POST": _write(MONITOR_A)}, kwargs=API_CASE, probe=API_NO_CASE),
    "api:record_health": Row({"POST": _write(MONITOR_A)}, kwargs=API_CASE, probe=API_NO_CASE),
    "api:set_rule": Row({"PUT": _write(MONITOR_A)}, kwargs=API_CASE, probe=API_NO_CASE),
    "api:list_conditions": Row(_conditions, kwargs={"facility_id": "{facility_a}"}),
    "api:report_conditions": Row(_conditions, kwargs={"facility_id": "{facility_a}"}),
})


def placeholders(cast: Any) -> dict[str, str]:
    from tests import authz_matrix
    from unforgotten.alerts.models import Alert
    from unforgotten.alerts.testing import make_alerts_sample

    sample: Any = authz_matrix.registry_sample(cast)
    if not Alert.objects.filter(organisation=cast.org_a).exists():
        make_alerts_sample(cast, sample)
    from unforgotten.alerts.models import OnCallShift, WebhookSubscription

    return {
        "case_a": str(sample.case_a.pk),
        "facility_a": str(sample.facility.pk),
        "alert_a": str(Alert.objects.filter(organisation=cast.org_a, published_at__isnull=True).first().uuid),  # type: ignore[union-attr]
        "alert_public_slug": str(Alert.objects.filter(published_at__isnull=False).first().slug),  # type: ignore[union-attr]
        "alert_shift_a": str(OnCallShift.objects.filter(organisation=cast.org_a).first().pk),  # type: ignore[union-attr]
        "alert_webhook_a": str(WebhookSubscription.objects.filter(organisation=cast.org_a).first().uuid),  # type: ignore[union-attr]
    }

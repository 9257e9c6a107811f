"""Escalation limits per organisation (issue 9; decision 0026): the defaults of the issue until an organisation's
admins set their own, in the workspace or the API, through one audited action; bad values refused with nothing
written; the escalation job and the proof-of-life rule follow an organisation's own limits (time-machine).

Dana is the admin of Org A and sets the limits; Cleo (coordinator) and Amal (caseworker) may not; Chris belongs to
Org B, whose limits stay the defaults whatever Org A sets.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError

from unforgotten.alerts import actions, reading
from unforgotten.alerts.models import Alert, EscalationLimits
from unforgotten.audit.models import AuditEvent
from unforgotten.core import outbox, schedule

pytestmark = pytest.mark.django_db

T0 = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)


def _at(moment: datetime) -> Any:
    return time_machine.travel(moment, tick=False)


def _run_escalations() -> None:
    schedule.run_now("alerts.escalate")
    outbox.deliver_due()


def test_it_uses_the_issue_defaults_until_an_admin_sets_limits(cast: Any) -> None:
    limits = reading.limits_of(cast.org_a.pk)
    assert limits.pk is None
    assert limits.windows("critical") == (timedelta(hours=2), timedelta(hours=24))
    assert limits.windows("high") == (timedelta(hours=6), timedelta(hours=48))
    assert limits.windows("medium") == (timedelta(hours=24), timedelta(hours=96))
    assert limits.proof_of_life_days == 30


def test_it_sets_limits_in_one_audited_action_and_leaves_other_organisations_alone(cast: Any) -> None:
    actions.do_set_escalation_limits(organisation=cast.org_a, data={"verify_critical_hours": 1,
                                                                    "proof_of_life_days": 10}, acting_user=cast.dana)
    limits = reading.limits_of(cast.org_a.pk)
    assert limits.windows("critical") == (timedelta(hours=1), timedelta(hours=24))
    assert limits.proof_of_life_days == 10
    assert reading.limits_of(cast.org_b.pk).pk is None
    event = AuditEvent.objects.filter(action="alerts.set_limits").get()
    assert event.changes["verify_critical_hours"] == [None, 1] and event.changes["proof_of_life_days"] == [None, 10]
    # Nothing changed, nothing audited.
    actions.do_set_escalation_limits(organisation=cast.org_a, data={"verify_critical_hours": 1},
                                     acting_user=cast.dana)
    assert AuditEvent.objects.filter(action="alerts.set_limits").count() == 1
    actions.do_set_escalation_limits(organisation=cast.org_a, data={"verify_critical_hours": 3},
                                     acting_user=cast.dana)
    latest = AuditEvent.objects.filter(action="alerts.set_limits").order_by("-id").first()
    assert latest is not None and latest.changes == {"verify_critical_hours": [1, 3]}


@pytest.mark.parametrize(("data", "field"), [
    ({"verify_critical_hours": 0}, "verify_critical_hours"),
    ({"act_high_hours": -5}, "act_high_hours"),
    ({"verify_medium_hours": 169}, "verify_medium_hours"),
    ({"act_critical_hours": 721}, "act_critical_hours"),
    ({"proof_of_life_days": 366}, "proof_of_life_days"),
    ({"proof_of_life_days": "ten"}, "proof_of_life_days"),
    ({"verify_high_hours": True}, "verify_high_hours"),
    ({"verify_high_hours": 2.5}, "verify_high_hours"),
    ({"verify_critical_hours": 30, "act_critical_hours": 24}, "act_critical_hours"),
    ({"act_medium_hours": 12}, "act_medium_hours"),  # before the default 24 h to verify
    ({"sleep_hours": 8}, "__all__"),
])
def test_it_refuses_bad_limits_and_saves_nothing(cast: Any, data: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        actions.do_set_escalation_limits(organisation=cast.org_a, data={"proof_of_life_days": 12, **data},
                                         acting_user=cast.dana)
    assert field in refused.value.message_dict
    assert not EscalationLimits.objects.exists()
    assert not AuditEvent.objects.filter(action="alerts.set_limits").exists()


def test_it_lets_the_admin_set_limits_in_the_workspace_and_nobody_else(cast: Any, login_as: Any) -> None:
    page = login_as(cast.dana).get("/work/alerts/limits/")
    assert page.status_code == 200 and b'value="24"' in page.content and b"uses the defaults" in page.content
    form = {"organisation": "org-a", "verify_critical_hours": "1", "act_critical_hours": "4", "verify_high_hours": "6",
            "act_high_hours": "48", "verify_medium_hours": "24", "act_medium_hours": "96", "proof_of_life_days": "14"}
    bad = login_as(cast.dana).post("/work/alerts/limits/", {**form, "act_critical_hours": "0"})
    assert bad.status_code == 400 and b"Nothing was saved" in bad.content
    assert not EscalationLimits.objects.exists()
    earlier = login_as(cast.dana).post("/work/alerts/limits/", {**form, "verify_high_hours": "50"})
    assert earlier.status_code == 400 and b"before it is due for verification" in earlier.content
    assert login_as(cast.dana).post("/work/alerts/limits/", form).status_code == 302
    assert reading.limits_of(cast.org_a.pk).windows("critical") == (timedelta(hours=1), timedelta(hours=4))
    for user in (cast.cleo, cast.amal, cast.vera, cast.chris):
        assert login_as(user).post("/work/alerts/limits/", {**form, "proof_of_life_days": "1"}).status_code == 404
    assert reading.limits_of(cast.org_a.pk).proof_of_life_days == 14


def test_it_reads_and_changes_limits_through_the_api(cast: Any, login_as: Any) -> None:
    dana = login_as(cast.dana)
    got = dana.get("/api/v1/alerts/limits").json()
    assert got["defaults"] is True and got["act_medium_hours"] == 96 and got["organisation"] == "org-a"
    changed = dana.patch("/api/v1/alerts/limits", json.dumps({"act_medium_hours": 72}),
                         content_type="application/json")
    assert changed.status_code == 200 and changed.json()["act_medium_hours"] == 72
    assert changed.json()["defaults"] is False and changed.json()["verify_critical_hours"] == 2
    refused = dana.patch("/api/v1/alerts/limits", json.dumps({"act_medium_hours": 72, "proof_of_life_days": 0}),
                         content_type="application/json")
    assert refused.status_code == 422 and "proof_of_life_days" in refused.content.decode()
    nulled = dana.patch("/api/v1/alerts/limits", json.dumps({"act_medium_hours": None}),
                        content_type="application/json")
    assert nulled.status_code == 422
    assert reading.limits_of(cast.org_a.pk).act_medium_hours == 72
    for user in (cast.cleo, cast.amal, cast.chris):
        client = login_as(user)
        assert client.get("/api/v1/alerts/limits?organisation=org-a").status_code == 404
        assert client.patch("/api/v1/alerts/limits?organisation=org-a", json.dumps({"act_medium_hours": 1}),
                            content_type="application/json").status_code == 404


def test_it_reminds_and_escalates_on_the_organisations_own_limits(cast: Any, sample: Any, smtp_server: Any) -> None:
    # Org A wants critical alerts verified within the hour and actioned within three.
    actions.do_set_escalation_limits(organisation=cast.org_a, data={"verify_critical_hours": 1,
                                                                    "act_critical_hours": 3}, acting_user=cast.dana)
    with _at(T0):
        alert = actions.do_raise_alert(case=sample.case_a, data={"kind": "hunger_strike", "severity": "critical",
                                                                 "summary": "Day 3 of a hunger strike"},
                                       acting_user=cast.amal)
        _run_escalations()
    raised = len(smtp_server.messages)
    with _at(T0 + timedelta(minutes=59)):
        _run_escalations()
    assert len(smtp_server.messages) == raised
    with _at(T0 + timedelta(hours=1)):
        _run_escalations()
    assert len(smtp_server.messages) == raised + 1
    assert "Still not verified after 1 hours" in smtp_server.messages[-1].as_string()
    with _at(T0 + timedelta(hours=2, minutes=59)):
        _run_escalations()
    assert Alert.objects.get(pk=alert.pk).escalated_at is None
    with _at(T0 + timedelta(hours=3)):
        _run_escalations()
    assert Alert.objects.get(pk=alert.pk).escalated_at == T0 + timedelta(hours=3)
    assert "Escalated: no action launched 3 hours" in smtp_server.messages[-1].as_string()


def test_it_shows_overdue_alerts_on_the_board_by_the_organisations_limits(cast: Any, sample: Any) -> None:
    actions.do_set_escalation_limits(organisation=cast.org_a, data={"verify_high_hours": 1}, acting_user=cast.dana)
    with _at(T0):
        actions.do_raise_alert(case=sample.case_a, data={"kind": "transfer", "severity": "high", "summary": "Moved"},
                               acting_user=cast.amal)
    with _at(T0 + timedelta(minutes=61)):
        rows = reading.board(cast.amal)
    assert [r.overdue for r in rows] == ["verify"]  # the default (6 h) would not be overdue yet


def test_it_raises_proof_of_life_alerts_on_the_organisations_default_days(cast: Any, sample: Any) -> None:
    from unforgotten.monitoring import actions as monitoring

    day0 = date(2030, 1, 10)
    actions.do_set_escalation_limits(organisation=cast.org_a, data={"proof_of_life_days": 10}, acting_user=cast.dana)
    with time_machine.travel(datetime(2030, 1, 10, 8, tzinfo=UTC), tick=False):
        monitoring.do_log_contact(case=sample.case_a, data={"kind": "family_visit", "occurred_on": day0},
                                  acting_user=cast.amal)

    def run_on(day: date) -> int:
        with time_machine.travel(datetime(day.year, day.month, day.day, 8, tzinfo=UTC), tick=False):
            schedule.run_now("monitoring.proof_of_life")
        return Alert.objects.filter(case=sample.case_a, kind="no_proof_of_life").count()

    assert run_on(day0 + timedelta(days=9)) == 0
    assert run_on(day0 + timedelta(days=10)) == 1
    alert = Alert.objects.get(case=sample.case_a, kind="no_proof_of_life")
    assert "the rule for this case allows 10" in alert.summary

"""The coordinator role (issue 9; decision 0026): who hears of urgent alerts, reminders and escalations, who may
answer an alert and take an on-call shift, and what a coordinator may not see or do.

Cleo is a coordinator of Org A: she raises and answers alerts, may be on call, and is reminded and told of
escalations; when Org A has no coordinator, the reminders go to Dana, its admin. Cleo edits no case, logs no
monitoring, publishes nothing, manages no roster, and reads restricted fields only on a case team.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError

from unforgotten import policy
from unforgotten.accounts.models import Membership
from unforgotten.alerts import actions
from unforgotten.alerts.models import OnCallShift
from unforgotten.alerts.testing import CANARY_NOTES, CANARY_SUMMARY, make_alerts_sample
from unforgotten.core import outbox, schedule
from unforgotten.policy.projection import audience_for

pytestmark = pytest.mark.django_db

T0 = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)


def _at(moment: datetime) -> Any:
    return time_machine.travel(moment, tick=False)


def _recipients(smtp_server: Any, since: int = 0) -> list[str]:
    return sorted(r for _f, rcpts in smtp_server.envelopes[since:] for r in rcpts)


def _raise(cast: Any, sample: Any) -> Any:
    return actions.do_raise_alert(case=sample.case_a, data={
        "kind": "incommunicado", "severity": "critical", "summary": CANARY_SUMMARY, "internal_notes": CANARY_NOTES},
        acting_user=cast.amal)


def test_it_tells_the_coordinator_of_a_new_alert_when_nobody_is_on_call(cast: Any, sample: Any,
                                                                        smtp_server: Any) -> None:
    _raise(cast, sample)
    outbox.deliver_due()
    assert _recipients(smtp_server) == ["cleo@example.org"]


def test_it_tells_everyone_who_may_respond_when_there_is_neither_roster_nor_coordinator(
        cast: Any, sample: Any, smtp_server: Any) -> None:
    Membership.objects.filter(user=cast.cleo).update(is_active=False)
    _raise(cast, sample)
    outbox.deliver_due()
    assert _recipients(smtp_server) == ["amal@example.org", "bilal@example.org", "dana@example.org"]


def test_it_reminds_and_escalates_to_the_coordinator_and_on_call(cast: Any, sample: Any, smtp_server: Any) -> None:
    with _at(T0):
        actions.do_add_shift(organisation=cast.org_a, user=cast.amal, starts_at=T0, ends_at=T0 + timedelta(days=3),
                             acting_user=cast.dana)
        _raise(cast, sample)
        outbox.deliver_due()
    assert _recipients(smtp_server) == ["amal@example.org"]  # on call: the roster goes first for a new alert
    with _at(T0 + timedelta(hours=2)):
        schedule.run_now("alerts.escalate")
        outbox.deliver_due()
    assert _recipients(smtp_server, 1) == ["amal@example.org", "cleo@example.org"]
    with _at(T0 + timedelta(hours=24)):
        schedule.run_now("alerts.escalate")
        outbox.deliver_due()
    assert _recipients(smtp_server, 3) == ["amal@example.org", "cleo@example.org", "dana@example.org"]


def test_it_reminds_the_admins_when_the_organisation_has_no_coordinator(cast: Any, sample: Any,
                                                                        smtp_server: Any) -> None:
    Membership.objects.filter(user=cast.cleo).update(roles=["viewer"])
    assert policy.coordinators(cast.org_a.pk) == [cast.dana]
    with _at(T0):
        _raise(cast, sample)
    with _at(T0 + timedelta(hours=2)):
        schedule.run_now("alerts.escalate")
        outbox.deliver_due()
    reminders = [e for e, m in zip(smtp_server.envelopes, smtp_server.messages, strict=True)
                 if "Still not verified" in m.as_string()]
    assert sorted(r for _f, rcpts in reminders for r in rcpts) == ["dana@example.org"]


def test_it_lets_the_coordinator_answer_alerts_and_take_shifts_but_not_edit_cases(cast: Any, sample: Any,
                                                                                 login_as: Any) -> None:
    alert = _raise(cast, sample)
    cleo = login_as(cast.cleo)
    moved = cleo.post(f"/work/alerts/{alert.uuid}/move/", {"to": "verified"})
    assert moved.status_code == 302
    alert.refresh_from_db()
    assert alert.state == "verified"
    shift = actions.do_add_shift(organisation=cast.org_a, user=cast.cleo, starts_at=T0, ends_at=T0 + timedelta(hours=8),
                                 acting_user=cast.dana)
    assert shift.user == cast.cleo
    with pytest.raises(ValidationError):
        actions.do_add_shift(organisation=cast.org_a, user=cast.vera, starts_at=T0, ends_at=T0 + timedelta(hours=8),
                             acting_user=cast.dana)
    for permission in ("alerts.publish", "alerts.manage", "monitoring.edit", "radar.edit"):
        assert not policy.can(cast.cleo, permission, alert), permission
    assert policy.can(cast.cleo, "radar.view", alert) and policy.can(cast.cleo, "alerts.raise", alert)
    assert "export" not in policy.capabilities_in(cast.cleo, cast.org_a.pk)
    assert cleo.get("/work/alerts/roster/").status_code == 404
    assert cleo.get(f"/work/monitoring/cases/{sample.case_a.pk}/contacts/new/").status_code == 404


def test_it_shows_the_coordinator_internal_fields_and_restricted_ones_only_on_the_case_team(
        cast: Any, sample: Any, login_as: Any, smtp_server: Any) -> None:
    s = make_alerts_sample(cast, sample)
    assert audience_for(cast.cleo, s.alert).kind == "staff"
    cleo = login_as(cast.cleo)
    page = f"/work/alerts/{s.alert.uuid}/"
    api = f"/api/v1/alerts/{s.alert.uuid}"
    for path in (page, api, "/work/alerts/", "/api/v1/alerts", "/work/radar/",
                 f"/work/radar/cases/{sample.case_a.pk}/"):
        body = cleo.get(path).content.decode()
        assert CANARY_NOTES not in body, path
        assert not [c for c in sample.canaries if c in body and sample.canaries[c] > 2], path
    assert CANARY_SUMMARY in cleo.get(page).content.decode()  # internal: every member of the staff
    sample.person_a.case_team.add(cast.cleo)
    assert CANARY_NOTES in login_as(cast.cleo).get(page).content.decode()
    # E-mail leaves the platform: not even the case team's coordinator gets the restricted notes by mail.
    OnCallShift.objects.all().delete()  # nobody on call: a new alert goes to the coordinator
    _raise(cast, sample)
    outbox.deliver_due()
    mail = "\n".join(m.as_string() for m, e in zip(smtp_server.messages, smtp_server.envelopes, strict=True)
                     if "cleo@example.org" in e[1])
    assert mail and CANARY_NOTES not in mail

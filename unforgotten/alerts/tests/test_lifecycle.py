"""Urgent alerts (issue 9, item 1): raised → verified → action launched → resolved, every time recorded."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from unforgotten.alerts import actions, reading
from unforgotten.alerts.models import Alert
from unforgotten.audit.models import AuditEvent
from unforgotten.core import outbox
from unforgotten.core.models import OutboxMessage

pytestmark = pytest.mark.django_db

T0 = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)


def _raise(cast: Any, sample: Any, **data: Any) -> Alert:
    return actions.do_raise_alert(case=sample.case_a, data={"kind": "torture", "severity": "critical",
                                                            "summary": "Beaten in SIZO-1", **data},
                                  acting_user=cast.amal)


def test_it_records_the_time_of_every_step_and_reports_time_to_verify_and_to_first_action(
        cast: Any, sample: Any) -> None:
    with time_machine.travel(T0, tick=False):
        alert = _raise(cast, sample)
    with time_machine.travel(T0 + timedelta(minutes=40), tick=False):
        actions.do_move_alert(alert=alert, to="verified", acting_user=cast.dana)
    with time_machine.travel(T0 + timedelta(hours=3), tick=False):
        actions.do_move_alert(alert=alert, to="action_launched", acting_user=cast.amal)
    with time_machine.travel(T0 + timedelta(days=2), tick=False):
        actions.do_move_alert(alert=alert, to="resolved", acting_user=cast.amal, note="Seen by a doctor.")
    alert.refresh_from_db()
    assert (alert.raised_at, alert.verified_at, alert.action_launched_at, alert.resolved_at) == (
        T0, T0 + timedelta(minutes=40), T0 + timedelta(hours=3), T0 + timedelta(days=2))
    assert alert.state == "resolved" and alert.verified_by == cast.dana
    assert alert.time_to_verify == timedelta(minutes=40)
    assert alert.time_to_first_action == timedelta(hours=3)
    report = reading.report_for(cast.vera, now=T0 + timedelta(days=3))
    assert (report.raised, report.verified, report.actioned) == (1, 1, 1)
    assert report.median_to_verify == timedelta(minutes=40) and report.median_to_action == timedelta(hours=3)
    assert reading.duration_text(report.median_to_verify) == "40 min"
    assert reading.duration_text(report.median_to_action) == "3 h 00 min"
    steps = list(AuditEvent.objects.filter(object_type="alerts.alert", object_id=str(alert.pk)).order_by("id")
                 .values_list("action", flat=True))
    assert steps == ["alerts.raise", "alerts.verified", "alerts.action_launched", "alerts.resolved"]
    # Chris (Org B) counts nothing of Org A.
    assert reading.report_for(cast.chris, now=T0 + timedelta(days=3)).raised == 0


def test_it_refuses_an_alert_without_a_case_and_saves_nothing(cast: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        actions.do_raise_alert(case=None, data={"kind": "torture", "summary": "x"}, acting_user=cast.amal)
    assert "case" in caught.value.message_dict
    assert Alert.objects.count() == 0


def test_it_refuses_a_date_in_the_future_an_unknown_kind_and_mass_assignment(cast: Any, sample: Any) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        _raise(cast, sample, occurred_on=tomorrow)
    assert "future" in caught.value.message_dict["occurred_on"][0]
    with pytest.raises(ValidationError) as caught:
        _raise(cast, sample, kind="rumour")
    assert "kind" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        _raise(cast, sample, organisation_id=cast.org_b.pk)
    assert "organisation_id" in caught.value.message_dict
    assert Alert.objects.count() == 0 and OutboxMessage.objects.count() == 0
    assert _raise(cast, sample, occurred_on=date.today()).occurred_on == date.today()  # noqa: DTZ011


def test_it_refuses_to_skip_verification_or_resolve_without_saying_how(cast: Any, sample: Any) -> None:
    alert = _raise(cast, sample)
    with pytest.raises(ValidationError) as caught:
        actions.do_move_alert(alert=alert, to="action_launched", acting_user=cast.dana)
    assert "cannot become" in caught.value.message_dict["to"][0]
    actions.do_move_alert(alert=alert, to="verified", acting_user=cast.dana)
    with pytest.raises(ValidationError) as caught:
        actions.do_move_alert(alert=alert, to="resolved", acting_user=cast.dana, note="  ")
    assert "note" in caught.value.message_dict
    alert.refresh_from_db()
    assert alert.state == "verified" and alert.resolved_at is None


def test_it_emails_whoever_is_on_call_and_otherwise_the_coordinators(cast: Any, sample: Any,
                                                                     smtp_server: Any) -> None:
    _raise(cast, sample)
    outbox.deliver_due()
    # Nobody on call: Org A's coordinator, Cleo (decision 0026; without one, everyone who may respond:
    # test_coordinators.py).
    first = sorted(r for _from, rcpts in smtp_server.envelopes for r in rcpts)
    assert first == ["cleo@example.org"]
    now = timezone.now()
    actions.do_add_shift(organisation=cast.org_a, user=cast.bilal, starts_at=now - timedelta(minutes=5),
                         ends_at=now + timedelta(hours=8), acting_user=cast.dana)
    smtp_server.messages.clear()
    smtp_server.envelopes.clear()
    _raise(cast, sample, kind="hunger_strike")
    outbox.deliver_due()
    assert [r for _from, rcpts in smtp_server.envelopes for r in rcpts] == ["bilal@example.org"]
    message = smtp_server.messages[0]
    assert "[Critical] Hunger strike: Maryia Kalesnikava" in str(message["Subject"])
    assert "/work/alerts/" in message.as_string()


def test_it_refuses_a_shift_for_someone_who_may_not_respond_or_ending_before_it_starts(cast: Any) -> None:
    now = timezone.now()
    with pytest.raises(ValidationError) as caught:
        actions.do_add_shift(organisation=cast.org_a, user=cast.chris, starts_at=now, ends_at=now + timedelta(hours=1),
                             acting_user=cast.dana)
    assert "user" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        actions.do_add_shift(organisation=cast.org_a, user=cast.amal, starts_at=now, ends_at=now - timedelta(hours=1),
                             acting_user=cast.dana)
    assert "ends_at" in caught.value.message_dict

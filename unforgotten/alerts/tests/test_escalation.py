"""Escalation (issue 9, items 1 and 5): a critical alert not verified within 2 hours is sent to the
coordinators again; one not actioned within 24 hours escalates to the admins and the coalition.
Time travel with time-machine; the job runs as the scheduler runs it; e-mail through real SMTP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine

from unforgotten.alerts import actions
from unforgotten.alerts.models import Alert
from unforgotten.core import outbox, schedule
from unforgotten.core.models import OutboxMessage

pytestmark = pytest.mark.django_db

T0 = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)


def _at(moment: datetime) -> Any:
    return time_machine.travel(moment, tick=False)


def _run() -> None:
    schedule.run_now("alerts.escalate")
    outbox.deliver_due()


def _subjects(smtp_server: Any) -> list[str]:
    return [str(m["Subject"]) for m in smtp_server.messages]


def _bodies(smtp_server: Any) -> str:
    return "\n".join(m.as_string() for m in smtp_server.messages)


def test_it_reminds_once_after_two_hours_and_escalates_once_after_a_day(cast: Any, sample: Any,
                                                                        smtp_server: Any) -> None:
    with _at(T0):
        actions.do_add_shift(organisation=cast.org_a, user=cast.amal, starts_at=T0, ends_at=T0 + timedelta(days=3),
                             acting_user=cast.dana)
        alert = actions.do_raise_alert(case=sample.case_a, data={"kind": "health", "severity": "critical",
                                                                 "summary": "Collapsed in the cell"},
                                       acting_user=cast.bilal)
        _run()
    assert len(smtp_server.messages) == 1  # the raise itself, to Amal on call
    with _at(T0 + timedelta(hours=1, minutes=59)):
        _run()
    assert len(smtp_server.messages) == 1
    with _at(T0 + timedelta(hours=2)):
        _run()
    # The reminder: Amal on call and Cleo, the coordinator (decision 0026).
    assert len(smtp_server.messages) == 3 and "Still not verified after 2 hours" in _bodies(smtp_server)
    with _at(T0 + timedelta(hours=5)):
        _run()  # once, not every run
    assert len(smtp_server.messages) == 3
    with _at(T0 + timedelta(hours=23, minutes=59)):
        _run()
    assert len(smtp_server.messages) == 3
    with _at(T0 + timedelta(hours=24)):
        _run()
    escalated = [e for e in smtp_server.envelopes[3:]]
    # Amal on call, Cleo the coordinator and Dana, the admin.
    assert sorted(r for _f, rcpts in escalated for r in rcpts) == ["amal@example.org", "cleo@example.org",
                                                                   "dana@example.org"]
    assert "Escalated: no action launched 24 hours" in _bodies(smtp_server)
    alert.refresh_from_db()
    assert alert.reminded_at == T0 + timedelta(hours=2) and alert.escalated_at == T0 + timedelta(hours=24)
    with _at(T0 + timedelta(hours=30)):
        _run()
    assert len(smtp_server.messages) == 6


def test_it_does_not_remind_of_a_verified_alert_nor_escalate_one_in_action(cast: Any, sample: Any,
                                                                           smtp_server: Any) -> None:
    with _at(T0):
        alert = actions.do_raise_alert(case=sample.case_a, data={"kind": "torture", "severity": "critical",
                                                                 "summary": "x"}, acting_user=cast.amal)
    with _at(T0 + timedelta(hours=1)):
        actions.do_move_alert(alert=alert, to="verified", acting_user=cast.dana)
    with _at(T0 + timedelta(hours=3)):
        actions.do_move_alert(alert=alert, to="action_launched", acting_user=cast.dana)
    before = OutboxMessage.objects.count()
    with _at(T0 + timedelta(days=3)):
        _run()
    assert OutboxMessage.objects.count() == before
    alert.refresh_from_db()
    assert alert.reminded_at is None and alert.escalated_at is None


def test_it_gives_slower_limits_to_less_severe_alerts(cast: Any, sample: Any) -> None:
    with _at(T0):
        medium = actions.do_raise_alert(case=sample.case_a, data={"kind": "new_charges", "severity": "medium",
                                                                  "summary": "x"}, acting_user=cast.amal)
    with _at(T0 + timedelta(hours=3)):
        schedule.run_now("alerts.escalate")
    medium.refresh_from_db()
    assert medium.reminded_at is None
    with _at(T0 + timedelta(hours=24)):
        schedule.run_now("alerts.escalate")
    medium.refresh_from_db()
    assert medium.reminded_at == T0 + timedelta(hours=24) and medium.escalated_at is None


def test_it_tells_the_coalition_by_a_signed_webhook_when_an_alert_escalates(cast: Any, sample: Any,
                                                                           webhook_receiver: Any) -> None:
    with _at(T0):
        _sub, secret = actions.do_add_webhook(organisation=cast.org_a, label="Coalition", url=webhook_receiver.url,
                                              acting_user=cast.dana)
        actions.do_raise_alert(case=sample.case_a, data={"kind": "death_penalty", "severity": "critical",
                                                         "summary": "x"}, acting_user=cast.amal)
    with _at(T0 + timedelta(hours=25)):
        schedule.run_now("alerts.escalate")
        outbox.deliver_due()
    events = [h[outbox.EVENT_HEADER] for _p, h, _b in webhook_receiver.requests]
    assert events == ["alerts.alert.raised", "alerts.alert.escalated"]
    assert Alert.objects.get().escalated_at == T0 + timedelta(hours=25)

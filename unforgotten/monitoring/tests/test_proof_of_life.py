"""The proof-of-life rule (issue 9, items 2 and 5): "no proof of life for N days" raises one alert
per silence, run as the scheduler runs it, with time travel (time-machine)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import time_machine

from unforgotten.alerts.models import Alert
from unforgotten.core import outbox, schedule
from unforgotten.monitoring import actions
from unforgotten.monitoring.reading import last_contact_per_case

pytestmark = pytest.mark.django_db

DAY0 = date(2030, 1, 10)


def _at(day: date) -> Any:
    return time_machine.travel(datetime(day.year, day.month, day.day, 8, tzinfo=UTC), tick=False)


def _run() -> None:
    schedule.run_now("monitoring.proof_of_life")


def _alerts(sample: Any) -> list[Alert]:
    return list(Alert.objects.filter(case=sample.case_a, kind="no_proof_of_life").order_by("id"))


def test_it_raises_one_alert_after_thirty_days_without_proof_of_life(cast: Any, sample: Any,
                                                                      smtp_server: Any) -> None:
    with _at(DAY0):
        actions.do_log_contact(case=sample.case_a, data={"kind": "family_visit", "occurred_on": DAY0},
                               acting_user=cast.amal)
    with _at(DAY0 + timedelta(days=29)):
        _run()
    assert _alerts(sample) == []
    with _at(DAY0 + timedelta(days=30)):
        _run()
        outbox.deliver_due()
    raised = _alerts(sample)
    assert len(raised) == 1 and raised[0].severity == "high" and raised[0].state == "raised"
    assert "30 days (since 2030-01-10)" in raised[0].summary
    assert any("No proof of life" in str(m["Subject"]) for m in smtp_server.messages)
    with _at(DAY0 + timedelta(days=31)):
        _run()
    assert len(_alerts(sample)) == 1  # one alert per silence, not one per run


def test_it_starts_a_new_silence_with_each_contact_and_honours_the_case_rule(cast: Any, sample: Any) -> None:
    with _at(DAY0):
        actions.do_set_rule(case=sample.case_a, days=7, acting_user=cast.amal)
        actions.do_log_contact(case=sample.case_a, data={"kind": "letter_received", "occurred_on": DAY0},
                               acting_user=cast.amal)
    with _at(DAY0 + timedelta(days=7)):
        _run()
    first = _alerts(sample)
    assert len(first) == 1
    # Someone closes the alert: the family called. The call starts a new silence.
    from unforgotten.alerts.actions import do_move_alert

    with _at(DAY0 + timedelta(days=8)):
        do_move_alert(alert=first[0], to="verified", acting_user=cast.dana)
        do_move_alert(alert=first[0], to="resolved", note="The family called.", acting_user=cast.dana)
        actions.do_log_contact(case=sample.case_a, data={"kind": "call", "occurred_on": DAY0 + timedelta(days=8)},
                               acting_user=cast.amal)
    with _at(DAY0 + timedelta(days=14)):
        _run()
    assert len(_alerts(sample)) == 1
    with _at(DAY0 + timedelta(days=15)):
        _run()
    assert len(_alerts(sample)) == 2
    assert last_contact_per_case([sample.case_a.pk, 999999]) == {sample.case_a.pk: DAY0 + timedelta(days=8)}


def test_it_leaves_switched_off_rules_and_people_at_large_alone(cast: Any, sample: Any) -> None:
    with _at(DAY0):
        actions.do_set_rule(case=sample.case_a, days=5, active=False, acting_user=cast.amal)
    with _at(DAY0 + timedelta(days=100)):
        _run()
    assert _alerts(sample) == []
    from unforgotten.core.partialdate import PartialDate
    from unforgotten.registry import actions as registry_actions

    with _at(DAY0 + timedelta(days=100)):
        actions.do_set_rule(case=sample.case_a, days=5, active=True, acting_user=cast.amal)
        registry_actions.do_record_status(person=sample.person_a, status="released",
                                          effective=PartialDate(2030, 4, 1), acting_user=cast.dana)
    with _at(DAY0 + timedelta(days=200)):
        _run()
    assert _alerts(sample) == []

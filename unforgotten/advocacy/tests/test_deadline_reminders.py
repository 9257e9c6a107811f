"""Reminders before legal deadlines (issue 8, item 4): the right day, once each, by e-mail through the outbox."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
import time_machine

from unforgotten.advocacy import actions
from unforgotten.advocacy.actions import reminder_offset
from unforgotten.core import outbox, schedule

pytestmark = pytest.mark.django_db

DEADLINE = date(2030, 6, 20)


def _at(day: date, hour: int = 9) -> Any:
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=UTC), tick=False)


def _run() -> None:
    """One run of the periodic job, then what the task worker does after the commit: send what is due."""
    schedule.run_now("advocacy.deadline_reminders")
    outbox.deliver_due()


def _subjects(smtp_server: Any) -> list[str]:
    return [str(m["Subject"]) for m in smtp_server.messages]


def test_it_picks_the_most_urgent_reminder_due() -> None:
    assert reminder_offset(DEADLINE, date(2030, 6, 1)) is None
    assert reminder_offset(DEADLINE, date(2030, 6, 6)) == 14
    assert reminder_offset(DEADLINE, date(2030, 6, 10)) == 14
    assert reminder_offset(DEADLINE, date(2030, 6, 13)) == 7
    assert reminder_offset(DEADLINE, date(2030, 6, 19)) == 1
    assert reminder_offset(DEADLINE, date(2030, 6, 20)) == 0
    assert reminder_offset(DEADLINE, date(2030, 6, 21)) is None


def test_it_reminds_the_team_before_the_deadline_at_the_right_times_once_each(cast: Any, sample: Any,
                                                                              smtp_server: Any) -> None:
    sample.person_a.case_team.add(cast.amal)
    with _at(date(2030, 6, 1)):
        action = actions.do_add_legal_action(case=sample.case_a, data={
            "kind": "cassation", "forum": "Supreme Court", "deadline": DEADLINE, "status": "preparing",
            "responsible": cast.ada, "arguments": "CANARY-reminder-arguments"}, acting_user=cast.dana)
        _run()
    assert smtp_server.messages == []
    with _at(date(2030, 6, 6)):
        _run()
    assert sorted(e[1][0] for e in smtp_server.envelopes) == ["ada@example.org", "amal@example.org"]
    assert all("in 14 days" in s and "Cassation" in s for s in _subjects(smtp_server))
    with _at(date(2030, 6, 6), hour=17), _at(date(2030, 6, 10)):
        _run()
    assert len(smtp_server.messages) == 2  # nothing new until the next step
    with _at(date(2030, 6, 13)):
        _run()
        _run()
    assert len(smtp_server.messages) == 4
    # The scheduler was down on the 17th: on the 19th only the one-day reminder goes, not a burst.
    with _at(date(2030, 6, 19)):
        _run()
    assert len(smtp_server.messages) == 6 and all("in 1 day" in s for s in _subjects(smtp_server)[4:])
    with _at(date(2030, 6, 20)):
        _run()
    assert all("today" in s for s in _subjects(smtp_server)[6:]) and len(smtp_server.messages) == 8
    with _at(date(2030, 6, 21)):
        _run()
    assert len(smtp_server.messages) == 8
    bodies = "\n".join(smtp_server.bodies())
    assert "CANARY-reminder-arguments" not in bodies
    assert f"/work/advocacy/people/{sample.person_a.uuid}/" in bodies
    assert action.deadline == DEADLINE


def test_it_reminds_anew_when_the_deadline_moves_and_never_for_a_closed_action(cast: Any, sample: Any,
                                                                               smtp_server: Any) -> None:
    with _at(date(2030, 6, 6)):
        action = actions.do_add_legal_action(case=sample.case_a, data={
            "kind": "appeal", "deadline": DEADLINE, "responsible": cast.ada}, acting_user=cast.dana)
        closed = actions.do_add_legal_action(case=sample.case_a, data={
            "kind": "complaint", "deadline": DEADLINE, "status": "rejected", "responsible": cast.ada},
            acting_user=cast.dana)
        _run()
        assert len(smtp_server.messages) == 1 and "Appeal" in _subjects(smtp_server)[0]
        actions.do_update_legal_action(legal_action=action, data={"deadline": date(2030, 6, 9)}, acting_user=cast.dana)
        _run()
    assert len(smtp_server.messages) == 2 and "in 3 days" in _subjects(smtp_server)[1]
    assert closed.status == "rejected"


def test_it_falls_back_to_the_organisations_advocates_when_nobody_is_named(cast: Any, sample: Any,
                                                                           smtp_server: Any) -> None:
    with _at(date(2030, 6, 20)):
        actions.do_add_legal_action(case=sample.case_a, data={"kind": "habeas_corpus", "deadline": DEADLINE},
                                    acting_user=cast.dana)
        _run()
    # Ada (advocate) and Dana (admin) of Org A; never Chris of Org B, never the deactivated Dmitri.
    assert sorted(e[1][0] for e in smtp_server.envelopes) == ["ada@example.org", "dana@example.org"]


def test_it_survives_actions_without_a_deadline_or_dates(cast: Any, sample: Any, smtp_server: Any) -> None:
    actions.do_add_legal_action(case=sample.case_a, data={"kind": "other"}, acting_user=cast.dana)
    assert actions.do_send_deadline_reminders() == 0

"""The weekly digest (issue 9, item 3): each organisation's ten most neglected cases, to its coordinators, once a week.

Coordinators are the members holding the coordinator role (decision 0026): Cleo in Org A. An
organisation that named none sends the digest to its admins (Dana in Org A). Each gets only what
they may see.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
import time_machine

from unforgotten.accounts.models import Membership, Organisation, User
from unforgotten.core import outbox, schedule
from unforgotten.core.partialdate import PartialDate
from unforgotten.radar import actions
from unforgotten.radar.testing import MEDIA_NOTE_CANARY, RESTRICTED_NAME, make_held_case

pytestmark = pytest.mark.django_db

MONDAY = date(2030, 6, 3)


def _at(day: date, hour: int = 9) -> Any:
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=UTC), tick=False)


def _run() -> None:
    """One run of the periodic job, then what the task worker does after the commit: send what is due."""
    schedule.run_now("radar.weekly_digest")
    outbox.deliver_due()


def _to(smtp_server: Any, address: str) -> list[str]:
    return [body for env, body in zip(smtp_server.envelopes, smtp_server.bodies(), strict=True) if address in env[1]]


def test_it_sends_each_coordinator_the_ten_most_neglected_cases_once_a_week(cast: Any, sample: Any,
                                                                           smtp_server: Any) -> None:
    # Eleven more prisoners of Org A, detained a month apart from 2010: the earliest are the most neglected.
    for n in range(11):
        make_held_case(cast.org_a, f"Prisoner Number{n:02d}", acting_user=cast.dana,
                       detained=PartialDate(2010 + n // 12, n % 12 + 1, 15))
    released = make_held_case(cast.org_a, "Freed Early", acting_user=cast.dana, detained=PartialDate(2005),
                              status="released")
    with _at(MONDAY):
        _run()
    assert sorted(e[1][0] for e in smtp_server.envelopes) == ["cleo@example.org"]
    body = _to(smtp_server, "cleo@example.org")[0]
    assert "the 10 most neglected cases this week" in str(smtp_server.messages[0]["Subject"])
    # Most neglected first: Number00 (January 2010) … Number09; Number10 and Maryia (2020) are left out.
    positions = [body.index(f"Prisoner Number{n:02d}") for n in range(10)]
    assert positions == sorted(positions)
    assert "Number10" not in body and "Maryia" not in body and "Freed Early" not in body
    assert "never recorded: intervention, contact, public action, media mention (counted since 2010-01-15)" in body
    assert f"/work/radar/cases/{released.pk}/" not in body
    with _at(MONDAY.replace(day=5)):
        _run()
    assert len(smtp_server.messages) == 1  # once a week: nothing new on Wednesday
    with _at(MONDAY.replace(day=10)):
        _run()
    assert len(smtp_server.messages) == 2


def test_it_sends_the_digest_to_the_admins_when_nobody_coordinates(cast: Any, sample: Any,
                                                                   smtp_server: Any) -> None:
    Membership.objects.filter(user=cast.cleo).update(is_active=False)
    with _at(MONDAY):
        result = actions.do_send_weekly_digests(organisation=cast.org_a)
        outbox.deliver_due()
    assert result.queued == 1 and [e[1] for e in smtp_server.envelopes] == [["dana@example.org"]]
    assert "Maryia Kalesnikava" in smtp_server.bodies()[0]


def test_it_tells_an_organisation_with_no_cases_that_there_is_nothing_to_report(cast: Any,
                                                                               smtp_server: Any) -> None:
    # Org B has one case worker (Chris) and no coordinator; give it one, and no prisoner.
    nadia = User.objects.create_user(email="nadia@example.org", password="x" * 20, display_name="Nadia")
    Membership.objects.create(user=nadia, organisation=cast.org_b, roles=["coordinator"])
    with _at(MONDAY):
        result = actions.do_send_weekly_digests(organisation=cast.org_b)
        outbox.deliver_due()
    assert result.queued == 1 and result.nothing_to_report == 1
    assert [e[1] for e in smtp_server.envelopes] == [["nadia@example.org"]]
    assert "nothing to report" in str(smtp_server.messages[0]["Subject"])
    assert "Nothing to report: Lawyers Network (Org B) has no case held today" in smtp_server.bodies()[0]


def test_it_skips_an_organisation_without_coordinators_nor_admins_without_error(cast: Any, smtp_server: Any) -> None:
    lonely = Organisation.objects.create(name="Alone", slug="alone", country="FR")
    with _at(MONDAY):
        result = actions.do_send_weekly_digests(organisation=lonely)
    assert (result.queued, result.no_recipients) == (0, 1)


def test_it_carries_only_what_each_recipient_may_see(cast: Any, sample: Any, radar: Any, smtp_server: Any) -> None:
    # Two coordinators: Cleo, and Vera who also coordinates; only Cleo joins the hidden case's team.
    Membership.objects.filter(user=cast.vera, organisation=cast.org_a).update(roles=["viewer", "coordinator"])
    with _at(MONDAY):
        _run()
    everything = "\n".join(smtp_server.bodies()) + "\n".join(str(m["Subject"]) for m in smtp_server.messages)
    assert "Maryia Kalesnikava" in everything
    # The restricted prisoner exists only for their case team; internal and restricted values never travel.
    assert RESTRICTED_NAME not in everything
    for canary in [*sample.canaries, MEDIA_NOTE_CANARY]:
        assert canary not in everything
    radar.hidden_case.person.case_team.add(cast.cleo)
    with _at(MONDAY.replace(day=10)):
        _run()
    assert RESTRICTED_NAME in _to(smtp_server, "cleo@example.org")[-1]
    assert RESTRICTED_NAME not in _to(smtp_server, "vera@example.org")[-1]

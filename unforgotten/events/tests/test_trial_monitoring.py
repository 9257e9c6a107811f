"""Issue 7 item 6: upcoming hearings appear as trial-monitoring events only through the public projection.

Personas: Dana (admin of Org A) keeps the registry's hearings; Chris (Org B) keeps Ales Bialiatski's record,
which has no name consent. Maryia Kalesnikava (Org A's sample) has recorded name consent.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from unforgotten.core import outbox
from unforgotten.core.partialdate import PartialDate
from unforgotten.events import actions
from unforgotten.events.models import Attendance, Event, Role
from unforgotten.events.tests.conftest import form_token
from unforgotten.registry import actions as registry
from unforgotten.registry.testing import make_sample

pytestmark = pytest.mark.django_db


def _hearing(case: Any, user: Any, *, days: int = 20, is_open: bool | None = True, court: str = "Minsk City Court",
             exact: bool = True) -> Any:
    day = timezone.localdate() + timedelta(days=days)
    held = PartialDate(day.year, day.month, day.day) if exact else PartialDate(day.year, day.month)
    return registry.do_add_hearing(case=case, data={"court": court, "court_kind": "civilian", "held_on": held,
                                                    "is_open": is_open}, acting_user=user)


def _listed() -> str:
    return Client().get("/en/events/").content.decode()


def test_it_shows_an_open_dated_hearing_of_a_consenting_person(cast: Any) -> None:
    sample = make_sample(cast)
    _hearing(sample.case_a, cast.dana, court="Minsk City Court; hall 3")
    assert actions.do_sync_hearings() == 1
    event = Event.objects.get(kind="trial_monitoring")
    body = _listed()
    assert "Trial monitoring: Maryia Kalesnikava" in body
    page = Client().get(f"/en/events/{event.slug}/").content.decode()
    assert "Minsk City Court; hall 3" in page and "Sign up to monitor this hearing" in page
    ar = Client().get(f"/ar/events/{event.slug}/")
    assert ar.status_code == 200 and 'dir="rtl"' in ar.content.decode()
    # Idempotent: a second sync makes nothing new.
    assert actions.do_sync_hearings() == 0


def test_it_never_shows_closed_unknown_or_vaguely_dated_hearings(cast: Any) -> None:
    sample = make_sample(cast)
    _hearing(sample.case_a, cast.dana, is_open=False, court="CANARY-closed-court")
    _hearing(sample.case_a, cast.dana, is_open=None, court="CANARY-unknown-court", days=21)
    _hearing(sample.case_a, cast.dana, exact=False, court="CANARY-month-only-court", days=40)
    actions.do_sync_hearings()
    body = _listed() + Client().get("/en/events/calendar.ics").content.decode()
    for event in Event.objects.all():
        body += Client().get(f"/en/events/{event.slug}/").content.decode()
    for canary in ("CANARY-closed-court", "CANARY-unknown-court", "CANARY-month-only-court"):
        assert canary not in body


def test_it_never_shows_a_person_without_name_consent(cast: Any) -> None:
    sample = make_sample(cast)
    case_b = registry.do_add_case(person=sample.person_b, data={"jurisdiction": "BY", "theme": "assembly"},
                                  acting_user=cast.chris)
    _hearing(case_b, cast.chris, court="CANARY-court-of-person-b")
    assert actions.do_sync_hearings() == 1
    event = Event.objects.get()
    body = _listed() + Client().get("/en/events/calendar.ics").content.decode()
    assert "CANARY-court-of-person-b" not in body and "Bialiatski" not in body
    assert Client().get(f"/en/events/{event.slug}/").status_code == 404
    assert Client().get(f"/en/events/{event.slug}/event.ics").status_code == 404
    assert Client().get(f"/en/events/{event.slug}/rsvp/").status_code == 404


def test_it_takes_the_hearing_down_when_consent_is_withdrawn_or_the_hearing_closes(cast: Any) -> None:
    sample = make_sample(cast)
    hearing = _hearing(sample.case_a, cast.dana)
    actions.do_sync_hearings()
    event = Event.objects.get()
    assert Client().get(f"/en/events/{event.slug}/").status_code == 200  # now stored in the page store
    registry.do_update_hearing(hearing=hearing, data={"is_open": False}, acting_user=cast.dana)
    assert Client().get(f"/en/events/{event.slug}/").status_code == 404
    assert "Kalesnikava" not in _listed()
    registry.do_update_hearing(hearing=hearing, data={"is_open": True}, acting_user=cast.dana)
    assert Client().get(f"/en/events/{event.slug}/").status_code == 200
    consent = sample.person_a.consents.get(scope="name")
    registry.do_withdraw_consent(consent=consent, withdrawn_on=timezone.localdate(), acting_user=cast.dana)
    assert Client().get(f"/en/events/{event.slug}/").status_code == 404
    assert "Kalesnikava" not in _listed() + Client().get("/en/events/calendar.ics").content.decode()


def test_it_moves_the_event_with_the_hearing(cast: Any) -> None:
    sample = make_sample(cast)
    hearing = _hearing(sample.case_a, cast.dana, days=20)
    actions.do_sync_hearings()
    later = timezone.localdate() + timedelta(days=30)
    registry.do_update_hearing(hearing=hearing, data={"held_on": PartialDate(later.year, later.month, later.day)},
                               acting_user=cast.dana)
    assert actions.do_sync_hearings() == 1
    assert Event.objects.get().starts_at.date() == later


def test_it_lets_monitors_sign_up(cast: Any) -> None:
    sample = make_sample(cast)
    _hearing(sample.case_a, cast.dana)
    actions.do_sync_hearings()
    event = Event.objects.get()
    client = Client()
    token = form_token(client.get(f"/en/events/{event.slug}/rsvp/").content.decode())
    response = client.post(f"/en/events/{event.slug}/rsvp/", {"email": "monitor@example.org", "consent": "on",
                                                               "website": "", "form_token": token})
    assert response.status_code == 303
    assert Attendance.objects.get().role == Role.MONITOR
    outbox.deliver_due()
    assert [m.to for m in mail.outbox] == [["monitor@example.org"]]
    assert "Trial monitoring: Maryia Kalesnikava" in mail.outbox[0].subject


def _bulk_hearings(case: Any, count: int, *, first_day: int = 1, is_open: bool | None = True, exact: bool = True,
                   court: str = "Court") -> list[Any]:
    """Hearings straight into the table (the registry's action would take minutes for thousands); one a day."""
    from unforgotten.registry.models import Hearing

    rows = []
    for n in range(count):
        day = timezone.localdate() + timedelta(days=first_day + n)
        held = PartialDate(day.year, day.month, day.day) if exact else PartialDate(day.year, day.month)
        rows.append(Hearing(organisation_id=case.organisation_id, case=case, court=f"{court} {n}",
                            court_kind="civilian", held_on=str(held), is_open=is_open))
    return Hearing.objects.bulk_create(rows)


def test_it_syncs_thousands_of_hearings_in_queries_that_do_not_grow_with_them(
        cast: Any, django_assert_max_num_queries: Any) -> None:
    """Issue 7 item 6 (act7 brief, gap 3): the sync filtered every hearing in Python, one query per event."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from unforgotten.audit.models import AuditEvent

    sample = make_sample(cast)
    # A handful first: what a small registry costs is the bound for a big one.
    _bulk_hearings(sample.case_a, 3, first_day=3000)
    with CaptureQueriesContext(connection) as small:
        assert actions.do_sync_hearings() == 3
    bound = len(small.captured_queries) + 2  # at most one more INSERT and UPDATE batch per thousand rows
    upcoming = _bulk_hearings(sample.case_a, 2000)
    _bulk_hearings(sample.case_a, 300, first_day=-400, court="Past")  # over
    _bulk_hearings(sample.case_a, 300, first_day=5, is_open=False, court="Closed")
    _bulk_hearings(sample.case_a, 300, first_day=5, is_open=None, court="Unknown")
    _bulk_hearings(sample.case_a, 300, first_day=5, exact=False, court="Month")
    with django_assert_max_num_queries(bound):
        assert actions.do_sync_hearings() == 2000
    assert Event.objects.filter(kind="trial_monitoring").count() == 2003
    assert set(Event.objects.values_list("hearing_id", flat=True)) >= {h.pk for h in upcoming}
    # Idempotent: nothing changed, nothing written, not even an audit event.
    audited = AuditEvent.objects.filter(action="events.sync_hearings").count()
    with django_assert_max_num_queries(3):
        assert actions.do_sync_hearings() == 0
    assert AuditEvent.objects.filter(action="events.sync_hearings").count() == audited
    # A thousand hearings move: their events move with them, in bulk, and nothing else is touched.
    from unforgotten.registry.models import Hearing

    later = timezone.localdate() + timedelta(days=4000)
    moved_ids = [h.pk for h in upcoming[:1000]]
    Hearing.objects.filter(pk__in=moved_ids).update(held_on=str(PartialDate(later.year, later.month, later.day)))
    untouched = dict(Event.objects.filter(hearing_id=upcoming[1500].pk).values_list("pk", "updated_at"))
    with django_assert_max_num_queries(bound):
        assert actions.do_sync_hearings() == 1000
    assert set(Event.objects.filter(hearing_id__in=moved_ids).values_list("starts_at__date", flat=True)) == {later}
    assert dict(Event.objects.filter(hearing_id=upcoming[1500].pk).values_list("pk", "updated_at")) == untouched
    last = AuditEvent.objects.filter(action="events.sync_hearings").order_by("-id").first()
    assert last is not None and last.organisation_id == cast.org_a.pk
    assert sorted(last.changes["moved_for_hearings"][1]) == sorted(moved_ids)

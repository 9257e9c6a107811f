"""Issue 7 item 6: RSVP with double opt-in by e-mail, the place shown only after confirmation, cancel, retention.

Personas: Dana (admin of Org A, ``campaign``) writes the vigil, Bilal (reviewer, ``publish``) publishes it;
the public RSVPs without an account.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from unforgotten.core import outbox
from unforgotten.events import actions, wording
from unforgotten.events.models import Attendance, AttendanceState
from unforgotten.events.testing import (
    CONFIRM_LINK,
    HIDDEN_LINK,
    HIDDEN_PLACE,
    MANAGE_LINK,
    links_in,
    make_vigil,
)
from unforgotten.events.tests.conftest import form_token

pytestmark = pytest.mark.django_db
ADDRESS = "walker@example.net"


def _rsvp(client: Client, slug: str = "vigil-for-maryia", *, language: str = "en", email: str = ADDRESS,
          **extra: str) -> Any:
    page = client.get(f"/{language}/events/{slug}/rsvp/")
    assert page.status_code == 200
    fields = {"email": email, "consent": "on", "website": "", "form_token": form_token(page.content.decode()),
              **extra}
    return client.post(f"/{language}/events/{slug}/rsvp/", fields)


def _mails(to: str = ADDRESS) -> list[Any]:
    outbox.deliver_due()
    return [m for m in mail.outbox if to in m.to]


def _path(link: str) -> str:
    return urlsplit(link).path


def test_it_confirms_an_rsvp_by_post_and_only_then_gives_the_place(cast: Any) -> None:
    make_vigil(cast)
    client = Client()
    detail = client.get("/en/events/vigil-for-maryia/").content.decode()
    assert HIDDEN_PLACE not in detail and "sent by e-mail to people who RSVP" in detail
    response = _rsvp(client)
    assert response.status_code == 303 and response["Location"] == "/en/events/rsvp/sent/"
    attendance = Attendance.objects.get()
    assert attendance.state == AttendanceState.PENDING
    assert attendance.consent_text == wording.consent("en") and len(attendance.consent_sha256) == 64
    [confirm_mail] = _mails()
    assert HIDDEN_PLACE not in confirm_mail.body  # nothing before confirmation
    link = _path(links_in(confirm_mail.body, CONFIRM_LINK)[0])
    # A mail scanner opening the link changes nothing: the GET only shows a button.
    page = client.get(link)
    assert page.status_code == 200 and 'method="post"' in page.content.decode()
    attendance.refresh_from_db()
    assert attendance.state == AttendanceState.PENDING
    confirmed = client.post(link)
    assert confirmed.status_code == 303
    own_page = client.get(confirmed["Location"]).content.decode()
    assert HIDDEN_PLACE in own_page and HIDDEN_LINK in own_page
    attendance.refresh_from_db()
    assert attendance.state == AttendanceState.CONFIRMED
    details = _mails()[-1]
    assert HIDDEN_PLACE in details.body and HIDDEN_LINK in details.body
    # The link works once.
    assert client.post(link).status_code == 404
    # The count is shown "as of" on the public page.
    actions._purge()
    body = client.get("/en/events/vigil-for-maryia/").content.decode()
    assert "1 person has RSVPed" in body and "as of" in body


def test_it_answers_a_repeat_the_same_and_tells_only_the_owner(cast: Any) -> None:
    make_vigil(cast)
    first = _rsvp(Client())
    again = _rsvp(Client())
    assert first.status_code == again.status_code == 303 and first["Location"] == again["Location"]
    assert Attendance.objects.count() == 1
    mails = _mails()
    assert len(mails) == 2 and all(m.to == [ADDRESS] for m in mails)
    # The second link replaced the first.
    old, new = (_path(links_in(m.body, CONFIRM_LINK)[0]) for m in mails)
    assert Client().post(old).status_code == 404
    assert Client().post(new).status_code == 303


def test_it_drops_a_filled_honeypot_and_a_forged_form_token_silently(cast: Any) -> None:
    make_vigil(cast)
    assert _rsvp(Client(), website="http://spam.example").status_code == 303
    client = Client()
    response = client.post("/en/events/vigil-for-maryia/rsvp/", {"email": ADDRESS, "consent": "on",
                                                                  "form_token": "forged"})
    assert response.status_code == 303
    assert Attendance.objects.count() == 0 and _mails() == []


@pytest.mark.parametrize("email", ["not-an-address", "a@b", "x" * 300 + "@example.org", "<b>@example.org",
                                   "ann\x00@example.org"])
def test_it_refuses_bad_addresses_with_a_clear_message_and_stores_nothing(cast: Any, email: str) -> None:
    make_vigil(cast)
    response = _rsvp(Client(), email=email)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Nothing was sent" in body and 'role="alert"' in body
    assert Attendance.objects.count() == 0 and _mails("@") == []


def test_it_needs_the_consent_box(cast: Any) -> None:
    make_vigil(cast)
    client = Client()
    token = form_token(client.get("/en/events/vigil-for-maryia/rsvp/").content.decode())
    response = client.post("/en/events/vigil-for-maryia/rsvp/", {"email": ADDRESS, "form_token": token})
    assert response.status_code == 400 and "Tick the box" in response.content.decode()
    assert Attendance.objects.count() == 0


@pytest.mark.parametrize("token", ["no-such-token", "x" * 500, "eyJhIjoiMSJ9:forged:sig"])
def test_it_gives_forged_links_one_answer(cast: Any, token: str) -> None:
    make_vigil(cast)
    for route in ("confirm", "manage"):
        assert Client().get(f"/en/events/rsvp/{route}/{token}/").status_code == 404
        assert Client().post(f"/en/events/rsvp/{route}/{token}/").status_code == 404


def test_it_cancels_from_the_emailed_page_and_erases_the_address(cast: Any) -> None:
    make_vigil(cast)
    client = Client()
    _rsvp(client)
    confirmed = client.post(_path(links_in(_mails()[0].body, CONFIRM_LINK)[0]))
    manage = _path(links_in(_mails()[-1].body, MANAGE_LINK)[0])
    assert confirmed["Location"] == manage
    assert client.post(manage).status_code == 200
    attendance = Attendance.objects.get()
    assert attendance.state == AttendanceState.CANCELLED and attendance.anonymised
    assert attendance.email == "" and attendance.email_key is None
    assert client.get(manage).status_code == 404


def test_it_refuses_rsvps_to_a_cancelled_event_and_tells_confirmed_attendees(cast: Any) -> None:
    sample = make_vigil(cast)
    client = Client()
    _rsvp(client)
    client.post(_path(links_in(_mails()[0].body, CONFIRM_LINK)[0]))
    actions.do_cancel_event(event=sample.vigil, acting_user=cast.dana)
    assert "cancelled" in _mails()[-1].body
    assert client.get("/en/events/vigil-for-maryia/rsvp/").status_code == 404
    assert "This event is cancelled." in client.get("/en/events/vigil-for-maryia/").content.decode()


def test_it_anonymises_rsvps_months_after_the_event(cast: Any, settings: Any) -> None:
    settings.EVENT_ANONYMISE_MONTHS = 2
    make_vigil(cast, days=1)
    client = Client()
    _rsvp(client)
    client.post(_path(links_in(_mails()[0].body, CONFIRM_LINK)[0]))
    assert actions.do_anonymise_past(timezone.now() + timedelta(days=40)) == 0
    assert actions.do_anonymise_past(timezone.now() + timedelta(days=70)) == 1
    attendance = Attendance.objects.get()
    assert attendance.anonymised and attendance.email == "" and attendance.email_key is None
    assert attendance.state == AttendanceState.CONFIRMED  # still counted as having come


def test_it_deletes_unconfirmed_rsvps_when_their_link_expires(cast: Any, settings: Any) -> None:
    make_vigil(cast, days=30)
    _rsvp(Client())
    link = _path(links_in(_mails()[0].body, CONFIRM_LINK)[0])
    with time_machine.travel(timezone.now() + timedelta(days=settings.EVENT_CONFIRM_DAYS + 1)):
        assert Client().post(link).status_code == 404
        actions.do_anonymise_past()
    assert Attendance.objects.count() == 0


def test_it_caps_mails_to_one_address_per_day(cast: Any) -> None:
    make_vigil(cast)
    for _ in range(6):
        _rsvp(Client())
    assert len(_mails()) == actions.MAILS_PER_ADDRESS_PER_DAY

"""Issue 6: the public "suggest a prisoner" form: no account, spam-protected, and a reply that reveals nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client

from unforgotten.audit.models import AuditEvent
from unforgotten.core import antispam, schedule
from unforgotten.core.models import AddressStamp
from unforgotten.intake.models import Status, Suggestion
from unforgotten.intake.tests.conftest import form_token

pytestmark = pytest.mark.django_db

START = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
GOOD = {"person_name": "Ilgar Mammadov", "country": "AZ", "place_held": "Prison 14", "held_since": "2021-03",
        "reason": "Arrested after a speech.", "sources": "https://example.org/report",
        "contact_name": "Leyla", "contact": "leyla@example.net", "website": ""}


def _post(client: Client, data: dict[str, str] | None = None, *, wait: float = 10, token: str | None = None,
          language: str = "en", ip: str = "203.0.113.7") -> Any:
    with time_machine.travel(START, tick=False) as traveller:
        page = client.get(f"/{language}/suggest/")
        served = form_token(page.content.decode()) if token is None else token
        traveller.shift(timedelta(seconds=wait))
        return client.post(f"/{language}/suggest/", {**GOOD, **(data or {}), "form_token": served},
                           REMOTE_ADDR=ip)


def _final(client: Client, response: Any) -> bytes:
    assert response.status_code == 303
    return bytes(client.get(response["Location"]).content)


def test_it_receives_a_suggestion_without_an_account_and_replies_only_thank_you(cast: Any) -> None:
    client = Client()
    page = client.get("/en/suggest/")
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    assert not page.cookies, "a public form sets no cookie"
    response = _post(client)
    assert response["Location"] == "/en/suggest/received/"
    body = _final(client, response).decode()
    assert "Your suggestion has been received." in body
    suggestion = Suggestion.objects.get()
    assert suggestion.status == Status.NEW and suggestion.organisation == cast.org_a
    assert (suggestion.person_name, suggestion.country, str(suggestion.held_since)) == ("Ilgar Mammadov", "AZ", "2021-03")
    assert suggestion.unsealed("contact") == "leyla@example.net" and suggestion.unsealed("contact_name") == "Leyla"
    event = AuditEvent.objects.get(action="intake.receive_suggestion")
    assert "leyla@example.net" not in str(event.changes) and event.actor_label == "public form"


def test_it_stores_the_suggesters_contact_only_encrypted(cast: Any) -> None:
    _post(Client())
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact, contact_name FROM intake_suggestion")
        contact, name = cursor.fetchone()
    from unforgotten.core.crypto import FIELD_PREFIX

    assert contact.startswith(FIELD_PREFIX) and name.startswith(FIELD_PREFIX)
    assert "leyla" not in contact.lower() and "Leyla" not in name


def test_it_gives_the_same_reply_whether_or_not_the_person_is_known(cast: Any) -> None:
    from unforgotten.registry import actions
    from unforgotten.registry.actions import NameInput

    actions.do_create_person(organisation=cast.org_a, names=[NameInput("Ilgar Mammadov")], data={"country": "AZ"},
                             acting_user=cast.dana)
    known = _final(Client(), _post(Client()))
    unknown = _final(Client(), _post(Client(), {"person_name": "Nobody Known Atall"}))
    assert known == unknown
    assert Suggestion.objects.count() == 2


@pytest.mark.parametrize(("data", "wait", "token", "reason"), [
    ({"website": "http://spam.example"}, 10, None, "honeypot"),
    ({}, 1, None, "token-too-fast"),
    ({}, 7201, None, "token-expired"),
    ({}, 10, "forged:token", "token-forged"),
    ({}, 10, "", "token-missing"),
])
def test_it_quarantines_what_looks_automated_and_gives_the_same_reply(cast: Any, data: dict[str, str], wait: float,
                                                                        token: str | None, reason: str) -> None:
    client = Client()
    honest = _final(client, _post(client, {"person_name": "Honest Person"}))
    response = _post(client, data, wait=wait, token=token, ip="198.51.100.9")
    assert _final(client, response) == honest
    suspicious = Suggestion.objects.get(status=Status.QUARANTINED)
    assert suspicious.quarantine_reasons == [reason]


def test_it_quarantines_a_replayed_form_token(cast: Any) -> None:
    client = Client()
    with time_machine.travel(START, tick=False) as traveller:
        token = form_token(client.get("/en/suggest/").content.decode())
        traveller.shift(timedelta(seconds=10))
        first = client.post("/en/suggest/", {**GOOD, "form_token": token})
        second = client.post("/en/suggest/", {**GOOD, "form_token": token})
    assert first.status_code == second.status_code == 303
    assert [s.quarantine_reasons for s in Suggestion.objects.order_by("id")] == [[], ["token-reused"]]


def test_it_quarantines_a_flood_from_one_address_and_keeps_only_a_keyed_digest(cast: Any, settings: Any) -> None:
    settings.INTAKE_HOURLY_LIMIT = 2
    client = Client()
    for _ in range(3):
        _post(client, ip="192.0.2.44")
    assert [s.status for s in Suggestion.objects.order_by("id")] == [Status.NEW, Status.NEW, Status.QUARANTINED]
    assert Suggestion.objects.order_by("id").last().quarantine_reasons == ["rate"]  # type: ignore[union-attr]
    # Another address is not affected.
    _post(client, ip="192.0.2.45")
    assert Suggestion.objects.order_by("id").last().status == Status.NEW  # type: ignore[union-attr]
    stamps = list(AddressStamp.objects.filter(purpose="intake").values_list("digest", flat=True))
    assert len(stamps) == 4 and all("192.0.2" not in d for d in stamps)
    with time_machine.travel(START, tick=False):
        assert antispam.address_digest("192.0.2.44") in stamps
    with time_machine.travel(START + timedelta(days=1), tick=False):
        # The key changes with the UTC day: yesterday's digest cannot be linked to today's.
        assert antispam.address_digest("192.0.2.44") not in stamps


def test_it_forgets_every_address_digest_within_24_hours(cast: Any) -> None:
    _post(Client())
    assert AddressStamp.objects.count() == 2  # the address and the spent form token
    with time_machine.travel(START + timedelta(hours=24, minutes=1), tick=False):
        schedule.run_now("intake.forget_addresses")
    assert AddressStamp.objects.count() == 0


def test_it_drops_a_flood_beyond_the_hard_limit_without_storing_it(cast: Any, settings: Any) -> None:
    from unforgotten.intake import public_views

    settings.INTAKE_HOURLY_LIMIT = 1
    client = Client()
    for _ in range(public_views.FLOOD + 2):
        response = _post(client, ip="192.0.2.99")
        assert response.status_code == 303
    assert Suggestion.objects.count() == public_views.FLOOD


@pytest.mark.parametrize(("data", "message"), [
    ({"person_name": ""}, "This field is required."),
    ({"reason": "x" * 5001}, "Ensure this value has at most 5000 characters"),
    ({"person_name": "Ilgar\x07 Mammadov"}, "Remove the invisible control characters"),
    ({"reason": "<script>alert(1)</script>"}, "Please write plain text, without HTML."),
    ({"contact": "<b>me</b>"}, "Please write plain text, without HTML."),
    ({"country": "XX"}, "Select a valid choice."),
    ({"held_since": "yesterday"}, "Enter a year (2021)"),
])
def test_it_refuses_bad_input_with_a_clear_message_and_stores_nothing(cast: Any, data: dict[str, str],
                                                                        message: str) -> None:
    response = _post(Client(), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body and "Nothing was sent." in body
    assert "<script>alert(1)</script>" not in body
    assert Suggestion.objects.count() == 0
    assert not AuditEvent.objects.filter(action="intake.receive_suggestion").exists()


def test_it_refuses_an_oversized_post_whole(cast: Any) -> None:
    response = Client().post("/en/suggest/", {**GOOD, "reason": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 400
    assert Suggestion.objects.count() == 0


def test_it_is_translated_and_mirrored_in_arabic(cast: Any) -> None:
    body = Client().get("/ar/suggest/").content.decode()
    assert 'dir="rtl"' in body and 'lang="ar"' in body
    assert "اقترح" in body


def test_it_says_suggestions_are_closed_when_no_organisation_receives_them(cast: Any, settings: Any) -> None:
    settings.PUBLIC_SITE_ORGANISATION = "no-such-org"
    client = Client()
    assert "Suggestions are not open" in client.get("/en/suggest/").content.decode()
    assert client.post("/en/suggest/", GOOD).status_code == 400
    assert Suggestion.objects.count() == 0

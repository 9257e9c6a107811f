"""Issue 6: newsletter sign-up with double opt-in, stored as consent; one-click unsubscribe; campaigners' export."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client

from unforgotten.audit.models import AuditEvent
from unforgotten.core import outbox
from unforgotten.core.models import OutboxMessage
from unforgotten.newsletter import texts
from unforgotten.newsletter.models import ConsentEvent, Status, Subscriber
from unforgotten.newsletter.tests.conftest import form_token
from unforgotten.testing import PASSWORD

pytestmark = pytest.mark.django_db

# An hour ago: links made at sign-up are then checked at the real "now", well within their lifetime.
START = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
ADDRESS = "reader@example.net"


def _sign_up(email: str = ADDRESS, *, language: str = "en", extra: dict[str, str] | None = None,
             at: datetime = START) -> Any:
    client = Client()
    with time_machine.travel(at, tick=False) as traveller:
        token = form_token(client.get(f"/{language}/newsletter/").content.decode())
        traveller.shift(timedelta(seconds=10))
        response = client.post(f"/{language}/newsletter/", {"email": email, "consent": "on", "website": "",
                                                             "form_token": token, **(extra or {})})
    return response


def _links(text: str) -> dict[str, str]:
    found = dict(re.findall(r"http://testserver(/\w+/newsletter/(confirm|unsubscribe)/[^/\s]+/)", text))
    return {kind: path for path, kind in found.items()}


def test_it_confirms_a_subscription_through_a_real_smtp_server(cast: Any, settings: Any, smtp_server: Any) -> None:
    settings.SITE_URL = "http://testserver"
    response = _sign_up(language="fr")
    assert response.status_code == 303 and response["Location"] == "/fr/newsletter/check-your-inbox/"
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Status.PENDING
    outbox.deliver_due()
    assert [e[1] for e in smtp_server.envelopes] == [[ADDRESS]]
    message = smtp_server.messages[0]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    links = _links(smtp_server.bodies()[0])
    client = Client()
    # A mail scanner opening the link changes nothing: the GET only shows a button.
    page = client.get(links["confirm"])
    assert page.status_code == 200 and 'method="post"' in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Status.PENDING
    done = client.post(links["confirm"])
    assert done.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Status.CONFIRMED and subscriber.confirmed_at is not None
    requested, confirmed = ConsentEvent.objects.filter(subscriber=subscriber).order_by("id")
    from django.utils import translation

    with translation.override("fr"):
        shown = texts.sign_up_consent()
    assert (requested.kind, requested.text, requested.language) == ("requested", shown, "fr")
    assert requested.at == START + timedelta(seconds=10)
    import hashlib

    assert requested.text_sha256 == hashlib.sha256(shown.encode()).hexdigest()
    assert confirmed.kind == "confirmed" and confirmed.language == "fr"
    # The link works once.
    replay = client.post(links["confirm"])
    assert replay.status_code == 400 and "Ce lien a déjà été utilisé." in replay.content.decode()
    assert ConsentEvent.objects.filter(subscriber=subscriber).count() == 2
    assert ADDRESS not in "".join(str(e.changes) + e.actor_label for e in AuditEvent.objects.all())


def test_it_answers_the_same_whether_or_not_the_address_is_subscribed(cast: Any, settings: Any) -> None:
    settings.SITE_URL = "http://testserver"
    first = _sign_up()
    subscriber = Subscriber.objects.get()
    subscriber.status = Status.CONFIRMED
    subscriber.save()
    again = _sign_up(at=START + timedelta(minutes=5))
    assert (first.status_code, first["Location"]) == (again.status_code, again["Location"])
    assert Client().get(first["Location"]).content == Client().get(again["Location"]).content
    assert Subscriber.objects.count() == 1
    subscriber.refresh_from_db()
    assert subscriber.status == Status.CONFIRMED
    kinds = list(OutboxMessage.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == ["newsletter.confirm", "newsletter.already"]


def test_it_keeps_the_address_only_encrypted(cast: Any) -> None:
    _sign_up()
    with connection.cursor() as cursor:
        cursor.execute("SELECT email, email_digest FROM newsletter_subscriber")
        email, digest = cursor.fetchone()
    assert "reader" not in email and "reader" not in digest and email.startswith("uf1:")


def test_it_refuses_forged_and_expired_links_with_clear_messages(cast: Any, settings: Any) -> None:
    from unforgotten.newsletter import tokens

    settings.SITE_URL = "http://testserver"
    with time_machine.travel(START, tick=False):
        _sign_up()
        subscriber = Subscriber.objects.get()
        good = tokens.make(tokens.CONFIRM, str(subscriber.uuid), subscriber.confirm_nonce)
    client = Client()
    forged = good[:-3] + ("aaa" if not good.endswith("aaa") else "bbb")
    for token in (forged, "x" * 500, "not-a-token"):
        response = client.post(f"/en/newsletter/confirm/{token}/")
        assert response.status_code == 400 and "This link is not valid." in response.content.decode()
    with time_machine.travel(START + timedelta(days=8), tick=False):
        expired = client.get(f"/en/newsletter/confirm/{good}/")
        assert expired.status_code == 400 and "This link has expired." in expired.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Status.PENDING
    # A link made for the unsubscribe purpose does not confirm (and the other way round).
    cross = tokens.make(tokens.UNSUBSCRIBE, str(subscriber.uuid), subscriber.confirm_nonce)
    assert client.post(f"/en/newsletter/confirm/{cross}/").status_code == 400


def test_it_unsubscribes_with_one_click_and_records_the_withdrawal(cast: Any, settings: Any) -> None:
    settings.SITE_URL = "http://testserver"
    _sign_up()
    links = _links(OutboxMessageBodies.latest())
    Client().post(links["confirm"])
    # RFC 8058: the mail program POSTs to the List-Unsubscribe address, with no cookie and no form token.
    response = Client().post(links["unsubscribe"], {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Status.UNSUBSCRIBED and subscriber.unsubscribed_at is not None
    withdrawn = ConsentEvent.objects.filter(subscriber=subscriber, kind="withdrawn").get()
    assert withdrawn.text == texts.withdrawal() and withdrawn.source == "unsubscribe link"
    assert Client().post(links["unsubscribe"]).status_code == 400  # single use
    assert AuditEvent.objects.filter(action="newsletter.unsubscribe").count() == 1


class OutboxMessageBodies:
    @staticmethod
    def latest() -> str:
        message = OutboxMessage.objects.order_by("-id").first()
        assert message is not None
        return str(outbox._content(message)["body"])


@pytest.mark.parametrize(("data", "message"), [
    ({"email": "not-an-address"}, "Enter a valid email address."),
    ({"email": "a" * 250 + "@example.org"}, "Ensure this value has at most 254 characters"),
    ({"email": "<b>x</b>@example.org"}, "Enter a valid email address."),
    ({"email": "reader\x07@example.org"}, "Enter a valid email address."),
    ({"consent": ""}, "Tick the box to say that you want the newsletter."),
])
def test_it_refuses_bad_input_with_a_clear_message_and_stores_nothing(cast: Any, data: dict[str, str],
                                                                        message: str) -> None:
    response = _sign_up(extra=data)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body and "Nothing was sent." in body and "<b>x</b>" not in body
    assert not Subscriber.objects.exists() and not OutboxMessage.objects.exists()


def test_it_drops_a_robots_sign_up_silently_with_the_same_answer(cast: Any) -> None:
    honest = _sign_up("one@example.org")
    robot = _sign_up("two@example.org", extra={"website": "http://spam.example"})
    hurried = Client().post("/en/newsletter/", {"email": "three@example.org", "consent": "on", "form_token": "bad"})
    assert honest["Location"] == robot["Location"] == hurried["Location"]
    assert Subscriber.objects.count() == 1


def test_it_exports_the_confirmed_list_for_campaigners_after_reauthentication(cast: Any, settings: Any) -> None:
    settings.SITE_URL = "http://testserver"
    for address in ("=cmd@example.org", "kept@example.org", "waiting@example.org"):
        _sign_up(address)
    for subscriber in Subscriber.objects.exclude(language="xx"):
        if subscriber.project_email() != "waiting@example.org":
            Subscriber.objects.filter(pk=subscriber.pk).update(status=Status.CONFIRMED, confirmed_at=START)
    cora = Client()
    cora.force_login(cast.cora)
    assert "Confirmed" in cora.get("/work/newsletter/").content.decode()
    first = cora.post("/work/newsletter/org-a/export.csv")
    assert first.status_code == 302 and first["Location"].startswith("/accounts/reauthenticate/")
    assert cora.post("/accounts/reauthenticate/", {"password": PASSWORD}).status_code == 302
    response = cora.post("/work/newsletter/org-a/export.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["email", "language", "confirmed_at"]
    assert sorted(r[0] for r in rows[1:]) == ["'=cmd@example.org", "kept@example.org"]
    event = AuditEvent.objects.get(action="newsletter.export")
    assert event.changes == {"exported": [None, 2]} and event.actor_id == cast.cora.pk
    # Viewers, caseworkers and other organisations' members: not found.
    for user in (cast.vera, cast.amal, cast.chris):
        client = Client()
        client.force_login(user)
        assert client.get("/work/newsletter/").status_code == 404
        assert client.post("/work/newsletter/org-a/export.csv").status_code == 404


def test_it_sends_at_most_three_emails_a_day_to_one_address_whoever_asks(cast: Any, settings: Any) -> None:
    settings.SITE_URL = "http://testserver"
    for minute in range(5):
        assert _sign_up(at=START + timedelta(minutes=minute)).status_code == 303
    assert OutboxMessage.objects.count() == 3
    assert Subscriber.objects.count() == 1
    assert ConsentEvent.objects.filter(kind="requested").count() == 5
    # Past the cap no new link is made, so the last one e-mailed still confirms.
    links = _links(OutboxMessageBodies.latest())
    assert Client().post(links["confirm"]).status_code == 200
    assert Subscriber.objects.get().status == Status.CONFIRMED

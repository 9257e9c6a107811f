"""Issue 7 items 4, 5: letters never escape. The sender's name, address and e-mail (restricted, encrypted), the
bodies of letters (internal; never public even once approved), and a letter writer's e-mail address must appear
on no public page, in no API answer to a stranger or another organisation, in no PDF unless the sender chose it
(and never the e-mail), in no e-mail to an official, and in no log line."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import Client

from unforgotten.core import outbox
from unforgotten.letters import actions
from unforgotten.letters.testing import (
    APPROVED_BODY,
    PENDING_BODY,
    REJECTED_BODY,
    SENDER_ADDRESS,
    SENDER_EMAIL,
    SENDER_NAME,
    SUPPORTER_EMAIL,
)
from unforgotten.letters.tests.conftest import pdf_text

pytestmark = pytest.mark.django_db

NEVER_PUBLIC = (SENDER_NAME, SENDER_ADDRESS, SENDER_EMAIL, PENDING_BODY, REJECTED_BODY, APPROVED_BODY[:30],
                SUPPORTER_EMAIL, "Canary Sendername", "Minister letters (internal)", "Colony 3 cuts")


def _public_bodies(letters: Any) -> dict[str, str]:
    slug = letters.person.slug
    paths = [f"/{lang}/prisoners/{slug}/" for lang in ("en", "ar")]
    paths += [f"/{lang}/letters/prisoners/{slug}/" for lang in ("en", "ar", "fa")]
    paths += [f"/{lang}/letters/campaigns/write-to-the-minister/" for lang in ("en", "ar")]
    paths += ["/en/letters/revise/forged/", "/en/letters/campaigns/write-to-the-minister/confirm/forged/",
              "/api/v1/letters/public/campaigns/write-to-the-minister", "/en/", "/sitemap.xml"]
    out = {}
    for path in paths:
        response = Client().get(path)
        assert response.status_code in (200, 404), path
        out[path] = response.content.decode()
    return out


def test_it_never_shows_a_letter_or_a_sender_on_a_public_page_or_the_public_api(letters: Any) -> None:
    bodies = _public_bodies(letters)
    assert "Write a letter of support" in bodies[f"/en/prisoners/{letters.person.slug}/"]
    assert "Write to the Minister" in bodies["/api/v1/letters/public/campaigns/write-to-the-minister"]
    for canary in NEVER_PUBLIC:
        for path, body in bodies.items():
            assert canary not in body, f"{canary} leaked on {path}"


def test_the_canary_check_bites() -> None:
    # The control: a page that did carry a sender's name would be caught by the loop above.
    assert any(c in f"<p>{SENDER_NAME}</p>" for c in NEVER_PUBLIC)


def test_it_shows_another_organisation_nothing_through_the_api(letters: Any, cast: Any) -> None:
    client = Client()
    client.force_login(cast.chris)
    for path in ("/api/v1/letters/org-a/letters", f"/api/v1/letters/org-a/letters/{letters.approved.uuid}",
                 f"/api/v1/letters/org-a/campaigns/{letters.campaign.uuid}",
                 f"/api/v1/letters/org-a/people/{letters.person.uuid}/family.pdf"):
        response = client.get(path)
        assert response.status_code == 404, path
        for canary in NEVER_PUBLIC:
            assert canary.encode() not in response.content


def test_it_keeps_the_sender_from_staff_outside_the_case_team_in_the_api(letters: Any, cast: Any) -> None:
    client = Client()
    client.force_login(cast.vera)
    body = client.get("/api/v1/letters/org-a/letters").content.decode()
    assert PENDING_BODY in body  # internal: staff read letters
    assert SENDER_NAME not in body and SENDER_EMAIL not in body and SENDER_ADDRESS not in body


def test_it_prints_no_e_mail_and_only_chosen_sender_details_in_pdfs(letters: Any, cast: Any) -> None:
    batch = actions.do_compile_batch(person=letters.person, acting_user=cast.amal)
    family = actions.do_export_family_view(person=letters.person, acting_user=cast.amal)
    for pdf in (bytes(batch.pdf), family):
        text = pdf_text(pdf)
        for canary in (SENDER_EMAIL, SENDER_NAME, SENDER_ADDRESS, PENDING_BODY, REJECTED_BODY, SUPPORTER_EMAIL):
            assert canary not in text
    # A sender who gave their name, and a moderator who let it stand: then it is printed.
    chosen = actions.do_write_to_prisoner(person=letters.person, body="Spring is here.", language="en",
                                          sender_name="Named Sender", sender_email="named@example.org")
    actions.do_moderate_letter(letter=chosen, decision="approve", print_sender=True, acting_user=cast.amal)
    text = pdf_text(bytes(actions.do_compile_batch(person=letters.person, acting_user=cast.amal).pdf))
    assert "Named Sender" in text and "named@example.org" not in text


def test_it_sends_officials_no_supporter_address_and_logs_no_address(letters: Any, smtp_server: Any,
                                                                     caplog: Any) -> None:
    from unforgotten.letters.testing import token_for

    caplog.set_level(logging.DEBUG)
    Client().post("/en/letters/campaigns/write-to-the-minister/", {
        "body": "Please.", "sender_name": "Log Checker", "sender_place": "", "email": "log-canary-7@example.org",
        "website": "", "altcha": ""})
    from unforgotten.letters.models import OfficialLetter

    actions.do_confirm_letter(token=token_for(OfficialLetter.objects.get(body="Please.")))
    Client().post(f"/en/letters/prisoners/{letters.person.slug}/", {
        "body": "Logged?", "sender_name": SENDER_NAME, "sender_address": SENDER_ADDRESS, "sender_email": SENDER_EMAIL,
        "website": "", "altcha": ""})
    outbox.deliver_due()
    to_officials = [b for m, b in zip(smtp_server.messages, smtp_server.bodies(), strict=True)
                    if "example.gov" in str(m["To"])]
    assert len(to_officials) == 2
    for body in to_officials:
        assert SUPPORTER_EMAIL not in body and "log-canary-7@example.org" not in body
    # The local SMTP server's own log ("mail.log") stands for the receiving mail system, outside the platform.
    logged = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("mail.log"))
    assert any(SUPPORTER_EMAIL in r.getMessage() for r in caplog.records)  # capture works: the server saw it
    for canary in (SUPPORTER_EMAIL, "log-canary-7@example.org", SENDER_EMAIL, SENDER_NAME, SENDER_ADDRESS):
        assert canary not in logged

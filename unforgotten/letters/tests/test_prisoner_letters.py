"""Letters to a prisoner (issue 7 item 4): the public form, moderation, batches, delivery, the family view.

Personas (unforgotten/testing.py): Amal (caseworker of Org A) moderates; Vera (viewer) reads, decides nothing;
Chris (Org B) sees nothing of Org A; the anonymous visitor writes.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from unforgotten.audit.models import AuditEvent
from unforgotten.letters import actions
from unforgotten.letters.models import DeliveryStatus, LetterBox, LetterStatus, PrisonerLetter
from unforgotten.letters.testing import (
    APPROVED_BODY,
    ARABIC_BODY,
    PENDING_BODY,
    REJECTED_BODY,
    SENDER_NAME,
)
from unforgotten.letters.tests.conftest import pdf_text

pytestmark = pytest.mark.django_db


def _form(**extra: str) -> dict[str, str]:
    return {"body": "We are with you.", "sender_name": "", "sender_address": "", "sender_email": "", "website": "",
            "altcha": "", **extra}


def test_it_takes_a_letter_without_javascript_into_the_queue(letters: Any) -> None:
    url = f"/ar/letters/prisoners/{letters.person.slug}/"
    page = Client().get(url)
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    assert 'dir="rtl"' in page.content.decode()
    response = Client().post(url, _form(body="نحن معك، لست وحدك", sender_name="سارا"))
    assert response.status_code == 200
    letter = PrisonerLetter.objects.get(body="نحن معك، لست وحدك")
    assert (letter.status, letter.language, letter.quarantine, letter.sender_name) == ("pending", "ar", "", "سارا")


def test_it_offers_the_letter_form_on_the_profile_only_while_letters_are_accepted(letters: Any, cast: Any) -> None:
    profile = f"/en/prisoners/{letters.person.slug}/"
    assert f"/en/letters/prisoners/{letters.person.slug}/" in Client().get(profile).content.decode()
    actions.do_set_letter_box(person=letters.person, data={"is_open": False}, acting_user=cast.amal)
    assert "/letters/prisoners/" not in Client().get(profile).content.decode()
    assert Client().get(f"/en/letters/prisoners/{letters.person.slug}/").status_code == 404
    before = PrisonerLetter.objects.count()
    assert Client().post(f"/en/letters/prisoners/{letters.person.slug}/", _form()).status_code == 404
    assert PrisonerLetter.objects.count() == before


def test_it_refuses_letters_without_the_familys_consent(letters: Any, cast: Any) -> None:
    from unforgotten.registry.models import Consent

    Consent.objects.filter(person=letters.person, scope="contact").update(withdrawn_on="2022-01-01")
    person = type(letters.person).objects.get(pk=letters.person.pk)
    assert not actions.accepts_letters(person)
    assert Client().get(f"/en/letters/prisoners/{person.slug}/").status_code == 404
    with pytest.raises(Exception, match="consent"):
        actions.do_set_letter_box(person=person, data={"is_open": True}, acting_user=cast.amal)


def test_it_drops_a_filled_honeypot_and_answers_the_same(letters: Any) -> None:
    before = PrisonerLetter.objects.count()
    response = Client().post(f"/en/letters/prisoners/{letters.person.slug}/", _form(website="http://spam"))
    assert response.status_code == 200 and "Thank you for your letter" in response.content.decode()
    assert PrisonerLetter.objects.count() == before


def test_it_quarantines_a_forged_challenge_without_saying_so(letters: Any) -> None:
    response = Client().post(f"/en/letters/prisoners/{letters.person.slug}/",
                             _form(body="forged challenge letter", altcha="Zm9yZ2Vk"))
    assert response.status_code == 200 and "Thank you for your letter" in response.content.decode()
    assert PrisonerLetter.objects.get(body="forged challenge letter").quarantine == "bad_challenge"


@pytest.mark.parametrize(("fields", "problem"), [
    ({"body": ""}, "body"),
    ({"body": "x" * 5001}, "body"),
    ({"body": "hello\x00world"}, "body"),
    ({"sender_name": "a\x07b"}, "sender_name"),
    ({"sender_email": "not an address"}, "sender_email"),
    ({"body": "y" * 1_000_000}, "body"),
])
def test_it_refuses_bad_input_with_a_clear_message_and_stores_nothing(letters: Any, fields: dict[str, str],
                                                                      problem: str) -> None:
    before = PrisonerLetter.objects.count()
    response = Client().post(f"/en/letters/prisoners/{letters.person.slug}/", _form(**fields))
    assert response.status_code == 400
    assert f'id="id_{problem}_error"' in response.content.decode() or 'class="errorlist' in response.content.decode()
    assert PrisonerLetter.objects.count() == before


def test_it_keeps_html_as_text(letters: Any, cast: Any) -> None:
    Client().post(f"/en/letters/prisoners/{letters.person.slug}/", _form(body="<script>alert(1)</script> hi"))
    letter = PrisonerLetter.objects.get(body="<script>alert(1)</script> hi")
    client = Client()
    client.force_login(cast.amal)
    page = client.get(f"/work/letters/letters/{letter.uuid}/").content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_it_stores_the_senders_details_encrypted(letters: Any) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT sender_name, sender_address, sender_email FROM letters_prisonerletter WHERE id = %s",
                       [letters.approved.pk])
        row = cursor.fetchone()
    assert all(value.startswith("uf1:") for value in row)
    assert SENDER_NAME not in "".join(row)


def test_it_shows_the_guidance_beside_the_letter_and_the_sender_only_to_the_case_team(letters: Any,
                                                                                       cast: Any) -> None:
    client = Client()
    client.force_login(cast.amal)
    page = client.get(f"/work/letters/letters/{letters.approved.uuid}/").content.decode()
    assert "Guidance for prison censorship" in page and "Colony 3 cuts any place name." in page
    assert SENDER_NAME not in page and "case team only" in page
    letters.person.case_team.add(cast.amal)
    page = client.get(f"/work/letters/letters/{letters.approved.uuid}/").content.decode()
    assert SENDER_NAME in page
    assert AuditEvent.objects.filter(action="letters.read_sender", actor_id=cast.amal.pk).exists()


def test_it_moderates_through_the_workspace_and_audits_each_decision(letters: Any, cast: Any) -> None:
    client = Client()
    client.force_login(cast.amal)
    response = client.post(f"/work/letters/letters/{letters.pending.uuid}/", {"decision": "approve",
                                                                               "print_sender": ""})
    assert response.status_code == 302
    letters.pending.refresh_from_db()
    assert letters.pending.status == LetterStatus.APPROVED and letters.pending.moderated_by == cast.amal
    assert AuditEvent.objects.filter(action="letters.approve_letter", object_id=str(letters.pending.pk)).exists()
    viewer = Client()
    viewer.force_login(cast.vera)
    assert viewer.post(f"/work/letters/letters/{letters.rejected.uuid}/",
                       {"decision": "approve"}).status_code == 404
    letters.rejected.refresh_from_db()
    assert letters.rejected.status == LetterStatus.REJECTED


def test_it_asks_the_sender_for_changes_by_e_mail_and_takes_the_revision(letters: Any, cast: Any,
                                                                         smtp_server: Any) -> None:
    from unforgotten.core import outbox

    with pytest.raises(Exception, match="what to change"):
        actions.do_moderate_letter(letter=letters.pending, decision="request_changes", acting_user=cast.amal)
    actions.do_moderate_letter(letter=letters.pending, decision="request_changes", acting_user=cast.amal,
                               note="Please leave out the trial.")
    outbox.deliver_due()
    body = smtp_server.bodies()[-1]
    assert "Please leave out the trial." in body
    link = re.search(r"http://\S+(/en/letters/revise/\S+/)", body)
    assert link is not None
    page = Client().get(link.group(1))
    assert page.status_code == 200 and PENDING_BODY in page.content.decode()
    assert Client().post(link.group(1), {"body": "Revised: we think of you."}).status_code == 200
    letters.pending.refresh_from_db()
    assert (letters.pending.status, letters.pending.body) == ("pending", "Revised: we think of you.")
    assert Client().get(link.group(1)).status_code == 404  # the link is spent
    with pytest.raises(Exception, match="e-mail"):
        actions.do_moderate_letter(letter=letters.rejected, decision="request_changes", note="x",
                                   acting_user=cast.amal)


def test_it_compiles_approved_letters_into_a_batch_pdf_with_arabic_in_order(letters: Any, cast: Any) -> None:
    batch = actions.do_compile_batch(person=letters.person, acting_user=cast.amal)
    text = pdf_text(bytes(batch.pdf))
    assert APPROVED_BODY[:40] in text.replace("\n", " ")
    assert ARABIC_BODY in text  # shaped right-to-left text comes out in logical order
    assert "ليلى" in text  # the Arabic sender chose to sign; the English one was struck out by the moderator
    for absent in (SENDER_NAME, PENDING_BODY, REJECTED_BODY):
        assert absent not in text
    assert batch.size == 2
    assert set(PrisonerLetter.objects.filter(batch=batch).values_list("delivery", flat=True)) == {"compiled"}
    with pytest.raises(Exception, match="No approved letter"):
        actions.do_compile_batch(person=letters.person, acting_user=cast.amal)


def test_it_tracks_delivery_per_batch_and_per_letter(letters: Any, cast: Any) -> None:
    batch = actions.do_compile_batch(person=letters.person, acting_user=cast.amal)
    actions.do_set_letter_delivery(letter=letters.arabic, status="censored", acting_user=cast.amal)
    actions.do_set_batch_status(batch=batch, status="handed_over", acting_user=cast.amal)
    actions.do_set_batch_status(batch=batch, status="delivered", acting_user=cast.amal)
    letters.approved.refresh_from_db()
    letters.arabic.refresh_from_db()
    assert (letters.approved.delivery, letters.arabic.delivery) == (DeliveryStatus.DELIVERED, DeliveryStatus.CENSORED)
    with pytest.raises(Exception, match="delivery status"):
        actions.do_set_batch_status(batch=batch, status="lost", acting_user=cast.amal)
    with pytest.raises(Exception, match="in a batch"):
        actions.do_set_letter_delivery(letter=letters.rejected, status="delivered", acting_user=cast.amal)
    assert AuditEvent.objects.filter(action="letters.set_batch_status").count() == 2


def test_it_gives_the_family_view_only_approved_letters(letters: Any, cast: Any) -> None:
    client = Client()
    client.force_login(cast.amal)
    response = client.get(f"/work/letters/people/{letters.person.uuid}/family.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert APPROVED_BODY[:40] in text.replace("\n", " ") and ARABIC_BODY in text
    assert PENDING_BODY not in text and REJECTED_BODY not in text
    assert AuditEvent.objects.filter(action="letters.export_family_view").exists()


def test_it_opens_a_letter_box_through_the_workspace(letters: Any, cast: Any) -> None:
    client = Client()
    client.force_login(cast.amal)
    response = client.post(f"/work/letters/people/{letters.person.uuid}/box/",
                           {"is_open": "", "guidance": "No names of places.", "deliver_via": "lawyer"})
    assert response.status_code == 302
    box = LetterBox.objects.get(person=letters.person)
    assert (box.is_open, box.deliver_via) == (False, "lawyer")

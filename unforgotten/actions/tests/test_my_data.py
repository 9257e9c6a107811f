"""Issue 7 item 1: "export my data" and "erase my data" reach everything kept about the address (decision 0029):
signatures and consents, letters to a prisoner and to officials, RSVPs, the newsletter subscription.

Personas: Dana (campaigner of Org A) runs the petition, the letter campaign and the vigil; Amal (caseworker of
Org A) moderates letters and compiles the batch; Bilal publishes the vigil. The supporter is the petitions'
canary signer (``CANARY_EMAIL``), who also wrote to Maryia Kalesnikava and to the minister, RSVPed and subscribed.
"""

from __future__ import annotations

import importlib
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.test import Client
from django.utils import timezone

from unforgotten.actions import actions
from unforgotten.actions.models import Supporter
from unforgotten.actions.supporters import email_key
from unforgotten.actions.testing import CANARY_EMAIL, DATA_LINK, database_text, links_in
from unforgotten.audit.models import AuditEvent
from unforgotten.core import outbox
from unforgotten.core.models import AddressStamp
from unforgotten.events import actions as events
from unforgotten.events.models import Attendance, AttendanceState
from unforgotten.events.testing import make_vigil
from unforgotten.letters import actions as letters
from unforgotten.letters.models import (
    LetterBatch,
    LetterConsent,
    OfficialLetter,
    Outreach,
    PrisonerLetter,
)
from unforgotten.letters.testing import make_letters_sample, token_for
from unforgotten.letters.tests.conftest import pdf_text
from unforgotten.newsletter import actions as newsletter
from unforgotten.newsletter import tokens
from unforgotten.newsletter.models import ConsentEvent, Subscriber, address_digest

pytestmark = pytest.mark.django_db

LETTER_NAME = "Canary Lettername Pq4"
LETTER_ADDRESS = "7 Canary Lane, Writerville Hh2"
LETTER_TEXT = "Canary approved letter Tz8: we think of you."
PENDING_TEXT = "Canary pending letter Yb6."
OFFICIAL_TEXT = "Canary official letter Mn3: release her."


def _everything(cast: Any, pet: Any) -> Any:
    """The canary signer also writes two letters to a prisoner, one to the minister, RSVPs and subscribes."""
    sample = make_letters_sample(cast)
    approved = letters.do_write_to_prisoner(person=sample.person, body=LETTER_TEXT, language="en",
                                            sender_name=LETTER_NAME, sender_address=LETTER_ADDRESS,
                                            sender_email=CANARY_EMAIL.upper())
    letters.do_moderate_letter(letter=approved, decision="approve", acting_user=cast.amal)
    letters.do_compile_batch(person=sample.person, acting_user=cast.amal)
    letters.do_write_to_prisoner(person=sample.person, body=PENDING_TEXT, language="en", sender_email=CANARY_EMAIL)
    written = letters.do_write_to_officials(campaign=sample.campaign, email=CANARY_EMAIL, sender_name=LETTER_NAME,
                                            body=OFFICIAL_TEXT, language="en", newsletter=True)
    letters.do_confirm_letter(token=token_for(written.letter))
    vigil = make_vigil(cast).vigil
    rsvp = events.do_request_rsvp(event=vigil, email=CANARY_EMAIL, language="en",
                                  consent_text="Use my address for this vigil.").attendance
    events.do_confirm_rsvp(token=events._token(events.CONFIRM, rsvp, rsvp.confirm_nonce))
    subscriber = newsletter.do_sign_up(organisation=cast.org_a, email=CANARY_EMAIL, language="en",
                                       consent_text="Send me the newsletter.")
    newsletter.do_confirm(token=tokens.make(tokens.CONFIRM, str(subscriber.uuid), subscriber.confirm_nonce),
                          consent_text="Send me the newsletter.", language="en")
    return sample


def _data_link(client: Client, smtp_server: Any, email: str = CANARY_EMAIL) -> str:
    assert client.post("/en/supporters/my-data/", {"email": email, "website": ""}).status_code == 200
    outbox.deliver_due()
    found = [link for body in smtp_server.bodies() for link in links_in(body, DATA_LINK)]
    assert len(found) == 1
    return urlsplit(found[0]).path


def test_it_exports_and_erases_everything_written_with_the_address(cast: Any, pet: Any, smtp_server: Any) -> None:
    sample = _everything(cast, pet)
    batch = LetterBatch.objects.get(letters__body=LETTER_TEXT)
    assert LETTER_NAME in pdf_text(bytes(batch.pdf))
    client = Client()
    path = _data_link(client, smtp_server)
    exported = client.post(path, {"do": "export"}).json()
    assert exported["supporters"][0]["email"] == CANARY_EMAIL
    assert sorted(x["text"] for x in exported["letters_to_prisoners"]) == sorted([PENDING_TEXT, LETTER_TEXT])
    assert {x["sender_name"] for x in exported["letters_to_prisoners"]} == {LETTER_NAME, ""}
    assert [x["text"] for x in exported["letters_to_officials"]] == [OFFICIAL_TEXT]
    assert {c["purpose"] for c in exported["letters_to_officials"][0]["consents"]} == {"send", "newsletter"}
    assert [(x["email"], x["state"]) for x in exported["event_rsvps"]] == [(CANARY_EMAIL, "confirmed")]
    assert [(x["email"], x["status"]) for x in exported["newsletter"]] == [(CANARY_EMAIL, "confirmed")]
    # Somebody else's letters are not in it.
    assert "Canary pending letter body Wm7" not in str(exported)

    audit_before = AuditEvent.objects.count()
    assert client.post(path, {"do": "erase"}).status_code == 200
    [event] = AuditEvent.objects.order_by("-id")[: AuditEvent.objects.count() - audit_before]
    assert event.action == "actions.erase_supporter"
    assert event.changes == {"event_rsvps": [None, 1], "letters_to_officials": [None, 3],
                             "letters_to_prisoners": [None, 2], "newsletter": [None, 1], "supporters": [None, 1]}

    # Nothing links back: neither the address nor any digest of it, anywhere in the database.
    text = database_text()
    for secret in (CANARY_EMAIL, email_key(CANARY_EMAIL), address_digest(CANARY_EMAIL), LETTER_NAME,
                   LETTER_ADDRESS, PENDING_TEXT, OFFICIAL_TEXT):
        assert secret not in text
    assert LETTER_NAME not in pdf_text(bytes(LetterBatch.objects.get(pk=batch.pk).pdf))
    # What stays is anonymous: the approved letter for the prisoner, the counts.
    kept = PrisonerLetter.objects.get(body=LETTER_TEXT)
    assert (kept.sender_name, kept.sender_address, kept.sender_email, kept.sender_email_key) == ("", "", "", None)
    assert Outreach.objects.get(campaign=sample.campaign, target=sample.target).letters_sent == 2
    rsvp = Attendance.objects.get()
    assert rsvp.state == AttendanceState.CONFIRMED and rsvp.anonymised and rsvp.email_key is None
    assert not Subscriber.objects.exists() and not ConsentEvent.objects.exists()
    assert not Supporter.objects.filter(email_key=email_key(CANARY_EMAIL)).exists()
    # The other writers' records are untouched.
    assert OfficialLetter.objects.filter(body__startswith="I ask you to release").exists()
    assert LetterConsent.objects.exists()
    assert client.post(path, {"do": "export"}).json() == {
        "supporters": [], "letters_to_prisoners": [], "letters_to_officials": [], "event_rsvps": [], "newsletter": []}


def test_it_mails_a_data_link_to_an_address_that_only_rsvped_or_subscribed(cast: Any, smtp_server: Any) -> None:
    vigil = make_vigil(cast).vigil
    events.do_request_rsvp(event=vigil, email="only-rsvp@example.org", language="en", consent_text="Yes.")
    newsletter.do_sign_up(organisation=cast.org_a, email="only-news@example.org", language="en", consent_text="Yes.")
    client = Client()
    for email in ("only-rsvp@example.org", "only-news@example.org"):
        smtp_server.messages.clear()
        path = _data_link(client, smtp_server, email)
        exported = client.post(path, {"do": "export"}).json()
        assert len(exported["event_rsvps"]) + len(exported["newsletter"]) == 1
    # An address we hold nothing about gets no mail, and the same page.
    smtp_server.messages.clear()
    assert client.post("/en/supporters/my-data/", {"email": "nobody@example.org", "website": ""}).status_code == 200
    outbox.deliver_due()
    assert smtp_server.messages == []


def test_it_keeps_no_address_digest_in_the_mail_caps(cast: Any) -> None:
    vigil = make_vigil(cast).vigil
    events.do_request_rsvp(event=vigil, email=CANARY_EMAIL, language="en", consent_text="Yes.")
    newsletter.do_sign_up(organisation=cast.org_a, email=CANARY_EMAIL, language="en", consent_text="Yes.")
    stamps = set(AddressStamp.objects.values_list("digest", flat=True))
    assert len(stamps) >= 2
    assert email_key(CANARY_EMAIL) not in stamps and address_digest(CANARY_EMAIL) not in stamps


def test_it_keeps_a_letter_writer_who_never_signed_through_petition_retention(cast: Any, pet: Any) -> None:
    """Regression: petitions' retention dropped every supporter without a signature, and with them the letters
    (pending ones deleted, sent ones blanked) and the letter consents of people who had only written letters."""
    sample = make_letters_sample(cast)
    writer = Supporter.objects.get(email_key=email_key("canary-official-writer-9p1@example.net"))
    actions.do_expire_pending(timezone.now())
    actions.do_close_petition(petition=pet.petition, acting_user=cast.dana)
    actions.do_anonymise_closed_petitions(timezone.now() + timedelta(days=400))
    assert Supporter.objects.filter(pk=writer.pk).exists()
    letter = OfficialLetter.objects.get(pk=sample.letter.pk)
    assert letter.supporter_id == writer.pk and letter.body
    assert LetterConsent.objects.filter(supporter=writer).exists()


def test_it_gives_letters_written_before_the_digest_their_digest(cast: Any) -> None:
    sample = make_letters_sample(cast)
    PrisonerLetter.objects.update(sender_email_key=None)
    migration = importlib.import_module("unforgotten.letters.migrations.0002_prisoner_letter_sender_key")
    migration.backfill(apps, None)
    keyed = PrisonerLetter.objects.filter(sender_email_key=email_key("canary-letter-writer-4k2@example.net"))
    assert set(keyed.values_list("pk", flat=True)) == {sample.approved.pk, sample.pending.pk}
    assert PrisonerLetter.objects.filter(sender_email_key__isnull=True).count() == 2  # no address given


def test_it_refuses_a_data_link_with_tampered_keys(cast: Any) -> None:
    token = actions.data_link_token(CANARY_EMAIL)
    assert actions.data_link_keys(token) is not None
    assert actions.data_link_keys(token[:-2] + "xx") is None
    assert Client().post(f"/en/supporters/my-data/{token[:-2]}xx/", {"do": "erase"}).status_code == 404


def test_it_stops_every_e_mail_from_the_data_link_not_only_the_petitions(cast: Any, pet: Any,
                                                                         smtp_server: Any) -> None:
    # "Stop all e-mails" from the data link: the petitions' consents, the letters' consents and the newsletter
    # subscription alike (core.personal_data holders); the consent to be counted stays; other writers untouched.
    from unforgotten.actions.models import Consent, ConsentPurpose
    from unforgotten.newsletter.models import Status

    _everything(cast, pet)
    others_before = LetterConsent.objects.exclude(supporter__email_key=email_key(CANARY_EMAIL)).filter(
        withdrawn_at__isnull=True).count()
    assert others_before > 0
    client = Client()
    path = _data_link(client, smtp_server)
    audit_before = AuditEvent.objects.count()
    assert client.post(path, {"do": "withdraw"}).status_code == 200
    mine = Consent.objects.filter(supporter__email_key=email_key(CANARY_EMAIL), withdrawn_at__isnull=True)
    assert set(mine.values_list("purpose", flat=True)) <= {ConsentPurpose.COUNTED}
    assert not LetterConsent.objects.filter(supporter__email_key=email_key(CANARY_EMAIL),
                                            withdrawn_at__isnull=True).exists()
    assert LetterConsent.objects.exclude(supporter__email_key=email_key(CANARY_EMAIL)).filter(
        withdrawn_at__isnull=True).count() == others_before
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Status.UNSUBSCRIBED
    withdrawal = ConsentEvent.objects.filter(subscriber=subscriber, kind=ConsentEvent.Kind.WITHDRAWN).get()
    assert withdrawal.text == "Stop all e-mails and hide my name (withdraw my consents)"
    assert withdrawal.source == "data link"
    actions_events = list(AuditEvent.objects.order_by("id")[audit_before:].values_list("action", "changes"))
    names = [action for action, _changes in actions_events]
    assert names.count("actions.withdraw_supporter") == 1 and "newsletter.unsubscribe" in names
    [(_, changes)] = [(a, c) for a, c in actions_events if a == "actions.withdraw_supporter"]
    assert changes["newsletter"] == [None, 1] and changes["letters_to_officials"][1] >= 2
    assert CANARY_EMAIL not in str(actions_events) and email_key(CANARY_EMAIL) not in str(actions_events)
    # Pressing it again finds nothing more to withdraw and writes no event.
    audit_after = AuditEvent.objects.count()
    assert client.post(path, {"do": "withdraw"}).status_code == 200
    assert AuditEvent.objects.count() == audit_after


def test_it_takes_back_the_mail_still_queued_for_an_erased_address(cast: Any, smtp_server: Any) -> None:
    # The canary supporter signs (a confirmation queued), writes to the minister (queued), asks to attend the
    # vigil (queued) and to get the newsletter (queued), then erases their data before the worker ran. Nothing
    # may then leave for that address; a neighbour's queued confirmation still does.
    from unforgotten.actions.testing import make_petition_sample
    from unforgotten.core.personal_data import Keys, own_keys

    sample = make_petition_sample(cast, confirm=False)
    letters_sample = make_letters_sample(cast)
    letters.do_write_to_officials(campaign=letters_sample.campaign, email=CANARY_EMAIL, sender_name=LETTER_NAME,
                                  body=OFFICIAL_TEXT, language="en", newsletter=False)
    events.do_request_rsvp(event=make_vigil(cast).vigil, email=CANARY_EMAIL, language="en",
                           consent_text="Use my address for this vigil.")
    newsletter.do_sign_up(organisation=cast.org_a, email=CANARY_EMAIL, language="en",
                          consent_text="Send me the newsletter.")
    actions.do_sign_petition(petition=sample.petition, email="neighbour@example.net", given_name="Nadia",
                             country="FR", language="en")
    smtp_server.messages.clear()
    smtp_server.envelopes.clear()
    audit_before = AuditEvent.objects.count()

    actions.do_erase_my_data(key=Keys(email_key=email_key(CANARY_EMAIL), own=own_keys(CANARY_EMAIL)))

    [event] = AuditEvent.objects.order_by("-id")[: AuditEvent.objects.count() - audit_before]
    assert event.changes["queued_emails"] == [None, 1]  # the petition's own; the other apps count their rows
    outbox.deliver_due()
    recipients = [to for _sender, tos in smtp_server.envelopes for to in tos]
    assert CANARY_EMAIL not in recipients
    assert "neighbour@example.net" in recipients
    assert CANARY_EMAIL not in database_text()

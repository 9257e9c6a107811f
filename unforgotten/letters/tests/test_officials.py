"""Letters to officials (issue 7 item 5): campaigns over shared targets, editable templates, confirmation, the
outbox, post, outreach counts, replies, and retargeting when an office changes hands.

Personas (unforgotten/testing.py): Dana (admin of Org A) runs campaigns; Cora (campaigner of Org A) too; Amal
(caseworker) reads them and changes nothing; the anonymous visitor writes.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client

from unforgotten.actions.models import Supporter
from unforgotten.audit.models import AuditEvent
from unforgotten.core import outbox
from unforgotten.core.models import OutboxMessage
from unforgotten.letters import actions
from unforgotten.letters.models import LetterConsent, OfficialLetter, Outreach, Reply
from unforgotten.letters.testing import SUPPORTER_EMAIL, SUPPORTER_NAME
from unforgotten.letters.tests.conftest import pdf_text

pytestmark = pytest.mark.django_db


def _form(**extra: str) -> dict[str, str]:
    return {"body": "Release her, please.", "sender_name": "Sam Writer", "sender_place": "", "email": "sam@example.org",
            "website": "", "altcha": "", **extra}


def test_it_offers_the_template_in_the_readers_language(letters: Any) -> None:
    page = Client().get("/ar/letters/campaigns/write-to-the-minister/").content.decode()
    assert "أطلب منكم الإفراج عن ماريا كاليسنيكافا." in page and 'dir="rtl"' in page
    assert "Viktar Ivanou" in page and "minister-letters@example.gov" not in page


def test_it_sends_a_confirmed_letter_to_each_target_through_the_outbox(letters: Any, smtp_server: Any) -> None:
    response = Client().post("/en/letters/campaigns/write-to-the-minister/",
                             _form(body="Free Maryia now.\nWith respect.", sender_place="Oslo, Norway"))
    assert response.status_code == 200 and "Check your e-mail" in response.content.decode()
    letter = OfficialLetter.objects.get(body="Free Maryia now.\nWith respect.")
    assert letter.state == "pending" and not OfficialLetter.objects.filter(pk=letter.pk, sent_at__isnull=False).exists()
    outbox.deliver_due()
    mail = smtp_server.bodies()[-1]
    link = re.search(r"(http://\S+/confirm/\S+/)", mail)
    assert link is not None
    path = urlsplit(link.group(1)).path
    assert Client().get(path).status_code == 200
    letter.refresh_from_db()
    assert letter.state == "pending"  # opening the link is not sending
    assert Client().post(path).status_code == 200
    letter.refresh_from_db()
    assert letter.state == "sent"
    outbox.deliver_due()
    to_minister = [(m, b) for m, b in zip(smtp_server.messages, smtp_server.bodies(), strict=True)
                   if "minister-letters@example.gov" in str(m["To"])]
    assert len(to_minister) == 2  # the sample's letter and this one
    body = to_minister[-1][1].replace("\r\n", "\n")
    assert body.startswith("Dear Minister of Justice Viktar Ivanou,")
    assert "Free Maryia now." in body and body.rstrip().endswith("Yours sincerely,\nSam Writer\nOslo, Norway")
    assert "sam@example.org" not in body and str(to_minister[-1][0]["Subject"]) == "Release Maryia Kalesnikava"
    outreach = Outreach.objects.get(campaign=letters.campaign, target=letters.target)
    assert outreach.letters_sent == 2
    assert Client().post(path).status_code == 404  # the link is spent


def test_it_records_consent_with_the_exact_text_shown_only_once_confirmed(letters: Any) -> None:
    from unforgotten.letters.wording import wording

    Client().post("/fr/letters/campaigns/write-to-the-minister/", _form(email="ana@example.org", newsletter="on"))
    supporter = Supporter.objects.get(email_key=__import__("unforgotten.actions.supporters",
                                                           fromlist=["x"]).email_key("ana@example.org"))
    assert not LetterConsent.objects.filter(supporter=supporter).exists()
    letter = OfficialLetter.objects.get(supporter=supporter)
    from unforgotten.letters.testing import token_for

    actions.do_confirm_letter(token=token_for(letter))
    consents = {c.purpose: c for c in LetterConsent.objects.filter(supporter=supporter)}
    assert set(consents) == {"send", "newsletter"}
    assert consents["send"].text == wording("send", "fr") and consents["send"].language == "fr"
    assert consents["send"].text.startswith("Envoyer cette lettre")
    assert consents["newsletter"].campaign is None and consents["send"].campaign == letters.campaign


def test_it_answers_a_repeat_the_same_and_sends_nothing_twice(letters: Any) -> None:
    before = OfficialLetter.objects.count()
    response = Client().post("/en/letters/campaigns/write-to-the-minister/", _form(email=SUPPORTER_EMAIL))
    assert response.status_code == 200 and "Check your e-mail" in response.content.decode()
    assert OfficialLetter.objects.count() == before
    assert Outreach.objects.get(campaign=letters.campaign, target=letters.target).letters_sent == 1


@pytest.mark.parametrize(("fields", "field"), [
    ({"email": "nope"}, "email"), ({"sender_name": ""}, "sender_name"), ({"body": "z" * 1_000_000}, "body"),
    ({"body": "ctrl\x1b[31m"}, "body"), ({"body": ""}, "body"),
])
def test_it_refuses_bad_input_and_stores_nothing(letters: Any, fields: dict[str, str], field: str) -> None:
    before = (OfficialLetter.objects.count(), Supporter.objects.count(), OutboxMessage.objects.count())
    response = Client().post("/en/letters/campaigns/write-to-the-minister/", _form(**fields))
    assert response.status_code == 400 and 'class="errorlist' in response.content.decode()
    assert (OfficialLetter.objects.count(), Supporter.objects.count(), OutboxMessage.objects.count()) == before


def test_it_takes_no_letter_for_a_closed_campaign(letters: Any, cast: Any) -> None:
    actions.do_set_campaign_status(campaign=letters.campaign, status="closed", acting_user=cast.dana)
    before = OfficialLetter.objects.count()
    response = Client().post("/en/letters/campaigns/write-to-the-minister/", _form())
    assert response.status_code == 400 and "closed" in response.content.decode()
    assert OfficialLetter.objects.count() == before


def test_it_quarantines_letters_over_the_rate_limit_and_sends_them_only_when_released(letters: Any, cast: Any,
                                                                                      settings: Any) -> None:
    from unforgotten.letters.testing import token_for

    settings.LETTER_RATE_LIMITS = {**settings.LETTER_RATE_LIMITS, "ip": [(60, 1), (3600, 100)]}
    for n in range(3):
        Client().post("/en/letters/campaigns/write-to-the-minister/", _form(email=f"flood{n}@example.com"))
    held = OfficialLetter.objects.exclude(quarantine="")
    assert held.count() == 2
    for letter in held:
        actions.do_confirm_letter(token=token_for(letter))
    outreach = Outreach.objects.get(campaign=letters.campaign, target=letters.target)
    assert outreach.letters_sent == 1  # quarantined letters are confirmed but not sent
    actions.do_release_letters(campaign=letters.campaign, letter_ids=[x.pk for x in held], acting_user=cast.dana)
    outreach.refresh_from_db()
    assert outreach.letters_sent == 3


def test_it_compiles_letters_for_post_with_the_targets_address(letters: Any, cast: Any) -> None:
    from unforgotten.letters.testing import token_for

    actions.do_update_campaign(campaign=letters.campaign, data={"channel": "post"}, acting_user=cast.dana)
    outcome = actions.do_write_to_officials(campaign=letters.campaign, email="post@example.org",
                                            sender_name="Per Post", body="Bitte lassen Sie sie frei.")
    actions.do_confirm_letter(token=token_for(outcome.letter))
    outreach = Outreach.objects.get(campaign=letters.campaign, target=letters.target)
    assert (outreach.letters_sent, outreach.letters_for_post) == (1, 1)
    batch = actions.do_compile_post(campaign=letters.campaign, acting_user=cast.dana)
    text = pdf_text(bytes(batch.pdf))
    assert "Kalektarnaja 10, Minsk" in text and "Bitte lassen Sie sie frei." in text and "Per Post" in text
    assert "post@example.org" not in text
    with pytest.raises(Exception, match="No letter is waiting"):
        actions.do_compile_post(campaign=letters.campaign, acting_user=cast.dana)


def test_it_logs_replies_per_outreach(letters: Any, cast: Any) -> None:
    outreach = Outreach.objects.get(campaign=letters.campaign, target=letters.target)
    client = Client()
    client.force_login(cast.dana)
    response = client.post(f"/work/letters/outreach/{outreach.pk}/reply/", {
        "received_on": "2026-01-05", "stance": "neutral", "summary": "The ministry acknowledged the letters."})
    assert response.status_code == 302
    assert Reply.objects.get(outreach=outreach).stance == "neutral"
    assert AuditEvent.objects.filter(action="letters.log_reply").exists()
    with pytest.raises(Exception, match="future"):
        actions.do_log_reply(outreach=outreach, received_on=date.today() + timedelta(days=3), stance="positive",
                             summary="x", acting_user=cast.dana)
    reader = Client()
    reader.force_login(cast.amal)
    assert reader.post(f"/work/letters/outreach/{outreach.pk}/reply/", {
        "received_on": "2026-01-05", "stance": "neutral", "summary": "no"}).status_code == 404


def test_it_retargets_every_live_campaign_at_once_when_an_office_changes_hands(letters: Any, cast: Any,
                                                                               smtp_server: Any) -> None:
    from unforgotten.letters.testing import token_for

    second = actions.do_create_campaign(organisation=cast.org_a, acting_user=cast.dana, targets=[letters.target],
                                        data={"name": "Second", "slug": "second", "channel": "email"})
    closed = actions.do_create_campaign(organisation=cast.org_a, acting_user=cast.dana, targets=[letters.target],
                                        data={"name": "Old", "slug": "old-one", "channel": "email"})
    actions.do_set_template(campaign=closed, language="en", acting_user=cast.dana,
                            data={"title": "t", "subject": "s", "body": "b"})
    actions.do_set_campaign_status(campaign=closed, status="open", acting_user=cast.dana)
    actions.do_set_campaign_status(campaign=closed, status="closed", acting_user=cast.dana)
    client = Client()
    client.force_login(cast.dana)
    response = client.post("/work/letters/org-a/hand-over/", {"old": letters.target.pk, "new": letters.successor.pk})
    assert response.status_code == 302
    live = {o.campaign_id: o for o in Outreach.objects.filter(target=letters.successor)}
    assert set(live) == {letters.campaign.pk, second.pk}
    old = Outreach.objects.get(campaign=letters.campaign, target=letters.target)
    assert old.superseded_at is not None and old.superseded_by == live[letters.campaign.pk]
    assert old.letters_sent == 1  # its history stays
    assert Outreach.objects.get(campaign=closed, target=letters.target).superseded_at is None
    assert AuditEvent.objects.filter(action="letters.hand_over_office").count() == 1
    # The next letter goes to the new holder, greeted by her name, and not to the old one.
    outcome = actions.do_write_to_officials(campaign=letters.campaign, email="next@example.org",
                                            sender_name="Next Writer", body="Please.")
    actions.do_confirm_letter(token=token_for(outcome.letter))
    outbox.deliver_due()
    recipients = [str(m["To"]) for m in smtp_server.messages]
    assert recipients.count("new-minister@example.gov") == 1
    assert smtp_server.bodies()[recipients.index("new-minister@example.gov")].startswith(
        "Dear Minister of Justice Alena Novik,")
    # The old holder got the sample's letter, written before the hand-over, and nothing since.
    assert recipients.count("minister-letters@example.gov") == 1
    assert [d.outreach.target_id for d in outcome.letter.dispatches.all()] == [letters.successor.pk]
    page = Client().get("/en/letters/campaigns/write-to-the-minister/").content.decode()
    assert "Alena Novik" in page and "Viktar Ivanou" not in page


def test_it_keeps_only_the_count_when_a_supporter_erases_their_data(letters: Any) -> None:
    from unforgotten.actions.actions import do_erase_my_data
    from unforgotten.actions.supporters import email_key

    assert do_erase_my_data(key=email_key(SUPPORTER_EMAIL)) == 1
    letter = OfficialLetter.objects.get(pk=letters.letter.pk)
    assert (letter.supporter_id, letter.body, letter.sender_name) == (None, "", "")
    assert Outreach.objects.get(campaign=letters.campaign, target=letters.target).letters_sent == 1
    assert not LetterConsent.objects.filter(text__contains=SUPPORTER_NAME).exists()


def test_it_runs_campaigns_through_the_workspace(letters: Any, cast: Any) -> None:
    client = Client()
    client.force_login(cast.cora)
    response = client.post("/work/letters/org-a/campaigns/new/", {
        "name": "Embassy letters", "slug": "embassy", "channel": "post", "default_language": "fr",
        "targets": [letters.target.pk]})
    assert response.status_code == 302
    campaign = type(letters.campaign).objects.get(slug="embassy")
    assert client.post(f"/work/letters/campaigns/{campaign.uuid}/letter/fr/", {
        "title": "Écrivez", "summary": "", "subject": "Libérez-la", "body": "Je vous demande."}).status_code == 302
    assert client.post(f"/work/letters/campaigns/{campaign.uuid}/status/", {"status": "open"}).status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == "open"
    assert client.get(f"/work/letters/campaigns/{campaign.uuid}/").status_code == 200
    reader = Client()
    reader.force_login(cast.amal)
    assert reader.post("/work/letters/org-a/campaigns/new/", {"name": "x"}).status_code == 404

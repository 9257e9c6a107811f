"""Sample data of the letters app for tests and the authorization matrix, built through the action functions.

Canaries: the sender's name, address and e-mail of the sample letters, the body of a letter still waiting for
moderation, a rejected letter, and the letter-campaign supporter's address are unique strings; tests prove they
never reach an output they may not reach (a public page, another organisation's API, a PDF, an e-mail to an
official, the logs).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any

from unforgotten.actions import actions as petition_actions
from unforgotten.actions.models import Target
from unforgotten.letters import actions
from unforgotten.letters.models import LetterCampaign, OfficialLetter, PrisonerLetter
from unforgotten.registry.models import Person

SENDER_NAME = "Canary Sendername Vq3"
SENDER_ADDRESS = "12 Canary Street, Sendertown Zx8"
SENDER_EMAIL = "canary-letter-writer-4k2@example.net"
PENDING_BODY = "Canary pending letter body Wm7: the case and the trial."
REJECTED_BODY = "Canary rejected letter body Rj5."
APPROVED_BODY = "Dear Maryia, the lilacs are out in Minsk and we think of you every day."
ARABIC_BODY = "نحن نفكر فيك كل يوم"
SUPPORTER_EMAIL = "canary-official-writer-9p1@example.net"
SUPPORTER_NAME = "Leyla Writer"


@dataclass
class LettersSample:
    person: Person
    approved: PrisonerLetter
    arabic: PrisonerLetter
    pending: PrisonerLetter
    rejected: PrisonerLetter
    target: Target
    successor: Target
    campaign: LetterCampaign
    letter: OfficialLetter

    CANARIES = (SENDER_NAME, SENDER_ADDRESS, SENDER_EMAIL, PENDING_BODY, REJECTED_BODY, SUPPORTER_EMAIL)


def publish_for_letters(cast: Any, person: Person) -> None:
    """A live English profile, the family's consent to be written to, and an open letter box."""
    from unforgotten.publishing import actions as publishing
    from unforgotten.publishing.models import PublicProfile
    from unforgotten.registry import actions as registry

    if not PublicProfile.objects.live().filter(person=person, language="en").exists():
        profile = publishing.do_create_profile(person=person, language="en", data={"story": "Musician."},
                                               acting_user=cast.amal)
        publishing.do_submit_for_review(profile=profile, acting_user=cast.amal)
        publishing.do_approve(profile=profile, acting_user=cast.bilal)
    registry.do_record_consent(person=person, data={"scope": "contact", "given_by": "sister",
                                                    "given_on": date(2021, 1, 1)}, acting_user=cast.dana)
    person.refresh_from_db()
    actions.do_set_letter_box(person=person, data={"is_open": True, "guidance": "Colony 3 cuts any place name.",
                                                   "deliver_via": "family"}, acting_user=cast.amal)


def make_letters_sample(cast: Any, person: Person | None = None, *, slug: str = "write-to-the-minister") -> LettersSample:
    if person is None:
        from unforgotten.registry.testing import make_sample

        person = make_sample(cast).person_a
    publish_for_letters(cast, person)
    approved = actions.do_write_to_prisoner(person=person, body=APPROVED_BODY, language="en",
                                            sender_name=SENDER_NAME, sender_address=SENDER_ADDRESS,
                                            sender_email=SENDER_EMAIL)
    approved = actions.do_moderate_letter(letter=approved, decision="approve", print_sender=False,
                                          acting_user=cast.amal)
    arabic = actions.do_write_to_prisoner(person=person, body=ARABIC_BODY, language="ar", sender_name="ليلى")
    arabic = actions.do_moderate_letter(letter=arabic, decision="approve", acting_user=cast.amal)
    pending = actions.do_write_to_prisoner(person=person, body=PENDING_BODY, language="en",
                                           sender_email=SENDER_EMAIL)
    rejected = actions.do_write_to_prisoner(person=person, body=REJECTED_BODY, language="en")
    rejected = actions.do_moderate_letter(letter=rejected, decision="reject", acting_user=cast.amal)
    target = petition_actions.do_add_target(organisation=cast.org_a, acting_user=cast.dana, data={
        "kind": "person", "name": "Viktar Ivanou", "title": "Minister of Justice", "institution": "Ministry of Justice",
        "country": "BY", "email": "minister-letters@example.gov", "postal_address": "Kalektarnaja 10, Minsk"})
    successor = petition_actions.do_add_target(organisation=cast.org_a, acting_user=cast.dana, data={
        "kind": "person", "name": "Alena Novik", "title": "Minister of Justice", "institution": "Ministry of Justice",
        "country": "BY", "email": "new-minister@example.gov"})
    campaign = actions.do_create_campaign(organisation=cast.org_a, acting_user=cast.dana, targets=[target], data={
        "name": "Minister letters (internal)", "slug": slug, "channel": "email", "default_language": "en"})
    actions.do_set_template(campaign=campaign, language="en", acting_user=cast.dana, data={
        "title": "Write to the Minister", "summary": "Ask for Maryia's release.", "subject": "Release Maryia Kalesnikava",
        "body": "I ask you to release Maryia Kalesnikava, jailed for peaceful protest."})
    actions.do_set_template(campaign=campaign, language="ar", acting_user=cast.dana, data={
        "title": "اكتبوا إلى الوزير", "summary": "", "subject": "أطلقوا سراح ماريا",
        "body": "أطلب منكم الإفراج عن ماريا كاليسنيكافا."})
    campaign = actions.do_set_campaign_status(campaign=campaign, status="open", acting_user=cast.dana)
    outcome = actions.do_write_to_officials(campaign=campaign, email=SUPPORTER_EMAIL, sender_name=SUPPORTER_NAME,
                                            sender_place="Lyon, France", language="en",
                                            body="I ask you to release Maryia Kalesnikava. Please.")
    letter = actions.do_confirm_letter(token=token_for(outcome.letter))
    person.refresh_from_db()
    return LettersSample(person, approved, arabic, pending, rejected, target, successor, campaign, letter)


def token_for(letter: OfficialLetter) -> str:
    """Tests only: re-issue a known confirmation token for a pending letter (the real one is only in the mail)."""
    token = secrets.token_urlsafe(32)
    OfficialLetter.objects.filter(pk=letter.pk).update(token_digest=actions._digest(token))
    return token

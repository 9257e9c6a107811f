"""Every change the letters app makes, one function each (decision 0023).

Staff acts (letter boxes, moderation, batches, delivery status, campaigns,
templates, replies, office hand-overs, family exports) write their audit event
in the same transaction. The public's own acts (writing a letter, revising it,
confirming a letter to officials) are not audited, for the reason petitions
give (decision 0018): the audit log cannot be erased, a writer's trace must be;
the letter row is their record.

Letters and e-mails never leave from the request: confirmation mails, change
requests and the letters to officials are outbox rows of the action's
transaction, sent by the task worker.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from unforgotten.accounts.models import Organisation
from unforgotten.actions import supporters
from unforgotten.actions.actions import clean_text
from unforgotten.actions.models import Supporter, Target
from unforgotten.audit.actions import diff, record
from unforgotten.core import months, outbox
from unforgotten.letters import wording
from unforgotten.letters.models import (
    MAX_LETTER,
    MAX_SENDER,
    CampaignStatus,
    CampaignTemplate,
    Channel,
    DeliveryStatus,
    Dispatch,
    LetterBatch,
    LetterBox,
    LetterCampaign,
    LetterConsent,
    LetterState,
    LetterStatus,
    OfficialLetter,
    Outreach,
    PostBatch,
    PrisonerLetter,
    Reply,
    ReplyStance,
)
from unforgotten.policy.projection import PUBLIC, field_sensitivity, project
from unforgotten.registry.models import Person

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
LINK_DAYS = 30
CAMPAIGN_FIELDS = ("name", "slug", "channel", "default_language")


# --- helpers ----------------------------------------------------------------------------------------


def _language(code: str) -> str:
    return code if code in LANGUAGES else settings.LANGUAGE_CODE


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _link_token(kind: str, pk: int, moment: datetime) -> str:
    """A link's secret derived from the row and a server key: only its digest is stored, so the database alone
    cannot produce a working link, and a re-sent mail carries the same one."""
    key = hashlib.sha256(f"unforgotten.letters.{kind}:".encode() + settings.SECRET_KEY.encode()).digest()
    mac = hmac.new(key, f"{pk}:{moment.isoformat()}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode("ascii").rstrip("=")


def text_direction(text: str) -> str:
    """rtl or ltr from the first strong character: a letter may be in any language, whatever page it came from."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def _classes(obj: models.Model) -> dict[str, Any]:
    return {f.attname: field_sensitivity(obj, f.attname) for f in obj._meta.concrete_fields}


def _letter_text(value: str, field: str) -> str:
    text = clean_text(value, limit=MAX_LETTER, field=field, multiline=True)
    if not text:
        raise ValidationError({field: _("Write your letter.")})
    return text


def _sender_text(value: str, field: str, *, multiline: bool = False) -> str:
    return clean_text(value, limit=MAX_SENDER, field=field, multiline=multiline)


def _purge_public_pages() -> None:
    # The profile's "write a letter" block changes with the letter box: stored pages must follow at once.
    from unforgotten.publishing.actions import purge_public_pages

    purge_public_pages()


# --- letters to a prisoner: who may receive them ----------------------------------------------------


def accepts_letters(person: Person) -> bool:
    """Letters only when the case team opened a box, the family's consent to be written to stands, and the
    prisoner has a live public profile (the public cannot write to someone it cannot see)."""
    from unforgotten.publishing.models import PublicProfile

    box = LetterBox.objects.filter(person=person).first()
    if box is None or not box.is_open or person.merged_into_id is not None:
        return False
    if not person.has_public_consent("contact"):
        return False
    return PublicProfile.objects.live().filter(person=person).exists()


@transaction.atomic(durable=True)
def do_set_letter_box(*, person: Person, data: Mapping[str, Any], acting_user: Any) -> LetterBox:
    box = LetterBox.objects.select_for_update().filter(person=person).first() or LetterBox(
        person=person, organisation_id=person.organisation_id)
    before = {k: getattr(box, k) for k in ("is_open", "guidance", "deliver_via")} if box.pk else {}
    for key in ("is_open", "guidance", "deliver_via"):
        if key in data:
            setattr(box, key, data[key])
    unknown = set(data) - {"is_open", "guidance", "deliver_via"}
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "This cannot be set here."})
    if box.is_open and not person.has_public_consent("contact"):
        raise ValidationError({"is_open": _("Record the family's consent to be written to (\"How to write to "
                                            "them\") before opening letters.")})
    box.full_clean()
    box.save()
    after = {k: getattr(box, k) for k in ("is_open", "guidance", "deliver_via")}
    record("letters.set_letter_box", actor=acting_user, obj=box, changes=diff(before, after, _classes(box)))
    _purge_public_pages()
    return box


# --- letters to a prisoner: writing and revising (the public) ----------------------------------------


@transaction.atomic(durable=True)
def do_write_to_prisoner(*, person: Person, body: str, language: str, sender_name: str = "",
                         sender_address: str = "", sender_email: str = "", quarantine: str = "") -> PrisonerLetter:
    """A letter from the public enters the moderation queue; nothing of it is shown anywhere public."""
    errors: dict[str, Any] = {}
    cleaned: dict[str, str] = {}
    checks: list[tuple[str, str, Callable[[str], str]]] = [
        ("body", body, lambda v: _letter_text(v, "body")),
        ("sender_name", sender_name, lambda v: _sender_text(v, "sender_name")),
        ("sender_address", sender_address, lambda v: _sender_text(v, "sender_address", multiline=True))]
    for field, value, check in checks:
        try:
            cleaned[field] = check(value)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    email = ""
    if (sender_email or "").strip():
        try:
            email = supporters.normalise_email(sender_email)
        except ValidationError as exc:
            errors["sender_email"] = exc.messages
    if errors:
        raise ValidationError(errors)
    if not accepts_letters(person):
        raise ValidationError({"person": _("This prisoner does not receive letters through this site.")})
    return PrisonerLetter.objects.create(
        organisation_id=person.organisation_id, person=person, language=_language(language), body=cleaned["body"],
        sender_name=cleaned["sender_name"], sender_address=cleaned["sender_address"], sender_email=email,
        sender_email_key=supporters.email_key(email) if email else None,
        quarantine=quarantine[:20], received_at=timezone.now())


class BadLink(Exception):
    """A link that is unknown, used already or expired: one answer for all three."""


def find_letter_to_revise(token: str) -> PrisonerLetter:
    if not token or len(token) > 100:
        raise BadLink()
    letter = PrisonerLetter.objects.select_related("person").filter(edit_token_digest=_digest(token)).first()
    if letter is None or letter.status != LetterStatus.CHANGES_REQUESTED:
        raise BadLink()
    if letter.edit_token_expires is None or letter.edit_token_expires < timezone.now():
        raise BadLink()
    return letter


@transaction.atomic(durable=True)
def do_revise_letter(*, token: str, body: str) -> PrisonerLetter:
    """The sender rewrites the letter after a change request: it goes back to the queue, the link is spent."""
    found = find_letter_to_revise(token)
    letter = PrisonerLetter.objects.select_for_update().get(pk=found.pk)
    if letter.edit_token_digest != _digest(token) or letter.status != LetterStatus.CHANGES_REQUESTED:
        raise BadLink()
    letter.body = _letter_text(body, "body")
    letter.status = LetterStatus.PENDING
    letter.edit_token_digest = None
    letter.edit_token_expires = None
    letter.save(update_fields=["body", "status", "edit_token_digest", "edit_token_expires", "updated_at"])
    return letter


# --- letters to a prisoner: moderation (staff) ---------------------------------------------------------


DECISIONS = ("approve", "reject", "request_changes")


@transaction.atomic(durable=True)
def do_moderate_letter(*, letter: PrisonerLetter, decision: str, acting_user: Any, note: str = "",
                       print_sender: bool | None = None) -> PrisonerLetter:
    """Approve, reject or ask the sender for changes (by e-mail, when they left an address)."""
    if decision not in DECISIONS:
        raise ValidationError({"decision": _("Choose approve, reject or request changes.")})
    letter = PrisonerLetter.objects.select_for_update().select_related("person").get(pk=letter.pk)
    if letter.batch_id is not None:
        raise ValidationError({"decision": _("This letter is in a batch already; it cannot be decided again.")})
    note = clean_text(note, limit=2000, field="note", multiline=True)
    before = {"status": letter.status, "print_sender": letter.print_sender}
    if decision == "request_changes":
        if not note:
            raise ValidationError({"note": _("Tell the sender what to change.")})
        if not letter.sender_email:
            raise ValidationError({"decision": _("The sender left no e-mail address: approve or reject.")})
        letter.status = LetterStatus.CHANGES_REQUESTED
        now = timezone.now()
        token = _link_token("revise", letter.pk, now)
        letter.edit_token_digest = _digest(token)
        letter.edit_token_expires = now + timedelta(days=LINK_DAYS)
        _mail_change_request(letter, token, note)
    else:
        letter.status = LetterStatus.APPROVED if decision == "approve" else LetterStatus.REJECTED
        letter.edit_token_digest = None
        letter.edit_token_expires = None
    if print_sender is not None:
        letter.print_sender = bool(print_sender)
    letter.moderator_note = note
    letter.moderated_by = acting_user if getattr(acting_user, "is_authenticated", False) else None
    letter.moderated_at = timezone.now()
    letter.save()
    record(f"letters.{decision}_letter", actor=acting_user, obj=letter,
           changes=diff(before, {"status": letter.status, "print_sender": letter.print_sender}))
    return letter


def _mail_change_request(letter: PrisonerLetter, token: str, note: str) -> None:
    language = _language(letter.language)
    with translation.override(language):
        link = site_url(reverse("letters_public:revise", kwargs={"token": token}))
        subject = _("Your letter needs a change before we can deliver it")
        body = _("Thank you for your letter. Before we can print it for the prisoner's family to deliver, "
                 "our team asks for a change:\n\n%(note)s\n\nOpen this link to revise your letter "
                 "(it works for %(days)d days):\n\n%(link)s\n\nIf you did not write this letter, ignore this "
                 "message.") % {"note": note, "link": link, "days": LINK_DAYS}
    outbox.enqueue_email(kind="letters.change_request", to=[letter.sender_email], subject=subject, body=body,
                         organisation_id=letter.organisation_id, dedupe_key=f"letters.change:{letter.pk}:{token[:16]}")


# --- batches and delivery ------------------------------------------------------------------------------


def letter_for_print(letter: PrisonerLetter) -> dict[str, Any]:
    """What a printed letter shows: the text, and the sender's details only if given and not struck out."""
    out: dict[str, Any] = {"body": letter.body, "dir": text_direction(letter.body), "received": letter.received_at}
    if letter.print_sender:
        out["sender_name"] = letter.sender_name
        out["sender_address"] = letter.sender_address
        out["sender_dir"] = text_direction(f"{letter.sender_name}{letter.sender_address}")
    return out


def _person_heading(person: Person) -> str:
    shown = project(person, PUBLIC, ("display_name",))
    return str(shown.get("display_name") or person.display_name)


def render_letters_pdf(person: Person, letters: Iterable[PrisonerLetter], *, title: str) -> bytes:
    from unforgotten.core.pdf import render_pdf

    html = render_to_string("letters/pdf/letters.html", {
        "title": title, "person": _person_heading(person), "letters": [letter_for_print(x) for x in letters],
        "made": timezone.now()})
    return render_pdf(html, extra_css="section.letter { page-break-after: always; } .sender { margin-top: 2em; }")


@transaction.atomic(durable=True)
def do_compile_batch(*, person: Person, acting_user: Any) -> LetterBatch:
    """Every approved letter of the prisoner not yet in a batch, in one printable PDF."""
    letters = list(PrisonerLetter.objects.select_for_update().filter(
        person=person, status=LetterStatus.APPROVED, batch__isnull=True).order_by("received_at", "id"))
    if not letters:
        raise ValidationError({"letters": _("No approved letter is waiting for a batch.")})
    now = timezone.now()
    pdf = render_letters_pdf(person, letters, title=_("Letters of support"))
    batch = LetterBatch.objects.create(organisation_id=person.organisation_id, person=person, made_at=now,
                                       made_by=acting_user if getattr(acting_user, "is_authenticated", False)
                                       else None, size=len(letters), pdf=pdf)
    PrisonerLetter.objects.filter(pk__in=[x.pk for x in letters]).update(batch=batch,
                                                                        delivery=DeliveryStatus.COMPILED)
    record("letters.compile_batch", actor=acting_user, obj=batch, changes={"letters": [None, len(letters)]})
    return batch


BATCH_STATUSES = (DeliveryStatus.COMPILED, DeliveryStatus.HANDED_OVER, DeliveryStatus.DELIVERED,
                  DeliveryStatus.RETURNED, DeliveryStatus.CENSORED)
# A letter marked returned or censored on its own keeps that answer when the batch moves on.
FINAL_FOR_A_LETTER = (DeliveryStatus.RETURNED, DeliveryStatus.CENSORED)


@transaction.atomic(durable=True)
def do_set_batch_status(*, batch: LetterBatch, status: str, acting_user: Any, note: str = "") -> LetterBatch:
    if status not in BATCH_STATUSES:
        raise ValidationError({"status": _("Choose a delivery status.")})
    batch = LetterBatch.objects.select_for_update().get(pk=batch.pk)
    before = batch.status
    batch.status = status
    if note:
        batch.note = clean_text(note, limit=2000, field="note", multiline=True)
    batch.save(update_fields=["status", "note", "updated_at"])
    batch.letters.exclude(delivery__in=FINAL_FOR_A_LETTER).update(delivery=status)
    record("letters.set_batch_status", actor=acting_user, obj=batch, changes={"status": [before, status]})
    return batch


@transaction.atomic(durable=True)
def do_set_letter_delivery(*, letter: PrisonerLetter, status: str, acting_user: Any) -> PrisonerLetter:
    if status not in BATCH_STATUSES:
        raise ValidationError({"status": _("Choose a delivery status.")})
    letter = PrisonerLetter.objects.select_for_update().get(pk=letter.pk)
    if letter.batch_id is None:
        raise ValidationError({"status": _("Only a letter in a batch has a delivery status.")})
    before = letter.delivery
    letter.delivery = status
    letter.save(update_fields=["delivery", "updated_at"])
    record("letters.set_letter_delivery", actor=acting_user, obj=letter, changes={"delivery": [before, status]})
    return letter


def approved_letters(person: Person) -> models.QuerySet[PrisonerLetter]:
    """The family view: approved letters only, whatever their delivery."""
    return PrisonerLetter.objects.filter(person=person, status=LetterStatus.APPROVED).order_by("received_at", "id")


@transaction.atomic(durable=True)
def do_export_family_view(*, person: Person, acting_user: Any) -> bytes:
    """A PDF of every approved letter, for the family (there are no family accounts: the case team hands it on)."""
    letters = list(approved_letters(person))
    pdf = render_letters_pdf(person, letters, title=_("Letters of support"))
    record("letters.export_family_view", actor=acting_user, obj=person, changes={"letters": [None, len(letters)]})
    return pdf


# --- letter campaigns to officials (staff) ----------------------------------------------------------------


def _check_targets(organisation_id: int, targets: Iterable[Target]) -> list[Target]:
    chosen = list(targets)
    if any(t.organisation_id != organisation_id for t in chosen):
        raise ValidationError({"targets": _("Choose targets of your own organisation.")})
    return chosen


def _set_outreaches(campaign: LetterCampaign, targets: list[Target]) -> list[str]:
    """One outreach per target; a target taken off keeps its outreach (its counts and replies), superseded."""
    wanted = {t.pk for t in targets}
    now = timezone.now()
    for outreach in campaign.outreaches.filter(superseded_at__isnull=True):
        if outreach.target_id not in wanted:
            outreach.superseded_at = now
            outreach.save(update_fields=["superseded_at"])
    for target in targets:
        outreach, created = Outreach.objects.get_or_create(campaign=campaign, target=target)
        if not created and outreach.superseded_at is not None:
            outreach.superseded_at = None
            outreach.superseded_by = None
            outreach.save(update_fields=["superseded_at", "superseded_by"])
    return sorted(str(t.uuid) for t in targets)


def _campaign_data(campaign: LetterCampaign, data: Mapping[str, Any]) -> None:
    for key, value in data.items():
        if key not in CAMPAIGN_FIELDS:
            raise ValidationError({key: f"'{key}' cannot be set here."})
        setattr(campaign, key, value)
    if campaign.default_language not in LANGUAGES:
        raise ValidationError({"default_language": _("Choose one of the site's languages.")})


@transaction.atomic(durable=True)
def do_create_campaign(*, organisation: Organisation, data: Mapping[str, Any], acting_user: Any,
                       targets: Iterable[Target] = ()) -> LetterCampaign:
    campaign = LetterCampaign(organisation=organisation)
    _campaign_data(campaign, data)
    campaign.full_clean()
    campaign.save()
    chosen = _set_outreaches(campaign, _check_targets(organisation.pk, targets))
    changes = diff({}, {k: getattr(campaign, k) for k in CAMPAIGN_FIELDS})
    changes["targets"] = [None, chosen]
    record("letters.create_campaign", actor=acting_user, obj=campaign, changes=changes)
    return campaign


@transaction.atomic(durable=True)
def do_update_campaign(*, campaign: LetterCampaign, data: Mapping[str, Any], acting_user: Any,
                       targets: Iterable[Target] | None = None) -> LetterCampaign:
    campaign = LetterCampaign.objects.select_for_update().get(pk=campaign.pk)
    before = {k: getattr(campaign, k) for k in CAMPAIGN_FIELDS}
    before_targets = sorted(str(o.target.uuid) for o in campaign.live_outreaches())
    _campaign_data(campaign, data)
    campaign.full_clean()
    campaign.save()
    changes = diff(before, {k: getattr(campaign, k) for k in CAMPAIGN_FIELDS})
    if targets is not None:
        chosen = _set_outreaches(campaign, _check_targets(campaign.organisation_id, targets))
        if chosen != before_targets:
            changes["targets"] = [before_targets, chosen]
    if changes:
        record("letters.update_campaign", actor=acting_user, obj=campaign, changes=changes)
    return campaign


@transaction.atomic(durable=True)
def do_set_template(*, campaign: LetterCampaign, language: str, data: Mapping[str, str],
                    acting_user: Any) -> CampaignTemplate:
    if language not in LANGUAGES:
        raise ValidationError({"language": _("Choose one of the site's languages.")})
    template = CampaignTemplate.objects.filter(campaign=campaign, language=language).first() or CampaignTemplate(
        campaign=campaign, language=language)
    fields = ("title", "summary", "subject", "body")
    before = {k: getattr(template, k) for k in fields} if template.pk else {}
    for key in fields:
        setattr(template, key, str(data.get(key, "")).strip())
    template.full_clean()
    template.save()
    record("letters.set_template", actor=acting_user, organisation_id=campaign.organisation_id,
           object_type="letters.campaigntemplate", object_id=f"{campaign.pk}:{language}",
           changes=diff(before, {k: getattr(template, k) for k in fields}))
    return template


@transaction.atomic(durable=True)
def do_set_campaign_status(*, campaign: LetterCampaign, status: str, acting_user: Any) -> LetterCampaign:
    campaign = LetterCampaign.objects.select_for_update().get(pk=campaign.pk)
    before = campaign.status
    if status == CampaignStatus.OPEN:
        if not campaign.templates.exists():
            raise ValidationError({"status": _("Write the letter in at least one language first.")})
        if not campaign.live_outreaches().exists():
            raise ValidationError({"status": _("Choose at least one target first.")})
        campaign.opened_at = campaign.opened_at or timezone.now()
        campaign.closed_at = None
    elif status == CampaignStatus.CLOSED:
        if campaign.status != CampaignStatus.OPEN:
            raise ValidationError({"status": _("Only an open campaign can be closed.")})
        campaign.closed_at = timezone.now()
    else:
        raise ValidationError({"status": _("Choose open or closed.")})
    campaign.status = status
    campaign.save(update_fields=["status", "opened_at", "closed_at", "updated_at"])
    record("letters.set_campaign_status", actor=acting_user, obj=campaign, changes={"status": [before, status]})
    return campaign


@transaction.atomic(durable=True)
def do_log_reply(*, outreach: Outreach, received_on: date, stance: str, summary: str, acting_user: Any) -> Reply:
    if stance not in ReplyStance.values:
        raise ValidationError({"stance": _("Choose how the reply reads.")})
    summary = clean_text(summary, limit=5000, field="summary", multiline=True)
    if not summary:
        raise ValidationError({"summary": _("Say what the reply says.")})
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("This date is in the future.")})
    reply = Reply.objects.create(outreach=outreach, received_on=received_on, stance=stance, summary=summary,
                                 recorded_by=acting_user if getattr(acting_user, "is_authenticated", False)
                                 else None, recorded_at=timezone.now())
    record("letters.log_reply", actor=acting_user, organisation_id=outreach.organisation_id,
           object_type="letters.outreach", object_id=outreach.pk,
           changes={"reply": [None, reply.pk], "stance": [None, stance]})
    return reply


@dataclass
class HandOver:
    campaigns: int
    outreaches: list[Outreach]


@transaction.atomic(durable=True)
def do_hand_over_office(*, old: Target, new: Target, acting_user: Any) -> HandOver:
    """An office changed hands: every live campaign aimed at the old holder now writes to the new one, at once.

    The old outreach stays (its letters and replies are history) and points at the one that carries on.
    """
    if old.organisation_id != new.organisation_id:
        raise ValidationError({"new": _("Choose targets of your own organisation.")})
    if old.pk == new.pk:
        raise ValidationError({"new": _("Choose a different target: the new holder of the office.")})
    now = timezone.now()
    moved: list[Outreach] = []
    for outreach in Outreach.objects.select_for_update().select_related("campaign").filter(
            target=old, superseded_at__isnull=True,
            campaign__status__in=(CampaignStatus.DRAFT, CampaignStatus.OPEN)).order_by("id"):
        successor, created = Outreach.objects.get_or_create(campaign=outreach.campaign, target=new)
        if not created and successor.superseded_at is not None:
            successor.superseded_at = None
            successor.superseded_by = None
            successor.save(update_fields=["superseded_at", "superseded_by"])
        outreach.superseded_at = now
        outreach.superseded_by = successor
        outreach.save(update_fields=["superseded_at", "superseded_by"])
        moved.append(successor)
    record("letters.hand_over_office", actor=acting_user, obj=old,
           changes={"new_holder": [str(old.uuid), str(new.uuid)], "campaigns": [None, len(moved)]})
    return HandOver(len(moved), moved)


# --- letters to officials: the supporter's letter -----------------------------------------------------------


def salutation(target: Target, language: str) -> str:
    shown = project(target, PUBLIC, ("name", "title"))
    name = str(shown.get("name") or "")
    title = str(shown.get("title") or "")
    with translation.override(_language(language)):
        if title and title != name:
            return _("Dear %(title)s %(name)s,") % {"title": title, "name": name}
        return _("Dear %(name)s,") % {"name": name}


def sign_off(letter: OfficialLetter) -> str:
    with translation.override(_language(letter.language)):
        lines = [_("Yours sincerely,"), letter.sender_name]
    if letter.sender_place:
        lines.append(letter.sender_place)
    return "\n".join(lines)


def render_official_letter(letter: OfficialLetter, target: Target) -> str:
    """The letter as the target reads it: salutation, the supporter's text, sign-off. Never an e-mail address."""
    return f"{salutation(target, letter.language)}\n\n{letter.body}\n\n{sign_off(letter)}"


@dataclass
class WriteOutcome:
    letter: OfficialLetter
    created: bool


def _supporter(organisation_id: int, email: str, *, given_name: str, language: str) -> Supporter:
    """The petitions' supporter record (one per address and organisation), found by its keyed digest."""
    key = supporters.email_key(email)
    existing = Supporter.objects.filter(organisation_id=organisation_id, email_key=key).first()
    if existing is not None:
        return existing  # never renamed from a public form: anyone can type anyone's address
    try:
        with transaction.atomic():
            return Supporter.objects.create(organisation_id=organisation_id, email_key=key,
                                            email_sealed=supporters.seal_email(organisation_id, email),
                                            given_name=given_name[:100], language=language)
    except IntegrityError:
        return Supporter.objects.get(organisation_id=organisation_id, email_key=key)


def _confirm_url(campaign: LetterCampaign, language: str, token: str) -> str:
    with translation.override(language):
        return site_url(reverse("letters_public:confirm", kwargs={"slug": campaign.slug, "token": token}))


def _mail_confirmation(letter: OfficialLetter, campaign: LetterCampaign, email: str, *, dedupe_key: str) -> None:
    token = _link_token("confirm", letter.pk, letter.written_at)
    letter.token_digest = _digest(token)
    letter.token_expires = timezone.now() + timedelta(days=LINK_DAYS)
    template = campaign.template_for(letter.language)
    title = template.title if template else campaign.slug
    with translation.override(letter.language):
        subject = _("Please confirm your letter: %(title)s") % {"title": title}
        body = _("Thank you for writing \"%(title)s\".\n\nYour letter is sent once you confirm it. Open this link "
                 "and press the button on the page:\n\n%(link)s\n\nIf you did not write it, ignore this message: "
                 "nothing will be sent, and the letter will be deleted after %(days)d days.") % {
            "title": title, "link": _confirm_url(campaign, letter.language, token), "days": LINK_DAYS}
    outbox.enqueue_email(kind="letters.confirm_letter", to=[email], subject=subject, body=body,
                         organisation_id=campaign.organisation_id, dedupe_key=dedupe_key)


@transaction.atomic(durable=True)
def do_write_to_officials(*, campaign: LetterCampaign, email: str, sender_name: str, body: str,
                          language: str = "en", sender_place: str = "", newsletter: bool = False,
                          quarantine: str = "", proof_of_work: bool = False) -> WriteOutcome:
    """Take a letter: pending until the e-mailed link is confirmed. A repeat of the address changes nothing
    anyone else can see; its owner gets the link again."""
    errors: dict[str, Any] = {}
    try:
        email = supporters.normalise_email(email)
    except ValidationError as exc:
        errors["email"] = exc.messages
    cleaned: dict[str, str] = {}
    checks: list[tuple[str, str, Callable[[str], str]]] = [
        ("body", body, lambda v: _letter_text(v, "body")),
        ("sender_name", sender_name, lambda v: _sender_text(v, "sender_name")),
        ("sender_place", sender_place, lambda v: _sender_text(v, "sender_place"))]
    for field, value, check in checks:
        try:
            cleaned[field] = check(value)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if not errors.get("sender_name") and not cleaned.get("sender_name"):
        errors["sender_name"] = [_("Sign your letter with your name.")]
    if errors:
        raise ValidationError(errors)
    if campaign.status != CampaignStatus.OPEN:
        raise ValidationError({"campaign": _("This letter campaign is closed.")})
    language = _language(language)
    supporter = _supporter(campaign.organisation_id, email, given_name=cleaned["sender_name"], language=language)
    existing = OfficialLetter.objects.select_for_update().filter(campaign=campaign, supporter=supporter).first()
    pending = {"send": wording.wording("send", language)}
    if newsletter:
        pending["newsletter"] = wording.wording("newsletter", language)
    if existing is None:
        letter = OfficialLetter(campaign=campaign, supporter=supporter, language=language, body=cleaned["body"],
                                sender_name=cleaned["sender_name"], sender_place=cleaned["sender_place"],
                                quarantine=quarantine[:20], proof_of_work=proof_of_work, written_at=timezone.now(),
                                pending_consents=pending)
        try:
            with transaction.atomic():
                letter.save()
        except IntegrityError:
            existing = OfficialLetter.objects.select_for_update().get(campaign=campaign, supporter=supporter)
        else:
            _mail_confirmation(letter, campaign, email, dedupe_key=f"letters.confirm:{letter.pk}")
            letter.save(update_fields=["token_digest", "token_expires"])
            return WriteOutcome(letter, True)
    if existing.state == LetterState.PENDING:
        # The person may have rewritten it: the newest text stands until confirmed.
        existing.body, existing.sender_name, existing.sender_place = (cleaned["body"], cleaned["sender_name"],
                                                                      cleaned["sender_place"])
        existing.pending_consents = {**existing.pending_consents, **pending}
        _mail_confirmation(existing, campaign, email, dedupe_key=f"letters.confirm:{existing.pk}:{secrets.token_hex(8)}")
        existing.save()
    return WriteOutcome(existing, False)


def find_pending(token: str) -> OfficialLetter:
    if not token or len(token) > 100:
        raise BadLink()
    letter = OfficialLetter.objects.select_related("campaign").filter(token_digest=_digest(token)).first()
    if letter is None or letter.state != LetterState.PENDING:
        raise BadLink()
    if letter.token_expires is None or letter.token_expires < timezone.now():
        raise BadLink()
    return letter


@transaction.atomic(durable=True)
def do_confirm_letter(*, token: str) -> OfficialLetter:
    """The POST from the e-mailed link: the letter goes to every live target of the campaign, through the outbox
    (e-mail) or into the next post batch; the consents are recorded with their exact text."""
    found = find_pending(token)
    letter = OfficialLetter.objects.select_for_update().select_related("campaign").get(pk=found.pk)
    if letter.token_digest != _digest(token) or letter.state != LetterState.PENDING:
        raise BadLink()
    campaign = letter.campaign
    if campaign.status != CampaignStatus.OPEN:
        raise BadLink()
    now = timezone.now()
    if letter.supporter_id is not None:
        LetterConsent.objects.bulk_create([
            LetterConsent(supporter_id=letter.supporter_id, campaign=None if purpose == "newsletter" else campaign,
                          purpose=purpose, text=text, text_digest=hashlib.sha256(text.encode()).hexdigest(),
                          language=letter.language, given_at=now)
            for purpose, text in sorted(letter.pending_consents.items())])
    letter.pending_consents = {}
    letter.state = LetterState.SENT
    letter.sent_at = now
    letter.token_digest = None
    letter.token_expires = None
    letter.save(update_fields=["state", "sent_at", "token_digest", "token_expires", "pending_consents"])
    if not letter.quarantine:
        _dispatch(letter, campaign, now)
    return letter


def _dispatch(letter: OfficialLetter, campaign: LetterCampaign, now: datetime) -> None:
    template = campaign.template_for(letter.language)
    subject = template.subject if template else campaign.slug
    for outreach in campaign.live_outreaches():
        target = outreach.target
        by_mail = campaign.channel == Channel.EMAIL and bool(target.email)
        message_uuid = None
        if by_mail:
            message = outbox.enqueue_email(
                kind="letters.official_letter", to=[target.email], subject=subject,
                body=render_official_letter(letter, target), organisation_id=campaign.organisation_id,
                dedupe_key=f"letters.official:{letter.pk}:{outreach.pk}")
            message_uuid = message.uuid
            Outreach.objects.filter(pk=outreach.pk).update(letters_sent=F("letters_sent") + 1)
        else:
            # A target without an e-mail address gets the letter by post, whatever the campaign's channel.
            Outreach.objects.filter(pk=outreach.pk).update(letters_for_post=F("letters_for_post") + 1)
        Dispatch.objects.create(letter=letter, outreach=outreach, channel=Channel.EMAIL if by_mail else Channel.POST,
                                outbox_uuid=message_uuid, made_at=now)


@transaction.atomic(durable=True)
def do_release_letters(*, campaign: LetterCampaign, letter_ids: Iterable[int], acting_user: Any) -> int:
    """A reviewer finds quarantined letters genuine: confirmed ones are sent now."""
    released = 0
    now = timezone.now()
    for letter in OfficialLetter.objects.select_for_update().filter(campaign=campaign,
                                                                    pk__in=[int(i) for i in letter_ids]).exclude(
            quarantine=""):
        letter.quarantine = ""
        letter.save(update_fields=["quarantine"])
        if letter.state == LetterState.SENT and not letter.dispatches.exists():
            _dispatch(letter, campaign, now)
        released += 1
    record("letters.release_letters", actor=acting_user, obj=campaign, changes={"released": [None, released]})
    return released


@transaction.atomic(durable=True)
def do_compile_post(*, campaign: LetterCampaign, acting_user: Any) -> PostBatch:
    """Every letter waiting for post, one page per letter and target, with the target's postal address."""
    from unforgotten.core.pdf import render_pdf

    waiting = list(Dispatch.objects.select_for_update().select_related("letter", "outreach__target").filter(
        outreach__campaign=campaign, channel=Channel.POST, printed_in__isnull=True).order_by("outreach_id", "id"))
    if not waiting:
        raise ValidationError({"post": _("No letter is waiting to be posted.")})
    pages = []
    for dispatch in waiting:
        target = dispatch.outreach.target
        text = render_official_letter(dispatch.letter, target)
        pages.append({"address": "\n".join(x for x in (target.name, target.title, target.institution,
                                                         target.postal_address) if x),
                      "text": text, "dir": text_direction(dispatch.letter.body)})
    html = render_to_string("letters/pdf/post.html", {"pages": pages, "campaign": campaign.name})
    batch = PostBatch.objects.create(campaign=campaign, made_at=timezone.now(), size=len(pages),
                                     pdf=render_pdf(html, extra_css="section.page { page-break-after: always; }"))
    Dispatch.objects.filter(pk__in=[d.pk for d in waiting]).update(printed_in=batch)
    record("letters.compile_post", actor=acting_user, obj=campaign, changes={"letters": [None, len(pages)]})
    return batch


@transaction.atomic(durable=True)
def do_expire_pending(now: datetime | None = None) -> int:
    """Unconfirmed letters whose link expired are deleted (they were never sent)."""
    now = now or timezone.now()
    deleted, _ = OfficialLetter.objects.filter(state=LetterState.PENDING, token_expires__lt=now).delete()
    return int(deleted)


@transaction.atomic(durable=True)
def do_anonymise_old_letters(now: datetime | None = None) -> int:
    """Letters keep their writers' traces ``LETTER_ANONYMISE_MONTHS`` only, as petitions keep their signers'.

    - Letters to officials of a campaign closed that long ago lose the supporter, the text, the name and the
      town (the outreach counts stay); that campaign's letter consents are deleted.
    - Letters to a prisoner received that long ago and settled (rejected, or approved and in a batch) lose the
      sender's name, address, e-mail and its digest; the text stays, it is the prisoner's mail.
    One audit event per run that changed anything (counts only).
    """
    now = now or timezone.now()
    cutoff = months.shifted(now, -int(settings.LETTER_ANONYMISE_MONTHS))
    old_campaigns = LetterCampaign.objects.filter(status=CampaignStatus.CLOSED, closed_at__lt=cutoff)
    to_officials = OfficialLetter.objects.filter(campaign__in=old_campaigns).filter(
        models.Q(supporter__isnull=False) | ~models.Q(body="") | ~models.Q(sender_name="")
        | ~models.Q(sender_place=""))
    officials = to_officials.update(supporter=None, body="", sender_name="", sender_place="", pending_consents={})
    consents, _rows = LetterConsent.objects.filter(campaign__in=old_campaigns).delete()
    settled = models.Q(status=LetterStatus.REJECTED) | models.Q(status=LetterStatus.APPROVED, batch__isnull=False)
    to_prisoners = PrisonerLetter.objects.filter(settled, received_at__lt=cutoff).filter(
        models.Q(sender_email_key__isnull=False) | ~models.Q(sender_name="") | ~models.Q(sender_address="")
        | ~models.Q(sender_email=""))
    prisoners = to_prisoners.update(sender_name="", sender_address="", sender_email="", sender_email_key=None,
                                    print_sender=False, edit_token_digest=None, edit_token_expires=None)
    if officials or prisoners or consents:
        record("letters.anonymise_writers", actor="scheduler", object_type="letters.letter",
               changes={"letters_to_officials": [None, officials], "letters_to_prisoners": [None, prisoners],
                        "consents": [None, int(consents)]})
    return int(officials) + int(prisoners)


def forget_supporter(supporter_id: int) -> None:
    """The supporter erased their data (actions' data link): their letters keep only the count."""
    OfficialLetter.objects.filter(supporter_id=supporter_id, state=LetterState.PENDING).delete()
    for letter in OfficialLetter.objects.filter(supporter_id=supporter_id):
        letter.body = ""
        letter.sender_name = ""
        letter.sender_place = ""
        letter.supporter = None
        letter.save(update_fields=["body", "sender_name", "sender_place", "supporter"])

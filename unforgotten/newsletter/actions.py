"""Every change to the newsletter list, one function each, audited in the same transaction (decision 0021).

E-mails leave only through the outbox, queued in the same transaction.
Addresses never reach the audit log: events name the subscriber's uuid only.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from unforgotten.accounts.models import Organisation
from unforgotten.audit.actions import record
from unforgotten.core import antispam, outbox
from unforgotten.core.sealing import seal
from unforgotten.newsletter import tokens
from unforgotten.newsletter.models import ConsentEvent, Status, Subscriber, address_digest

PUBLIC_ACTOR = "public form"
# At most this many e-mails to one address per day, whoever asks: the form cannot be used to flood an inbox.
MAILS_PER_ADDRESS_PER_DAY = 3


def _consent(subscriber: Subscriber, kind: str, text: str, language: str, source: str) -> ConsentEvent:
    return ConsentEvent.objects.create(
        subscriber=subscriber, kind=kind, text=text, text_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        language=language, at=timezone.now(), source=source)


def _link(name: str, language: str, token: str) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse(name, kwargs={"token": token})


def _may_mail(digest: str) -> bool:
    # A day-keyed HMAC of the digest, not the digest itself: an erased address must leave no row that a lookup
    # by its digest would find (decision 0029).
    return antispam.hit("newsletter-mail", antispam.address_digest(digest), window=timedelta(hours=24)) <= (
        MAILS_PER_ADDRESS_PER_DAY)


def _mail(subscriber: Subscriber, email: str, template: str) -> None:
    language = subscriber.language
    unsubscribe = _link("newsletter_public:unsubscribe", language,
                        tokens.make(tokens.UNSUBSCRIBE, str(subscriber.uuid), subscriber.unsubscribe_nonce))
    context = {"unsubscribe_url": unsubscribe}
    if subscriber.confirm_nonce:
        context["confirm_url"] = _link("newsletter_public:confirm", language,
                                       tokens.make(tokens.CONFIRM, str(subscriber.uuid), subscriber.confirm_nonce))
    with translation.override(language):
        subject = render_to_string(f"newsletter/mail/{template}_subject.txt", context).strip()
        body = render_to_string(f"newsletter/mail/{template}.txt", context)
    outbox.enqueue_email(
        kind=f"newsletter.{template}", to=[email], subject=subject, body=body,
        organisation_id=subscriber.organisation_id,
        # Keyed by the subscriber, so an erasure can take back what is still queued (newsletter.personal_data).
        dedupe_key=f"newsletter.subscriber:{subscriber.pk}:{template}:{secrets.token_hex(8)}",
        headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})


@transaction.atomic(durable=True)
def do_sign_up(*, organisation: Organisation, email: str, language: str, consent_text: str,
               source: str = "newsletter form", acting_user: Any = None) -> Subscriber:
    """Ask to subscribe ``email``: the same outcome to the caller whether or not it is already on the list.

    New or unsubscribed: pending, with a confirmation e-mail. Pending: a new
    confirmation e-mail (the old link stops working). Confirmed: a note that
    the address is already subscribed, with an unsubscribe link.
    """
    email = email.strip()
    if not email or len(email) > 254 or "@" not in email:
        raise ValidationError({"email": "Enter a valid e-mail address."})
    if not consent_text.strip():
        raise ValidationError({"consent": "The consent text is missing."})
    digest = address_digest(email)
    subscriber = Subscriber.objects.select_for_update().filter(organisation=organisation, email_digest=digest).first()
    now = timezone.now()
    if subscriber is None:
        subscriber = Subscriber(organisation=organisation, email_digest=digest, language=language, created_at=now,
                                unsubscribe_nonce=tokens.new_nonce())
        subscriber.email = seal(email, subscriber.seal_context())
    may_mail = _may_mail(digest)
    if subscriber.status == Status.CONFIRMED:
        subscriber.save()
        if may_mail:
            _mail(subscriber, email, "already")
        record("newsletter.sign_up_again", actor=acting_user or PUBLIC_ACTOR, obj=subscriber,
               organisation_id=organisation.pk)
        return subscriber
    subscriber.status = Status.PENDING
    subscriber.language = language
    if may_mail or not subscriber.confirm_nonce:
        # A new link replaces the old one only when it is sent: past the day's cap the last e-mailed link stays good.
        subscriber.confirm_nonce = tokens.new_nonce()
    subscriber.save()
    _consent(subscriber, ConsentEvent.Kind.REQUESTED, consent_text, language, source)
    if may_mail:
        _mail(subscriber, email, "confirm")
    record("newsletter.sign_up", actor=acting_user or PUBLIC_ACTOR, obj=subscriber, organisation_id=organisation.pk,
           changes={"status": [None, Status.PENDING], "language": [None, language]})
    return subscriber


class LinkProblem(Exception):
    """A confirm or unsubscribe link that is forged, expired or already used: ``problem`` says which."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def subscriber_for(kind: str, token: str) -> Subscriber:
    """The subscriber a link stands for, or ``LinkProblem`` ("forged", "expired", "used")."""
    opened = tokens.open_token(kind, token)
    if opened.problem:
        raise LinkProblem(opened.problem)
    subscriber = Subscriber.objects.filter(uuid=opened.subscriber_uuid).first() if _is_uuid(opened.subscriber_uuid) \
        else None
    if subscriber is None:
        raise LinkProblem("forged")
    current = subscriber.confirm_nonce if kind == tokens.CONFIRM else subscriber.unsubscribe_nonce
    if not current or current != opened.nonce:
        raise LinkProblem("used")
    return subscriber


def _is_uuid(text: str) -> bool:
    import uuid

    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


@transaction.atomic(durable=True)
def do_confirm(*, token: str, consent_text: str, language: str) -> Subscriber:
    """Confirm a subscription from the link's POST; the link works once."""
    subscriber = subscriber_for(tokens.CONFIRM, token)
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.confirm_nonce != tokens.open_token(tokens.CONFIRM, token).nonce:
        raise LinkProblem("used")
    subscriber.status = Status.CONFIRMED
    subscriber.confirmed_at = timezone.now()
    subscriber.unsubscribed_at = None
    subscriber.confirm_nonce = ""
    subscriber.save()
    _consent(subscriber, ConsentEvent.Kind.CONFIRMED, consent_text, language, "confirmation link")
    record("newsletter.confirm", actor=PUBLIC_ACTOR, obj=subscriber, organisation_id=subscriber.organisation_id,
           changes={"status": [Status.PENDING, Status.CONFIRMED]})
    return subscriber


@transaction.atomic(durable=True)
def do_unsubscribe(*, token: str, text: str, language: str, source: str = "unsubscribe link") -> Subscriber:
    """Withdraw consent from an unsubscribe link (one click); the link works once."""
    subscriber = subscriber_for(tokens.UNSUBSCRIBE, token)
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.unsubscribe_nonce != tokens.open_token(tokens.UNSUBSCRIBE, token).nonce:
        raise LinkProblem("used")
    unsubscribe_in_transaction(subscriber, text=text, language=language, source=source)
    return subscriber


def unsubscribe_in_transaction(subscriber: Subscriber, *, text: str, language: str, source: str) -> None:
    """Unsubscribe a locked row inside the caller's transaction, with its consent event and audit event.

    The unsubscribe link and the supporters' "stop all e-mails" (actions, through core.personal_data) both end here.
    """
    before = subscriber.status
    subscriber.status = Status.UNSUBSCRIBED
    subscriber.unsubscribed_at = timezone.now()
    subscriber.confirm_nonce = ""
    subscriber.unsubscribe_nonce = tokens.new_nonce()
    subscriber.save()
    _consent(subscriber, ConsentEvent.Kind.WITHDRAWN, text, language, source)
    record("newsletter.unsubscribe", actor=PUBLIC_ACTOR, obj=subscriber, organisation_id=subscriber.organisation_id,
           changes={"status": [before, Status.UNSUBSCRIBED]})


@transaction.atomic(durable=True)
def do_export_subscribers(*, organisation: Organisation, acting_user: Any) -> list[dict[str, str]]:
    """The confirmed subscribers with their addresses, for a campaigner; the read is audited (how many, no addresses)."""
    from unforgotten.newsletter.reading import campaign_audience
    from unforgotten.policy.projection import project

    audience = campaign_audience(acting_user, organisation)
    rows = []
    for subscriber in Subscriber.objects.filter(organisation=organisation, status=Status.CONFIRMED).order_by("confirmed_at", "id"):
        shown = project(subscriber, audience, ("email", "language", "confirmed_at"))
        rows.append({"email": shown.get("email", ""), "language": shown.get("language", ""),
                     "confirmed_at": shown["confirmed_at"].isoformat() if shown.get("confirmed_at") else ""})
    record("newsletter.export", actor=acting_user, organisation_id=organisation.pk, object_type="newsletter.subscriber",
           changes={"exported": [None, len(rows)]})
    return rows

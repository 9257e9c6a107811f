"""Every change take-action makes, one function each.

Staff acts (petitions, targets, texts, review, invalidation, closing, delivery,
exports) write their audit event in the same transaction. The public's own acts
(signing, confirming) do not: the audit log is append-only and cannot be erased,
while a signer's trace must be anonymised and erasable, and one log append per
signature would serialise a viral petition behind the log's lock. The signature
row is their record. A supporter's erasure is audited, with no address in it
(decision 0018).

Durability: a signature acknowledged to the person is committed before the
answer (``durable=True``; on PostgreSQL ``synchronous_commit`` is forced on for
the transaction; SQLite runs WAL with ``synchronous=FULL``), and its
confirmation e-mail is an outbox row of the same transaction.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.db.models import F, Q, Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from unforgotten.accounts.models import Organisation
from unforgotten.actions import supporters, wording
from unforgotten.actions.models import (
    COUNTER_SHARDS,
    Consent,
    ConsentPurpose,
    CounterShard,
    Delivery,
    Petition,
    PetitionStatus,
    PetitionText,
    Signature,
    SignatureState,
    Supporter,
    Target,
)
from unforgotten.audit.actions import diff, record
from unforgotten.core import outbox
from unforgotten.policy.projection import field_sensitivity

MAX_COMMENT = 2000
MAX_NAME = 100
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
PROTECTED = frozenset({"id", "organisation", "organisation_id", "uuid", "created_at", "updated_at", "status",
                       "sensitivity_floor", "sensitivity_overrides", "opened_at", "closed_at", "delivered_at",
                       "anonymised_at", "count_shown", "count_as_of"})
DATA_LINK_MAX_AGE = 24 * 3600
DATA_LINK_SALT = "unforgotten.actions.my-data"


# --- helpers ----------------------------------------------------------------------------------------


def _snapshot(obj: models.Model) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields
            if f.attname not in {"created_at", "updated_at"}}


def _classes(obj: models.Model) -> dict[str, Any]:
    return {f.attname: field_sensitivity(obj, f.attname) for f in obj._meta.concrete_fields}


def _assign(obj: models.Model, data: Mapping[str, Any]) -> None:
    names = {f.name for f in obj._meta.concrete_fields} | {f.attname for f in obj._meta.concrete_fields}
    for key, value in data.items():
        if key not in names or key in PROTECTED:
            raise ValidationError({key: f"'{key}' cannot be set here."})
        setattr(obj, key, value)


def _durable_commit() -> None:
    # The server default may have been lowered for speed elsewhere; a signature the
    # person was told about must survive a crash, so this transaction waits for the WAL flush.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = on")


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _language(code: str) -> str:
    return code if code in LANGUAGES else settings.LANGUAGE_CODE


def clean_text(value: str, *, limit: int, field: str, multiline: bool = False) -> str:
    """Text from the public: control characters refused, length bounded, HTML kept as text (escaped on output)."""
    text = (value or "").strip()
    allowed = {"\n", "\r", "\t"} if multiline else set()
    if any((ord(ch) < 32 and ch not in allowed) or ord(ch) == 127 for ch in text):
        raise ValidationError({field: _("Remove the control characters from this text.")})
    if len(text) > limit:
        raise ValidationError({field: _("Keep this under %(limit)d characters.") % {"limit": limit}})
    return text.replace("\r\n", "\n")


# --- targets ----------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def do_add_target(*, organisation: Organisation, data: Mapping[str, Any], acting_user: Any) -> Target:
    target = Target(organisation=organisation)
    _assign(target, data)
    target.full_clean()
    target.save()
    record("actions.add_target", actor=acting_user, obj=target, changes=diff({}, _snapshot(target), _classes(target)))
    return target


@transaction.atomic(durable=True)
def do_update_target(*, target: Target, data: Mapping[str, Any], acting_user: Any) -> Target:
    before = _snapshot(target)
    _assign(target, data)
    target.full_clean()
    changes = diff(before, _snapshot(target), _classes(target))
    if changes:
        target.save()
        record("actions.update_target", actor=acting_user, obj=target, changes=changes)
    return target


# --- petitions ----------------------------------------------------------------------------------------


def _set_targets(petition: Petition, targets: Iterable[Target] | None) -> list[str] | None:
    if targets is None:
        return None
    chosen = list(targets)
    if any(t.organisation_id != petition.organisation_id for t in chosen):
        raise ValidationError({"targets": _("Choose targets of your own organisation.")})
    petition.targets.set(chosen)
    return sorted(str(t.uuid) for t in chosen)


@transaction.atomic(durable=True)
def do_create_petition(*, organisation: Organisation, data: Mapping[str, Any], acting_user: Any,
                       targets: Iterable[Target] | None = None) -> Petition:
    petition = Petition(organisation=organisation)
    _assign(petition, data)
    petition.full_clean()
    petition.save()
    CounterShard.objects.bulk_create([CounterShard(petition=petition, shard=i) for i in range(COUNTER_SHARDS)])
    chosen = _set_targets(petition, targets)
    changes = diff({}, _snapshot(petition), _classes(petition))
    if chosen is not None:
        changes["targets"] = [None, chosen]
    record("actions.create_petition", actor=acting_user, obj=petition, changes=changes)
    return petition


@transaction.atomic(durable=True)
def do_update_petition(*, petition: Petition, data: Mapping[str, Any], acting_user: Any,
                       targets: Iterable[Target] | None = None) -> Petition:
    before = _snapshot(petition)
    before_targets = sorted(str(t.uuid) for t in petition.targets.all())
    _assign(petition, data)
    petition.full_clean()
    changes = diff(before, _snapshot(petition), _classes(petition))
    petition.save()
    chosen = _set_targets(petition, targets)
    if chosen is not None and chosen != before_targets:
        changes["targets"] = [before_targets, chosen]
    if changes:
        record("actions.update_petition", actor=acting_user, obj=petition, changes=changes)
    return petition


@transaction.atomic(durable=True)
def do_set_petition_text(*, petition: Petition, language: str, title: str, summary: str, body: str,
                         acting_user: Any) -> PetitionText:
    if language not in LANGUAGES:
        raise ValidationError({"language": _("Choose one of the site's languages.")})
    text = PetitionText.objects.filter(petition=petition, language=language).first() or PetitionText(
        petition=petition, language=language)
    before = {"title": text.title, "summary": text.summary, "body": text.body} if text.pk else {}
    text.title, text.summary, text.body = title.strip(), summary.strip(), body.strip()
    text.full_clean()
    text.save()
    record("actions.set_petition_text", actor=acting_user, organisation_id=petition.organisation_id,
           object_type="actions.petitiontext", object_id=f"{petition.pk}:{language}",
           changes=diff(before, {"title": text.title, "summary": text.summary, "body": text.body}))
    return text


@transaction.atomic(durable=True)
def do_open_petition(*, petition: Petition, acting_user: Any) -> Petition:
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    if petition.status not in (PetitionStatus.DRAFT, PetitionStatus.CLOSED):
        raise ValidationError({"status": _("Only a draft or a closed petition can be opened.")})
    if not petition.texts.exists():
        raise ValidationError({"status": _("Write the petition's text in at least one language first.")})
    before = petition.status
    petition.status = PetitionStatus.OPEN
    petition.opened_at = petition.opened_at or timezone.now()
    petition.closed_at = None
    petition.save(update_fields=["status", "opened_at", "closed_at", "updated_at"])
    record("actions.open_petition", actor=acting_user, obj=petition, changes={"status": [before, petition.status]})
    return petition


@transaction.atomic(durable=True)
def do_close_petition(*, petition: Petition, acting_user: Any) -> Petition:
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    if petition.status != PetitionStatus.OPEN:
        raise ValidationError({"status": _("Only an open petition can be closed.")})
    petition.status = PetitionStatus.CLOSED
    petition.closed_at = timezone.now()
    petition.save(update_fields=["status", "closed_at", "updated_at"])
    _refresh_one(petition)
    record("actions.close_petition", actor=acting_user, obj=petition, changes={"status": ["open", "closed"]})
    return petition


@transaction.atomic(durable=True)
def do_choose_comments(*, petition: Petition, signature_ids: Iterable[int], acting_user: Any) -> int:
    """Mark the comments to print in the delivered petition (never with a name); the others are unmarked."""
    ids = [int(i) for i in signature_ids]
    Signature.objects.filter(petition=petition).exclude(pk__in=ids).update(comment_chosen=False)
    chosen = Signature.objects.filter(petition=petition, pk__in=ids, counted=True).exclude(comment="").update(
        comment_chosen=True)
    record("actions.choose_comments", actor=acting_user, obj=petition, changes={"chosen": [None, chosen]})
    return chosen


@transaction.atomic(durable=True)
def do_deliver_petition(*, petition: Petition, language: str, acting_user: Any) -> Delivery:
    from unforgotten.actions import delivery

    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    if petition.status not in (PetitionStatus.CLOSED, PetitionStatus.DELIVERED):
        raise ValidationError({"status": _("Close the petition before delivering it.")})
    _refresh_one(petition)
    pdf = delivery.render(petition, _language(language))
    made = Delivery.objects.create(petition=petition, language=_language(language), count=petition.count_shown,
                                   pdf=pdf, made_at=timezone.now())
    before = petition.status
    petition.status = PetitionStatus.DELIVERED
    petition.delivered_at = made.made_at
    petition.save(update_fields=["status", "delivered_at", "updated_at"])
    record("actions.deliver_petition", actor=acting_user, obj=petition,
           changes={"status": [before, petition.status], "count": [None, made.count], "delivery": [None, made.pk]})
    return made


# --- counting ---------------------------------------------------------------------------------------


def _count(signature: Signature, delta: int) -> None:
    shard = secrets.randbelow(COUNTER_SHARDS)
    updated = CounterShard.objects.filter(petition_id=signature.petition_id, shard=shard).update(
        counted=F("counted") + delta)
    if not updated:
        CounterShard.objects.create(petition_id=signature.petition_id, shard=shard, counted=delta)


def _recount(signature: Signature) -> None:
    """Bring ``counted`` (and the shards) in line with the signature's state; call with the row locked."""
    should = signature.should_count()
    if should and not signature.counted:
        _count(signature, +1)
    elif signature.counted and not should:
        _count(signature, -1)
    signature.counted = should


def _refresh_one(petition: Petition, now: datetime | None = None) -> None:
    total = CounterShard.objects.filter(petition=petition).aggregate(n=Sum("counted"))["n"] or 0
    petition.count_shown = max(0, int(total))
    petition.count_as_of = now or timezone.now()
    Petition.objects.filter(pk=petition.pk).update(count_shown=petition.count_shown, count_as_of=petition.count_as_of)


def do_refresh_counts(now: datetime | None = None) -> int:
    """Sum each petition's shards into the count the public sees, with its time (the periodic job)."""
    now = now or timezone.now()
    totals = {row["petition_id"]: row["n"] for row in
              CounterShard.objects.values("petition_id").annotate(n=Sum("counted")).order_by()}
    changed = 0
    for petition_id, total in totals.items():
        changed += Petition.objects.filter(pk=petition_id).update(count_shown=max(0, int(total or 0)), count_as_of=now)
    return changed


# --- signing ----------------------------------------------------------------------------------------


@dataclass
class SignOutcome:
    """What happened, for tests and the API; the public page shows the same whatever it says."""

    signature: Signature
    created: bool


def _confirm_url(petition: Petition, language: str, token: str) -> str:
    with translation.override(language):
        return site_url(reverse("petitions:confirm", kwargs={"slug": petition.slug, "token": token}))


def confirmation_token(signature: Signature) -> str:
    """The link's secret: derived from the row and a server key, so a re-sent mail carries the same link.

    Only its digest is stored; the database alone cannot produce a working link.
    """
    import base64
    import hmac

    key = hashlib.sha256(b"unforgotten.actions.confirm:" + settings.SECRET_KEY.encode()).digest()
    mac = hmac.new(key, f"{signature.pk}:{signature.signed_at.isoformat()}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode("ascii").rstrip("=")


def _mail_confirmation(signature: Signature, petition: Petition, email: str, language: str, *,
                       dedupe_key: str) -> None:
    token = confirmation_token(signature)
    signature.token_digest = _digest(token)
    signature.token_expires = timezone.now() + timedelta(days=settings.PETITION_PENDING_DAYS)
    text = petition.text_for(language)
    title = text.title if text else petition.slug
    with translation.override(language):
        subject = _("Please confirm your signature: %(title)s") % {"title": title}
        body = _(
            "Thank you for signing \"%(title)s\".\n\n"
            "Your signature counts once you confirm it. Open this link and press the button on the page:\n\n"
            "%(link)s\n\n"
            "If you did not sign, ignore this message: nothing will be counted, and the signature "
            "will be deleted after %(days)d days."
        ) % {"title": title, "link": _confirm_url(petition, language, token), "days": settings.PETITION_PENDING_DAYS}
    outbox.enqueue_email(kind="actions.confirm_signature", to=[email], subject=subject, body=body,
                         organisation_id=petition.organisation_id, dedupe_key=dedupe_key)


def _mail_already_signed(signature: Signature, petition: Petition, email: str, language: str) -> None:
    text = petition.text_for(language)
    title = text.title if text else petition.slug
    with translation.override(language):
        subject = _("You have already signed: %(title)s") % {"title": title}
        body = _("Someone (probably you) signed \"%(title)s\" again with this address. "
                 "Your signature was already counted; there is nothing more to do.") % {"title": title}
    outbox.enqueue_email(kind="actions.already_signed", to=[email], subject=subject, body=body,
                         organisation_id=petition.organisation_id,
                         dedupe_key=f"actions.already:{signature.pk}:{secrets.token_hex(8)}")


def _supporter(organisation_id: int, email: str, *, given_name: str, country: str, language: str) -> Supporter:
    key = supporters.email_key(email)
    existing = Supporter.objects.filter(organisation_id=organisation_id, email_key=key).first()
    if existing is None:
        try:
            with transaction.atomic():
                existing = Supporter.objects.create(
                    organisation_id=organisation_id, email_key=key,
                    email_sealed=supporters.seal_email(organisation_id, email),
                    given_name=given_name, country=country, language=language)
        except IntegrityError:
            # Another request created the same supporter a moment ago: use theirs.
            existing = Supporter.objects.get(organisation_id=organisation_id, email_key=key)
    # An existing supporter is never changed from the public form: anyone can type anyone's address, and a
    # stranger must not rename a signer (their own data is changed through the e-mailed data link only).
    return existing


@transaction.atomic(durable=True)
def do_sign_petition(*, petition: Petition, email: str, given_name: str = "", country: str = "",
                     language: str = "en", comment: str = "", consents: Iterable[str] = (),
                     quarantine: str = "", proof_of_work: bool = False) -> SignOutcome:
    """Take a signature: pending until the e-mailed link is confirmed; the same outcome for a repeat.

    ``consents`` names the optional purposes ticked on the form (newsletter, show
    name); counting on this petition is the purpose of signing itself.
    """
    _durable_commit()
    errors: dict[str, Any] = {}
    try:
        email = supporters.normalise_email(email)
    except ValidationError as exc:
        errors["email"] = exc.messages
    try:
        given_name = clean_text(given_name, limit=MAX_NAME, field="given_name")
        comment = clean_text(comment, limit=MAX_COMMENT, field="comment", multiline=True)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    country = (country or "").strip().upper()
    if country:
        from unforgotten.core.countries import is_country

        if not is_country(country):
            errors["country"] = [_("Choose a country from the list.")]
    if errors:
        raise ValidationError(errors)
    language = _language(language)
    if not petition.is_open:
        raise ValidationError({"petition": _("This petition is closed; it no longer takes signatures.")})
    supporter = _supporter(petition.organisation_id, email, given_name=given_name, country=country, language=language)
    wanted = {ConsentPurpose.COUNTED.value} | {c for c in consents if c in (ConsentPurpose.NEWSLETTER,
                                                                              ConsentPurpose.SHOW_NAME)}
    if not petition.show_signer_names:
        wanted.discard(ConsentPurpose.SHOW_NAME.value)
    pending = {purpose: wording.wording(purpose, language) for purpose in sorted(wanted)}
    existing = Signature.objects.select_for_update().filter(petition=petition, supporter=supporter).first()
    if existing is None:
        signature = Signature(petition=petition, supporter=supporter, comment=comment, country=country,
                              language=language, quarantine=quarantine, proof_of_work=proof_of_work,
                              signed_at=timezone.now(), pending_consents=pending)
        try:
            with transaction.atomic():
                signature.save()
        except IntegrityError:
            # The same address signed in a concurrent request: that one stands.
            existing = Signature.objects.select_for_update().get(petition=petition, supporter=supporter)
        else:
            _mail_confirmation(signature, petition, email, language, dedupe_key=f"actions.sign:{signature.pk}")
            signature.save(update_fields=["token_digest", "token_expires"])
            return SignOutcome(signature, True)
    # A repeat: nothing new is counted or shown; the address's owner hears about it, nobody else.
    if existing.state == SignatureState.PENDING:
        existing.pending_consents = {**existing.pending_consents, **pending}
        _mail_confirmation(existing, petition, email, language,
                           dedupe_key=f"actions.sign:{existing.pk}:{secrets.token_hex(8)}")
        existing.save(update_fields=["token_digest", "token_expires", "pending_consents"])
    else:
        _mail_already_signed(existing, petition, email, language)
    return SignOutcome(existing, False)


class BadToken(Exception):
    """A confirmation link that is unknown, used already or expired: one answer for all three."""


def find_pending(token: str) -> Signature:
    if not token or len(token) > 100:
        raise BadToken()
    signature = Signature.objects.select_related("petition").filter(token_digest=_digest(token)).first()
    if signature is None or signature.state != SignatureState.PENDING:
        raise BadToken()
    if signature.token_expires is None or signature.token_expires < timezone.now():
        raise BadToken()
    return signature


@transaction.atomic(durable=True)
def do_confirm_signature(*, token: str, keep_informed: bool) -> Signature:
    """The POST from the e-mailed link: confirmed, counted (unless quarantined), consents recorded."""
    _durable_commit()
    found = find_pending(token)
    signature = Signature.objects.select_for_update().select_related("petition").get(pk=found.pk)
    if signature.token_digest != _digest(token) or signature.state != SignatureState.PENDING:
        raise BadToken()
    petition = signature.petition
    if petition.status != PetitionStatus.OPEN:
        raise BadToken()
    now = timezone.now()
    signature.state = SignatureState.CONFIRMED
    signature.confirmed_at = now
    signature.token_digest = None
    signature.token_expires = None
    consents = dict(signature.pending_consents)
    if keep_informed:
        consents[ConsentPurpose.CAMPAIGN_UPDATES.value] = wording.wording(ConsentPurpose.CAMPAIGN_UPDATES,
                                                                           signature.language)
    if ConsentPurpose.SHOW_NAME.value in consents:
        signature.show_name = True
    if signature.supporter_id is not None:
        Consent.objects.bulk_create([
            Consent(supporter_id=signature.supporter_id, purpose=purpose,
                    petition=None if purpose == ConsentPurpose.NEWSLETTER else petition,
                    text=text, text_digest=hashlib.sha256(text.encode("utf-8")).hexdigest(),
                    language=signature.language,
                    source="confirmation page" if purpose == ConsentPurpose.CAMPAIGN_UPDATES else "petition form",
                    given_at=now)
            for purpose, text in sorted(consents.items())
        ])
    signature.pending_consents = {}
    _recount(signature)
    signature.save(update_fields=["state", "confirmed_at", "token_digest", "token_expires", "show_name",
                                  "pending_consents", "counted"])
    return signature


# --- review: quarantine, release, invalidation ------------------------------------------------------


@transaction.atomic(durable=True)
def do_release_signatures(*, petition: Petition, signature_ids: Iterable[int], acting_user: Any) -> int:
    """A reviewer finds quarantined signatures genuine: they count once confirmed."""
    released = 0
    for signature in Signature.objects.select_for_update().filter(
            petition=petition, pk__in=[int(i) for i in signature_ids], invalidated_at__isnull=True).exclude(
            quarantine=""):
        signature.quarantine = ""
        _recount(signature)
        signature.save(update_fields=["quarantine", "counted"])
        released += 1
    record("actions.release_signatures", actor=acting_user, obj=petition, changes={"released": [None, released]})
    return released


@transaction.atomic(durable=True)
def do_invalidate_signatures(*, petition: Petition, acting_user: Any, signature_ids: Iterable[int] | None = None,
                             quarantine: str | None = None, signed_from: datetime | None = None,
                             signed_until: datetime | None = None, reason: str = "") -> int:
    """Invalidate signatures by id or in bulk (by quarantine reason and time window); they stop counting."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why these signatures are invalid.")})
    rows = Signature.objects.select_for_update().filter(petition=petition, invalidated_at__isnull=True)
    criteria: dict[str, Any] = {}
    if signature_ids is not None:
        ids = [int(i) for i in signature_ids]
        rows = rows.filter(pk__in=ids)
        criteria["ids"] = len(ids)
    if quarantine is not None:
        rows = rows.filter(quarantine=quarantine) if quarantine != "*" else rows.exclude(quarantine="")
        criteria["quarantine"] = quarantine
    if signed_from is not None:
        rows = rows.filter(signed_at__gte=signed_from)
        criteria["from"] = signed_from.isoformat()
    if signed_until is not None:
        rows = rows.filter(signed_at__lt=signed_until)
        criteria["until"] = signed_until.isoformat()
    if not criteria:
        raise ValidationError({"signatures": _("Choose which signatures to invalidate.")})
    now = timezone.now()
    uncount = rows.filter(counted=True)
    # Take the counted ones off the shards in one statement per shard-sized batch: a bulk
    # invalidation of a flood must not be a loop of a hundred thousand updates.
    removed = uncount.count()
    if removed:
        CounterShard.objects.filter(petition=petition, shard=0).update(counted=F("counted") - removed)
    invalidated = rows.update(invalidated_at=now, counted=False)
    record("actions.invalidate_signatures", actor=acting_user, obj=petition, reason=reason,
           changes={"criteria": [None, criteria], "invalidated": [None, invalidated], "uncounted": [None, removed]})
    return invalidated


# --- retention ----------------------------------------------------------------------------------------


def _months_after(moment: datetime, months: int) -> datetime:
    month = moment.month - 1 + months
    year = moment.year + month // 12
    month = month % 12 + 1
    import calendar

    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def _drop_orphan_supporters(organisation_ids: Iterable[int]) -> int:
    """Supporters with no signature left and no newsletter consent: nothing to keep them for."""
    newsletter = Consent.objects.filter(purpose=ConsentPurpose.NEWSLETTER, withdrawn_at__isnull=True).values(
        "supporter_id")
    orphans = Supporter.objects.filter(organisation_id__in=list(organisation_ids)).filter(
        ~Q(pk__in=Signature.objects.filter(supporter__isnull=False).values("supporter_id"))).exclude(pk__in=newsletter)
    deleted, _ = orphans.delete()
    return int(deleted)


@transaction.atomic(durable=True)
def do_anonymise_closed_petitions(now: datetime | None = None) -> int:
    """Signers of petitions closed long enough ago lose every link to a person; counts stay."""
    now = now or timezone.now()
    done = 0
    for petition in Petition.objects.select_for_update().filter(
            status__in=(PetitionStatus.CLOSED, PetitionStatus.DELIVERED), closed_at__isnull=False,
            anonymised_at__isnull=True):
        if petition.closed_at is None or _months_after(petition.closed_at, petition.months_to_keep()) > now:
            continue
        Signature.objects.filter(petition=petition, state=SignatureState.PENDING).delete()
        anonymised = Signature.objects.filter(petition=petition, anonymised=False).update(
            supporter=None, show_name=False, anonymised=True, token_digest=None, token_expires=None,
            pending_consents={})
        Signature.objects.filter(petition=petition, comment_chosen=False).exclude(comment="").update(comment="")
        Consent.objects.filter(petition=petition).delete()
        petition.anonymised_at = now
        petition.save(update_fields=["anonymised_at"])
        _drop_orphan_supporters([petition.organisation_id])
        record("actions.anonymise_signers", actor="scheduler", obj=petition,
               changes={"anonymised": [None, anonymised]})
        done += 1
    return done


@transaction.atomic(durable=True)
def do_expire_pending(now: datetime | None = None) -> int:
    """Unconfirmed signatures whose link expired are deleted (they never counted)."""
    now = now or timezone.now()
    stale = Signature.objects.filter(state=SignatureState.PENDING, token_expires__lt=now)
    orgs = set(stale.values_list("petition__organisation_id", flat=True))
    deleted, _ = stale.delete()
    if orgs:
        _drop_orphan_supporters(orgs)
    return int(deleted)


# --- the supporter's own data: export and erasure from an e-mailed link ----------------------------


def data_link_token(email: str) -> str:
    return signing.dumps({"k": supporters.email_key(email)}, salt=DATA_LINK_SALT, compress=True)


def data_link_key(token: str) -> str | None:
    """The address digest a data link stands for, or None when forged or older than 24 hours."""
    try:
        data = signing.loads(token, salt=DATA_LINK_SALT, max_age=DATA_LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    key = data.get("k") if isinstance(data, dict) else None
    return key if isinstance(key, str) and len(key) == 64 else None


@transaction.atomic(durable=True)
def do_request_my_data(*, email: str, language: str) -> bool:
    """E-mail a link to export or erase one's data, if we hold any; the page answers the same either way."""
    email = supporters.normalise_email(email)
    language = _language(language)
    if not Supporter.objects.filter(email_key=supporters.email_key(email)).exists():
        return False
    with translation.override(language):
        link = site_url(reverse("supporters:my_data", kwargs={"token": data_link_token(email)}))
        subject = _("Your data with Unforgotten campaigns")
        body = _("Someone (probably you) asked to see or erase the data kept about this address.\n\n"
                 "This link works for 24 hours:\n\n%(link)s\n\nIf it was not you, ignore this message.") % {
            "link": link}
    outbox.enqueue_email(kind="actions.my_data_link", to=[email], subject=subject, body=body,
                         dedupe_key=f"actions.mydata:{secrets.token_hex(12)}")
    return True


def export_my_data(key: str) -> dict[str, Any]:
    """Everything kept about the address, for the person themself."""
    out: dict[str, Any] = {"supporters": []}
    for supporter in Supporter.objects.filter(email_key=key).order_by("pk"):
        out["supporters"].append({
            "organisation": supporter.organisation.name,
            "email": supporter.email,
            "given_name": supporter.given_name,
            "country": supporter.country,
            "language": supporter.language,
            "since": supporter.created_at.isoformat(),
            "consents": [{"purpose": c.purpose, "text": c.text, "given_at": c.given_at.isoformat(),
                          "withdrawn_at": c.withdrawn_at.isoformat() if c.withdrawn_at else None,
                          "source": c.source} for c in supporter.consents.all()],
            "signatures": [{"petition": s.petition.slug, "state": s.state, "signed_at": s.signed_at.isoformat(),
                            "confirmed_at": s.confirmed_at.isoformat() if s.confirmed_at else None,
                            "comment": s.comment, "show_name": s.show_name}
                           for s in supporter.signatures.select_related("petition").order_by("pk")],
        })
    return out


@transaction.atomic(durable=True)
def do_erase_my_data(*, key: str) -> int:
    """Erase every supporter record of the address: consents deleted, signatures kept only as anonymous counts."""
    erased = 0
    for supporter in Supporter.objects.select_for_update().filter(email_key=key):
        Signature.objects.filter(supporter=supporter, state=SignatureState.PENDING).delete()
        Signature.objects.filter(supporter=supporter).update(
            supporter=None, comment="", comment_chosen=False, show_name=False, anonymised=True,
            token_digest=None, token_expires=None, pending_consents={})
        record("actions.erase_supporter", actor="supporter", organisation_id=supporter.organisation_id,
               object_type="actions.supporter", object_id=supporter.pk)
        supporter.delete()
        erased += 1
    return erased


@transaction.atomic(durable=True)
def do_withdraw_consent(*, key: str, purpose: str) -> int:
    """Withdrawal as easy as consent (Art. 7(3)): from the e-mailed data link, one button."""
    withdrawn = Consent.objects.filter(supporter__email_key=key, purpose=purpose, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now())
    if purpose == ConsentPurpose.SHOW_NAME:
        Signature.objects.filter(supporter__email_key=key).update(show_name=False)
    return withdrawn


# --- export of signers (staff) ------------------------------------------------------------------------


@transaction.atomic(durable=True)
def do_record_signer_export(*, petition: Petition, rows: int, acting_user: Any) -> None:
    record("actions.export_signers", actor=acting_user, obj=petition, changes={"rows": [None, rows]})

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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import datetime, timedelta
from functools import cached_property, lru_cache
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
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
from unforgotten.core import fastsql, groupcommit, months, outbox, personal_data
from unforgotten.core.models import OutboxMessage
from unforgotten.policy.projection import field_sensitivity
from unforgotten.registry.models import Person

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
        _public_changed()
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


def _set_people(petition: Petition, people: Iterable[Person] | None) -> list[str] | None:
    if people is None:
        return None
    chosen = list(people)
    if any(p.organisation_id != petition.organisation_id for p in chosen):
        raise ValidationError({"people": _("Choose people of your own organisation's registry.")})
    petition.people.set(chosen)
    return sorted(str(p.uuid) for p in chosen)


def _public_changed(petition: Petition | None = None) -> None:
    """What a public page shows may have changed: the petition's own page, the profiles of the people it is for.

    The page store is emptied now and again at commit (the publishing rule, decision
    0012), and this process's signing fast path forgets its copy of the petition
    (other processes' copies expire within seconds; the signing INSERT re-checks
    the state meanwhile).
    """
    from unforgotten.actions import fastpath
    from unforgotten.publishing.actions import purge_public_pages

    purge_public_pages()
    slug = petition.slug if petition is not None else None
    # Now, and again at commit: a request of this process may read the old row in between.
    fastpath.forget(slug)
    transaction.on_commit(lambda: fastpath.forget(slug))


def _drop_stored_petition_pages(slugs: Iterable[str]) -> None:
    """Remove the stored pages of these petitions only (their count moved); every other stored page stays.

    A render racing this may store a page with the count of a moment ago: a count
    "as of" a few seconds, never something that must not be public (anything of
    that kind purges the whole store through ``_public_changed``).
    """
    from unforgotten.publishing import cache

    for slug in slugs:
        for code in LANGUAGES:
            with translation.override(code):
                cache.forget_path(reverse("petitions:page", kwargs={"slug": slug}))


@transaction.atomic(durable=True)
def do_create_petition(*, organisation: Organisation, data: Mapping[str, Any], acting_user: Any,
                       targets: Iterable[Target] | None = None, people: Iterable[Person] | None = None) -> Petition:
    petition = Petition(organisation=organisation)
    _assign(petition, data)
    petition.full_clean()
    petition.save()
    CounterShard.objects.bulk_create([CounterShard(petition=petition, shard=i) for i in range(COUNTER_SHARDS)])
    chosen = _set_targets(petition, targets)
    linked = _set_people(petition, people)
    changes = diff({}, _snapshot(petition), _classes(petition))
    if chosen is not None:
        changes["targets"] = [None, chosen]
    if linked:
        changes["people"] = [None, linked]
    record("actions.create_petition", actor=acting_user, obj=petition, changes=changes)
    return petition


@transaction.atomic(durable=True)
def do_update_petition(*, petition: Petition, data: Mapping[str, Any], acting_user: Any,
                       targets: Iterable[Target] | None = None, people: Iterable[Person] | None = None) -> Petition:
    before = _snapshot(petition)
    before_targets = sorted(str(t.uuid) for t in petition.targets.all())
    before_people = sorted(str(p.uuid) for p in petition.people.all())
    _assign(petition, data)
    petition.full_clean()
    changes = diff(before, _snapshot(petition), _classes(petition))
    petition.save()
    chosen = _set_targets(petition, targets)
    if chosen is not None and chosen != before_targets:
        changes["targets"] = [before_targets, chosen]
    linked = _set_people(petition, people)
    if linked is not None and linked != before_people:
        changes["people"] = [before_people, linked]
    if changes:
        record("actions.update_petition", actor=acting_user, obj=petition, changes=changes)
        _public_changed(petition)
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
    _public_changed(petition)
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
    _public_changed(petition)
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
    _public_changed(petition)
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
    _public_changed(petition)
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
    shown = dict(Petition.objects.filter(pk__in=list(totals)).values_list("pk", "count_shown"))
    changed = 0
    moved: list[int] = []
    for petition_id, total in totals.items():
        count = max(0, int(total or 0))
        changed += Petition.objects.filter(pk=petition_id).update(count_shown=count, count_as_of=now)
        if shown.get(petition_id) != count:
            moved.append(petition_id)
    if moved:
        # The stored petition pages show the count: those whose count moved are rendered afresh on their next
        # view, so the lag of the count shown stays that of this job (a stored page otherwise lives minutes).
        _drop_stored_petition_pages(Petition.objects.filter(pk__in=moved).values_list("slug", flat=True))
    return changed


# --- signing ----------------------------------------------------------------------------------------


class SignOutcome:
    """What happened, for tests and the API; the public page shows the same whatever it says.

    ``signature`` may be given as a function that builds it: the signing fast path never reads it, and a model
    instance per signature was a measurable share of its CPU (decision 0025).
    """

    def __init__(self, signature: Signature | Callable[[], Signature], created: bool) -> None:
        self._signature = signature
        self.created = created

    @cached_property
    def signature(self) -> Signature:
        return self._signature if isinstance(self._signature, Signature) else self._signature()


def _confirm_url(petition: Petition, language: str, token: str) -> str:
    with translation.override(language):
        return site_url(reverse("petitions:confirm", kwargs={"slug": petition.slug, "token": token}))


def confirmation_token(signature: Signature) -> str:
    """The link's secret: derived from the row and a server key, so a re-sent mail carries the same link.

    Only its digest is stored; the database alone cannot produce a working link.
    """
    supporter = signature.supporter  # a pending signature always has its supporter
    return _token(signature.petition_id, supporter.email_key if supporter else "", signature.signed_at)


@lru_cache(maxsize=4)
def _confirm_key(secret: str) -> bytes:
    # Derived once per secret and process, not per signature.
    return hashlib.sha256(b"unforgotten.actions.confirm:" + secret.encode()).digest()


def _token(petition_id: int, email_key: str, signed_at: datetime) -> str:
    # Petition, address digest and time name the row as well as its id does, and are all known before the
    # INSERT: the signature and its e-mail (which carries the link) are written in one go (decision 0025).
    import base64
    import hmac

    mac = hmac.new(_confirm_key(settings.SECRET_KEY), f"{petition_id}:{email_key}:{signed_at.isoformat()}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode("ascii").rstrip("=")


def _mail_confirmation(signature: Signature, petition: Petition, email: str, language: str, *,
                       dedupe_key: str | None) -> None:
    """Set the signature's token (not saved here) and queue its e-mail; ``dedupe_key`` None: the signature's own."""
    token = confirmation_token(signature)
    signature.token_digest = _digest(token)
    signature.token_expires = timezone.now() + timedelta(days=settings.PETITION_PENDING_DAYS)
    if dedupe_key is None:
        return
    _enqueue_confirmation(signature, petition, email, language, token, dedupe_key)


def _compose_confirmation(petition: Petition, language: str, title: str, token: str) -> tuple[str, str]:
    with translation.override(language):
        subject = _("Please confirm your signature: %(title)s") % {"title": title}
        body = _(
            "Thank you for signing \"%(title)s\".\n\n"
            "Your signature counts once you confirm it. Open this link and press the button on the page:\n\n"
            "%(link)s\n\n"
            "If you did not sign, ignore this message: nothing will be counted, and the signature "
            "will be deleted after %(days)d days."
        ) % {"title": title, "link": _confirm_url(petition, language, token), "days": settings.PETITION_PENDING_DAYS}
    return subject, body


def _confirmation_mail(petition: Petition, language: str, token: str) -> tuple[str, str]:
    """Subject and body of the confirmation e-mail: the same for every signer of a petition and language but the link.

    Composed once per petition, title and language with a marker where the token
    goes (translating, formatting and reversing the URL per signature cost a tenth
    of a signature's CPU); each signature only puts its token in the marker's place.
    """
    text = petition.text_for(language)
    title = text.title if text else petition.slug
    key = (petition.pk, petition.slug, language, title)
    parts = _MAILS.get(key)
    if parts is None:
        subject, body = _compose_confirmation(petition, language, title, _TOKEN_MARK)
        before, found, after = body.partition(_TOKEN_MARK)
        if not found or _TOKEN_MARK in subject or _TOKEN_MARK in before or _TOKEN_MARK in after:
            # A title that holds the marker (typed by staff, however unlikely), or a link that lost it: compose
            # this petition's mails in full each time.
            return _compose_confirmation(petition, language, title, token)
        parts = (subject, before, after)
        if len(_MAILS) > 1000:  # petitions × languages × titles; bounded all the same
            _MAILS.clear()
        _MAILS[key] = parts
    subject, before, after = parts
    return subject, before + token + after


# The token's place in a composed e-mail: URL-safe like a token (reverse() leaves both as they are), and no real
# title or translation holds it (if one did, the mail is composed in full).
_TOKEN_MARK = "Zz0TOKEN0PLACE0zZ"  # noqa: S105  (a placeholder, not a secret)
_MAILS: dict[tuple[int, str, str, str], tuple[str, str, str]] = {}


def _enqueue_confirmation(signature: Signature, petition: Petition, email: str, language: str, token: str,
                          dedupe_key: str) -> None:
    subject, body = _confirmation_mail(petition, language, token)
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


def _params(model: type[models.Model], values: Mapping[str, Any], *,
            cast: bool = False) -> tuple[list[str], list[str], list[Any]]:
    """Columns, placeholders and database-ready values of ``values``, adapted by each field as the ORM would.

    ``cast``: each placeholder carries its column's type (``%s::jsonb``), for a
    statement that SELECTs its values (server-side binding types nothing by itself).
    """
    columns, marks, params = [], [], []
    for name, value in values.items():
        column, db_type, field = _column(model, name)
        columns.append(column)
        marks.append(f"%s::{db_type}" if cast else "%s")
        params.append(field.get_db_prep_save(value, connection))
    return columns, marks, params


_COLUMNS: dict[tuple[type[models.Model], str, str], tuple[str, str, Any]] = {}


def _column(model: type[models.Model], name: str) -> tuple[str, str, Any]:
    key = (model, name, connection.vendor)
    found = _COLUMNS.get(key)
    if found is None:
        field: Any = model._meta.get_field(name)
        # An id's column type is "bigserial" to CREATE TABLE but "bigint" to a cast.
        db_type = field.rel_db_type(connection) if field.get_internal_type().endswith("AutoField") else \
            field.db_type(connection)
        found = (connection.ops.quote_name(field.column), str(db_type), field)
        _COLUMNS[key] = found
    return found


def _supporter_id(organisation_id: int, email: str, *, given_name: str, country: str, language: str) -> int:
    """The supporter of this address, created if new: one statement either way (INSERT … ON CONFLICT DO NOTHING).

    An existing supporter is never changed from the public form: anyone can type anyone's address, and a
    stranger must not rename a signer (their own data is changed through the e-mailed data link only).
    """
    key = supporters.email_key(email)
    columns, _marks, params = _params(Supporter, {
        "organisation": organisation_id, "email_key": key, "email_sealed": supporters.seal_email(organisation_id, email),
        "given_name": given_name, "country": country, "language": language, "created_at": timezone.localdate()})
    table = Supporter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(params))}) "  # noqa: S608  (fixed names, placeholders)
                       "ON CONFLICT (organisation_id, email_key) DO NOTHING RETURNING id", params)
        row = cursor.fetchone()
        if row is None:
            # Signed before, or another request created the same supporter a moment ago: use that one.
            cursor.execute(f"SELECT id FROM {table} WHERE organisation_id = %s AND email_key = %s",  # noqa: S608
                           [organisation_id, key])
            row = cursor.fetchone()
    return int(row[0])


def _insert_signature(signature: Signature) -> bool:
    """INSERT the new signature if its petition is still open and the supporter has none there yet; True if it did.

    The petition's state is checked inside the same statement, so a caller may hold a
    petition read a few seconds ago (the signing fast path caches it): a petition
    closed since then takes nothing.
    """
    names = ["petition", "supporter", "state", "quarantine", "invalidated_at", "counted", "comment", "comment_chosen",
             "show_name", "country", "language", "token_digest", "token_expires", "proof_of_work", "pending_consents",
             "signed_at", "confirmed_at", "anonymised"]
    columns, _marks, params = _params(Signature, {name: getattr(signature, _column(Signature, name)[2].attname)
                                                  for name in names})
    table, petitions = Signature._meta.db_table, Petition._meta.db_table
    now = Petition._meta.get_field("deadline").get_db_prep_save(signature.signed_at, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(['%s'] * len(params))} "  # noqa: S608  (fixed names, placeholders)
            f"WHERE EXISTS (SELECT 1 FROM {petitions} WHERE id = %s AND status = %s "
            "AND (deadline IS NULL OR deadline > %s)) "
            "ON CONFLICT (petition_id, supporter_id) DO NOTHING RETURNING id",
            [*params, signature.petition_id, PetitionStatus.OPEN.value, now])
        row = cursor.fetchone()
    if row is None:
        return False
    signature.pk = int(row[0])
    signature._state.adding = False
    return True


@dataclass(frozen=True)
class Signing:
    """A signature's input, cleaned: what both ways of writing it start from."""

    email: str
    email_key: str
    given_name: str
    country: str
    language: str
    comment: str
    pending: dict[str, str]


def clean_signing(petition: Petition, *, email: str, given_name: str, country: str, language: str, comment: str,
                  consents: Iterable[str]) -> Signing:
    """The form's input checked and normalised, or ValidationError naming each field at fault (nothing written)."""
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
    wanted = {ConsentPurpose.COUNTED.value} | {c for c in consents if c in (ConsentPurpose.NEWSLETTER,
                                                                              ConsentPurpose.SHOW_NAME)}
    if not petition.show_signer_names:
        wanted.discard(ConsentPurpose.SHOW_NAME.value)
    pending = {purpose: wording.wording(purpose, language) for purpose in sorted(wanted)}
    return Signing(email, supporters.email_key(email), given_name, country, language, comment, pending)


def _closed() -> ValidationError:
    return ValidationError({"petition": _("This petition is closed; it no longer takes signatures.")})


def do_sign_petition(*, petition: Petition, email: str, given_name: str = "", country: str = "",
                     language: str = "en", comment: str = "", consents: Iterable[str] = (),
                     quarantine: str = "", proof_of_work: bool = False) -> SignOutcome:
    """Take a signature: pending until the e-mailed link is confirmed; the same outcome for a repeat.

    ``consents`` names the optional purposes ticked on the form (newsletter, show
    name); counting on this petition is the purpose of signing itself.

    One transaction either way, committed synchronously before this returns: on
    PostgreSQL, outside any caller's transaction, a new signature is *one
    statement* (supporter, signature and outbox row; ``_sign_in_one_statement``)
    — a single statement is a transaction of its own, and one round trip instead
    of ten is what lets a viral petition keep up (decision 0025). A repeat, a
    race on the same address, SQLite or a caller's open transaction take the
    durable transaction of ``_sign_in_steps``.
    """
    signing = clean_signing(petition, email=email, given_name=given_name, country=country, language=language,
                            comment=comment, consents=consents)
    return sign_cleaned(petition, signing, quarantine=quarantine, proof_of_work=proof_of_work)


def sign_cleaned(petition: Petition, signing: Signing, *, quarantine: str = "",
                 proof_of_work: bool = False) -> SignOutcome:
    """``do_sign_petition`` for input already through ``clean_signing`` (the fast path cleans before screening)."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        built = _sign_in_one_statement(petition, signing, quarantine=quarantine, proof_of_work=proof_of_work)
        if built is not None:
            return SignOutcome(built, True)
    return _sign_in_steps(petition, signing, quarantine=quarantine, proof_of_work=proof_of_work)


# Keys for the signing path's encryption are read at most this often per process (keyring.encrypt_value).
KEY_MAX_AGE = 10.0


_SUPPORTER_NAMES = ("organisation", "email_key", "email_sealed", "given_name", "country", "language", "created_at")
_SIGNATURE_NAMES = ("petition", "state", "quarantine", "invalidated_at", "counted", "comment", "comment_chosen",
                    "show_name", "country", "language", "token_digest", "token_expires", "proof_of_work",
                    "pending_consents", "signed_at", "confirmed_at", "anonymised")


@dataclass(frozen=True)
class _Statement:
    """A hot statement's text and, per placeholder, the model field that adapts its value (as the ORM would)."""

    sql: str  # for one signature
    fields: tuple[Any, ...]  # the model field behind each placeholder (of one signature's text)
    # Per placeholder, the field whose get_db_prep_save the value needs, or None where the driver takes the Python
    # value as the ORM would pass it (str, int, bool, bytes, UUID, aware datetime, date: most of them).
    adapters: tuple[Any, ...]
    signature_attnames: tuple[str, ...]
    # What a new signature holds in the columns the signer does not fill (the model's defaults, all immutable).
    signature_defaults: dict[str, Any]
    # The text for a group: head + one row per signature (numbered) + tail.
    head: str
    row: str
    tail: str
    texts: dict[int, str] = dataclass_field(default_factory=dict)  # by group size, built on first use

    def sql_for(self, size: int) -> str:
        text = self.texts.get(size)
        if text is None:
            rows = ", ".join(f"({self.row}, {n})" for n in range(1, size + 1))
            text = self.texts[size] = f"{self.head}{rows}{self.tail}"
        return text


_ONE_STATEMENT: list[_Statement] = []
# Django's own field classes whose get_db_prep_save hands PostgreSQL's driver the value unchanged (checked by a
# test). Exactly these classes: a subclass (a sealed column's guard against plaintext) keeps its own adaptation.
_NATIVE = frozenset({models.AutoField, models.BigAutoField, models.BigIntegerField, models.BinaryField,
                     models.BooleanField, models.CharField, models.DateField, models.DateTimeField, models.ForeignKey,
                     models.IntegerField, models.PositiveIntegerField, models.SmallIntegerField, models.TextField,
                     models.UUIDField})


def _one_statement() -> _Statement:
    """The statement that writes a group of new signatures, built once per process (decision 0025).

    One row of placeholders per signature in a VALUES list (one text, prepared
    once per connection, per group size), the open status last. Not ``unnest`` of
    one array per column: psycopg adapts a list in Python, element by element, and
    that cost more CPU than the whole statement saved. Building the text per
    signature (field lookups, type names, quoting) cost more CPU than the database
    spent running it. Only PostgreSQL takes this path, so the cache needs no vendor
    in its key.
    """
    if _ONE_STATEMENT:
        return _ONE_STATEMENT[0]

    columns: list[tuple[str, str, str, Any]] = []  # (column, alias in the group, type, field) per array

    def take(model: type[models.Model], names: Iterable[str], prefix: str) -> tuple[list[str], list[str]]:
        cols, aliases = [], []
        for name in names:
            column, db_type, field = _column(model, name)
            alias = f"{prefix}{len(columns)}"
            columns.append((column, alias, db_type, field))
            cols.append(column)
            aliases.append(f"item.{alias}")
        return cols, aliases

    s_cols, s_items = take(Supporter, _SUPPORTER_NAMES, "s")
    g_cols, g_items = take(Signature, _SIGNATURE_NAMES, "g")
    m_cols, m_items = take(OutboxMessage, outbox.EMAIL_ROW_COLUMNS, "m")
    s_org, s_key = s_items[_SUPPORTER_NAMES.index("organisation")], s_items[_SUPPORTER_NAMES.index("email_key")]
    g_petition = g_items[_SIGNATURE_NAMES.index("petition")]
    g_signed = g_items[_SIGNATURE_NAMES.index("signed_at")]
    # varchar without its length: a cast to varchar(n) would cut a longer value silently, the column refuses it.
    row = ", ".join(f"%s::{db_type.split('(')[0] if db_type.startswith('varchar(') else db_type}"
                    for _c, _a, db_type, _f in columns)
    aliases = ", ".join(alias for _c, alias, _t, _f in columns)
    status_mark, status_field = f"%s::{_column(Petition, 'status')[1]}", _column(Petition, "status")[2]
    supporters_table = Supporter._meta.db_table
    # Every name is ours and every value a placeholder: nothing from the request is spliced into the text.
    # Items are numbered (n) to give each its own answer; the group holds one item per (organisation, address)
    # (``_write_signatures``), so an item, its supporter and its signature match one to one.
    head = ("WITH cfg AS (SELECT set_config('synchronous_commit', 'on', true) AS v), "
            "item AS (SELECT * FROM (VALUES ")
    tail = (
        f") AS item({aliases}, n)), "  # noqa: S608  (see above)
        f"open AS (SELECT item.n FROM item JOIN {Petition._meta.db_table} p ON p.id = {g_petition} "
        f"WHERE p.status = {status_mark} AND (p.deadline IS NULL OR p.deadline > {g_signed})), "
        f"new_supporter AS (INSERT INTO {supporters_table} ({', '.join(s_cols)}) "
        f"SELECT {', '.join(s_items)} FROM item JOIN open USING (n) "
        "ON CONFLICT (organisation_id, email_key) DO NOTHING RETURNING id, organisation_id, email_key), "
        # A supporter created by this statement, else the existing one; neither (one another transaction is
        # creating right now): no signature here, the steps sort it out.
        # Subqueries, not joins: the planner cannot know a group's size, and a join to the supporters could be
        # planned as a scan of them all; a subquery per item is an index lookup, and only when nothing was created.
        "supporter AS (SELECT item.n, COALESCE("
        f"(SELECT fresh.id FROM new_supporter fresh WHERE fresh.organisation_id = {s_org} "
        f"AND fresh.email_key = {s_key}), "
        f"(SELECT known.id FROM {supporters_table} known WHERE known.organisation_id = {s_org} "
        f"AND known.email_key = {s_key})) AS id FROM item JOIN open USING (n)), "
        f"signature AS (INSERT INTO {Signature._meta.db_table} (supporter_id, {', '.join(g_cols)}) "
        f"SELECT supporter.id, {', '.join(g_items)} FROM item JOIN supporter USING (n) "
        "WHERE supporter.id IS NOT NULL "
        "ON CONFLICT (petition_id, supporter_id) DO NOTHING RETURNING id, supporter_id, petition_id), "
        "done AS (SELECT supporter.n, signature.id, signature.supporter_id FROM signature "
        "JOIN supporter ON supporter.id = signature.supporter_id "
        f"JOIN item ON item.n = supporter.n AND {g_petition} = signature.petition_id), "
        f"mail AS (INSERT INTO {OutboxMessage._meta.db_table} ({', '.join(m_cols)}, dedupe_key) "
        f"SELECT {', '.join(m_items)}, 'actions.sign:' || done.id FROM done JOIN item USING (n) "
        "RETURNING id, dedupe_key) "
        "SELECT item.n, (SELECT v FROM cfg), open.n IS NOT NULL, done.id, done.supporter_id, mail.id "
        "FROM item LEFT JOIN open USING (n) LEFT JOIN done USING (n) "
        "LEFT JOIN mail ON mail.dedupe_key = 'actions.sign:' || done.id ORDER BY item.n"
    )
    g_fields = [f for _c, alias, _t, f in columns if alias.startswith("g")]
    attnames = tuple(f.attname for f in g_fields)
    fields = (*(f for _c, _a, _t, f in columns), status_field)
    defaults = {f.attname: f.get_default() for f in g_fields if f.attname not in _SIGNER_FILLS}
    built = _Statement(f"{head}({row}, 1){tail}", fields, tuple(None if type(f) in _NATIVE else f for f in fields),
                       attnames, defaults, head, row, tail)
    _ONE_STATEMENT.append(built)
    return built


# The signature columns each signature fills; the others take the model's defaults.
_SIGNER_FILLS = frozenset({"petition_id", "quarantine", "comment", "country", "language", "token_digest",
                           "token_expires", "proof_of_work", "pending_consents", "signed_at"})

# What the group statement tells each item: (petition open, signature id, supporter id, outbox row id).
_Written = tuple[bool, int | None, int | None, int | None]


def _write_signatures(items: Sequence[Sequence[Any]]) -> list[_Written]:
    """Write new signatures (each its values, adapted, in the statement's column order): one statement, one commit.

    Two items for the same address of the same organisation in one group (a double
    click) would meet in the statement; the second is left out and answered "not
    written", which sends it through the steps like any repeat: the same page,
    silently. Runs on the calling thread's connection, outside any transaction.
    """
    statement = _one_statement()
    s_org, s_key = _SUPPORTER_NAMES.index("organisation"), _SUPPORTER_NAMES.index("email_key")
    seen: set[tuple[Any, Any]] = set()
    kept: list[int] = []
    for i, values in enumerate(items):
        key = (values[s_org], values[s_key])
        if key not in seen:
            seen.add(key)
            kept.append(i)
    params = [value for i in kept for value in items[i]]
    rows = fastsql.fetch(statement.sql_for(len(kept)), [*params, PetitionStatus.OPEN.value])
    answers: list[_Written] = [(True, None, None, None)] * len(items)
    for i, (_n, _setting, is_open, signature_id, supporter_id, mail_id) in zip(kept, rows, strict=True):
        answers[i] = (bool(is_open), signature_id, supporter_id, mail_id)
    return answers


# The signatures of this process's threads, written together (core/groupcommit; decision 0025, third stage).
_GROUP: groupcommit.Group[Sequence[Any], _Written] = groupcommit.Group(_write_signatures)


def _signature_item(petition: Petition, signing: Signing, *, quarantine: str,
                    proof_of_work: bool) -> tuple[list[Any], dict[str, Any]]:
    """A new signature's values for the group statement (adapted, in its column order) and its signature row."""
    statement = _one_statement()
    db = connections[DEFAULT_DB_ALIAS]  # the wrapper itself: the proxy costs a thread-local lookup per use
    now = timezone.now()
    token = _token(petition.pk, signing.email_key, now)
    subject, body = _confirmation_mail(petition, signing.language, token)
    mail = outbox.email_row(kind="actions.confirm_signature", to=[signing.email], subject=subject, body=body,
                            organisation_id=petition.organisation_id, key_max_age=KEY_MAX_AGE, now=now)
    sealed = supporters.seal_email(petition.organisation_id, signing.email, key_max_age=KEY_MAX_AGE,
                                   key=signing.email_key)
    filled = {"petition_id": petition.pk, "quarantine": quarantine, "comment": signing.comment,
              "country": signing.country, "language": signing.language, "token_digest": _digest(token),
              "token_expires": now + timedelta(days=settings.PETITION_PENDING_DAYS), "proof_of_work": proof_of_work,
              "pending_consents": signing.pending, "signed_at": now}
    row = {**statement.signature_defaults, **filled}
    values = [petition.organisation_id, signing.email_key, sealed, signing.given_name, signing.country,
              signing.language, timezone.localdate(now),
              *(row[name] for name in statement.signature_attnames),
              *mail]
    item = [value if field is None else field.get_db_prep_save(value, db)
            for field, value in zip(statement.adapters[:-1], values, strict=True)]  # the last: the status
    return item, row


def _sign_in_one_statement(petition: Petition, signing: Signing, *, quarantine: str,
                           proof_of_work: bool) -> Callable[[], Signature] | None:
    """A new signature in ONE PostgreSQL statement with a synchronous commit; None: take the steps instead.

    Data-modifying CTEs: the supporter (``ON CONFLICT DO NOTHING``, else the
    existing one), the signature (only if the petition is open, checked in the
    same statement, and only if the supporter has none there) and its outbox row
    (keyed by the signature's id) are written together or not at all. Nothing
    written means a repeat or a race on the same address (the steps sort it out)
    or a closed petition (ValidationError). Concurrent signatures of this process
    share the statement and its commit (``_GROUP``); each returns only once that
    commit is done. Returns what builds the new row's instance.
    """
    item, row = _signature_item(petition, signing, quarantine=quarantine, proof_of_work=proof_of_work)
    if settings.PETITION_GROUP_COMMIT:
        is_open, signature_id, supporter_id, mail_id = _GROUP.submit(item)
    else:
        [(is_open, signature_id, supporter_id, mail_id)] = _write_signatures([item])
    if not is_open:
        raise _closed()
    if signature_id is None or mail_id is None or supporter_id is None:
        return None
    outbox.kick()

    def instance() -> Signature:
        signature = Signature(id=int(signature_id), supporter_id=int(supporter_id), **row)
        signature.petition = petition
        signature._state.adding = False
        return signature

    return instance


@transaction.atomic(durable=True)
def _sign_in_steps(petition: Petition, signing: Signing, *, quarantine: str, proof_of_work: bool) -> SignOutcome:
    _durable_commit()
    supporter_id = _supporter_id(petition.organisation_id, signing.email, given_name=signing.given_name,
                                 country=signing.country, language=signing.language)
    signature = Signature(petition=petition, supporter_id=supporter_id, comment=signing.comment,
                          country=signing.country, language=signing.language, quarantine=quarantine,
                          proof_of_work=proof_of_work, signed_at=timezone.now(), pending_consents=signing.pending)
    token = _token(petition.pk, signing.email_key, signature.signed_at)
    signature.token_digest = _digest(token)
    signature.token_expires = signature.signed_at + timedelta(days=settings.PETITION_PENDING_DAYS)
    if _insert_signature(signature):
        # The e-mail is keyed by the signature: one row each, whatever retries come later.
        _enqueue_confirmation(signature, petition, signing.email, signing.language, token,
                              dedupe_key=f"actions.sign:{signature.pk}")
        return SignOutcome(signature, True)
    existing = Signature.objects.select_for_update().select_related("supporter").filter(
        petition=petition, supporter_id=supporter_id).first()
    if existing is None:
        # Nothing inserted and nothing there: the petition closed since the caller read it.
        raise _closed()
    # A repeat: nothing new is counted or shown; the address's owner hears about it, nobody else.
    if existing.state == SignatureState.PENDING:
        existing.pending_consents = {**existing.pending_consents, **signing.pending}
        _mail_confirmation(existing, petition, signing.email, signing.language,
                           dedupe_key=f"actions.sign:{existing.pk}:{secrets.token_hex(8)}")
        existing.save(update_fields=["token_digest", "token_expires", "pending_consents"])
    else:
        _mail_already_signed(existing, petition, signing.email, signing.language)
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
    _public_changed(petition)  # the names shown are of counted signers only
    record("actions.invalidate_signatures", actor=acting_user, obj=petition, reason=reason,
           changes={"criteria": [None, criteria], "invalidated": [None, invalidated], "uncounted": [None, removed]})
    return invalidated


# --- retention ----------------------------------------------------------------------------------------


def _drop_orphan_supporters(organisation_ids: Iterable[int]) -> int:
    """Supporters with no signature left, no newsletter consent and nothing of another app: nothing to keep."""
    newsletter = Consent.objects.filter(purpose=ConsentPurpose.NEWSLETTER, withdrawn_at__isnull=True).values(
        "supporter_id")
    orphans = Supporter.objects.filter(organisation_id__in=list(organisation_ids)).filter(
        ~Q(pk__in=Signature.objects.filter(supporter__isnull=False).values("supporter_id"))).exclude(pk__in=newsletter)
    # Other apps' rows that point at a supporter (a letter writer who never signed) keep it: their own retention
    # decides. Found through the model's relations, so this app imports none of them.
    # include_hidden: letters point here with related_name="+", which related_objects leaves out.
    relations = [f for f in Supporter._meta.get_fields(include_hidden=True)
                 if isinstance(f, models.ForeignObjectRel) and (f.one_to_many or f.one_to_one)]
    for relation in relations:
        model = relation.related_model
        if model in (Signature, Consent) or not isinstance(model, type):
            continue
        name = relation.field.name
        orphans = orphans.exclude(pk__in=model._base_manager.filter(**{f"{name}__isnull": False}).values(name))
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
        if petition.closed_at is None or months.shifted(petition.closed_at, petition.months_to_keep()) > now:
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
        _public_changed(petition)
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
    """The secret of a data link: the address's digests (never the address), signed; good for 24 hours.

    Besides the supporters' digest it carries the digests of the apps that keep one
    of their own (``core.personal_data``): this is the only moment the address is known.
    """
    payload: dict[str, Any] = {"k": supporters.email_key(email)}
    own = personal_data.own_keys(email)
    if own:
        payload["x"] = own
    return signing.dumps(payload, salt=DATA_LINK_SALT, compress=True)


def data_link_keys(token: str) -> personal_data.Keys | None:
    """The digests a data link stands for, or None when forged or older than 24 hours."""
    try:
        data = signing.loads(token, salt=DATA_LINK_SALT, max_age=DATA_LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    key = data.get("k") if isinstance(data, dict) else None
    if not (isinstance(key, str) and len(key) == 64):
        return None
    own = data.get("x") or {}
    if not isinstance(own, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in own.items()):
        return None
    return personal_data.Keys(email_key=key, own=own)


def data_link_key(token: str) -> str | None:
    """The supporters' digest a data link stands for, or None when forged or older than 24 hours."""
    keys = data_link_keys(token)
    return keys.email_key if keys is not None else None


def _keys(key: str | personal_data.Keys) -> personal_data.Keys:
    return key if isinstance(key, personal_data.Keys) else personal_data.Keys(email_key=key)


def holds_anything(keys: personal_data.Keys) -> bool:
    """Whether any app keeps something written with this address (signatures, letters, RSVPs, subscription)."""
    if Supporter.objects.filter(email_key=keys.email_key).exists():
        return True
    return any(holder.holds(keys) for holder in personal_data.holders())


@transaction.atomic(durable=True)
def do_request_my_data(*, email: str, language: str) -> bool:
    """E-mail a link to export or erase one's data, if we hold any; the page answers the same either way."""
    email = supporters.normalise_email(email)
    language = _language(language)
    token = data_link_token(email)
    keys = data_link_keys(token)
    if keys is None or not holds_anything(keys):
        return False
    with translation.override(language):
        link = site_url(reverse("supporters:my_data", kwargs={"token": token}))
        subject = _("Your data with Unforgotten campaigns")
        body = _("Someone (probably you) asked to see or erase the data kept about this address.\n\n"
                 "This link works for 24 hours:\n\n%(link)s\n\nIf it was not you, ignore this message.") % {
            "link": link}
    outbox.enqueue_email(kind="actions.my_data_link", to=[email], subject=subject, body=body,
                         dedupe_key=f"actions.mydata:{secrets.token_hex(12)}")
    return True


def export_my_data(key: str | personal_data.Keys) -> dict[str, Any]:
    """Everything kept about the address, for the person themself: one section per kind of record."""
    keys = _keys(key)
    out: dict[str, Any] = {"supporters": []}
    for supporter in Supporter.objects.filter(email_key=keys.email_key).order_by("pk"):
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
    for holder in personal_data.holders():
        out[holder.name] = holder.export(keys)
    return out


@transaction.atomic(durable=True)
def do_erase_my_data(*, key: str | personal_data.Keys) -> int:
    """Erase everything kept about the address, in one transaction with one audit event (no address in it).

    Every holder (letters, RSVPs, newsletter…) removes or anonymises its rows first;
    then the supporter records go: consents deleted, signatures kept only as
    anonymous counts. Returns how many supporter records were erased.
    """
    keys = _keys(key)
    touched = {holder.name: holder.erase(keys) for holder in personal_data.holders()}
    erased = 0
    for supporter in Supporter.objects.select_for_update().filter(email_key=keys.email_key):
        # Mail still queued for this address (a confirmation, "you already signed") leaves with it, not after.
        signed = list(Signature.objects.filter(supporter=supporter).values_list("pk", flat=True))
        touched["queued_emails"] = touched.get("queued_emails", 0) + outbox.cancel_unsent(
            stem for pk in signed for stem in (f"actions.sign:{pk}", f"actions.already:{pk}"))
        Signature.objects.filter(supporter=supporter, state=SignatureState.PENDING).delete()
        Signature.objects.filter(supporter=supporter).update(
            supporter=None, comment="", comment_chosen=False, show_name=False, anonymised=True,
            token_digest=None, token_expires=None, pending_consents={})
        supporter.delete()
        erased += 1
    touched["supporters"] = erased
    if any(touched.values()):
        # One event for the whole erasure, whichever organisations held the rows: counts only, never a digest.
        record("actions.erase_supporter", actor="supporter", object_type="actions.supporter",
               changes={name: [None, count] for name, count in sorted(touched.items()) if count})
        _public_changed()  # a stored petition page may list the given name
    return erased


@transaction.atomic(durable=True)
def do_withdraw_my_consents(*, keys: personal_data.Keys, text: str, language: str) -> int:
    """Withdrawal as easy as consent (Art. 7(3)): from the e-mailed data link, one button, every app.

    The petitions' consents to be written to and to be named, and whatever every other holder of the address
    writes to it (letters' consents, newsletter subscriptions; ``core.personal_data``). The consent to be
    counted stays: a signature is not an e-mail. One audit event with counts only, never a digest.
    """
    now = timezone.now()
    touched: dict[str, int] = {}
    for purpose in (ConsentPurpose.CAMPAIGN_UPDATES, ConsentPurpose.NEWSLETTER, ConsentPurpose.SHOW_NAME):
        touched[f"petitions.{purpose}"] = Consent.objects.filter(
            supporter__email_key=keys.email_key, purpose=purpose, withdrawn_at__isnull=True).update(withdrawn_at=now)
    if Signature.objects.filter(supporter__email_key=keys.email_key, show_name=True).update(show_name=False):
        # A stored petition page may list the name: it must go now, not when the page expires.
        _public_changed()
    for holder in personal_data.holders():
        if holder.withdraw is not None:
            touched[holder.name] = holder.withdraw(keys, text, language)
    if any(touched.values()):
        record("actions.withdraw_supporter", actor="supporter", object_type="actions.supporter",
               changes={name: [None, count] for name, count in sorted(touched.items()) if count})
    return sum(touched.values())


# --- export of signers (staff) ------------------------------------------------------------------------


@transaction.atomic(durable=True)
def do_record_signer_export(*, petition: Petition, rows: int, acting_user: Any) -> None:
    record("actions.export_signers", actor=acting_user, obj=petition, changes={"rows": [None, rows]})

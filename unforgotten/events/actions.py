"""Every change the events app makes, one function each (decision 0024).

Staff acts (events, texts, review, publishing, cancelling, hearing sync, seeding)
write their audit event in the same transaction and empty the public page store
when a public page may change. The public's own acts (RSVP, confirming,
cancelling) are not audited, for the reason decision 0018 gives for signatures:
the audit log cannot be erased, and an attendee's trace must be. The attendance
row is their record; it is anonymised after the event.

E-mails leave only through the outbox, queued in the same transaction. The hidden
place and link are read in exactly one place for a person outside the
organisation: ``details_for`` for a confirmed attendance.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Length
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from unforgotten.accounts.models import Organisation
from unforgotten.actions import supporters
from unforgotten.audit.actions import diff, record
from unforgotten.core import antispam, months, outbox
from unforgotten.core.countries import is_country
from unforgotten.core.partialdate import PartialDate
from unforgotten.events import timing, wording
from unforgotten.events.models import (
    Attendance,
    AttendanceState,
    Event,
    EventText,
    Kind,
    Role,
    State,
)
from unforgotten.policy.projection import Audience, field_sensitivity, project
from unforgotten.registry.models import Hearing, Person

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
EDITABLE = frozenset({"slug", "kind", "default_language", "starts_at", "ends_at", "timezone", "all_day",
                      "recurs_yearly", "country", "location", "online_link", "details_after_rsvp",
                      "hidden_location", "hidden_link", "rsvp_open"})
MAX_TITLE = 300
MAX_DESCRIPTION = 10_000
# At most this many e-mails to one address per day, whoever asks: the RSVP form cannot flood an inbox.
MAILS_PER_ADDRESS_PER_DAY = 3
CONFIRM, MANAGE = "confirm", "manage"
MANAGE_MAX_AGE = timedelta(days=400)


def _purge() -> None:
    # The public page store is shared by every public page (decision 0012).
    from unforgotten.publishing.actions import purge_public_pages

    purge_public_pages()


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _snapshot(event: Event) -> dict[str, Any]:
    return {f.attname: getattr(event, f.attname) for f in event._meta.concrete_fields
            if f.attname not in {"created_at", "updated_at"}}


def _classes(event: Event) -> dict[str, Any]:
    return {f.attname: field_sensitivity(event, f.attname) for f in event._meta.concrete_fields}


def _assign(event: Event, data: Mapping[str, Any]) -> None:
    for key, value in data.items():
        if key not in EDITABLE:
            raise ValidationError({key: f"'{key}' cannot be set here."})
        setattr(event, key, "" if value is None and key in {"location", "online_link", "hidden_location",
                                                             "hidden_link", "country"} else value)


def _normalise_times(event: Event) -> None:
    if event.recurs_yearly and not event.all_day:
        # A yearly rule on a time would drift across daylight saving in calendars; action days are days.
        raise ValidationError({"recurs_yearly": "Only all-day events can come back every year."})
    if event.all_day and event.starts_at and event.ends_at:
        zone = event.zone
        first = event.starts_at.astimezone(zone).date()
        last = max(first, event.ends_at.astimezone(zone).date())
        event.starts_at = datetime.combine(first, time(0), tzinfo=zone)
        if event.ends_at.astimezone(zone).time() != time(0) or last == first:
            last = last + timedelta(days=1)
        event.ends_at = datetime.combine(last, time(0), tzinfo=zone)


def _persons(event: Event, persons: Iterable[Person] | None) -> list[str] | None:
    if persons is None:
        return None
    chosen = list(persons)
    if any(p.organisation_id != event.organisation_id for p in chosen):
        raise ValidationError({"persons": "Link prisoners of your own organisation."})
    event.persons.set(chosen)
    return sorted(str(p.uuid) for p in chosen)


def _is_public(event: Event) -> bool:
    return event.state in (State.PUBLISHED, State.CANCELLED)


# --- events, texts, workflow -----------------------------------------------------------------------


@transaction.atomic(durable=True)
def do_create_event(*, organisation: Organisation, data: Mapping[str, Any], acting_user: Any,
                    persons: Iterable[Person] | None = None,
                    texts: Iterable[tuple[str, str, str]] = ()) -> Event:
    """A draft event, with its texts ((language, title, description), ...) when given: all of it, or nothing."""
    event = Event(organisation=organisation)
    _assign(event, data)
    if event.kind == Kind.TRIAL_MONITORING:
        raise ValidationError({"kind": "Trial-monitoring events come from a hearing in the registry."})
    if not event.slug:
        raise ValidationError({"slug": "Give the event a public address."})
    event.full_clean()
    _normalise_times(event)
    event.save()
    chosen = _persons(event, persons)
    changes = diff({}, _snapshot(event), _classes(event))
    if chosen is not None:
        changes["persons"] = [None, chosen]
    record("events.create", actor=acting_user, obj=event, changes=changes)
    for language, title, description in texts:
        _set_text(event, language, title, description, acting_user)
    return event


@transaction.atomic(durable=True)
def do_update_event(*, event: Event, data: Mapping[str, Any], acting_user: Any,
                    persons: Iterable[Person] | None = None) -> Event:
    event = Event.objects.select_for_update().get(pk=event.pk)
    before = _snapshot(event)
    before_persons = sorted(str(p.uuid) for p in event.persons.all())
    _assign(event, data)
    event.full_clean()
    _normalise_times(event)
    changes = diff(before, _snapshot(event), _classes(event))
    event.save()
    chosen = _persons(event, persons)
    if chosen is not None and chosen != before_persons:
        changes["persons"] = [before_persons, chosen]
    if changes:
        record("events.update", actor=acting_user, obj=event, changes=changes)
        if _is_public(event):
            _purge()
    return event


def clean_words(value: str, *, limit: int, field: str, multiline: bool = False) -> str:
    text = (value or "").strip()
    allowed = {"\n", "\r", "\t"} if multiline else set()
    if any((ord(ch) < 32 and ch not in allowed) or ord(ch) == 127 for ch in text):
        raise ValidationError({field: "Remove the control characters from this text."})
    if len(text) > limit:
        raise ValidationError({field: f"Keep this under {limit} characters."})
    return text.replace("\r\n", "\n")


@transaction.atomic(durable=True)
def do_set_text(*, event: Event, language: str, title: str, description: str, acting_user: Any) -> EventText:
    return _set_text(event, language, title, description, acting_user)


def _set_text(event: Event, language: str, title: str, description: str, acting_user: Any) -> EventText:
    if language not in LANGUAGES:
        raise ValidationError({"language": "Choose one of the site's languages."})
    title = clean_words(title, limit=MAX_TITLE, field="title")
    description = clean_words(description, limit=MAX_DESCRIPTION, field="description", multiline=True)
    if not title:
        raise ValidationError({"title": "Give the event a title."})
    text = EventText.objects.filter(event=event, language=language).first() or EventText(event=event,
                                                                                         language=language)
    before = {"title": text.title, "description": text.description} if text.pk else {}
    text.title, text.description = title, description
    text.full_clean()
    text.save()
    record("events.set_text", actor=acting_user, organisation_id=event.organisation_id,
           object_type="events.eventtext", object_id=f"{event.pk}:{language}",
           changes=diff(before, {"title": text.title, "description": text.description}))
    if _is_public(event):
        _purge()
    return text


def _user_or_none(user: Any) -> Any:
    return user if getattr(user, "pk", None) is not None and getattr(user, "is_authenticated", False) else None


@transaction.atomic(durable=True)
def do_submit_event(*, event: Event, acting_user: Any) -> Event:
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.state != State.DRAFT:
        raise ValidationError({"state": "Only a draft can be submitted for review."})
    if not event.texts.exists():
        raise ValidationError({"state": "Write the event's title in at least one language first."})
    event.state = State.IN_REVIEW
    event.submitted_by = _user_or_none(acting_user)
    event.save(update_fields=["state", "submitted_by", "updated_at"])
    record("events.submit", actor=acting_user, obj=event, changes={"state": [State.DRAFT, State.IN_REVIEW]})
    return event


@transaction.atomic(durable=True)
def do_publish_event(*, event: Event, acting_user: Any) -> Event:
    """The second pair of eyes: someone other than the submitter puts the event on the public site."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.state != State.IN_REVIEW:
        raise ValidationError({"state": "Only an event in review can be published."})
    if event.submitted_by_id is not None and event.submitted_by_id == getattr(acting_user, "pk", None):
        raise ValidationError({"state": "Someone other than the person who submitted it must publish it."})
    event.state = State.PUBLISHED
    event.approved_by = _user_or_none(acting_user)
    event.published_at = timezone.now()
    event.save(update_fields=["state", "approved_by", "published_at", "updated_at"])
    record("events.publish", actor=acting_user, obj=event, changes={"state": [State.IN_REVIEW, State.PUBLISHED]})
    _purge()
    return event


@transaction.atomic(durable=True)
def do_unpublish_event(*, event: Event, acting_user: Any, reason: str = "") -> Event:
    event = Event.objects.select_for_update().get(pk=event.pk)
    before = event.state
    if before == State.DRAFT:
        return event
    event.state = State.DRAFT
    event.published_at = None
    event.save(update_fields=["state", "published_at", "updated_at"])
    record("events.unpublish", actor=acting_user, obj=event, reason=reason, changes={"state": [before, State.DRAFT]})
    _purge()
    return event


@transaction.atomic(durable=True)
def do_cancel_event(*, event: Event, acting_user: Any, reason: str = "") -> Event:
    """Cancel a published event: it stays listed as cancelled, and confirmed attendees are told by e-mail."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.state != State.PUBLISHED:
        raise ValidationError({"state": "Only a published event can be cancelled."})
    event.state = State.CANCELLED
    event.save(update_fields=["state", "updated_at"])
    told = 0
    for attendance in Attendance.objects.filter(event=event, state=AttendanceState.CONFIRMED, anonymised=False):
        _mail(attendance, "cancelled")
        told += 1
    record("events.cancel", actor=acting_user, obj=event, reason=reason,
           changes={"state": [State.PUBLISHED, State.CANCELLED], "told": [None, told]})
    _purge()
    return event


# --- seeded action days and hearings -----------------------------------------------------------------

ACTION_DAYS = (
    # (slug stem, month, day, English title, English description); other languages are added by editors.
    ("international-day-of-political-prisoners", 10, 30, "International Day of Political Prisoners",
     "Every 30 October, organisations around the world name the people jailed for what they said, wrote, "
     "believed or organised, and ask governments to raise their cases."),
    ("human-rights-day", 12, 10, "Human Rights Day",
     "10 December, the day the Universal Declaration of Human Rights was adopted in 1948: a day to ask for the "
     "release of every prisoner of conscience."),
)


@transaction.atomic(durable=True)
def do_seed_action_days(*, organisation: Organisation, acting_user: Any, year: int | None = None) -> list[Event]:
    """The two yearly action days, published, for editors to change; run again, it adds nothing.

    Published without a second pair of eyes: the words are the platform's own,
    reviewed in this file, and name nobody.
    """
    year = year or timezone.localdate().year
    made: list[Event] = []
    for stem, month, day, title, description in ACTION_DAYS:
        slug = f"{stem}-{organisation.slug}"[:120]
        if Event.objects.filter(slug=slug).exists():
            continue
        start = datetime(year, month, day, tzinfo=UTC)
        event = Event(organisation=organisation, slug=slug, kind=Kind.ACTION_DAY, starts_at=start,
                      ends_at=start + timedelta(days=1), timezone="UTC", all_day=True, recurs_yearly=True,
                      rsvp_open=False, state=State.PUBLISHED, published_at=timezone.now())
        event.full_clean()
        event.save()
        EventText.objects.create(event=event, language="en", title=title, description=description)
        record("events.seed_action_day", actor=acting_user, obj=event,
               changes={"slug": [None, slug], "date": [None, f"{month:02d}-{day:02d}"]})
        made.append(event)
    if made:
        _purge()
    return made


SYNC_BATCH = 1000  # rows per INSERT/UPDATE statement of the hearing sync: bounded statements, few round trips


@transaction.atomic(durable=True)
def do_sync_hearings(*, organisation: Organisation | None = None, acting_user: Any = "scheduler",
                     today: date | None = None) -> int:
    """Make a trial-monitoring event for every upcoming open hearing with an exact date (once per hearing).

    The rows are made published: whether one appears is decided at every read by
    ``public.hearing_is_public`` (open, exact date, public case, a person with a
    live name consent), so a row for a hearing that may not be shown shows nothing.
    A hearing moved to another day moves its event.

    Set-based (the registry may hold many thousands of hearings): the database picks
    the upcoming open hearings with an exact date — ``held_on`` is stored as text that
    sorts like the date, "YYYY-MM-DD" exactly when the day is known — together with
    their event if any, in one query; new events are inserted and moved ones updated
    in batches; one audit event per organisation touched lists the hearings. Run
    again with nothing changed, it writes nothing.
    """
    today = today or timezone.localdate()
    upcoming = Hearing.objects.filter(is_open=True, held_on__gte=today.isoformat()).alias(
        held_length=Length("held_on")).filter(held_length=10)
    if organisation is not None:
        upcoming = upcoming.filter(organisation=organisation)
    now = timezone.now()
    new: list[Event] = []
    moved: list[Event] = []
    made_for: dict[int, list[int]] = {}
    moved_for: dict[int, list[int]] = {}
    for hearing_id, organisation_id, held, jurisdiction, event_id, event_start in upcoming.values_list(
            "pk", "organisation_id", "held_on", "case__jurisdiction", "event__pk", "event__starts_at").order_by("pk"):
        # The column's converter gives a PartialDate (typed as the CharField it is stored in).
        day = held.as_date() if isinstance(held, PartialDate) else None
        if day is None:  # the column said exact; a value the parser disagrees with is skipped, not guessed
            continue
        start = datetime.combine(day, time(0), tzinfo=UTC)
        if event_id is None:
            country = (jurisdiction or "").strip().upper()
            new.append(Event(organisation_id=organisation_id, slug=f"hearing-{hearing_id}-{secrets.token_hex(3)}",
                             kind=Kind.TRIAL_MONITORING, hearing_id=hearing_id, starts_at=start,
                             ends_at=start + timedelta(days=1), timezone="UTC", all_day=True, state=State.PUBLISHED,
                             published_at=now, country=country if is_country(country) else ""))
            made_for.setdefault(organisation_id, []).append(hearing_id)
        elif event_start != start:
            moved.append(Event(pk=event_id, starts_at=start, ends_at=start + timedelta(days=1), updated_at=now))
            moved_for.setdefault(organisation_id, []).append(hearing_id)
    if new:
        Event.objects.bulk_create(new, batch_size=SYNC_BATCH)
    if moved:
        Event.objects.bulk_update(moved, ["starts_at", "ends_at", "updated_at"], batch_size=SYNC_BATCH)
    for organisation_id in sorted(set(made_for) | set(moved_for)):
        record("events.sync_hearings", actor=acting_user, organisation_id=organisation_id,
               object_type="events.event", changes={"made_for_hearings": [None, made_for.get(organisation_id, [])],
                                                    "moved_for_hearings": [None, moved_for.get(organisation_id, [])]})
    if new or moved:
        _purge()
    return len(new) + len(moved)


# --- RSVP: request, confirm, cancel -------------------------------------------------------------------


def _token(kind: str, attendance: Attendance, nonce: str) -> str:
    return signing.dumps({"a": str(attendance.uuid), "n": nonce}, salt=f"unforgotten.events.{kind}")


def _link(name: str, language: str, token: str) -> str:
    with translation.override(language):
        return site_url(reverse(name, kwargs={"token": token}))


def _title(event: Event, language: str) -> str:
    from unforgotten.events import public

    built = public.build(event, language)
    return built.title if built is not None else event.slug


def details_for(attendance: Attendance) -> dict[str, str]:
    """The place and link a confirmed attendee may know: the one door to the hidden columns for outsiders.

    The organisers chose to tell these to confirmed attendees; the read goes
    through the projection as the organisation's own audience (the organisers
    speaking), and only for a confirmed, not anonymised attendance.
    """
    event = attendance.event
    if attendance.state != AttendanceState.CONFIRMED or attendance.anonymised or event.state != State.PUBLISHED:
        return {}
    organisers = Audience(kind="case_team", organisation_id=event.organisation_id)
    shown = project(event, organisers, ("location", "online_link", "hidden_location", "hidden_link",
                                        "details_after_rsvp"))
    if shown.get("details_after_rsvp"):
        return {"location": str(shown.get("hidden_location") or ""), "link": str(shown.get("hidden_link") or "")}
    return {"location": str(shown.get("location") or ""), "link": str(shown.get("online_link") or "")}


def _mail(attendance: Attendance, template: str) -> None:
    """One e-mail to the attendance's own address, in its language."""
    event = attendance.event
    language = attendance.language
    title = _title(event, language)
    context: dict[str, str] = {"title": title}
    if attendance.confirm_nonce:
        context["confirm"] = _link("events_public:confirm", language,
                                   _token(CONFIRM, attendance, attendance.confirm_nonce))
    if attendance.manage_nonce:
        context["manage"] = _link("events_public:manage", language, _token(MANAGE, attendance,
                                                                           attendance.manage_nonce))
    with translation.override(language):
        subject, body = wording.mail(template, context, details_for(attendance) if template == "details" else {})
    outbox.enqueue_email(kind=f"events.{template}", to=[str(attendance.email)], subject=subject, body=body,
                         organisation_id=event.organisation_id,
                         dedupe_key=f"events.attendance:{attendance.pk}:{template}:{secrets.token_hex(8)}")


def _may_mail(key: str) -> bool:
    # The stamp keeps a day-keyed HMAC of the digest, not the digest itself: an erased address must leave no
    # row that a lookup by its digest would find (decision 0029).
    return antispam.hit("events-mail", antispam.address_digest(key), window=timedelta(hours=24)) <= (
        MAILS_PER_ADDRESS_PER_DAY)


@dataclass(frozen=True)
class RsvpOutcome:
    attendance: Attendance
    created: bool


@transaction.atomic(durable=True)
def do_request_rsvp(*, event: Event, email: str, language: str, consent_text: str) -> RsvpOutcome:
    """Take an RSVP: pending until the e-mailed link is confirmed by a POST; the same outcome for a repeat.

    A repeat tells only the address's owner: a new confirmation link when still
    pending or cancelled, the page with the details when already confirmed.
    """
    try:
        email = supporters.normalise_email(email)
    except ValidationError as exc:
        raise ValidationError({"email": exc.messages}) from exc
    if not consent_text.strip():
        raise ValidationError({"consent": _("Tick the box to agree to the use of your address.")})
    language = language if language in LANGUAGES else settings.LANGUAGE_CODE
    event = Event.objects.select_for_update().get(pk=event.pk)
    start, end = timing.occurrence(event)
    if event.state != State.PUBLISHED or not event.rsvp_open or end <= timezone.now():
        raise ValidationError({"event": _("This event no longer takes RSVPs.")})
    key = supporters.email_key(email)
    role = Role.MONITOR if event.kind == Kind.TRIAL_MONITORING else Role.ATTEND
    attendance = Attendance.objects.select_for_update().filter(event=event, occurrence_starts_at=start,
                                                               email_key=key).first()
    created = False
    if attendance is None:
        attendance = Attendance(event=event, email_key=key, email=email, language=language, role=role,
                                occurrence_starts_at=start, occurrence_ends_at=end, requested_at=timezone.now())
        try:
            with transaction.atomic():
                attendance.save()
            created = True
        except IntegrityError:
            attendance = Attendance.objects.select_for_update().get(event=event, occurrence_starts_at=start,
                                                                    email_key=key)
    may_mail = _may_mail(key)
    if attendance.state == AttendanceState.CONFIRMED:
        if may_mail:
            _mail(attendance, "already")
        return RsvpOutcome(attendance, created)
    attendance.state = AttendanceState.PENDING
    attendance.cancelled_at = None
    attendance.language = language
    attendance.consent_text = consent_text
    attendance.consent_sha256 = hashlib.sha256(consent_text.encode("utf-8")).hexdigest()
    if may_mail or not attendance.confirm_nonce:
        # A new link replaces the old one only when it is sent: past the day's cap the last e-mailed link stays good.
        attendance.confirm_nonce = secrets.token_hex(16)
    attendance.save()
    if may_mail:
        _mail(attendance, "confirm")
    return RsvpOutcome(attendance, created)


class LinkProblem(Exception):
    """An RSVP link that is forged, expired or already used: one kind of answer for each."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def attendance_for(kind: str, token: str) -> Attendance:
    """The attendance a link stands for, or ``LinkProblem`` ("forged", "expired", "used")."""
    if not token or len(token) > 400:
        raise LinkProblem("forged")
    max_age = timedelta(days=settings.EVENT_CONFIRM_DAYS) if kind == CONFIRM else MANAGE_MAX_AGE
    try:
        payload = signing.loads(token, salt=f"unforgotten.events.{kind}", max_age=max_age)
    except signing.SignatureExpired as exc:
        raise LinkProblem("expired") from exc
    except signing.BadSignature as exc:
        raise LinkProblem("forged") from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("a"), str) or not isinstance(payload.get("n"), str):
        raise LinkProblem("forged")
    try:
        attendance = Attendance.objects.select_related("event").filter(uuid=payload["a"]).first()
    except ValidationError as exc:
        raise LinkProblem("forged") from exc
    if attendance is None or attendance.anonymised:
        raise LinkProblem("used")
    current = attendance.confirm_nonce if kind == CONFIRM else attendance.manage_nonce
    if not current or not secrets.compare_digest(current, payload["n"]):
        raise LinkProblem("used")
    return attendance


@transaction.atomic(durable=True)
def do_confirm_rsvp(*, token: str) -> Attendance:
    """The POST from the e-mailed link: confirmed; the details are e-mailed and shown on the attendee's own page."""
    found = attendance_for(CONFIRM, token)
    attendance = Attendance.objects.select_for_update().select_related("event").get(pk=found.pk)
    if attendance.confirm_nonce != found.confirm_nonce or attendance.state != AttendanceState.PENDING:
        raise LinkProblem("used")
    if attendance.event.state != State.PUBLISHED or attendance.occurrence_ends_at <= timezone.now():
        raise LinkProblem("used")
    attendance.state = AttendanceState.CONFIRMED
    attendance.confirmed_at = timezone.now()
    attendance.confirm_nonce = ""
    attendance.manage_nonce = secrets.token_hex(16)
    attendance.save()
    _mail(attendance, "details")
    return attendance


@transaction.atomic(durable=True)
def do_cancel_rsvp(*, token: str) -> Attendance:
    """Cancel from the e-mailed page: the RSVP stops counting and its address is erased at once."""
    found = attendance_for(MANAGE, token)
    attendance = Attendance.objects.select_for_update().get(pk=found.pk)
    if attendance.manage_nonce != found.manage_nonce:
        raise LinkProblem("used")
    attendance.state = AttendanceState.CANCELLED
    attendance.cancelled_at = timezone.now()
    _anonymise(attendance)
    attendance.save()
    return attendance


def _anonymise(attendance: Attendance) -> None:
    attendance.email = ""
    attendance.email_key = None
    attendance.confirm_nonce = ""
    attendance.manage_nonce = ""
    attendance.anonymised = True


# --- retention -------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def do_anonymise_past(now: datetime | None = None) -> int:
    """Erase the addresses of RSVPs whose occurrence ended more than EVENT_ANONYMISE_MONTHS ago; counts stay.

    Unconfirmed RSVPs whose link expired are deleted (they never counted).
    """
    now = now or timezone.now()
    cutoff = months.shifted(now, -int(settings.EVENT_ANONYMISE_MONTHS))
    stale = Attendance.objects.filter(state=AttendanceState.PENDING,
                                      requested_at__lt=now - timedelta(days=settings.EVENT_CONFIRM_DAYS))
    deleted, _rows = stale.delete()
    done = 0
    for attendance in Attendance.objects.select_for_update().filter(anonymised=False, occurrence_ends_at__lt=cutoff):
        _anonymise(attendance)
        attendance.save()
        done += 1
    if done or deleted:
        record("events.anonymise_rsvps", actor="scheduler", object_type="events.attendance",
               changes={"anonymised": [None, done], "deleted_pending": [None, deleted]})
    return done

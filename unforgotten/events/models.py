"""Events (issue 7, item 6): vigils, action days, trial monitoring and webinars, with RSVP (decision 0024).

- An *event* belongs to one organisation. Its title and description are one row
  per language (``EventText``). It goes public through a four-eyes workflow:
  draft → in review → published, approved by someone holding ``publish`` other
  than the person who submitted it (as public profiles and items are).
- Times are aware datetimes stored in UTC, with the IANA zone the event happens
  in (``timezone``): the page shows the event's own local time, and the reader
  may ask for any other zone. An all-day event (an action day, a hearing whose
  hour is unknown) is a date, not a time, and the calendar says so.
- The exact place and the online link are public, or, when the organisers ask
  for "address after RSVP", kept in restricted, encrypted columns and given only
  to people whose RSVP is confirmed. A value is in one column or the other, never both.
- A *trial-monitoring* event comes from a registry hearing (``hearing``). It is
  shown to the public only while the hearing itself passes the public test at
  read time (``events.public.hearing_is_public``): open to the public, a full date,
  a case and a person the public projection shows, with name consent.
- An *attendance* (RSVP) keeps an e-mail address encrypted (restricted) and a
  keyed digest to find it again, the consent text shown, and its state. It is
  anonymised ``EVENT_ANONYMISE_MONTHS`` after the occurrence it was made for.
"""

from __future__ import annotations

import uuid
import zoneinfo
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from unforgotten.core.countries import is_country
from unforgotten.core.encrypted import DigestField, EncryptedTextField
from unforgotten.policy.sensitivity import Sensitivity
from unforgotten.registry.models import Hearing, Owned, Person

P = Sensitivity.PUBLIC
INTERNAL = Sensitivity.INTERNAL
R = Sensitivity.RESTRICTED


class Kind(models.TextChoices):
    VIGIL = "vigil", _("Vigil")
    ACTION_DAY = "action_day", _("Action day")
    # Only ever made from a registry hearing (actions.do_sync_hearings): a monitor goes to a court,
    # so the date, the court and the person come from the record the caseworkers keep.
    TRIAL_MONITORING = "trial_monitoring", _("Trial monitoring")
    WEBINAR = "webinar", _("Webinar")
    OTHER = "other", _("Event")


class State(models.TextChoices):
    DRAFT = "draft", "draft"
    IN_REVIEW = "in_review", "in review"
    PUBLISHED = "published", "published"
    # Cancelled stays visible (people who planned to come must learn it), unpublished does not.
    CANCELLED = "cancelled", "cancelled"


def validate_timezone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(f"'{value}' is not an IANA time zone (e.g. Europe/Berlin).") from exc


class Event(Owned):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField("public address", max_length=120, unique=True)
    kind = models.CharField("kind", max_length=20, choices=Kind.choices, default=Kind.VIGIL)
    state = models.CharField("state", max_length=12, choices=State.choices, default=State.DRAFT)
    default_language = models.CharField("main language", max_length=10, default="en")
    starts_at = models.DateTimeField("starts")
    ends_at = models.DateTimeField("ends")
    timezone = models.CharField("time zone", max_length=64, default="UTC", validators=[validate_timezone])
    all_day = models.BooleanField("all day", default=False)
    # Action days come back every year (30 October, 10 December): one record, a yearly rule in the calendar.
    recurs_yearly = models.BooleanField("every year", default=False)
    country = models.CharField("country", max_length=2, blank=True)
    location = models.TextField("place", blank=True, max_length=500)
    online_link = models.URLField("online link", blank=True, max_length=500)
    details_after_rsvp = models.BooleanField(
        "address and link only after RSVP", default=False,
        help_text="The place and the link are then sent to confirmed RSVPs only, never shown on public pages.")
    hidden_location = EncryptedTextField("place (after RSVP)", blank=True)
    hidden_link = EncryptedTextField("online link (after RSVP)", blank=True)
    rsvp_open = models.BooleanField("RSVP open", default=True)
    persons = models.ManyToManyField(Person, blank=True, related_name="events", verbose_name="prisoners")
    hearing = models.OneToOneField(Hearing, null=True, blank=True, on_delete=models.CASCADE, related_name="event")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", editable=False)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {
        "uuid": P, "slug": P, "kind": P, "state": P, "default_language": P, "starts_at": P, "ends_at": P,
        "timezone": P, "all_day": P, "recurs_yearly": P, "country": P, "location": P, "online_link": P,
        "details_after_rsvp": P, "rsvp_open": P, "published_at": P,
        "hidden_location": R, "hidden_link": R,
    }

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["state", "starts_at"], name="event_public_list")]

    def __str__(self) -> str:
        return self.slug

    def clean(self) -> None:
        errors: dict[str, str] = {}
        self.country = (self.country or "").strip().upper()
        if self.country and not is_country(self.country):
            errors["country"] = f"'{self.country}' is not an ISO 3166 country code."
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = "The event cannot end before it starts."
        if self.details_after_rsvp and (self.location or self.online_link):
            # One column or the other: a public copy of a hidden address would defeat the point.
            errors["location"] = "With 'address after RSVP', the place and link go in the hidden fields."
        if self.kind == Kind.TRIAL_MONITORING and self.hearing_id is None:
            errors["kind"] = "Trial-monitoring events come from a hearing in the registry."
        if errors:
            raise ValidationError(errors)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def text_for(self, language: str) -> EventText | None:
        texts = {t.language: t for t in self.texts.all()}
        return texts.get(language) or texts.get(self.default_language) or next(iter(texts.values()), None)

    def project_hidden_location(self) -> str:
        return str(self.hidden_location or "")

    def project_hidden_link(self) -> str:
        return str(self.hidden_link or "")


class EventText(models.Model):
    """One language of an event (one row per locale)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField("language", max_length=10)
    title = models.CharField("title", max_length=300)
    description = models.TextField("description", blank=True, max_length=10_000)
    updated_at = models.DateTimeField(auto_now=True)

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {"language": P, "title": P, "description": P}

    class Meta:
        ordering = ["event_id", "language"]
        constraints = [models.UniqueConstraint(fields=["event", "language"], name="event_one_text_per_language")]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"

    @property
    def organisation_id(self) -> int:
        return int(self.event.organisation_id)


class AttendanceState(models.TextChoices):
    PENDING = "pending", "waiting for confirmation"
    CONFIRMED = "confirmed", "confirmed"
    CANCELLED = "cancelled", "cancelled"


class Role(models.TextChoices):
    ATTEND = "attend", "attending"
    MONITOR = "monitor", "trial monitor"


class Attendance(models.Model):
    """One RSVP: an address (restricted, encrypted), the consent shown, the state; nothing else about a person."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendances")
    # Keyed digest (actions.supporters.email_key): finds the same address again without decrypting;
    # null once anonymised.
    email_key = DigestField(null=True, blank=True)
    email = EncryptedTextField("e-mail address", blank=True)
    language = models.CharField(max_length=10, default="en")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.ATTEND)
    state = models.CharField(max_length=10, choices=AttendanceState.choices, default=AttendanceState.PENDING)
    # The occurrence this RSVP is for (a yearly action day has one per year); retention counts from its end.
    occurrence_starts_at = models.DateTimeField()
    occurrence_ends_at = models.DateTimeField()
    # Single-use link nonces (signed links carry them); cleared when used or anonymised.
    confirm_nonce = models.CharField(max_length=32, blank=True, default="")
    manage_nonce = models.CharField(max_length=32, blank=True, default="")
    consent_text = models.TextField(blank=True)
    consent_sha256 = models.CharField(max_length=64, blank=True)
    requested_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    anonymised = models.BooleanField(default=False)

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {
        "uuid": INTERNAL, "language": INTERNAL, "role": INTERNAL, "state": INTERNAL, "requested_at": INTERNAL,
        "confirmed_at": INTERNAL, "cancelled_at": INTERNAL, "occurrence_starts_at": INTERNAL,
        "email": R, "email_key": R, "consent_text": INTERNAL,
    }

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            # One RSVP per address and occurrence, whatever the race (silent deduplication).
            models.UniqueConstraint(fields=["event", "occurrence_starts_at", "email_key"],
                                    name="event_one_rsvp_per_address"),
        ]
        indexes = [models.Index(fields=["event", "state", "occurrence_starts_at"], name="attendance_count")]

    def __str__(self) -> str:
        return f"RSVP {self.pk} to {self.event_id}"

    @property
    def organisation_id(self) -> int:
        return int(self.event.organisation_id)

    def project_email(self) -> str:
        return str(self.email or "")

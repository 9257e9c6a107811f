"""What the public sees of events, built only from ``project(obj, PUBLIC)``: pages, feeds, API.

An event is public while it is published or cancelled (a cancelled vigil stays
listed, saying so, for the people who planned to come). A trial-monitoring
event is public only while its hearing passes ``hearing_is_public`` *now*: the
hearing is open to the public (``is_open`` true: unknown is not open), has an
exact date, its case and the person are shown by the public projection, and
the person's name has recorded, unwithdrawn consent. Its title is made here
from those projected values, never stored, so a withdrawn consent takes the
name off at the next read.

The hidden place and link are never read here: ``Event.hidden_*`` are
restricted, and nothing in this module asks for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from unforgotten.core.partialdate import PartialDate
from unforgotten.events import timing
from unforgotten.events.models import Event, EventText, Kind, State
from unforgotten.policy.projection import PUBLIC, project
from unforgotten.registry.models import Hearing, Person

EVENT_FIELDS = ("uuid", "slug", "kind", "state", "default_language", "starts_at", "ends_at", "timezone", "all_day",
                "recurs_yearly", "country", "location", "online_link", "details_after_rsvp", "rsvp_open",
                "published_at")
TEXT_FIELDS = ("language", "title", "description")


def public_events() -> QuerySet[Event]:
    return (Event.objects.filter(state__in=(State.PUBLISHED, State.CANCELLED), published_at__isnull=False)
            .select_related("hearing__case__person").prefetch_related("texts", "persons__consents",
                                                                       "hearing__case__person__consents"))


def _person_public(person: Person) -> dict[str, Any] | None:
    if person.merged_into_id is not None:
        return None
    shown = project(person, PUBLIC, ("display_name", "slug", "country"))
    if not shown.get("display_name") or not shown.get("slug"):
        return None
    return shown


def hearing_is_public(hearing: Hearing, today: date | None = None) -> dict[str, Any] | None:
    """The public view of a hearing for trial monitoring, or None when it must not appear at all."""
    today = today or timezone.localdate()
    shown = project(hearing, PUBLIC, ("court", "held_on", "is_open"))
    held = shown.get("held_on")
    if shown.get("is_open") is not True or not shown.get("court"):
        return None
    if not isinstance(held, PartialDate) or not held.is_exact or held.as_date() is None:
        return None
    case = hearing.case
    shown_case = project(case, PUBLIC, ("jurisdiction",))
    if not shown_case:
        return None
    person = _person_public(case.person)
    if person is None:
        return None
    return {"court": str(shown["court"]), "date": held.as_date(), "person": person,
            "country": str(shown_case.get("jurisdiction") or person.get("country") or "")}


@dataclass
class PublicEvent:
    uuid: str
    slug: str
    kind: str
    kind_label: str
    cancelled: bool
    title: str
    description: str
    start: datetime
    end: datetime
    all_day: bool
    yearly: bool
    zone: str
    country: str
    location: str
    online_link: str
    details_after_rsvp: bool
    rsvp_open: bool
    updated_at: datetime
    languages: list[str]
    people: list[dict[str, Any]] = field(default_factory=list)

    @property
    def first_day(self) -> date:
        return self.start.date()


def _title_for_hearing(hearing: dict[str, Any], language: str) -> tuple[str, str]:
    with translation.override(language):
        title = _("Trial monitoring: %(name)s") % {"name": hearing["person"]["display_name"]}
        description = _("A hearing at %(court)s, open to the public. Monitors are welcome: RSVP to be told the "
                        "practical details.") % {"court": hearing["court"]}
    return title, description


def build(event: Event, language: str, *, now: datetime | None = None, strict_language: bool = False,
          ) -> PublicEvent | None:
    """The public form of ``event`` in ``language``; None if it is not public (or has no text in it when strict)."""
    now = now or timezone.now()
    shown = project(event, PUBLIC, EVENT_FIELDS)
    if "slug" not in shown or shown.get("state") not in (State.PUBLISHED, State.CANCELLED):
        return None
    texts = {t.language: t for t in event.texts.all()}
    people: list[dict[str, Any]] = []
    country = str(shown.get("country") or "")
    if event.kind == Kind.TRIAL_MONITORING:
        if event.hearing is None:
            return None
        hearing = hearing_is_public(event.hearing, timezone.localdate(now))
        if hearing is None:
            return None
        title, description = _title_for_hearing(hearing, language)
        people = [hearing["person"]]
        country = country or hearing["country"]
        languages = sorted(code for code, _name in _site_languages())
        if language in texts:  # an organiser's own words for this hearing, when they wrote some
            words = project(texts[language], PUBLIC, TEXT_FIELDS)
            title = str(words.get("title") or title)
            description = str(words.get("description") or description)
    else:
        text: EventText | None = texts.get(language)
        if text is None and (strict_language or not texts):
            return None
        text = text or texts.get(event.default_language) or next(iter(texts.values()))
        words = project(text, PUBLIC, TEXT_FIELDS)
        title, description = str(words.get("title", "")), str(words.get("description", ""))
        languages = sorted(texts)
        for person in event.persons.all():
            public_person = _person_public(person)
            if public_person is not None:
                people.append(public_person)
    start, end = timing.occurrence(event, now)
    return PublicEvent(
        uuid=str(shown["uuid"]), slug=str(shown["slug"]), kind=str(shown["kind"]),
        kind_label=str(Kind(shown["kind"]).label), cancelled=shown["state"] == State.CANCELLED, title=title,
        description=description, start=start, end=end, all_day=bool(shown.get("all_day")),
        yearly=bool(shown.get("recurs_yearly")), zone=str(shown.get("timezone") or "UTC"), country=country,
        location="" if shown.get("details_after_rsvp") else str(shown.get("location") or ""),
        online_link="" if shown.get("details_after_rsvp") else str(shown.get("online_link") or ""),
        details_after_rsvp=bool(shown.get("details_after_rsvp")), rsvp_open=bool(shown.get("rsvp_open")),
        updated_at=event.updated_at, languages=languages, people=people)


def _site_languages() -> list[tuple[str, str]]:
    from django.conf import settings

    return list(settings.LANGUAGES)


def upcoming(language: str, *, country: str | None = None, person_slug: str | None = None,
             now: datetime | None = None, include_past_days: int = 0) -> list[PublicEvent]:
    """Public events in ``language`` not yet over, soonest first; optionally one country's or one prisoner's."""
    now = now or timezone.now()
    rows = public_events().filter(Q(recurs_yearly=True) | Q(ends_at__gte=now))
    out: list[PublicEvent] = []
    for event in rows:
        built = build(event, language, now=now, strict_language=True)
        if built is None:
            continue
        if country is not None and built.country.upper() != country.upper():
            continue
        if person_slug is not None and person_slug not in {str(p["slug"]) for p in built.people}:
            continue
        out.append(built)
    return sorted(out, key=lambda e: (e.start, e.slug))


def one(slug: str, language: str, now: datetime | None = None) -> PublicEvent | None:
    event = public_events().filter(slug=slug).first()
    if event is None:
        return None
    return build(event, language, now=now, strict_language=True)


def event_for_rsvp(slug: str) -> Event | None:
    """The event behind a public RSVP form: public, not cancelled, RSVP open and not over."""
    event = public_events().filter(slug=slug, state=State.PUBLISHED, rsvp_open=True).first()
    if event is None or build(event, event.default_language) is None:
        return None
    _start, end = timing.occurrence(event)
    return event if end > timezone.now() else None

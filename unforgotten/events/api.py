"""The events API at /api/v1/events/, in the OSDI style (events and attendances), through the same policy and actions.

- Events: read with ``events.view``; create, change, write texts, submit, cancel,
  sync hearings, seed action days with ``events.edit``; publish with
  ``events.publish`` (not the submitter, as on the page).
- Attendances: counted and listed with ``events.edit``, never with an address;
  recorded like OSDI's ``record_attendance_helper``: the person gets the same
  confirmation e-mail as on the page, and the answer is the same (202) whether or
  not the address had RSVPed.
- Public: the list, one event and its RSVP count through the PUBLIC projection
  (trial monitoring only while its hearing passes the public test); the hidden
  place and link never appear there.
Refusals are "not found", decided before the body is read; bad input is a 422
naming the field, with nothing stored.
"""

# No postponed annotations here: ninja reads the endpoint signatures at import time.
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from django.conf import settings
from django.http import Http404, HttpRequest
from ninja import Field, Router, Status
from ninja.errors import ValidationError

from unforgotten import policy
from unforgotten.api.osdi import CURIES, PER_PAGE, OsdiOut, absolute, page_of, paging
from unforgotten.api.schemas import StrictIn, act, organisation_or_404, responses, uuid_or_404
from unforgotten.events import actions, public, reading, wording
from unforgotten.events.models import Attendance, Event
from unforgotten.policy.projection import project
from unforgotten.registry.api import gated
from unforgotten.registry.models import Person
from unforgotten.registry.schemas import Country, Text

router = Router(tags=["events"])

VIEW, EDIT, PUBLISH = "events.view", "events.edit", "events.publish"
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


def _event(request: HttpRequest, slug: object, key: object, permission: str) -> Event:
    org = organisation_or_404(request, slug, permission)
    event = Event.objects.filter(uuid=uuid_or_404(key), organisation=org).first()
    if event is None or not policy.can(request.user, permission, event):
        raise Http404()
    return event


def _g_org(permission: str) -> list[Any]:
    return gated(lambda request, kw: organisation_or_404(request, kw.get("org"), permission))


def _g_event(permission: str) -> list[Any]:
    return gated(lambda request, kw: _event(request, kw.get("org"), kw.get("event"), permission))


# --- schemas ------------------------------------------------------------------------------------------------


class EventTextIn(StrictIn):
    language: str = Field(..., max_length=10, description="One of the site's languages, e.g. en, ar, zh-hans.")
    title: Text = Field(..., min_length=1, max_length=300)
    description: Text = Field("", max_length=10_000)


class EventIn(StrictIn):
    slug: str = Field(..., pattern=r"^[-a-z0-9]{1,120}$", description="The public address: /<language>/events/<slug>/")
    kind: Literal["vigil", "action_day", "webinar", "other"] = "vigil"
    default_language: str = Field("en", max_length=10)
    starts_at: datetime = Field(..., description="With an offset (ISO 8601); stored in UTC.")
    ends_at: datetime
    timezone: str = Field("UTC", max_length=64, description="The IANA zone where the event happens.")
    all_day: bool = False
    recurs_yearly: bool = False
    country: Country = ""
    location: Text = Field("", max_length=500, description="Public place (leave empty with details_after_rsvp).")
    online_link: str = Field("", max_length=500)
    details_after_rsvp: bool = False
    hidden_location: Text = Field("", max_length=500, description="Given only to confirmed RSVPs.")
    hidden_link: str = Field("", max_length=500, description="Given only to confirmed RSVPs.")
    rsvp_open: bool = True
    persons: list[UUID] = Field(default_factory=list, max_length=50, description="Prisoners of the organisation.")
    texts: list[EventTextIn] = Field(default_factory=list, max_length=7)


class EventChangeIn(StrictIn):
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    timezone: str | None = Field(None, max_length=64)
    location: Text | None = Field(None, max_length=500)
    online_link: str | None = Field(None, max_length=500)
    details_after_rsvp: bool | None = None
    hidden_location: Text | None = Field(None, max_length=500)
    hidden_link: str | None = Field(None, max_length=500)
    rsvp_open: bool | None = None
    country: Country | None = None


class EventStepIn(StrictIn):
    step: Literal["submit", "unpublish", "cancel"]
    reason: Text = Field("", max_length=500)


class AttendeeEmailIn(StrictIn):
    address: str = Field(..., min_length=3, max_length=254)
    primary: bool = True


class AttendeeIn(StrictIn):
    email_addresses: list[AttendeeEmailIn] = Field(..., min_length=1, max_length=5)
    preferred_language: str = Field("en", max_length=10)


class AttendanceHelperIn(StrictIn):
    """OSDI ``record_attendance_helper``: the person (an address and a language) and the RSVP together."""

    person: AttendeeIn
    consent_shown: bool = Field(..., description="The person was shown the consent wording (events.wording) and "
                                                 "agreed; it is stored with the RSVP in their language.")




# --- rendering ----------------------------------------------------------------------------------------------



def _event_out(request: HttpRequest, event: Event) -> dict[str, Any]:
    audience = reading.organiser_audience(request.user, event)
    shown = project(event, audience, ("uuid", "slug", "kind", "state", "default_language", "starts_at", "ends_at",
                                      "timezone", "all_day", "recurs_yearly", "country", "location", "online_link",
                                      "details_after_rsvp", "hidden_location", "hidden_link", "rsvp_open",
                                      "published_at"))
    out: dict[str, Any] = {"identifiers": [f"unforgotten:{event.uuid}"], **{
        k: (v.isoformat() if isinstance(v, datetime) else (str(v) if isinstance(v, UUID) else v))
        for k, v in shown.items()}}
    out["texts"] = [project(t, audience, ("language", "title", "description")) for t in event.texts.all()]
    out["from_hearing"] = event.hearing_id is not None
    counts = reading.counts(event)
    out["total_accepted"] = counts["confirmed"]
    out["counts"] = {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in counts.items()}
    org = event.organisation.slug
    out["_links"] = {"self": {"href": absolute(f"/api/v1/events/{org}/events/{event.uuid}")},
                     "osdi:attendances": {"href": absolute(f"/api/v1/events/{org}/events/{event.uuid}/attendances")},
                     "curies": CURIES}
    return out


def _public_out(event: public.PublicEvent, language: str) -> dict[str, Any]:
    going = reading.going(event.slug)
    out = {"identifiers": [f"unforgotten:{event.uuid}"], "slug": event.slug, "kind": event.kind,
           "title": event.title, "description": event.description, "status": "cancelled" if event.cancelled else
           "confirmed", "start_date": event.start.isoformat(), "end_date": event.end.isoformat(),
           "all_day": event.all_day, "recurs_yearly": event.yearly, "timezone": event.zone, "country": event.country,
           "location": event.location, "online_link": event.online_link,
           "details_after_rsvp": event.details_after_rsvp, "rsvp_open": event.rsvp_open,
           "people": [{"name": p["display_name"], "slug": p["slug"]} for p in event.people],
           "_links": {"self": {"href": absolute(f"/api/v1/events/public/{language}/events/{event.slug}")}}}
    if going is not None:
        out["total_accepted"], out["total_accepted_as_of"] = going[0], going[1].isoformat()
    return out




def _language(language: str) -> str:
    if language not in LANGUAGES:
        raise Http404()
    return language


# --- public -------------------------------------------------------------------------------------------------


@router.get("/public/{language}/events", response=responses(OsdiOut), auth=None, url_name="events_public_list",
            summary="Public events not yet over, in one language (the public projection)")
def public_list(request: HttpRequest, language: str, country: str = "") -> Any:
    lang = _language(language)
    rows = public.upcoming(lang, country=country[:2] or None)
    items = [_public_out(e, lang) for e in rows]
    return {"total_records": len(items), "_embedded": {"osdi:events": items}}


@router.get("/public/{language}/events/{slug}", response=responses(OsdiOut), auth=None,
            url_name="events_public_event", summary="One public event and its RSVP count (as of)")
def public_event(request: HttpRequest, language: str, slug: str) -> Any:
    lang = _language(language)
    event = public.one(slug[:120], lang)
    if event is None:
        raise Http404()
    return _public_out(event, lang)


# --- events -------------------------------------------------------------------------------------------------


@router.get("/{org}/events", response=responses(OsdiOut), auth=_g_org(VIEW), url_name="events_events",
            summary="Events of an organisation (OSDI collection)")
def list_events(request: HttpRequest, org: str, page: int = 1, per_page: int = PER_PAGE) -> Any:
    organisation = organisation_or_404(request, org, VIEW)
    page, per_page = paging(page, per_page)
    rows = Event.objects.filter(organisation=organisation).select_related("organisation").prefetch_related(
        "texts").order_by("-starts_at", "-id")
    total = rows.count()
    items = [_event_out(request, e) for e in rows[(page - 1) * per_page:page * per_page]]
    return page_of(items, total, page, per_page, "osdi:events", f"/api/v1/events/{org}/events")


@router.post("/{org}/events", response=responses(OsdiOut, 201), auth=_g_org(EDIT), url_name="events_events",
             summary="Create an event (draft) with its texts")
def create_event(request: HttpRequest, org: str, payload: EventIn) -> Any:
    organisation = organisation_or_404(request, org, EDIT)
    data = payload.model_dump(exclude={"persons", "texts"})
    persons = list(Person.objects.filter(organisation=organisation, uuid__in=payload.persons))
    if len(persons) != len(set(payload.persons)):
        raise ValidationError([{"loc": ("body", "payload", "persons"), "msg": "Unknown prisoner."}])
    for text in payload.texts:
        if text.language not in LANGUAGES:
            raise ValidationError([{"loc": ("body", "payload", "texts"), "msg": "Unknown language."}])
    event = act(actions.do_create_event, organisation=organisation, data=data, acting_user=request.user,
                 persons=persons, texts=[(t.language, t.title, t.description) for t in payload.texts])
    return Status(201, _event_out(request, event))


@router.get("/{org}/events/{event}", response=responses(OsdiOut), auth=_g_event(VIEW), url_name="events_event",
            summary="One event, with RSVP counts (never addresses)")
def get_event(request: HttpRequest, org: str, event: UUID) -> Any:
    return _event_out(request, _event(request, org, event, VIEW))


@router.patch("/{org}/events/{event}", response=responses(OsdiOut), auth=_g_event(EDIT), url_name="events_event",
              summary="Change an event's times, place, link or RSVP setting")
def change_event(request: HttpRequest, org: str, event: UUID, payload: EventChangeIn) -> Any:
    obj = _event(request, org, event, EDIT)
    data = {k: v for k, v in payload.model_dump().items() if v is not None}
    return _event_out(request, act(actions.do_update_event, event=obj, data=data, acting_user=request.user))


@router.put("/{org}/events/{event}/texts", response=responses(OsdiOut), auth=_g_event(EDIT), url_name="events_text",
            summary="Write the event's title and description in one language")
def set_text(request: HttpRequest, org: str, event: UUID, payload: EventTextIn) -> Any:
    obj = _event(request, org, event, EDIT)
    act(actions.do_set_text, event=obj, language=payload.language, title=payload.title,
         description=payload.description, acting_user=request.user)
    return _event_out(request, obj)


@router.post("/{org}/events/{event}/workflow", response=responses(OsdiOut), auth=_g_event(EDIT),
             url_name="events_workflow", summary="Submit for review, take off the public site, or cancel")
def workflow(request: HttpRequest, org: str, event: UUID, payload: EventStepIn) -> Any:
    obj = _event(request, org, event, EDIT)
    if payload.step == "submit":
        return _event_out(request, act(actions.do_submit_event, event=obj, acting_user=request.user))
    step = actions.do_unpublish_event if payload.step == "unpublish" else actions.do_cancel_event
    return _event_out(request, act(step, event=obj, acting_user=request.user, reason=payload.reason))


@router.post("/{org}/events/{event}/publish", response=responses(OsdiOut), auth=_g_event(PUBLISH),
             url_name="events_publish", summary="Publish an event in review (a second pair of eyes: not the submitter)")
def publish(request: HttpRequest, org: str, event: UUID) -> Any:
    obj = _event(request, org, event, PUBLISH)
    return _event_out(request, act(actions.do_publish_event, event=obj, acting_user=request.user))


@router.post("/{org}/sync-hearings", response=responses(OsdiOut), auth=_g_org(EDIT), url_name="events_sync",
             summary="Make trial-monitoring events from the registry's upcoming open hearings")
def sync_hearings(request: HttpRequest, org: str) -> Any:
    organisation = organisation_or_404(request, org, EDIT)
    return {"made_or_moved": actions.do_sync_hearings(organisation=organisation, acting_user=request.user)}


@router.post("/{org}/seed-action-days", response=responses(OsdiOut), auth=_g_org(EDIT), url_name="events_seed",
             summary="Add the yearly action days (30 October, 10 December)")
def seed_action_days(request: HttpRequest, org: str) -> Any:
    organisation = organisation_or_404(request, org, EDIT)
    made = actions.do_seed_action_days(organisation=organisation, acting_user=request.user)
    return {"added": [str(e.uuid) for e in made]}


# --- attendances ----------------------------------------------------------------------------------------------


@router.get("/{org}/events/{event}/attendances", response=responses(OsdiOut), auth=_g_event(EDIT),
            url_name="events_attendances", summary="RSVPs of an event (OSDI attendances), without addresses")
def list_attendances(request: HttpRequest, org: str, event: UUID, page: int = 1, per_page: int = PER_PAGE) -> Any:
    obj = _event(request, org, event, EDIT)
    page, per_page = paging(page, per_page)
    rows = Attendance.objects.filter(event=obj).order_by("-requested_at", "-id")
    total = rows.count()
    items = [{"identifiers": [f"unforgotten:{a.uuid}"], "status": {"confirmed": "accepted", "pending": "tentative",
                                                                   "cancelled": "declined"}[a.state],
              "role": a.role, "occurrence": a.occurrence_starts_at.isoformat(),
              "created_date": a.requested_at.isoformat(),
              "confirmed_date": a.confirmed_at.isoformat() if a.confirmed_at else None, "anonymised": a.anonymised}
             for a in rows[(page - 1) * per_page:page * per_page]]
    return page_of(items, total, page, per_page, "osdi:attendances", f"/api/v1/events/{org}/events/{obj.uuid}/attendances")


@router.post("/{org}/events/{event}/attendances", response=responses(OsdiOut, 202), auth=_g_event(EDIT),
             url_name="events_attendances", summary="Record an RSVP (OSDI record_attendance_helper)",
             description="The person is e-mailed the same confirmation link as on the page; the RSVP counts once "
                         "confirmed. The answer is the same whether or not the address had RSVPed.")
def record_attendance(request: HttpRequest, org: str, event: UUID, payload: AttendanceHelperIn) -> Any:
    obj = _event(request, org, event, EDIT)
    if not payload.consent_shown:
        raise ValidationError([{"loc": ("body", "payload", "consent_shown"),
                                "msg": "The person must have been shown the consent wording and agreed."}])
    language = payload.person.preferred_language if payload.person.preferred_language in LANGUAGES else "en"
    act(actions.do_request_rsvp, event=obj, email=payload.person.email_addresses[0].address, language=language,
         consent_text=wording.consent(language))
    return Status(202, {"status": "pending confirmation",
                        "_links": {"osdi:event": {"href": absolute(f"/api/v1/events/{org}/events/{obj.uuid}")},
                                   "curies": CURIES}})


__all__ = ["router"]

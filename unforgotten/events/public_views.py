"""The public event pages under each language prefix: /<language>/events/…

- The list and an event's page are the same for every reader (no user, session
  or query string), so they go in the public page store; every change to a
  public event empties it.
- The calendars (.ics) are built per request from the same public projection:
  the page store answers with HTML only, so they are not stored there (they
  carry a public Cache-Control like the Atom feeds).
- The RSVP form carries a fresh signed form token, so it is never stored; no
  cookie, no session (the token stands in for CSRF, decision 0021). Whatever is
  posted, the answer is the same "check your e-mail" page.
- The e-mailed links: GET shows a button (mail scanners open links), POST acts.
  The attendee's own page (the manage link) shows the place and link once the
  RSVP is confirmed, and offers to cancel.
- "Another time zone" is a GET form to a page that is never stored.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from babel.dates import format_datetime, get_timezone_name
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from unforgotten.core import antispam
from unforgotten.core.countries import is_country
from unforgotten.events import actions, ical, public, reading, timing, wording
from unforgotten.events.forms import RsvpForm
from unforgotten.intake.public import render_public
from unforgotten.publishing import formatting as fmt
from unforgotten.publishing import site
from unforgotten.publishing.middleware import CACHE_CONTROL

PURPOSE = "events-rsvp"
HOURLY_LIMIT = 10


def when_text(event: public.PublicEvent, language: str, zone_name: str | None = None) -> str:
    """The event's time in its own zone (or ``zone_name``), in the reader's language."""
    locale = fmt.babel_locale(language)
    if event.all_day:
        first, last = timing.local_dates_for(event.start, event.end, event.zone)
        if first == last:
            return fmt.day(first, language)
        return f"{fmt.day(first, language)} – {fmt.day(last, language)}"
    zone = timing.parse_zone(zone_name or event.zone) or timing.parse_zone("UTC")
    start = format_datetime(event.start, format="full", tzinfo=zone, locale=locale)
    end = format_datetime(event.end, format="short", tzinfo=zone, locale=locale)
    return f"{start} – {end}"


def _decorate(event: public.PublicEvent, language: str) -> dict[str, Any]:
    from unforgotten.publishing.public import live_profile

    people = []
    for person in event.people:
        slug = str(person["slug"])
        href = site.url("public:profile", language, slug=slug) if live_profile(slug, language) else ""
        people.append({"name": person["display_name"], "href": href})
    return {
        "e": event, "href": site.url("events_public:detail", language, slug=event.slug),
        "ics": site.url("events_public:event_ics", language, slug=event.slug), "when": when_text(event, language),
        "zone_label": event.zone, "country_name": public_country(event.country, language), "people": people,
        "start_iso": event.start.isoformat(),
    }


def public_country(code: str, language: str) -> str:
    from unforgotten.publishing.public import country

    return country(code.upper(), language) if code else ""


@require_safe
def listing(request: HttpRequest) -> HttpResponse:
    language = site.current_language()
    rows = [_decorate(e, language) for e in public.upcoming(language)]
    countries = sorted({(r["e"].country.lower(), r["country_name"]) for r in rows if r["e"].country},
                       key=lambda pair: pair[1])
    return site.render_page("events/public/list.html", language, {
        "rows": rows, "calendar": site.url("events_public:calendar", language),
        "country_calendars": [{"name": name, "href": site.url("events_public:country_ics", language, code=code)}
                              for code, name in countries],
    }, route="events_public:list")


@require_safe
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    language = site.current_language()
    event = public.one(slug, language)
    if event is None:
        raise Http404()
    context = _decorate(event, language)
    context["list_href"] = site.url("events_public:list", language)
    context["time_href"] = site.url("events_public:time", language, slug=slug)
    if event.rsvp_open and not event.cancelled and event.end > timezone.now():
        context["rsvp_href"] = site.url("events_public:rsvp", language, slug=slug)
    going = reading.going(slug)
    if going is not None:
        count, as_of = going
        with translation.override(language):
            context["going"] = ngettext("%(count)s person has RSVPed", "%(count)s people have RSVPed", count) % {
                "count": fmt.number(count, language)}
        context["going_as_of"] = format_datetime(as_of, format="short", tzinfo=UTC, locale=fmt.babel_locale(language))
        context["going_as_of_iso"] = as_of.isoformat()
    return site.render_page("events/public/detail.html", language, context, available=event.languages,
                 route="events_public:detail", kwargs={"slug": slug})


@require_safe
def time_in_zone(request: HttpRequest, slug: str) -> HttpResponse:
    """The event's time in a zone the reader picks (a GET form: works without JavaScript; never stored)."""
    language = site.current_language()
    event = public.one(slug, language)
    if event is None:
        raise Http404()
    asked = str(request.GET.get("tz", ""))[:64]
    zone = timing.parse_zone(asked)
    context: dict[str, Any] = {**_decorate(event, language), "zones": timing.zone_names(), "asked": asked,
                               "action": site.url("events_public:time", language, slug=slug),
                               "back": site.url("events_public:detail", language, slug=slug)}
    if zone is not None:
        context["converted"] = when_text(event, language, asked)
        context["zone_label"] = get_timezone_name(zone, locale=fmt.babel_locale(language))
    elif asked:
        context["error"] = _("Choose a time zone from the list.")
    return render_public("events/public/time.html", language, "events_public:time", context,
                         status=200 if zone is not None or not asked else 400, route_kwargs={"slug": slug})


# --- calendars ---------------------------------------------------------------------------------------


def _entry(event: public.PublicEvent, language: str) -> ical.Entry:
    link = settings.SITE_URL + site.url("events_public:detail", language, slug=event.slug)
    start: Any = event.start
    end: Any = event.end
    if event.all_day:
        # Dates, not times: DTEND is the day after the last day (RFC 5545 3.6.1). A yearly day starts its
        # rule at the next occurrence, so a feed never lists years before the organisation marked the day.
        first, last = timing.local_dates_for(event.start, event.end, event.zone)
        start, end = first, last + timing.ONE_DAY
    with translation.override(language):
        description = event.description
        if event.details_after_rsvp:
            description = (description + "\n\n" if description else "") + _(
                "The place is sent to people who RSVP on the event's page.")
        zone_note = _("Time zone of the event: %(zone)s") % {"zone": event.zone}
    if not event.all_day:
        description = (description + "\n\n" if description else "") + zone_note
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "unforgotten"
    return ical.Entry(uid=f"event-{event.uuid}@{host}", stamp=event.updated_at, summary=event.title,
                      start=start, end=end, description=description, location=event.location or event.online_link,
                      url=link, status="CANCELLED" if event.cancelled else "CONFIRMED", yearly=event.yearly,
                      categories=(event.kind_label,))


def _ics(events: list[public.PublicEvent], language: str, name: str, *, zone: str = "") -> HttpResponse:
    body = ical.calendar([_entry(e, language) for e in events], name=name, timezone_name=zone)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = CACHE_CONTROL
    response["Content-Disposition"] = 'inline; filename="events.ics"'
    return response


@require_safe
def calendar(request: HttpRequest) -> HttpResponse:
    language = site.current_language()
    return _ics(public.upcoming(language), language, _("Unforgotten: events"))


@require_safe
def country_ics(request: HttpRequest, code: str) -> HttpResponse:
    language = site.current_language()
    if len(code) != 2 or code != code.lower() or not is_country(code.upper()):
        raise Http404()
    events = public.upcoming(language, country=code)
    return _ics(events, language, _("Unforgotten: events in %(country)s") % {
        "country": public_country(code, language)})


@require_safe
def prisoner_ics(request: HttpRequest, slug: str) -> HttpResponse:
    from unforgotten.publishing.public import live_profile

    language = site.current_language()
    profile = live_profile(slug, language)
    if profile is None:
        raise Http404()
    person = public._person_public(profile.person)
    if person is None:
        raise Http404()
    events = public.upcoming(language, person_slug=slug)
    return _ics(events, language, _("Unforgotten: events for %(name)s") % {"name": person["display_name"]})


@require_safe
def event_ics(request: HttpRequest, slug: str) -> HttpResponse:
    language = site.current_language()
    event = public.one(slug, language)
    if event is None:
        raise Http404()
    return _ics([event], language, event.title, zone=event.zone)


# --- RSVP -----------------------------------------------------------------------------------------------


def _problem(lang: str, route: str, token: str, problem: str) -> HttpResponse:
    text = {"expired": _("This link has expired. Please send your RSVP again to get a new one."),
            "used": _("This link has already been used.")}.get(
        problem, _("This link is not valid. Please check that you copied all of it."))
    return render_public("events/public/problem.html", lang, route, {
        "problem": text, "list_href": site.url("events_public:list", lang)}, status=404, route_kwargs={"token": token})


def _form_page(form: RsvpForm, lang: str, event: public.PublicEvent, *, status: int = 200) -> HttpResponse:
    return render_public("events/public/rsvp.html", lang, "events_public:rsvp", {
        **_decorate(event, lang), "form": form, "consent_text": wording.consent(lang),
        "token": antispam.issue_form_token(PURPOSE), "action": site.url("events_public:rsvp", lang, slug=event.slug),
    }, status=status, route_kwargs={"slug": event.slug})


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def rsvp(request: HttpRequest, slug: str) -> HttpResponse:
    lang = site.current_language()
    record = public.event_for_rsvp(slug)
    shown = public.one(slug, lang) if record is not None else None
    if record is None or shown is None:
        raise Http404()
    if request.method != "POST":
        return _form_page(RsvpForm(), lang, shown)
    form = RsvpForm(request.POST)
    if not form.is_valid():
        return _form_page(form, lang, shown, status=400)
    check = antispam.check_form_token(PURPOSE, form.cleaned_data.get("form_token") or "")
    hits = antispam.hit(PURPOSE, antispam.address_digest(antispam.client_address(request)))
    # A robot's post (or a flood) is dropped silently: an RSVP nobody confirms is worth nothing,
    # and keeping a stranger's address for it would serve no purpose.
    if check.ok and not antispam.honeypot_filled(form.cleaned_data.get("website")) and hits <= HOURLY_LIMIT:
        try:
            actions.do_request_rsvp(event=record, email=form.cleaned_data["email"], language=lang,
                                    consent_text=wording.consent(lang))
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
            return _form_page(form, lang, shown, status=400)
    return HttpResponseRedirect(site.url("events_public:sent", lang), status=303)


@require_safe
def sent(request: HttpRequest) -> HttpResponse:
    lang = site.current_language()
    return render_public("events/public/sent.html", lang, "events_public:sent",
                         {"list_href": site.url("events_public:list", lang)})


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    lang = site.current_language()
    route = "events_public:confirm"
    if request.method == "POST":
        try:
            attendance = actions.do_confirm_rsvp(token=token)
        except actions.LinkProblem as exc:
            return _problem(lang, route, token, exc.problem)
        manage = actions._token(actions.MANAGE, attendance, attendance.manage_nonce)
        return HttpResponseRedirect(site.url("events_public:manage", lang, token=manage), status=303)
    try:
        attendance = actions.attendance_for(actions.CONFIRM, token)
    except actions.LinkProblem as exc:
        return _problem(lang, route, token, exc.problem)
    return render_public("events/public/button.html", lang, route, {
        "heading": _("Confirm your RSVP"), "title": actions._title(attendance.event, lang),
        "button": _("Confirm my RSVP"), "action": site.url(route, lang, token=token)}, route_kwargs={"token": token})


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    """The attendee's own page: the details once confirmed, and a button to cancel."""
    lang = site.current_language()
    route = "events_public:manage"
    if request.method == "POST":
        try:
            attendance = actions.do_cancel_rsvp(token=token)
        except actions.LinkProblem as exc:
            return _problem(lang, route, token, exc.problem)
        return render_public("events/public/done.html", lang, route, {
            "heading": _("Your RSVP is cancelled"),
            "message": _("Your RSVP is cancelled and your address erased."),
            "list_href": site.url("events_public:list", lang)}, route_kwargs={"token": token})
    try:
        attendance = actions.attendance_for(actions.MANAGE, token)
    except actions.LinkProblem as exc:
        return _problem(lang, route, token, exc.problem)
    event = public.one(attendance.event.slug, lang) or public.build(attendance.event, lang)
    if event is None:
        return _problem(lang, route, token, "used")
    return render_public("events/public/manage.html", lang, route, {
        **_decorate(event, lang), "details": actions.details_for(attendance),
        "action": site.url(route, lang, token=token)}, route_kwargs={"token": token})


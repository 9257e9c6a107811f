"""The events' blocks on public pages: "coming events" on the home page and on the profile of a prisoner an event
is for (with that prisoner's calendar). Built from ``events.public`` (the public projection and consent only); every
change to a public event already empties the public page store."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from unforgotten.events import public
from unforgotten.publishing import sections

if TYPE_CHECKING:
    from unforgotten.registry.models import Person

HOME_LIMIT = 3


def _render(language: str, events: list[public.PublicEvent], ics: str = "") -> SafeString | str:
    if not events:
        return ""
    from unforgotten.events.public_views import _decorate
    from unforgotten.publishing import site

    return render_to_string("events/public/section.html", {
        "rows": [_decorate(e, language) for e in events], "list_href": site.url("events_public:list", language),
        "ics": ics})


def coming(language: str, person: Person | None) -> SafeString | str:
    return _render(language, public.upcoming(language)[:HOME_LIMIT])


def for_person(language: str, person: Person | None) -> SafeString | str:
    if person is None:
        return ""
    from unforgotten.publishing import site

    return _render(language, public.upcoming(language, person_slug=person.slug),
                   site.url("events_public:prisoner_ics", language, slug=person.slug))


def register() -> None:
    sections.register(sections.HOME, "events.coming", order=20)(coming)
    sections.register(sections.PROFILE, "events.for_person", order=20)(for_person)

"""The alerts' blocks on public pages (issue 6 × issue 9): "urgent actions" on the home page and on the
profile of the person an urgent action is about. Built from ``alerts.public`` (the public projection and
consent only); every change to a published alert already empties the public page store."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from unforgotten.alerts import public
from unforgotten.publishing import feeds, sections, site

if TYPE_CHECKING:
    from unforgotten.registry.models import Person

HOME_LIMIT = 3  # the home page points at the newest few; the list page has them all


def decorate(action: public.UrgentAction, language: str) -> dict[str, Any]:
    """An urgent action as a row of the public pages and blocks: its address, dates and country in the reader's
    language (shared by alerts' public views and the blocks below, through publishing's public ``site``)."""
    return {
        "a": action, "href": site.url("alerts_public:detail", language, slug=action.slug),
        "occurred": site.day(action.occurred_on, language),
        "published": site.day(action.published_at, language),
        "country_name": site.country(action.country, language),
    }


def _render(language: str, actions: list[public.UrgentAction]) -> SafeString | str:
    if not actions:
        return ""
    return render_to_string("alerts/public/section.html", {
        "rows": [decorate(a, language) for a in actions], "list_href": site.url("alerts_public:live", language)})


def latest(language: str, person: Person | None) -> SafeString | str:
    return _render(language, public.live(language)[:HOME_LIMIT])


def for_person(language: str, person: Person | None) -> SafeString | str:
    if person is None:
        return ""
    return _render(language, public.live(language, person_id=person.pk))


def feed_entries(language: str, scope: feeds.Scope) -> list[feeds.Entry]:
    """The urgent actions in publishing's Atom feeds: all of them, a prisoner's, or a country's."""
    if scope.person is not None:
        actions = public.live(language, person_id=scope.person.pk)
    elif scope.country:
        actions = [a for a in public.live(language) if (a.country or "").upper() == scope.country]
    elif scope.urgent:
        actions = public.live(language)
    else:
        return []
    out = []
    for action in actions:
        link = feeds.absolute(site.url("alerts_public:detail", language, slug=action.slug))
        out.append(feeds.Entry(title=action.title, summary=(action.situation or "")[:300], link=link, id=link,
                               when=action.published_at))
    return out


def register() -> None:
    sections.register(sections.HOME, "alerts.latest", order=10)(latest)
    sections.register(sections.PROFILE, "alerts.for_person", order=10)(for_person)
    feeds.register("alerts.urgent_actions")(feed_entries)  # publishing's feeds (issue 6, decision 0022)

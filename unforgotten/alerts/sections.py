"""The alerts' blocks on public pages (issue 6 × issue 9): "urgent actions" on the home page and on the
profile of the person an urgent action is about. Built from ``alerts.public`` (the public projection and
consent only); every change to a published alert already empties the public page store."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from unforgotten.alerts import public
from unforgotten.publishing import sections

if TYPE_CHECKING:
    from unforgotten.registry.models import Person

HOME_LIMIT = 3  # the home page points at the newest few; the list page has them all


def _render(language: str, actions: list[public.UrgentAction]) -> SafeString | str:
    if not actions:
        return ""
    from unforgotten.alerts.public_views import _decorate
    from unforgotten.publishing.public_views import _url

    return render_to_string("alerts/public/section.html", {
        "rows": [_decorate(a, language) for a in actions], "list_href": _url("alerts_public:live", language)})


def latest(language: str, person: Person | None) -> SafeString | str:
    return _render(language, public.live(language)[:HOME_LIMIT])


def for_person(language: str, person: Person | None) -> SafeString | str:
    if person is None:
        return ""
    return _render(language, public.live(language, person_id=person.pk))


def register() -> None:
    sections.register(sections.HOME, "alerts.latest", order=10)(latest)
    sections.register(sections.PROFILE, "alerts.for_person", order=10)(for_person)

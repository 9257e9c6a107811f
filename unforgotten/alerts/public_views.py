"""The public urgent actions, under each language prefix: /<language>/urgent/ and /<language>/urgent/<slug>/.

Like the rest of the public site, these views never look at ``request.user``, the session or
the query string: the page for a path is the same for every reader, so the public page store
(decision 0012) serves it, and every change to a published alert empties the store.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from unforgotten.alerts import public
from unforgotten.publishing import formatting as fmt
from unforgotten.publishing.public_views import _language, _page, _url


def _decorate(action: public.UrgentAction, language: str) -> dict[str, Any]:
    from unforgotten.core.countries import country_name

    return {
        "a": action, "href": _url("alerts_public:detail", language, slug=action.slug),
        "occurred": fmt.day(action.occurred_on, language) if action.occurred_on else "",
        "published": fmt.day(action.published_at.date(), language) if action.published_at else "",
        "country_name": country_name(action.country, language) if action.country else "",
    }


@require_safe
def live(request: HttpRequest) -> HttpResponse:
    language = _language()
    rows = [_decorate(a, language) for a in public.live(language)]
    return _page("alerts/public/list.html", language, {"rows": rows}, route="alerts_public:live")


@require_safe
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    language = _language()
    found = public.page(slug, language)
    if found is None:
        raise Http404()
    action, languages = found
    available = [code for code, _name in settings.LANGUAGES if code in languages]
    return _page("alerts/public/detail.html", language,
                 {**_decorate(action, language), "list_href": _url("alerts_public:live", language)},
                 available=available, route="alerts_public:detail", kwargs={"slug": slug})

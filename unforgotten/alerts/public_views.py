"""The public urgent actions, under each language prefix: /<language>/urgent/ and /<language>/urgent/<slug>/.

Like the rest of the public site, these views never look at ``request.user``, the session or
the query string: the page for a path is the same for every reader, so the public page store
(decision 0012) serves it, and every change to a published alert empties the store.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from unforgotten.alerts import public
from unforgotten.alerts.sections import decorate
from unforgotten.publishing import site


@require_safe
def live(request: HttpRequest) -> HttpResponse:
    language = site.current_language()
    rows = [decorate(a, language) for a in public.live(language)]
    return site.render_page("alerts/public/list.html", language, {"rows": rows}, route="alerts_public:live")


@require_safe
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    language = site.current_language()
    found = public.page(slug, language)
    if found is None:
        raise Http404()
    action, languages = found
    available = [code for code, _name in settings.LANGUAGES if code in languages]
    return site.render_page("alerts/public/detail.html", language,
                            {**decorate(action, language), "list_href": site.url("alerts_public:live", language)},
                            available=available, route="alerts_public:detail", kwargs={"slug": slug})

"""The public statistics page (/<language>/statistics/) and the open data (/open-data/statistics/…).

Like the rest of the public site, the page never looks at ``request.user``, the
session or the query string: the page for a path is the same for every reader,
so the public page store (decision 0012) serves today's page with no query. A
past date is a path of its own (/<language>/statistics/2023-01-31/), rendered on
each request and not stored (one file per day since 1900 and language would be
a way to fill the disk); the date form goes to a small redirecting view.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_safe

from unforgotten.publishing import formatting as fmt
from unforgotten.publishing.middleware import CACHE_CONTROL, CACHEABLE_ATTR
from unforgotten.stats import public
from unforgotten.stats.presentation import overview
from unforgotten.stats.queries import BadQuery, parse_day, parse_month

LANGUAGE_NAMES = dict(settings.LANGUAGES)


def _language() -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    if language not in LANGUAGE_NAMES:
        raise Http404()
    return language


def _url(name: str, language: str, **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def _render(language: str, day: date | None, context: dict[str, Any]) -> HttpResponse:
    kwargs = {"day": day.isoformat()} if day is not None else {}
    route = "stats_public:on_day" if day is not None else "stats_public:today"
    languages = [code for code, _name in settings.LANGUAGES]
    switcher = [{"code": code, "name": LANGUAGE_NAMES[code], "dir": fmt.direction("", code),
                 "href": _url(route, code, **kwargs), "current": code == language} for code in languages]
    alternates = [{"hreflang": code, "href": settings.SITE_URL + _url(route, code, **kwargs)} for code in languages]
    alternates.append({"hreflang": "x-default", "href": settings.SITE_URL + _url(route, "en", **kwargs)})
    today = timezone.localdate()
    from unforgotten.publishing import site

    with translation.override(language):
        card = site.Card(title=f"{translation.gettext('Statistics')} · {site.SITE_NAME}")
    html = render_to_string("stats/public/statistics.html", {
        # decision 0028: the page's Open Graph and Twitter card, like every public page's
        "share": site.share_meta(language, card, route=route, kwargs=kwargs),
        **context, "lang": language, "dir": fmt.direction("", language), "switcher": switcher,
        "alternates": alternates, "home_url": _url("public:home", language),
        "as_of": fmt.day(today, language), "as_of_iso": today.isoformat(),
        "form_url": _url("stats_public:choose", language), "today_url": _url("stats_public:today", language),
        "open_data": {kind: reverse("stats_open_data", kwargs={"name": name, "fmt": kind})
                      for name in ("asof",) for kind in ("csv", "json")},
        "series_data": {kind: reverse("stats_open_data", kwargs={"name": "series", "fmt": kind})
                        for kind in ("csv", "json")},
    })
    response = HttpResponse(html)
    response["Cache-Control"] = CACHE_CONTROL
    # Today's page is the one a spike hits: it goes to the page store. A past day is rendered on each
    # request and never stored, so a crawler walking every day since 1900 cannot fill the disk.
    setattr(response, CACHEABLE_ATTR, day is None)
    return response


def _page(language: str, day: date | None) -> HttpResponse:
    shown = day or timezone.localdate()
    source = public.public_source()
    context = overview(source, shown, language, "pub")
    context["people_on_site"] = fmt.number(source.people, language)
    context["people_n"] = source.people
    context["past"] = day is not None
    return _render(language, day, {"s": context})


@require_safe
def today(request: HttpRequest) -> HttpResponse:
    return _page(_language(), None)


@require_safe
def on_day(request: HttpRequest, day: str) -> HttpResponse:
    language = _language()
    try:
        chosen = parse_day(day)
    except BadQuery:
        raise Http404() from None
    if chosen.isoformat() != day:
        raise Http404()
    return _page(language, chosen)


@require_safe
def choose(request: HttpRequest) -> HttpResponse:
    """The date form's target: sends the reader to the page of that day (or back, for a date it cannot show)."""
    language = _language()
    try:
        chosen = parse_day(request.GET.get("on", ""))
    except BadQuery:
        return HttpResponseRedirect(_url("stats_public:today", language) + "#choose")
    if chosen == timezone.localdate():
        return HttpResponseRedirect(_url("stats_public:today", language))
    return HttpResponseRedirect(_url("stats_public:on_day", language, day=chosen.isoformat()))


@require_safe
def open_data(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    """CSV or JSON of the public aggregates on ?on=YYYY-MM-DD (default today), or of the monthly series."""
    if name not in ("asof", "series") or fmt not in ("csv", "json"):
        raise Http404()
    today = timezone.localdate()
    try:
        if name == "asof":
            day = parse_day(request.GET.get("on", ""))
        else:
            last = parse_month(request.GET.get("to"), field="to", default=today.replace(day=1))
            first = parse_month(request.GET.get("from"), field="from",
                                default=date(last.year - 2, last.month, 1))
            if last > today.replace(day=1):
                raise BadQuery("to", f"{last:%Y-%m} is in the future.")
            if first > last:
                raise BadQuery("from", "'from' is after 'to'.")
            if (last.year - first.year) * 12 + last.month - first.month > 600:
                raise BadQuery("from", "Ask for at most 50 years at a time.")
    except BadQuery as exc:
        return JsonResponse({"error": "invalid input", "errors": [{"where": exc.field, "problem": exc.message}]},
                            status=422)
    source = public.public_source()
    with translation.override("en"):
        if name == "asof":
            data = public.aggregates(source, day)
            text = public.aggregates_csv(data) if fmt == "csv" else public.as_json(data)
            stem = f"unforgotten-statistics-{day.isoformat()}"
        else:
            data = public.series_data(source, first, last)
            text = public.series_csv(data) if fmt == "csv" else public.as_json(data)
            stem = f"unforgotten-series-{first:%Y-%m}-{last:%Y-%m}"
    content_type = "text/csv; charset=utf-8" if fmt == "csv" else "application/json"
    answer = HttpResponse(text, content_type=content_type)
    answer["Content-Disposition"] = f'inline; filename="{stem}.{fmt}"'
    answer["Cache-Control"] = "no-cache"
    answer["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it (it is public by construction)
    return answer

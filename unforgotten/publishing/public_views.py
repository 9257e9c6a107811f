"""The public campaign site: read by anyone, cached for everyone, built only from the public projection.

Views here never look at ``request.user``, the session or the query string:
the page for a path is the same for every reader, which is what lets the page
store serve it to everyone (``PublicPageCacheMiddleware``). Templates are
rendered without a request for the same reason (no context processor can put a
reader's details into a stored page).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_safe

from unforgotten.publishing import formatting as fmt
from unforgotten.publishing import public
from unforgotten.publishing.middleware import CACHE_CONTROL, CACHEABLE_ATTR

LANGUAGE_NAMES = dict(settings.LANGUAGES)


def _url(name: str, language: str, **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def _page(template: str, language: str, context: dict[str, Any], *, available: list[str] | None = None,
          route: str = "public:home", kwargs: dict[str, Any] | None = None) -> HttpResponse:
    """Render a public page; ``available`` lists the languages the same page exists in (all by default)."""
    kwargs = kwargs or {}
    languages = [code for code, _name in settings.LANGUAGES]
    available = languages if available is None else [code for code in languages if code in available]
    switcher = [{"code": code, "name": LANGUAGE_NAMES[code], "dir": fmt.direction("", code),
                 "href": _url(route, code, **kwargs) if code in available else _url("public:home", code),
                 "current": code == language} for code in languages]
    alternates = [{"hreflang": code, "href": settings.SITE_URL + _url(route, code, **kwargs)} for code in available]
    if "en" in available:
        alternates.append({"hreflang": "x-default", "href": settings.SITE_URL + _url(route, "en", **kwargs)})
    today = timezone.localdate()
    html = render_to_string(template, {
        **context, "lang": language, "dir": fmt.direction("", language), "switcher": switcher,
        "alternates": alternates, "home_url": _url("public:home", language),
        "as_of": fmt.day(today, language), "as_of_iso": today.isoformat(),
    })
    response = HttpResponse(html)
    response["Cache-Control"] = CACHE_CONTROL
    setattr(response, CACHEABLE_ATTR, True)
    return response


def _language() -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    if language not in LANGUAGE_NAMES:
        raise Http404()
    return language


@require_safe
def root(request: HttpRequest) -> HttpResponse:
    """The bare address: a choice of languages, each named in its own script (no guessing from headers)."""
    languages = [{"code": code, "name": name, "dir": fmt.direction("", code), "href": _url("public:home", code)}
                 for code, name in settings.LANGUAGES]
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string("publishing/public/root.html", {
            "languages": languages, "lang": settings.LANGUAGE_CODE, "dir": "ltr",
            "alternates": [{"hreflang": row["code"], "href": settings.SITE_URL + row["href"]} for row in languages],
        })
    response = HttpResponse(html)
    response["Cache-Control"] = CACHE_CONTROL
    return response


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    language = _language()
    context = public.home(language, timezone.localdate())
    counts = context["counts"]
    context["people"] = fmt.number(counts["people"], language)
    context["detained"] = fmt.number(counts["detained"], language)
    for row in context["countries"]:
        row["href"] = _url("public:country", language, code=row["code"])
        row["count_text"] = fmt.number(row["count"], language)
    context["featured"] = [_card_link(card, language) for card in context["featured"]]
    return _page("publishing/public/home.html", language, context)


def _card_link(card: public.Card, language: str) -> dict[str, Any]:
    return {"card": card, "href": _url("public:profile", language, slug=card.slug)}


@require_safe
def country(request: HttpRequest, code: str) -> HttpResponse:
    language = _language()
    context = public.country_page(code, language, timezone.localdate())
    if context is None:
        raise Http404()
    counts = context["counts"]
    context["people"] = fmt.number(counts["people"], language)
    context["detained"] = fmt.number(counts["detained"], language)
    context["cards"] = [_card_link(card, language) for card in context["cards"]]
    available = [code for code, _name in settings.LANGUAGES if public.cards(code, country_code=context["code"])]
    return _page("publishing/public/country.html", language, context, available=available, route="public:country",
                 kwargs={"code": code})


@require_safe
def profile(request: HttpRequest, slug: str) -> HttpResponse:
    language = _language()
    record = public.live_profile(slug, language)
    if record is None:
        raise Http404()
    context = public.profile(record, language, timezone.localdate())
    if context is None:
        raise Http404()
    if context["country_code"]:
        context["country_href"] = _url("public:country", language, code=context["country_code"])
    if context["has_photo"]:
        context["photo_url"] = _url("public:photo", language, slug=slug)
    return _page("publishing/public/profile.html", language, {"p": context},
                 available=public.translations(record), route="public:profile", kwargs={"slug": slug})


@require_safe
def photo(request: HttpRequest, slug: str) -> HttpResponse:
    """The portrait on a profile: only for a live profile, only with photo consent, small and metadata-free."""
    record = public.live_profile(slug, _language())
    data = public.photo_bytes(record) if record is not None else None
    if data is None:
        raise Http404()
    response = HttpResponse(data, content_type="image/jpeg")
    response["Cache-Control"] = CACHE_CONTROL
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response

"""Rendering the public forms (suggest a prisoner, newsletter) in the public site's frame.

Unlike the stored public pages, a form page carries a fresh signed form token,
so it is never stored (no ``CACHEABLE_ATTR``) and is marked ``no-store``. It
still never reads the session or sets a cookie: the form token stands in for a
CSRF cookie (decision 0021). The newsletter app renders through here too.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from unforgotten.publishing import formatting as fmt

LANGUAGE_NAMES = dict(settings.LANGUAGES)


def language() -> str:
    current = translation.get_language() or settings.LANGUAGE_CODE
    if current not in LANGUAGE_NAMES:
        raise Http404()
    return current


def url(name: str, lang: str, **kwargs: Any) -> str:
    with translation.override(lang):
        return reverse(name, kwargs=kwargs or None)


def render_public(template: str, lang: str, route: str, context: dict[str, Any], *, status: int = 200,
                  route_kwargs: dict[str, Any] | None = None) -> HttpResponse:
    route_kwargs = route_kwargs or {}
    codes = [code for code, _name in settings.LANGUAGES]
    switcher = [{"code": code, "name": LANGUAGE_NAMES[code], "dir": fmt.direction("", code),
                 "href": url(route, code, **route_kwargs), "current": code == lang} for code in codes]
    html = render_to_string(template, {
        **context, "lang": lang, "dir": fmt.direction("", lang), "switcher": switcher, "alternates": [],
        "home_url": url("public:home", lang),
    })
    response = HttpResponse(html, status=status)
    response["Cache-Control"] = "no-store"
    response["Content-Language"] = lang
    return response

"""What every public page shares, for publishing's views and for other apps' public views and section providers.

A public module on purpose (decision 0022): alerts, stats and any later app build their public pages and the
blocks they add to ours (``publishing.sections``) with these, never with publishing's private view helpers.

- ``url(route, language, **kwargs)``: the address of a public page in a language;
- ``current_language()``: the page's language from the URL prefix, or a plain 404;
- ``render_page(template, language, context, …)``: render a page the page store may keep (no request, no user,
  the site's navigation, language switcher and hreflang alternates, "as of" today);
- ``day(date, language)`` and ``country(code, language)``: dates and country names as the reader's locale
  writes them ("" for none), for the rows those pages and blocks list;
- ``Card`` and ``share_meta(…)``: what a page's Open Graph and Twitter card say (decision 0028). ``render_page``
  adds them to every page it renders (the site's own card when a view gives none); pages rendered some other
  way (statistics, petitions) put ``share_meta(…)`` in their context as ``share``.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from unforgotten.publishing import formatting as fmt
from unforgotten.publishing.middleware import CACHE_CONTROL, CACHEABLE_ATTR

LANGUAGE_NAMES = dict(settings.LANGUAGES)


def url(name: str, language: str, **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


SITE_NAME = "Unforgotten"
# Open Graph wants language_TERRITORY. No territory is "the" one of a language; these are the ones the networks
# that read og:locale recognise for each of our languages (Facebook's list has ar_AR for Arabic, not ar_EG).
OG_LOCALES = {"en": "en_GB", "ar": "ar_AR", "fa": "fa_IR", "ru": "ru_RU", "es": "es_ES", "fr": "fr_FR",
              "zh-hans": "zh_CN"}
DESCRIPTION_CHARS = 200
SHARE_IMAGE_SIZE = (1200, 630)


@dataclass(frozen=True)
class Card:
    """What a page says about itself when shared: built by the view from the PUBLIC projection only.

    ``image`` is the path of a share image of ours ("" for the site's own); ``image_alt`` describes it.
    """

    title: str
    description: str = ""
    image: str = ""
    image_alt: str = ""
    kind: str = "website"  # og:type: "profile" for a person, "article" for a story or a resource


def _plain(text: str, limit: int) -> str:
    text = re.sub(r"\s+", " ", str(text)).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def share_meta(language: str, card: Card | None, *, route: str, kwargs: dict[str, Any] | None = None,
               available: list[str] | None = None) -> dict[str, Any]:
    """The Open Graph and Twitter card of the page at ``route`` in ``language``: absolute URLs from SITE_URL.

    Public: other apps' public pages (statistics, petitions) put this in their context as ``share``.
    """
    with translation.override(language):
        tagline = _("Political prisoners: their names, their stories")
        card = card or Card(title=str(tagline), description=str(tagline))
        image = card.image or url("public:site_image", language)
        alt = card.image_alt or _("%(site)s: political prisoners, their names, their stories") % {"site": SITE_NAME}
    languages = [code for code, _name in settings.LANGUAGES]
    available = languages if available is None else available
    return {
        "title": _plain(card.title, 120), "description": _plain(card.description or tagline, DESCRIPTION_CHARS),
        "url": settings.SITE_URL + url(route, language, **(kwargs or {})), "type": card.kind,
        "site_name": SITE_NAME, "locale": OG_LOCALES[language],
        "locale_alternates": [OG_LOCALES[code] for code in languages if code in available and code != language],
        "image": settings.SITE_URL + image, "image_alt": _plain(str(alt), 300),
        "image_width": SHARE_IMAGE_SIZE[0], "image_height": SHARE_IMAGE_SIZE[1],
    }


def render_page(template: str, language: str, context: dict[str, Any], *, available: list[str] | None = None,
                route: str = "public:home", kwargs: dict[str, Any] | None = None,
                card: Card | None = None) -> HttpResponse:
    """Render a public page; ``available`` lists the languages the same page exists in (all by default);
    ``card`` is what the page says of itself when shared (the site's own card when None)."""
    kwargs = kwargs or {}
    languages = [code for code, _name in settings.LANGUAGES]
    available = languages if available is None else [code for code in languages if code in available]
    switcher = [{"code": code, "name": LANGUAGE_NAMES[code], "dir": fmt.direction("", code),
                 "href": url(route, code, **kwargs) if code in available else url("public:home", code),
                 "current": code == language} for code in languages]
    alternates = [{"hreflang": code, "href": settings.SITE_URL + url(route, code, **kwargs)} for code in available]
    if "en" in available:
        alternates.append({"hreflang": "x-default", "href": settings.SITE_URL + url(route, "en", **kwargs)})
    today = timezone.localdate()
    html = render_to_string(template, {
        **context, "lang": language, "dir": fmt.direction("", language), "switcher": switcher,
        "alternates": alternates, "home_url": url("public:home", language), "nav": _nav(language),
        "as_of": fmt.day(today, language), "as_of_iso": today.isoformat(),
        "share": share_meta(language, card, route=route, kwargs=kwargs, available=available),
    })
    response = HttpResponse(html)
    response["Cache-Control"] = CACHE_CONTROL
    setattr(response, CACHEABLE_ATTR, True)
    return response


def _nav(language: str) -> list[dict[str, str]]:
    # issue 6 (decision 0017): the sections of the site, in the page's language
    with translation.override(language):
        return [{"href": url(route, language), "label": str(text)} for route, text in (
            ("public:stories", _("Family stories")), ("public:campaigns", _("Campaigns")),
            ("public:resources", _("Resources")), ("public:videos", _("Video stories")),
            ("alerts_public:live", _("Urgent actions")), ("events_public:list", _("Events")),
            ("stats_public:today", _("Statistics")), ("intake_public:suggest", _("Suggest a prisoner")),
            ("newsletter_public:sign_up", _("Newsletter")))]


def current_language() -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    if language not in LANGUAGE_NAMES:
        raise Http404()
    return language


def day(value: datetime.date | datetime.datetime | None, language: str) -> str:
    """A date as the reader's locale writes it; "" for none. A datetime is shown by its (UTC) day."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    return fmt.day(value, language)


def country(code: str | None, language: str) -> str:
    """A country's name in the reader's language; "" for none."""
    if not code:
        return ""
    from unforgotten.core.countries import country_name

    return country_name(code, language)

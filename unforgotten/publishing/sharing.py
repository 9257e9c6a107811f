"""Share images of profiles and of the site, and the counters partner sites embed (issue 6, decision 0028).

Everything here is built from ``project(obj, PUBLIC)`` and recorded consent, through the same helpers the pages
use (``public.profile``, ``public_items.campaign_cards``), so a share image or a counter can never say more than
the page it stands for. Each ``*_text`` function returns every piece of text its image carries: the canary test
searches exactly that.

Images are rendered once and kept in the page store (the PNGs as blobs under keys no request path can equal, the
answers themselves as stored pages), so every publish, unpublish or consent change purges them with the pages.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import date
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from unforgotten.policy.projection import PUBLIC, project
from unforgotten.publishing import cache, public, public_items, site
from unforgotten.publishing import formatting as fmt
from unforgotten.publishing.models import Campaign, PublicProfile

SHARE_NAMES = 2  # beside the display name: one in the person's own script, one in Latin letters


def _host() -> str:
    return settings.SITE_URL.split("://", 1)[-1]


def _stored_png(key: str, html: Any, width: int = public_items.SHARE_WIDTH,
                height: int = public_items.SHARE_HEIGHT) -> bytes:
    """A PNG kept in the page store under ``key`` (purged with the pages); ``html`` is called on a miss only."""
    stored = cache.get(key)
    if stored is not None:
        return stored
    epoch = cache.current_epoch()
    data = public_items.render_share_png(html(), width, height)
    cache.put(key, data, epoch)
    return data


def _card_html(text: dict[str, Any], language: str) -> str:
    with translation.override(language):
        return render_to_string("publishing/public/share_image.html", {
            **text, "lang": language, "dir": fmt.direction("", language),
            "width": public_items.SHARE_WIDTH, "height": public_items.SHARE_HEIGHT})


# --- the site's own card (pages without one of their own) -------------------------------------------------


def site_image_text(language: str) -> dict[str, Any]:
    with translation.override(language):
        return {"title": str(_("Political prisoners: their names, their stories")), "hashtag": site.SITE_NAME,
                "count": "", "names": [], "site": _host()}


def site_png(language: str) -> bytes:
    return _stored_png(f"share-image:site:{language}", lambda: _card_html(site_image_text(language), language))


# --- a prisoner's card ------------------------------------------------------------------------------------


def campaign_hashtag(profile: PublicProfile, language: str) -> str:
    """The hashtag of the newest live campaign in this language that names this person ("" for none)."""
    campaign = (Campaign.objects.live().filter(language=language, people=profile.person)
                .order_by("-publish_at", "pk").first())
    return str(project(campaign, PUBLIC, ["hashtag"]).get("hashtag", "")) if campaign is not None else ""


def other_names(view: dict[str, Any]) -> list[str]:
    """Up to two more of the person's public names: one in their own script, one in Latin letters."""
    shown, out = {view["name"]}, []
    for want_latin in (False, True):
        for name in view["names"]:
            text = str(name.get("text", ""))
            if text and text not in shown and (name.get("script") == "Latn") is want_latin:
                out.append(text)
                shown.add(text)
                break
    return out[:SHARE_NAMES]


def profile_counter(view: dict[str, Any]) -> str:
    """The profile's own counter text ("At least 1,234 days behind bars"), else the person's status."""
    detention = view.get("detention") or {}
    return str(detention.get("counter") or view.get("status") or "")


def profile_image_text(profile: PublicProfile, language: str, today: date) -> dict[str, Any] | None:
    """Every piece of text a profile's share image carries, or None when the person may not be shown."""
    with translation.override(language):
        view = public.profile(profile, language, today)
        if view is None:
            return None
        return {"title": view["name"], "names": other_names(view), "count": profile_counter(view),
                "hashtag": campaign_hashtag(profile, language), "site": _host()}


def profile_png(profile: PublicProfile, language: str, today: date) -> bytes | None:
    text = profile_image_text(profile, language, today)
    if text is None:
        return None
    return _stored_png(f"share-image:profile:{profile.pk}:{language}:{today.isoformat()}",
                       lambda: _card_html(text, language))


# --- counters for partner sites ---------------------------------------------------------------------------

COUNTER_WIDTH, COUNTER_HEIGHT = 480, 120
# The framed counter's only style, inline so the page makes no second request; allowed by its hash alone.
COUNTER_CSS = ("html,body{margin:0}body{font:16px/1.3 system-ui,sans-serif;background:#fffdf8;color:#1d1a16}"
               "main{box-sizing:border-box;block-size:100vh;padding:8px 12px;border-inline-start:6px solid #8a1c1c}"
               "h1{font-size:20px;margin:0 0 4px;color:#8a1c1c}p{margin:0 0 4px}a{color:#8a1c1c}")
COUNTER_CSS_HASH = "sha256-" + base64.b64encode(hashlib.sha256(COUNTER_CSS.encode()).digest()).decode()
# May be framed by anyone (that is the point), may load nothing but itself, may run nothing.
COUNTER_PAGE_CSP = (f"default-src 'none'; style-src '{COUNTER_CSS_HASH}'; base-uri 'none'; form-action 'none'; "
                    "frame-ancestors *")
COUNTER_IMAGE_CSP = "default-src 'none'; frame-ancestors *; sandbox"


def campaign_counter(campaign: Campaign, language: str) -> dict[str, Any]:
    """The campaign's counter: how many of its people (with a live profile here) are still held."""
    shown = project(campaign, PUBLIC, ["title", "hashtag", "slug"])
    held = sum(1 for card in public_items.campaign_cards(campaign, language) if card.detained)
    with translation.override(language):
        text = ngettext("%(count)s person still held", "%(count)s people still held", held) % {
            "count": fmt.number(held, language)}
    return {"headline": text, "name": str(shown["title"]), "hashtag": str(shown["hashtag"]),
            "href": settings.SITE_URL + site.url("public:campaign", language, slug=shown["slug"])}


def profile_counter_view(profile: PublicProfile, language: str, today: date) -> dict[str, Any] | None:
    """A prisoner's counter: the profile's honest "days behind bars" (or status) and name; None when hidden."""
    with translation.override(language):
        view = public.profile(profile, language, today)
        if view is None:
            return None
        return {"headline": profile_counter(view), "name": view["name"], "hashtag": campaign_hashtag(profile, language),
                "href": settings.SITE_URL + site.url("public:profile", language, slug=view["slug"])}


def counter_context(counter: dict[str, Any], language: str) -> dict[str, Any]:
    return {**counter, "lang": language, "dir": fmt.direction("", language), "site": _host(),
            "width": COUNTER_WIDTH, "height": COUNTER_HEIGHT, "css": COUNTER_CSS}


def counter_svg(counter: dict[str, Any], language: str) -> bytes:
    with translation.override(language):
        return render_to_string("publishing/public/counter.svg", counter_context(counter, language)).encode()


def counter_png(key: str, counter: dict[str, Any], language: str) -> bytes:
    def html() -> str:
        with translation.override(language):
            return render_to_string("publishing/public/counter_image.html", counter_context(counter, language))

    return _stored_png(f"counter:{key}:{language}", html, COUNTER_WIDTH, COUNTER_HEIGHT)


def counter_page(counter: dict[str, Any], language: str) -> str:
    with translation.override(language):
        return render_to_string("publishing/public/counter.html", counter_context(counter, language))


def embed_snippets(language: str, route: str, slug: str, counter: dict[str, Any]) -> dict[str, str]:
    """The copy-paste HTML a partner site puts on its pages: a frame, or a no-JS image linking back.

    Plain text, not markup of ours: the page shows it escaped, as code to copy (each value escaped inside it).
    """
    from html import escape

    base = escape(settings.SITE_URL + site.url(route, language, slug=slug))
    with translation.override(language):
        title = escape(_("%(name)s: %(headline)s") % {"name": counter["name"], "headline": counter["headline"]})
    frame = (f'<iframe src="{base}counter/" width="{COUNTER_WIDTH}" height="{COUNTER_HEIGHT}" title="{title}" '
             'loading="lazy" style="border:0"></iframe>')
    image = (f'<a href="{escape(counter["href"])}"><img src="{base}counter.svg" width="{COUNTER_WIDTH}" '
             f'height="{COUNTER_HEIGHT}" alt="{title}"></a>')
    return {"frame": frame, "image": image, "png": settings.SITE_URL + site.url(route, language, slug=slug)
            + "counter.png"}

"""What the story, series, campaign, resource and video pages show: only ``project(obj, PUBLIC)`` and consent.

Like ``public.py``, every function returns plain values for templates and
leaves out whatever the projection leaves out. A family story needs two
consents at once: the person's name (their record projects a display name) and
the family's story consent (the story's own ``CONSENT``); without either the
story is not on the site at all (404), not shown with a gap.
"""

from __future__ import annotations

import functools
import io
import shutil
import subprocess
import tempfile
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.db import models
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from unforgotten.policy.projection import PUBLIC, project
from unforgotten.publishing import cache
from unforgotten.publishing import formatting as fmt
from unforgotten.publishing.models import (
    Campaign,
    PublicProfile,
    Resource,
    Story,
    StorySeries,
    Video,
)
from unforgotten.publishing.public import Card, _card, live_profiles


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in str(text).split("\n\n") if p.strip()]


def sisters(item: Any) -> list[str]:
    """Languages in which this item (or its translations) is live now."""
    return list(type(item).objects.live().filter(translation_key=item.translation_key)
                .values_list("language", flat=True))


# --- family stories -----------------------------------------------------------------------------------


def live_stories(language: str) -> models.QuerySet[Story]:
    return (Story.objects.live().filter(language=language, person__merged_into__isnull=True)
            .select_related("person", "series").prefetch_related("person__consents")
            .order_by("-publish_at", "pk"))


def story_view(story: Story, language: str) -> dict[str, Any] | None:
    """The story as shown, or None when either consent is missing (then it is not on the site at all)."""
    shown = project(story, PUBLIC, ["title", "body", "slug", "publish_at"])
    person = project(story.person, PUBLIC, ["display_name", "slug", "photo"])
    if not shown.get("body") or not shown.get("title") or "display_name" not in person:
        return None
    profile = live_profiles(language).filter(person=story.person).exists()
    return {
        "title": shown["title"], "slug": shown["slug"], "body": paragraphs(shown["body"]),
        "excerpt": paragraphs(shown["body"])[0][:300],
        "name": person["display_name"], "person_slug": person.get("slug", ""), "has_profile": profile,
        "has_photo": bool(story.show_photo and person.get("photo")),
        "published": story.publish_at, "published_text": fmt.day(story.publish_at.date(), language)
        if story.publish_at else "",
        "series": {"slug": story.series.slug, "hashtag": story.series.hashtag} if story.series else None,
    }


def live_story(slug: str, language: str) -> Story | None:
    return live_stories(language).filter(slug=slug).first()


def series_view(slug: str, language: str) -> dict[str, Any] | None:
    series = StorySeries.objects.filter(slug=slug).first()
    if series is None:
        return None
    stories = [row for row in (story_view(s, language) for s in live_stories(language).filter(series=series)) if row]
    if not stories:
        return None
    return {"hashtag": series.hashtag, "slug": series.slug, "stories": stories, "series": series}


def series_languages(series: StorySeries) -> list[str]:
    return [code for code, _name in settings.LANGUAGES if any(
        story_view(s, code) for s in live_stories(code).filter(series=series)[:20])]


# --- campaigns ------------------------------------------------------------------------------------------


def live_campaign(slug: str, language: str) -> Campaign | None:
    return Campaign.objects.live().filter(language=language, slug=slug).first()


def campaign_cards(campaign: Campaign, language: str) -> list[Card]:
    """The curated people who have a live profile in this language and whose name may be shown."""
    chosen = set(campaign.people.values_list("pk", flat=True))
    cards = []
    for profile in live_profiles(language).filter(person_id__in=chosen):
        card = _card(profile.person, language)
        if card is not None:
            cards.append(card)
    return cards


SHARE_ORDER = ("x", "mastodon", "bluesky", "facebook", "telegram", "whatsapp")
NETWORK_NAMES = {"x": "X", "mastodon": "Mastodon", "bluesky": "Bluesky", "facebook": "Facebook",
                 "telegram": "Telegram", "whatsapp": "WhatsApp"}


def share_links(network: str, text: str, url: str) -> str:
    """A plain link to the network's own share form (no script of theirs on our page); "" when it has none."""
    both = quote(f"{text} {url}")
    return {
        "x": f"https://twitter.com/intent/tweet?text={both}",
        "bluesky": f"https://bsky.app/intent/compose?text={both}",
        "facebook": f"https://www.facebook.com/sharer/sharer.php?u={quote(url, safe='')}",
        "telegram": f"https://t.me/share/url?url={quote(url, safe='')}&text={quote(text)}",
        "whatsapp": f"https://wa.me/?text={both}",
    }.get(network, "")


def campaign_view(campaign: Campaign, language: str, page_url: str) -> dict[str, Any]:
    shown = project(campaign, PUBLIC, ["title", "hashtag", "summary", "share_texts", "slug"])
    texts = dict(shown.get("share_texts") or {})
    default = f"{shown['title']} {shown['hashtag']}"
    kit = []
    for network in SHARE_ORDER:
        text = str(texts.get(network) or default)
        kit.append({"network": network, "name": NETWORK_NAMES[network], "text": text,
                    "href": share_links(network, text, page_url)})
    return {"title": shown["title"], "hashtag": shown["hashtag"], "summary": paragraphs(shown.get("summary", "")),
            "slug": shown["slug"], "cards": campaign_cards(campaign, language), "kit": kit}


def live_campaigns(language: str) -> models.QuerySet[Campaign]:
    return Campaign.objects.live().filter(language=language).order_by("-publish_at", "pk")


# --- share images: HTML → PDF (core.pdf) → PNG (poppler's pdftoppm) → PNG re-encoded without metadata ------

SHARE_WIDTH, SHARE_HEIGHT = 1200, 630
SHARE_NAMES = 6


def share_image_text(campaign: Campaign, language: str) -> dict[str, Any]:
    """Every piece of text the share image carries: public projection only (tests search it for canaries)."""
    view = project(campaign, PUBLIC, ["title", "hashtag"])
    cards = campaign_cards(campaign, language)
    count = len(cards)
    with translation.override(language):  # the image's language, whatever the caller has active
        held = ngettext("%(count)s person held for what they said or did",
                        "%(count)s people held for what they said or did", count) % {
            "count": fmt.number(count, language)}
    return {"title": view["title"], "hashtag": view["hashtag"], "names": [c.name for c in cards[:SHARE_NAMES]],
            "count": held, "site": settings.SITE_URL.split("://", 1)[-1]}


def share_image_html(campaign: Campaign, language: str) -> str:
    with translation.override(language):
        return _share_html(campaign, language)


def _share_html(campaign: Campaign, language: str) -> str:
    return render_to_string("publishing/public/share_image.html", {
        **share_image_text(campaign, language), "lang": language, "dir": fmt.direction("", language),
        "width": SHARE_WIDTH, "height": SHARE_HEIGHT})


def _png_without_metadata(png: bytes) -> bytes:
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        clean = image.convert("RGB")
    out = io.BytesIO()
    clean.save(out, format="PNG", optimize=True)  # no tEXt/iTXt/eXIf chunks: Pillow writes only what it is given
    return out.getvalue()


def render_share_png(html: str, width: int = SHARE_WIDTH, height: int = SHARE_HEIGHT) -> bytes:
    from unforgotten.core.pdf import render_pdf

    # CSS pixels are 1/96 inch, so at 96 dpi the PNG is exactly width × height (share cards and counters).
    pdf = render_pdf(html, extra_css=f"@page {{ size: {width}px {height}px; margin: 0; "
                                      "@bottom-center { content: none; } }")
    base = cache.root()
    base.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=base, prefix=".share-") as folder:
        source = f"{folder}/card.pdf"
        with open(source, "wb") as handle:
            handle.write(pdf)
        # Fixed arguments and our own file names only; pdftoppm is poppler's, found on PATH (see install script).
        command = [shutil.which("pdftoppm") or "/usr/bin/pdftoppm", "-png", "-r", "96", "-singlefile",
                   "-f", "1", "-l", "1", source, f"{folder}/card"]
        subprocess.run(command, check=True, timeout=60, capture_output=True)  # noqa: S603
        with open(f"{folder}/card.png", "rb") as handle:
            return _png_without_metadata(handle.read())


def share_png(campaign: Campaign, language: str) -> bytes:
    """The campaign's share image, kept in the page store (so unpublishing purges it with every page)."""
    key = f"share-image:{campaign.pk}:{language}"
    stored = cache.get(key)
    if stored is not None:
        return stored
    epoch = cache.current_epoch()
    data = render_share_png(share_image_html(campaign, language))
    cache.put(key, data, epoch)
    return data


# --- the resource hub and videos ----------------------------------------------------------------------


def live_resources(language: str) -> models.QuerySet[Resource]:
    return Resource.objects.live().filter(language=language).order_by("kind", "title", "pk")


def live_resource(slug: str, language: str) -> Resource | None:
    return live_resources(language).filter(slug=slug).first()


def resource_view(resource: Resource, language: str) -> dict[str, Any]:
    from django.utils.safestring import mark_safe

    from unforgotten.publishing.actions import clean_html

    shown = project(resource, PUBLIC, ["title", "summary", "body", "kind", "slug", "file_size", "file_extension"])
    # Sanitised when saved; sanitised again here, so a row written some other way cannot carry a script out.
    body = mark_safe(clean_html(shown.get("body", "")))  # noqa: S308  (ammonia's output)
    return {"title": shown["title"], "summary": paragraphs(shown.get("summary", "")), "body": body,
            "kind": shown["kind"], "slug": shown["slug"], "has_file": bool(resource.file),
            "size": _size(int(shown.get("file_size") or 0), language),
            "extension": str(shown.get("file_extension", "")).upper()}


def _size(size: int, language: str) -> str:
    with translation.override(language):
        if size >= 1024 * 1024:
            return _("%(size)s MB") % {"size": fmt.number(max(1, round(size / (1024 * 1024))), language)}
        return _("%(size)s KB") % {"size": fmt.number(max(1, round(size / 1024)), language)}


def live_videos(language: str) -> models.QuerySet[Video]:
    return Video.objects.live().filter(language=language).order_by("-publish_at", "pk")


def live_video(slug: str, language: str) -> Video | None:
    return live_videos(language).filter(slug=slug).first()


@functools.cache
def _language_names() -> dict[str, str]:
    return dict(settings.LANGUAGES)


def video_view(video: Video, language: str) -> dict[str, Any]:
    shown = project(video, PUBLIC, ["title", "description", "slug", "file_type"])
    captions = [{"language": c.language, "label": _language_names()[c.language], "default": c.language == language}
                for c in video.captions.all() if project(c, PUBLIC, ["vtt"]).get("vtt")]
    return {"title": shown["title"], "description": paragraphs(shown.get("description", "")), "slug": shown["slug"],
            "type": shown.get("file_type", ""), "captions": captions}


def profile_of(story: Story, language: str) -> PublicProfile | None:
    return live_profiles(language).filter(person=story.person).first()

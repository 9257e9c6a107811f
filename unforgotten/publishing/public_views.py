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
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from unforgotten.policy.projection import PUBLIC, project
from unforgotten.publishing import (
    feeds,
    posting_times,
    public,
    public_items,
    sections,
    sharing,
    site,
)
from unforgotten.publishing import formatting as fmt
from unforgotten.publishing.middleware import CACHE_CONTROL, CACHEABLE_ATTR


@require_safe
def root(request: HttpRequest) -> HttpResponse:
    """The bare address: a choice of languages, each named in its own script (no guessing from headers)."""
    languages = [{"code": code, "name": name, "dir": fmt.direction("", code), "href": site.url("public:home", code)}
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
    language = site.current_language()
    context = public.home(language, timezone.localdate())
    counts = context["counts"]
    context["people"] = fmt.number(counts["people"], language)
    context["detained"] = fmt.number(counts["detained"], language)
    for row in context["countries"]:
        row["href"] = site.url("public:country", language, code=row["code"])
        row["count_text"] = fmt.number(row["count"], language)
    context["featured"] = [_card_link(card, language) for card in context["featured"]]
    context["sections"] = sections.render(sections.HOME, language)
    with translation.override(language):
        tagline = _("Political prisoners: their names, their stories")
    card = site.Card(title=f"{tagline} · {site.SITE_NAME}", description=f"{tagline}. {_counts_text(counts, language)}")
    return site.render_page("publishing/public/home.html", language, context, card=card)


def _title(language: str, text: Any) -> site.Card:
    """The card of a section's index page: its heading (already in the page's language), the site's image."""
    return site.Card(title=f"{text} · {site.SITE_NAME}")


def _counts_text(counts: dict[str, int], language: str) -> str:
    # The same messages the home and country pages show (one catalog entry each).
    with translation.override(language):
        return " · ".join((
            ngettext("%(number)s person on this site", "%(number)s people on this site", counts["people"]) % {
                "number": fmt.number(counts["people"], language)},
            ngettext("%(number)s held now", "%(number)s held now", counts["detained"]) % {
                "number": fmt.number(counts["detained"], language)}))


def _card_link(card: public.Card, language: str) -> dict[str, Any]:
    return {"card": card, "href": site.url("public:profile", language, slug=card.slug)}


@require_safe
def country(request: HttpRequest, code: str) -> HttpResponse:
    language = site.current_language()
    context = public.country_page(code, language, timezone.localdate())
    if context is None:
        raise Http404()
    counts = context["counts"]
    context["people"] = fmt.number(counts["people"], language)
    context["detained"] = fmt.number(counts["detained"], language)
    context["cards"] = [_card_link(card, language) for card in context["cards"]]
    available = [code for code, _name in settings.LANGUAGES if public.cards(code, country_code=context["code"])]
    card = site.Card(title=f"{context['country']} · {site.SITE_NAME}", description=_counts_text(counts, language))
    return site.render_page("publishing/public/country.html", language, context, available=available, route="public:country",
                            kwargs={"code": code}, card=card)


@require_safe
def profile(request: HttpRequest, slug: str) -> HttpResponse:
    language = site.current_language()
    record = public.live_profile(slug, language)
    if record is None:
        raise Http404()
    context = public.profile(record, language, timezone.localdate())
    if context is None:
        raise Http404()
    if context["country_code"]:
        context["country_href"] = site.url("public:country", language, code=context["country_code"])
    if context["has_photo"]:
        context["photo_url"] = site.url("public:photo", language, slug=slug)
        context["photo"] = _sizes(public.photo_sizes(record.person), "public:photo_sized", language, slug,
                                  context["photo_url"])
    context["sections"] = sections.render(sections.PROFILE, language, record.person)
    counter = sharing.profile_counter_view(record, language, timezone.localdate())
    context["embed"] = sharing.embed_snippets(language, "public:profile", slug, counter) if counter else None
    with translation.override(language):
        facts = [sharing.profile_counter(context), context["country"], *context["story"][:1]]
        alt = _("Share image: %(name)s") % {"name": context["name"]}
    card = site.Card(title=f"{context['name']} · {site.SITE_NAME}", description=" · ".join(f for f in facts if f),
                     image=site.url("public:profile_image", language, slug=slug), image_alt=alt, kind="profile")
    return site.render_page("publishing/public/profile.html", language, {"p": context},
                            available=public.translations(record), route="public:profile", kwargs={"slug": slug},
                            card=card)


def _sizes(sizes: public.PhotoSizes | None, route: str, language: str, slug: str, src: str) -> dict[str, Any] | None:
    """``src``, ``srcset``, ``width`` and ``height`` of a portrait served in several widths (decision 0028).

    ``src`` stays the small copy (for browsers without srcset); width and height are its own, so the page
    keeps the portrait's proportions before any image arrives (no layout shift)."""
    if sizes is None:
        return None
    srcset = ", ".join(f"{site.url(route, language, slug=slug, width=width)} {width}w" for width in sizes.widths)
    width, height = sizes.within(public.PHOTO_SIDE)
    return {"src": src, "srcset": srcset, "width": width, "height": height}


def _image(data: bytes, content_type: str) -> HttpResponse:
    """A generated image or a portrait: stored with the pages (0 queries on a hit) and purged with them."""
    response = _binary(data, content_type)
    setattr(response, CACHEABLE_ATTR, True)
    return response


@require_safe
def photo_sized(request: HttpRequest, slug: str, width: int) -> HttpResponse:
    """The portrait at one of the offered widths (never wider than the original), only with photo consent."""
    record = public.live_profile(slug, site.current_language())
    data = public.person_photo_bytes(record.person, width=width) if record is not None else None
    if data is None:
        raise Http404()
    return _image(data, "image/jpeg")


@require_safe
def site_image(request: HttpRequest) -> HttpResponse:
    """The site's own share image, for pages without one of their own."""
    return _image(sharing.site_png(site.current_language()), "image/png")


@require_safe
def profile_image(request: HttpRequest, slug: str) -> HttpResponse:
    language = site.current_language()
    record = public.live_profile(slug, language)
    data = sharing.profile_png(record, language, timezone.localdate()) if record is not None else None
    if data is None:
        raise Http404()
    return _image(data, "image/png")


# --- counters partner sites embed: the only routes another site may frame (decision 0028) ---------------


def _embeddable(body: bytes, content_type: str, csp: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Cache-Control"] = CACHE_CONTROL
    # Set here, so the CSP middleware leaves it: frame-ancestors * instead of the site's 'none'.
    response["Content-Security-Policy"] = csp
    response["X-Content-Type-Options"] = "nosniff"
    setattr(response, CACHEABLE_ATTR, True)  # stored (0 queries on a hit), purged with every page
    return response


def _counter_answer(counter: dict[str, Any], language: str, kind: str, key: str) -> HttpResponse:
    if kind == "svg":
        return _embeddable(sharing.counter_svg(counter, language), "image/svg+xml", sharing.COUNTER_IMAGE_CSP)
    if kind == "png":
        return _embeddable(sharing.counter_png(key, counter, language), "image/png", sharing.COUNTER_IMAGE_CSP)
    return _embeddable(sharing.counter_page(counter, language).encode(), "text/html; charset=utf-8",
                       sharing.COUNTER_PAGE_CSP)


def _profile_counter(slug: str, kind: str) -> HttpResponse:
    language = site.current_language()
    record = public.live_profile(slug, language)
    today = timezone.localdate()
    counter = sharing.profile_counter_view(record, language, today) if record is not None else None
    if record is None or counter is None:
        raise Http404()
    return _counter_answer(counter, language, kind, f"profile:{record.pk}:{today.isoformat()}")


def _campaign_counter(slug: str, kind: str) -> HttpResponse:
    language = site.current_language()
    record = public_items.live_campaign(slug, language)
    if record is None:
        raise Http404()
    return _counter_answer(sharing.campaign_counter(record, language), language, kind,
                           f"campaign:{record.pk}:{timezone.localdate().isoformat()}")


@xframe_options_exempt
@require_safe
def counter(request: HttpRequest, slug: str, subject: str, kind: str) -> HttpResponse:
    """A prisoner's or a campaign's counter for partner sites: the framed page ("html"), "svg" or "png".

    ``subject`` and ``kind`` come from the route (public_urls), never from the visitor.
    """
    if subject == "profile":
        return _profile_counter(slug, kind)
    return _campaign_counter(slug, kind)


@require_safe
def photo(request: HttpRequest, slug: str) -> HttpResponse:
    """The portrait on a profile: only for a live profile, only with photo consent, small and metadata-free."""
    record = public.live_profile(slug, site.current_language())
    data = public.photo_bytes(record) if record is not None else None
    if data is None:
        raise Http404()
    response = HttpResponse(data, content_type="image/jpeg")
    response["Cache-Control"] = CACHE_CONTROL
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- stories, series, campaigns, resources, videos, feeds and the sitemap (issue 6, decision 0017) ---


def _binary(data: bytes, content_type: str, *, attachment: str = "") -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Cache-Control"] = CACHE_CONTROL
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = f'attachment; filename="{attachment}"' if attachment else "inline"
    return response


@require_safe
def story(request: HttpRequest, slug: str) -> HttpResponse:
    language = site.current_language()
    record = public_items.live_story(slug, language)
    view = public_items.story_view(record, language) if record is not None else None
    if record is None or view is None:
        raise Http404()
    if view["has_profile"]:
        view["profile_href"] = site.url("public:profile", language, slug=view["person_slug"])
    if view["has_photo"]:
        view["photo_url"] = site.url("public:story_photo", language, slug=slug)
        view["photo"] = _sizes(public.photo_sizes(record.person), "public:story_photo_sized", language, slug,
                               view["photo_url"])
    if view["series"]:
        view["series"]["href"] = site.url("public:series", language, slug=view["series"]["slug"])
    card = site.Card(title=f"{view['title']} · {site.SITE_NAME}", description=view["excerpt"], kind="article")
    return site.render_page("publishing/public/story.html", language, {"s": view}, available=public_items.sisters(record),
                            route="public:story", kwargs={"slug": slug}, card=card)


@require_safe
def story_photo(request: HttpRequest, slug: str) -> HttpResponse:
    """The portrait beside a family story: only while the story is live, chosen and the photo consent stands."""
    language = site.current_language()
    record = public_items.live_story(slug, language)
    view = public_items.story_view(record, language) if record is not None else None
    data = None
    if record is not None and view is not None and view["has_photo"]:
        data = public.person_photo_bytes(record.person)
    if data is None:
        raise Http404()
    return _binary(data, "image/jpeg")


@require_safe
def story_photo_sized(request: HttpRequest, slug: str, width: int) -> HttpResponse:
    language = site.current_language()
    record = public_items.live_story(slug, language)
    view = public_items.story_view(record, language) if record is not None else None
    data = None
    if record is not None and view is not None and view["has_photo"]:
        data = public.person_photo_bytes(record.person, width=width)
    if data is None:
        raise Http404()
    return _image(data, "image/jpeg")


@require_safe
def series(request: HttpRequest, slug: str) -> HttpResponse:
    language = site.current_language()
    view = public_items.series_view(slug, language)
    if view is None:
        raise Http404()
    for row in view["stories"]:
        row["href"] = site.url("public:story", language, slug=row["slug"])
    available = public_items.series_languages(view.pop("series"))
    card = site.Card(title=f"{view['hashtag']} · {site.SITE_NAME}", description=view["stories"][0]["excerpt"])
    return site.render_page("publishing/public/series.html", language, view, available=available, route="public:series",
                            kwargs={"slug": slug}, card=card)


@require_safe
def stories(request: HttpRequest) -> HttpResponse:
    language = site.current_language()
    rows = []
    for record in public_items.live_stories(language)[:200]:
        view = public_items.story_view(record, language)
        if view is not None:
            view["href"] = site.url("public:story", language, slug=view["slug"])
            rows.append(view)
    return site.render_page("publishing/public/stories.html", language, {"stories": rows,
                            "feed": site.url("public:story_feed", language)}, route="public:stories",
                            card=_title(language, _("Family stories")))


@require_safe
def campaign(request: HttpRequest, slug: str) -> HttpResponse:
    language = site.current_language()
    record = public_items.live_campaign(slug, language)
    if record is None:
        raise Http404()
    page_url = settings.SITE_URL + site.url("public:campaign", language, slug=slug)
    view = public_items.campaign_view(record, language, page_url)
    view["cards"] = [_card_link(card, language) for card in view["cards"]]
    view["image"] = site.url("public:campaign_image", language, slug=slug)
    view["embed"] = sharing.embed_snippets(language, "public:campaign", slug,
                                           sharing.campaign_counter(record, language))
    view["posting"] = posting_times.kit(list(record.audience_timezones or []), language, timezone.localdate())
    with translation.override(language):
        alt = _("Share image: %(title)s %(hashtag)s") % {"title": view["title"], "hashtag": view["hashtag"]}
    card = site.Card(title=f"{view['title']} {view['hashtag']}", description=" ".join(view["summary"][:1]),
                     image=view["image"], image_alt=alt)
    return site.render_page("publishing/public/campaign.html", language, {"c": view, "page_url": page_url},
                            available=public_items.sisters(record), route="public:campaign", kwargs={"slug": slug},
                            card=card)


@require_safe
def campaign_image(request: HttpRequest, slug: str) -> HttpResponse:
    language = site.current_language()
    record = public_items.live_campaign(slug, language)
    if record is None:
        raise Http404()
    return _image(public_items.share_png(record, language), "image/png")


@require_safe
def campaigns(request: HttpRequest) -> HttpResponse:
    language = site.current_language()
    rows = [{"title": c.title, "hashtag": c.hashtag, "href": site.url("public:campaign", language, slug=c.slug)}
            for c in public_items.live_campaigns(language)[:200]]
    return site.render_page("publishing/public/campaigns.html", language, {"campaigns": rows,
                            "feed": site.url("public:campaign_feed", language)}, route="public:campaigns",
                            card=_title(language, _("Campaigns")))


@require_safe
def resources(request: HttpRequest) -> HttpResponse:
    language = site.current_language()
    groups: dict[str, list[dict[str, Any]]] = {}
    for record in public_items.live_resources(language)[:500]:
        view = public_items.resource_view(record, language)
        view["href"] = site.url("public:resource", language, slug=record.slug)
        groups.setdefault(view["kind"], []).append(view)
    return site.render_page("publishing/public/resources.html", language, {"groups": groups}, route="public:resources",
                            card=_title(language, _("Resources")))


@require_safe
def resource(request: HttpRequest, slug: str) -> HttpResponse:
    language = site.current_language()
    record = public_items.live_resource(slug, language)
    if record is None:
        raise Http404()
    view = public_items.resource_view(record, language)
    if view["has_file"]:
        view["file_href"] = site.url("public:resource_file", language, slug=slug)
    card = site.Card(title=f"{view['title']} · {site.SITE_NAME}", description=" ".join(view["summary"][:1]),
                     kind="article")
    return site.render_page("publishing/public/resource.html", language, {"r": view}, available=public_items.sisters(record),
                            route="public:resource", kwargs={"slug": slug}, card=card)


@require_safe
def resource_file(request: HttpRequest, slug: str) -> HttpResponseBase:
    """A download as an attachment (never shown in the page's origin), an infographic inline as a PNG."""
    record = public_items.live_resource(slug, site.current_language())
    if record is None or not record.file:
        raise Http404()
    from django.http import FileResponse

    inline = record.kind == "infographic"
    response = FileResponse(record.file.open("rb"), content_type=record.file_type, as_attachment=not inline,
                            filename=f"{record.slug}.{record.file_extension}")
    response["Cache-Control"] = CACHE_CONTROL
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_safe
def videos(request: HttpRequest) -> HttpResponse:
    language = site.current_language()
    rows = [{"title": v.title, "href": site.url("public:video", language, slug=v.slug)}
            for v in public_items.live_videos(language)[:200]]
    return site.render_page("publishing/public/videos.html", language, {"videos": rows}, route="public:videos",
                            card=_title(language, _("Video stories")))


@require_safe
def video(request: HttpRequest, slug: str) -> HttpResponse:
    language = site.current_language()
    record = public_items.live_video(slug, language)
    if record is None or not record.file:
        raise Http404()
    view = public_items.video_view(record, language)
    view["src"] = site.url("public:video_file", language, slug=slug)
    for caption in view["captions"]:
        caption["src"] = site.url("public:video_captions", language, slug=slug, caption=caption["language"])
    card = site.Card(title=f"{view['title']} · {site.SITE_NAME}", description=" ".join(view["description"][:1]))
    return site.render_page("publishing/public/video.html", language, {"v": view}, available=public_items.sisters(record),
                            route="public:video", kwargs={"slug": slug}, card=card)


@require_safe
def video_file(request: HttpRequest, slug: str) -> HttpResponseBase:
    record = public_items.live_video(slug, site.current_language())
    if record is None or not record.file:
        raise Http404()
    from django.http import FileResponse

    # Served as uploaded, under a name of ours; only while the video is live.
    response = FileResponse(record.file.open("rb"), content_type=record.file_type)
    response["Cache-Control"] = CACHE_CONTROL
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Content-Disposition"] = "inline"
    return response


@require_safe
def video_captions(request: HttpRequest, slug: str, caption: str) -> HttpResponse:
    record = public_items.live_video(slug, site.current_language())
    row = record.captions.filter(language=caption).first() if record is not None else None
    if row is None:
        raise Http404()
    text = str(project(row, PUBLIC, ["vtt"]).get("vtt", ""))
    if not text:
        raise Http404()
    return _binary(text.encode(), "text/vtt; charset=utf-8")


def _feed(language: str, title: str, route: str, entries: list[dict[str, Any]], **kwargs: Any) -> HttpResponse:
    from django.utils.feedgenerator import Atom1Feed

    link = settings.SITE_URL + site.url(route, language, **kwargs)
    feed = Atom1Feed(title=title, link=link, description="", language=language, feed_url=link,
                     feed_guid=f"{link}#feed")
    for entry in entries:
        feed.add_item(title=entry["title"], link=entry["link"], description=entry["summary"],
                      unique_id=entry["id"], pubdate=entry["when"], updateddate=entry["when"])
    response = HttpResponse(feed.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8")
    response["Cache-Control"] = CACHE_CONTROL
    # The same for every reader and purged with the pages (decision 0022): a hit makes no query.
    setattr(response, CACHEABLE_ATTR, True)
    return response


def _entry_rows(found: list[feeds.Entry]) -> list[dict[str, Any]]:
    return [{"title": e.title, "summary": e.summary, "link": e.link, "id": e.id, "when": e.when} for e in found]


def _story_entries(language: str, records: Any) -> list[feeds.Entry]:
    out = []
    for record in records:
        view = public_items.story_view(record, language)
        if view is not None:
            out.append(feeds.Entry(title=view["title"], summary=view["excerpt"], id=f"urn:uuid:{record.uuid}",
                                   link=feeds.absolute(site.url("public:story", language, slug=record.slug)),
                                   when=record.publish_at))
    return out


def _profile_entry(profile_row: Any, card: public.Card, language: str) -> feeds.Entry:
    with translation.override(language):
        title = _("Profile: %(name)s") % {"name": card.name}
    return feeds.Entry(title=title, summary="", id=f"urn:uuid:{profile_row.translation_key}:{language}",
                       link=feeds.absolute(site.url("public:profile", language, slug=card.slug)),
                       when=profile_row.publish_at)


@require_safe
def prisoner_feed(request: HttpRequest, slug: str) -> HttpResponse:
    """One prisoner's news: their profile, family stories about them and what other apps add (urgent actions)."""
    language = site.current_language()
    record = public.live_profile(slug, language)
    card = public.card_for(record.person, language) if record is not None else None
    if record is None or card is None:
        raise Http404()
    own = [_profile_entry(record, card, language),
           *_story_entries(language, public_items.live_stories(language).filter(person=record.person)[:50])]
    found = feeds.entries(language, feeds.Scope(person=record.person), own)
    return _feed(language, f"{card.name} · Unforgotten", "public:prisoner_feed", _entry_rows(found), slug=slug)


@require_safe
def country_feed(request: HttpRequest, code: str) -> HttpResponse:
    """A country's news: profiles of people held there, family stories about them and other apps' entries."""
    language = site.current_language()
    context = public.country_page(code, language, timezone.localdate())
    if context is None:
        raise Http404()
    rows = public.cards(language, country_code=code)
    own = [_profile_entry(profile_row, card, language) for profile_row, card in rows]
    people = [profile_row.person_id for profile_row, _card in rows]
    own += _story_entries(language, public_items.live_stories(language).filter(person_id__in=people)[:50])
    found = feeds.entries(language, feeds.Scope(country=code.upper()), own)
    return _feed(language, f"{context['country']} · Unforgotten", "public:country_feed", _entry_rows(found),
                 code=code)


@require_safe
def urgent_feed(request: HttpRequest) -> HttpResponse:
    """The urgent actions, from whichever app provides them (alerts)."""
    language = site.current_language()
    found = feeds.entries(language, feeds.Scope(urgent=True), [])
    with translation.override(language):
        title = _("Urgent actions") + " · Unforgotten"
    return _feed(language, title, "public:urgent_feed", _entry_rows(found))


@require_safe
def story_feed(request: HttpRequest) -> HttpResponse:
    language = site.current_language()
    entries = []
    for record in public_items.live_stories(language)[:50]:
        view = public_items.story_view(record, language)
        if view is not None:
            entries.append({"title": view["title"], "summary": view["excerpt"], "id": f"urn:uuid:{record.uuid}",
                            "link": settings.SITE_URL + site.url("public:story", language, slug=record.slug),
                            "when": record.publish_at})
    with translation.override(language):
        title = _("Family stories") + " · Unforgotten"
    return _feed(language, title, "public:story_feed", entries)


@require_safe
def campaign_feed(request: HttpRequest) -> HttpResponse:
    language = site.current_language()
    entries = []
    for record in public_items.live_campaigns(language)[:50]:
        shown = project(record, PUBLIC, ["title", "hashtag", "summary"])
        entries.append({"title": f"{shown['title']} {shown['hashtag']}", "id": f"urn:uuid:{record.uuid}",
                        "summary": (public_items.paragraphs(shown.get("summary", "")) or [""])[0][:300],
                        "link": settings.SITE_URL + site.url("public:campaign", language, slug=record.slug),
                        "when": record.publish_at})
    with translation.override(language):
        title = _("Campaigns") + " · Unforgotten"
    return _feed(language, title, "public:campaign_feed", entries)


def _sitemap_groups() -> list[tuple[str, dict[str, Any], list[str]]]:
    """Every public page as (route, kwargs, languages it exists in): the same page in each language is one group."""
    from collections import defaultdict

    from django.urls import NoReverseMatch

    from unforgotten.publishing.models import Campaign, Resource, StorySeries, Video

    everywhere = [code for code, _name in settings.LANGUAGES]
    groups: list[tuple[str, dict[str, Any], list[str]]] = [
        (route, {}, everywhere) for route in ("public:home", "public:stories", "public:campaigns",
                                              "public:resources", "public:videos")]
    try:
        site.url("stats_public:today", "en")  # stats (issue 9): the public statistics, in every language
        groups.append(("stats_public:today", {}, everywhere))
    except NoReverseMatch:
        pass
    countries: dict[str, list[str]] = defaultdict(list)
    profiles: dict[Any, tuple[str, list[str]]] = {}
    for code in everywhere:
        for profile_row, card in public.cards(code):
            if card.country_code and code not in countries[card.country_code]:
                countries[card.country_code].append(code)
            profiles.setdefault(profile_row.translation_key, (card.slug, []))[1].append(code)
    groups += [("public:country", {"code": c}, langs) for c, langs in sorted(countries.items())]
    groups += [("public:profile", {"slug": slug}, langs) for slug, langs in profiles.values()]
    stories_by_key: dict[Any, tuple[str, list[str]]] = {}
    for code in everywhere:
        for record in public_items.live_stories(code):
            if public_items.story_view(record, code) is not None:
                stories_by_key.setdefault(record.translation_key, (record.slug, []))[1].append(code)
    groups += [("public:story", {"slug": slug}, langs) for slug, langs in stories_by_key.values()]
    for series_row in StorySeries.objects.order_by("slug"):
        langs = public_items.series_languages(series_row)
        if langs:
            groups.append(("public:series", {"slug": series_row.slug}, langs))
    for model, route in ((Campaign, "public:campaign"), (Resource, "public:resource"), (Video, "public:video")):
        keyed: dict[Any, tuple[str, list[str]]] = {}
        for item in model.objects.live().order_by("pk").only("translation_key", "slug", "language"):
            keyed.setdefault(item.translation_key, (item.slug, []))[1].append(item.language)
        groups += [(route, {"slug": slug}, langs) for slug, langs in keyed.values()]
    return groups


@require_safe
def sitemap(request: HttpRequest) -> HttpResponse:
    """sitemap.xml: every public page in every language it exists in, each with its hreflang alternates."""
    from xml.sax.saxutils import quoteattr

    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    for route, kwargs, languages in _sitemap_groups():
        hrefs = {code: settings.SITE_URL + site.url(route, code, **kwargs) for code in languages}
        alternates = "".join(f'<xhtml:link rel="alternate" hreflang="{code}" href={quoteattr(href)}/>'
                             for code, href in hrefs.items())
        if "en" in hrefs:
            alternates += f'<xhtml:link rel="alternate" hreflang="x-default" href={quoteattr(hrefs["en"])}/>'
        for href in hrefs.values():
            lines.append(f"<url><loc>{escape(href)}</loc>{alternates}</url>")
    lines.append("</urlset>")
    response = HttpResponse("\n".join(lines) + "\n", content_type="application/xml; charset=utf-8")
    response["Cache-Control"] = CACHE_CONTROL
    setattr(response, CACHEABLE_ATTR, True)  # stored with the pages, purged with them (decision 0022)
    return response

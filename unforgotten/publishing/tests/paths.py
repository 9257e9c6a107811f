"""Every public page type, as paths to visit: the canary test and the browser (axe) test both walk this list.

``test_coverage.py`` resolves every path back to its route and fails when a
public route (one under the language prefix, or the site root and sitemap) is
missing here — so a new page type cannot land without being checked for leaks
and for accessibility.
"""

from __future__ import annotations

from typing import Any

# Routes that answer something other than an HTML page: the canary test reads them; axe has nothing to read.
NOT_HTML = frozenset({"public:photo", "public:story_photo", "public:campaign_image", "public:resource_file",
                      "public:video_file", "public:video_captions", "public:story_feed", "public:campaign_feed",
                      "public:prisoner_feed", "public:country_feed", "public:urgent_feed", "sitemap",
                      # decision 0028: share images, portraits in several widths, counters as images
                      "public:site_image", "public:profile_image", "public:photo_sized", "public:story_photo_sized",
                      "public:profile_counter_svg", "public:profile_counter_png", "public:campaign_counter_svg",
                      "public:campaign_counter_png"})
# HTML pages made to be framed by other sites (decision 0028): no site navigation, no language switcher.
EMBEDS = frozenset({"public:profile_counter", "public:campaign_counter"})


def sample_site(cast: Any) -> dict[str, Any]:
    """Org A's sample person published in English and Arabic, with one live item of every kind."""
    from unforgotten.publishing import actions, demo
    from unforgotten.publishing.models import Campaign, Resource, Story, Video
    from unforgotten.registry.testing import make_sample

    sample = make_sample(cast)
    for language, story in (("en", "Musician and campaigner.\n\nShe tore up her passport at the border."),
                            ("ar", "موسيقية وناشطة.\n\nمزّقت جواز سفرها على الحدود.")):
        profile = actions.do_create_profile(person=sample.person_a, language=language, data={"story": story},
                                            acting_user=cast.amal)
        actions.do_submit_for_review(profile=profile, acting_user=cast.amal)
        actions.do_approve(profile=profile, acting_user=cast.bilal)
    items = demo.sample_items(cast.org_a, sample.person_a, author=cast.amal, reviewer=cast.bilal)
    # Arabic translations of the story, the campaign and the video, each reviewed on its own.
    for model, key, data in ((Story, "story", {"title": "الكرسي الفارغ", "body": "كل مساء تضع أمها أربعة صحون."}),
                             (Campaign, "campaign", {"title": "أطلقوا سراحهم"}),
                             (Video, "video", {"title": "رسالة إلى البيت"}),
                             (Resource, "resource", {"title": "كيف تكتب إلى سجين"})):
        sister = actions.do_create_item(model=model, organisation=cast.org_a, language="ar",
                                        translation_of=items[key], data=data, acting_user=cast.amal)
        if model is Video:
            from django.core.files.uploadedfile import SimpleUploadedFile

            sister = actions.do_attach_file(item=sister, upload=SimpleUploadedFile("v.mp4", demo.TINY_MP4),
                                            acting_user=cast.amal)
            actions.do_set_captions(video=sister, language="ar", vtt="WEBVTT\n\n00:00.000 --> 00:02.000\nأبي.\n",
                                    acting_user=cast.amal)
            sister = Video.objects.get(pk=sister.pk)
        if model is Resource:
            from django.core.files.uploadedfile import SimpleUploadedFile

            sister = actions.do_attach_file(item=sister, upload=SimpleUploadedFile("i.png", demo.sample_png()),
                                            acting_user=cast.amal)
        if model is Story:
            sister = actions.do_update_item(item=sister, data={"publish_at": items["story"].publish_at},
                                            acting_user=cast.amal)
        actions.do_submit_item(item=sister, acting_user=cast.amal)
        actions.do_approve_item(item=sister, acting_user=cast.bilal)
    return {"sample": sample, **items}


def public_paths(site: dict[str, Any], language: str) -> list[tuple[str, str]]:
    """(route name, path) of every public page type in ``language``."""
    person = site["sample"].person_a.slug
    story, series, campaign = site["story"].slug, site["series"].slug, site["campaign"].slug
    resource, video = site["resource"].slug, site["video"].slug
    prefix = f"/{language}"
    return [
        ("landing", "/"),
        ("sitemap", "/sitemap.xml"),
        ("public:home", f"{prefix}/"),
        ("public:profile", f"{prefix}/prisoners/{person}/"),
        ("public:photo", f"{prefix}/prisoners/{person}/photo.jpg"),
        ("public:photo_sized", f"{prefix}/prisoners/{person}/photo-320.jpg"),
        ("public:profile_image", f"{prefix}/prisoners/{person}/share.png"),
        ("public:profile_counter", f"{prefix}/prisoners/{person}/counter/"),
        ("public:profile_counter_svg", f"{prefix}/prisoners/{person}/counter.svg"),
        ("public:profile_counter_png", f"{prefix}/prisoners/{person}/counter.png"),
        ("public:site_image", f"{prefix}/share.png"),
        ("public:country", f"{prefix}/countries/by/"),
        ("public:stories", f"{prefix}/stories/"),
        ("public:story", f"{prefix}/stories/{story}/"),
        ("public:story_photo", f"{prefix}/stories/{story}/photo.jpg"),
        ("public:story_photo_sized", f"{prefix}/stories/{story}/photo-320.jpg"),
        ("public:series", f"{prefix}/series/{series}/"),
        ("public:campaigns", f"{prefix}/campaigns/"),
        ("public:campaign", f"{prefix}/campaigns/{campaign}/"),
        ("public:campaign_image", f"{prefix}/campaigns/{campaign}/share.png"),
        ("public:campaign_counter", f"{prefix}/campaigns/{campaign}/counter/"),
        ("public:campaign_counter_svg", f"{prefix}/campaigns/{campaign}/counter.svg"),
        ("public:campaign_counter_png", f"{prefix}/campaigns/{campaign}/counter.png"),
        ("public:resources", f"{prefix}/resources/"),
        ("public:resource", f"{prefix}/resources/{resource}/"),
        ("public:resource_file", f"{prefix}/resources/{resource}/file"),
        ("public:videos", f"{prefix}/videos/"),
        ("public:video", f"{prefix}/videos/{video}/"),
        ("public:video_file", f"{prefix}/videos/{video}/video"),
        ("public:video_captions", f"{prefix}/videos/{video}/captions/{language}.vtt"),
        ("public:story_feed", f"{prefix}/feeds/stories.atom"),
        ("public:campaign_feed", f"{prefix}/feeds/campaigns.atom"),
        ("public:prisoner_feed", f"{prefix}/prisoners/{person}/feed.atom"),
        ("public:country_feed", f"{prefix}/countries/by/feed.atom"),
        ("public:urgent_feed", f"{prefix}/feeds/urgent.atom"),
    ]

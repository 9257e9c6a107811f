"""Issue 6 item 5 (decision 0028): Open Graph and Twitter cards, share images of profiles and of the site, and the
counters partner sites embed (the only routes another site may frame)."""

from __future__ import annotations

import io
import re
from html import unescape
from typing import Any
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from unforgotten.publishing import actions, cache, sharing
from unforgotten.publishing.models import Campaign, PublicProfile
from unforgotten.publishing.tests.conftest import publish, publish_item
from unforgotten.publishing.tests.paths import EMBEDS, NOT_HTML, public_paths, sample_site
from unforgotten.registry import actions as registry_actions
from unforgotten.registry.testing import make_sample

META = re.compile(r'<meta (?:property|name)="((?:og|twitter):[a-z:_]+)" content="([^"]*)">')
REQUIRED = ("og:title", "og:description", "og:url", "og:type", "og:locale", "og:site_name", "og:image",
            "og:image:width", "og:image:height", "og:image:alt", "twitter:card", "twitter:title",
            "twitter:description", "twitter:image", "twitter:image:alt")


def _meta(html: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for key, value in META.findall(html):
        found.setdefault(key, []).append(unescape(value))
    return found


def _one(meta: dict[str, list[str]], key: str) -> str:
    assert len(meta.get(key, [])) == 1, (key, meta.get(key))
    return meta[key][0]


@pytest.mark.django_db
def test_it_gives_every_public_page_type_a_complete_card_with_absolute_addresses(cast: Any) -> None:
    site = sample_site(cast)
    checked = 0
    for language, locale in (("en", "en_GB"), ("ar", "ar_AR")):
        for name, path in public_paths(site, language):
            if name in NOT_HTML or name in EMBEDS or name == "landing":
                continue
            response = Client().get(path)
            assert response.status_code == 200, path
            meta = _meta(response.content.decode())
            for key in REQUIRED:
                assert _one(meta, key), (path, key)
            assert _one(meta, "og:url") == settings.SITE_URL + path, path
            assert _one(meta, "og:locale") == locale
            assert _one(meta, "og:site_name") == "Unforgotten"
            assert _one(meta, "twitter:card") == "summary_large_image"
            image = _one(meta, "og:image")
            assert image == _one(meta, "twitter:image") and image.startswith(settings.SITE_URL + f"/{language}/")
            assert image.endswith("/share.png"), (path, image)  # a generated card, never a portrait
            assert (_one(meta, "og:image:width"), _one(meta, "og:image:height")) == ("1200", "630")
            # The image each card names exists (and is a PNG).
            picture = Client().get(image.removeprefix(settings.SITE_URL))
            assert picture.status_code == 200 and picture.content.startswith(b"\x89PNG"), image
            checked += 1
    assert checked >= 22
    person = site["sample"].person_a.slug
    profile = _meta(Client().get(f"/en/prisoners/{person}/").content.decode())
    assert _one(profile, "og:type") == "profile"
    assert _one(profile, "og:image") == f"{settings.SITE_URL}/en/prisoners/{person}/share.png"
    assert "days behind bars" in _one(profile, "og:description")
    assert profile["og:locale:alternate"] == ["ar_AR"]  # the profile exists in English and Arabic only
    campaign = _meta(Client().get("/ar/campaigns/set-them-free/").content.decode())
    assert _one(campaign, "og:title").startswith("أطلقوا سراحهم")
    assert _one(campaign, "og:image").endswith("/ar/campaigns/set-them-free/share.png")
    home = _meta(Client().get("/fa/").content.decode())
    assert _one(home, "og:image") == f"{settings.SITE_URL}/fa/share.png" and _one(home, "og:locale") == "fa_IR"
    assert len(home["og:locale:alternate"]) == 6


@pytest.mark.django_db
def test_it_gives_the_statistics_and_petition_pages_a_card_too(cast: Any) -> None:
    meta = _meta(Client().get("/es/statistics/").content.decode())
    assert _one(meta, "og:url") == f"{settings.SITE_URL}/es/statistics/"
    assert _one(meta, "og:title") == "Estadísticas · Unforgotten" and _one(meta, "og:locale") == "es_ES"
    from unforgotten.actions.testing import make_petition_sample

    petition = make_petition_sample(cast).petition
    meta = _meta(Client().get(f"/en/petitions/{petition.slug}/").content.decode())
    assert _one(meta, "og:url") == f"{settings.SITE_URL}/en/petitions/{petition.slug}/"
    assert _one(meta, "twitter:card") == "summary_large_image"


def _profile_site(cast: Any, *, campaign: bool = True) -> Any:
    sample = make_sample(cast)
    publish(sample.person_a, "en", "She tore up her passport.", author=cast.amal, reviewer=cast.bilal)
    publish(sample.person_a, "ar", "مزّقت جواز سفرها.", author=cast.amal, reviewer=cast.bilal)
    if campaign:
        for language, title in (("en", "Set them free"), ("ar", "أطلقوا سراحهم")):
            item = actions.do_create_item(model=Campaign, organisation=cast.org_a, language=language, data={
                "slug": "set-them-free", "title": title, "hashtag": "SetThemFree", "people": [sample.person_a],
                "audience_timezones": ["Europe/Minsk"]}, acting_user=cast.amal)
            publish_item(item, author=cast.amal, reviewer=cast.bilal)
    return sample


@pytest.mark.django_db
def test_it_renders_a_profile_share_image_with_both_scripts_an_honest_counter_and_the_hashtag(cast: Any) -> None:
    from PIL import Image

    sample = _profile_site(cast)
    profile = sample.person_a.public_profiles.get(language="ar")
    text = sharing.profile_image_text(profile, "ar", timezone.localdate())
    assert text is not None
    assert text["title"] == "Maryia Kalesnikava" and text["names"] == ["Марыя Калеснікава"]
    assert text["hashtag"] == "#SetThemFree"
    # The start is known to the month only: "at least", in the image's language, the profile's own words.
    page = Client().get(f"/ar/prisoners/{sample.person_a.slug}/").content.decode()
    assert text["count"] and text["count"] in page and "ما لا يقل عن" in text["count"]
    response = Client().get(f"/ar/prisoners/{sample.person_a.slug}/share.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    with Image.open(io.BytesIO(response.content)) as image:
        assert image.size == (1200, 630) and set(image.info) <= {"dpi", "gamma"}
    for chunk in (b"tEXt", b"iTXt", b"zTXt", b"eXIf"):
        assert chunk not in response.content
    assert Client().get(f"/ar/prisoners/{sample.person_a.slug}/share.png")["X-Public-Cache"] == "hit"
    # The name consent withdrawn: the image is gone with every stored page.
    consent = sample.person_a.consents.get(scope="name")
    registry_actions.do_withdraw_consent(consent=consent, withdrawn_on=timezone.localdate(), acting_user=cast.dana)
    assert cache.stored_files() == []
    assert Client().get(f"/ar/prisoners/{sample.person_a.slug}/share.png").status_code == 404
    fresh = PublicProfile.objects.get(pk=profile.pk)  # not through sample.person_a, whose consents are cached
    assert sharing.profile_image_text(fresh, "ar", timezone.localdate()) is None


@pytest.mark.django_db
def test_it_leaves_the_hashtag_off_a_profile_in_no_campaign_and_says_status_without_a_start(cast: Any) -> None:
    sample = _profile_site(cast, campaign=False)
    profile = sample.person_a.public_profiles.get(language="en")
    text = sharing.profile_image_text(profile, "en", timezone.localdate())
    assert text is not None and text["hashtag"] == "" and "At least" in text["count"]
    assert sharing.profile_counter({"detention": None, "status": "Imprisoned"}) == "Imprisoned"


@pytest.mark.django_db
def test_it_lets_only_the_counters_be_framed_by_other_sites(cast: Any) -> None:
    sample = _profile_site(cast)
    slug = sample.person_a.slug
    embeds = [f"/en/prisoners/{slug}/counter/", f"/en/prisoners/{slug}/counter.svg",
              f"/en/prisoners/{slug}/counter.png", "/en/campaigns/set-them-free/counter/",
              "/en/campaigns/set-them-free/counter.svg", "/en/campaigns/set-them-free/counter.png"]
    for _round in ("miss", "hit"):
        for path in embeds:
            response = Client().get(path)
            assert response.status_code == 200, path
            assert "X-Frame-Options" not in response, path
            policy = response["Content-Security-Policy"]
            assert "frame-ancestors *" in policy and "default-src 'none'" in policy, path
            assert "script-src" not in policy and "'unsafe-inline'" not in policy
    for path in ("/en/", f"/en/prisoners/{slug}/", "/en/campaigns/set-them-free/", f"/en/prisoners/{slug}/share.png",
                 "/en/statistics/", "/work/"):
        response = Client().get(path)
        assert response.get("X-Frame-Options") == "DENY", path
        assert "frame-ancestors *" not in response.get("Content-Security-Policy", ""), path


@pytest.mark.django_db
def test_it_serves_a_framed_counter_with_no_script_no_foreign_request_and_links_to_the_top(cast: Any) -> None:
    sample = _profile_site(cast)
    slug = sample.person_a.slug
    html = Client().get(f"/ar/prisoners/{slug}/counter/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "ما لا يقل عن" in html and "Maryia Kalesnikava" in html and "#SetThemFree" in html
    assert f'href="{settings.SITE_URL}/ar/prisoners/{slug}/" target="_top"' in html
    assert "<script" not in html and "<img" not in html and "<link" not in html
    assert not re.search(r'src="', html)
    # The inline style is exactly the one the policy's hash allows.
    style = re.search(r"<style>(.*?)</style>", html, re.S)
    assert style is not None and style.group(1) == sharing.COUNTER_CSS
    assert len(html.encode()) < 3_000
    campaign = Client().get("/en/campaigns/set-them-free/counter/").content.decode()
    assert "1 person still held" in campaign and "Set them free" in campaign
    fr = Client().get("/fr/campaigns/set-them-free/counter/")
    assert fr.status_code == 404  # no French campaign: no French counter


@pytest.mark.django_db
def test_it_draws_the_counter_images_in_the_language_of_the_address(cast: Any) -> None:
    from PIL import Image

    sample = _profile_site(cast)
    svg = Client().get(f"/ar/prisoners/{sample.person_a.slug}/counter.svg")
    assert svg["Content-Type"] == "image/svg+xml"
    root = ElementTree.fromstring(svg.content)  # noqa: S314  (our own answer: checks it is well-formed XML)
    texts = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "ما لا يقل عن" in texts and "Maryia Kalesnikava" in texts
    assert root.get("direction") == "rtl" and b"<script" not in svg.content and b"href" not in svg.content
    png = Client().get("/en/campaigns/set-them-free/counter.png")
    with Image.open(io.BytesIO(png.content)) as image:
        assert image.size == (sharing.COUNTER_WIDTH, sharing.COUNTER_HEIGHT) and set(image.info) <= {"dpi", "gamma"}


@pytest.mark.django_db
def test_it_answers_a_stored_counter_with_no_query_and_purges_it_on_unpublish(cast: Any,
                                                                              django_assert_num_queries: Any) -> None:
    sample = _profile_site(cast)
    slug = sample.person_a.slug
    paths = [f"/en/prisoners/{slug}/counter/", f"/en/prisoners/{slug}/counter.svg", f"/en/prisoners/{slug}/counter.png",
             "/en/campaigns/set-them-free/counter/", "/en/campaigns/set-them-free/counter.svg"]
    for path in paths:
        assert Client().get(path)["X-Public-Cache"] == "miss"
    with django_assert_num_queries(0):
        for path in paths:
            assert Client().get(path)["X-Public-Cache"] == "hit", path
    campaign = Campaign.objects.get(language="en", slug="set-them-free")
    actions.do_unpublish_item(item=campaign, acting_user=cast.amal)
    assert Client().get("/en/campaigns/set-them-free/counter/").status_code == 404
    assert Client().get("/en/campaigns/set-them-free/counter.svg").status_code == 404
    profile = sample.person_a.public_profiles.get(language="en")
    actions.do_unpublish(profile=profile, acting_user=cast.amal)
    for path in paths[:3]:
        assert Client().get(path).status_code == 404, path


@pytest.mark.django_db
def test_it_drops_a_stored_counter_when_the_name_consent_is_withdrawn(cast: Any) -> None:
    sample = _profile_site(cast)
    path = f"/en/prisoners/{sample.person_a.slug}/counter.svg"
    assert b"Maryia" in Client().get(path).content
    assert Client().get(path)["X-Public-Cache"] == "hit"
    consent = sample.person_a.consents.get(scope="name")
    registry_actions.do_withdraw_consent(consent=consent, withdrawn_on=timezone.localdate(), acting_user=cast.dana)
    response = Client().get(path)
    assert response.status_code == 404 and b"Maryia" not in response.content
    assert b"Maryia" not in Client().get("/en/campaigns/set-them-free/counter/").content


@pytest.mark.django_db
def test_it_shows_copy_paste_embed_snippets_and_posting_windows_in_the_share_kit(cast: Any) -> None:
    _profile_site(cast)
    html = Client().get("/en/campaigns/set-them-free/").content.decode()
    base = f"{settings.SITE_URL}/en/campaigns/set-them-free/"
    # Shown as code to copy: escaped, never a live frame on our own page.
    assert f"&lt;iframe src=&quot;{base}counter/&quot;" in html and "<iframe" not in html
    assert f"&lt;img src=&quot;{base}counter.svg&quot;" in html
    assert "Europe/Minsk" in html and "UTC" in html and "Telegram" in html


@pytest.mark.django_db
def test_it_escapes_markup_in_a_name_in_cards_images_and_snippets(cast: Any) -> None:
    _profile_site(cast)
    item = Campaign.objects.get(language="en")
    actions.do_unpublish_item(item=item, acting_user=cast.amal)
    actions.do_update_item(item=item, data={"title": 'Free <script>them</script> "now"'}, acting_user=cast.amal)
    publish_item(item, author=cast.amal, reviewer=cast.bilal)
    html = Client().get("/en/campaigns/set-them-free/").content.decode()
    assert "<script>them" not in html
    assert "&amp;lt;script&amp;gt;" in html  # inside the snippet: escaped for the partner page, then for ours
    svg = Client().get("/en/campaigns/set-them-free/counter.svg").content
    ElementTree.fromstring(svg)  # noqa: S314  (our own answer, still well-formed)
    assert b"<script>" not in svg


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "events", "statistics"), [
    ("en", "Events", "Statistics"), ("ar", "الفعاليات", "إحصاءات"), ("fa", "رویدادها", "آمار"),
    ("ru", "Мероприятия", "Статистика"), ("es", "Eventos", "Estadísticas"), ("fr", "Événements", "Statistiques"),
    ("zh-hans", "活动", "统计"),
])
def test_it_links_every_public_section_from_the_navigation(cast: Any, language: str, events: str,
                                                           statistics: str) -> None:
    # Issue 6: events and statistics were reachable only from a home-page block; now from every page's navigation.
    html = Client().get(f"/{language}/campaigns/").content.decode()
    nav = re.search(r'<ul class="sections">(.*?)</ul>', html, re.S)
    assert nav is not None
    links = dict((label, href) for href, label in re.findall(r'<a href="([^"]+)">([^<]+)</a>', nav.group(1)))
    assert links[events] == f"/{language}/events/" and links[statistics] == f"/{language}/statistics/"
    for path in (f"/{language}/stories/", f"/{language}/resources/", f"/{language}/videos/", f"/{language}/urgent/",
                 f"/{language}/suggest/", f"/{language}/newsletter/"):
        assert path in links.values(), path
    for href in links.values():
        assert Client().get(href).status_code == 200, href

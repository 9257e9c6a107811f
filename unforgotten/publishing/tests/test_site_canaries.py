"""Canary test over every public page type of the campaign site, and the guard that no page type escapes it.

Restricted and sealed canaries (``make_sample``) and values without consent
must appear in no page, feed, sitemap, share-image text or stored file, in
English and in Arabic; and unpublishing anything removes it from every cache
at once.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone, translation

from unforgotten.policy.sensitivity import Sensitivity
from unforgotten.publishing import actions, cache, public_items, sharing
from unforgotten.publishing.models import Campaign, Story
from unforgotten.publishing.tests.paths import public_paths, sample_site
from unforgotten.registry import actions as registry_actions
from unforgotten.registry.actions import NameInput


def _body(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def _public_routes() -> set[str]:
    """Every route of the public site: the language-prefixed publishing pages, the root and the sitemap."""
    names = {"landing", "sitemap"}

    def walk(patterns: list[Any], namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and namespace == "public" and entry.name:
                names.add(f"public:{entry.name}")

    walk(get_resolver().url_patterns, "")
    return names


@pytest.mark.django_db
def test_it_checks_every_public_page_type_for_canaries_and_axe(cast: Any) -> None:
    site = sample_site(cast)
    listed = set()
    for language in ("en", "ar"):
        for name, path in public_paths(site, language):
            with translation.override(language):
                match = resolve(path)
            assert (f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name) == name, path
            listed.add(name)
    missing = _public_routes() - listed
    assert missing == set(), f"public page types with no canary/axe coverage (add them to tests/paths.py): {missing}"


def test_the_coverage_guard_bites() -> None:
    # The control: a route list short of one page type is caught.
    assert "public:video" in _public_routes() and "public:story" in _public_routes()
    assert {"public:video"} - {"public:story"} != set()


@pytest.mark.django_db
def test_it_never_shows_a_canary_on_any_page_feed_sitemap_share_image_or_stored_file(cast: Any) -> None:
    site = sample_site(cast)
    sample = site["sample"]
    forbidden = sample.forbidden_for(Sensitivity.PUBLIC)
    assert len(forbidden) >= 10
    # A person with a name consent only: their story stays off, and a campaign lists only people with a profile.
    quiet = registry_actions.do_create_person(
        organisation=cast.org_a, names=[NameInput("CANARY-no-profile", "Latn", "en", "legal", True)],
        data={"country": "BY", "internal_notes": "CANARY-quiet-notes"}, acting_user=cast.dana)
    registry_actions.do_record_consent(person=quiet, data={"scope": "name", "given_by": "the person",
                                                           "given_on": timezone.localdate()}, acting_user=cast.dana)
    hidden = actions.do_create_item(model=Story, organisation=cast.org_a, language="en", data={
        "slug": "no-consent", "title": "CANARY-story-title", "body": "CANARY-story-without-consent",
        "person": quiet}, acting_user=cast.amal)
    actions.do_submit_item(item=hidden, acting_user=cast.amal)
    with pytest.raises(Exception, match="consent"):
        actions.do_approve_item(item=hidden, acting_user=cast.bilal)
    campaign = site["campaign"]
    Campaign.objects.get(pk=campaign.pk).people.add(quiet, sample.person_b)  # added around the action: still held back
    forbidden += ["CANARY-no-profile", "CANARY-quiet-notes", "CANARY-story-title", "CANARY-story-without-consent",
                  "Ales Bialiatski", "Алесь Бяляцкі"]
    bodies: dict[str, bytes] = {}
    for _round in range(2):  # a miss, then a hit from the store
        for language in ("en", "ar", "fa"):
            for _name, path in public_paths(site, language):
                response = Client().get(path)
                assert response.status_code in (200, 404), path
                bodies[path] = _body(response)
    assert b"The empty chair" in bodies["/en/stories/the-empty-chair/"]
    assert "أطلقوا سراحهم".encode() in bodies["/ar/campaigns/set-them-free/"]
    assert bodies["/en/campaigns/set-them-free/share.png"].startswith(b"\x89PNG")
    share_text = " ".join(str(v) for v in public_items.share_image_text(campaign, "en").values())
    share_html = public_items.share_image_html(campaign, "ar")
    # decision 0028: the profile's and the site's share images, the counters, and every card's meta tags.
    today = timezone.localdate()
    for language in ("en", "ar"):
        profile = sample.person_a.public_profiles.get(language=language)
        texts = [sharing.profile_image_text(profile, language, today), sharing.site_image_text(language),
                 sharing.profile_counter_view(profile, language, today), sharing.campaign_counter(campaign, language)]
        share_text += " ".join(str(value) for text in texts for value in (text or {}).values())
    assert "Maryia Kalesnikava" in share_text and "#SetThemFree" in share_text
    meta = b" ".join(re.findall(rb'<meta (?:property|name)="(?:og|twitter|description)[^>]*>', b" ".join(bodies.values())))
    assert meta.count(b"og:image:alt") >= 25  # every HTML page in English and Arabic, the Persian home…
    stored = cache.stored_files()
    assert len(stored) >= 10
    for canary in forbidden:
        token = canary.encode()
        for path, body in bodies.items():
            assert token not in body, f"{canary} leaked on {path}"
        assert canary not in share_text and canary not in share_html, f"{canary} leaked into a share image"
        assert token not in meta, f"{canary} leaked into a meta tag"
        for file in stored:
            assert token not in file.read_bytes(), f"{canary} leaked into the page store"


@pytest.mark.django_db
def test_it_removes_an_unpublished_item_from_every_cache_at_once(cast: Any) -> None:
    site = sample_site(cast)
    paths = ["/en/stories/", "/en/stories/the-empty-chair/", "/en/series/free-to-be-home/", "/en/",
             "/en/campaigns/set-them-free/", "/en/campaigns/set-them-free/share.png"]
    for path in paths:
        assert Client().get(path).status_code == 200, path
    assert Client().get("/en/stories/the-empty-chair/")["X-Public-Cache"] == "hit"
    before = len(cache.stored_files())
    assert before >= 5
    actions.do_unpublish_item(item=site["story"], acting_user=cast.amal)
    assert cache.stored_files() == []
    assert Client().get("/en/stories/the-empty-chair/").status_code == 404
    assert b"The empty chair" not in Client().get("/en/stories/").content
    sitemap = Client().get("/sitemap.xml").content
    assert b"/en/stories/the-empty-chair/" not in sitemap
    assert b"/ar/stories/the-empty-chair/" in sitemap  # the Arabic story was reviewed on its own and stays
    assert b"the-empty-chair" not in Client().get("/en/feeds/stories.atom").content
    actions.do_unpublish_item(item=site["campaign"], acting_user=cast.amal)
    assert Client().get("/en/campaigns/set-them-free/share.png").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/xx/stories/", "/en/stories/%3Cscript%3E/", "/en/campaigns/../../etc/passwd",
                                  "/en/videos/x/captions/../../x.vtt", "/EN/stories/", "/en/series/" + "a" * 500 + "/",
                                  "/en/resources/nope/file", "/en/countries/zz/"])
def test_it_answers_bad_public_addresses_with_a_plain_404(cast: Any, path: str) -> None:
    sample_site(cast)
    response = Client().get(path)
    assert response.status_code == 404
    assert b"Traceback" not in response.content and b"<script" not in response.content

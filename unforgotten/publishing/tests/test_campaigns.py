"""Campaign pages (#SetThemFree): curated people, a share kit of plain links, a share image rendered here."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from unforgotten.publishing import actions, cache, public_items
from unforgotten.publishing.models import Campaign
from unforgotten.publishing.tests.conftest import publish, publish_item
from unforgotten.registry import actions as registry_actions
from unforgotten.registry.testing import make_sample


def _campaign(cast: Any, people: list[Any], language: str = "en", **data: Any) -> Any:
    return actions.do_create_item(model=Campaign, organisation=cast.org_a, language=language, data={
        "slug": "set-them-free", "title": "Set them free", "hashtag": "SetThemFree", "people": people,
        "summary": "Every one of them is held for words.", **data}, acting_user=cast.amal)


@pytest.mark.django_db
def test_it_shows_the_curated_people_and_a_share_kit_of_plain_links(cast: Any) -> None:
    sample = make_sample(cast)
    publish(sample.person_a, "en", "Story.", author=cast.amal, reviewer=cast.bilal)
    campaign = publish_item(_campaign(cast, [sample.person_a], share_texts={"x": "Free them <now> & ever"}),
                            author=cast.amal, reviewer=cast.bilal)
    assert campaign.hashtag == "#SetThemFree"
    page = Client().get("/en/campaigns/set-them-free/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Maryia Kalesnikava" in html and "#SetThemFree" in html
    # The ready text is escaped; the share links are plain links, no script or frame of any network.
    assert "Free them &lt;now&gt; &amp; ever" in html
    assert 'href="https://twitter.com/intent/tweet?text=Free%20them%20%3Cnow%3E' in html
    assert "https://t.me/share/url?url=" in html and "https://wa.me/?text=" in html
    assert "<script" not in html and "<iframe" not in html
    assert not re.search(r'src="https?://', html)
    # Only people with a live profile in this language are listed.
    assert "Maryia Kalesnikava" not in Client().get("/ar/campaigns/set-them-free/").content.decode()


@pytest.mark.django_db
def test_it_renders_a_metadata_free_share_image_from_public_text_only(cast: Any) -> None:
    from PIL import Image

    sample = make_sample(cast)
    publish(sample.person_a, "en", "Story.", author=cast.amal, reviewer=cast.bilal)
    unpublished = registry_actions.do_create_person(
        organisation=cast.org_a, names=[registry_actions.NameInput("CANARY-unpublished", "Latn", "en", "legal", True)],
        data={"country": "BY"}, acting_user=cast.dana)
    campaign = publish_item(_campaign(cast, [sample.person_a, unpublished]), author=cast.amal, reviewer=cast.bilal)
    text = public_items.share_image_text(campaign, "en")
    assert text["names"] == ["Maryia Kalesnikava"]  # someone with no live profile stays off
    assert "CANARY" not in public_items.share_image_html(campaign, "en")
    assert "1 person held" in text["count"]
    response = Client().get("/en/campaigns/set-them-free/share.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    with Image.open(io.BytesIO(response.content)) as image:
        assert image.size == (public_items.SHARE_WIDTH, public_items.SHARE_HEIGHT)
        assert image.info == {} or set(image.info) <= {"dpi", "gamma"}
        # A real card was drawn: the campaign colour fills the corner.
        assert image.convert("RGB").getpixel((5, 5)) == (0x8A, 0x1C, 0x1C)
    for chunk in (b"tEXt", b"iTXt", b"zTXt", b"eXIf", b"pdftoppm", b"WeasyPrint"):
        assert chunk not in response.content
    assert any(f.read_bytes() == response.content for f in cache.stored_files())  # kept in the page store…
    actions.do_unpublish_item(item=campaign, acting_user=cast.amal)
    assert not any(f.read_bytes() == response.content for f in cache.stored_files())  # …and purged with it
    assert Client().get("/en/campaigns/set-them-free/share.png").status_code == 404


@pytest.mark.django_db
def test_it_refuses_a_bad_share_kit_and_people_of_another_organisation(cast: Any) -> None:
    sample = make_sample(cast)
    with pytest.raises(ValidationError) as caught:
        _campaign(cast, [sample.person_a], share_texts={"x": "x" * 281})
    assert "x" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        _campaign(cast, [sample.person_a], share_texts={"myspace": "hi"})
    assert "share_texts" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        _campaign(cast, [sample.person_b])
    assert "people" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        _campaign(cast, [], hashtag="two words")
    assert "hashtag" in caught.value.message_dict
    assert not Campaign.objects.exists()


@pytest.mark.django_db
def test_it_lists_campaigns_in_the_atom_feed_and_sitemap_with_hreflang(cast: Any) -> None:
    sample = make_sample(cast)
    publish(sample.person_a, "en", "Story.", author=cast.amal, reviewer=cast.bilal)
    publish(sample.person_a, "ar", "قصة.", author=cast.amal, reviewer=cast.bilal)
    english = publish_item(_campaign(cast, [sample.person_a]), author=cast.amal, reviewer=cast.bilal)
    arabic = actions.do_create_item(model=Campaign, organisation=cast.org_a, language="ar", translation_of=english,
                                    data={"title": "أطلقوا سراحهم"}, acting_user=cast.amal)
    publish_item(arabic, author=cast.amal, reviewer=cast.bilal)
    feed = Client().get("/ar/feeds/campaigns.atom")
    assert feed.status_code == 200 and feed["Content-Type"].startswith("application/atom+xml")
    assert "أطلقوا سراحهم" in feed.content.decode() and f"urn:uuid:{arabic.uuid}" in feed.content.decode()
    sitemap = Client().get("/sitemap.xml").content.decode()
    assert "<loc>http://testserver/ar/campaigns/set-them-free/</loc>" in sitemap.replace(
        "http://127.0.0.1:8000", "http://testserver") or "/ar/campaigns/set-them-free/</loc>" in sitemap
    assert 'hreflang="ar" href="' in sitemap and 'hreflang="x-default"' in sitemap
    assert f"/en/prisoners/{sample.person_a.slug}/" in sitemap and "/zh-hans/" in sitemap
    page = Client().get("/ar/campaigns/set-them-free/").content.decode()
    assert '<link rel="alternate" hreflang="en" href="' in page and '<link rel="alternate" hreflang="ar"' in page
    assert 'hreflang="fr"' not in page.split("</head>")[0]  # no French campaign: no French alternate

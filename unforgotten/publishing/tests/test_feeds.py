"""Atom feeds (a prisoner's, a country's, urgent actions, stories, campaigns) and the sitemap, kept in the page
store: 0 queries on a hit, purged on every publish and unpublish that changes them (issue 6, decision 0022).

Personas: Amal (case officer of Org A) writes, Bilal (reviewer of Org A) approves, Dana (coordinator of Org A)
publishes urgent actions; readers are anonymous.
"""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree

import pytest
from django.test import Client

from unforgotten.publishing import actions, cache
from unforgotten.publishing.tests.conftest import publish
from unforgotten.registry.testing import make_sample

ATOM = "{http://www.w3.org/2005/Atom}"


def _titles(body: bytes) -> list[str]:
    root = ElementTree.fromstring(body)  # noqa: S314  (our own feed, parsed to check it)
    return [str(entry.findtext(f"{ATOM}title")) for entry in root.iter(f"{ATOM}entry")]


def _feeds(slug: str) -> list[str]:
    return [f"/en/prisoners/{slug}/feed.atom", "/en/countries/by/feed.atom", "/en/feeds/urgent.atom",
            "/en/feeds/stories.atom", "/en/feeds/campaigns.atom", "/sitemap.xml"]


@pytest.mark.django_db
def test_it_answers_every_feed_and_the_sitemap_from_the_store_without_a_query(
        cast: Any, django_assert_num_queries: Any) -> None:
    sample = make_sample(cast)
    publish(sample.person_a, "en", "The family's story.", author=cast.amal, reviewer=cast.bilal)
    for path in _feeds(sample.person_a.slug):
        first = Client().get(path)
        assert first.status_code == 200 and first["X-Public-Cache"] == "miss", path
        with django_assert_num_queries(0):
            again = Client().get(path)
        assert again["X-Public-Cache"] == "hit" and again.content == first.content, path
        assert again["Content-Type"] == first["Content-Type"], path


@pytest.mark.django_db
def test_it_lists_the_profile_stories_and_urgent_actions_in_a_prisoners_feed(cast: Any) -> None:
    from unforgotten.alerts.testing import make_alerts_sample

    sample = make_sample(cast)
    publish(sample.person_a, "en", "The family's story.", author=cast.amal, reviewer=cast.bilal)
    make_alerts_sample(cast, sample)
    person = _titles(Client().get(f"/en/prisoners/{sample.person_a.slug}/feed.atom").content)
    assert "Profile: Maryia Kalesnikava" in person
    assert "Activist faces detention and travel ban" in person  # from alerts, through the feeds hook
    assert "Activist faces detention and travel ban" in _titles(Client().get("/en/feeds/urgent.atom").content)
    assert "Profile: Maryia Kalesnikava" in _titles(Client().get("/en/countries/by/feed.atom").content)
    assert Client().get(f"/en/prisoners/{sample.person_b.slug}/feed.atom").status_code == 404  # never published
    assert Client().get("/en/countries/zz/feed.atom").status_code == 404


@pytest.mark.django_db
def test_it_purges_the_stored_feeds_and_sitemap_on_publish_and_unpublish(cast: Any) -> None:
    sample = make_sample(cast)
    profile = publish(sample.person_a, "en", "The family's story.", author=cast.amal, reviewer=cast.bilal)
    slug = sample.person_a.slug
    for path in _feeds(slug):
        Client().get(path)
        assert Client().get(path)["X-Public-Cache"] == "hit", path
    assert f"/en/prisoners/{slug}/".encode() in Client().get("/sitemap.xml").content
    actions.do_unpublish(profile=profile, acting_user=cast.amal)
    assert cache.stored_files() == []
    assert Client().get(f"/en/prisoners/{slug}/feed.atom").status_code == 404
    assert Client().get("/en/countries/by/feed.atom").status_code == 404  # nobody from there left on the site
    sitemap = Client().get("/sitemap.xml")
    assert sitemap["X-Public-Cache"] == "miss" and f"/en/prisoners/{slug}/".encode() not in sitemap.content
    # …and publishing again shows up at once, not when some copy expires.
    Client().get("/en/feeds/urgent.atom")
    publish(sample.person_a, "ar", "قصة.", author=cast.amal, reviewer=cast.bilal)
    assert f"/ar/prisoners/{slug}/".encode() in Client().get("/sitemap.xml").content
    assert Client().get(f"/ar/prisoners/{slug}/feed.atom").status_code == 200


@pytest.mark.django_db
def test_it_drops_an_urgent_action_from_the_stored_feeds_when_it_is_unpublished(cast: Any) -> None:
    from unforgotten.alerts import actions as alert_actions
    from unforgotten.alerts.testing import make_alerts_sample

    sample = make_sample(cast)
    publish(sample.person_a, "en", "The family's story.", author=cast.amal, reviewer=cast.bilal)
    alerts = make_alerts_sample(cast, sample)
    title = "Activist faces detention and travel ban"
    assert title in _titles(Client().get("/en/feeds/urgent.atom").content)
    assert Client().get("/en/feeds/urgent.atom")["X-Public-Cache"] == "hit"
    alert_actions.do_unpublish_alert(alert=alerts.published, acting_user=cast.dana, reason="family asked")
    assert title not in _titles(Client().get("/en/feeds/urgent.atom").content)
    assert title not in _titles(Client().get(f"/en/prisoners/{sample.person_a.slug}/feed.atom").content)


@pytest.mark.django_db
def test_it_leaves_a_failing_feed_provider_out_and_keeps_the_feed(cast: Any, caplog: Any) -> None:
    from unforgotten.publishing import feeds

    def broken(language: str, scope: feeds.Scope) -> list[feeds.Entry]:
        raise RuntimeError("provider down")

    feeds.register("test.broken")(broken)
    try:
        response = Client().get("/en/feeds/urgent.atom")
    finally:
        feeds.unregister("test.broken")
    assert response.status_code == 200 and "test.broken" in caplog.text

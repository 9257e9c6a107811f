"""The page store: a cached hit makes no database query; unpublishing or a change behind a page purges it at once."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from unforgotten.publishing import actions, cache
from unforgotten.publishing.tests.conftest import publish
from unforgotten.registry import actions as registry_actions
from unforgotten.registry.testing import make_sample


def _url(sample: Any, lang: str = "en") -> str:
    return f"/{lang}/prisoners/{sample.person_a.slug}/"


@pytest.mark.django_db
def test_it_serves_a_cached_hit_without_a_single_database_query(cast: Any, django_assert_num_queries: Any) -> None:
    sample = make_sample(cast)
    publish(sample.person_a, "ar", "قصة.", author=cast.amal, reviewer=cast.bilal)
    first = Client().get(_url(sample, "ar"))
    assert first.status_code == 200 and first["X-Public-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = Client().get(_url(sample, "ar"))
    assert second.status_code == 200 and second["X-Public-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Language"] == "ar" and second["Cache-Control"] == "no-cache"
    # …and the security headers are the same as on a fresh render.
    assert "default-src 'self'" in second["Content-Security-Policy"]
    assert Client().get("/ar/").status_code == 200  # the home page: a miss the first time, then…
    with django_assert_num_queries(0):
        assert Client().get("/ar/")["X-Public-Cache"] == "hit"


@pytest.mark.django_db
def test_it_misses_the_first_time_only_when_a_query_ran(cast: Any, django_assert_num_queries: Any) -> None:
    # The control for the test above: a miss does query (the assertion can fail).
    sample = make_sample(cast)
    publish(sample.person_a, "en", "Story.", author=cast.amal, reviewer=cast.bilal)
    with pytest.raises(pytest.fail.Exception):
        with django_assert_num_queries(0):
            Client().get(_url(sample))


@pytest.mark.django_db
def test_it_ignores_the_query_string_so_it_cannot_force_renders(cast: Any, django_assert_num_queries: Any) -> None:
    sample = make_sample(cast)
    publish(sample.person_a, "en", "Story.", author=cast.amal, reviewer=cast.bilal)
    Client().get(_url(sample))
    with django_assert_num_queries(0):
        assert Client().get(_url(sample) + "?utm=x&nocache=123")["X-Public-Cache"] == "hit"


@pytest.mark.django_db
def test_it_answers_404_right_after_unpublishing(cast: Any, page_store: Path) -> None:
    sample = make_sample(cast)
    profile = publish(sample.person_a, "en", "Story.", author=cast.amal, reviewer=cast.bilal)
    assert Client().get(_url(sample)).status_code == 200
    assert "Maryia" in Client().get("/en/").content.decode()
    assert Client().get(_url(sample))["X-Public-Cache"] == "hit"
    actions.do_unpublish(profile=profile, acting_user=cast.amal)
    assert cache.stored_files() == []
    assert Client().get(_url(sample)).status_code == 404
    assert "Maryia" not in Client().get("/en/").content.decode()


@pytest.mark.django_db
def test_it_answers_404_right_after_the_name_consent_is_withdrawn(cast: Any) -> None:
    sample = make_sample(cast)
    publish(sample.person_a, "en", "Story.", author=cast.amal, reviewer=cast.bilal)
    assert Client().get(_url(sample)).status_code == 200
    assert Client().get(_url(sample))["X-Public-Cache"] == "hit"
    consent = sample.person_a.consents.get(scope="name")
    registry_actions.do_withdraw_consent(consent=consent, withdrawn_on=timezone.localdate(), acting_user=cast.dana)
    assert cache.stored_files() == []
    response = Client().get(_url(sample))
    assert response.status_code == 404 and b"Maryia" not in response.content
    assert b"Maryia" not in Client().get("/en/").content


@pytest.mark.django_db
def test_it_drops_the_story_right_after_the_story_consent_is_withdrawn(cast: Any) -> None:
    sample = make_sample(cast)
    publish(sample.person_a, "en", "She wrote letters every day.", author=cast.amal, reviewer=cast.bilal)
    assert "She wrote letters" in Client().get(_url(sample)).content.decode()
    consent = sample.person_a.consents.get(scope="story")
    registry_actions.do_withdraw_consent(consent=consent, withdrawn_on=timezone.localdate(), acting_user=cast.dana)
    body = Client().get(_url(sample)).content.decode()
    assert "She wrote letters" not in body and "Maryia Kalesnikava" in body


@pytest.mark.django_db
def test_it_shows_a_registry_change_to_a_published_person_at_once(cast: Any) -> None:
    from unforgotten.core.partialdate import PartialDate

    sample = make_sample(cast)
    publish(sample.person_a, "en", "Story.", author=cast.amal, reviewer=cast.bilal)
    assert "Released" not in Client().get(_url(sample)).content.decode()
    registry_actions.do_record_status(person=sample.person_a, status="released",
                                      effective=PartialDate.from_date(timezone.localdate()), acting_user=cast.dana)
    response = Client().get(_url(sample))
    assert response["X-Public-Cache"] == "miss" and "Released" in response.content.decode()


@pytest.mark.django_db
def test_it_leaves_the_store_alone_when_an_unpublished_person_changes(cast: Any) -> None:
    sample = make_sample(cast)
    publish(sample.person_a, "en", "Story.", author=cast.amal, reviewer=cast.bilal)
    Client().get(_url(sample))
    registry_actions.do_update_person(person=sample.person_b, data={"occupation_detail": "writer"},
                                      acting_user=cast.chris)
    assert Client().get(_url(sample))["X-Public-Cache"] == "hit"


@pytest.mark.django_db
def test_it_never_stores_a_page_rendered_before_a_purge(cast: Any) -> None:
    epoch = cache.current_epoch()
    cache.purge_all()  # a purge lands while the page is being rendered
    assert cache.put("/en/prisoners/someone/", b"<p>stale</p>", epoch) is False
    assert cache.get("/en/prisoners/someone/") is None and cache.stored_files() == []
    assert cache.put("/en/prisoners/someone/", b"<p>fresh</p>", cache.current_epoch()) is True
    assert cache.get("/en/prisoners/someone/") == b"<p>fresh</p>"


@pytest.mark.django_db
def test_it_expires_stored_pages(cast: Any, settings: Any) -> None:
    assert cache.put("/en/", b"old", cache.current_epoch())
    [stored] = cache.stored_files()
    old = time.time() - settings.PUBLIC_CACHE_SECONDS - 1
    os.utime(stored, (old, old))
    assert cache.get("/en/") is None


@pytest.mark.django_db
def test_it_does_not_store_a_404(cast: Any) -> None:
    assert Client().get("/en/prisoners/nobody/").status_code == 404
    assert cache.stored_files() == []


@pytest.mark.django_db
def test_it_purges_every_stored_page_from_the_command_line(cast: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    assert cache.put("/en/", b"page", cache.current_epoch())
    out = StringIO()
    call_command("purge_public_pages", stdout=out)
    assert out.getvalue().strip() == "purged 1 stored public page(s)"
    assert cache.stored_files() == []

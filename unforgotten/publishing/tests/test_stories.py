"""Family stories (#FreeToBeHome): one a day per series and language, released by the periodic job, only with consent."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from unforgotten.audit.models import AuditEvent
from unforgotten.core import schedule
from unforgotten.publishing import actions
from unforgotten.publishing.models import State, Story
from unforgotten.publishing.tests.conftest import publish_item
from unforgotten.registry import actions as registry_actions
from unforgotten.registry.testing import make_sample


def _series(cast: Any, slot: time = time(9, 0)) -> Any:
    return actions.do_create_series(organisation=cast.org_a, data={
        "slug": "free-to-be-home", "hashtag": "FreeToBeHome", "daily_at": slot}, acting_user=cast.amal)


def _story(cast: Any, person: Any, slug: str, *, series: Any = None, language: str = "en", position: int = 0,
           body: str = "Her mother keeps her chair by the window.") -> Any:
    return actions.do_create_item(model=Story, organisation=cast.org_a, language=language, data={
        "slug": slug, "title": f"Story {slug}", "body": body, "person": person, "series": series,
        "position": position}, acting_user=cast.amal)


@pytest.mark.django_db
def test_it_releases_one_story_a_day_per_language_at_the_daily_slot(cast: Any) -> None:
    sample = make_sample(cast)
    with time_machine.travel(datetime(2026, 6, 1, 8, 0, tzinfo=UTC), tick=False):
        series = _series(cast)
        for position, slug in enumerate(("first", "second", "third")):
            publish_item(_story(cast, sample.person_a, slug, series=series, position=position),
                         author=cast.amal, reviewer=cast.bilal)
        ar = publish_item(_story(cast, sample.person_a, "first", series=series, language="ar", body="أمها تنتظر."),
                          author=cast.amal, reviewer=cast.bilal)
        # Approved but waiting in line: not on the site before its day.
        assert Client().get("/en/stories/first/").status_code == 404
        assert actions.do_release_series_stories() == []  # 08:00, the slot is 09:00
    with time_machine.travel(datetime(2026, 6, 1, 9, 1, tzinfo=UTC), tick=False):
        released = schedule.run_now("publishing.release_stories")
        assert released == "2 released"
        assert set(Story.objects.live().values_list("slug", "language")) == {("first", "en"), ("first", "ar")}
        assert schedule.run_now("publishing.release_stories") == "0 released"  # one a day, however often it runs
        page = Client().get("/en/stories/first/")
        assert page.status_code == 200 and b"Her mother keeps her chair by the window." in page.content
        assert b"#FreeToBeHome" in page.content
        assert Client().get("/en/stories/second/").status_code == 404
        assert Client().get("/en/series/free-to-be-home/").status_code == 200
        assert AuditEvent.objects.filter(action="publishing.release_story", object_id=str(ar.pk)).exists()
    with time_machine.travel(datetime(2026, 6, 2, 9, 0, 30, tzinfo=UTC), tick=False):
        assert [s.slug for s in actions.do_release_series_stories()] == ["second"]
        series_page = Client().get("/en/series/free-to-be-home/").content.decode()
        assert series_page.index("Story second") < series_page.index("Story first")  # newest first


@pytest.mark.django_db
def test_it_passes_over_a_waiting_story_whose_consent_was_withdrawn(cast: Any) -> None:
    sample = make_sample(cast)
    other = registry_actions.do_create_person(
        organisation=cast.org_a, names=[registry_actions.NameInput("Ihar Losik", "Latn", "en", "legal", True)],
        data={"country": "BY"}, acting_user=cast.dana)
    for scope in ("name", "story"):
        registry_actions.do_record_consent(person=other, data={"scope": scope, "given_by": "wife",
                                                               "given_on": datetime(2021, 1, 1).date()},
                                           acting_user=cast.dana)
    with time_machine.travel(datetime(2026, 6, 1, 8, 0, tzinfo=UTC), tick=False):
        series = _series(cast)
        publish_item(_story(cast, other, "withdrawn", series=series, position=0), author=cast.amal,
                     reviewer=cast.bilal)
        publish_item(_story(cast, sample.person_a, "kept", series=series, position=1), author=cast.amal,
                     reviewer=cast.bilal)
        registry_actions.do_withdraw_consent(consent=other.consents.get(scope="story"),
                                             withdrawn_on=timezone.localdate(), acting_user=cast.dana)
    with time_machine.travel(datetime(2026, 6, 1, 10, 0, tzinfo=UTC), tick=False):
        assert [s.slug for s in actions.do_release_series_stories()] == ["kept"]


@pytest.mark.django_db
def test_it_takes_a_story_down_at_once_when_the_family_withdraws_consent(cast: Any) -> None:
    sample = make_sample(cast)
    story = publish_item(_story(cast, sample.person_a, "chair", body="CANARY-family-words"), author=cast.amal,
                         reviewer=cast.bilal)
    assert story.state == State.PUBLISHED and story.publish_at is not None  # no series: up at once
    first = Client().get("/en/stories/chair/")
    assert first.status_code == 200 and first["X-Public-Cache"] == "miss"
    assert Client().get("/en/stories/chair/")["X-Public-Cache"] == "hit"
    assert b"CANARY-family-words" in Client().get("/en/stories/").content
    registry_actions.do_withdraw_consent(consent=sample.person_a.consents.get(scope="story"),
                                         withdrawn_on=timezone.localdate(), acting_user=cast.dana)
    assert Client().get("/en/stories/chair/").status_code == 404
    for path in ("/en/stories/", "/en/feeds/stories.atom", "/sitemap.xml"):
        response = Client().get(path)
        assert b"CANARY-family-words" not in response.content and b"/stories/chair/" not in response.content, path


@pytest.mark.django_db
def test_it_keeps_four_eyes_and_refuses_edits_to_a_published_story(cast: Any) -> None:
    sample = make_sample(cast)
    story = _story(cast, sample.person_a, "eyes")
    actions.do_submit_item(item=story, acting_user=cast.bilal)
    with pytest.raises(ValidationError, match="other than the person who submitted"):
        actions.do_approve_item(item=story, acting_user=cast.bilal)
    with pytest.raises(ValidationError, match="reviewer"):
        actions.do_approve_item(item=story, acting_user=cast.amal)
    story = actions.do_approve_item(item=story, acting_user=cast.dana)
    with pytest.raises(ValidationError, match="cannot be edited"):
        actions.do_update_item(item=story, data={"title": "New"}, acting_user=cast.amal)
    actions.do_unpublish_item(item=story, acting_user=cast.amal)
    assert Client().get("/en/stories/eyes/").status_code == 404
    # Unchanged since approval: a reviewer may put it back up; once edited, it must be reviewed again.
    actions.do_publish_item(item=story, acting_user=cast.bilal)
    actions.do_unpublish_item(item=story, acting_user=cast.amal)
    actions.do_update_item(item=story, data={"title": "Changed"}, acting_user=cast.amal)
    with pytest.raises(ValidationError, match="never approved"):
        actions.do_publish_item(item=story, acting_user=cast.bilal)


@pytest.mark.django_db
@pytest.mark.parametrize(("data", "field"), [
    ({"slug": "Bad Slug"}, "slug"), ({"title": ""}, "title"), ({"body": "x" * 40_001}, "body"),
    ({"position": -1}, "position"), ({"unknown": 1}, "unknown"), ({"title": 5}, "title"),
])
def test_it_names_the_field_of_bad_input(cast: Any, data: dict[str, Any], field: str) -> None:
    sample = make_sample(cast)
    story = _story(cast, sample.person_a, "fine")
    with pytest.raises(ValidationError) as caught:
        actions.do_update_item(item=story, data=data, acting_user=cast.amal)
    assert field in caught.value.message_dict
    assert Story.objects.get(pk=story.pk).revision == 1  # nothing half-written

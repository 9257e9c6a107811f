"""Issue 7 item 6: four-eyes publishing, seeded action days, time zones, the workspace and the API.

Personas: Cora (campaigner of Org A: ``campaign`` and ``publish``) and Dana (admin of Org A) write events; Bilal
(reviewer, ``publish``) publishes; Vera (viewer) reads counts and nothing hidden; Chris (Org B) sees nothing of Org A.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from unforgotten.audit.models import AuditEvent
from unforgotten.events import actions, public
from unforgotten.events.models import Event, EventText, State
from unforgotten.events.testing import HIDDEN_PLACE, make_vigil
from unforgotten.testing import signed_in

pytestmark = pytest.mark.django_db


def _draft(cast: Any, **data: Any) -> Event:
    start = timezone.now() + timedelta(days=5)
    event = actions.do_create_event(organisation=cast.org_a, acting_user=cast.cora, data={
        "slug": "webinar-on-laws", "kind": "webinar", "starts_at": start, "ends_at": start + timedelta(hours=1),
        "timezone": "Asia/Tbilisi", **data})
    actions.do_set_text(event=event, language="en", title="Webinar on the laws used to jail people",
                        description="", acting_user=cast.cora)
    return event


def test_it_needs_a_second_pair_of_eyes_to_publish(cast: Any) -> None:
    event = _draft(cast)
    assert public.one("webinar-on-laws", "en") is None
    with pytest.raises(ValidationError, match="in review"):
        actions.do_publish_event(event=event, acting_user=cast.bilal)
    actions.do_submit_event(event=event, acting_user=cast.cora)
    with pytest.raises(ValidationError, match="Someone other"):
        actions.do_publish_event(event=event, acting_user=cast.cora)
    actions.do_publish_event(event=event, acting_user=cast.bilal)
    assert public.one("webinar-on-laws", "en") is not None
    assert Client().get("/en/events/webinar-on-laws/").status_code == 200
    # A language without a text is not a page of its own.
    assert Client().get("/fr/events/webinar-on-laws/").status_code == 404
    actions.do_unpublish_event(event=event, acting_user=cast.cora)
    assert Client().get("/en/events/webinar-on-laws/").status_code == 404  # the store was emptied
    actions_logged = set(AuditEvent.objects.filter(object_type="events.event").values_list("action", flat=True))
    assert {"events.create", "events.submit", "events.publish", "events.unpublish"} <= actions_logged


def test_it_shows_the_local_time_and_the_readers_choice(cast: Any) -> None:
    start = datetime(2031, 3, 5, 14, 0, tzinfo=UTC)  # 18:00 in Tbilisi (UTC+4), 23:00 in Tokyo
    event = _draft(cast, starts_at=start, ends_at=start + timedelta(hours=1))
    actions.do_submit_event(event=event, acting_user=cast.cora)
    actions.do_publish_event(event=event, acting_user=cast.bilal)
    page = Client().get("/en/events/webinar-on-laws/").content.decode()
    assert "6:00" in page and "Asia/Tbilisi" in page
    tokyo = Client().get("/en/events/webinar-on-laws/time/?tz=Asia/Tokyo")
    assert tokyo.status_code == 200 and "11:00" in tokyo.content.decode()
    assert tokyo["Cache-Control"] == "no-store"
    bad = Client().get("/en/events/webinar-on-laws/time/?tz=Mars/Olympus")
    assert bad.status_code == 400 and "Choose a time zone" in bad.content.decode()


def test_it_refuses_bad_times_zones_and_hidden_places_in_public_columns(cast: Any) -> None:
    start = timezone.now()
    for data, field in (({"timezone": "Europe/Nowhere"}, "timezone"),
                        ({"ends_at": start - timedelta(hours=1), "starts_at": start}, "ends_at"),
                        ({"details_after_rsvp": True, "location": "Somewhere public"}, "location"),
                        ({"recurs_yearly": True}, "recurs_yearly"),
                        ({"country": "XX"}, "country")):
        with pytest.raises(ValidationError) as caught:
            _draft(cast, **data)
        assert field in caught.value.message_dict, data
    assert Event.objects.count() == 0


def test_it_seeds_the_two_action_days_once_and_lets_editors_change_them(cast: Any) -> None:
    made = actions.do_seed_action_days(organisation=cast.org_a, acting_user=cast.dana)
    assert len(made) == 2 and actions.do_seed_action_days(organisation=cast.org_a, acting_user=cast.dana) == []
    day = next(e for e in made if e.starts_at.month == 10)
    assert (day.starts_at.day, day.all_day, day.recurs_yearly, day.state) == (30, True, True, State.PUBLISHED)
    listed = Client().get("/en/events/").content.decode()
    assert "International Day of Political Prisoners" in listed and "Human Rights Day" in listed
    actions.do_set_text(event=day, language="ar", title="اليوم العالمي للسجناء السياسيين", description="",
                        acting_user=cast.dana)
    assert "اليوم العالمي للسجناء السياسيين" in Client().get("/ar/events/").content.decode()
    # The next occurrence is never in the past.
    shown = public.one(day.slug, "en")
    assert shown is not None and shown.end > timezone.now()


def test_it_shows_organisers_counts_and_the_hidden_place_only_to_campaigners(cast: Any) -> None:
    sample = make_vigil(cast)
    url = f"/work/events/e/{sample.vigil.uuid}/"
    assert HIDDEN_PLACE in signed_in(cast.dana).get(url).content.decode()
    vera = signed_in(cast.vera).get(url)
    assert vera.status_code == 200 and HIDDEN_PLACE not in vera.content.decode()
    assert "0 confirmed" in vera.content.decode()
    assert signed_in(cast.chris).get(url).status_code == 404


def test_it_creates_an_event_with_its_texts_through_the_api_or_nothing(cast: Any) -> None:
    dana = signed_in(cast.dana)
    payload = {"slug": "api-vigil", "kind": "vigil", "starts_at": "2031-05-01T18:00:00+02:00",
               "ends_at": "2031-05-01T20:00:00+02:00", "timezone": "Europe/Paris", "details_after_rsvp": True,
               "hidden_location": HIDDEN_PLACE,
               "texts": [{"language": "en", "title": "Vigil"}, {"language": "fr", "title": "Veillée"}]}
    bad = dana.post("/api/v1/events/org-a/events", json.dumps({**payload, "texts": [
        {"language": "en", "title": "Vigil"}, {"language": "fr", "title": "bad\x00title"}]}),
        content_type="application/json")
    assert bad.status_code == 422 and Event.objects.count() == 0 and EventText.objects.count() == 0
    assert dana.post("/api/v1/events/org-a/events", json.dumps({**payload, "owner": "x"}),
                     content_type="application/json").status_code == 422  # no mass assignment
    made = dana.post("/api/v1/events/org-a/events", json.dumps(payload), content_type="application/json")
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["hidden_location"] == HIDDEN_PLACE and {t["language"] for t in body["texts"]} == {"en", "fr"}
    assert datetime.fromisoformat(body["starts_at"]) == datetime(2031, 5, 1, 16, 0, tzinfo=UTC)
    uuid = body["identifiers"][0].split(":")[1]
    vera = signed_in(cast.vera).get(f"/api/v1/events/org-a/events/{uuid}").json()
    assert "hidden_location" not in vera and vera["total_accepted"] == 0
    step = dana.post(f"/api/v1/events/org-a/events/{uuid}/workflow", json.dumps({"step": "submit"}),
                     content_type="application/json")
    assert step.status_code == 200 and step.json()["state"] == "in_review"
    refused = dana.post(f"/api/v1/events/org-a/events/{uuid}/publish", "{}", content_type="application/json")
    assert refused.status_code == 422 and "Someone other" in refused.content.decode()  # Dana submitted it
    published = signed_in(cast.bilal).post(f"/api/v1/events/org-a/events/{uuid}/publish", "{}",
                                         content_type="application/json")
    assert published.status_code == 200 and published.json()["state"] == "published"
    public_answer = Client().get("/api/v1/events/public/fr/events/api-vigil").json()
    assert public_answer["title"] == "Veillée" and HIDDEN_PLACE not in json.dumps(public_answer)
    record = dana.post(f"/api/v1/events/org-a/events/{uuid}/attendances", json.dumps(
        {"person": {"email_addresses": [{"address": "api-attendee@example.org"}]}, "consent_shown": True}),
        content_type="application/json")
    assert record.status_code == 202
    listed = dana.get(f"/api/v1/events/org-a/events/{uuid}/attendances").json()
    assert listed["total_records"] == 1 and "api-attendee" not in json.dumps(listed)


def test_the_demo_writes_action_days_and_a_vigil_once(cast: Any) -> None:
    from unforgotten.events import demo

    cast.org_a.slug = "rights-watch"
    cast.org_a.save()
    lines: list[str] = []
    users = {"dana@example.org": cast.dana, "bilal@example.org": cast.bilal}
    demo.write(users, lines.append)
    demo.write(users, lines.append)
    assert len(lines) == 1 and Event.objects.filter(state=State.PUBLISHED).count() == 3
    page = Client().get("/en/events/candle-vigil-demo/")
    assert page.status_code == 200 and "1 Demo Street" not in page.content.decode()

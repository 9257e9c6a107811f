"""The editorial API (/api/v1/publishing/): everything the workspace does, 422 naming the field, four eyes kept."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from unforgotten.publishing.models import Campaign, State, Story
from unforgotten.registry.testing import make_sample
from unforgotten.testing import signed_in

pytestmark = pytest.mark.django_db
API = "/api/v1/publishing"


def _post(client: Client, url: str, body: Any, **headers: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def _token(cast: Any, *scopes: str) -> str:
    from unforgotten.api.actions import do_create_api_token

    _row, raw = do_create_api_token(organisation=cast.org_a, name="t", scopes=list(scopes), acting_user=cast.dana)
    return raw


def test_it_writes_submits_approves_and_unpublishes_a_story_like_the_workspace(cast: Any) -> None:
    sample = make_sample(cast)
    amal = signed_in(cast.amal)
    created = _post(amal, f"{API}/items/stories", {
        "language": "en", "slug": "api-story", "title": "From the API", "body": "Told by her brother.",
        "person": str(sample.person_a.uuid)})
    assert created.status_code == 201, created.content
    uuid = created.json()["uuid"]
    assert created.json()["state"] == "draft" and created.json()["person"] == str(sample.person_a.uuid)
    patched = amal.patch(f"{API}/items/stories/{uuid}", json.dumps({"title": "Changed"}),
                         content_type="application/json")
    assert patched.status_code == 200 and patched.json()["revision"] == 2
    assert _post(amal, f"{API}/items/stories/{uuid}/submit", {"reason": ""}).json()["state"] == "in_review"
    # Approving is a reviewer's act in a fresh session: not the submitter, not a token.
    assert _post(signed_in(cast.bilal), f"{API}/items/stories/{uuid}/approve", {"reason": ""}).status_code == 401
    token = _token(cast, "write")
    assert _post(Client(), f"{API}/items/stories/{uuid}/approve", {"reason": ""},
                 HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 404
    approved = _post(signed_in(cast.bilal, sudo=True), f"{API}/items/stories/{uuid}/approve", {"reason": "read it"})
    assert approved.status_code == 200 and approved.json()["state"] == "published"
    assert Client().get("/en/stories/api-story/").status_code == 200
    gone = _post(amal, f"{API}/items/stories/{uuid}/unpublish", {"reason": "family asked"})
    assert gone.json()["state"] == "draft" and Client().get("/en/stories/api-story/").status_code == 404


def test_it_answers_bad_input_with_the_field_named_and_saves_nothing(cast: Any) -> None:
    sample = make_sample(cast)
    amal = signed_in(cast.amal)
    for body, field in (
        ({"language": "en", "slug": "Not A Slug", "title": "T", "body": "B", "person": str(sample.person_a.uuid)},
         "slug"),
        ({"language": "xx", "slug": "ok", "title": "T", "body": "B", "person": str(sample.person_a.uuid)},
         "language"),
        ({"language": "en", "slug": "ok", "title": "T", "body": "B", "person": str(sample.person_b.uuid)}, "person"),
        ({"language": "en", "slug": "ok", "title": "T", "body": "B", "person": str(sample.person_a.uuid),
          "hashtag": "#x"}, "hashtag"),
        ({"language": "en", "slug": "ok", "title": "<b>" * 100, "body": "B" * 40_001,
          "person": str(sample.person_a.uuid)}, "body"),
    ):
        response = _post(amal, f"{API}/items/stories", body)
        assert response.status_code == 422, (field, response.content)
        assert any(field in e["where"] for e in response.json()["errors"]), (field, response.json())
    bad_kit = _post(amal, f"{API}/items/campaigns", {"language": "en", "slug": "c", "title": "C", "hashtag": "#C",
                                                    "share_texts": {"x": "x" * 300}})
    assert bad_kit.status_code == 422 and "x" in bad_kit.json()["errors"][0]["where"]
    assert not Story.objects.exists() and not Campaign.objects.exists()
    assert _post(amal, f"{API}/items/stories", []).status_code == 422  # not an object
    assert amal.post(f"{API}/items/stories", "not json", content_type="application/json").status_code == 422
    # A NUL in a list filter (PostgreSQL refuses such text): a 422 naming the filter (api/api.py), not a server error.
    for field in ("language", "state"):
        listed = amal.get(f"{API}/items/videos", {field: "en\x00"})
        assert listed.status_code == 422, (field, listed.content)
        assert any(field in e["where"] for e in listed.json()["errors"]), listed.json()


def test_it_answers_org_b_and_viewers_as_for_items_that_do_not_exist(cast: Any) -> None:
    sample = make_sample(cast)
    amal = signed_in(cast.amal)
    uuid = _post(amal, f"{API}/items/campaigns", {"language": "en", "slug": "c", "title": "C", "hashtag": "#C",
                                                  "people": [str(sample.person_a.uuid)]}).json()["uuid"]
    chris = signed_in(cast.chris)
    real = chris.get(f"{API}/items/campaigns/{uuid}")
    ghost = chris.get(f"{API}/items/campaigns/00000000-0000-4000-8000-000000000000")
    assert (real.status_code, real.content) == (ghost.status_code, ghost.content) == (404, ghost.content)
    assert signed_in(cast.vera).get(f"{API}/items/campaigns/{uuid}").status_code == 200
    assert signed_in(cast.vera).patch(f"{API}/items/campaigns/{uuid}", "{}",
                                    content_type="application/json").status_code == 404
    listed = signed_in(cast.vera).get(f"{API}/items/campaigns").json()
    assert [row["uuid"] for row in listed["items"]] == [uuid]
    assert chris.get(f"{API}/items/campaigns").json()["items"] == []
    assert Campaign.objects.get().state == State.DRAFT


def test_it_creates_a_series_and_a_profile_through_the_api(cast: Any) -> None:
    sample = make_sample(cast)
    amal = signed_in(cast.amal)
    series = _post(amal, f"{API}/series", {"slug": "home", "hashtag": "FreeToBeHome", "daily_at": "09:00"})
    assert series.status_code == 201 and series.json()["hashtag"] == "#FreeToBeHome"
    assert _post(amal, f"{API}/series", {"slug": "home", "hashtag": "x", "daily_at": "09:00"}).status_code == 422
    profile = _post(amal, f"{API}/profiles", {"person": str(sample.person_a.uuid), "language": "fr",
                                              "story": "Elle chantait."})
    assert profile.status_code == 201 and profile.json()["state"] == "draft"

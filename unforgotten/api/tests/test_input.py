"""Input every API operation refuses the same way before it reaches a database: a NUL character.

PostgreSQL cannot store or compare text holding NUL; SQLite can. Left to the database, a NUL
in a query string, a path or a JSON body is a 500 on one engine and not the other. The API
refuses it once, for every operation, with the 422 shape the schema documents.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from unforgotten.publishing.models import Story
from unforgotten.registry.models import Person
from unforgotten.registry.testing import make_sample
from unforgotten.testing import signed_in

pytestmark = pytest.mark.django_db


def _where(response: Any) -> list[str]:
    assert response.status_code == 422, (response.status_code, response.content)
    body = response.json()
    assert body["error"] == "invalid input", body
    return [e["where"] for e in body["errors"]]


def test_it_refuses_a_nul_in_any_query_parameter_naming_it(cast: Any) -> None:
    make_sample(cast)
    amal = signed_in(cast.amal)
    # Three routers, three kinds of filter: a registry search, an editorial filter, a slug.
    assert "query.q" in _where(amal.get("/api/v1/registry/people", {"q": "Ali\x00"}))
    assert "query.language" in _where(amal.get("/api/v1/publishing/items/stories", {"language": "\x00en"}))
    assert "query.organisation" in _where(
        amal.post("/api/v1/publishing/items/stories?organisation=org-a%00", "{}", content_type="application/json"))
    # The same request without the NUL is answered: the refusal is about the character only.
    assert amal.get("/api/v1/registry/people", {"q": "Ali"}).status_code == 200


def test_it_refuses_a_nul_in_a_path_parameter(cast: Any) -> None:
    make_sample(cast)
    dana = signed_in(cast.dana)
    assert "path.slug" in _where(dana.get("/api/v1/organisations/org-a%00/members"))
    assert dana.get(f"/api/v1/organisations/{cast.org_a.slug}/members").status_code == 200


def test_it_refuses_a_nul_anywhere_in_a_json_body_and_stores_nothing(cast: Any) -> None:
    sample = make_sample(cast)
    amal = signed_in(cast.amal)
    before = Person.objects.count()
    story = {"title": "T", "language": "en", "slug": "s", "body": "Told by her brother.",
             "person": str(sample.person_a.uuid)}
    for url, body, where in (
        ("/api/v1/registry/people", {"names": [{"text": "Ali\x00"}], "country": "BY"}, "body.payload.names.0.text"),
        ("/api/v1/registry/people", {"names": [{"text": "Ali"}], "country": "BY", "occupation_detail": "x\x00"}, "body.payload.occupation_detail"),
        ("/api/v1/publishing/items/stories", {**story, "title": "T\x00"}, "body.payload.title"),
        ("/api/v1/publishing/items/stories", {**story, "share_texts": {"x": "fine", "en": "\x00"}}, "body.payload.share_texts.en"),
        # A lone surrogate (a JSON escape can carry one) is no text PostgreSQL stores either.
        ("/api/v1/publishing/items/stories", {**story, "title": "T\ud800"}, "body.payload.title"),
    ):
        answer = amal.post(url, json.dumps(body), content_type="application/json")
        assert _where(answer) == [where], answer.json()
        assert any(word in answer.json()["errors"][0]["problem"] for word in ("NUL", "Unicode")), answer.json()
    assert Person.objects.count() == before and not Story.objects.exists()
    # The same story without the NUL is written: the refusal was about the character only.
    written = amal.post("/api/v1/publishing/items/stories", json.dumps(story), content_type="application/json")
    assert written.status_code == 201, written.json()
    # A backslash written before "u0000" is text, not a NUL: it is stored as written.
    text = json.dumps({**story, "title": "C:\\u0000 is not a character", "slug": "t"})
    assert "\\\\u0000" in text
    answer = amal.post("/api/v1/publishing/items/stories", text, content_type="application/json")
    assert answer.status_code == 201 and answer.json()["title"] == "C:\\u0000 is not a character", answer.json()

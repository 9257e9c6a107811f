"""Issue 6: the intake queue through /api/v1/intake/ (same policy, projection and actions) and the newsletter counts."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from unforgotten.intake.models import Status
from unforgotten.intake.testing import CONTACT_CANARY, CONTACT_NAME_CANARY, make_suggestion
from unforgotten.registry.models import Person
from unforgotten.testing import signed_in

pytestmark = pytest.mark.django_db


def _post(client: Client, url: str, body: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_it_lists_and_shows_suggestions_without_the_sealed_contact(cast: Any) -> None:
    suggestion = make_suggestion(cast)
    amal = signed_in(cast.amal)
    listed = amal.get("/api/v1/intake/suggestions?status=new").json()
    assert [item["uuid"] for item in listed["items"]] == [str(suggestion.uuid)]
    assert listed["items"][0]["has_contact"] is True
    detail = amal.get(f"/api/v1/intake/suggestions/{suggestion.uuid}")
    assert detail.status_code == 200 and detail.json()["candidates"] == []
    for body in (json.dumps(listed), detail.content.decode()):
        assert CONTACT_CANARY not in body and CONTACT_NAME_CANARY not in body
    assert signed_in(cast.chris).get(f"/api/v1/intake/suggestions/{suggestion.uuid}").status_code == 404
    assert signed_in(cast.chris).get("/api/v1/intake/suggestions").json()["items"] == []
    assert signed_in(cast.vera).get("/api/v1/intake/suggestions").status_code == 404
    assert Client().get("/api/v1/intake/suggestions").status_code == 401


def test_it_decides_through_the_api_and_refuses_bad_decisions_by_field(cast: Any) -> None:
    first, second = make_suggestion(cast), make_suggestion(cast, name="Another Person")
    amal = signed_in(cast.amal)
    url = f"/api/v1/intake/suggestions/{first.uuid}/decision"
    refused = _post(amal, url, {"decision": "accept", "country": "ZZ"})
    assert refused.status_code == 422 and refused.json()["errors"][0]["where"].endswith("country")
    assert _post(amal, url, {"decision": "maybe"}).status_code == 422
    assert _post(amal, url, {"decision": "reject", "organisation": 5}).status_code == 422
    assert _post(amal, url, {"decision": "link", "person": "00000000-0000-4000-8000-000000000000"}).status_code == 422
    assert not Person.objects.exists()
    accepted = _post(amal, url, {"decision": "accept", "country": "AZ", "note": "Two sources."})
    assert accepted.status_code == 200
    assert accepted.json()["status"] == Status.ACCEPTED and accepted.json()["person"] is not None
    assert _post(amal, url, {"decision": "spam"}).status_code == 422  # decided once
    spam = _post(amal, f"/api/v1/intake/suggestions/{second.uuid}/decision", {"decision": "spam"})
    assert spam.json()["status"] == Status.SPAM


def test_it_gives_campaigners_the_newsletter_counts_only(cast: Any) -> None:
    response = signed_in(cast.cora).get("/api/v1/newsletter/org-a/summary")
    assert response.json() == {"organisation": "org-a", "pending": 0, "confirmed": 0, "unsubscribed": 0}
    assert signed_in(cast.amal).get("/api/v1/newsletter/org-a/summary").status_code == 404

"""No API answer carries a value its audience may not see (the canaries of ``make_sample``).

Every registry GET endpoint, lists (with and without filters) and details, is
called as every persona's session and as tokens of Org A and Org B with every
scope. For each caller the canaries above its ceiling must be absent, sealed
ones always; Org A's records never reach Org B at all.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from unforgotten.api.actions import do_create_api_token
from unforgotten.api.models import Scope
from unforgotten.policy.sensitivity import Sensitivity
from unforgotten.registry.testing import Sample, make_sample
from unforgotten.testing import PERSONA_NAMES

BASE = "/api/v1/registry"

# What each caller reaches of Org A's records (None: nothing at all). Amal is put
# on the prisoner's case team, so restricted values are hers to see; nobody's
# ceiling reaches sealed values, which the API never returns.
SESSION_CEILING: dict[str, Sensitivity | None] = {
    "anonymous": None, "amal": Sensitivity.RESTRICTED, "bilal": Sensitivity.INTERNAL, "dana": Sensitivity.INTERNAL,
    "vera": Sensitivity.INTERNAL, "cleo": Sensitivity.INTERNAL, "chris": None, "pat": None, "dmitri": None,
}


def _paths(sample: Sample) -> list[str]:
    a, b = sample.person_a, sample.person_b
    return [
        "/people", "/people?page_size=100", f"/people/{a.uuid}", f"/people/{b.uuid}",
        "/people?country=BY", "/people?status=imprisoned", "/people?occupation=opposition_politician",
        "/people?theme=assembly", f"/people?law_article={sample.article.pk}", f"/people?facility={sample.facility.pk}",
        "/people?recognition=political_prisoner", "/people?q=kalesnik", "/people?q=Бяляцкі",
        "/law-articles", "/facilities", "/officials", "/officials?role=judge", "/officials?q=CANARY",
    ]


def _bodies(client: Client, paths: list[str], headers: dict[str, str]) -> str:
    out = []
    for path in paths:
        response = client.get(BASE + path, headers=headers)
        assert response.status_code in (200, 401, 404), (path, response.status_code)
        out.append(response.content.decode("utf-8"))
    # JSON escapes non-ASCII; compare on the decoded text as well as the raw body.
    return "\n".join(out + [json.dumps(json.loads(b), ensure_ascii=False) for b in out if b.startswith("{")])


def _assert_sees_only(body: str, sample: Sample, ceiling: Sensitivity | None, who: str) -> None:
    org_a_canaries = [c for c in sample.canaries if "org-b" not in c]
    org_b_canaries = [c for c in sample.canaries if "org-b" in c]
    if ceiling is None:
        forbidden = org_a_canaries
        assert str(sample.person_a.uuid) not in body, who
    else:
        forbidden = sample.forbidden_for(ceiling)
        # Not vacuous: what the audience may see is there.
        allowed = [c for c in org_a_canaries if c not in forbidden]
        assert allowed and all(c in body for c in allowed), (who, [c for c in allowed if c not in body])
    forbidden += [c for c in sample.canaries if sample.canaries[c] == Sensitivity.SEALED]
    if who not in ("chris", "org-b-token"):
        forbidden += org_b_canaries
    leaked = sorted({c for c in forbidden if c in body})
    assert leaked == [], f"{who} sees {leaked}"


@pytest.fixture
def sample(cast: Any) -> Sample:
    made = make_sample(cast)
    made.person_a.case_team.add(cast.amal)
    return made


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_it_shows_each_persona_only_what_their_audience_may_see(cast: Any, sample: Sample, persona: str) -> None:
    client = Client()
    user = cast.persona(persona)
    if user is not None:
        client.force_login(user)
    body = _bodies(client, _paths(sample), {})
    _assert_sees_only(body, sample, SESSION_CEILING[persona], persona)
    if persona == "chris":
        assert "CANARY-org-b-notes-internal" in body  # his own organisation's record, in full


@pytest.mark.django_db
@pytest.mark.parametrize("scope", [s.value for s in Scope])
@pytest.mark.parametrize("org", ["org-a", "org-b"])
def test_it_shows_each_token_only_what_its_audience_may_see(cast: Any, sample: Sample, scope: str, org: str) -> None:
    organisation = cast.org_a if org == "org-a" else cast.org_b
    _token, raw = do_create_api_token(organisation=organisation, name="leak test", scopes=[scope],
                                      acting_user=cast.dana)
    body = _bodies(Client(), _paths(sample), {"Authorization": f"Bearer {raw}"})
    # A token is staff of its organisation and nobody's case team.
    _assert_sees_only(body, sample, Sensitivity.INTERNAL if org == "org-a" else None, f"{org}-token")


@pytest.mark.django_db
def test_it_never_returns_sealed_values_even_to_the_case_team_on_writes(cast: Any, sample: Sample) -> None:
    client = Client()
    client.force_login(cast.amal)  # on the case team: the most any audience reaches through the API
    sent = {"kind": "parent", "name": "CANARY-new-name-sealed", "contact": "CANARY-new-contact-sealed",
            "notes": "CANARY-new-notes-restricted"}
    response = client.post(f"{BASE}/people/{sample.person_a.uuid}/relationships", data=json.dumps(sent),
                           content_type="application/json")
    assert response.status_code == 201
    assert "sealed" not in response.content.decode() and response.json()["notes"] == "CANARY-new-notes-restricted"
    source = client.post(f"{BASE}/sources", data=json.dumps({"label": "S", "connection": "witness",
                                                             "identity": "CANARY-new-identity-sealed"}),
                         content_type="application/json")
    assert source.status_code == 201 and "CANARY" not in source.content.decode()
    detail = client.get(f"{BASE}/people/{sample.person_a.uuid}").content.decode()
    assert "-sealed" not in detail and "CANARY-new-notes-restricted" in detail

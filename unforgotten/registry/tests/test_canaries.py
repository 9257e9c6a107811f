"""Canaries: every registry page, as every persona, shows no value above what the persona's audience may see.

``make_sample`` plants a distinct ``CANARY-…`` token in every field above
public. Staff of Org A (Amal, Bilal, Dana, Vera) may see internal tokens; the
case team may see restricted ones too; sealed tokens appear only in the answer
to an explicit reveal (tested in test_reveal.py), so never here. Everyone else
(Chris, Pat, signed-out visitors, deactivated Dmitri) sees no token of Org A,
and only Chris, staff of Org B, sees Org B's.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from unforgotten.policy.sensitivity import Sensitivity
from unforgotten.registry import actions
from unforgotten.registry.testing import Sample, make_sample
from unforgotten.testing import PERSONA_NAMES

STAFF_A = {"amal", "bilal", "dana", "vera", "cleo"}  # Cleo the coordinator reads as staff (decision 0026)
# The sample's one Org B canary: internal to Org B, so Chris may read it and nobody else.
ORG_B = {"CANARY-org-b-notes-internal"}


def _urls(sample: Sample) -> list[str]:
    base = f"/work/registry/people/{sample.person_a.uuid}/"
    consent = sample.person_a.consents.first()
    assert consent is not None
    lists = ["/work/registry/people/", "/work/registry/people/?q=kalesnikava", "/work/registry/people/?q=Калеснікава",
             "/work/registry/people/?q=CANARY", "/work/registry/people/?country=BY&status=imprisoned&theme=assembly"
             f"&article={sample.article.pk}&facility={sample.facility.pk}&recognition=political_prisoner&sort=country",
             "/work/registry/people/?date_field=detention&date_from=2020-01-01&sort=status_date",
             "/work/registry/people/?country=XY", "/work/registry/people/new/"]
    person = [base, f"/work/registry/people/{sample.person_b.uuid}/"]
    forms = [f"{base}{path}" for path in (
        "edit/", "names/", "cases/new/", f"cases/{sample.case_a.pk}/edit/", f"charges/new/?case={sample.case_a.pk}",
        "hearings/new/", "sentences/new/", "detentions/new/", f"detentions/{sample.detention_a.pk}/edit/",
        "status/new/", "relationships/new/", "consents/new/", f"consents/{consent.pk}/withdraw/", "sources/new/",
        "decisions/new/", "decisions/new/?framework=pace_1900",
        f"relationships/{sample.relationship_a.uuid}/reveal/", f"sources/{sample.source_a.uuid}/reveal/")]
    return lists + person + forms


def _ceiling(persona: str, team: set[str]) -> Sensitivity:
    if persona in team:
        return Sensitivity.RESTRICTED
    if persona in STAFF_A:
        return Sensitivity.INTERNAL
    return Sensitivity.PUBLIC


@pytest.mark.django_db
@pytest.mark.parametrize("team", [set(), {"amal", "vera"}], ids=["no-case-team", "amal-and-vera-on-the-team"])
def test_it_shows_no_persona_a_value_above_its_audience(cast: Any, team: set[str]) -> None:
    sample = make_sample(cast)
    # A later change to a restricted field: the history panel must not show its value either.
    actions.do_update_case(case=sample.case_a, data={"legal_strategy": "CANARY-strategy-v2-restricted"},
                           acting_user=cast.dana, reason="new strategy")
    sample.canaries["CANARY-strategy-v2-restricted"] = Sensitivity.RESTRICTED
    for name in team:
        sample.person_a.case_team.add(cast.persona(name))
    urls = _urls(sample)
    leaks: list[str] = []
    rendered = 0
    for persona in PERSONA_NAMES:
        client = Client()
        user = cast.persona(persona)
        if user is not None:
            client.force_login(user)
        forbidden = [t for t in sample.forbidden_for(_ceiling(persona, team)) if t not in ORG_B]
        forbidden += [] if persona == "chris" else sorted(ORG_B)
        for url in urls:
            for method in ("get", "post"):
                response = getattr(client, method)(url, {} if method == "post" else None)
                body = response.content.decode() + "".join(str(v) for v in response.headers.values())
                rendered += response.status_code in (200, 400)
                leaks += [f"{persona} {method.upper()} {url}: {token}" for token in forbidden if token in body]
    assert leaks == []
    assert rendered > 100  # the pages were really rendered, not only refused


@pytest.mark.django_db
def test_it_lets_staff_read_internal_values_so_the_canary_test_can_bite(cast: Any) -> None:
    sample = make_sample(cast)
    sample.person_a.case_team.add(cast.amal)
    base = f"/work/registry/people/{sample.person_a.uuid}/"
    vera = Client()
    vera.force_login(cast.vera)
    body = vera.get(base).content.decode()
    assert "CANARY-internal-notes-internal" in body and "CANARY-deliberations-internal" in body
    amal = Client()
    amal.force_login(cast.amal)
    body = amal.get(base).content.decode()
    assert "CANARY-legal-strategy-restricted" in body and "CANARY-health-restricted" in body
    assert "CANARY-monitor-notes-restricted" in body and "CANARY-family-notes-restricted" in body

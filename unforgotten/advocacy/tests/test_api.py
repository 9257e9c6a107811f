"""The advocacy API (issue 8, item 7): the same policy, 422 naming the field with nothing saved, tokens by scope."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from unforgotten.advocacy.models import CadenceRule, Intervention, Stakeholder
from unforgotten.testing import signed_in

pytestmark = pytest.mark.django_db


def _token(cast: Any, *scopes: str) -> str:
    from unforgotten.api.actions import do_create_api_token

    _row, raw = do_create_api_token(organisation=cast.org_a, name="t", scopes=list(scopes), acting_user=cast.dana)
    return raw


def test_it_answers_bad_input_with_the_field_named_and_saves_nothing(cast: Any, sample: Any, adv: Any) -> None:
    client = signed_in(cast.ada)
    url = f"/api/v1/advocacy/cases/{sample.case_a.pk}/interventions"
    before = Intervention.objects.count()
    cases = [
        ({"stakeholder": str(adv.stakeholder.uuid), "method": "carrier pigeon"}, "method"),
        ({"stakeholder": str(adv.stakeholder.uuid), "method": "letter", "occurred": "2021-02-30"}, "occurred"),
        ({"stakeholder": "00000000-0000-4000-8000-000000000000", "method": "letter"}, "stakeholder"),
        ({"stakeholder": str(adv.stakeholder.uuid), "method": "letter", "organisation": 2}, "organisation"),
        ({"stakeholder": str(adv.stakeholder.uuid), "method": "letter", "occurred_on": "2020-01-01"}, "occurred_on"),
    ]
    for body, field in cases:
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 422, body
        assert any(e["where"].endswith(field) for e in response.json()["errors"]), (body, response.json())
    assert Intervention.objects.count() == before


def test_it_sets_a_cadence_rule_once_per_case_and_stakeholder(cast: Any, sample: Any, adv: Any) -> None:
    client = signed_in(cast.ada)
    url = f"/api/v1/advocacy/cases/{sample.case_a.pk}/cadence-rules"
    body = {"stakeholder": str(adv.stakeholder.uuid), "every_days": 14}
    first = client.put(url, body, content_type="application/json")
    assert first.status_code == 200 and first.json()["every_days"] == 14 and first.json()["days_overdue"] == 76
    assert CadenceRule.objects.filter(case=sample.case_a, stakeholder=adv.stakeholder).count() == 1
    assert client.put(url, {**body, "every_days": 0}, content_type="application/json").status_code == 422
    gone = client.delete(f"/api/v1/advocacy/cadence-rules/{first.json()['id']}")
    assert gone.status_code == 204 and not CadenceRule.objects.filter(pk=first.json()["id"]).exists()


def test_it_lets_a_token_record_only_with_the_advocacy_scope(cast: Any, sample: Any, adv: Any) -> None:
    url = f"/api/v1/advocacy/cases/{sample.case_a.pk}/interventions"
    body = {"stakeholder": str(adv.stakeholder.uuid), "method": "demarche", "occurred": "2025-05"}
    read = _token(cast, "read", "write")
    refused = Client().post(url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {read}")
    assert refused.status_code == 404
    assert Client().get(url.rsplit("/", 1)[0], HTTP_AUTHORIZATION=f"Bearer {read}").status_code == 200
    advocacy = _token(cast, "advocacy")
    done = Client().post(url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {advocacy}")
    assert done.status_code == 201 and done.json()["method"] == "demarche"
    assert "notes" not in done.json()  # a token is nobody's case team


def test_it_answers_org_b_exactly_as_for_records_that_do_not_exist(cast: Any, sample: Any, adv: Any) -> None:
    chris = signed_in(cast.chris)
    ghost = "00000000-0000-4000-8000-000000000000"
    pairs = [
        (f"/api/v1/advocacy/stakeholders/{adv.stakeholder.uuid}", f"/api/v1/advocacy/stakeholders/{ghost}"),
        (f"/api/v1/advocacy/cases/{sample.case_a.pk}", "/api/v1/advocacy/cases/999999999"),
        (f"/api/v1/advocacy/people/{sample.person_a.uuid}/adoptions", f"/api/v1/advocacy/people/{ghost}/adoptions"),
    ]
    for real, missing in pairs:
        a, b = chris.get(real), chris.get(missing)
        assert (a.status_code, a.content) == (b.status_code, b.content) == (404, b.content)
    assert chris.get("/api/v1/advocacy/stakeholders").json()["items"] == []
    assert Stakeholder.objects.filter(organisation=cast.org_a).count() == 2


def test_it_records_an_intervention_and_the_response_later(cast: Any, sample: Any, adv: Any) -> None:
    client = signed_in(cast.ada)
    created = client.post(f"/api/v1/advocacy/cases/{sample.case_a.pk}/interventions", {
        "stakeholder": str(adv.stakeholder.uuid), "method": "letter", "asked": "Ask for her release",
        "follow_up_on": "2030-01-10"}, content_type="application/json")
    assert created.status_code == 201 and created.json()["outcome"] == "pending"
    key = created.json()["uuid"]
    patched = client.patch(f"/api/v1/advocacy/interventions/{key}", {
        "response": "The ambassador raised it.", "outcome": "raised"}, content_type="application/json")
    assert patched.status_code == 200 and patched.json()["response"] == "The ambassador raised it."
    summary = client.get(f"/api/v1/advocacy/cases/{sample.case_a.pk}").json()
    assert summary["last_intervention_on"] is not None
    assert any(i["uuid"] == key for i in summary["interventions"])

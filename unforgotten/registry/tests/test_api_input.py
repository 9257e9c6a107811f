"""Bad input to the registry API: 422 in the API's one shape, naming the field, and nothing half-saved."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.apps import apps
from django.test import Client

from unforgotten.api.actions import do_create_api_token
from unforgotten.audit.models import AuditEvent
from unforgotten.registry import actions
from unforgotten.registry.actions import NameInput
from unforgotten.registry.models import Person
from unforgotten.registry.testing import Sample, make_sample

BASE = "/api/v1/registry"
PERSON = {"names": [{"text": "Ihar Losik"}], "country": "BY"}


def _rows() -> dict[str, int]:
    """Every registry table (history included) and the audit trail: what "nothing saved" is checked against."""
    counts = {m._meta.label: m._default_manager.count() for m in apps.get_app_config("registry").get_models()}
    counts["audit"] = AuditEvent.objects.count()
    return counts


@pytest.fixture
def sample(cast: Any) -> Sample:
    return make_sample(cast)


@pytest.fixture(params=["amal-session", "org-a-token"])
def client(request: Any, cast: Any) -> Any:
    c = Client()
    if request.param == "amal-session":
        c.force_login(cast.amal)
        headers: dict[str, str] = {}
    else:
        _t, raw = do_create_api_token(organisation=cast.org_a, name="t", scopes=["write"], acting_user=cast.dana)
        headers = {"Authorization": f"Bearer {raw}"}

    def send(method: str, path: str, body: Any) -> Any:
        data = body if isinstance(body, str) else json.dumps(body)
        return getattr(c, method)(BASE + path, data=data, content_type="application/json", headers=headers)

    return send


def _refused(response: Any) -> dict[str, str]:
    """{where: problem} of a 422 in the API's uniform shape."""
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["error"] == "invalid input" and set(body) == {"error", "errors"}
    return {e["where"]: e["problem"] for e in body["errors"]}


CASES: list[tuple[str, str, Any, str, str]] = [
    # method, path ({person}, {case}), body, where, part of the problem
    ("post", "/people", {**PERSON, "birth_date": "2021-02-30"}, "body.payload.birth_date",
     "day 30 does not exist in February 2021"),
    ("post", "/people", {**PERSON, "birth_date": "2021-13"}, "body.payload.birth_date", "month 13 does not exist"),
    ("post", "/people", {**PERSON, "birth_date": "March 2021"}, "body.payload.birth_date", "expected YYYY, YYYY-MM"),
    ("post", "/people", {**PERSON, "birth_date": "2999"}, "body.payload.birth_date", "is in the future"),
    ("post", "/people", {**PERSON, "birth_date": "1990", "death_date": "1980"}, "body.payload.death_date",
     "is before the birth date"),
    ("post", "/people", {**PERSON, "country": "XY"}, "body.payload.country", "'XY' is not an ISO 3166 country code"),
    ("post", "/people", {**PERSON, "citizenships": ["BY", "QQ"]}, "body.payload.citizenships.1", "'QQ' is not"),
    ("post", "/people", {**PERSON, "names": "Ihar Losik"}, "body.payload.names", "valid list"),
    ("post", "/people", {**PERSON, "names": []}, "body.payload.names", "at least 1 item"),
    ("post", "/people", {**PERSON, "names": [{"text": "A", "is_primary": True}, {"text": "B", "is_primary": True}]},
     "body.payload.names", "Mark only one name as primary"),
    ("post", "/people", {**PERSON, "gender": "unknowable"}, "body.payload.gender", "Input should be"),
    ("post", "/people", {**PERSON, "internal_notes": "nul\x00byte"}, "body.payload.internal_notes", "NUL"),
    ("post", "/people", {**PERSON, "organisation": 2}, "body.payload.organisation", "cannot be set"),
    ("post", "/people", {**PERSON, "organisation_id": 2}, "body.payload.organisation_id", "cannot be set"),
    ("post", "/people", {**PERSON, "sensitivity_floor": 0}, "body.payload.sensitivity_floor", "cannot be set"),
    ("post", "/people", {**PERSON, "current_status": "released"}, "body.payload.current_status", "cannot be set"),
    ("post", "/people", {**PERSON, "favourite_colour": "red"}, "body.payload.favourite_colour", "not a field"),
    ("patch", "/people/{person}", {"sensitivity_floor": 0}, "body.payload.sensitivity_floor", "cannot be set"),
    ("patch", "/people/{person}", {"organisation_id": 2}, "body.payload.organisation_id", "cannot be set"),
    ("patch", "/people/{person}", {"country": None}, "body.payload.country", "valid string"),
    ("patch", "/people/{person}", {"death_date": "1900"}, "body.payload.death_date", "before the birth date"),
    ("put", "/people/{person}/names", {"names": [{"text": "x" * 301}]}, "body.payload.names.0.text", "at most 300"),
    ("post", "/people/{person}/cases", {"jurisdiction": "ZZ"}, "body.payload.jurisdiction", "not an ISO 3166"),
    ("patch", "/cases/{case}", {"opened_on": "2020-02-30"}, "body.payload.opened_on", "does not exist"),
    ("patch", "/cases/{case}", {"organisation": 2}, "body.payload.organisation", "cannot be set"),
    ("post", "/cases/{case}/charges", {"law_article_id": 999999}, "body.payload.law_article_id", "no such law article"),
    ("post", "/cases/{case}/charges", {"law_article_id": "1"}, "body.payload.law_article_id", "valid integer"),
    ("post", "/cases/{case}/hearings", {"court": "C", "in_absentia": 0}, "body.payload.in_absentia", "valid boolean"),
    ("post", "/cases/{case}/hearings", {"court": "C", "judge_ids": [999999]}, "body.payload.judge_ids",
     "officials your organisation records"),
    ("post", "/cases/{case}/sentences", {"years": "11"}, "body.payload.years", "valid integer"),
    ("post", "/cases/{case}/sentences", {"sentence_type": "imprisonment"}, "body.payload.years",
     "Give the length of the sentence"),
    ("post", "/cases/{case}/sentences", {"years": 2, "months": 14}, "body.payload.months", "belong in years"),
    ("post", "/people/{person}/detentions", {"kind": "pre_trial", "start": "2021-03", "end": "2020"},
     "body.payload.end", "The end of detention (2020) is before the start (2021-03)."),
    ("post", "/people/{person}/detentions", {"kind": "pre_trial", "case_id": "{org_b_case}"},
     "body.payload.case_id", "not one of this person's cases"),
    ("post", "/people/{person}/detentions", {"kind": "pre_trial", "facility_id": 999999},
     "body.payload.facility_id", "no such facility"),
    ("post", "/people/{person}/status-changes", {"status": "released", "effective": "2999-01"},
     "body.payload.effective", "is in the future"),
    ("post", "/people/{person}/relationships", {"kind": "sibling", "related_person": "{org_b_person}"},
     "body.payload.related_person", "Link only people your organisation records"),
    ("post", "/people/{person}/consents", {"scope": "name", "given_by": "sister", "given_on": 0},
     "body.payload.given_on", "as text"),
    ("post", "/people/{person}/consents", {"scope": "name", "given_by": "sister", "given_on": "2021-02-30"},
     "body.payload.given_on", "date"),
    ("post", "/sources", {"label": "S", "connection": "media", "url": "not a url"}, "body.payload.url",
     "valid URL"),
    ("post", "/law-articles", {"country": "BY", "code": "Criminal Code", "article": "342", "part": "1"},
     "body.payload", "already exists"),
    ("post", "/facilities", {"name": "F", "country": "B1"}, "body.payload.country", "not an ISO 3166"),
    ("post", "/officials", {"name": "N", "role": "executioner"}, "body.payload.role", "Input should be"),
    ("post", "/people", "{not json", "body", "The body is not JSON"),
    ("post", "/people", "", "body.payload", "Field required"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path", "body", "where", "problem"), CASES,
                         ids=[f"{c[0]} {c[1]} {c[3]}" for c in CASES])
def test_it_refuses_bad_input_naming_the_field_and_saves_nothing(
        sample: Sample, client: Any, method: str, path: str, body: Any, where: str, problem: str) -> None:
    org_b_case = actions.do_add_case(person=sample.person_b, data={"jurisdiction": "BY"}, acting_user=None)
    values = {"person": str(sample.person_a.uuid), "case": str(sample.case_a.pk), "org_b_case": org_b_case.pk,
              "org_b_person": str(sample.person_b.uuid)}
    if isinstance(body, dict):
        body = {k: (values[v[1:-1]] if isinstance(v, str) and v[1:-1] in values else v) for k, v in body.items()}
    before = _rows()
    errors = _refused(client(method, path.format(**values), body))
    assert where in errors, errors
    assert problem in errors[where], errors
    assert _rows() == before


@pytest.mark.django_db
def test_it_refuses_a_sentence_for_another_organisations_case_as_not_found(sample: Sample, client: Any) -> None:
    org_b_case = actions.do_add_case(person=sample.person_b, data={"jurisdiction": "BY"}, acting_user=None)
    before = _rows()
    response = client("post", f"/cases/{org_b_case.pk}/sentences", {"years": 3, "handed_down_on": "2022"})
    assert (response.status_code, response.content) == (404, b'{"error": "not found"}')
    assert _rows() == before


@pytest.mark.django_db
def test_it_refuses_recognition_that_breaks_the_framework_and_saves_nothing(cast: Any, sample: Sample) -> None:
    bilal = Client()
    bilal.force_login(cast.bilal)
    before = _rows()
    response = bilal.post(f"{BASE}/people/{sample.person_a.uuid}/decisions", content_type="application/json",
                          data=json.dumps({"framework": "pace_1900", "outcome": "political_prisoner",
                                           "decided_on": "2023-01-01",
                                           "criteria": [{"code": "a", "result": "unclear"},
                                                        {"code": "zz", "result": "met"}]}))
    errors = _refused(response)
    assert "'zz' is not a criterion of pace_1900." in errors["body.payload.criteria"]
    assert _rows() == before


@pytest.mark.django_db
def test_it_asks_which_organisation_when_the_caller_records_for_several(cast: Any) -> None:
    from unforgotten.accounts.models import Membership

    Membership.objects.create(user=cast.amal, organisation=cast.org_b, roles=["caseworker"])
    amal = Client()
    amal.force_login(cast.amal)
    before = _rows()
    errors = _refused(amal.post(f"{BASE}/people", data=json.dumps(PERSON), content_type="application/json"))
    assert "several organisations" in errors["query.organisation"]
    assert _rows() == before
    created = amal.post(f"{BASE}/people?organisation={cast.org_b.slug}", data=json.dumps(PERSON),
                        content_type="application/json")
    assert created.status_code == 201
    assert Person.objects.get(uuid=created.json()["uuid"]).organisation_id == cast.org_b.pk
    ghost = amal.post(f"{BASE}/people?organisation=no-such-org", data=json.dumps(PERSON),
                      content_type="application/json")
    assert (ghost.status_code, ghost.content) == (404, b'{"error": "not found"}')


@pytest.mark.django_db
def test_it_leaves_fields_not_given_in_a_patch_unchanged(cast: Any) -> None:
    person = actions.do_create_person(organisation=cast.org_a, names=[NameInput("Somebody")],
                                      data={"country": "BY", "religion": "Orthodox", "birth_date": "1970"},
                                      acting_user=cast.amal)
    amal = Client()
    amal.force_login(cast.amal)
    response = amal.patch(f"{BASE}/people/{person.uuid}", data=json.dumps({"occupation": "student"}),
                          content_type="application/json")
    assert response.status_code == 200
    person.refresh_from_db()
    assert (person.occupation, person.religion, str(person.birth_date), person.country) == (
        "student", "Orthodox", "1970", "BY")

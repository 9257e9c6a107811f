"""The registry API end to end: records made, read, changed and found through /api/v1/registry/.

Every write goes through the action functions (audited); every read is the
caller's projection; other organisations' records are "not found".
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from unforgotten.api.actions import do_create_api_token
from unforgotten.audit.models import AuditEvent
from unforgotten.core.partialdate import PartialDate
from unforgotten.registry import actions
from unforgotten.registry.actions import NameInput
from unforgotten.registry.models import Consent, Person, Relationship, Sentence, Source
from unforgotten.registry.testing import make_sample

BASE = "/api/v1/registry"
NOT_FOUND = b'{"error": "not found"}'


class Caller:
    """A client speaking JSON to the registry API, signed in by session or by token."""

    def __init__(self, *, user: Any = None, token: str | None = None) -> None:
        self.client = Client()
        if user is not None:
            self.client.force_login(user)
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.client.get(BASE + path, params or {}, headers=self.headers)

    def send(self, method: str, path: str, body: Any) -> Any:
        return getattr(self.client, method)(BASE + path, data=json.dumps(body), content_type="application/json",
                                            headers=self.headers)

    def post(self, path: str, body: Any) -> Any:
        return self.send("post", path, body)

    def patch(self, path: str, body: Any) -> Any:
        return self.send("patch", path, body)

    def put(self, path: str, body: Any) -> Any:
        return self.send("put", path, body)


def token_for(cast: Any, org: Any, *scopes: str) -> str:
    _token, raw = do_create_api_token(organisation=org, name="test", scopes=list(scopes), acting_user=cast.dana)
    return raw


@pytest.fixture(params=["amal-session", "org-a-token"])
def writer(request: Any, cast: Any) -> Caller:
    if request.param == "amal-session":
        return Caller(user=cast.amal)
    return Caller(token=token_for(cast, cast.org_a, "read", "write"))


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.content
    return response.json()


@pytest.mark.django_db
def test_it_records_a_whole_prisoner_and_reads_it_back(cast: Any, writer: Caller) -> None:
    person = _ok(writer.post("/people", {
        "names": [{"text": "Ihar Losik", "script": "Latn", "language": "en", "kind": "legal", "is_primary": True},
                  {"text": "Ігар Лосік", "language": "be"}],
        "country": "by", "gender": "male", "birth_date": "1992-05", "occupation": "blogger",
        "citizenships": ["by"], "internal_notes": "met his lawyer in May"}), 201)
    uuid = person["uuid"]
    assert (person["display_name"], person["country"], person["birth_date"], person["citizenships"]) == (
        "Ihar Losik", "BY", "1992-05", ["BY"])
    assert [(n["text"], n["script"], n["is_primary"]) for n in person["names"]] == [
        ("Ihar Losik", "Latn", True), ("Ігар Лосік", "Cyrl", False)]
    stored = Person.objects.get(uuid=uuid)
    assert stored.organisation_id == cast.org_a.pk

    # Catalogues and officials the case refers to.
    article = _ok(writer.post("/law-articles", {"country": "BY", "code": "Criminal Code", "article": "342",
                                                "title": "Gross violation of public order"}), 201)
    facility = _ok(writer.post("/facilities", {"name": "Pre-trial Centre No. 1", "kind": "pre_trial_centre",
                                               "country": "BY", "place": "Minsk"}), 201)
    judge = _ok(writer.post("/officials", {"name": "Judge Dredd", "role": "judge"}), 201)

    case = _ok(writer.post(f"/people/{uuid}/cases", {"jurisdiction": "BY", "theme": "expression",
                                                      "opened_on": "2020-06", "case_number": "12-2020"}), 201)
    case = _ok(writer.patch(f"/cases/{case['id']}", {"procedural_stage": "sentenced"}))
    assert (case["procedural_stage"], case["theme"], case["opened_on"]) == ("sentenced", "expression", "2020-06")
    charge = _ok(writer.post(f"/cases/{case['id']}/charges", {"law_article_id": article["id"], "status": "convicted"}),
                 201)
    assert charge["law_article"]["article"] == "342"
    hearing = _ok(writer.post(f"/cases/{case['id']}/hearings", {
        "court": "Gomel Regional Court", "held_on": "2021-12-14", "judge_ids": [judge["id"]], "is_open": False}), 201)
    assert [j["name"] for j in hearing["judges"]] == ["Judge Dredd"]
    sentence = _ok(writer.post(f"/cases/{case['id']}/sentences", {
        "years": 15, "handed_down_on": "2021-12-14", "counts_from": "2020-06-25", "regime": "strict regime"}), 201)
    assert sentence["expected_release"] == "2035-06-25"
    detention = _ok(writer.post(f"/people/{uuid}/detentions", {
        "kind": "pre_trial", "case_id": case["id"], "start": "2020-06-25", "end": "2021-12-14",
        "facility_id": facility["id"]}), 201)
    assert (detention["facility"]["name"], detention["case_id"]) == ("Pre-trial Centre No. 1", case["id"])
    _ok(writer.post(f"/people/{uuid}/status-changes", {"status": "imprisoned", "effective": "2021-12-14"}), 201)

    relationship = _ok(writer.post(f"/people/{uuid}/relationships", {
        "kind": "spouse", "name": "SEALED-spouse-name", "contact": "SEALED-+375-00-000", "notes": "visits monthly"}),
        201)
    consent = _ok(writer.post(f"/people/{uuid}/consents", {"scope": "name", "given_by": "spouse",
                                                           "given_on": "2021-01-02"}), 201)
    withdrawn = _ok(writer.post(f"/consents/{consent['id']}/withdraw", {"withdrawn_on": "2022-03-04",
                                                                       "reason": "asked by the family"}))
    assert withdrawn["withdrawn_on"] == "2022-03-04"
    source = _ok(writer.post("/sources", {"label": "Source 7", "connection": "relative", "reliability": "B",
                                          "identity": "SEALED-source-identity"}), 201)
    actions.do_cite(source=Source.objects.get(uuid=source["uuid"]), target=stored, acting_user=cast.dana)

    # Sealed values are accepted, encrypted, and never returned.
    rel = Relationship.objects.get(uuid=relationship["uuid"])
    assert rel.project_contact_sealed() == "SEALED-+375-00-000"
    assert "SEALED" not in json.dumps(relationship) + json.dumps(source)

    # Changes to the person and their names.
    person = _ok(writer.patch(f"/people/{uuid}", {"occupation": "journalist", "birth_place": "Baranavichy"}))
    assert (person["occupation"], person["birth_place"], person["birth_date"]) == ("journalist", "Baranavichy",
                                                                                   "1992-05")
    names = _ok(writer.put(f"/people/{uuid}/names", {"names": [{"text": "Ihar Losik", "is_primary": True},
                                                               {"text": "Igor Losik", "kind": "transliteration"}]}))
    assert [n["text"] for n in names] == ["Ihar Losik", "Igor Losik"]

    full = _ok(writer.get(f"/people/{uuid}"))
    assert (full["current_status"], full["current_status_date"]) == ("imprisoned", "2021-12-14")
    assert [n["text"] for n in full["names"]] == ["Ihar Losik", "Igor Losik"]
    (case_out,) = full["cases"]
    assert [c["law_article_id"] for c in case_out["charges"]] == [article["id"]]
    assert [h["court"] for h in case_out["hearings"]] == ["Gomel Regional Court"]
    assert [s["expected_release"] for s in case_out["sentences"]] == ["2035-06-25"]
    assert [(d["start"], d["end"]) for d in full["detentions"]] == [("2020-06-25", "2021-12-14")]
    assert [(c["status"], c["effective"]) for c in full["status_changes"]] == [("imprisoned", "2021-12-14")]
    assert [(r["kind"], r["related_person"]) for r in full["relationships"]] == [("spouse", None)]
    assert [(c["scope"], c["withdrawn_on"]) for c in full["consents"]] == [("name", "2022-03-04")]
    assert [(s["label"], [c["target_type"] for c in s["citations"]]) for s in full["sources"]] == [
        ("Source 7", ["registry.person"])]
    assert "SEALED" not in json.dumps(full)

    # Every write left an audit event naming the caller.
    caller = AuditEvent.objects.filter(object_type="registry.person", object_id=str(stored.pk),
                                       action="registry.create_person").get().actor_label
    assert caller == "amal@example.org" or caller.startswith("token:uft_")
    assert AuditEvent.objects.filter(action="registry.withdraw_consent", reason="asked by the family").count() == 1

    # And the person is found by every filter.
    for params in ({"country": "BY"}, {"status": "imprisoned"}, {"occupation": "journalist"},
                   {"theme": "expression"}, {"law_article": article["id"]}, {"facility": facility["id"]},
                   {"q": "losik"}, {"q": "Лосік"}, {"q": "igor"}, {"country": "by", "status": "imprisoned"}):
        listed = _ok(writer.get("/people", params))
        assert [p["uuid"] for p in listed["items"]] == [uuid], params
    for params in ({"country": "RU"}, {"status": "released"}, {"theme": "religion"}, {"q": "kalesnik"}):
        assert _ok(writer.get("/people", params))["count"] == 0, params


@pytest.mark.django_db
def test_it_lists_in_pages_sorted_by_name(cast: Any) -> None:
    for name in ("Zina", "Anna", "Maria"):
        actions.do_create_person(organisation=cast.org_a, names=[NameInput(name)], data={"country": "AM"},
                                 acting_user=cast.dana)
    reader = Caller(token=token_for(cast, cast.org_a, "read"))
    first = _ok(reader.get("/people", {"page_size": 2}))
    second = _ok(reader.get("/people", {"page_size": 2, "page": 2}))
    assert first["count"] == second["count"] == 3
    assert [p["display_name"] for p in first["items"] + second["items"]] == ["Anna", "Maria", "Zina"]
    assert _ok(reader.get("/people", {"page": 10**12}))["items"] == []


@pytest.mark.django_db
def test_it_gives_no_release_date_past_the_end_of_the_calendar(cast: Any) -> None:
    sample = make_sample(cast)
    amal = Caller(user=cast.amal)
    sentence = _ok(amal.post(f"/cases/{sample.case_a.pk}/sentences", {"years": 50, "counts_from": "9990"}), 201)
    assert sentence["expected_release"] == ""
    listed = _ok(amal.get(f"/people/{sample.person_a.uuid}"))["cases"][0]["sentences"]
    assert {s["id"]: s["expected_release"] for s in listed}[sentence["id"]] == ""


@pytest.mark.django_db
def test_it_lets_a_reviewer_record_recognition_by_session_and_never_a_token(cast: Any) -> None:
    sample = make_sample(cast)
    uuid = sample.person_a.uuid
    body = {"framework": "wgad", "outcome": "prisoner_of_conscience", "decided_on": "2023-02-01",
            "case_id": sample.case_a.pk, "public_rationale": "Jailed for her music.",
            "criteria": [{"code": "II", "result": "met", "rationale": "Expression"},
                         {"code": "III", "result": "unclear"}]}
    every_scope = Caller(token=token_for(cast, cast.org_a, "read", "write", "export", "audit"))
    refused = every_scope.post(f"/people/{uuid}/decisions", body)
    assert (refused.status_code, refused.content) == (404, NOT_FOUND)
    assert Caller(user=cast.amal).post(f"/people/{uuid}/decisions", body).status_code == 404  # caseworker
    decision = _ok(Caller(user=cast.bilal).post(f"/people/{uuid}/decisions", body), 201)
    assert [(c["code"], c["result"]) for c in decision["criteria"]] == [("II", "met"), ("III", "unclear")]
    person = Person.objects.get(uuid=uuid)
    assert person.recognition_outcome == "prisoner_of_conscience"
    assert list(person.decisions.get(pk=decision["id"]).reviewers.all()) == [cast.bilal]


@pytest.mark.django_db
@pytest.mark.parametrize("outsider", ["chris-session", "chris-token"])
def test_it_answers_not_found_for_another_organisations_records(cast: Any, outsider: str) -> None:
    sample = make_sample(cast)
    chris = (Caller(user=cast.chris) if outsider == "chris-session"
             else Caller(token=token_for(cast, cast.org_b, "read", "write", "export", "audit")))
    person, case = sample.person_a, sample.case_a
    consent = Consent.objects.filter(person=person).first()
    assert consent is not None
    ghost_uuid, ghost_id = "00000000-0000-4000-8000-000000000000", 999999
    before = (Person.objects.count(), Sentence.objects.count(), AuditEvent.objects.count())
    pairs = [
        (chris.get(f"/people/{person.uuid}"), chris.get(f"/people/{ghost_uuid}")),
        (chris.patch(f"/people/{person.uuid}", {"internal_notes": "x"}),
         chris.patch(f"/people/{ghost_uuid}", {"internal_notes": "x"})),
        (chris.put(f"/people/{person.uuid}/names", {"names": [{"text": "x"}]}),
         chris.put(f"/people/{ghost_uuid}/names", {"names": [{"text": "x"}]})),
        (chris.post(f"/cases/{case.pk}/sentences", {"years": 1}), chris.post(f"/cases/{ghost_id}/sentences", {"years": 1})),
        (chris.patch(f"/cases/{case.pk}", {"theme": "religion"}), chris.patch(f"/cases/{ghost_id}", {"theme": "religion"})),
        (chris.post(f"/people/{person.uuid}/status-changes", {"status": "released"}),
         chris.post(f"/people/{ghost_uuid}/status-changes", {"status": "released"})),
        (chris.post(f"/consents/{consent.pk}/withdraw", {"withdrawn_on": "2022-01-01"}),
         chris.post(f"/consents/{ghost_id}/withdraw", {"withdrawn_on": "2022-01-01"})),
        # A bad body changes nothing: the refusal comes before the body is read.
        (chris.post(f"/cases/{case.pk}/sentences", {"years": "many"}),
         chris.post(f"/cases/{ghost_id}/sentences", {"years": "many"})),
    ]
    for real, ghost in pairs:
        assert (real.status_code, real.content) == (ghost.status_code, ghost.content) == (404, NOT_FOUND)
    assert (Person.objects.count(), Sentence.objects.count(), AuditEvent.objects.count()) == before
    listed = _ok(chris.get("/people", {"page_size": 100}))
    assert [p["uuid"] for p in listed["items"]] == [str(sample.person_b.uuid)]
    assert str(person.uuid) not in json.dumps(_ok(chris.get("/officials"))) + json.dumps(listed)
    assert "CANARY-judge-name" not in json.dumps(_ok(chris.get("/officials")))


def _filters(sample: Any) -> list[dict[str, Any]]:
    return [
        {}, {"country": "BY"}, {"status": "imprisoned"}, {"status": "at_large"}, {"occupation": "hr_defender"},
        {"occupation": "opposition_politician"}, {"theme": "assembly"}, {"recognition": "political_prisoner"},
        {"q": "ales"}, {"q": "Бяляцкі"}, {"q": "kalesnik"}, {"law_article": sample.article.pk},
        {"facility": sample.facility.pk},
    ]


def _counts(caller: Caller, sample: Any) -> list[int]:
    return [_ok(caller.get("/people", params))["count"] for params in _filters(sample)]


@pytest.mark.django_db
def test_it_gives_org_b_identical_counts_whatever_org_a_records(cast: Any) -> None:
    # T19: nothing Org A records (however closely it matches Org B's searches) changes what Org B counts.
    sample = make_sample(cast)
    chris_session = Caller(user=cast.chris)
    chris_token = Caller(token=token_for(cast, cast.org_b, "read"))
    before = (_counts(chris_session, sample), _counts(chris_token, sample))
    twin = actions.do_create_person(organisation=cast.org_a, names=[NameInput("Ales Bialiatski"), NameInput("Алесь Бяляцкі")],
                                    data={"country": "BY", "occupation": "hr_defender"}, acting_user=cast.dana)
    actions.do_record_status(person=twin, status="imprisoned", effective=PartialDate(2021, 7), acting_user=cast.dana)
    case = actions.do_add_case(person=twin, data={"jurisdiction": "BY", "theme": "assembly"}, acting_user=cast.dana)
    actions.do_add_charge(case=case, data={"law_article": sample.article}, acting_user=cast.dana)
    actions.do_add_detention(person=twin, data={"kind": "pre_trial", "start": PartialDate(2021, 7),
                                                "facility": sample.facility}, acting_user=cast.dana)
    after = (_counts(chris_session, sample), _counts(chris_token, sample))
    assert after == before
    assert before[0][:2] == [1, 1] and before[0] == before[1]  # Chris does find his own prisoner
    # The twin is there for Org A: the filters do match it.
    amal = Caller(user=cast.amal)
    for params in _filters(sample):
        found = [p["uuid"] for p in _ok(amal.get("/people", {**params, "page_size": 100}))["items"]]
        assert (str(twin.uuid) in found) == ("at_large" not in params.values() and "kalesnik" not in params.values()
                                             and "opposition_politician" not in params.values()
                                             and "political_prisoner" not in params.values()), params


@pytest.mark.django_db
@pytest.mark.parametrize("caller", ["read-token", "export-token", "audit-token", "vera-session"])
def test_it_refuses_writes_to_readers_with_not_found(cast: Any, caller: str) -> None:
    sample = make_sample(cast)
    reader = (Caller(user=cast.vera) if caller == "vera-session"
              else Caller(token=token_for(cast, cast.org_a, caller.split("-")[0])))
    uuid, case_id = sample.person_a.uuid, sample.case_a.pk
    assert reader.get(f"/people/{uuid}").status_code == 200
    before = (Person.objects.count(), Sentence.objects.count(), AuditEvent.objects.count())
    answers = [
        reader.post("/people", {"names": [{"text": "Somebody"}], "country": "BY"}),
        reader.patch(f"/people/{uuid}", {"internal_notes": "changed"}),
        reader.put(f"/people/{uuid}/names", {"names": [{"text": "Somebody"}]}),
        reader.post(f"/people/{uuid}/cases", {"jurisdiction": "BY"}),
        reader.post(f"/cases/{case_id}/sentences", {"years": 2}),
        reader.post(f"/people/{uuid}/status-changes", {"status": "released"}),
        reader.post("/sources", {"label": "S", "connection": "media"}),
        reader.post("/law-articles", {"country": "BY", "code": "CC", "article": "1"}),
        reader.post("/officials", {"name": "X", "role": "judge"}),
    ]
    assert {(a.status_code, a.content) for a in answers} == {(404, NOT_FOUND)}
    assert (Person.objects.count(), Sentence.objects.count(), AuditEvent.objects.count()) == before
    assert Person.objects.get(uuid=uuid).internal_notes == "CANARY-internal-notes-internal"

"""Legal support (issue 8, item 4): lawyers with sealed contacts, legal actions, the catalogue of laws used."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from unforgotten.advocacy import actions, reading
from unforgotten.audit.models import AuditEvent
from unforgotten.registry import actions as registry
from unforgotten.registry.actions import NameInput
from unforgotten.testing import PASSWORD, signed_in

pytestmark = pytest.mark.django_db

CONTACT = "CANARY-adv-lawyer-contact-sealed"


def test_it_stores_a_lawyers_contact_only_as_ciphertext(cast: Any, adv: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_sealed FROM advocacy_lawyer WHERE id = %s", [adv.lawyer.pk])
        stored = cursor.fetchone()[0]
    assert CONTACT not in stored and stored.startswith("uf")
    event = AuditEvent.objects.get(action="advocacy.add_lawyer", object_id=str(adv.lawyer.pk))
    assert CONTACT not in str(event.changes)


def test_it_never_shows_the_contact_on_pages_or_in_the_api(cast: Any, sample: Any, adv: Any) -> None:
    sample.person_a.case_team.add(cast.amal)
    for user in (cast.amal, cast.dana, cast.vera, cast.ada):
        client = signed_in(user)
        for url in ("/work/advocacy/lawyers/", f"/work/advocacy/people/{sample.person_a.uuid}/",
                    "/api/v1/advocacy/lawyers", f"/api/v1/advocacy/cases/{sample.case_a.pk}"):
            body = client.get(url).content.decode()
            assert CONTACT not in body and "CANARY-adv-lawyer-notes" not in body or user == cast.amal, (user, url)
            assert CONTACT not in body, (user, url)


def test_it_reveals_the_contact_to_a_clients_case_team_after_reauthentication(cast: Any, sample: Any,
                                                                               adv: Any) -> None:
    url = f"/work/advocacy/lawyers/{adv.lawyer.uuid}/reveal/"
    assert signed_in(cast.dana).get(url).status_code == 404  # staff, not on the client's case team
    sample.person_a.case_team.add(cast.amal)
    client = signed_in(cast.amal)
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": "Call before the hearing"})["Location"].startswith("/accounts/reauthenticate/")
    assert client.post("/accounts/reauthenticate/", {"password": PASSWORD}).status_code == 302
    refused = client.post(url, {"reason": " "})
    assert refused.status_code == 400 and CONTACT not in refused.content.decode()
    shown = client.post(url, {"reason": "Call before the hearing"})
    assert shown.status_code == 200 and CONTACT in shown.content.decode()
    event = AuditEvent.objects.get(action="advocacy.unseal_lawyer")
    assert event.actor_id == cast.amal.pk and event.reason == "Call before the hearing"
    assert CONTACT not in str(event.changes)


def test_it_keeps_the_arguments_for_the_case_team(cast: Any, sample: Any, adv: Any) -> None:
    dana = signed_in(cast.dana).get(f"/api/v1/advocacy/cases/{sample.case_a.pk}").json()
    assert "arguments" not in dana["legal_actions"][0]
    assert dana["legal_actions"][0]["kind"] == "appeal"
    sample.person_a.case_team.add(cast.dana)
    team = signed_in(cast.dana).get(f"/api/v1/advocacy/cases/{sample.case_a.pk}").json()
    assert team["legal_actions"][0]["arguments"] == "CANARY-adv-arguments-restricted"


def test_it_counts_cases_and_people_per_law_article_for_the_callers_organisation(cast: Any, sample: Any) -> None:
    article = sample.article
    rows = {r.article["article"]: (r.cases, r.people) for r in reading.law_counts(cast.vera)}
    assert rows == {"342": (1, 1), "361-1": (1, 1)}
    # A second person charged under art. 342 in Org A, and one in Org B, which Org A never counts.
    other = registry.do_create_person(organisation=cast.org_a, names=[NameInput("Second Prisoner")],
                                      data={"country": "BY"}, acting_user=cast.dana)
    case = registry.do_add_case(person=other, data={"jurisdiction": "BY"}, acting_user=cast.dana)
    registry.do_add_charge(case=case, data={"law_article": article}, acting_user=cast.dana)
    b_case = registry.do_add_case(person=sample.person_b, data={"jurisdiction": "BY"}, acting_user=cast.chris)
    registry.do_add_charge(case=b_case, data={"law_article": article}, acting_user=cast.chris)
    rows = {r.article["article"]: (r.cases, r.people) for r in reading.law_counts(cast.vera)}
    assert rows["342"] == (2, 2)
    assert {r.article["article"]: r.cases for r in reading.law_counts(cast.chris)} == {"342": 1}
    assert reading.law_counts(cast.vera, "RU") == []
    page = signed_in(cast.vera).get("/work/advocacy/laws/?country=BY").content.decode()
    assert "Organisation of actions grossly violating public order" in page
    api = signed_in(cast.vera).get("/api/v1/advocacy/laws?country=BY").json()
    assert api[0]["article"]["article"] == "342" and api[0]["cases"] == 2


def test_it_records_a_legal_action_with_its_deadline_and_refuses_another_organisations_lawyer(
        cast: Any, sample: Any, adv: Any) -> None:
    theirs = actions.do_add_lawyer(organisation=cast.org_b, name="B's lawyer", acting_user=cast.chris)
    client = signed_in(cast.ada)
    bad = client.post(f"/api/v1/advocacy/cases/{sample.case_a.pk}/legal-actions",
                      {"kind": "appeal", "lawyer": str(theirs.uuid)}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["errors"][0]["where"].endswith("lawyer")
    good = client.post(f"/api/v1/advocacy/cases/{sample.case_a.pk}/legal-actions",
                       {"kind": "habeas_corpus", "forum": "City court", "deadline": "2031-01-15",
                        "lawyer": str(adv.lawyer.uuid)}, content_type="application/json")
    assert good.status_code == 201
    assert good.json()["deadline"] == "2031-01-15" and good.json()["lawyer"] == str(adv.lawyer.uuid)

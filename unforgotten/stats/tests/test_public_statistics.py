"""Issue 9, item 4: the public statistics count only published, consented people, through the public projection.

T19-style: the public totals (page, open data, API) are byte-for-byte the same
with and without a restricted case of another organisation, and so are Org A's
own figures. The page is served from the public page store (0 queries on a hit)
and purged when a published person's record changes.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.test import Client

from unforgotten.core.partialdate import PartialDate
from unforgotten.policy.sensitivity import Sensitivity
from unforgotten.publishing import actions as publishing
from unforgotten.registry import actions
from unforgotten.registry.actions import NameInput
from unforgotten.stats import timeline as tl

END_2021 = date(2021, 12, 31)


def _consent(cast: Any, person: Any, scope: str = "name") -> None:
    actions.do_record_consent(person=person, data={"scope": scope, "given_by": "the person",
                                                   "given_on": date(2020, 1, 1)}, acting_user=cast.dana)


def _publish(cast: Any, person: Any, language: str = "en") -> Any:
    profile = publishing.do_create_profile(person=person, language=language, data={"story": "A story."},
                                           acting_user=cast.amal)
    publishing.do_submit_for_review(profile=profile, acting_user=cast.amal)
    return publishing.do_approve(profile=profile, acting_user=cast.bilal)


@pytest.fixture
def published(cast: Any, fixture: Any) -> Any:
    """Anna and Boris published with name consent; Emil published, then his family withdrew it; Chen a draft."""
    for person in (fixture.anna, fixture.boris, fixture.emil):
        _consent(cast, person)
        _publish(cast, person)
    consent = fixture.emil.consents.get(scope="name")
    actions.do_withdraw_consent(consent=consent, withdrawn_on=date(2022, 1, 1), acting_user=cast.dana)
    publishing.do_create_profile(person=fixture.chen, language="en", data={"story": "Draft."}, acting_user=cast.amal)
    _consent(cast, fixture.chen)
    return fixture


def _open_data(client: Client, on: str) -> dict[str, Any]:
    response = client.get("/open-data/statistics/asof.json", {"on": on})
    assert response.status_code == 200
    data: dict[str, Any] = json.loads(response.content)
    return data


def test_it_counts_only_people_the_public_site_shows(cast: Any, published: Any) -> None:
    data = _open_data(Client(), END_2021.isoformat())
    status = {row["value"]: (row["held"], row["counted"], row["date_uncertain"]) for row in data["dimensions"]["status"]}
    # Anna (imprisoned, counts from 31 Dec 2021) and Boris (released in July 2021); not Emil (no name
    # consent), not Chen (draft only), not the others (never published).
    assert status == {"imprisoned": (1, 1, 0), "released": (0, 1, 0)}
    assert data["as_of"] == "2021-12-31"
    countries = {row["value"] for row in data["dimensions"]["country"]}
    assert countries == {"BY", "RU"}


def test_it_leaves_out_what_the_public_projection_hides(cast: Any, published: Any) -> None:
    # Anna's country raised above public: still counted, as "not disclosed"; her detention raised: no facility.
    actions.do_update_person(person=published.anna, data={"sensitivity_overrides": {"country": "internal"}},
                             acting_user=cast.dana)
    detention = published.anna.detentions.get()
    actions.do_update_detention(detention=detention, data={"sensitivity_floor": Sensitivity.INTERNAL},
                                acting_user=cast.dana)
    data = _open_data(Client(), END_2021.isoformat())
    countries = {row["value"]: row["counted"] for row in data["dimensions"]["country"]}
    assert countries == {tl.UNDISCLOSED: 1, "RU": 1}
    facilities = {row["value"] for row in data["dimensions"]["facility"]}
    assert str(published.colony.pk) not in facilities


def _everything(cast: Any) -> list[bytes]:
    """Every public statistics output, and Org A's own figures as Amal reads them."""
    anonymous = Client()
    amal = Client()
    amal.force_login(cast.amal)
    outputs = [anonymous.get(path).content for path in (
        "/en/statistics/", "/ar/statistics/2021-12-31/", "/open-data/statistics/asof.json?on=2021-12-31",
        "/open-data/statistics/asof.csv", "/open-data/statistics/series.csv?from=2019-01&to=2022-12",
        "/api/v1/stats/public/asof?by=country&on=2021-12-31", "/api/v1/stats/public/series?start=2019-01")]
    outputs += [amal.get(path).content for path in (
        "/api/v1/stats/asof?by=country&on=2021-12-31", "/api/v1/stats/asof?by=status",
        "/api/v1/stats/series?start=2019-01", "/api/v1/stats/cross?rows=country&columns=status")]
    return outputs


def test_it_gives_the_same_totals_with_and_without_a_restricted_case_of_another_organisation(
        cast: Any, published: Any, settings: Any) -> None:
    settings.PUBLIC_CACHE_ENABLED = False  # every output rendered afresh, both times
    without = _everything(cast)
    canary = "CANARY-T19-org-b-restricted"
    person = actions.do_create_person(
        organisation=cast.org_b, names=[NameInput(canary)],
        data={"country": "BY", "gender": "female", "occupation": "journalist", "internal_notes": canary,
              "sensitivity_floor": Sensitivity.RESTRICTED}, acting_user=cast.chris)
    actions.do_record_status(person=person, status="imprisoned", effective=PartialDate(2020, 1, 1),
                             acting_user=cast.chris)
    case = actions.do_add_case(person=person, data={"jurisdiction": "BY", "theme": "expression",
                                                    "opened_on": PartialDate(2020), "legal_strategy": canary},
                               acting_user=cast.chris)
    actions.do_add_charge(case=case, data={"law_article": published.article, "brought_on": PartialDate(2020)},
                          acting_user=cast.chris)
    actions.do_add_detention(person=person, data={"kind": "pre_trial", "start": PartialDate(2020, 1, 1),
                                                  "facility": published.colony}, acting_user=cast.chris)
    # Even with name consent recorded, the record is raised above public as a whole.
    actions.do_record_consent(person=person, data={"scope": "name", "given_by": "x", "given_on": date(2020, 1, 1)},
                              acting_user=cast.chris)
    with_case = _everything(cast)
    assert [len(b) for b in with_case] == [len(b) for b in without]
    assert with_case == without
    assert not any(canary.encode() in body for body in with_case)


def test_it_serves_the_stored_page_with_no_query_and_purges_it_on_change(
        cast: Any, published: Any, django_assert_num_queries: Any) -> None:
    client = Client()
    first = client.get("/en/statistics/")
    assert first.status_code == 200 and first["X-Public-Cache"] == "miss"
    with django_assert_num_queries(0):
        again = client.get("/en/statistics/")
    assert again["X-Public-Cache"] == "hit" and again.content == first.content
    # A published person's status changes: the stored page goes, the next one counts the change.
    actions.do_record_status(person=published.boris, status="imprisoned", effective=PartialDate(2022, 3, 1),
                             acting_user=cast.dana)
    after = client.get("/en/statistics/")
    assert after["X-Public-Cache"] == "miss"
    data = _open_data(client, "2022-03-01")
    held = {row["value"]: row["held"] for row in data["dimensions"]["status"]}
    assert held["imprisoned"] == 2
    # A past day's page is rendered each time and never stored.
    assert "X-Public-Cache" not in client.get("/en/statistics/2021-12-31/")
    assert "X-Public-Cache" not in client.get("/en/statistics/2021-12-31/")


@pytest.mark.parametrize("path", ["/en/statistics/2999-01-01/", "/en/statistics/2021-13-01/",
                                  "/en/statistics/yesterday/", "/en/statistics/2021-1-01/"])
def test_it_answers_not_found_for_a_day_it_cannot_show(cast: Any, path: str) -> None:
    assert Client().get(path).status_code == 404


def test_it_sends_the_date_form_to_the_page_of_that_day(cast: Any) -> None:
    client = Client()
    assert client.get("/fr/statistics/day/", {"on": "2021-12-31"})["Location"] == "/fr/statistics/2021-12-31/"
    assert client.get("/fr/statistics/day/", {"on": "2999-01-01"})["Location"] == "/fr/statistics/#choose"


@pytest.mark.parametrize(("query", "field"), [({"on": "2999-01-01"}, "on"), ({"on": "31/12/2021"}, "on")])
def test_it_refuses_bad_dates_in_open_data_naming_the_parameter(cast: Any, query: dict[str, str], field: str) -> None:
    response = Client().get("/open-data/statistics/asof.json", query)
    assert response.status_code == 422
    assert json.loads(response.content)["errors"][0]["where"] == field


def test_it_writes_csv_a_spreadsheet_cannot_run(cast: Any) -> None:
    from unforgotten.stats.public import aggregates_csv, safe_cell

    assert safe_cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert safe_cell("@SUM(1)") == "'@SUM(1)" and safe_cell("-12") == "-12" and safe_cell("+x") == "'+x"
    data = {"as_of": "2021-12-31", "dimensions": {"facility": [
        {"value": "7", "label": "=cmd|' /C calc'!A0", "held": 1, "counted": 1, "date_uncertain": 0}]}}
    text = aggregates_csv(data)
    assert "\r\n2021-12-31,facility,7,'=cmd|' /C calc'!A0,1,1,0\r\n" in text

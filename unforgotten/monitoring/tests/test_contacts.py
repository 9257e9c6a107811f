"""Contacts, health and conditions (issue 9, item 2): bad input is refused clearly and saves nothing;
health is restricted (canaries never reach staff outside the case team, other organisations or the public)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from unforgotten.monitoring import actions
from unforgotten.monitoring.models import Contact, HealthStatus

pytestmark = pytest.mark.django_db

CANARY_HEALTH = "CANARY-health-details-restricted"
CANARY_NEEDS = "CANARY-health-needs-restricted"
CANARY_CONTACT = "CANARY-contact-notes-restricted"


def test_it_refuses_a_contact_without_a_case_or_in_the_future(cast: Any, sample: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        actions.do_log_contact(case=None, data={"kind": "call", "occurred_on": timezone.localdate()},
                               acting_user=cast.amal)
    assert "case" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        actions.do_log_contact(case=sample.case_a, data={"kind": "call",
                                                         "occurred_on": timezone.localdate() + timedelta(days=1)},
                               acting_user=cast.amal)
    assert "future" in caught.value.message_dict["occurred_on"][0]
    with pytest.raises(ValidationError) as caught:
        actions.do_log_contact(case=sample.case_a, data={"kind": "telepathy", "occurred_on": timezone.localdate(),
                                                         "organisation_id": cast.org_b.pk}, acting_user=cast.amal)
    assert "organisation_id" in caught.value.message_dict
    assert Contact.objects.count() == 0


def _health(cast: Any, sample: Any) -> None:
    actions.do_record_health(case=sample.case_a, data={"recorded_on": timezone.localdate(), "level": "serious",
                                                       "details": CANARY_HEALTH, "needs": CANARY_NEEDS},
                             acting_user=cast.amal)
    actions.do_log_contact(case=sample.case_a, data={"kind": "lawyer_visit", "occurred_on": timezone.localdate(),
                                                     "summary": "Lawyer saw her.", "notes": CANARY_CONTACT},
                           acting_user=cast.amal)


def _page(client: Client, path: str) -> str:
    return client.get(path).content.decode()


def test_it_shows_health_to_the_case_team_only(cast: Any, sample: Any, login_as: Any) -> None:
    _health(cast, sample)
    path = f"/work/monitoring/cases/{sample.case_a.pk}/"
    sample.person_a.case_team.add(cast.amal)
    team = _page(login_as(cast.amal), path)
    assert CANARY_HEALTH in team and CANARY_CONTACT in team
    vera = _page(login_as(cast.vera), path)  # staff of Org A, not on the case team
    assert "Lawyer saw her." in vera
    assert CANARY_HEALTH not in vera and CANARY_NEEDS not in vera and CANARY_CONTACT not in vera
    assert "Serious" not in vera
    assert login_as(cast.chris).get(path).status_code == 404
    assert Client().get(path).status_code == 302
    assert HealthStatus.objects.count() == 1


def test_it_keeps_health_out_of_the_api_for_other_audiences(cast: Any, sample: Any, login_as: Any) -> None:
    _health(cast, sample)
    path = f"/api/v1/monitoring/cases/{sample.case_a.pk}"
    vera = login_as(cast.vera).get(path)
    assert vera.status_code == 200
    body = vera.content.decode()
    assert CANARY_HEALTH not in body and CANARY_CONTACT not in body and '"health": []' in body.replace('":[]', '": []')
    assert login_as(cast.chris).get(path).status_code == 404
    sample.person_a.case_team.add(cast.amal)
    assert CANARY_HEALTH in login_as(cast.amal).get(path).content.decode()


def test_it_takes_a_conditions_report_through_the_api(cast: Any, sample: Any, login_as: Any) -> None:
    # Amal (caseworker of Org A, one organisation) reports conditions in a facility; the organisation is her only
    # one (api.schemas.organisation_named_or_only). Chris (Org B) reports for his own organisation, never Org A's.
    from unforgotten.monitoring.models import ConditionsReport

    path = f"/api/v1/monitoring/facilities/{sample.facility.pk}/conditions"
    body = {"reported_on": "2026-11-30", "overall": "poor", "summary": "Cells at 4 °C; no blankets."}
    answer = login_as(cast.amal).post(path, body, content_type="application/json")
    assert answer.status_code == 201, answer.content
    report = ConditionsReport.objects.get()
    assert report.organisation_id == cast.org_a.pk and report.overall == "poor"
    refused = login_as(cast.chris).post(f"{path}?organisation={cast.org_a.slug}", body,
                                        content_type="application/json")
    assert refused.status_code == 404
    assert ConditionsReport.objects.count() == 1

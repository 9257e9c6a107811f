"""Interventions and cadence rules (issue 8, item 2): who raised which case with whom, and what is overdue."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from unforgotten.advocacy import actions, reading
from unforgotten.advocacy.models import Intervention
from unforgotten.audit.models import AuditEvent
from unforgotten.testing import signed_in

pytestmark = pytest.mark.django_db


def test_it_records_an_intervention_through_the_one_action_other_apps_call(cast: Any, sample: Any, adv: Any) -> None:
    done = actions.do_record_intervention(case=sample.case_a, stakeholder=adv.stakeholder, data={
        "occurred": "2024-03", "method": "un_statement", "asked": "Raise the case at HRC55", "outcome": "raised"},
        acting_user=cast.ada)
    assert done.occurred_on == date(2024, 3, 1)  # the earliest day "March 2024" can stand for
    assert done.recorded_by == cast.ada
    event = AuditEvent.objects.get(action="advocacy.record_intervention", object_id=str(done.pk))
    assert event.actor_id == cast.ada.pk and event.organisation_id == cast.org_a.pk


def test_it_refuses_a_stakeholder_of_another_organisation_and_future_dates(cast: Any, sample: Any, adv: Any) -> None:
    theirs = actions.do_add_stakeholder(organisation=cast.org_b, data={"kind": "ngo", "name": "B's contact"},
                                        acting_user=cast.chris)
    before = Intervention.objects.count()
    with pytest.raises(ValidationError) as caught:
        actions.do_record_intervention(case=sample.case_a, stakeholder=theirs, data={"method": "letter"},
                                       acting_user=cast.dana)
    assert "stakeholder" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        actions.do_record_intervention(case=sample.case_a, stakeholder=adv.stakeholder, data={
            "method": "letter", "occurred": str(timezone.localdate() + timedelta(days=40))}, acting_user=cast.dana)
    assert "occurred" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        actions.do_record_intervention(case=sample.case_a, stakeholder=adv.stakeholder, data={
            "method": "letter", "organisation_id": cast.org_b.pk}, acting_user=cast.dana)
    assert "organisation_id" in caught.value.message_dict
    assert Intervention.objects.count() == before


def test_it_counts_cadence_from_the_last_dated_intervention(cast: Any, sample: Any, adv: Any) -> None:
    today = timezone.localdate()
    statuses = reading.cadence_statuses(adv.rule.__class__.objects.filter(pk=adv.rule.pk), today)
    # The sample raised the case 90 days ago; the rule asks every 60: 30 days late.
    assert statuses[0].last == today - timedelta(days=90)
    assert statuses[0].days_overdue == 30
    # An intervention without a known date proves nothing about lately.
    actions.do_record_intervention(case=sample.case_a, stakeholder=adv.stakeholder, data={"method": "letter"},
                                   acting_user=cast.dana)
    assert [s.rule for s in reading.overdue(cast.ada)] == [adv.rule]
    actions.do_record_intervention(case=sample.case_a, stakeholder=adv.stakeholder, data={
        "method": "demarche", "occurred": str(today - timedelta(days=5))}, acting_user=cast.dana)
    assert reading.overdue(cast.ada) == []


def test_it_counts_a_rule_never_met_from_the_day_it_was_made(cast: Any, sample: Any, adv: Any) -> None:
    with time_machine.travel(datetime(2030, 1, 1, 12, tzinfo=UTC), tick=False):
        rule = actions.do_set_cadence_rule(case=sample.case_a, stakeholder=adv.silent_stakeholder, every_days=30,
                                           acting_user=cast.dana)
    assert rule not in [s.rule for s in reading.overdue(cast.ada, date(2030, 1, 31))]
    assert rule in [s.rule for s in reading.overdue(cast.ada, date(2030, 2, 1))]
    # Paused rules are not overdue.
    actions.do_set_cadence_rule(case=sample.case_a, stakeholder=adv.silent_stakeholder, every_days=30, active=False,
                                acting_user=cast.dana)
    assert rule not in [s.rule for s in reading.overdue(cast.ada, date(2030, 2, 1))]


def test_it_shows_nothing_of_org_a_on_chris_dashboard(cast: Any, sample: Any, adv: Any) -> None:
    assert reading.overdue(cast.chris) == []
    page = signed_in(cast.chris).get("/work/advocacy/").content.decode()
    assert "Maryia" not in page and "Embassy of Norway" not in page
    assert signed_in(cast.chris).get("/api/v1/advocacy/overdue").json() == []


def test_it_records_an_intervention_from_the_dashboard_and_the_case_leaves_it(cast: Any, sample: Any,
                                                                               adv: Any) -> None:
    client = signed_in(cast.ada)
    page = client.get("/work/advocacy/").content.decode()
    assert "Embassy of Norway in Minsk" in page and "30 days" in page
    form = client.get(f"/work/advocacy/cases/{sample.case_a.pk}/interventions/new/?stakeholder={adv.stakeholder.uuid}")
    assert form.status_code == 200
    response = client.post(f"/work/advocacy/cases/{sample.case_a.pk}/interventions/new/", {
        "stakeholder": adv.stakeholder.pk, "occurred": str(timezone.localdate()), "method": "bilateral_meeting",
        "asked": "Ask for a visit", "outcome": "pending"})
    assert response.status_code == 302
    assert "Nothing is overdue" in client.get("/work/advocacy/").content.decode()
    assert client.get("/api/v1/advocacy/overdue").json() == []


def test_it_answers_a_bad_intervention_form_with_the_field_named(cast: Any, sample: Any, adv: Any) -> None:
    client = signed_in(cast.ada)
    before = Intervention.objects.count()
    response = client.post(f"/work/advocacy/cases/{sample.case_a.pk}/interventions/new/", {
        "stakeholder": adv.stakeholder.pk, "occurred": "2021-13", "method": "letter", "outcome": "pending"})
    assert response.status_code == 400
    assert "Enter a year" in response.content.decode() or "month" in response.content.decode()
    assert Intervention.objects.count() == before


def test_it_keeps_the_last_intervention_per_case_on_an_index(cast: Any, sample: Any, adv: Any) -> None:
    # The forgotten-case radar (issue 9) asks this for every case: one index range per case.
    assert reading.last_intervention_per_case([sample.case_a.pk]) == {sample.case_a.pk: adv.intervention.occurred_on}
    with connection.cursor() as cursor:
        names = [i["columns"] for i in connection.introspection.get_constraints(cursor, "advocacy_intervention").values()
                 if i["index"]]
    assert ["case_id", "occurred_on"] in names

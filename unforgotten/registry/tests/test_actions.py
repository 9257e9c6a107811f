"""Registry action functions: validation refuses bad input whole; every change is audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from unforgotten.audit.models import AuditEvent
from unforgotten.core.partialdate import PartialDate
from unforgotten.registry import actions
from unforgotten.registry.actions import NameInput
from unforgotten.registry.models import Person, Relationship, Source
from unforgotten.registry.testing import make_sample


@pytest.mark.django_db
def test_it_records_a_complete_prisoner_and_derives_status_and_recognition(cast: Any) -> None:
    sample = make_sample(cast)
    person = sample.person_a
    assert person.display_name == "Maryia Kalesnikava"
    assert person.current_status == "imprisoned" and str(person.current_status_date) == "2021-09-06"
    assert person.recognition_outcome == "political_prisoner"
    assert [n.script for n in person.names.all()] == ["Latn", "Cyrl"]
    sentence = sample.case_a.sentences.get()
    assert str(sentence.expected_release) == "2031-09-07"
    assert AuditEvent.objects.filter(organisation_id=cast.org_a.pk, action="registry.create_person").count() == 1


@pytest.mark.django_db
def test_it_never_writes_sealed_values_in_plaintext(cast: Any) -> None:
    sample = make_sample(cast)
    sealed = [c for c, level in sample.canaries.items() if level.name == "SEALED"]
    with connection.cursor() as cursor:
        for table in (Relationship._meta.db_table, Source._meta.db_table, "registry_historicalrelationship",
                      "registry_historicalsource", "audit_auditevent"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608  (fixed table names)
            dump = repr(cursor.fetchall())
            for token in sealed:
                assert token not in dump, f"{token} in {table}"
    assert sample.relationship_a.project_contact_sealed() == "CANARY-family-contact-sealed"


@pytest.mark.django_db
def test_it_refuses_impossible_dates_with_clear_messages(cast: Any) -> None:
    sample = make_sample(cast)
    with pytest.raises(ValidationError) as err:
        actions.do_add_detention(person=sample.person_a, data={"kind": "pre_trial", "start": PartialDate(2021, 3),
                                                               "end": PartialDate(2020)}, acting_user=cast.amal)
    assert "The end of detention (2020) is before the start (2021-03)." in str(err.value)
    with pytest.raises(ValidationError, match="is in the future"):
        actions.do_record_status(person=sample.person_a, status="released", effective=PartialDate(2999),
                                 acting_user=cast.amal)


@pytest.mark.django_db
def test_it_refuses_an_unknown_country_and_saves_nothing(cast: Any) -> None:
    before = (Person.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError, match="'XY' is not an ISO 3166 country code"):
        actions.do_create_person(organisation=cast.org_a, names=[NameInput("Somebody")], data={"country": "XY"},
                                 acting_user=cast.amal)
    assert (Person.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.django_db
def test_it_refuses_mass_assignment_of_ownership(cast: Any) -> None:
    with pytest.raises(ValidationError, match="cannot be set here"):
        actions.do_create_person(organisation=cast.org_a, names=[NameInput("Somebody")],
                                 data={"country": "BY", "organisation_id": cast.org_b.pk}, acting_user=cast.amal)


@pytest.mark.django_db
def test_it_refuses_recognition_without_a_met_criterion_or_with_a_met_exclusion(cast: Any) -> None:
    sample = make_sample(cast)
    data = {"framework": "pace_1900", "outcome": "political_prisoner", "decided_on": "2022-01-01"}
    with pytest.raises(ValidationError, match="at least one criterion marked as met"):
        actions.do_record_decision(person=sample.person_a, data=data,
                                   criteria=[actions.CriterionInput("a", "unclear")], acting_user=cast.bilal)
    with pytest.raises(ValidationError, match="exclusion check is met"):
        actions.do_record_decision(person=sample.person_a, data=data,
                                   criteria=[actions.CriterionInput("a", "met"),
                                             actions.CriterionInput("violence", "met", is_exclusion=True)],
                                   acting_user=cast.bilal)
    with pytest.raises(ValidationError, match="'IX' is not a criterion"):
        actions.do_record_decision(person=sample.person_a, data={**data, "framework": "wgad"},
                                   criteria=[actions.CriterionInput("IX", "met")], acting_user=cast.bilal)


@pytest.mark.django_db
def test_it_keeps_history_of_every_change(cast: Any) -> None:
    sample = make_sample(cast)
    actions.do_update_person(person=sample.person_a, data={"occupation": "artist_writer"}, acting_user=cast.amal,
                             reason="corrected")
    history = sample.person_a.history.all()
    assert history.count() >= 2
    assert history.first().occupation == "artist_writer"
    event = AuditEvent.objects.filter(action="registry.update_person").get()
    assert event.changes == {"occupation": ["opposition_politician", "artist_writer"]} and event.reason == "corrected"

"""The create and edit forms: each saves through its action, says what to fix, and saves nothing half."""

from __future__ import annotations

import re
from typing import Any

import pytest

from unforgotten.audit.models import AuditEvent
from unforgotten.core.partialdate import PartialDate
from unforgotten.registry.models import (
    Case,
    Charge,
    DetentionPeriod,
    Facility,
    Hearing,
    LawArticle,
    Official,
    Person,
    RecognitionDecision,
    Relationship,
    Sentence,
    Source,
)
from unforgotten.registry.testing import Sample, make_sample
from unforgotten.testing import signed_in

NEW = "/work/registry/people/new/"


def _base(sample: Sample) -> str:
    return f"/work/registry/people/{sample.person_a.uuid}/"


def _names(*rows: dict[str, str], total: int = 3, initial: int = 0) -> dict[str, str]:
    data = {"names-TOTAL_FORMS": str(total), "names-INITIAL_FORMS": str(initial), "names-MIN_NUM_FORMS": "0",
            "names-MAX_NUM_FORMS": "20"}
    for i, row in enumerate(rows):
        data.update({f"names-{i}-{k}": v for k, v in row.items()})
    return data


def _error(body: str, field: str) -> str:
    """The error list rendered next to ``field`` (empty if none)."""
    match = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', body, re.S)
    return match.group(1) if match else ""


def _counts() -> tuple[int, ...]:
    return (Person.objects.count(), Case.objects.count(), Charge.objects.count(), LawArticle.objects.count(),
            Facility.objects.count(), DetentionPeriod.objects.count(), Sentence.objects.count(),
            Hearing.objects.count(), Official.objects.count(),
            AuditEvent.objects.filter(action__startswith="registry.").count())


# --- people ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_creates_a_person_with_names_in_several_scripts(cast: Any) -> None:
    client = signed_in(cast.amal)
    form = client.get(NEW).content.decode()
    for label in ("Name (row 1)", "Script (row 2)", "Language (row 3)", "Row 1 is the primary name",
                  "Country of the case", "Reason for the change"):
        assert f">{label}" in form, label
    response = client.post(NEW, {
        **_names({"text": "Ihar Losik", "script": "Latn", "language": "en", "kind": "legal", "is_primary": "on"},
                 {"text": "Ігар  Лосік", "language": "be", "kind": "legal"},
                 {"text": "", "kind": "legal"}),
        "country": "Belarus", "gender": "male", "occupation": "blogger", "birth_date": "1992",
        "citizenships": "by", "internal_notes": "met his father", "reason": "new case"})
    assert response.status_code == 302, response.content.decode()[-3000:]
    person = Person.objects.get(display_name="Ihar Losik")
    assert response["Location"] == f"/work/registry/people/{person.uuid}/"
    assert person.organisation_id == cast.org_a.pk and person.country == "BY" and person.citizenships == ["BY"]
    assert [(n.text, n.script, n.language, n.is_primary) for n in person.names.all()] == [
        ("Ihar Losik", "Latn", "en", True), ("Ігар Лосік", "Cyrl", "be", False)]
    assert AuditEvent.objects.filter(action="registry.create_person", actor_id=cast.amal.pk, reason="new case").exists()


@pytest.mark.django_db
def test_it_refuses_an_unknown_country_and_an_impossible_date_and_saves_nothing(cast: Any) -> None:
    before = _counts()
    response = signed_in(cast.amal).post(NEW, {**_names({"text": "Somebody"}), "country": "XY", "gender": "unknown",
                                             "occupation": "other", "birth_date": "1990-02-31"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "“XY” is not a country we know" in _error(body, "country")
    assert "ISO 3166 country code" not in _error(body, "country")  # one message per problem
    assert "day 31 does not exist in February 1990" in _error(body, "birth_date")
    assert _counts() == before


@pytest.mark.django_db
def test_it_asks_for_a_name_and_one_primary_name_only(cast: Any) -> None:
    client = signed_in(cast.amal)
    response = client.post(NEW, {**_names(), "country": "BY", "gender": "unknown", "occupation": "other"})
    assert response.status_code == 400 and "Give at least one name." in response.content.decode()
    response = client.post(NEW, {**_names({"text": "A", "is_primary": "on"}, {"text": "B", "is_primary": "on"}),
                                 "country": "BY", "gender": "unknown", "occupation": "other"})
    assert response.status_code == 400 and "Mark only one name as the primary name." in response.content.decode()
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_it_edits_the_facts_and_the_names(cast: Any) -> None:
    sample = make_sample(cast)
    client = signed_in(cast.amal)
    form = client.get(f"{_base(sample)}edit/").content.decode()
    assert 'value="BY"' in form and "CANARY-internal-notes-internal" in form
    response = client.post(f"{_base(sample)}edit/", {"country": "BY", "gender": "female", "occupation": "artist_writer",
                                                      "citizenships": "BY", "reason": "corrected"})
    assert response.status_code == 302
    sample.person_a.refresh_from_db()
    assert sample.person_a.occupation == "artist_writer"
    assert AuditEvent.objects.filter(action="registry.update_person", reason="corrected").exists()

    names_url = f"{_base(sample)}names/"
    form = client.get(names_url).content.decode()
    assert 'value="Марыя Калеснікава"' in form and ">Name (row 4)" in form
    response = client.post(names_url, {
        **_names({"text": "Maria Kolesnikova", "script": "Latn", "language": "en", "kind": "legal", "is_primary": "on"},
                 {"text": "Марыя Калеснікава", "script": "Cyrl", "language": "be", "kind": "legal"},
                 {"text": "Мария Колесникова", "language": "ru", "kind": "transliteration"},
                 total=4, initial=2),
        "reason": "Russian form"})
    assert response.status_code == 302, response.content.decode()[-2000:]
    sample.person_a.refresh_from_db()
    assert sample.person_a.display_name == "Maria Kolesnikova"
    assert sample.person_a.names.count() == 3


@pytest.mark.django_db
def test_it_leaves_fields_above_the_readers_class_out_of_edit_forms(cast: Any) -> None:
    sample = make_sample(cast)
    url = f"{_base(sample)}cases/{sample.case_a.pk}/edit/"
    # Amal is not on the case team: the restricted legal strategy is neither shown nor editable.
    form = signed_in(cast.amal).get(url).content.decode()
    assert 'name="legal_strategy"' not in form and "CANARY-legal-strategy-restricted" not in form
    response = signed_in(cast.amal).post(url, {"jurisdiction": "BY", "theme": "expression",
                                             "procedural_stage": "sentenced", "legal_strategy": "overwritten"})
    assert response.status_code == 302
    sample.case_a.refresh_from_db()
    assert sample.case_a.theme == "expression" and sample.case_a.legal_strategy == "CANARY-legal-strategy-restricted"
    sample.person_a.case_team.add(cast.amal)
    form = signed_in(cast.amal).get(url).content.decode()
    assert 'name="legal_strategy"' in form and "CANARY-legal-strategy-restricted" in form


# --- cases and what hangs off them -----------------------------------------------------------------


@pytest.mark.django_db
def test_it_adds_a_case(cast: Any) -> None:
    sample = make_sample(cast)
    client = signed_in(cast.amal)
    url = f"{_base(sample)}cases/new/"
    response = client.post(url, {"jurisdiction": "ZZ", "theme": "expression", "procedural_stage": "trial",
                                 "opened_on": "2023-13"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "“ZZ” is not a country we know" in _error(body, "jurisdiction")
    assert "month 13 does not exist" in _error(body, "opened_on")
    response = client.post(url, {"jurisdiction": "BY", "theme": "expression", "procedural_stage": "trial",
                                 "opened_on": "2023-03", "case_number": "1-2023", "reason": "second case"})
    assert response.status_code == 302
    case = sample.person_a.cases.get(case_number="1-2023")
    assert str(case.opened_on) == "2023-03"
    assert AuditEvent.objects.filter(action="registry.add_case", reason="second case").exists()


@pytest.mark.django_db
def test_it_adds_a_charge_under_a_new_or_existing_law_article(cast: Any) -> None:
    sample = make_sample(cast)
    client = signed_in(cast.amal)
    url = f"{_base(sample)}charges/new/"
    before = _counts()
    # No case and a half-described article: nothing is created, and each field says why.
    response = client.post(url, {"new_article_code": "Criminal Code", "status": "charged"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Choose the case this charge belongs to." in _error(body, "case")
    assert _counts() == before
    response = client.post(url, {"case": sample.case_a.pk, "law_article": sample.article.pk,
                                 "new_article_article": "130", "status": "charged"})
    assert response.status_code == 400
    assert "not both" in _error(response.content.decode(), "law_article")
    response = client.post(url, {"case": sample.case_a.pk, "new_article_country": "BY", "new_article_code": "Criminal Code",
                                 "new_article_article": "130", "new_article_part": "3", "status": "charged",
                                 "brought_on": "2021-02"})
    assert response.status_code == 302, response.content.decode()[-2000:]
    article = LawArticle.objects.get(article="130")
    assert sample.case_a.charges.filter(law_article=article, status="charged").exists()
    response = client.post(url, {"case": sample.case_a.pk, "law_article": sample.article.pk, "status": "dropped"})
    assert response.status_code == 302
    assert sample.case_a.charges.filter(law_article=sample.article, status="dropped").exists()


@pytest.mark.django_db
def test_it_adds_a_hearing_with_judges_from_the_organisations_officials(cast: Any) -> None:
    sample = make_sample(cast)
    judge = Official.objects.get(organisation=cast.org_a)
    client = signed_in(cast.amal)
    url = f"{_base(sample)}hearings/new/?case={sample.case_a.pk}"
    form = client.get(url).content.decode()
    assert "CANARY-judge-name-internal" in form  # internal: staff of Org A may see it
    response = client.post(url, {"case": sample.case_a.pk, "court": "Supreme Court", "court_kind": "civilian",
                                 "held_on": "2022-01-10", "defence_access": "limited", "outcome": "upheld",
                                 "judges": [judge.pk], "new_judge": "Judge Two", "is_open": "false"})
    assert response.status_code == 302, response.content.decode()[-2000:]
    hearing = Hearing.objects.get(court="Supreme Court")
    assert sorted(j.name for j in hearing.judges.all()) == sorted([judge.name, "Judge Two"])
    assert hearing.is_open is False


@pytest.mark.django_db
def test_it_refuses_a_sentence_without_a_case(cast: Any) -> None:
    sample = make_sample(cast)
    client = signed_in(cast.amal)
    url = f"{_base(sample)}sentences/new/"
    data = {"sentence_type": "imprisonment", "years": "3", "months": "0", "days": "0", "handed_down_on": "2022-05",
            "appeal_status": "none"}
    before = _counts()
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Choose the case in which this sentence was handed down." in _error(response.content.decode(), "case")
    assert _counts() == before
    response = client.post(url, {**data, "case": sample.case_a.pk, "years": "0"})
    assert response.status_code == 400
    assert "Give the length of the sentence" in _error(response.content.decode(), "years")
    response = client.post(url, {**data, "case": sample.case_a.pk})
    assert response.status_code == 302
    assert str(sample.case_a.sentences.get(years=3).expected_release) == "2025-05"


@pytest.mark.django_db
def test_it_adds_a_detention_in_a_new_place_and_records_the_release(cast: Any) -> None:
    sample = make_sample(cast)
    client = signed_in(cast.amal)
    url = f"{_base(sample)}detentions/new/"
    response = client.post(url, {"kind": "pre_trial", "start": "2020-08-09", "end": "2020-08-20",
                                 "whereabouts": "acknowledged", "new_facility_name": "Akrestsina detention centre",
                                 "new_facility_kind": "pre_trial_centre", "new_facility_country": "BY",
                                 "new_facility_place": "Minsk"})
    assert response.status_code == 302, response.content.decode()[-2000:]
    detention = DetentionPeriod.objects.get(facility__name="Akrestsina detention centre")
    assert str(detention.start) == "2020-08-09"
    edit = f"{_base(sample)}detentions/{sample.detention_a.pk}/edit/"
    form = client.get(edit).content.decode()
    assert 'value="2020-09"' in form
    response = client.post(edit, {"kind": "serving_sentence", "start": "2020-09", "end": "2024-02-14",
                                  "whereabouts": "acknowledged", "facility": sample.facility.pk,
                                  "case": sample.case_a.pk, "reason": "released"})
    assert response.status_code == 302, response.content.decode()[-2000:]
    sample.detention_a.refresh_from_db()
    assert str(sample.detention_a.end) == "2024-02-14"
    assert sample.detention_a.conditions_notes == "CANARY-health-restricted"  # not on the form: untouched


@pytest.mark.django_db
def test_it_refuses_a_release_before_the_arrest_and_impossible_days(cast: Any) -> None:
    sample = make_sample(cast)
    client = signed_in(cast.amal)
    url = f"{_base(sample)}detentions/new/"
    before = _counts()
    response = client.post(url, {"kind": "pre_trial", "start": "2021-03", "end": "2020", "whereabouts": "acknowledged",
                                 "new_facility_name": "Somewhere", "new_facility_country": "BY"})
    assert response.status_code == 400
    assert "The end of detention (2020) is before the start (2021-03)." in _error(response.content.decode(), "end")
    response = client.post(url, {"kind": "pre_trial", "start": "2021-02-31", "whereabouts": "acknowledged"})
    assert response.status_code == 400
    assert "day 31 does not exist in February 2021" in _error(response.content.decode(), "start")
    response = client.post(url, {"kind": "pre_trial", "start": "2021-02", "whereabouts": "acknowledged",
                                 "new_facility_name": "Somewhere", "new_facility_country": "Atlantis"})
    assert response.status_code == 400
    assert "“Atlantis” is not a country we know" in _error(response.content.decode(), "new_facility_country")
    assert _counts() == before


@pytest.mark.django_db
def test_it_records_a_change_of_status(cast: Any) -> None:
    sample = make_sample(cast)
    client = signed_in(cast.amal)
    url = f"{_base(sample)}status/new/"
    response = client.post(url, {"status": "released", "effective": "2999"})
    assert response.status_code == 400 and "is in the future" in _error(response.content.decode(), "effective")
    response = client.post(url, {"status": "released", "effective": "2024-02", "note": "pardoned"})
    assert response.status_code == 302
    sample.person_a.refresh_from_db()
    assert sample.person_a.current_status == "released" and sample.person_a.current_status_date == PartialDate(2024, 2)


# --- people around the prisoner, consent, sources -------------------------------------------------------


@pytest.mark.django_db
def test_it_adds_a_relationship_with_sealed_name_and_contact(cast: Any) -> None:
    sample = make_sample(cast)
    client = signed_in(cast.amal)
    url = f"{_base(sample)}relationships/new/"
    response = client.post(url, {"kind": "lawyer", "related_person": "00000000-0000-4000-8000-000000000000"})
    assert response.status_code == 400
    assert "no record with that identifier" in _error(response.content.decode(), "related_person")
    response = client.post(url, {"kind": "lawyer", "related_person": str(sample.person_b.uuid)})
    assert response.status_code == 400  # Org B's prisoner cannot be linked from Org A
    response = client.post(url, {"kind": "lawyer", "name": "Lawyer Name", "contact": "+375 00 000"})
    assert response.status_code == 302
    rel = Relationship.objects.get(kind="lawyer")
    assert "Lawyer Name" not in rel.name_sealed and rel.project_name_sealed() == "Lawyer Name"
    page = client.get(_base(sample)).content.decode()
    assert "Lawyer Name" not in page and "+375 00 000" not in page


@pytest.mark.django_db
def test_it_records_and_withdraws_consent(cast: Any) -> None:
    sample = make_sample(cast)
    client = signed_in(cast.amal)
    response = client.post(f"{_base(sample)}consents/new/", {"scope": "photo", "given_by": "the person",
                                                             "given_on": "2022-03-01"})
    assert response.status_code == 302
    consent = sample.person_a.consents.get(scope="photo")
    url = f"{_base(sample)}consents/{consent.pk}/withdraw/"
    response = client.post(url, {"withdrawn_on": "2022-02-01"})
    assert response.status_code == 400
    assert "cannot be withdrawn before that" in _error(response.content.decode(), "withdrawn_on")
    response = client.post(url, {"withdrawn_on": "2023-01-01", "reason": "family asked"})
    assert response.status_code == 302
    consent.refresh_from_db()
    assert str(consent.withdrawn_on) == "2023-01-01" and not consent.is_active
    assert AuditEvent.objects.filter(action="registry.withdraw_consent", reason="family asked").exists()


@pytest.mark.django_db
def test_it_adds_a_source_with_a_sealed_identity_and_cites_it_on_the_person(cast: Any) -> None:
    sample = make_sample(cast)
    client = signed_in(cast.amal)
    response = client.post(f"{_base(sample)}sources/new/", {"label": "Source 2", "identity": "A cellmate",
                                                            "connection": "witness", "reliability": "C",
                                                            "credibility": "3"})
    assert response.status_code == 302
    source = Source.objects.get(label="Source 2")
    assert "A cellmate" not in source.identity_sealed
    page = client.get(_base(sample)).content.decode()
    assert "Source 2" in page and "A cellmate" not in page


# --- recognition ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_records_a_decision_in_two_steps(cast: Any) -> None:
    sample = make_sample(cast)
    client = signed_in(cast.bilal)
    url = f"{_base(sample)}decisions/new/"
    first = client.get(url).content.decode()
    assert 'name="framework"' in first and "Criterion" not in first
    response = client.get(url, {"framework": "nonsense"})
    assert response.status_code == 400 and "Select a valid choice" in _error(response.content.decode(), "framework")
    second = client.get(url, {"framework": "wgad"}).content.decode()
    assert ">Criterion II — result" in second and ">Exclusion check violence — result" in second
    assert "Category III: grave non-observance of fair-trial norms" in second
    response = client.post(url, {"framework": "wgad", "outcome": "political_prisoner", "decided_on": "2022-01-10",
                                 "criterion_II": "met", "criterion_II_rationale": "peaceful assembly",
                                 "criterion_III": "unclear", "exclusion_violence": "not_met",
                                 "reviewers": [cast.bilal.pk, cast.dana.pk], "case": sample.case_a.pk,
                                 "deliberations": "unanimous"})
    assert response.status_code == 302, response.content.decode()[-3000:]
    decision = RecognitionDecision.objects.get(framework="wgad")
    assert sorted((c.code, c.result) for c in decision.criteria.all()) == [
        ("II", "met"), ("III", "unclear"), ("violence", "not_met")]
    assert sorted(u.email for u in decision.reviewers.all()) == ["bilal@example.org", "dana@example.org"]


@pytest.mark.django_db
def test_it_refuses_recognition_that_its_framework_excludes(cast: Any) -> None:
    sample = make_sample(cast)
    client = signed_in(cast.bilal)
    url = f"{_base(sample)}decisions/new/"
    before = RecognitionDecision.objects.count()
    response = client.post(url, {"framework": "pace_1900", "outcome": "political_prisoner", "decided_on": "2022-01-10",
                                 "criterion_a": "met", "exclusion_violence": "met"})
    assert response.status_code == 400
    assert "An exclusion check is met" in response.content.decode()
    response = client.post(url, {"framework": "pace_1900", "outcome": "political_prisoner", "decided_on": "2099-01-10",
                                 "criterion_a_rationale": "no result given"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "is in the future" in _error(body, "decided_on")
    assert RecognitionDecision.objects.count() == before


# --- who may use the forms ------------------------------------------------------------------------------


def _edit_urls(sample: Sample) -> list[str]:
    base = _base(sample)
    consent = sample.person_a.consents.first()
    assert consent is not None
    return [f"{base}{path}" for path in (
        "edit/", "names/", "cases/new/", f"cases/{sample.case_a.pk}/edit/", "charges/new/", "hearings/new/",
        "sentences/new/", "detentions/new/", f"detentions/{sample.detention_a.pk}/edit/", "status/new/",
        "relationships/new/", "consents/new/", f"consents/{consent.pk}/withdraw/", "sources/new/",
        "decisions/new/")]


@pytest.mark.django_db
def test_it_answers_not_found_to_vera_and_chris_on_every_edit_route(cast: Any) -> None:
    sample = make_sample(cast)
    before = _counts()
    # Vera reads Org A but changes nothing; Chris sees nothing of Org A.
    for user in (cast.vera, cast.chris):
        client = signed_in(user)
        for url in _edit_urls(sample):
            for response in (client.get(url), client.post(url, {"country": "BY", "status": "released"})):
                assert response.status_code == 404, (user, url)
                assert "Kalesnikava" not in response.content.decode()
    assert _counts() == before
    # Chris may add people to his own organisation's registry, not to Org A's.
    response = signed_in(cast.chris).post(NEW, {**_names({"text": "Someone of Org B"}), "country": "AM",
                                              "gender": "unknown", "occupation": "other"})
    assert response.status_code == 302
    assert Person.objects.get(display_name="Someone of Org B").organisation_id == cast.org_b.pk


@pytest.mark.django_db
def test_it_lets_only_reviewers_record_decisions(cast: Any) -> None:
    sample = make_sample(cast)
    url = f"{_base(sample)}decisions/new/"
    assert signed_in(cast.amal).get(url).status_code == 404
    assert signed_in(cast.dana).get(url).status_code == 200
    for url in _edit_urls(sample)[:-1]:
        assert signed_in(cast.amal).get(url).status_code == 200, url


@pytest.mark.django_db
def test_it_gives_each_filter_form_fields_of_its_own() -> None:
    # The filter form copies its fields shallowly (forms._FieldsCopiedShallow): what one form
    # assigns to a field or widget must reach neither the class nor the next form.
    from unforgotten.registry.forms import PersonFilterForm
    from unforgotten.registry.models import Facility

    base: Any = PersonFilterForm.base_fields
    before = list(base["facility"].choices)
    first = PersonFilterForm({"status": "imprisoned"})
    fields: Any = first.fields
    fields["status"].choices = [("", "only this form")]
    first.fields["status"].widget.attrs["data-mark"] = "first"
    Facility.objects.create(name="Prison of the test", country="BY")
    second = PersonFilterForm({})
    others: Any = second.fields
    assert [label for _, label in others["status"].choices] != ["only this form"]
    assert "data-mark" not in str(second["status"])
    assert "Prison of the test" in str(second["facility"])
    assert "Prison of the test" not in [str(label) for _, label in before]
    assert list(base["facility"].choices) == before
    assert first.is_valid() is False  # "imprisoned" is not among this form's own choices any more
    assert second.is_valid(), second.errors


@pytest.mark.django_db
def test_it_normalises_a_catalogue_once_per_reading_not_per_form() -> None:
    # Django normalises choices each time they are set (field, then widget): for the two catalogues
    # of the filter form that was every list page's work. Read once, they are taken as they are.
    from unittest import mock

    import django.forms.fields
    import django.forms.widgets
    from django.utils.choices import normalize_choices

    from unforgotten.registry.forms import PersonFilterForm, _forget_catalogues, filter_fields_html

    Facility.objects.create(name="Prison of the test", country="BY")
    _forget_catalogues()
    PersonFilterForm({})  # reads the catalogues
    rebuilt: list[Any] = []
    real = normalize_choices  # what django.forms.fields and .widgets call

    def counting(value: Any, **kwargs: Any) -> Any:
        out = real(value, **kwargs)
        if out is not value:
            rebuilt.append(value)
        return out

    with mock.patch.object(django.forms.fields, "normalize_choices", counting), \
            mock.patch.object(django.forms.widgets, "normalize_choices", counting):
        form = PersonFilterForm({"facility": str(Facility.objects.get().pk)})
        assert form.is_valid(), form.errors
        html = filter_fields_html(form)
    assert rebuilt == []
    assert "Prison of the test" in html


@pytest.mark.django_db
def test_it_shows_a_new_catalogue_entry_in_kept_filter_fields_at_once() -> None:
    # The filter fields' HTML is kept per catalogue reading: a new place is a new reading.
    from unforgotten.registry.forms import PersonFilterForm, filter_fields_html

    before = filter_fields_html(PersonFilterForm({"status": "imprisoned"}))
    assert filter_fields_html(PersonFilterForm({"status": "imprisoned"})) is before
    Facility.objects.create(name="Colony of the test", country="BY")
    after = filter_fields_html(PersonFilterForm({"status": "imprisoned"}))
    assert "Colony of the test" not in before
    assert "Colony of the test" in after


def test_it_copies_filter_fields_as_copy_copy_does_and_leaves_custom_copies_to_it() -> None:
    # Each form copies the filter form's fields and widgets (forms._copy): the same new objects
    # copy.copy would give, and any class that customises copying still gets copy.copy.
    import copy

    from unforgotten.registry.forms import PersonFilterForm, _copy

    for field in PersonFilterForm.base_fields.values():
        for original in (field, field.widget):
            clone, expected = _copy(original), copy.copy(original)
            assert clone is not original and type(clone) is type(original)
            assert clone.__dict__ == expected.__dict__ == original.__dict__

    class Custom:
        def __copy__(self) -> str:
            return "its own copy"

    class Slotted:
        __slots__ = ("value",)

        def __init__(self) -> None:
            self.value = 1

    assert _copy(Custom()) == "its own copy"
    assert _copy(Slotted()).value == 1

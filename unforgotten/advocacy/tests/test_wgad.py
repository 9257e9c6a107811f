"""WGAD drafts and UN communications (issue 8, item 6): the questionnaire's sections, the checklist, PDF and DOCX."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from unforgotten.advocacy import actions, wgad
from unforgotten.advocacy.models import DossierCopy
from unforgotten.advocacy.tests.conftest import pdf_text
from unforgotten.policy.projection import Audience
from unforgotten.registry import actions as registry
from unforgotten.registry.actions import NameInput
from unforgotten.testing import PASSWORD

pytestmark = pytest.mark.django_db

SECTIONS = ["1. Identity", "2. Arrest", "3. Detention", "4. Circumstances and why the detention is arbitrary",
            "5. Domestic remedies", "6. Submitter"]


def _bare_case(cast: Any) -> Any:
    person = registry.do_create_person(organisation=cast.org_a, names=[NameInput("Unknown Prisoner")],
                                       data={"country": "IR"}, acting_user=cast.dana)
    return registry.do_add_case(person=person, data={"jurisdiction": "IR"}, acting_user=cast.dana)


def _staff(case: Any) -> Audience:
    return Audience(kind="staff", organisation_id=case.organisation_id)


def test_it_names_each_missing_item_of_a_case_with_almost_nothing(cast: Any) -> None:
    case = _bare_case(cast)
    draft = wgad.build(case, _staff(case), timezone.localdate())
    assert [f"{p.number}. {p.title}" for p in draft.parts] == SECTIONS
    expected = [
        "1. Identity — Family name", "1. Identity — First name(s)", "1. Identity — Sex",
        "1. Identity — Birth date or age", "1. Identity — Nationality(ies)",
        "1. Identity — Identity document (type, issuing authority, date, number)",
        "1. Identity — Profession or activity", "1. Identity — Address of usual residence",
        "2. Arrest — Date of arrest", "2. Arrest — Place of arrest", "2. Arrest — Forces who carried out the arrest",
        "2. Arrest — Was a warrant or other decision by a public authority shown?",
        "2. Arrest — Reasons for the arrest given by the authorities",
        "2. Arrest — Legal basis, including the legislation applied",
        "3. Detention — Date of detention", "3. Detention — Duration of detention",
        "3. Detention — Forces holding the detainee",
        "3. Detention — Places of detention (with transfers) and present place",
        "3. Detention — Authorities that ordered the detention",
        "3. Detention — Reasons for the detention given by the authorities",
        "3. Detention — Legal basis, including the legislation applied",
        "4. Circumstances and why the detention is arbitrary — Circumstances of the arrest and detention",
        "4. Circumstances and why the detention is arbitrary — Category I–V and its reasoning",
        "5. Domestic remedies — Results, or why remedies were ineffective or not taken",
        "6. Submitter — Full name of the submitter", "6. Submitter — Address", "6. Submitter — Telephone or e-mail",
        "6. Submitter — The person or the family agrees to the submission",
    ]
    assert draft.missing == expected


def test_it_fills_the_draft_from_the_registry_and_the_answers(cast: Any, sample: Any, adv: Any) -> None:
    sample.person_a.case_team.add(cast.ada)
    team = Audience(kind="case_team", organisation_id=cast.org_a.pk)
    draft = wgad.build(sample.case_a, team, timezone.localdate())
    answers = {a.label: a.value for p in draft.parts for a in p.answers}
    assert answers["Family name"] == "Kalesnikava"
    assert answers["Sex"] == "Female"
    assert answers["Nationality(ies)"] == "Belarus"
    assert "Criminal Code, article 342, part 1 (BY)" in answers["Legal basis, including the legislation applied"]
    assert "Penal Colony No. 3" in answers["Places of detention (with transfers) and present place"]
    assert "Appeal — Supreme Court of Belarus: Filed" in answers[
        "Steps taken with legal and administrative authorities, and their results"]
    assert answers["Identity document (type, issuing authority, date, number)"] == "CANARY-adv-id-document-restricted"
    # Staff outside the case team get the same draft without the restricted answers, and are told they are missing.
    staff = wgad.build(sample.case_a, _staff(sample.case_a), timezone.localdate())
    assert "1. Identity — Identity document (type, issuing authority, date, number)" in staff.missing
    assert "CANARY-adv-id-document-restricted" not in str([a.value for p in staff.parts for a in p.answers])


def test_it_takes_the_category_reasoning_from_the_draft_or_a_wgad_decision(cast: Any, sample: Any) -> None:
    actions.do_save_wgad_draft(case=sample.case_a, data={"category_reasoning": {"II": "Peaceful protest."}},
                               acting_user=cast.dana)
    draft = wgad.build(sample.case_a, _staff(sample.case_a), timezone.localdate())
    answers = {a.label: a.value for p in draft.parts for a in p.answers}
    assert answers[next(k for k in answers if k.startswith("Category II"))] == "Peaceful protest."
    assert not any("Category I–V" in m for m in draft.missing)
    with pytest.raises(ValidationError):
        actions.do_save_wgad_draft(case=sample.case_a, data={"category_reasoning": {"VI": "x"}}, acting_user=cast.dana)


def test_it_exports_a_docx_that_opens_and_holds_every_section(cast: Any, sample: Any, adv: Any) -> None:
    from docx import Document

    draft = wgad.build(sample.case_a, _staff(sample.case_a), timezone.localdate())
    doc = Document(io.BytesIO(wgad.to_docx(draft, recipient="WGAD secretariat", copy="abcd1234")))
    headings = [p.text for p in doc.paragraphs if p.style is not None and p.style.name.startswith("Heading")]
    assert headings == ["Admissibility checklist", *SECTIONS]
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "Prepared for WGAD secretariat · copy abcd1234" in body
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "Kalesnikava" in cells
    assert not any("CANARY-adv-id-document" in c or "CANARY-legal-strategy" in c for c in cells)


def test_it_exports_the_draft_as_pdf_after_reauthentication_and_records_it(cast: Any, sample: Any, adv: Any) -> None:
    client = Client()
    client.force_login(cast.ada)
    url = f"/work/advocacy/cases/{sample.case_a.pk}/wgad/export/"
    body = {"format": "pdf", "recipient": "WGAD secretariat", "reason": "Submission"}
    assert client.post(url, body)["Location"].startswith("/accounts/reauthenticate/")
    assert client.post("/accounts/reauthenticate/", {"password": PASSWORD}).status_code == 302
    response = client.post(url, body)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for section in SECTIONS:
        assert section in text
    assert "Admissibility checklist" in text
    assert DossierCopy.objects.filter(kind="wgad-pdf", case=sample.case_a).count() == 1
    docx = client.post(url, {**body, "format": "docx"})
    assert docx.status_code == 200 and docx.content[:2] == b"PK"


def test_it_shows_the_checklist_on_the_page_and_in_the_api(cast: Any) -> None:
    case = _bare_case(cast)
    client = Client()
    client.force_login(cast.vera)
    page = client.get(f"/work/advocacy/cases/{case.pk}/wgad/")
    assert page.status_code == 200
    assert "1. Identity — Family name" in page.content.decode()
    data = client.get(f"/api/v1/advocacy/cases/{case.pk}/wgad-draft").json()
    assert data["complete"] is False and "6. Submitter — Address" in data["missing"]


def test_it_tracks_the_government_reply_due_sixty_days_after_transmission(cast: Any, sample: Any) -> None:
    comm = actions.do_add_un_communication(case=sample.case_a, data={
        "mechanism": "wgad", "submitted_on": date(2024, 3, 1)}, acting_user=cast.dana)
    assert comm.reply_due_on == date(2024, 4, 30)
    comm = actions.do_update_un_communication(communication=comm, data={"transmitted_on": date(2024, 3, 20)},
                                              acting_user=cast.dana)
    assert comm.reply_due_on == date(2024, 5, 19)
    urgent = actions.do_add_un_communication(case=sample.case_a, data={
        "mechanism": "sr_torture", "kind": "urgent_appeal", "submitted_on": timezone.localdate()},
        acting_user=cast.dana)
    assert urgent.get_kind_display() == "Urgent appeal"
    client = Client()
    client.force_login(cast.vera)
    home = client.get("/work/advocacy/").content.decode()
    assert "2024-05-19" in home and "late" in home


def test_it_refuses_categories_that_do_not_go_with_the_outcome(cast: Any, sample: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        actions.do_add_un_communication(case=sample.case_a, data={
            "submitted_on": date(2024, 3, 1), "outcome": "arbitrary", "categories": []}, acting_user=cast.dana)
    assert "categories" in caught.value.message_dict
    with pytest.raises(ValidationError):
        actions.do_add_un_communication(case=sample.case_a, data={
            "submitted_on": timezone.localdate() + timedelta(days=2)}, acting_user=cast.dana)
    opinion = actions.do_add_un_communication(case=sample.case_a, data={
        "submitted_on": date(2022, 1, 1), "outcome": "arbitrary", "categories": ["III", "I"],
        "opinion_number": "No. 1/2023"}, acting_user=cast.dana)
    assert opinion.categories == ["I", "III"]

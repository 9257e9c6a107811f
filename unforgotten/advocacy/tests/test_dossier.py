"""Dossiers (issue 8, item 5): bilingual PDFs through the audience's projection, watermarked, audited."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest
from django.test import Client

from unforgotten.advocacy import dossier
from unforgotten.advocacy.models import DossierCopy
from unforgotten.advocacy.testing import ARABIC_ASK, ARABIC_SUMMARY
from unforgotten.advocacy.tests.conftest import pdf_pages, pdf_text
from unforgotten.audit.models import AuditEvent
from unforgotten.policy.sensitivity import Sensitivity
from unforgotten.testing import PASSWORD

pytestmark = pytest.mark.django_db


def _pdf(person: Any, audience: str, language: str = "ar", recipient: str = "Embassy of Norway",
         case: Any = None) -> bytes:
    req = dossier.DossierRequest(person, case, audience, language, recipient, uuid.uuid4(), date(2026, 12, 1))
    return dossier.build_pdf(req)


def test_it_keeps_the_arabic_text_in_logical_order(cast: Any, sample: Any, adv: Any) -> None:
    text = pdf_text(_pdf(sample.person_a, "diplomat", "ar"))
    # The advocate's own Arabic (the brief's translation) and the translated interface, as written.
    assert ARABIC_SUMMARY in text
    assert ARABIC_ASK in text
    assert "ما هو المطلوب" in text  # "What is asked"
    assert "التدخلات حتى الآن" in text  # "Interventions so far"
    assert "لا توجد صفحة عامة بعد" in text  # "There is no public page yet."


def test_it_writes_persian_in_logical_order(cast: Any, sample: Any, adv: Any) -> None:
    from unforgotten.advocacy import actions

    persian = "او به دلیل رهبری اعتراضات مسالمت آمیز در مینسک زندانی شد"
    actions.do_save_brief(case=sample.case_a, data={"translation_language": "fa", "summary_translation": persian},
                          acting_user=cast.dana)
    text = pdf_text(_pdf(sample.person_a, "un", "fa"))
    assert persian in text
    assert "هنوز صفحه عمومی وجود ندارد" in text  # "There is no public page yet."
    assert "آنچه درخواست می" in text  # "What is asked" (up to the zero-width non-joiner, which extraction drops)


def test_it_never_puts_restricted_or_sealed_canaries_in_any_dossier(cast: Any, sample: Any, adv: Any) -> None:
    forbidden = sample.forbidden_for(Sensitivity.INTERNAL) + adv.forbidden_for(Sensitivity.INTERNAL)
    assert len(forbidden) >= 10
    for audience in ("media", "diplomat", "un"):
        text = pdf_text(_pdf(sample.person_a, audience))
        assert [c for c in forbidden if c in text] == [], audience


def test_it_gives_the_media_only_what_is_public_and_consented(cast: Any, sample: Any, adv: Any) -> None:
    text = pdf_text(_pdf(sample.person_a, "media"))
    leaked = [c for c in sample.forbidden_for(Sensitivity.PUBLIC) + adv.forbidden_for(Sensitivity.PUBLIC)
              if c in text]
    assert leaked == []
    # Health is public only with the person's health consent, which the sample never gives.
    assert not any(c in text for c in adv.consent_canaries)
    # Private diplomacy is not for the press.
    assert "Embassy of Norway in Minsk" not in text
    assert "Interventions are not listed in a dossier for this audience." in text
    assert "Maryia Kalesnikava" in text  # the name is consented


def test_it_gives_diplomats_what_partners_may_see_and_the_un_what_staff_may_see(cast: Any, sample: Any,
                                                                               adv: Any) -> None:
    diplomat = pdf_text(_pdf(sample.person_a, "diplomat"))
    assert [c for c in sample.forbidden_for(Sensitivity.COALITION) + adv.forbidden_for(Sensitivity.COALITION)
            if c in diplomat] == []
    assert "Embassy of Norway in Minsk" in diplomat  # interventions are coalition-level
    assert "No. 27/2023" in diplomat
    un = pdf_text(_pdf(sample.person_a, "un"))
    assert "CANARY-case-number-internal" in un  # a desk officer needs the case number
    assert [c for c in sample.forbidden_for(Sensitivity.INTERNAL) if c in un] == []


def test_it_names_the_rights_the_prosecution_offends(cast: Any, sample: Any, adv: Any) -> None:
    text = pdf_text(_pdf(sample.person_a, "diplomat"))
    # An assembly case, with a closed hearing and limited defence access.
    for article in ("UDHR art. 9", "UDHR art. 20", "ICCPR art. 21", "ICCPR art. 14"):
        assert article in text
    assert "ICCPR art. 19" not in text


def test_it_leaves_out_a_name_without_consent_and_still_makes_the_media_dossier(cast: Any, sample: Any,
                                                                               adv: Any) -> None:
    consent = sample.person_a.consents.get(scope="name")
    from unforgotten.registry.actions import do_withdraw_consent

    do_withdraw_consent(consent=consent, withdrawn_on=date(2022, 1, 1), acting_user=cast.dana)
    sample.person_a.refresh_from_db()
    text = pdf_text(_pdf(sample.person_a, "media"))
    assert "Maryia Kalesnikava" not in text and "Марыя" not in text
    assert "Withheld: there is no consent to publish the name." in text


def test_it_watermarks_every_page_with_the_recipient(cast: Any, sample: Any, adv: Any) -> None:
    from unforgotten.advocacy import actions
    from unforgotten.registry.actions import do_add_hearing

    for n in range(40):  # a long record: several pages
        actions.do_record_intervention(case=sample.case_a, stakeholder=adv.stakeholder, data={
            "occurred": f"2023-{n % 12 + 1:02d}", "method": "demarche", "outcome": "acknowledged"},
            acting_user=cast.dana)
        do_add_hearing(case=sample.case_a, data={"court": f"Court {n}", "held_on": "2022"}, acting_user=cast.dana)
    pdf = _pdf(sample.person_a, "diplomat", recipient="Ms Solveig Example, MFA Oslo")
    pages = pdf_pages(pdf)
    assert pages >= 3
    for page in range(1, pages + 1):
        assert "Prepared for Ms Solveig Example, MFA Oslo" in pdf_text(pdf, first=page), page


def test_it_draws_the_timeline_with_html_labels_and_no_svg_text(cast: Any, sample: Any, adv: Any) -> None:
    req = dossier.DossierRequest(sample.person_a, None, "diplomat", "ar", "X", uuid.uuid4(), date(2026, 12, 1))
    html = dossier.build_html(req)
    svg = html[html.index("<svg"):html.index("</svg>")]
    assert "<text" not in svg and "<circle" in svg
    assert "ol class=\"legend\"" in html and "الاحتجاز" in html


def test_it_makes_a_dossier_of_a_case_with_almost_nothing(cast: Any) -> None:
    from unforgotten.registry import actions as registry
    from unforgotten.registry.actions import NameInput

    person = registry.do_create_person(organisation=cast.org_a, names=[NameInput("Nobody Known")],
                                       data={"country": "IR"}, acting_user=cast.dana)
    case = registry.do_add_case(person=person, data={"jurisdiction": "IR"}, acting_user=cast.dana)
    for audience in ("media", "diplomat", "un"):
        text = pdf_text(_pdf(person, audience, "fa", case=case))
        assert "No detention is recorded for this audience; dates may be unknown." in text
        assert "No charge is recorded for this audience." in text


def test_it_links_the_public_page_with_a_qr_code_when_a_profile_is_live(cast: Any, sample: Any, adv: Any) -> None:
    from unforgotten.publishing import actions as publishing

    profile = publishing.do_create_profile(person=sample.person_a, language="en", data={"story": "A story."},
                                           acting_user=cast.dana)
    publishing.do_submit_for_review(profile=profile, acting_user=cast.dana)
    publishing.do_approve(profile=profile, acting_user=cast.bilal)
    req = dossier.DossierRequest(sample.person_a, None, "media", "ar", "X", uuid.uuid4(), date(2026, 12, 1))
    html = dossier.build_html(req)
    assert f"/en/prisoners/{sample.person_a.slug}/" in html
    assert 'src="data:image/svg+xml' in html


def _reauthenticated(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    assert client.post("/accounts/reauthenticate/", {"password": PASSWORD}).status_code == 302
    return client


def test_it_asks_to_reauthenticate_then_records_each_copy(cast: Any, sample: Any, adv: Any) -> None:
    url = f"/work/advocacy/people/{sample.person_a.uuid}/dossier/"
    body = {"audience": "diplomat", "language": "ar", "recipient": "Embassy of Norway", "reason": "Meeting on 3 May"}
    fresh = Client()
    fresh.force_login(cast.ada)
    response = fresh.post(url, body)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/reauthenticate/")
    assert not DossierCopy.objects.exists()
    client = _reauthenticated(cast.ada)
    for _n in range(2):
        response = client.post(url, body)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
    copies = list(DossierCopy.objects.filter(person=sample.person_a, kind="dossier"))
    assert len(copies) == 2 and copies[0].uuid != copies[1].uuid
    events = AuditEvent.objects.filter(action="advocacy.export_dossier")
    assert events.count() == 2
    assert {e.reason for e in events} == {"Meeting on 3 May"}
    assert {e.actor_id for e in events} == {cast.ada.pk}


def test_it_refuses_dossiers_to_people_without_advocacy_and_export(cast: Any, sample: Any, adv: Any) -> None:
    url = f"/work/advocacy/people/{sample.person_a.uuid}/dossier/"
    for user in (cast.amal, cast.vera, cast.cora, cast.chris):
        client = Client()
        client.force_login(user)
        assert client.get(url).status_code == 404, user


def test_it_makes_dossiers_through_the_api_only_for_a_fresh_session(cast: Any, sample: Any, adv: Any) -> None:
    from unforgotten.api.actions import do_create_api_token

    url = f"/api/v1/advocacy/people/{sample.person_a.uuid}/dossiers"
    body = {"audience": "media", "language": "fa", "recipient": "A newspaper", "reason": "Press briefing"}
    _token, raw = do_create_api_token(organisation=cast.org_a, name="t", scopes=["read", "advocacy", "export"],
                                      acting_user=cast.dana)
    token = Client().post(url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert token.status_code == 401
    client = _reauthenticated(cast.ada)
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert "A newspaper" in pdf_text(response.content)
    assert DossierCopy.objects.filter(audience="media", language="fa").count() == 1

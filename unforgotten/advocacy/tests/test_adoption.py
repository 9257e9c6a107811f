"""Adoption (issue 8, item 3): listed publicly only with consent; a toolkit from the public projection; a log."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from unforgotten.advocacy import actions, toolkit
from unforgotten.advocacy.tests.conftest import pdf_text
from unforgotten.core import outbox
from unforgotten.policy.projection import PUBLIC, project
from unforgotten.policy.sensitivity import Sensitivity

pytestmark = pytest.mark.django_db


def test_it_names_the_adopter_in_public_only_while_both_agree(cast: Any, sample: Any, adv: Any) -> None:
    adoption = adv.adoption
    assert project(adoption, PUBLIC) == {}  # the adopter has not agreed yet
    today = timezone.localdate()
    actions.do_update_adoption(adoption=adoption, data={"listing_consent_on": today - timedelta(days=1)},
                               acting_user=cast.ada)
    assert project(adoption, PUBLIC)["adopter_name"] == "Ingrid Example MP"
    # The family withdraws the name consent: the adoption cannot be named either.
    from unforgotten.registry.actions import do_withdraw_consent

    do_withdraw_consent(consent=sample.person_a.consents.get(scope="name"), withdrawn_on=date(2022, 1, 1),
                        acting_user=cast.dana)
    adoption.person.refresh_from_db()
    adoption.person._uf_consents = None
    assert project(adoption, PUBLIC) == {}


def test_it_builds_the_toolkit_only_from_what_may_be_public(cast: Any, sample: Any, adv: Any) -> None:
    kit = toolkit.build(adv.adoption, timezone.localdate())
    text = kit.text
    assert "Maryia Kalesnikava" in text
    assert "What you can do" in text and "Release Maryia Kalesnikava immediately" in text
    forbidden = sample.forbidden_for(Sensitivity.PUBLIC) + adv.forbidden_for(Sensitivity.PUBLIC) + adv.consent_canaries
    assert [c for c in forbidden if c in text] == []
    pdf = toolkit.to_pdf(kit)
    assert [c for c in forbidden if c in pdf_text(pdf)] == []


def test_it_emails_the_toolkit_to_an_adopter_with_an_address(cast: Any, sample: Any, adv: Any,
                                                            smtp_server: Any) -> None:
    actions.do_update_adoption(adoption=adv.adoption, data={"stakeholder": adv.stakeholder}, acting_user=cast.ada)
    client = Client()
    client.force_login(cast.ada)
    response = client.post(f"/work/advocacy/adoptions/{adv.adoption.uuid}/toolkit/", {"action": "email"})
    assert response.status_code == 302
    outbox.deliver_due()
    assert len(smtp_server.messages) == 1
    assert "Advocacy toolkit: Maryia Kalesnikava" in str(smtp_server.messages[0]["Subject"])
    body = smtp_server.bodies()[0]
    assert [c for c in sample.forbidden_for(Sensitivity.PUBLIC) + adv.forbidden_for(Sensitivity.PUBLIC)
            if c in body] == []


def test_it_logs_what_the_adopter_did(cast: Any, sample: Any, adv: Any) -> None:
    client = Client()
    client.force_login(cast.ada)
    response = client.post(f"/work/advocacy/adoptions/{adv.adoption.uuid}/activities/new/", {
        "occurred": "2026-10", "kind": "statement", "description": "Spoke on 30 October."})
    assert response.status_code == 302
    assert adv.adoption.activities.count() == 2
    page = Client()
    page.force_login(cast.vera)
    assert "Spoke on 30 October." in page.get(f"/work/advocacy/adoptions/{adv.adoption.uuid}/").content.decode()
    api = page.get(f"/api/v1/advocacy/people/{sample.person_a.uuid}/adoptions").json()
    assert {a["kind"] for a in api[0]["activities"]} == {"statement", "parliamentary_question"}


def test_it_refuses_an_adoption_that_ends_before_it_starts(cast: Any, sample: Any) -> None:
    client = Client()
    client.force_login(cast.ada)
    response = client.post(f"/work/advocacy/people/{sample.person_a.uuid}/adoptions/new/", {
        "adopter_kind": "organisation", "adopter_name": "A union", "started_on": "2024-05-01",
        "ended_on": "2024-04-01"})
    assert response.status_code == 400
    assert "cannot end before it started" in response.content.decode()
    assert sample.person_a.adoptions.count() == 0


def test_it_lists_the_adopter_on_the_public_page_only_with_consent(cast: Any, sample: Any, adv: Any) -> None:
    from unforgotten.publishing import actions as publishing

    profile = publishing.do_create_profile(person=sample.person_a, language="ar", data={"story": "قصة"},
                                           acting_user=cast.dana)
    publishing.do_submit_for_review(profile=profile, acting_user=cast.dana)
    publishing.do_approve(profile=profile, acting_user=cast.bilal)
    url = f"/ar/prisoners/{sample.person_a.slug}/"
    first = Client().get(url)
    assert first.status_code == 200 and "Ingrid Example MP" not in first.content.decode()
    # The adopter agrees to be listed: the stored page is purged and the next one names them.
    actions.do_update_adoption(adoption=adv.adoption, data={"listing_consent_on": timezone.localdate()},
                               acting_user=cast.ada)
    page = Client().get(url).content.decode()
    assert "Ingrid Example MP" in page and "حامیان" not in page and "تبنى القضية" in page
    actions.do_update_adoption(adoption=adv.adoption, data={"listing_withdrawn_on": timezone.localdate()},
                               acting_user=cast.ada)
    assert "Ingrid Example MP" not in Client().get(url).content.decode()

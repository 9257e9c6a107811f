"""Stakeholders (issue 8, item 1): who the organisation works with; without contact details nothing is sent."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from unforgotten.advocacy import actions
from unforgotten.advocacy.models import Intervention, Stakeholder
from unforgotten.core import outbox
from unforgotten.core.models import OutboxMessage
from unforgotten.testing import signed_in

pytestmark = pytest.mark.django_db


def test_it_lets_ada_record_a_stakeholder_and_vera_only_read_it(cast: Any) -> None:
    response = signed_in(cast.ada).post("/work/advocacy/stakeholders/new/", {
        "kind": "un_mechanism", "name": "Working Group on Arbitrary Detention", "email": "wgad@example.org"})
    assert response.status_code == 302
    obj = Stakeholder.objects.get(name="Working Group on Arbitrary Detention")
    assert obj.organisation == cast.org_a and obj.country == ""
    vera = signed_in(cast.vera)
    assert vera.get(f"/work/advocacy/stakeholders/{obj.uuid}/").status_code == 200
    assert vera.get(f"/work/advocacy/stakeholders/{obj.uuid}/edit/").status_code == 404
    assert vera.post("/work/advocacy/stakeholders/new/", {"kind": "ngo", "name": "x"}).status_code == 404
    assert signed_in(cast.chris).get(f"/work/advocacy/stakeholders/{obj.uuid}/").status_code == 404


def test_it_refuses_a_country_that_does_not_exist(cast: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        actions.do_add_stakeholder(organisation=cast.org_a, data={"kind": "embassy", "name": "X", "country": "XX"},
                                   acting_user=cast.ada)
    assert "country" in caught.value.message_dict


def test_it_cannot_send_to_a_stakeholder_without_contact_details(cast: Any, sample: Any, adv: Any) -> None:
    before = (Intervention.objects.count(), OutboxMessage.objects.count())
    with pytest.raises(ValidationError) as caught:
        actions.do_send_letter(stakeholder=adv.silent_stakeholder, case=sample.case_a, subject="Her case",
                               body="Please raise it.", acting_user=cast.ada)
    assert "no e-mail address" in caught.value.message_dict["stakeholder"][0]
    client = signed_in(cast.ada)
    page = client.get(f"/work/advocacy/stakeholders/{adv.silent_stakeholder.uuid}/write/")
    assert "no e-mail address" in page.content.decode()
    response = client.post(f"/work/advocacy/stakeholders/{adv.silent_stakeholder.uuid}/write/", {
        "case": sample.case_a.pk, "subject": "Her case", "body": "Please raise it."})
    assert response.status_code == 400
    api = client.post(f"/api/v1/advocacy/adoptions/{adv.adoption.uuid}/toolkit/send", content_type="application/json")
    assert api.status_code == 422 and api.json()["errors"][0]["where"].endswith("stakeholder")
    assert (Intervention.objects.count(), OutboxMessage.objects.count()) == before


def test_it_sends_a_letter_and_records_it_as_an_intervention(cast: Any, sample: Any, adv: Any,
                                                             smtp_server: Any) -> None:
    response = signed_in(cast.ada).post(f"/work/advocacy/stakeholders/{adv.stakeholder.uuid}/write/", {
        "case": sample.case_a.pk, "subject": "Maryia Kalesnikava", "body": "We ask you to raise her case."})
    assert response.status_code == 302
    outbox.deliver_due()
    assert [e[1] for e in smtp_server.envelopes] == [["hr-officer@embassy.example.org"]]
    assert [b.strip() for b in smtp_server.bodies()] == ["We ask you to raise her case."]
    latest = Intervention.objects.filter(case=sample.case_a).order_by("-pk").first()
    assert latest is not None and latest.method == "email" and latest.stakeholder == adv.stakeholder


def test_it_keeps_contact_details_from_partners_projection(cast: Any, adv: Any) -> None:
    from unforgotten.policy.projection import Audience, project

    partner = project(adv.stakeholder, Audience(kind="partner"))
    assert partner["name"] == "Embassy of Norway in Minsk"
    assert not {"email", "phone", "postal_address", "notes"} & partner.keys()

"""The letters API (issue 7 items 4, 5): what the workspace does, through the same policy and actions.

Personas: Amal (caseworker of Org A) moderates; Dana (admin) runs campaigns; Vera (viewer) reads only.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from unforgotten.letters.models import LetterCampaign, LetterStatus, Outreach, PrisonerLetter
from unforgotten.testing import signed_in

pytestmark = pytest.mark.django_db


def _send(client: Client, method: str, path: str, payload: Any) -> Any:
    return getattr(client, method)(path, data=json.dumps(payload), content_type="application/json")


def test_it_moderates_compiles_and_tracks_delivery_through_the_api(letters: Any, cast: Any) -> None:
    amal = signed_in(cast.amal)
    queue = amal.get("/api/v1/letters/org-a/letters?status=pending").json()
    assert [x["uuid"] for x in queue] == [str(letters.pending.uuid)]
    answer = _send(amal, "post", f"/api/v1/letters/org-a/letters/{letters.pending.uuid}/moderation",
                   {"decision": "approve", "print_sender": False})
    assert answer.status_code == 200 and answer.json()["status"] == "approved"
    made = _send(amal, "post", f"/api/v1/letters/org-a/people/{letters.person.uuid}/batches", {})
    assert made.status_code == 201, made.content
    assert made.json()["size"] == 3
    batch = made.json()["uuid"]
    pdf = amal.get(f"/api/v1/letters/org-a/batches/{batch}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    moved = _send(amal, "post", f"/api/v1/letters/org-a/batches/{batch}/status", {"status": "delivered"})
    assert moved.json()["status"] == "delivered"
    assert set(PrisonerLetter.objects.filter(batch__uuid=batch).values_list("delivery", flat=True)) == {"delivered"}


def test_it_refuses_bad_input_with_422_and_changes_nothing(letters: Any, cast: Any) -> None:
    amal = signed_in(cast.amal)
    url = f"/api/v1/letters/org-a/letters/{letters.pending.uuid}/moderation"
    for payload in ({"decision": "publish"}, {"decision": "approve", "extra": 1},
                    {"decision": "request_changes", "note": ""}, {"decision": "approve", "note": "a\x00b"}):
        assert _send(amal, "post", url, payload).status_code == 422, payload
    assert PrisonerLetter.objects.get(pk=letters.pending.pk).status == LetterStatus.PENDING
    vera = signed_in(cast.vera)
    assert _send(vera, "post", url, {"decision": "approve"}).status_code == 404


def test_it_runs_a_campaign_and_hands_an_office_over_through_the_api(letters: Any, cast: Any) -> None:
    dana = signed_in(cast.dana)
    created = _send(dana, "post", "/api/v1/letters/org-a/campaigns", {
        "name": "API campaign", "slug": "api-campaign", "channel": "post", "targets": [str(letters.target.uuid)]})
    assert created.status_code == 201
    key = created.json()["uuid"]
    assert _send(dana, "put", f"/api/v1/letters/org-a/campaigns/{key}/letters/es", {
        "title": "Escribe", "subject": "Libertad", "body": "Le pido su liberación."}).status_code == 200
    assert _send(dana, "post", f"/api/v1/letters/org-a/campaigns/{key}/status", {"status": "open"}).status_code == 200
    handed = _send(dana, "post", "/api/v1/letters/org-a/hand-overs",
                   {"old": str(letters.target.uuid), "new": str(letters.successor.uuid)})
    assert handed.status_code == 201 and handed.json()["campaigns"] == 2
    campaign = dana.get(f"/api/v1/letters/org-a/campaigns/{key}").json()
    live = [o for o in campaign["outreaches"] if o["superseded_at"] is None]
    assert [o["target"] for o in live] == [str(letters.successor.uuid)]
    outreach = Outreach.objects.get(campaign=letters.campaign, target=letters.target)
    reply = _send(dana, "post", f"/api/v1/letters/org-a/outreaches/{outreach.pk}/replies",
                  {"received_on": "2026-02-01", "stance": "negative", "summary": "Refused."})
    assert reply.status_code == 201 and reply.json()["replies"][0]["stance"] == "negative"
    assert _send(dana, "post", "/api/v1/letters/org-a/campaigns", {
        "name": "x", "slug": "api-campaign"}).status_code == 422
    assert LetterCampaign.objects.filter(slug="api-campaign").count() == 1


def test_it_shows_the_sender_only_to_the_case_team_and_audits_the_read(letters: Any, cast: Any) -> None:
    from unforgotten.audit.models import AuditEvent
    from unforgotten.letters.testing import SENDER_EMAIL

    amal = signed_in(cast.amal)
    url = f"/api/v1/letters/org-a/letters/{letters.pending.uuid}"
    assert amal.get(url).json().get("sender_email") is None
    letters.person.case_team.add(cast.amal)
    assert amal.get(url).json()["sender_email"] == SENDER_EMAIL
    assert AuditEvent.objects.filter(action="letters.read_sender", actor_id=cast.amal.pk).count() == 1


def test_it_lists_and_records_supporters_letters_as_osdi_outreaches(letters: Any, cast: Any, smtp_server: Any) -> None:
    from unforgotten.core import outbox
    from unforgotten.letters.models import OfficialLetter
    from unforgotten.letters.testing import SUPPORTER_EMAIL, SUPPORTER_NAME

    vera = signed_in(cast.vera)
    page = vera.get(f"/api/v1/letters/org-a/campaigns/{letters.campaign.uuid}/outreaches?per_page=1")
    assert page.status_code == 200, page.content
    body = page.json()
    assert body["total_records"] == 1 and body["page"] == 1 and "next" not in body["_links"]
    [item] = body["_embedded"]["osdi:outreaches"]
    assert item["identifiers"] == [f"unforgotten:{letters.letter.uuid}"]
    assert item["message"].startswith("I ask you to release Maryia")
    assert item["type"] == "email" and item["status"] == "sent"
    assert item["targets"] == [{"name": letters.target.name, "title": letters.target.title,
                                "institution": letters.target.institution, "country": letters.target.country}]
    assert item["_links"]["osdi:advocacy_campaign"]["href"].endswith(f"/campaigns/{letters.campaign.uuid}")
    # The writer's name, place and address are the case team's: a reader of the organisation sees none of them.
    assert SUPPORTER_NAME not in page.content.decode() and "Lyon" not in page.content.decode()
    assert SUPPORTER_EMAIL not in page.content.decode()

    dana = signed_in(cast.dana)
    url = f"/api/v1/letters/org-a/campaigns/{letters.campaign.uuid}/outreaches"
    person: dict[str, Any] = {"given_name": "Omar Partner", "email_addresses": [{"address": "omar@example.org"}],
                              "preferred_language": "en"}
    payload: dict[str, Any] = {"person": person, "message": "Release Maryia Kalesnikava now."}
    first = _send(dana, "post", url, payload)
    again = _send(dana, "post", url, payload)
    assert first.status_code == again.status_code == 202
    assert first.json() == again.json()  # a repeat answers the same: nothing to learn about who wrote before
    written = OfficialLetter.objects.get(body="Release Maryia Kalesnikava now.")
    assert written.state == "pending"
    outbox.deliver_due()
    assert any("omar@example.org" in tos for _sender, tos in smtp_server.envelopes)
    # Bad input: a clear 422 naming the field, and nothing written.
    before = OfficialLetter.objects.count()
    refused = _send(dana, "post", url, {**payload, "message": ""})
    assert refused.status_code == 422
    refused = _send(dana, "post", url, {**payload, "person": {**person, "given_name": ""},
                                        "message": "A letter without a name."})
    assert refused.status_code == 422 and "sender_name" in refused.content.decode()
    assert OfficialLetter.objects.count() == before
    assert _send(vera, "post", url, payload).status_code == 404

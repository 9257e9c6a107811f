"""Canaries (T2) in the alerts' restricted and internal fields never reach an output their audience may not see:
workspace pages and the API for staff outside the case team and for other organisations, e-mails, webhooks
and the public site."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from unforgotten.alerts.testing import CANARY_NOTES, CANARY_SUMMARY, make_alerts_sample
from unforgotten.api.actions import do_create_api_token
from unforgotten.core import outbox

pytestmark = pytest.mark.django_db


def test_it_shows_internal_notes_to_the_case_team_only(cast: Any, sample: Any, login_as: Any) -> None:
    s = make_alerts_sample(cast, sample)
    page = f"/work/alerts/{s.alert.uuid}/"
    api = f"/api/v1/alerts/{s.alert.uuid}"
    sample.person_a.case_team.add(cast.amal)
    team = login_as(cast.amal)
    assert CANARY_NOTES in team.get(page).content.decode() and CANARY_NOTES in team.get(api).content.decode()
    vera = login_as(cast.vera)  # staff of Org A, not on the case team: the summary, never the notes
    for path in (page, api, "/work/alerts/", "/api/v1/alerts"):
        body = vera.get(path).content.decode()
        assert CANARY_NOTES not in body, path
    assert CANARY_SUMMARY in vera.get(page).content.decode()
    chris = login_as(cast.chris)  # Org B: nothing of Org A's alerts, not even that they exist
    assert chris.get(page).status_code == 404 and chris.get(api).status_code == 404
    listing = chris.get("/api/v1/alerts").content.decode() + chris.get("/work/alerts/").content.decode()
    assert CANARY_SUMMARY not in listing and "Hunger strike" not in listing


def test_it_keeps_internal_notes_from_tokens_and_other_organisations(cast: Any, sample: Any) -> None:
    s = make_alerts_sample(cast, sample)
    _token, raw = do_create_api_token(organisation=cast.org_a, name="bot", scopes=["read"], acting_user=cast.dana)
    body = Client().get("/api/v1/alerts", headers={"Authorization": f"Bearer {raw}"}).content.decode()
    assert str(s.alert.uuid) in body and CANARY_NOTES not in body  # a token is never on a case team
    _token_b, raw_b = do_create_api_token(organisation=cast.org_b, name="bot", scopes=["read"], acting_user=cast.chris)
    other = Client().get(f"/api/v1/alerts/{s.alert.uuid}", headers={"Authorization": f"Bearer {raw_b}"})
    assert other.status_code == 404


def test_it_never_puts_restricted_notes_in_emails_nor_mails_other_organisations(cast: Any, sample: Any,
                                                                               smtp_server: Any) -> None:
    sample.person_a.case_team.add(cast.amal)  # even the case team's copy: e-mail leaves the platform
    make_alerts_sample(cast, sample)
    outbox.deliver_due()
    assert smtp_server.messages
    everything = "\n".join(m.as_string() for m in smtp_server.messages)
    assert CANARY_NOTES not in everything
    assert not [c for c in sample.canaries if c in everything and sample.canaries[c] > 2]
    recipients = {r for _f, rcpts in smtp_server.envelopes for r in rcpts}
    assert "chris@example.org" not in recipients and "vera@example.org" not in recipients


def test_it_answers_a_case_of_another_organisation_like_a_missing_one(cast: Any, sample: Any, login_as: Any) -> None:
    from unforgotten.alerts.models import Alert

    chris = login_as(cast.chris)
    data = {"kind": "torture", "severity": "critical", "summary": "x"}
    theirs = chris.post("/work/alerts/new/", {**data, "case": sample.case_a.pk})
    ghost = int("9" * len(str(sample.case_a.pk)))  # as many digits: the re-rendered form is as long
    assert ghost != sample.case_a.pk
    missing = chris.post("/work/alerts/new/", {**data, "case": ghost})
    assert theirs.status_code == missing.status_code == 400
    assert "No case with this number" in theirs.content.decode()
    assert len(theirs.content) == len(missing.content)
    none = chris.post("/work/alerts/new/", data)
    assert "An alert needs a case" in none.content.decode()
    api = chris.post("/api/v1/alerts", {**data}, content_type="application/json")
    assert api.status_code == 422 and "case_id" in api.content.decode()
    assert Alert.objects.count() == 0

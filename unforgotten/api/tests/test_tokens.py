"""API tokens: per organisation, scoped, revocable; unknown tokens learn nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from unforgotten.api.actions import do_create_api_token, do_revoke_api_token
from unforgotten.api.models import APIToken


def _get(url: str, token: str | None = None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return Client().get(url, headers=headers)


@pytest.mark.django_db
def test_it_answers_401_without_detail_for_missing_unknown_malformed_and_revoked_tokens(cast: Any) -> None:
    token, raw = do_create_api_token(organisation=cast.org_a, name="sync", scopes=["read"], acting_user=cast.dana)
    do_revoke_api_token(token=token, acting_user=cast.dana)
    answers = {
        (r.status_code, r.content)
        for r in (_get("/api/v1/me"), _get("/api/v1/me", "uft_" + "x" * 43), _get("/api/v1/me", "garbage"),
                  _get("/api/v1/me", raw))
    }
    assert answers == {(401, b'{"error": "unauthorized"}')}


@pytest.mark.django_db
def test_it_stores_only_a_digest_of_the_token(cast: Any) -> None:
    token, raw = do_create_api_token(organisation=cast.org_a, name="sync", scopes=["read"], acting_user=cast.dana)
    stored = APIToken.objects.filter(pk=token.pk).values_list("digest", "prefix", "name").get()
    assert raw not in "".join(stored)
    assert _get("/api/v1/me", raw).json()["organisations"][0]["slug"] == cast.org_a.slug


@pytest.mark.django_db
def test_it_limits_a_token_to_its_scopes_and_its_organisation(cast: Any) -> None:
    _t, read_only = do_create_api_token(organisation=cast.org_a, name="reader", scopes=["read"], acting_user=cast.dana)
    _t, auditor = do_create_api_token(organisation=cast.org_a, name="auditor", scopes=["audit"], acting_user=cast.dana)
    assert _get(f"/api/v1/organisations/{cast.org_a.slug}/audit-events", read_only).status_code == 404
    assert _get(f"/api/v1/organisations/{cast.org_a.slug}/audit-events", auditor).status_code == 200
    # A token of Org A gets "not found" for Org B, exactly as for an organisation that does not exist.
    other = _get(f"/api/v1/organisations/{cast.org_b.slug}/audit-events", auditor)
    ghost = _get("/api/v1/organisations/no-such-org/audit-events", auditor)
    assert (other.status_code, other.content) == (ghost.status_code, ghost.content) == (404, b'{"error": "not found"}')


@pytest.mark.django_db
def test_it_lists_the_audit_trail_through_the_api_with_paging(cast: Any) -> None:
    _t, auditor = do_create_api_token(organisation=cast.org_a, name="auditor", scopes=["audit"], acting_user=cast.dana)
    body = _get(f"/api/v1/organisations/{cast.org_a.slug}/audit-events?page=1", auditor).json()
    assert body["count"] == 1
    event = body["items"][0]
    assert (event["action"], event["actor"], event["object_type"]) == ("api.create_token", "dana@example.org", "api.apitoken")

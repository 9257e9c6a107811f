"""Organisation admins manage members, after re-authenticating; nobody else can."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from unforgotten.accounts.models import Membership, User
from unforgotten.audit.models import AuditEvent
from unforgotten.testing import PASSWORD


def _sudo(client: Client) -> None:
    """Re-enter the password, as the re-authentication page asks."""
    response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302, response.content[:300]


@pytest.mark.django_db
def test_it_asks_dana_to_reauthenticate_before_adding_a_member(cast: Any) -> None:
    client = Client()
    client.force_login(cast.dana)
    url = f"/work/org/{cast.org_a.slug}/members/add/"
    response = client.post(url, {"email": "new@example.org", "roles": ["caseworker"]})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/reauthenticate/")
    assert not User.objects.filter(email="new@example.org").exists()
    _sudo(client)
    response = client.post(url, {"email": "new@example.org", "roles": ["caseworker"], "reason": "joined"})
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="new@example.org", organisation=cast.org_a)
    assert membership.roles == ["caseworker"]
    assert AuditEvent.objects.filter(action="accounts.add_member", actor_id=cast.dana.pk, reason="joined").exists()


@pytest.mark.django_db
def test_it_says_what_to_fix_in_a_bad_member_form(cast: Any) -> None:
    client = Client()
    client.force_login(cast.dana)
    _sudo(client)
    response = client.post(f"/work/org/{cast.org_a.slug}/members/add/", {"email": "not-an-address", "roles": ["wizard"]})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Enter a valid email address." in body
    assert "Select a valid choice. wizard is not one of the available choices." in body


@pytest.mark.django_db
def test_it_keeps_the_last_admin(cast: Any) -> None:
    client = Client()
    client.force_login(cast.dana)
    _sudo(client)
    mine = Membership.objects.get(user=cast.dana, organisation=cast.org_a)
    response = client.post(f"/work/org/{cast.org_a.slug}/members/{mine.pk}/roles/", {"roles": ["viewer"]})
    assert response.status_code == 400
    assert "last admin" in response.content.decode()
    mine.refresh_from_db()
    assert mine.roles == ["org_admin"]


@pytest.mark.django_db
def test_it_shows_chris_nothing_of_org_a(cast: Any) -> None:
    client = Client()
    client.force_login(cast.chris)
    for url in (f"/work/org/{cast.org_a.slug}/", f"/work/org/{cast.org_a.slug}/audit/",
                f"/work/org/{cast.org_a.slug}/tokens/"):
        response = client.get(url)
        assert response.status_code == 404
        assert b"Rights Watch" not in response.content


@pytest.mark.django_db
def test_it_ends_a_membership_and_with_it_access(cast: Any) -> None:
    vera = Client()
    vera.force_login(cast.vera)
    assert vera.get(f"/work/org/{cast.org_a.slug}/").status_code == 200
    dana = Client()
    dana.force_login(cast.dana)
    _sudo(dana)
    membership = Membership.objects.get(user=cast.vera, organisation=cast.org_a)
    assert dana.post(f"/work/org/{cast.org_a.slug}/members/{membership.pk}/deactivate/").status_code == 302
    assert vera.get(f"/work/org/{cast.org_a.slug}/").status_code == 404

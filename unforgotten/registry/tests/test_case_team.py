"""The case team screen (issue 3): reviewers choose it after re-authenticating; everyone reading the record sees it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from unforgotten.audit.models import AuditEvent
from unforgotten.registry.testing import make_sample
from unforgotten.testing import PASSWORD


def _client(user: Any, *, sudo: bool = False) -> Client:
    client = Client()
    client.force_login(user)
    if sudo:
        response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
        assert response.status_code == 302
    return client


def _url(sample: Any) -> str:
    return f"/work/registry/people/{sample.person_a.uuid}/team/"


@pytest.mark.django_db
def test_it_lets_bilal_add_amal_with_a_reason_and_audits_it(cast: Any) -> None:
    sample = make_sample(cast)
    sample.person_a.case_team.clear()
    client = _client(cast.bilal, sudo=True)
    response = client.post(_url(sample), {"member": cast.amal.pk, "change": "add", "reason": "lead caseworker"})
    assert response.status_code == 302
    assert list(sample.person_a.case_team.all()) == [cast.amal]
    event = AuditEvent.objects.filter(action="registry.add_to_case_team").latest("id")
    assert event.reason == "lead caseworker" and event.actor_id == cast.bilal.pk
    # Amal now reads the restricted parts of the record.
    page = _client(cast.amal).get(f"/work/registry/people/{sample.person_a.uuid}/").content.decode()
    assert "You are on the case team." in page and "CANARY-legal-strategy-restricted" in page


@pytest.mark.django_db
def test_it_requires_a_reason_to_add_and_saves_nothing_without_one(cast: Any) -> None:
    sample = make_sample(cast)
    sample.person_a.case_team.clear()
    response = _client(cast.dana, sudo=True).post(_url(sample), {"member": cast.vera.pk, "change": "add",
                                                                 "reason": " "})
    assert response.status_code == 400 and "Say why" in response.content.decode()
    assert not sample.person_a.case_team.exists()


@pytest.mark.django_db
def test_it_never_puts_someone_of_another_organisation_on_the_team(cast: Any) -> None:
    sample = make_sample(cast)
    response = _client(cast.dana, sudo=True).post(_url(sample), {"member": cast.chris.pk, "change": "add",
                                                                 "reason": "try"})
    assert response.status_code == 400
    assert not sample.person_a.case_team.filter(pk=cast.chris.pk).exists()


@pytest.mark.django_db
def test_it_removes_a_member_who_then_loses_the_restricted_parts(cast: Any) -> None:
    sample = make_sample(cast)
    sample.person_a.case_team.set([cast.amal])
    response = _client(cast.dana, sudo=True).post(_url(sample), {"member": cast.amal.pk, "change": "remove",
                                                                 "reason": "left the case"})
    assert response.status_code == 302 and not sample.person_a.case_team.exists()
    page = _client(cast.amal).get(f"/work/registry/people/{sample.person_a.uuid}/").content.decode()
    assert "CANARY-legal-strategy-restricted" not in page


@pytest.mark.django_db
def test_it_shows_vera_the_team_but_refuses_her_changes(cast: Any) -> None:
    sample = make_sample(cast)
    sample.person_a.case_team.set([cast.amal])
    client = _client(cast.vera, sudo=True)
    page = client.get(_url(sample))
    assert page.status_code == 200 and cast.amal.email in page.content.decode()
    assert client.post(_url(sample), {"member": cast.vera.pk, "change": "add", "reason": "me"}).status_code == 404
    assert not sample.person_a.case_team.filter(pk=cast.vera.pk).exists()
    assert _client(cast.chris).get(_url(sample)).status_code == 404


@pytest.mark.django_db
def test_it_asks_a_reviewer_to_reauthenticate_before_changing_the_team(cast: Any) -> None:
    sample = make_sample(cast)
    response = _client(cast.bilal).post(_url(sample), {"member": cast.vera.pk, "change": "add", "reason": "x"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/reauthenticate/")
    assert not sample.person_a.case_team.filter(pk=cast.vera.pk).exists()

"""Revealing a sealed value: the case team only, after re-authenticating, with a reason, in the audit trail."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from unforgotten.audit.models import AuditEvent
from unforgotten.registry.testing import Sample, make_sample
from unforgotten.testing import PASSWORD


def _client(user: Any, *, sudo: bool = False) -> Client:
    client = Client()
    client.force_login(user)
    if sudo:
        response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
        assert response.status_code == 302, response.content[:300]
    return client


def _relationship_url(sample: Sample) -> str:
    return f"/work/registry/people/{sample.person_a.uuid}/relationships/{sample.relationship_a.uuid}/reveal/"


def _source_url(sample: Sample) -> str:
    return f"/work/registry/people/{sample.person_a.uuid}/sources/{sample.source_a.uuid}/reveal/"


def _unseals() -> int:
    return AuditEvent.objects.filter(action="registry.unseal").count()


@pytest.mark.django_db
def test_it_reveals_a_family_contact_to_the_case_team_after_sudo_and_audits_it(cast: Any) -> None:
    sample = make_sample(cast)
    sample.person_a.case_team.add(cast.amal)
    client = _client(cast.amal, sudo=True)
    form = client.get(_relationship_url(sample))
    assert form.status_code == 200
    assert "CANARY-family-contact-sealed" not in form.content.decode()
    response = client.post(_relationship_url(sample), {"reason": "writing to the family about the appeal"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "CANARY-family-name-sealed" in body and "CANARY-family-contact-sealed" in body
    assert "CANARY-source-identity-sealed" not in body
    event = AuditEvent.objects.get(action="registry.unseal")
    assert (event.actor_id, event.organisation_id, event.object_type) == (cast.amal.pk, cast.org_a.pk,
                                                                         "registry.relationship")
    assert event.reason == "writing to the family about the appeal"
    assert event.changes == {"unsealed": [None, ["contact_sealed", "name_sealed"]]}
    assert "CANARY" not in str(event.changes)
    # Nothing is kept: the person page still says "sealed".
    page = client.get(f"/work/registry/people/{sample.person_a.uuid}/").content.decode()
    assert "CANARY-family-contact-sealed" not in page


@pytest.mark.django_db
def test_it_reveals_a_source_identity_to_the_case_team(cast: Any) -> None:
    sample = make_sample(cast)
    sample.person_a.case_team.add(cast.vera)
    client = _client(cast.vera, sudo=True)
    response = client.post(_source_url(sample), {"reason": "checking the source before publication"})
    assert response.status_code == 200
    assert "CANARY-source-identity-sealed" in response.content.decode()
    assert AuditEvent.objects.filter(action="registry.unseal", object_type="registry.source",
                                     actor_id=cast.vera.pk).count() == 1


@pytest.mark.django_db
def test_it_sends_the_case_team_to_reauthenticate_before_revealing(cast: Any) -> None:
    sample = make_sample(cast)
    sample.person_a.case_team.add(cast.amal)
    response = _client(cast.amal).post(_relationship_url(sample), {"reason": "need it"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/reauthenticate/")
    assert "CANARY" not in response.content.decode()
    assert _unseals() == 0


@pytest.mark.django_db
def test_it_asks_for_a_reason(cast: Any) -> None:
    sample = make_sample(cast)
    sample.person_a.case_team.add(cast.amal)
    response = _client(cast.amal, sudo=True).post(_relationship_url(sample), {"reason": "   "})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Say why you need to see this." in body and "CANARY-family-contact-sealed" not in body
    assert _unseals() == 0


@pytest.mark.django_db
def test_it_answers_not_found_to_everyone_outside_the_case_team(cast: Any) -> None:
    sample = make_sample(cast)
    sample.person_a.case_team.add(cast.amal)
    ghost = f"/work/registry/people/{sample.person_a.uuid}/relationships/00000000-0000-4000-8000-000000000000/reveal/"
    # Bilal, Dana and Vera are staff of Org A but not on this case team; Chris and Pat are outsiders.
    for user in (cast.bilal, cast.dana, cast.vera, cast.chris, cast.pat):
        client = _client(user, sudo=True)
        for url in (_relationship_url(sample), _source_url(sample)):
            for response in (client.get(url), client.post(url, {"reason": "curious"})):
                assert response.status_code == 404, (user, url)
                assert "CANARY" not in response.content.decode()
        real, missing = client.get(_relationship_url(sample)), client.get(ghost)
        assert len(real.content) == len(missing.content)
    assert _unseals() == 0


@pytest.mark.django_db
def test_it_audits_a_case_team_members_read_of_restricted_fields(cast: Any) -> None:
    from django.test import Client

    from unforgotten.audit.models import AuditEvent
    from unforgotten.registry.testing import make_sample

    sample = make_sample(cast)
    client = Client()
    client.force_login(cast.amal)
    url = f"/work/registry/people/{sample.person_a.uuid}/"
    assert client.get(url).status_code == 200
    assert not AuditEvent.objects.filter(action="registry.read_restricted").exists()  # not on the team yet
    sample.person_a.case_team.add(cast.amal)
    assert client.get(url).status_code == 200
    event = AuditEvent.objects.get(action="registry.read_restricted")
    assert event.actor_id == cast.amal.pk and event.object_id == str(sample.person_a.pk)
    assert "case.legal_strategy" in event.changes["read"][1]
    assert "CANARY" not in str(event.changes)

"""The publishing workspace at /work/publishing/: thin views over the action functions, Org A only."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from unforgotten.publishing.models import PublicProfile, State
from unforgotten.registry.testing import make_sample
from unforgotten.testing import PASSWORD, signed_in


@pytest.mark.django_db
def test_it_creates_submits_approves_and_unpublishes_through_the_screens(cast: Any) -> None:
    sample = make_sample(cast)
    amal = signed_in(cast.amal)
    response = amal.post("/work/publishing/new/", {"person": str(sample.person_a.uuid), "language": "ar",
                                                   "story": "قصتها."})
    profile = PublicProfile.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/work/publishing/{profile.uuid}/"
    assert amal.post(f"/work/publishing/{profile.uuid}/submit/").status_code == 302
    assert PublicProfile.objects.get().state == State.IN_REVIEW
    bilal = signed_in(cast.bilal)
    # Approving puts a person on the public site: fresh credentials first.
    response = bilal.post(f"/work/publishing/{profile.uuid}/approve/")
    assert response.status_code == 302 and "reauthenticate" in response["Location"]
    assert PublicProfile.objects.get().state == State.IN_REVIEW
    assert bilal.post("/accounts/reauthenticate/", {"password": PASSWORD}).status_code == 302
    assert bilal.post(f"/work/publishing/{profile.uuid}/approve/").status_code == 302
    assert PublicProfile.objects.get().state == State.PUBLISHED
    assert Client().get(f"/ar/prisoners/{sample.person_a.slug}/").status_code == 200
    # Taking a page down needs no re-authentication, and is immediate.
    assert amal.post(f"/work/publishing/{profile.uuid}/unpublish/").status_code == 302
    assert Client().get(f"/ar/prisoners/{sample.person_a.slug}/").status_code == 404
    page = amal.get(f"/work/publishing/{profile.uuid}/").content.decode()
    assert "Unpublished: the page is gone." in page


@pytest.mark.django_db
def test_it_lists_only_my_organisations_profiles(cast: Any) -> None:
    sample = make_sample(cast)
    signed_in(cast.amal).post("/work/publishing/new/", {"person": str(sample.person_a.uuid), "language": "en"})
    profile = PublicProfile.objects.get()
    assert "Maryia Kalesnikava" in signed_in(cast.vera).get("/work/publishing/").content.decode()
    chris = signed_in(cast.chris)
    assert "Maryia" not in chris.get("/work/publishing/").content.decode()
    assert chris.get(f"/work/publishing/{profile.uuid}/").status_code == 404
    assert chris.post(f"/work/publishing/{profile.uuid}/unpublish/").status_code == 404


@pytest.mark.django_db
def test_it_answers_a_person_of_another_organisation_like_one_that_does_not_exist(cast: Any) -> None:
    sample = make_sample(cast)
    chris = signed_in(cast.chris)
    theirs = chris.post("/work/publishing/new/", {"person": str(sample.person_a.uuid), "language": "en"})
    nobody = chris.post("/work/publishing/new/", {"person": "00000000-0000-4000-8000-000000000000",
                                                  "language": "en"})
    assert theirs.status_code == nobody.status_code == 400
    def normalised(response: Any, person: str) -> str:
        body = response.content.decode().replace(person, "PERSON")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)

    assert normalised(theirs, str(sample.person_a.uuid)) == normalised(nobody, "00000000-0000-4000-8000-000000000000")
    assert "No person with this ID" in theirs.content.decode()
    assert not PublicProfile.objects.exists()


@pytest.mark.django_db
def test_it_shows_a_clear_message_when_an_act_is_refused(cast: Any) -> None:
    sample = make_sample(cast)
    amal = signed_in(cast.amal)
    amal.post("/work/publishing/new/", {"person": str(sample.person_a.uuid), "language": "en"})
    profile = PublicProfile.objects.get()
    amal.post(f"/work/publishing/{profile.uuid}/submit/")
    response = amal.post(f"/work/publishing/{profile.uuid}/submit/", follow=True)
    assert "Only a draft can be submitted for review." in response.content.decode()

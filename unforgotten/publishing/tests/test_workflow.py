"""The editorial workflow: draft → review → published, per language, four eyes, scheduling, audited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from unforgotten.audit.models import AuditEvent
from unforgotten.publishing import actions
from unforgotten.publishing.models import PublicProfile, State
from unforgotten.publishing.tests.conftest import publish
from unforgotten.registry import actions as registry_actions
from unforgotten.registry.testing import make_sample


def _draft(sample: Any, cast: Any, language: str = "en", **data: Any) -> PublicProfile:
    return actions.do_create_profile(person=sample.person_a, language=language,
                                     data={"story": "Story.", **data}, acting_user=cast.amal)


@pytest.mark.django_db
def test_it_goes_from_draft_to_review_to_published_with_an_audit_trail(cast: Any) -> None:
    sample = make_sample(cast)
    profile = _draft(sample, cast)
    assert profile.state == State.DRAFT
    actions.do_submit_for_review(profile=profile, acting_user=cast.amal)
    profile = actions.do_approve(profile=profile, acting_user=cast.bilal)
    assert profile.state == State.PUBLISHED and profile.approved_by == cast.bilal
    assert profile.approved_revision == profile.revision
    trail = list(AuditEvent.objects.filter(object_type="publishing.publicprofile").order_by("id")
                 .values_list("action", flat=True))
    assert trail == ["publishing.create_profile", "publishing.submit_for_review", "publishing.approve"]


@pytest.mark.django_db
def test_it_needs_four_eyes_and_a_reviewer_to_approve(cast: Any) -> None:
    sample = make_sample(cast)
    profile = _draft(sample, cast)
    actions.do_submit_for_review(profile=profile, acting_user=cast.bilal)
    with pytest.raises(ValidationError, match="Someone other"):
        actions.do_approve(profile=profile, acting_user=cast.bilal)
    with pytest.raises(ValidationError, match="Only a reviewer"):
        actions.do_approve(profile=profile, acting_user=cast.amal)  # a caseworker writes, a reviewer publishes
    with pytest.raises(ValidationError, match="Only a reviewer"):
        actions.do_approve(profile=profile, acting_user=cast.chris)  # another organisation
    assert PublicProfile.objects.get(pk=profile.pk).state == State.IN_REVIEW
    actions.do_approve(profile=profile, acting_user=cast.dana)


@pytest.mark.django_db
def test_it_refuses_to_publish_a_person_without_name_consent(cast: Any) -> None:
    sample = make_sample(cast)
    registry_actions.do_withdraw_consent(consent=sample.person_a.consents.get(scope="name"),
                                         withdrawn_on=timezone.localdate(), acting_user=cast.dana)
    profile = _draft(sample, cast)
    actions.do_submit_for_review(profile=profile, acting_user=cast.amal)
    with pytest.raises(ValidationError, match="consent"):
        actions.do_approve(profile=profile, acting_user=cast.bilal)
    assert PublicProfile.objects.get(pk=profile.pk).state == State.IN_REVIEW
    assert not AuditEvent.objects.filter(action="publishing.approve").exists()  # nothing half-written


@pytest.mark.django_db
def test_it_links_translations_by_one_key_and_refuses_a_second_row_per_language(cast: Any) -> None:
    sample = make_sample(cast)
    english = _draft(sample, cast, "en")
    arabic = _draft(sample, cast, "ar")
    assert english.translation_key == arabic.translation_key
    with pytest.raises(ValidationError, match="already has a profile"):
        _draft(sample, cast, "en")
    with pytest.raises(ValidationError, match="not a language"):
        _draft(sample, cast, "de")


@pytest.mark.django_db
def test_it_sends_an_edited_profile_back_to_draft_and_never_edits_a_published_one(cast: Any) -> None:
    sample = make_sample(cast)
    profile = _draft(sample, cast)
    actions.do_submit_for_review(profile=profile, acting_user=cast.amal)
    profile = actions.do_update_profile(profile=profile, data={"story": "New text."}, acting_user=cast.amal)
    assert profile.state == State.DRAFT and profile.revision == 2
    actions.do_submit_for_review(profile=profile, acting_user=cast.amal)
    profile = actions.do_approve(profile=profile, acting_user=cast.bilal)
    with pytest.raises(ValidationError, match="unpublish it first"):
        actions.do_update_profile(profile=profile, data={"story": "Sneaky."}, acting_user=cast.amal)
    with pytest.raises(ValidationError, match="cannot be set"):
        actions.do_update_profile(profile=profile, data={"state": "published"}, acting_user=cast.amal)


@pytest.mark.django_db
def test_it_republishes_only_what_a_reviewer_approved(cast: Any) -> None:
    sample = make_sample(cast)
    profile = publish(sample.person_a, "en", "Approved text.", author=cast.amal, reviewer=cast.bilal)
    actions.do_unpublish(profile=profile, acting_user=cast.amal)
    profile = actions.do_publish(profile=profile, acting_user=cast.bilal)
    assert profile.state == State.PUBLISHED
    actions.do_unpublish(profile=profile, acting_user=cast.amal)
    actions.do_update_profile(profile=profile, data={"story": "Changed after approval."}, acting_user=cast.amal)
    with pytest.raises(ValidationError, match="never approved"):
        actions.do_publish(profile=profile, acting_user=cast.bilal)
    with pytest.raises(ValidationError, match="not published"):
        actions.do_unpublish(profile=profile, acting_user=cast.amal)


@pytest.mark.django_db
def test_it_publishes_a_scheduled_profile_at_its_time(cast: Any) -> None:
    sample = make_sample(cast)
    later = timezone.now() + timedelta(hours=2)
    profile = _draft(sample, cast, publish_at=later)
    actions.do_submit_for_review(profile=profile, acting_user=cast.amal)
    profile = actions.do_approve(profile=profile, acting_user=cast.bilal)
    assert profile.is_scheduled
    url = f"/en/prisoners/{sample.person_a.slug}/"
    assert Client().get(url).status_code == 404
    PublicProfile.objects.filter(pk=profile.pk).update(publish_at=timezone.now() - timedelta(seconds=1))
    assert Client().get(url).status_code == 200


@pytest.mark.django_db
def test_it_refuses_an_oversized_story(cast: Any) -> None:
    sample = make_sample(cast)
    with pytest.raises(ValidationError, match="longer than"):
        _draft(sample, cast, story="x" * 20_001)
    assert not PublicProfile.objects.exists()

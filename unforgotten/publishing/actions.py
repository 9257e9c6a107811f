"""Every change to publication records, one function each, audited in the same transaction.

Each change that can alter what the public site shows purges the page store
twice: at once (inside the transaction, so renders already under way cannot
store what they read) and again after commit (so a render that read the old
rows between the first purge and the commit cannot leave its page behind).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from unforgotten import policy
from unforgotten.audit.actions import record
from unforgotten.policy.projection import PUBLIC, project
from unforgotten.publishing import cache
from unforgotten.publishing.models import LANGUAGE_CODES, STORY_MAX_CHARS, PublicProfile, State
from unforgotten.registry.models import Person

EDITABLE = ("story", "featured", "publish_at")


def purge_public_pages() -> None:
    """Remove every stored public page now and once more when the current transaction commits."""
    cache.purge_all()
    transaction.on_commit(cache.purge_all)


def _snapshot(profile: PublicProfile) -> dict[str, Any]:
    return {"language": profile.language, "state": profile.state, "story_chars": len(profile.story),
            "featured": profile.featured, "publish_at": profile.publish_at.isoformat() if profile.publish_at else None,
            "revision": profile.revision}


def _changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    # The story itself is public-bound text, but an audit row needs only that it changed (and how long it is).
    return {k: [before.get(k), after.get(k)] for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k)}


def _clean_data(data: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(data) - set(EDITABLE)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: f"'{sorted(unknown)[0]}' cannot be set here."})
    out = dict(data)
    if "story" in out:
        story = str(out["story"] or "").replace("\r\n", "\n").strip()
        if len(story) > STORY_MAX_CHARS:
            raise ValidationError({"story": f"The story is longer than {STORY_MAX_CHARS} characters."})
        out["story"] = story
    publish_at = out.get("publish_at")
    if publish_at is not None and not isinstance(publish_at, datetime):
        raise ValidationError({"publish_at": "Give a date and time."})
    return out


def publication_problems(person: Person) -> list[str]:
    """Why this person cannot go on the public site now (empty when they can)."""
    problems = []
    if person.merged_into_id is not None:
        problems.append("This record was merged into another person; publish that person instead.")
    shown = project(person, PUBLIC, ["display_name", "slug"])
    if "display_name" not in shown or "slug" not in shown:
        problems.append("There is no recorded, unwithdrawn consent to publish this person's name"
                        " (or the record is raised above public).")
    return problems


@transaction.atomic(durable=True)
def do_create_profile(*, person: Person, language: str, data: Mapping[str, Any], acting_user: Any,
                      reason: str = "") -> PublicProfile:
    if language not in LANGUAGE_CODES:
        raise ValidationError({"language": f"'{language}' is not a language of the site."})
    if PublicProfile.objects.filter(person=person, language=language).exists():
        raise ValidationError({"language": "This person already has a profile in this language."})
    sister = PublicProfile.objects.filter(person=person).values_list("translation_key", flat=True).first()
    profile = PublicProfile(organisation_id=person.organisation_id, person=person, language=language,
                            translation_key=sister or uuid.uuid4())
    for key, value in _clean_data(data).items():
        setattr(profile, key, value)
    profile.full_clean()
    profile.save()
    record("publishing.create_profile", actor=acting_user, obj=profile, reason=reason,
           changes=_changes({}, _snapshot(profile)))
    return profile


@transaction.atomic(durable=True)
def do_update_profile(*, profile: PublicProfile, data: Mapping[str, Any], acting_user: Any,
                      reason: str = "") -> PublicProfile:
    """Edit a draft or a profile in review (which goes back to draft: the reviewer must read the new text)."""
    cleaned = _clean_data(data)
    profile = PublicProfile.objects.select_for_update().get(pk=profile.pk)
    if profile.state == State.PUBLISHED:
        raise ValidationError("A published profile cannot be edited: unpublish it first, then submit it again.")
    before = _snapshot(profile)
    changed = {k: v for k, v in cleaned.items() if getattr(profile, k) != v}
    if not changed:
        return profile
    for key, value in changed.items():
        setattr(profile, key, value)
    profile.revision += 1
    profile.state = State.DRAFT
    profile.full_clean()
    profile.save()
    record("publishing.update_profile", actor=acting_user, obj=profile, reason=reason,
           changes=_changes(before, _snapshot(profile)))
    return profile


@transaction.atomic(durable=True)
def do_submit_for_review(*, profile: PublicProfile, acting_user: Any, reason: str = "") -> PublicProfile:
    profile = PublicProfile.objects.select_for_update().get(pk=profile.pk)
    if profile.state != State.DRAFT:
        raise ValidationError("Only a draft can be submitted for review.")
    before = _snapshot(profile)
    profile.state = State.IN_REVIEW
    profile.submitted_by = acting_user if getattr(acting_user, "is_authenticated", False) else None
    profile.save(update_fields=["state", "submitted_by", "updated_at"])
    record("publishing.submit_for_review", actor=acting_user, obj=profile, reason=reason,
           changes=_changes(before, _snapshot(profile)))
    return profile


def _go_live(profile: PublicProfile) -> None:
    problems = publication_problems(profile.person)
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    profile.state = State.PUBLISHED
    profile.published_at = now
    if profile.publish_at is None:
        profile.publish_at = now
    profile.save(update_fields=["state", "published_at", "publish_at", "approved_by", "approved_revision",
                                "updated_at"])
    purge_public_pages()


@transaction.atomic(durable=True)
def do_approve(*, profile: PublicProfile, acting_user: Any, reason: str = "") -> PublicProfile:
    """A reviewer approves the text they read; it goes live at ``publish_at`` (now when empty).

    Four eyes: whoever submitted the profile cannot approve it.
    """
    profile = PublicProfile.objects.select_for_update().select_related("person").get(pk=profile.pk)
    if not policy.can(acting_user, "publishing.approve", profile):
        raise ValidationError("Only a reviewer of the owning organisation can approve a profile.")
    if profile.state != State.IN_REVIEW:
        raise ValidationError("Only a profile in review can be approved.")
    if profile.submitted_by_id is not None and profile.submitted_by_id == getattr(acting_user, "pk", None):
        raise ValidationError("Someone other than the person who submitted it must approve it.")
    before = _snapshot(profile)
    profile.approved_by = acting_user
    profile.approved_revision = profile.revision
    _go_live(profile)
    record("publishing.approve", actor=acting_user, obj=profile, reason=reason,
           changes=_changes(before, _snapshot(profile)))
    return profile


@transaction.atomic(durable=True)
def do_publish(*, profile: PublicProfile, acting_user: Any, reason: str = "") -> PublicProfile:
    """Put an unpublished profile back up, unchanged since a reviewer approved it."""
    profile = PublicProfile.objects.select_for_update().select_related("person").get(pk=profile.pk)
    if not policy.can(acting_user, "publishing.approve", profile):
        raise ValidationError("Only a reviewer of the owning organisation can publish a profile.")
    if profile.state == State.PUBLISHED:
        raise ValidationError("This profile is already published.")
    if profile.approved_revision != profile.revision:
        raise ValidationError("This text was never approved as it stands: submit it for review.")
    before = _snapshot(profile)
    _go_live(profile)
    record("publishing.publish", actor=acting_user, obj=profile, reason=reason,
           changes=_changes(before, _snapshot(profile)))
    return profile


@transaction.atomic(durable=True)
def do_unpublish(*, profile: PublicProfile, acting_user: Any, reason: str = "") -> PublicProfile:
    """Take a profile off the site at once (back to draft); every stored public page is purged."""
    profile = PublicProfile.objects.select_for_update().get(pk=profile.pk)
    if profile.state != State.PUBLISHED:
        raise ValidationError("This profile is not published.")
    before = _snapshot(profile)
    profile.state = State.DRAFT
    profile.save(update_fields=["state", "updated_at"])
    purge_public_pages()
    record("publishing.unpublish", actor=acting_user, obj=profile, reason=reason,
           changes=_changes(before, _snapshot(profile)))
    return profile

"""Purge the public pages when a record behind a published profile changes.

The registry's action functions are the only writers of these models, so
listening to their saves catches every change (edits, a withdrawn consent, a
merge) without the registry having to know the public site exists.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from unforgotten.registry import models as registry

# Records hanging straight off a person, and those one case further away.
_BY_PERSON = (registry.PersonName, registry.Case, registry.DetentionPeriod, registry.StatusChange, registry.Consent,
              registry.RecognitionDecision)
_BY_CASE = (registry.Charge, registry.Hearing, registry.Sentence)
# Catalogues shared by every profile.
_SHARED = (registry.Facility, registry.LawArticle)


def _person_id(instance: Any) -> int | None:
    if isinstance(instance, registry.Person):
        return int(instance.pk) if instance.pk else None
    if isinstance(instance, _BY_PERSON):
        return instance.person_id
    if isinstance(instance, _BY_CASE):
        return registry.Case.objects.filter(pk=instance.case_id).values_list("person_id", flat=True).first()
    if isinstance(instance, registry.CriterionAssessment):
        return registry.RecognitionDecision.objects.filter(pk=instance.decision_id).values_list(
            "person_id", flat=True).first()
    return None


def _changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    from unforgotten.publishing.actions import purge_public_pages
    from unforgotten.publishing.models import PublicProfile, State

    published = PublicProfile.objects.filter(state=State.PUBLISHED)
    if isinstance(instance, _SHARED):
        if published.exists():
            purge_public_pages()
        return
    person_id = _person_id(instance)
    if person_id is not None and (published.filter(person_id=person_id).exists() or _in_story(person_id)):
        purge_public_pages()


def _in_story(person_id: int) -> bool:
    # A family story shows the person's name (and portrait): a withdrawn consent must take it down at once.
    from unforgotten.publishing.models import State, Story

    return Story.objects.filter(state=State.PUBLISHED, person_id=person_id).exists()


for _model in (registry.Person, *_BY_PERSON, *_BY_CASE, registry.CriterionAssessment, *_SHARED):
    post_save.connect(_changed, sender=_model, dispatch_uid=f"publishing-purge-save-{_model.__name__}")
    post_delete.connect(_changed, sender=_model, dispatch_uid=f"publishing-purge-delete-{_model.__name__}")


def _profile_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    # A person deleted outright takes their profiles with them (cascade): their pages must go too.
    from unforgotten.publishing.actions import purge_public_pages
    from unforgotten.publishing.models import State

    if instance.state == State.PUBLISHED:
        purge_public_pages()


post_delete.connect(_profile_deleted, sender="publishing.PublicProfile", dispatch_uid="publishing-purge-profile-delete")


# --- advocacy (issue 8): a profile lists its adopters, so an adoption's change purges the pages ---


def _adoption_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    from unforgotten.publishing.actions import purge_public_pages
    from unforgotten.publishing.models import PublicProfile, State

    if PublicProfile.objects.filter(state=State.PUBLISHED, person_id=instance.person_id).exists():
        purge_public_pages()


post_save.connect(_adoption_changed, sender="advocacy.Adoption", dispatch_uid="publishing-purge-adoption-save")
post_delete.connect(_adoption_changed, sender="advocacy.Adoption", dispatch_uid="publishing-purge-adoption-delete")
# --- end advocacy ---

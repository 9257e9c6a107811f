"""Purge the public pages when something behind a public event changes outside this app.

The events actions purge on their own changes. A hearing moved, closed or deleted, a withdrawn
"name" consent, a person's record edited or merged belong to the registry: listening to their
saves catches them without the registry knowing events exist (as alerts and publishing do).
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from unforgotten.registry import models as registry


def _person_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    from unforgotten.events.models import Event

    person_id = instance.pk if isinstance(instance, registry.Person) else getattr(instance, "person_id", None)
    if person_id is None:
        return
    if (Event.objects.filter(persons__pk=person_id).exists()
            or Event.objects.filter(hearing__case__person_id=person_id).exists()):
        from unforgotten.events.actions import _purge

        _purge()


def _hearing_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    from unforgotten.events.models import Event

    if Event.objects.filter(hearing_id=instance.pk).exists():
        from unforgotten.events.actions import _purge

        _purge()


for _model in (registry.Person, registry.Consent, registry.PersonName, registry.Case):
    post_save.connect(_person_changed, sender=_model, dispatch_uid=f"events-purge-save-{_model.__name__}")
    post_delete.connect(_person_changed, sender=_model, dispatch_uid=f"events-purge-delete-{_model.__name__}")
post_save.connect(_hearing_changed, sender=registry.Hearing, dispatch_uid="events-purge-hearing-save")
post_delete.connect(_hearing_changed, sender=registry.Hearing, dispatch_uid="events-purge-hearing-delete")

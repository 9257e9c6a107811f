"""Purge the public pages when something behind a public urgent action changes outside this app.

The alerts actions purge on their own changes. A withdrawn "name" consent, a person's record
edited or merged, belong to the registry: listening to their saves catches them without the
registry knowing urgent actions exist (as publishing does for profiles).
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from unforgotten.registry import models as registry


def _changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    from unforgotten.alerts.models import Alert

    person_id = instance.pk if isinstance(instance, registry.Person) else getattr(instance, "person_id", None)
    if person_id is None:
        return
    if Alert.objects.filter(case__person_id=person_id, published_at__isnull=False).exists():
        from unforgotten.alerts.actions import _purge_public_pages

        _purge_public_pages()


for _model in (registry.Person, registry.Consent, registry.PersonName, registry.Case):
    post_save.connect(_changed, sender=_model, dispatch_uid=f"alerts-purge-save-{_model.__name__}")
    post_delete.connect(_changed, sender=_model, dispatch_uid=f"alerts-purge-delete-{_model.__name__}")


def _alert_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    # A case erased outright takes its alerts with it (cascade): their pages must go too.
    if instance.published_at is not None:
        from unforgotten.alerts.actions import _purge_public_pages

        _purge_public_pages()


post_delete.connect(_alert_deleted, sender="alerts.Alert", dispatch_uid="alerts-purge-alert-delete")

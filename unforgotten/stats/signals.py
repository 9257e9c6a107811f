"""Keep the statistics in step with the registry: every save or delete of a counted record refreshes its person.

The registry's action functions are the only writers of these models, so their
saves are every change there is (bulk loads that bypass them leave a mark that
``engine.stale`` notices; the catch-up job then rebuilds). The refresh runs in
the action's own transaction: a change and its statistics commit, or roll
back, together.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from unforgotten.registry import models as registry

_BY_PERSON = (registry.StatusChange, registry.DetentionPeriod, registry.RecognitionDecision, registry.Case)


def _person_id(instance: Any) -> int | None:
    if isinstance(instance, registry.Person):
        return int(instance.pk) if instance.pk else None
    if isinstance(instance, _BY_PERSON):
        return int(instance.person_id) if instance.person_id else None
    if isinstance(instance, registry.Charge):
        value = registry.Case.objects.filter(pk=instance.case_id).values_list("person_id", flat=True).first()
        return int(value) if value is not None else None
    return None


def _changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # fixtures being loaded: the rebuild after them counts
    person_id = _person_id(instance)
    if person_id is not None:
        from unforgotten.stats.engine import refresh_person

        refresh_person(person_id)


for _model in (registry.Person, *_BY_PERSON, registry.Charge):
    post_save.connect(_changed, sender=_model, dispatch_uid=f"stats-refresh-save-{_model.__name__}")
    post_delete.connect(_changed, sender=_model, dispatch_uid=f"stats-refresh-delete-{_model.__name__}")

"""Keep the radar's ledger in step with the registry: a saved case, person or detention refreshes its rows.

The ledger copies the case's organisation, the person's country and status and
both records' whole-record class, and counts missing signals from the
detention's start: a change to any of them is a change to the ledger. The
refresh runs in the registry action's own transaction (one upsert for the
person's cases). Bulk loads that bypass the actions are caught up by the
nightly ``radar.recompute``.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from unforgotten.registry import models as registry


def _person_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw") or not instance.pk:
        return
    from unforgotten.radar.engine import recompute_people

    recompute_people([instance.pk])


def _case_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw") or not instance.pk:
        return
    from unforgotten.radar.engine import recompute

    recompute([instance.pk])


def _detention_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw") or not instance.person_id:
        return
    from unforgotten.radar.engine import recompute_people

    recompute_people([instance.person_id])


def _case_gone(sender: Any, instance: Any, **kwargs: Any) -> None:
    # Deleting a person or case deletes its detentions first, whose signal recomputes (re-inserts) the
    # ledger row of a case that is about to go; the row goes once the case has gone.
    from unforgotten.radar.models import Attention

    Attention.objects.filter(case_id=instance.pk).delete()


def _person_gone(sender: Any, instance: Any, **kwargs: Any) -> None:
    from unforgotten.radar.models import Attention

    Attention.objects.filter(person_id=instance.pk).delete()


post_save.connect(_person_changed, sender=registry.Person, dispatch_uid="radar-person-save")
post_save.connect(_case_changed, sender=registry.Case, dispatch_uid="radar-case-save")
post_save.connect(_detention_changed, sender=registry.DetentionPeriod, dispatch_uid="radar-detention-save")
post_delete.connect(_detention_changed, sender=registry.DetentionPeriod, dispatch_uid="radar-detention-delete")
post_delete.connect(_case_gone, sender=registry.Case, dispatch_uid="radar-case-delete")
post_delete.connect(_person_gone, sender=registry.Person, dispatch_uid="radar-person-delete")

"""Erasure reaches letters: when a supporter erases their data through the petitions' e-mailed link
(``actions.do_erase_my_data`` deletes the Supporter), their letters keep only the count. A signal, so that the
actions app needs no change to know about letters (imports run one way)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import pre_delete
from django.dispatch import receiver

from unforgotten.actions.models import Supporter


@receiver(pre_delete, sender=Supporter, dispatch_uid="letters.forget_supporter")
def forget_supporter(sender: Any, instance: Supporter, **kwargs: Any) -> None:
    from unforgotten.letters.actions import forget_supporter as forget

    forget(int(instance.pk))

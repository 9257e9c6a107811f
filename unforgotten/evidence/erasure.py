"""Evidence's part of an erasure (registry/erasure.py sends ``erasing`` inside its transaction).

* A **case** erased: every item about it (``target`` = the case) and every
  derivative of those items loses its file and becomes a tombstone: the row
  stays because its custody events are append-only and point to it (and the
  tamper-evident log holds their hashes), but the uploaded name, the capture
  URL, the description, the title and the link to the case are blanked, the
  item disappears from every page and list (``EvidenceItem.objects`` hides
  erased items), and an ``erased`` custody event closes its chain. The
  ciphertext files are deleted once the transaction commits: if the erasure
  rolls back, the evidence is still whole; if the process dies between the
  commit and the deletion, the orphan is ciphertext only, and
  :func:`delete_orphans` (run by the fixity job) removes it.
* A **source** erased: the items it provided stay (they are the person's
  evidence) but no longer name it.
* A **person** erased: every item about them becomes a tombstone the same
  way, and no longer points to the person (whose row is gone).

The signal passes no acting user: the registry's audit event for the erasure
names who did it and why; the custody event names the erasure.
"""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from unforgotten.evidence import custody, store
from unforgotten.evidence.models import CustodyAction, EvidenceItem
from unforgotten.registry.erasure import erasing

ACTOR = "erasure of a case"


def _with_derivatives(items: list[EvidenceItem]) -> list[EvidenceItem]:
    found = {i.pk: i for i in items}
    frontier = list(found)
    while frontier:
        children = list(EvidenceItem._base_manager.filter(parent_id__in=frontier, erased_at__isnull=True))
        frontier = [c.pk for c in children if c.pk not in found]
        found.update({c.pk: c for c in children})
    return sorted(found.values(), key=lambda i: i.pk)


def erase_case_items(case: Any) -> list[str]:
    """Tombstone the case's items and their derivatives; their files go on commit. Returns the storage names."""
    return _tombstone(EvidenceItem.objects.filter(target_type="registry.case", target_id=case.pk),
                      purpose="the case it was about was erased", actor=ACTOR)


def erase_person_items(person: Any) -> list[str]:
    """Tombstone every item about the person (erased ones too lose their link); files go on commit."""
    names = _tombstone(EvidenceItem.objects.filter(person=person), purpose="the person it was about was erased",
                       actor="erasure of a person")
    EvidenceItem._base_manager.filter(person=person).update(person=None)
    return names


def _tombstone(queryset: Any, *, purpose: str, actor: str) -> list[str]:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("evidence is erased inside the erasure's transaction")
    items = _with_derivatives(list(queryset))
    now = timezone.now()
    names = []
    for item in items:
        custody.append(item, CustodyAction.ERASED, actor=actor, purpose=purpose,
                       detail={"file_deleted": True})
        EvidenceItem._base_manager.filter(pk=item.pk).update(
            erased_at=now, title="(erased)", description="", display_name="", collected_url="", target_type="",
            target_id=None, publishable=False, source=None)
        names.append(item.storage_name)
    transaction.on_commit(lambda: delete_files(names))
    return names


def delete_files(storage_names: list[str]) -> None:
    for name in storage_names:
        with suppress(ValueError, OSError):
            store.discard(name)


def delete_orphans() -> int:
    """Remove files of erased items still in the store (a crash right after an erasure's commit)."""
    removed = 0
    for name in EvidenceItem._base_manager.filter(erased_at__isnull=False).values_list("storage_name", flat=True):
        with suppress(ValueError):
            path = store.object_path(name)
            if path.exists():
                path.unlink(missing_ok=True)
                removed += 1
    return removed


@receiver(erasing, dispatch_uid="evidence.erasure")
def on_erasing(sender: Any, *, kind: str, obj: Any, **kwargs: Any) -> None:
    if kind == "case":
        erase_case_items(obj)
    elif kind == "person":
        erase_person_items(obj)
    elif kind == "source":
        # Items it provided (erased ones included: their rows must not block the source's deletion).
        EvidenceItem._base_manager.filter(source=obj).update(source=None)

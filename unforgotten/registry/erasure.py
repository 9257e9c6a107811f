"""Erasure: deleting a case or a source purges its protected values everywhere we keep them.

"Deleted" must mean gone from the database rows, from django-simple-history's
tables (which would otherwise keep every old version, including the deletion
itself), from the citations that point at the erased records, from the caches,
and from the media folders (apps that keep files for a record connect to
:data:`erasing` and remove them in the same transaction, e.g. evidence). The
audit trail keeps its events — it is append-only and the tamper-evident log
must still verify — but those events hold restricted and sealed values only as
keyed digests (``audit.actions.diff``), so nothing readable remains there.

On SQLite the action turns on ``secure_delete`` so freed pages are zeroed; on
PostgreSQL dead rows stay in the table files until ``VACUUM`` (the operator's
purge step, README "Backups and erasure"). Backups made before the erasure
still hold the values until they age out of the retention window.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.dispatch import Signal

from unforgotten.audit.actions import record
from unforgotten.registry.models import Case, Charge, Citation, Hearing, Sentence, Source

# Sent inside the erasing transaction with ``kind`` ("case" or "source") and ``obj``:
# receivers delete their own rows and files for the record (raise to refuse the erasure).
erasing = Signal()


def _label(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def _purge_history(model: type[models.Model], pks: list[Any]) -> int:
    """Delete every historical version of these rows (the "-" version of the deletion included)."""
    history = model.history.model  # type: ignore[attr-defined]
    deleted, _ = history.objects.filter(id__in=pks).delete()
    return int(deleted)


def _secure_delete() -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete = ON")  # freed pages are overwritten with zeros


def _reason(reason: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise ValidationError({"reason": "Say why this record is erased (kept in the audit trail)."})
    return text


@transaction.atomic(durable=True)
def do_erase_case(*, case: Case, acting_user: Any, reason: str) -> dict[str, int]:
    """Erase a case with its charges, hearings and sentences, their history and citations."""
    why = _reason(reason)
    _secure_delete()
    parts: dict[type[models.Model], list[Any]] = {
        Case: [case.pk],
        Charge: list(Charge.objects.filter(case=case).values_list("pk", flat=True)),
        Hearing: list(Hearing.objects.filter(case=case).values_list("pk", flat=True)),
        Sentence: list(Sentence.objects.filter(case=case).values_list("pk", flat=True)),
    }
    # Counts and ids only: the audit event must not carry what it records the removal of.
    record("registry.erase_case", actor=acting_user, obj=case, reason=why,
           changes={"erased": [None, {_label(m): len(pks) for m, pks in parts.items()}]})
    erasing.send(sender=Case, kind="case", obj=case)
    citations = Citation.objects.none()
    for model, pks in parts.items():
        citations |= Citation.objects.filter(target_type=_label(model), target_id__in=pks)
    citations.delete()
    person_id = case.person_id
    case.delete()  # cascades to charges, hearings (and their judges), sentences
    counts = {_label(m): _purge_history(m, pks) for m, pks in parts.items()}
    _forget_caches(person_id)
    return counts


@transaction.atomic(durable=True)
def do_erase_source(*, source: Source, acting_user: Any, reason: str) -> dict[str, int]:
    """Erase a source: its sealed identity, grading, citations and every historical version."""
    why = _reason(reason)
    _secure_delete()
    cited = Citation.objects.filter(source=source).count()
    record("registry.erase_source", actor=acting_user, obj=source, reason=why,
           changes={"erased": [None, {"registry.source": 1, "registry.citation": cited}]})
    erasing.send(sender=Source, kind="source", obj=source)
    pk = source.pk
    source.delete()  # cascades to its citations
    counts = {"registry.source": _purge_history(Source, [pk])}
    _forget_caches(None)
    return counts


def _forget_caches(person_id: int | None) -> None:
    """Nothing erased may be served from a cache: drop the per-process copies and the shared cache."""
    from unforgotten.registry.forms import _forget_catalogues

    _forget_catalogues()
    transaction.on_commit(cache.clear)
    if person_id is not None:
        from unforgotten.registry.models import Person
        from unforgotten.registry.search import note_names_changed

        person = Person.objects.filter(pk=person_id).first()
        if person is not None:
            note_names_changed(person)  # the name index re-reads the person (and drops what is gone)

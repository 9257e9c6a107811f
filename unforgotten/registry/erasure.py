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

A whole **person** (evidence helper, issue 5; decision 0019) goes the same way:
``do_erase_person`` deletes the person with every record about them (names,
external ids, cases with their charges, hearings, sentences and advocacy
records, detentions, status changes, relationships, consents, recognition
decisions, adoptions, dossier copies, public profiles), every historical
version of each, the citations pointing at any of them, the portrait file, the
name-index entries and the stored public pages; evidence tombstones its items
and deletes their files. A retention date (``Person.erase_after``, set by
``do_set_retention``) lets the daily job ``registry.retention`` do it when the
date has passed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.dispatch import Signal
from django.utils import timezone

from unforgotten.audit.actions import record
from unforgotten.registry.models import (
    Case,
    Charge,
    Citation,
    Hearing,
    Person,
    PersonMerge,
    Sentence,
    Source,
)

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


# --- a whole person, and retention dates (evidence helper, issue 5) ------------------------------------

RETENTION_ACTOR = "retention job"


def _doomed(person: Person) -> dict[type[models.Model], list[Any]]:
    """Every row deleting the person removes (cascades included), by model: what to purge and count."""
    from django.db.models.deletion import Collector

    collector = Collector(using=person._state.db or "default")
    collector.collect([person])
    out: dict[type[models.Model], list[Any]] = {}
    for model, objs in collector.data.items():
        out.setdefault(model, []).extend(o.pk for o in objs)
    for qs in collector.fast_deletes:
        out.setdefault(qs.model, []).extend(qs.values_list("pk", flat=True))
    return out


def _refuse_merged(person: Person) -> None:
    if Person.objects.filter(merged_into=person).exists() or PersonMerge.objects.filter(
            models.Q(kept=person) | models.Q(merged=person)).exists():
        raise ValidationError({"person": "This person was merged with another record: undo the merge first, "
                                         "then erase each record."})


@transaction.atomic(durable=True)
def do_erase_person(*, person: Person, acting_user: Any, reason: str) -> dict[str, int]:
    """Erase a person and everything about them; returns rows removed per kind of record (history included)."""
    why = _reason(reason)
    _refuse_merged(person)
    _secure_delete()
    person = Person.objects.select_for_update().get(pk=person.pk)
    erasing.send(sender=Person, kind="person", obj=person)  # first: evidence lets go of the person
    doomed = _doomed(person)
    counts = {_label(m): len(pks) for m, pks in doomed.items()}
    # Counts only: the audit event must not carry what it records the removal of (no name, no slug).
    record("registry.erase_person", actor=acting_user, obj=person, reason=why, changes={"erased": [None, counts]})
    citations = Citation.objects.none()
    for model, pks in doomed.items():
        citations |= Citation.objects.filter(target_type=_label(model), target_id__in=pks)
    citations.delete()
    from unforgotten.registry.search import note_names_changed

    note_names_changed(person)  # every process's name index drops the person's names
    photo = person.photo.name if person.photo else ""
    storage = person.photo.storage if person.photo else None
    person.delete()
    for model, pks in doomed.items():
        if hasattr(model, "history") and pks:
            counts[_label(model)] += _purge_history(model, pks)
    if photo and storage is not None:
        transaction.on_commit(lambda: storage.delete(photo))
    from unforgotten.publishing.actions import purge_public_pages

    purge_public_pages()
    _forget_caches(None)
    return counts


@transaction.atomic(durable=True)
def do_set_retention(*, person: Person, erase_after: date | None, acting_user: Any, reason: str) -> Person:
    """Set (or clear) the day after which the retention job erases the person."""
    why = _reason(reason)
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = person.erase_after
    if erase_after is not None and erase_after < timezone.localdate():
        raise ValidationError({"erase_after": "The retention date is in the past: erase the person instead."})
    Person.objects.filter(pk=person.pk).update(erase_after=erase_after)
    person.erase_after = erase_after
    record("registry.set_retention", actor=acting_user, obj=person, reason=why,
           changes={"erase_after": [before.isoformat() if before else None,
                                    erase_after.isoformat() if erase_after else None]})
    return person


def erase_past_retention(today: date | None = None) -> tuple[int, list[str]]:
    """Erase every person whose retention date has passed; (how many, problems). One transaction each."""
    day = today or timezone.localdate()
    erased, problems = 0, []
    for pk, when in Person.objects.filter(erase_after__lt=day).order_by("pk").values_list("pk", "erase_after"):
        person = Person.objects.filter(pk=pk).first()
        if person is None:
            continue
        try:
            do_erase_person(person=person, acting_user=RETENTION_ACTOR,
                            reason=f"Retention date {when} has passed")
        except ValidationError as exc:
            problems.append(f"person {pk}: {'; '.join(exc.messages)}")
            continue
        erased += 1
    return erased, problems

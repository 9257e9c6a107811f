"""Probable duplicates of the people an import wrote, for the registry's review queue (never merged here).

Searching the name index for every name of every imported person costs about
a millisecond a name: seconds for a normal list, half an hour for a million
rows. So the import does not do it in its transaction; it enqueues the
``find_duplicates`` task (exchange/tasks.py) when its transaction commits, and
the task records the pairs through ``registry.actions.do_record_duplicates``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from unforgotten.accounts.models import Organisation
from unforgotten.registry import actions, search
from unforgotten.registry.duplicates import DUPLICATE_SCORE
from unforgotten.registry.models import PersonName

CHUNK = 5_000


def as_ranges(ids: Iterable[int]) -> list[list[int]]:
    """[[first, last], …] runs of consecutive ids: a million imported ids are usually one run (a small task)."""
    out: list[list[int]] = []
    for pid in sorted(set(ids)):
        if out and pid == out[-1][1] + 1:
            out[-1][1] = pid
        else:
            out.append([pid, pid])
    return out


def from_ranges(ranges: Sequence[Sequence[int]]) -> list[int]:
    return [pid for first, last in ranges for pid in range(int(first), int(last) + 1)]


def pairs_for(organisation_id: int, person_ids: Sequence[int], *, threshold: float = DUPLICATE_SCORE,
              per_name: int = 6) -> list[tuple[int, int, float]]:
    """Pairs (person, other person of the organisation, score) whose open names score at least ``threshold``.

    The same rule as ``registry.duplicates.pairs_in``, asked only for the given
    people (the ones an import wrote) rather than the whole organisation.
    """
    index = search.service()
    index.sync()
    pairs: dict[tuple[int, int], float] = {}
    for start in range(0, len(person_ids), CHUNK):
        chunk = person_ids[start:start + CHUNK]
        names = (PersonName.objects.filter(search.open_people(), search.open_names(),
                                           person__organisation_id=organisation_id, person_id__in=chunk)
                 .values_list("person_id", "text", "sensitivity_overrides").order_by("person_id", "id"))
        for person_id, text, overrides in names:
            if not search.is_open(None, overrides):
                continue
            for other, s in index.search(organisation_id, text, per_name):
                if other != person_id and s >= threshold:
                    key = (min(person_id, other), max(person_id, other))
                    pairs[key] = max(pairs.get(key, 0.0), s)
    return [(a, b, s) for (a, b), s in sorted(pairs.items())]


def record_duplicates(organisation_id: int, person_ids: Sequence[int]) -> int:
    """Record the probable duplicates of these people for review; returns how many pairs are new."""
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None or not person_ids:
        return 0
    return actions.do_record_duplicates(organisation=organisation, pairs=pairs_for(organisation_id, person_ids))

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
from unforgotten.registry import actions
from unforgotten.registry.duplicates import pairs_for

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


def record_duplicates(organisation_id: int, person_ids: Sequence[int]) -> int:
    """Record the probable duplicates of these people for review; returns how many pairs are new."""
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None or not person_ids:
        return 0
    return actions.do_record_duplicates(organisation=organisation, pairs=pairs_for(organisation_id, person_ids, chunk=CHUNK))

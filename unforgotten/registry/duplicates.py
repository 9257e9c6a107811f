"""Probable duplicates: people of one organisation whose names match closely. Proposed, never merged here.

Two places ask: the create form (before saving, from the names typed) and
``unforgotten find-duplicates`` (every person against their organisation's
index, into ``DuplicateCandidate`` rows for the review queue).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from unforgotten.accounts.models import Organisation
from unforgotten.registry import actions, search
from unforgotten.registry.models import PersonName

# Scores at or above this make two people a probable duplicate: the same name
# across scripts or spellings scores above 0.9, a shared surname alone about 0.72.
DUPLICATE_SCORE = 0.85


def candidates_for_names(user: Any, organisation_id: int, names: Sequence[str], *,
                         limit: int = 5) -> list[search.Hit]:
    """The people ``user`` may see in the organisation whose names match any of ``names`` closely."""
    best: dict[int, search.Hit] = {}
    for name in dict.fromkeys(n for n in names if n.strip()):
        for hit in search.find_people(user, name, organisation_ids=[organisation_id], limit=limit,
                                      min_score=DUPLICATE_SCORE):
            if hit.person_id not in best or hit.score > best[hit.person_id].score:
                best[hit.person_id] = hit
    return sorted(best.values(), key=lambda h: (-h.score, h.person_id))[:limit]


def pairs_in(organisation_id: int, *, threshold: float = DUPLICATE_SCORE, per_name: int = 6) -> list[tuple[int, int, float]]:
    """Every pair of live people of one organisation whose open names score at least ``threshold``."""
    names = (PersonName.objects.filter(search.open_people(), search.open_names(),
                                       person__organisation_id=organisation_id)
             .values_list("person_id", "text", "sensitivity_overrides").order_by("person_id", "id"))
    return _pairs(organisation_id, [names.iterator(chunk_size=5000)], threshold, per_name)


def pairs_for(organisation_id: int, person_ids: Sequence[int], *, threshold: float = DUPLICATE_SCORE,
              per_name: int = 6, chunk: int = 5000) -> list[tuple[int, int, float]]:
    """The same rule as ``pairs_in``, asked only for the given people (say, the ones an import wrote)."""
    batches = (PersonName.objects.filter(search.open_people(), search.open_names(),
                                         person__organisation_id=organisation_id,
                                         person_id__in=person_ids[start:start + chunk])
               .values_list("person_id", "text", "sensitivity_overrides").order_by("person_id", "id")
               for start in range(0, len(person_ids), chunk))
    return _pairs(organisation_id, batches, threshold, per_name)


def _pairs(organisation_id: int, batches: Iterable[Iterable[tuple[int, str, Any]]], threshold: float,
           per_name: int) -> list[tuple[int, int, float]]:
    index = search.service()
    index.sync()
    pairs: dict[tuple[int, int], float] = {}
    for rows in batches:
        for person_id, text, overrides in rows:
            if not search.is_open(None, overrides):
                continue
            for other, s in index.search(organisation_id, text, per_name):
                if other != person_id and s >= threshold:
                    key = (min(person_id, other), max(person_id, other))
                    pairs[key] = max(pairs.get(key, 0.0), s)
    return [(a, b, s) for (a, b), s in sorted(pairs.items())]


def find_duplicates(organisations: Iterable[Organisation], *, threshold: float = DUPLICATE_SCORE) -> dict[str, int]:
    """Record the probable duplicates of each organisation for review; {organisation slug: new pairs}."""
    found: dict[str, int] = {}
    for organisation in organisations:
        pairs = pairs_in(organisation.pk, threshold=threshold)
        found[organisation.slug] = actions.do_record_duplicates(organisation=organisation, pairs=pairs)
    return found

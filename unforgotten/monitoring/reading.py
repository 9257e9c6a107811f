"""Reading monitoring records, for pages, the API and the forgotten-case radar."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Max

from unforgotten.monitoring.models import Contact


def last_contact_per_case(case_ids: Iterable[int]) -> dict[int, date]:
    """{case id: the day of the latest visit, call or letter}; cases with none are left out.

    For the forgotten-case radar (issue 9, item 3) and the proof-of-life rule. One grouped query
    over the (case, -occurred_on) index, whatever the number of cases asked about. It reads no
    sensitive field: only that a contact happened and when (coalition class).
    """
    ids = list({int(pk) for pk in case_ids})
    out: dict[int, date] = {}
    # Chunked so a radar over every case does not build one enormous IN list (SQLite caps parameters).
    for start in range(0, len(ids), 900):
        chunk = ids[start:start + 900]
        for case_id, last in Contact.objects.filter(case_id__in=chunk).values("case_id").annotate(
                last=Max("occurred_on")).values_list("case_id", "last"):
            out[int(case_id)] = last
    return out

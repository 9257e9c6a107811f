"""Which people a user may list, and what the list's filters mean.

Shared by the workspace list, the API and exports, so a filter, a search and
the rule for records above "internal" are written once.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from unforgotten import policy
from unforgotten.names import normalize, transliterate
from unforgotten.policy.sensitivity import Sensitivity
from unforgotten.registry.forms import PersonFilterForm
from unforgotten.registry.models import Case, Charge, DetentionPeriod, Person, PersonName


def readable(prefix: str = "") -> Q:
    """Rows staff may know exist: no whole-record class above internal (case-team records are added per person)."""
    return Q(**{f"{prefix}sensitivity_floor__isnull": True}) | Q(**{f"{prefix}sensitivity_floor__lte": Sensitivity.INTERNAL})


def name_match(query: str) -> Q | None:
    """Simple search on the stored search key, in the query's own script and transliterated.

    The names engine's index (issue 4) replaces this substring search.
    """
    norm = normalize(query)
    latin = transliterate(norm).lower()
    if not norm.strip():
        return None
    return Q(search_key__icontains=norm) | Q(search_key__icontains=latin)


def _date_filter(field: str, start: date | None, end: date | None) -> Q:
    """People whose date could fall in [start, end] (a partial date counts when any day of it could).

    Partial dates are stored as canonical text ("2021", "2021-03", "2021-03-05"),
    which sorts like the dates it stands for, so both bounds are plain
    comparisons on the column: the earliest day of "2021-03" is on or before
    ``end`` exactly when "2021-03" <= "YYYY-MM-DD" as text; its latest day is on
    or after ``start`` when the text is >= ``start`` or is a prefix of it.
    """
    q = ~Q(**{field: ""})
    if end is not None:
        q &= Q(**{f"{field}__lte": end.isoformat()})
    if start is not None:
        iso = start.isoformat()
        q &= Q(**{f"{field}__gte": iso}) | Q(**{f"{field}__in": [iso[:4], iso[:7]]})
    return q


def people_for(user: Any, form: PersonFilterForm, *, organisation_slug: str = "") -> QuerySet[Person]:
    """The people ``user`` may see, narrowed by the list's filter form (unordered).

    The one query behind the person list, its API and its exports: a filter
    means the same thing wherever it is applied. An invalid form gives none.
    """
    qs: QuerySet[Person] = policy.filter_owned(Person.objects.all(), user, "view")
    on_team = Person.case_team.through.objects.filter(person_id=OuterRef("pk"), user_id=int(user.pk or 0))
    qs = qs.filter(readable() | (Q(sensitivity_floor__lte=Sensitivity.RESTRICTED) & Exists(on_team)))
    if organisation_slug:
        qs = qs.filter(organisation__slug=organisation_slug)
    if not form.is_valid():
        return qs.none()
    data = form.cleaned_data
    for name, column in (("country", "country"), ("status", "current_status"), ("occupation", "occupation"),
                         ("recognition", "recognition_outcome")):
        if data.get(name):
            qs = qs.filter(**{column: data[name]})
    if data.get("theme"):
        qs = qs.filter(Exists(Case.objects.filter(readable(), person_id=OuterRef("pk"), theme=data["theme"])))
    if data.get("article") is not None:
        qs = qs.filter(Exists(Charge.objects.filter(readable(), case__person_id=OuterRef("pk"),
                                                    law_article=data["article"])))
    if data.get("facility") is not None:
        qs = qs.filter(Exists(DetentionPeriod.objects.filter(readable(), person_id=OuterRef("pk"),
                                                             facility=data["facility"])))
    start, end = data.get("date_from"), data.get("date_to")
    if start or end:
        if data.get("date_field") == "detention":
            detentions = DetentionPeriod.objects.filter(readable(), person_id=OuterRef("pk"),
                                                        start_earliest__isnull=False)
            if end is not None:
                detentions = detentions.filter(start_earliest__lte=end)
            if start is not None:
                detentions = detentions.filter(start_latest__gte=start)
            qs = qs.filter(Exists(detentions))
        else:
            qs = qs.filter(_date_filter("current_status_date", start, end))
    match = name_match(data.get("q") or "")
    if match is not None:
        qs = qs.filter(Exists(PersonName.objects.filter(readable(), match, person_id=OuterRef("pk"))))
    return qs

"""Which people a user may list, and what the list's filters mean.

Shared by the workspace list, the API and exports, so a filter, a search and
the rule for records above "internal" are written once.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from unforgotten import policy
from unforgotten.accounts.models import Organisation
from unforgotten.policy.sensitivity import Sensitivity
from unforgotten.registry import search
from unforgotten.registry.forms import PersonFilterForm
from unforgotten.registry.models import Case, Charge, DetentionPeriod, Person


def readable(prefix: str = "") -> Q:
    """Rows staff may know exist: no whole-record class above internal (case-team records are added per person)."""
    return Q(**{f"{prefix}sensitivity_floor__isnull": True}) | Q(**{f"{prefix}sensitivity_floor__lte": Sensitivity.INTERNAL})


# How many of the closest people a name search offers to the list's other filters.
SEARCH_LIMIT = 200


def name_hits(user: Any, query: str, *, organisation_slug: str = "") -> list[search.Hit]:
    """The people ``user`` may see whose names match ``query``, best first (``registry.search``).

    Remembered on the user object for the request, so the list's filter and its
    ordering ask the index once.
    """
    if not query.strip():
        return []
    memo: dict[tuple[str, str], list[search.Hit]] | None = getattr(user, "_uf_name_hits", None)
    if memo is None:
        memo = {}
        user._uf_name_hits = memo
    key = (query, organisation_slug)
    if key not in memo:
        orgs = None
        if organisation_slug:
            orgs = list(Organisation.objects.filter(slug=organisation_slug).values_list("pk", flat=True))
        memo[key] = search.find_people(user, query, organisation_ids=orgs, limit=SEARCH_LIMIT)
    return memo[key]


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
    # People merged into another (issue 4) are retired: their page redirects, lists leave them out.
    qs: QuerySet[Person] = policy.filter_owned(Person.objects.filter(merged_into__isnull=True), user, "view")
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
    query = data.get("q") or ""
    if query.strip():
        # The names index finds the candidates (visibility already checked); the
        # other filters above still apply. Callers order by ``name_hits``.
        qs = qs.filter(pk__in=[h.person_id for h in name_hits(user, query, organisation_slug=organisation_slug)])
    return qs

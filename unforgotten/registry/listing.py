"""Which people a user may list, and what the list's filters mean.

Shared by the workspace list, the API and exports, so a filter, a search and
the rule for records above "internal" are written once.
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django.db.models import Exists, Field, OuterRef, Q, QuerySet

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


# --- the list's common case in hand-written SQL ------------------------------------------------------------
#
# The person list is the workspace's busiest page, and for its common case (a
# few equality filters, one page in some sort order) building the two queries
# through the ORM cost more than running them. ``first_page`` writes the same
# two queries by hand, once per shape, and sends them as one statement (the
# capped count a column of the page); ``people_for`` stays the definition and
# a test holds both to the same rows. Anything else (names, themes, articles,
# facilities, dates, one organisation) goes through ``people_for``.

# Filter field -> column, for the filters the hand-written path handles.
SIMPLE_FILTERS = {"country": "country", "status": "current_status", "occupation": "occupation",
                  "recognition": "recognition_outcome"}


def simple_filters(form: PersonFilterForm, *, organisation_slug: str = "") -> dict[str, str] | None:
    """{column: value} when the form asks only for what ``first_page`` handles; None otherwise."""
    if organisation_slug or not form.is_valid():
        return None
    data = form.cleaned_data
    if any(data.get(name) not in (None, "") for name in data if name not in SIMPLE_FILTERS and name != "sort"):
        return None
    return {column: data[name] for name, column in SIMPLE_FILTERS.items() if data.get(name)}


_SQL: dict[tuple[Any, ...], str] = {}


def _page_sql(connection: Any, filters: tuple[str, ...], fields: tuple[str, ...], columns: tuple[str, ...],
              descending: bool, orgs: int, keyset: bool, limit: int, count_cap: int | None) -> str:
    key = (connection.vendor, filters, fields, columns, descending, orgs, keyset, limit, count_cap)
    if key in _SQL:
        return _SQL[key]
    qn = connection.ops.quote_name
    meta = Person._meta
    col = {f.attname: qn(f.column) for f in meta.concrete_fields}
    team = Person.case_team.through._meta
    floor = col["sensitivity_floor"]
    on_team = (f"SELECT 1 FROM {qn(team.db_table)} t "  # noqa: S608
               f"WHERE t.{qn('person_id')} = {qn(meta.db_table)}.{col['id']} AND t.{qn('user_id')} = %s")
    where = [f"{col['merged_into_id']} IS NULL",
             f"{col['organisation_id']} IN ({', '.join(['%s'] * orgs)})",
             # readable(), or restricted and on the case team: people_for's rule.
             f"({floor} IS NULL OR {floor} <= %s OR ({floor} <= %s AND EXISTS ({on_team})))"]
    where += [f"{col[c]} = %s" for c in filters]
    if keyset:
        op = "<" if descending else ">"
        # Rows strictly after the cursor in the sort order, spelt out as views.people._after does.
        ors = []
        for i, c in enumerate(columns):
            ors.append("(" + " AND ".join([f"{col[p]} = %s" for p in columns[:i]] + [f"{col[c]} {op} %s"]) + ")")
        where.append(f"{col[columns[0]]} {op}= %s AND ({' OR '.join(ors)})")  # noqa: S608
    clause = " AND ".join(where)
    # Only column names from the model's metadata go into the text; every value is a parameter.
    selected = ", ".join(col[f] for f in fields)
    if count_cap is not None:
        # The capped count rides on the page as one more column (an uncorrelated
        # subquery, run once): one round trip instead of two. Under load a round
        # trip that follows Python work waits for the server's process to be
        # scheduled, which cost more than either query. An empty page means a
        # count of 0: both read the same rows.
        selected += (f", (SELECT COUNT(*) FROM (SELECT 1 FROM {qn(meta.db_table)} WHERE {clause} "  # noqa: S608
                     f"LIMIT {int(count_cap) + 1}) c)")
    order = ", ".join(f"{col[c]}{' DESC' if descending else ''}" for c in columns)
    sql = (f"SELECT {selected} FROM {qn(meta.db_table)} WHERE {clause} "  # noqa: S608
           f"ORDER BY {order} LIMIT {int(limit)}")
    _SQL[key] = sql
    return sql


def first_page(user: Any, filters: dict[str, str], *, fields: tuple[str, ...], columns: tuple[str, ...],
               descending: bool, after: list[Any] | None, limit: int,
               count_cap: int | None) -> tuple[int | None, list[Person]]:
    """(capped count or None, up to ``limit`` people) — ``people_for`` with only ``SIMPLE_FILTERS``, in SQL.

    The count is taken when ``count_cap`` is given (it counts at most cap + 1 rows).
    """
    from django.db import connections, router

    from unforgotten.core import rawrows

    orgs = sorted(policy.organisation_ids(user, "view"))
    if not orgs:
        return (0 if count_cap is not None else None), []
    connection = connections[router.db_for_read(Person)]
    names = tuple(filters)
    base: list[Any] = [*orgs, int(Sensitivity.INTERNAL), int(Sensitivity.RESTRICTED), int(user.pk or 0),
            *(filters[c] for c in names)]
    keyset: list[Any] = []
    if after is not None:
        prepared = [cast(Field[Any, Any], Person._meta.get_field(c)).get_db_prep_value(v, connection)
                    for c, v in zip(columns, after, strict=True)]
        keyset = [prepared[0]]
        for i in range(len(columns)):
            keyset += [*prepared[:i], prepared[i]]
    params = base + keyset
    with connection.cursor() as cursor:
        cursor.execute(_page_sql(connection, names, fields, columns, descending, len(orgs), after is not None,
                                 limit, count_cap), params + params if count_cap is not None else params)
        rows = cursor.fetchall()
    if count_cap is None:
        return None, rawrows.instances(connection, Person, fields, rows)
    count = int(rows[0][-1]) if rows else 0
    return count, rawrows.instances(connection, Person, fields, [row[:-1] for row in rows])

# ruff: noqa: S608  (the SQL below interpolates only identifiers from this code: tables, COLUMNS, SOURCES;
#                   every value is a query parameter)
"""The attention index: its formula, and the set-based SQL that keeps the ledger (decision 0020).

The index of a case on a day is the weighted mean of the days since each
signal::

    index(today) = Σ w_k × (today − d_k) / Σ w_k

where d_k is the last day of signal k (public action, intervention, media
mention, contact) or, when the case never had one, the baseline: the earliest
day the person's detention can have started, else the earliest day the case can
have been opened, else the day it was recorded. Partial dates count from their
earliest day, so a case is never told it was raised more recently than it
surely was, and a missing signal counts as long as it can have been missing.

The ledger stores ``weighted = Σ w_k × day_number(d_k)``. Since
``index(today) = (Σ w_k × day_number(today) − weighted) / Σ w_k``, sorting by
``weighted`` ascending is sorting by neglect on every day: the stored key never
goes stale as days pass, and one B-tree index serves the radar's pages.

Everything is computed by the same SELECT (``_rows``) over the registry, each
source grouped once, on SQLite and PostgreSQL alike. For a few cases
(``recompute(case_ids)``, what the registry's saves and media mentions call) it
feeds one ``INSERT … ON CONFLICT DO UPDATE``; for every case (``recompute()``,
the nightly job) it fills a temporary table, and only rows whose facts changed
are written, with the ledger's secondary indexes rebuilt instead of updated row
by row when a large share changes (decision 0026).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from unforgotten.policy.sensitivity import Sensitivity
from unforgotten.radar.models import COLUMNS, Attention, Signal
from unforgotten.registry.vocabularies import DETAINED_STATUSES

# How much each signal weighs in the index (integers so the stored key is exact). A diplomat raising the case
# and a word from the person (a visit, a call, a letter) weigh most: they are what keeps a prisoner safe and
# known to the authorities to be watched; public actions and the press keep the name alive.
WEIGHTS: dict[str, int] = {
    Signal.INTERVENTION: 3,
    Signal.CONTACT: 3,
    Signal.PUBLIC_ACTION: 2,
    Signal.MEDIA: 2,
}
TOTAL_WEIGHT = sum(WEIGHTS.values())
# The order "oldest" is decided in when two signals are equally old: the heavier first.
TIE_ORDER: tuple[str, ...] = (Signal.INTERVENTION, Signal.CONTACT, Signal.PUBLIC_ACTION, Signal.MEDIA)


@dataclass(frozen=True)
class Source:
    """Where the last day of one signal comes from: ``MAX(day_column)`` per case of ``table``.

    A signal without a source keeps what ``note_attention`` recorded (contacts and
    public actions until the monitoring and petitions apps register theirs).
    """

    kind: str
    table: str
    day_column: str
    case_column: str = "case_id"
    # Only records every member of the owner's staff may know exist count: the ledger is shown to all of them.
    condition: str = "(sensitivity_floor IS NULL OR sensitivity_floor <= 2)"


SOURCES: dict[str, Source] = {
    Signal.INTERVENTION: Source(Signal.INTERVENTION, "advocacy_intervention", "occurred_on"),
    Signal.MEDIA: Source(Signal.MEDIA, "radar_mediamention", "published_on"),
}


def register_source(source: Source) -> None:
    """Another app names the table its signal comes from (called from its ``AppConfig.ready``)."""
    if source.kind not in COLUMNS:
        raise ValueError(f"no such signal {source.kind!r}")
    SOURCES[source.kind] = source


# --- the formula in Python (what the SQL computes; the tests' oracle and the pages' "days since") -------------


def effective_days(baseline: date, days: Mapping[str, date | None]) -> dict[str, date]:
    return {kind: days.get(kind) or baseline for kind in TIE_ORDER}


def weighted_key(baseline: date, days: Mapping[str, date | None]) -> int:
    eff = effective_days(baseline, days)
    return sum(WEIGHTS[k] * eff[k].toordinal() for k in TIE_ORDER)


def oldest_signal(baseline: date, days: Mapping[str, date | None]) -> str:
    eff = effective_days(baseline, days)
    return min(TIE_ORDER, key=lambda k: (eff[k], TIE_ORDER.index(k)))


def index_on(weighted: int, today: date) -> int:
    """The index (weighted mean days since each signal) on ``today``, rounded to whole days."""
    return round((TOTAL_WEIGHT * today.toordinal() - weighted) / TOTAL_WEIGHT)


def weighted_for_index(index: int, today: date) -> int:
    """The stored key a case has when its index on ``today`` is ``index`` (for "at least N days" filters)."""
    return TOTAL_WEIGHT * (today.toordinal() - index)


# --- SQL ------------------------------------------------------------------------------------------------------


def _pg() -> bool:
    return connection.vendor == "postgresql"


def _day_number(expr: str) -> str:
    """Python's ``date.toordinal()`` of a date expression."""
    if _pg():
        return f"(({expr}) - DATE '0001-01-01' + 1)"
    return f"CAST(julianday({expr}) - 1721424.5 AS INTEGER)"


def _as_date(expr: str) -> str:
    # SQLite keeps dates as ISO text (and CAST … AS DATE would make a number of it).
    return f"CAST({expr} AS date)" if _pg() else f"({expr})"


def _earliest_of_partial(column: str) -> str:
    """The first day a stored partial date ("2021", "2021-03", "2021-03-05", "") can stand for; NULL if unknown."""
    text = (f"CASE length({column}) WHEN 4 THEN {column} || '-01-01' WHEN 7 THEN {column} || '-01' "
            f"WHEN 10 THEN {column} END")
    return _as_date(text)


def _created_day(column: str) -> str:
    return f"CAST({column} AS date)" if _pg() else f"date({column})"


def _score_exprs(ref: str) -> tuple[str, str]:
    """SQL for ``weighted`` and ``oldest`` from the columns of ``ref`` (a table alias)."""
    eff = {k: f"COALESCE({ref}.{COLUMNS[k]}, {ref}.baseline)" for k in TIE_ORDER}
    weighted = " + ".join(f"{WEIGHTS[k]} * {_day_number(eff[k])}" for k in TIE_ORDER)
    whens = []
    for i, kind in enumerate(TIE_ORDER[:-1]):
        # Ties go to the earlier kind in TIE_ORDER: <= against later kinds, < against earlier ones (already ruled out).
        later = " AND ".join(f"{eff[kind]} <= {eff[other]}" for other in TIE_ORDER[i + 1:])
        whens.append(f"WHEN {later} THEN '{kind}'")
    oldest = f"CASE {' '.join(whens)} ELSE '{TIE_ORDER[-1]}' END"
    return weighted, oldest


def _in(column: str, ids: Sequence[int] | None) -> tuple[str, list[int]]:
    if ids is None:
        return "", []
    return f" AND {column} IN ({', '.join(['%s'] * len(ids))})", list(ids)


# The ledger's columns a recompute writes (``weighted`` and ``oldest`` follow from them).
FACT_COLUMNS: tuple[str, ...] = ("organisation_id", "person_id", "country", "status", "active", "floor",
                                 *COLUMNS.values(), "baseline")


def _rows(case_ids: Sequence[int] | None) -> tuple[str, list[Any]]:
    """A SELECT of every ledger column but ``updated_at`` for ``case_ids`` (every case when None), from the sources."""
    att = Attention._meta.db_table
    params: list[Any] = []
    joins = []
    selects = {}
    for kind in TIE_ORDER:
        column = COLUMNS[kind]
        source = SOURCES.get(kind)
        if source is None:
            selects[column] = f"old.{column}"
            continue
        cond, p = _in(source.case_column, case_ids)
        params += p
        alias = f"s_{kind}"
        joins.append(f"LEFT JOIN (SELECT {source.case_column} AS case_id, MAX({source.day_column}) AS day "
                     f"FROM {source.table} WHERE {source.day_column} IS NOT NULL AND {source.condition}{cond} "
                     f"GROUP BY {source.case_column}) {alias} ON {alias}.case_id = c.id")
        selects[column] = f"{alias}.day"
    person_cond, p = _in("case_id_sub.id", case_ids)
    if case_ids is None:
        detention_filter = ""
    else:
        detention_filter = (" AND person_id IN (SELECT case_id_sub.person_id FROM registry_case case_id_sub "
                            f"WHERE 1 = 1{person_cond})")
        params += p
    joins.append("LEFT JOIN (SELECT person_id, MIN(start_earliest) AS day FROM registry_detentionperiod "
                 f"WHERE start_earliest IS NOT NULL{detention_filter} GROUP BY person_id) det "
                 "ON det.person_id = c.person_id")
    detained = ", ".join(f"'{s}'" for s in sorted(DETAINED_STATUSES))
    case_floor = "COALESCE(c.sensitivity_floor, 0)"
    person_floor = "COALESCE(p.sensitivity_floor, 0)"
    baseline = (f"COALESCE(det.day, {_earliest_of_partial('c.opened_on')}, {_created_day('c.created_at')})")
    where, p = _in("c.id", case_ids)
    params += p
    inner = (
        "SELECT c.id AS case_id, c.organisation_id AS organisation_id, c.person_id AS person_id, "
        "p.country AS country, p.current_status AS status, "
        f"CASE WHEN p.current_status IN ({detained}) AND p.merged_into_id IS NULL THEN 1 ELSE 0 END AS active, "
        f"CASE WHEN {case_floor} > {person_floor} THEN {case_floor} ELSE {person_floor} END AS floor, "
        + ", ".join(f"{expr} AS {column}" for column, expr in selects.items())
        + f", {baseline} AS baseline "
        f"FROM registry_case c JOIN registry_person p ON p.id = c.person_id "
        f"LEFT JOIN {att} old ON old.case_id = c.id " + " ".join(joins) + f" WHERE 1 = 1{where}"
    )
    weighted, oldest = _score_exprs("s")
    active = "CAST(s.active AS boolean)" if _pg() else "s.active"
    outer_cols = [f"s.{c} AS {c}" if c != "active" else f"{active} AS active" for c in ("case_id", *FACT_COLUMNS)]
    return (f"SELECT {', '.join(outer_cols)}, {weighted} AS weighted, {oldest} AS oldest FROM ({inner}) s",
            params)


def _changed(left: str, right: str) -> str:
    """SQL true when a fact column of ``left`` differs from ``right`` (NULLs compared as values)."""
    distinct = "IS DISTINCT FROM" if _pg() else "IS NOT"
    return " OR ".join(f"{left}.{c} {distinct} {right}.{c}" for c in FACT_COLUMNS)


def _upsert(case_ids: Sequence[int]) -> tuple[str, list[Any]]:
    """One ``INSERT … SELECT … ON CONFLICT DO UPDATE`` for a few cases (what the registry's saves call)."""
    att = Attention._meta.db_table
    rows, params = _rows(case_ids)
    columns = ["case_id", *FACT_COLUMNS, "weighted", "oldest"]
    sql = (
        f"INSERT INTO {att} ({', '.join(columns)}, updated_at) "
        f"SELECT {', '.join(f'r.{c}' for c in columns)}, %s FROM ({rows}) r WHERE 1 = 1 "
        "ON CONFLICT (case_id) DO UPDATE SET "
        + ", ".join(f"{c} = excluded.{c}" for c in [*columns[1:], "updated_at"])
        # Rows whose facts did not change are not written.
        + f" WHERE {_changed(att, 'excluded')}"
    )
    # The outer SELECT's updated_at comes first in the text, before the inner query's parameters.
    return sql, [timezone.now(), *params]


# A full recompute that must rewrite at least this share of the ledger (and this many rows) drops the ledger's
# secondary indexes, writes, and builds them again: at a million rows, writing every row through two B-trees
# costs ~35 µs a row (random inserts), without them ~9 µs, and building both again ~7 s (measured, decision 0026).
# The price is that radar pages wait (they never fail nor see half a night) until the transaction commits;
# below the threshold rows are updated in place and pages are never held up.
BULK_SHARE = 0.2
BULK_MIN_ROWS = 10_000
FRESH = "radar_fresh"


def _full_recompute(cursor: Any) -> int:
    """Every case: the fresh rows into a temporary table, then only the rows that differ are written.

    Set-based, the same statements on PostgreSQL and SQLite: ``CREATE TEMP TABLE … AS SELECT`` (not logged),
    one ``UPDATE … FROM`` of the rows whose facts changed, one ``INSERT … SELECT`` of cases without a row.
    """
    att = Attention._meta.db_table
    now = timezone.now()
    if _pg():
        # Writers of the ledger (note_attention) wait for the night's rows rather than be overwritten by them;
        # readers go on reading the ledger as it was until the commit.
        cursor.execute(f"LOCK TABLE {att} IN SHARE ROW EXCLUSIVE MODE")
    cursor.execute(f"DROP TABLE IF EXISTS {FRESH}")
    rows, params = _rows(None)
    cursor.execute(f"CREATE TEMPORARY TABLE {FRESH} AS {rows}", params)
    if _pg():
        cursor.execute(f"ANALYZE {FRESH}")  # temporary tables are never analysed by autovacuum
    cursor.execute(f"SELECT COALESCE(SUM(CASE WHEN a.case_id IS NULL THEN 1 ELSE 0 END), 0), COUNT(a.case_id) "
                   f"FROM {FRESH} f LEFT JOIN {att} a ON a.case_id = f.case_id "
                   f"WHERE a.case_id IS NULL OR {_changed('a', 'f')}")
    missing, differing = (int(n) for n in cursor.fetchone())
    changed = missing + differing
    written = 0
    if changed:
        cursor.execute(f"SELECT COUNT(*) FROM {att}")
        ledger = int(cursor.fetchone()[0])
        bulk = changed >= BULK_MIN_ROWS and changed >= BULK_SHARE * ledger
        # The schema editor only spells the indexes' SQL here: entering it would open its own transaction (and
        # SQLite refuses schema editing inside one), while DROP/CREATE INDEX are plain transactional statements.
        editor = connection.schema_editor()
        editor.deferred_sql = []
        indexes = list(Attention._meta.indexes)
        if bulk:
            for index in indexes:
                cursor.execute(str(index.remove_sql(Attention, editor)))
        sets = ", ".join(f"{c} = f.{c}" for c in (*FACT_COLUMNS, "weighted", "oldest"))
        if differing:
            cursor.execute(f"UPDATE {att} SET {sets}, updated_at = %s FROM {FRESH} f "
                           f"WHERE {att}.case_id = f.case_id AND ({_changed(att, 'f')})", [now])
            written += max(cursor.rowcount, 0)
        if missing:
            columns = ", ".join(("case_id", *FACT_COLUMNS, "weighted", "oldest"))
            cursor.execute(f"INSERT INTO {att} ({columns}, updated_at) SELECT {columns}, %s FROM {FRESH} f "
                           f"WHERE NOT EXISTS (SELECT 1 FROM {att} a WHERE a.case_id = f.case_id)", [now])
            written += max(cursor.rowcount, 0)
        if bulk:
            foreign_keys: list[str] = []
            if _pg():
                # PostgreSQL builds no index on a table with pending trigger events: the checks of the new rows'
                # foreign key (deferred to the commit, as Django declares them) run now, then are deferred again.
                cursor.execute("SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f' "
                               "AND condeferrable", [att])
                foreign_keys = [editor.quote_name(name) for (name,) in cursor.fetchall()]
                for name in foreign_keys:
                    cursor.execute(f"SET CONSTRAINTS {name} IMMEDIATE")
            for index in indexes:
                cursor.execute(str(index.create_sql(Attention, editor)))
            for name in foreign_keys:
                cursor.execute(f"SET CONSTRAINTS {name} DEFERRED")
    cursor.execute(f"DROP TABLE {FRESH}")
    return written


def recompute(case_ids: Iterable[int] | None = None) -> int:
    """Rebuild the ledger rows of ``case_ids`` (every case when None) from the sources; returns rows that changed."""
    ids = None if case_ids is None else sorted({int(i) for i in case_ids})
    if ids is not None and not ids:
        return 0
    written = 0
    with transaction.atomic(), connection.cursor() as cursor:
        if ids is None:
            return _full_recompute(cursor)
        for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
            sql, params = _upsert(chunk)
            cursor.execute(sql, params)
            written += max(cursor.rowcount, 0)
        # No sweep for rows of deleted cases: the ledger's foreign key to the case forbids them (the ORM's
        # cascade deletes a case's row with it; a bulk delete in SQL must delete the row first or fail).
    return written


def recompute_people(person_ids: Iterable[int]) -> int:
    from unforgotten.registry.models import Case

    ids = list(Case.objects.filter(person_id__in=list(person_ids)).values_list("pk", flat=True))
    return recompute(ids) if ids else 0


def note(case_id: int, kind: str, when: date) -> bool:
    """Move one signal of one case to ``when`` if that is later than what the ledger holds; True if it moved."""
    column = COLUMNS[kind]
    att = Attention._meta.db_table
    weighted, oldest = _score_exprs(att)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {att} SET {column} = %s WHERE case_id = %s AND ({column} IS NULL OR {column} < %s)",
                       [when, case_id, when])
        moved = cursor.rowcount > 0
        if not moved:
            if Attention.objects.filter(pk=case_id).exists():
                return False  # already as recent or more: nothing to do (idempotent)
            if recompute([case_id]) == 0:
                return False  # no such case
            cursor.execute(f"UPDATE {att} SET {column} = %s WHERE case_id = %s AND ({column} IS NULL OR {column} < %s)",
                           [when, case_id, when])
            moved = cursor.rowcount > 0
        cursor.execute(f"UPDATE {att} SET weighted = {weighted}, oldest = {oldest}, updated_at = %s "
                       "WHERE case_id = %s", [timezone.now(), case_id])
    return bool(moved)


def sees_floor(floor: int) -> bool:
    return floor <= Sensitivity.INTERNAL

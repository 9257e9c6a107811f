"""Reading the statistics: as-of counts by dimension, crossings of two dimensions, monthly series.

Two sources answer the same questions:

- ``TableSource`` reads the precomputed day and month totals of some
  organisations (their staff projection): the dashboard, the API, the reports.
- ``MemorySource`` sums the contributions of a set of people computed on the
  spot: the public statistics, from the public projection of published people.

Both return plain counters keyed by (value, status), which ``breakdown`` turns
into rows for tables, charts, open data and the API.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Protocol

from django.db import connection
from django.utils import timezone

from unforgotten.stats import timeline as tl
from unforgotten.stats.models import DayDelta, MonthDelta, Span

EARLIEST = date(1900, 1, 1)
STATUS = "status"  # the dimension name readers use for "by status" (the "all" cells)
READER_DIMENSIONS = (STATUS, "country", "gender", "occupation", "recognition", "facility", "theme", "article")
SINGLE = frozenset({"country", "gender", "occupation", "recognition", "facility"})


class BadQuery(ValueError):
    """A question the statistics cannot answer; ``field`` names the parameter at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def parse_day(text: str | date | None, *, field: str = "on", today: date | None = None) -> date:
    """The as-of day from a reader's input: ISO date, not in the future, not before 1900."""
    today = today or timezone.localdate()
    if text in (None, ""):
        return today
    if isinstance(text, date):
        day = text
    else:
        try:
            day = date.fromisoformat(str(text).strip())
        except ValueError:
            raise BadQuery(field, f"'{text}' is not a date: give it as YYYY-MM-DD, e.g. 2023-01-31.") from None
    if day > today:
        raise BadQuery(field, f"{day.isoformat()} is in the future: statistics are counted up to today "
                              f"({today.isoformat()}).")
    if day < EARLIEST:
        raise BadQuery(field, f"{day.isoformat()} is before {EARLIEST.year}: the registry counts nothing that early.")
    return day


def parse_dimension(text: str, *, field: str = "by") -> str:
    if text not in READER_DIMENSIONS:
        raise BadQuery(field, f"'{text}' is not a dimension: use one of {', '.join(READER_DIMENSIONS)}.")
    return text


def parse_month(text: str | None, *, field: str, default: date) -> date:
    if not text:
        return default
    try:
        year, month = (int(part) for part in str(text).split("-"))
        return date(year, month, 1)
    except ValueError:
        raise BadQuery(field, f"'{text}' is not a month: give it as YYYY-MM, e.g. 2023-01.") from None


def _internal(dimension: str) -> str:
    return "all" if dimension == STATUS else dimension


class Source(Protocol):
    def grid(self, day: date, dimension: str) -> Counter[tuple[str, str]]: ...

    def flows(self, first: date, last: date) -> Counter[tuple[date, str]]: ...


@dataclass
class TableSource:
    """The precomputed totals of the given organisations."""

    organisation_ids: Sequence[int]

    def grid(self, day: date, dimension: str) -> Counter[tuple[str, str]]:
        """{(value, status): people} on ``day``: month rows before its month, then its day rows up to it."""
        out: Counter[tuple[str, str]] = Counter()
        if not self.organisation_ids:
            return out
        month = day.replace(day=1)
        orgs = ", ".join("%s" for _ in self.organisation_ids)
        dim = _internal(dimension)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT value, status, SUM(delta) FROM {MonthDelta._meta.db_table} "  # noqa: S608
                f"WHERE organisation_id IN ({orgs}) AND dimension = %s AND month < %s GROUP BY value, status "
                f"UNION ALL SELECT value, status, SUM(delta) FROM {DayDelta._meta.db_table} "
                f"WHERE organisation_id IN ({orgs}) AND dimension = %s AND day >= %s AND day <= %s "
                "GROUP BY value, status",
                [*self.organisation_ids, dim, month, *self.organisation_ids, dim, month, day])
            for value, status, n in cursor.fetchall():
                out[(str(value), str(status))] += int(n)
        return Counter({k: n for k, n in out.items() if n})

    def flows(self, first: date, last: date) -> Counter[tuple[date, str]]:
        """{(month, flow): events} for the months from ``first`` to ``last`` (first days of months)."""
        out: Counter[tuple[date, str]] = Counter()
        if not self.organisation_ids:
            return out
        orgs = ", ".join("%s" for _ in self.organisation_ids)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT month, value, SUM(delta) FROM {MonthDelta._meta.db_table} "  # noqa: S608
                f"WHERE organisation_id IN ({orgs}) AND dimension = %s AND month >= %s AND month <= %s "
                "GROUP BY month, value",
                [*self.organisation_ids, tl.FLOW, date(first.year, 1, 1), last])
            for month, value, n in cursor.fetchall():
                month = month if isinstance(month, date) else date.fromisoformat(str(month))
                out[(month, str(value))] += int(n)
        return out

    def cross(self, day: date, first: str, second: str) -> Counter[tuple[str, str, str]]:
        """{(value of first, value of second, status): people} on ``day``, straight from the spans (exact, slower)."""
        out: Counter[tuple[str, str, str]] = Counter()
        if not self.organisation_ids:
            return out
        cols = [("''" if d == STATUS else d) for d in (first, second)]
        orgs = ", ".join("%s" for _ in self.organisation_ids)
        end = connection.ops.quote_name("end")
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {cols[0]}, {cols[1]}, status, COUNT(*) FROM {Span._meta.db_table} "  # noqa: S608
                f"WHERE organisation_id IN ({orgs}) AND start <= %s AND ({end} IS NULL OR {end} > %s) "
                "GROUP BY 1, 2, 3", [*self.organisation_ids, day, day])
            for a, b, status, n in cursor.fetchall():
                out[(str(a), str(b), str(status))] += int(n)
        return out


@dataclass
class MemorySource:
    """Contributions summed in memory (the public statistics: a few thousand published people)."""

    totals: Counter[tl.Key] = field(default_factory=Counter)
    people: int = 0

    @classmethod
    def of(cls, facts: Iterable[tl.PersonFacts]) -> MemorySource:
        source = cls()
        for person in facts:
            source.totals.update(tl.person_contributions(person))
            source.people += 1
        return source

    def grid(self, day: date, dimension: str) -> Counter[tuple[str, str]]:
        return tl.as_of(self.totals, day, _internal(dimension))

    def flows(self, first: date, last: date) -> Counter[tuple[date, str]]:
        out: Counter[tuple[date, str]] = Counter()
        for (day, dim, value, _status), n in self.totals.items():
            month = day.replace(day=1)
            if dim == tl.FLOW and date(first.year, 1, 1) <= month <= last:
                out[(month, value)] += n
        return out


# --- shaping -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    value: str
    detained: int  # people in a detained status (held) on the day
    counted: int  # people in any status on the day
    uncertain: int  # people who cannot be placed in time (date uncertain), with this value


@dataclass(frozen=True)
class Breakdown:
    dimension: str
    day: date
    rows: list[Row]

    @property
    def detained(self) -> int:
        return sum(r.detained for r in self.rows)

    @property
    def counted(self) -> int:
        return sum(r.counted for r in self.rows)

    @property
    def uncertain(self) -> int:
        return sum(r.uncertain for r in self.rows)


def breakdown(source: Source, day: date, dimension: str) -> Breakdown:
    """One row per value of ``dimension`` on ``day``: held, counted in any status, date uncertain."""
    grid = source.grid(day, dimension)
    if dimension == STATUS:
        rows = [Row(status, n if status in tl.DETAINED else 0, n if status != tl.UNCERTAIN else 0,
                    n if status == tl.UNCERTAIN else 0) for (_v, status), n in grid.items()]
    else:
        cells: dict[str, list[int]] = {}
        for (value, status), n in grid.items():
            cell = cells.setdefault(value, [0, 0, 0])
            if status == tl.UNCERTAIN:
                cell[2] += n
            else:
                cell[1] += n
                if status in tl.DETAINED:
                    cell[0] += n
        rows = [Row(value, *cell) for value, cell in cells.items()]
    rows.sort(key=lambda r: (-r.detained, -r.counted, -r.uncertain, r.value))
    return Breakdown(dimension, day, rows)


@dataclass(frozen=True)
class MonthFlows:
    month: date
    detentions: int
    releases: int
    deaths: int


@dataclass(frozen=True)
class Series:
    months: list[MonthFlows]
    # Events known only to the year: never placed in a month (they would all land in December).
    year_only: dict[int, MonthFlows]


def months_between(first: date, last: date) -> list[date]:
    out, month = [], first.replace(day=1)
    while month <= last:
        out.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return out


def series(source: Source, first: date, last: date) -> Series:
    flows = source.flows(first.replace(day=1), last.replace(day=1))
    months = [MonthFlows(m, flows[(m, "detention")], flows[(m, "release")], flows[(m, "death")])
              for m in months_between(first, last)]
    years: dict[int, MonthFlows] = {}
    for year in range(first.year, last.year + 1):
        december = date(year, 12, 1)
        entry = MonthFlows(december, flows[(december, "detention" + tl.YEAR_ONLY)],
                           flows[(december, "release" + tl.YEAR_ONLY)], flows[(december, "death" + tl.YEAR_ONLY)])
        if entry.detentions or entry.releases or entry.deaths:
            years[year] = entry
    return Series(months, years)

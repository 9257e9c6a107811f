"""Statistics API at /api/v1/stats/: as-of counts by dimension, crossings, monthly series; public open data.

The members' endpoints read the precomputed totals of the organisations where
the caller reads records (``stats.view``), or of the one named with
``?organisation=<slug>``; nobody else learns anything (404). The ``/public``
endpoints need no credentials: they are the open data, built only from the
public projection of published people (``stats/public.py``). Bad input (a date
in the future, an unknown dimension) is a 422 naming the parameter.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone, translation
from ninja import Query, Router, Schema
from ninja.errors import ValidationError

from unforgotten import policy
from unforgotten.accounts.models import Organisation
from unforgotten.api.schemas import responses
from unforgotten.stats import engine, public
from unforgotten.stats.presentation import Labeller
from unforgotten.stats.queries import (
    READER_DIMENSIONS,
    SINGLE,
    STATUS,
    BadQuery,
    TableSource,
    breakdown,
    parse_day,
    parse_dimension,
    parse_month,
    series,
)

router = Router(tags=["statistics"])
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,60}")


class AsOfFilters(Schema):
    on: str | None = None
    by: str = STATUS
    organisation: str | None = None


class CrossFilters(Schema):
    on: str | None = None
    rows: str = "country"
    columns: str = STATUS
    organisation: str | None = None


class SeriesFilters(Schema):
    start: str | None = None
    end: str | None = None
    organisation: str | None = None


class PublicAsOfFilters(Schema):
    on: str | None = None
    by: str = STATUS


class PublicSeriesFilters(Schema):
    start: str | None = None
    end: str | None = None


class CountRow(Schema):
    value: str
    label: str
    held: int
    counted: int
    date_uncertain: int


class AsOfOut(Schema):
    as_of: date
    dimension: str
    organisations: list[str]
    rows: list[CountRow]
    held: int
    counted: int
    date_uncertain: int
    stale: bool


class CrossRow(Schema):
    row: str
    column: str
    status: str
    people: int


class CrossOut(Schema):
    as_of: date
    rows: str
    columns: str
    organisations: list[str]
    cells: list[CrossRow]


class MonthOut(Schema):
    month: str
    detentions: int
    releases: int
    deaths: int


class YearOnlyOut(Schema):
    year: int
    detentions: int
    releases: int
    deaths: int


class SeriesOut(Schema):
    start: str
    end: str
    months: list[MonthOut]
    year_only: list[YearOnlyOut]


class PublicAsOfOut(Schema):
    as_of: date
    dimension: str
    rows: list[CountRow]
    held: int
    counted: int
    date_uncertain: int


def _invalid(exc: BadQuery) -> ValidationError:
    return ValidationError([{"loc": ("query", exc.field), "msg": exc.message}])


def _organisations(request: HttpRequest, slug: str | None) -> list[Organisation]:
    ids = policy.organisation_ids(request.user, "view")
    orgs = [o for o in Organisation.objects.filter(pk__in=list(ids), is_active=True).order_by("slug")
            if policy.can(request.user, "stats.view", o)]
    if slug is not None:
        orgs = [o for o in orgs if SLUG.fullmatch(slug) and o.slug == slug]
    if not orgs:
        raise Http404()
    return orgs


def _rows(source: Any, day: date, dimension: str) -> dict[str, Any]:
    result = breakdown(source, day, dimension)
    with translation.override("en"):
        labels = Labeller("en")
        rows = [{"value": r.value, "label": labels(dimension, r.value), "held": r.detained, "counted": r.counted,
                 "date_uncertain": r.uncertain} for r in result.rows]
    return {"as_of": day, "dimension": dimension, "rows": rows, "held": result.detained, "counted": result.counted,
            "date_uncertain": result.uncertain}


def _series_range(start: str | None, end: str | None) -> tuple[date, date]:
    this_month = timezone.localdate().replace(day=1)
    last = parse_month(end, field="end", default=this_month)
    first = parse_month(start, field="start", default=date(last.year - 2, last.month, 1))
    if last > this_month:
        raise BadQuery("end", f"{last:%Y-%m} is in the future.")
    if first > last:
        raise BadQuery("start", "'start' is after 'end'.")
    if (last.year - first.year) * 12 + last.month - first.month > 600:
        raise BadQuery("start", "Ask for at most 50 years at a time.")
    return first, last


def _series_out(source: Any, first: date, last: date) -> dict[str, Any]:
    result = series(source, first, last)
    return {"start": f"{first:%Y-%m}", "end": f"{last:%Y-%m}",
            "months": [{"month": f"{m.month:%Y-%m}", "detentions": m.detentions, "releases": m.releases,
                        "deaths": m.deaths} for m in result.months],
            "year_only": [{"year": y, "detentions": m.detentions, "releases": m.releases, "deaths": m.deaths}
                          for y, m in sorted(result.year_only.items())]}


@router.get("/asof", response=responses(AsOfOut), url_name="stats_asof",
            summary="As-of counts by one dimension",
            description="People counted on a day (default today), by status or by one of country, gender, "
                        "occupation, recognition, facility, theme, article: held (detained statuses), counted in "
                        "any status, and date uncertain. Partial dates count from their last possible day "
                        "(decision 0015).")
def asof(request: HttpRequest, filters: Query[AsOfFilters]) -> dict[str, Any]:
    orgs = _organisations(request, filters.organisation)
    try:
        day = parse_day(filters.on)
        dimension = parse_dimension(filters.by)
    except BadQuery as exc:
        raise _invalid(exc) from None
    out = _rows(TableSource([o.pk for o in orgs]), day, dimension)
    return {**out, "organisations": [o.slug for o in orgs], "stale": any(engine.stale(o.pk) for o in orgs)}


@router.get("/cross", response=responses(CrossOut), url_name="stats_cross",
            summary="As-of counts crossing two dimensions",
            description="People counted on a day by two of status, country, gender, occupation, recognition and "
                        "facility (exact, read from the spans; slower than /asof at scale).")
def cross(request: HttpRequest, filters: Query[CrossFilters]) -> dict[str, Any]:
    orgs = _organisations(request, filters.organisation)
    try:
        day = parse_day(filters.on)
        rows, columns = parse_dimension(filters.rows, field="rows"), parse_dimension(filters.columns, field="columns")
        for field, value in (("rows", rows), ("columns", columns)):
            if value not in SINGLE and value != STATUS:
                raise BadQuery(field, f"'{value}' has several values per person: cross only status, "
                                      f"{', '.join(sorted(SINGLE))}.")
    except BadQuery as exc:
        raise _invalid(exc) from None
    cells = TableSource([o.pk for o in orgs]).cross(day, rows, columns)
    return {"as_of": day, "rows": rows, "columns": columns, "organisations": [o.slug for o in orgs],
            "cells": [{"row": a, "column": b, "status": st, "people": n} for (a, b, st), n in sorted(cells.items())]}


@router.get("/series", response=responses(SeriesOut), url_name="stats_series",
            summary="Monthly series of detentions, releases and deaths in custody",
            description="Entries into and exits from the detained statuses per month (start and end as YYYY-MM; "
                        "default the last 25 months). Changes known only to the year are listed apart.")
def monthly_series(request: HttpRequest, filters: Query[SeriesFilters]) -> dict[str, Any]:
    orgs = _organisations(request, filters.organisation)
    try:
        first, last = _series_range(filters.start, filters.end)
    except BadQuery as exc:
        raise _invalid(exc) from None
    return _series_out(TableSource([o.pk for o in orgs]), first, last)


@router.get("/public/asof", response=responses(PublicAsOfOut), auth=None, url_name="stats_public_asof",
            summary="Public as-of counts (open data)",
            description="The public statistics: only people whose profiles are published with consent, only what "
                        "their public projection shows.")
def public_asof(request: HttpRequest, filters: Query[PublicAsOfFilters]) -> dict[str, Any]:
    try:
        day = parse_day(filters.on)
        dimension = parse_dimension(filters.by)
    except BadQuery as exc:
        raise _invalid(exc) from None
    return _rows(public.public_source(), day, dimension)


@router.get("/public/series", response=responses(SeriesOut), auth=None, url_name="stats_public_series",
            summary="Public monthly series (open data)")
def public_series(request: HttpRequest, filters: Query[PublicSeriesFilters]) -> dict[str, Any]:
    try:
        first, last = _series_range(filters.start, filters.end)
    except BadQuery as exc:
        raise _invalid(exc) from None
    return _series_out(public.public_source(), first, last)


__all__ = ["READER_DIMENSIONS", "router"]

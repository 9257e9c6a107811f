"""The public statistics: counted only from people the public site may show, through the public projection.

Who is counted: a person with a live public profile in at least one language
(published, due, not merged: publishing's own rule) whose public projection
gives their name, that is whose record is not raised above public and whose
name consent is recorded and not withdrawn (the rule that puts a person on the
public site at all). What is counted of them: only what ``project(obj,
PUBLIC)`` shows of each record (a status change, detention, case or charge
raised above public is left out; a field raised above public counts as "not
disclosed"). Organisations are pooled: the public figures are the site's.

The set is small (the people an organisation chose to campaign for), so the
figures are summed in memory on each render; the page itself is kept in the
public page store and purged with it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date
from typing import Any

from unforgotten.policy.projection import PUBLIC, project
from unforgotten.publishing.models import PublicProfile
from unforgotten.registry.models import Person
from unforgotten.stats import engine
from unforgotten.stats import timeline as tl
from unforgotten.stats.presentation import DIMENSION_ORDER, Labeller
from unforgotten.stats.queries import MemorySource, breakdown, series


def public_facts() -> Iterator[tl.PersonFacts]:
    ids = PublicProfile.objects.live().values_list("person_id", flat=True).distinct()
    people = (Person.objects.filter(pk__in=list(ids), merged_into__isnull=True).order_by("pk")
              .prefetch_related("consents", "status_changes", "detentions", "decisions", "cases__charges"))
    for person in people:
        if "display_name" not in project(person, PUBLIC, ["display_name"]):
            continue  # no name consent, or a record raised above public: not on the public site, not counted
        facts = engine.facts_for(person, PUBLIC)
        if facts is not None:
            yield facts


def public_source() -> MemorySource:
    return MemorySource.of(public_facts())


# --- open data -----------------------------------------------------------------------------------------------

CSV_COLUMNS = ("as_of", "dimension", "value", "label", "held", "counted", "date_uncertain")


def aggregates(source: MemorySource, day: date) -> dict[str, Any]:
    """Every public breakdown on ``day`` as plain data (the open data's JSON)."""
    labels = Labeller("en")
    out: dict[str, Any] = {
        "as_of": day.isoformat(),
        "rule": "Partial dates count from their last possible day ('2021' from 31 December 2021); people whose "
                "dates are unknown are counted under 'date_uncertain', never in a status (decision 0015).",
        "held_statuses": sorted(tl.DETAINED),
        "dimensions": {},
    }
    for dimension in DIMENSION_ORDER:
        result = breakdown(source, day, dimension)
        out["dimensions"][dimension] = [
            {"value": r.value, "label": labels(dimension, r.value), "held": r.detained, "counted": r.counted,
             "date_uncertain": r.uncertain} for r in sorted(result.rows, key=lambda r: r.value)]
    return out


def series_data(source: MemorySource, first: date, last: date) -> dict[str, Any]:
    result = series(source, first, last)
    return {
        "from": first.strftime("%Y-%m"), "to": last.strftime("%Y-%m"),
        "months": [{"month": m.month.strftime("%Y-%m"), "detentions": m.detentions, "releases": m.releases,
                    "deaths": m.deaths} for m in result.months],
        "year_only": [{"year": year, "detentions": m.detentions, "releases": m.releases, "deaths": m.deaths}
                      for year, m in sorted(result.year_only.items())],
    }


def safe_cell(value: Any) -> str:
    """A CSV cell a spreadsheet will not run: text starting with = + - @ (or a tab or return) gets a leading '."""
    text = str(value)
    if text and text[0] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def aggregates_csv(data: dict[str, Any]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for dimension, rows in data["dimensions"].items():
        for row in rows:
            writer.writerow([safe_cell(x) for x in (data["as_of"], dimension, row["value"], row["label"], row["held"],
                                                    row["counted"], row["date_uncertain"])])
    return buffer.getvalue()


def series_csv(data: dict[str, Any]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(("month", "detentions", "releases", "deaths"))
    for row in data["months"]:
        writer.writerow([row["month"], row["detentions"], row["releases"], row["deaths"]])
    for row in data["year_only"]:
        writer.writerow([f"{row['year']} (month unknown)", row["detentions"], row["releases"], row["deaths"]])
    return buffer.getvalue()


def as_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False)

"""Exports of a filtered person list: rows read through THE projection, written as CSV, JSON Lines or XLSX.

The people are the person list's (``registry.listing.people_for`` with the
list's own filter form), narrowed to the organisations where the reader may
export; every person and every name is projected for that reader, so a field
or a record above the reader's ceiling is simply not there.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any

from django.db.models import Prefetch, QuerySet

from unforgotten import policy
from unforgotten.exchange.report import safe_cell
from unforgotten.registry import listing
from unforgotten.registry.forms import PersonFilterForm
from unforgotten.registry.models import ExternalId, Person, PersonName
from unforgotten.registry.views._common import Reader

FORMATS = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
PERSON_FIELDS = ("uuid", "display_name", "gender", "birth_date", "birth_place", "country", "citizenships",
                 "occupation", "occupation_detail", "current_status", "current_status_date", "death_date",
                 "recognition_outcome")
COLUMNS = (*PERSON_FIELDS, "names", "external_ids")
CHUNK = 2000


def people(user: Any, params: Any) -> tuple[QuerySet[Person], list[int]]:
    """The people to export and the organisations they may come from (where the user holds "export")."""
    from unforgotten.accounts.models import Organisation

    form = PersonFilterForm(params)
    slug = str(params.get("org", "")).strip()
    qs = listing.people_for(user, form, organisation_slug=slug)
    orgs = sorted(policy.organisation_ids(user, "export"))
    if slug:
        wanted = Organisation.objects.filter(slug=slug).values_list("pk", flat=True).first()
        orgs = [o for o in orgs if o == wanted]
    qs = qs.filter(organisation_id__in=orgs).order_by("sort_name", "id").prefetch_related(
        Prefetch("names", queryset=PersonName.objects.order_by("-is_primary", "id")),
        Prefetch("external_ids", queryset=ExternalId.objects.order_by("source", "value")))
    return qs, orgs


def records(user: Any, qs: QuerySet[Person], counts: dict[int, int]) -> Iterator[dict[str, Any]]:
    """One projected dict per person the user may see; ``counts`` gets the rows per organisation."""
    uid = int(user.pk or 0)
    teams = set(Person.case_team.through.objects.filter(user_id=uid).values_list("person_id", flat=True))
    for person in qs.iterator(chunk_size=CHUNK):
        reader = Reader(user, frozenset({uid}) if person.pk in teams else frozenset())
        shown = reader.show(person, PERSON_FIELDS)
        if not shown or "uuid" not in shown:
            continue
        out: dict[str, Any] = {name: shown.get(name) for name in PERSON_FIELDS if name in shown}
        out["uuid"] = str(out["uuid"])
        out["names"] = [n["text"] for n in (reader.show(name, ("text",)) for name in person.names.all())
                        if n and "text" in n]
        out["external_ids"] = [f"{e['source']}:{e['value']}" for e in
                               (reader.show(x, ("source", "value")) for x in person.external_ids.all())
                               if e and "source" in e and "value" in e]
        counts[person.organisation_id] = counts.get(person.organisation_id, 0) + 1
        yield out


def _flat(record: dict[str, Any], name: str) -> str:
    value = record.get(name)
    if value is None:
        return ""
    if isinstance(value, list):
        return " | ".join(str(x) for x in value)
    return str(value)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterator[dict[str, Any]]) -> Iterator[bytes]:
    writer = csv.writer(_Echo())
    yield ("\ufeff" + writer.writerow(COLUMNS)).encode()  # the BOM tells spreadsheet programs it is UTF-8
    for record in rows:
        yield writer.writerow([safe_cell(_flat(record, c)) for c in COLUMNS]).encode()


def jsonl_lines(rows: Iterator[dict[str, Any]]) -> Iterator[bytes]:
    for record in rows:
        yield (json.dumps({c: record.get(c) for c in COLUMNS if c in record}, ensure_ascii=False,
                          default=str) + "\n").encode()


def write_xlsx(rows: Iterator[dict[str, Any]], handle: Any) -> None:
    """A write-only workbook (rows go to disk as they come); every cell a string, formula-safe."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet("people")
    sheet.append(list(COLUMNS))
    for record in rows:
        cells = []
        for c in COLUMNS:
            cell = WriteOnlyCell(sheet, value=safe_cell(_flat(record, c)))
            cell.data_type = "s"  # text, never a formula, whatever it starts with
            cells.append(cell)
        sheet.append(cells)
    book.save(handle)

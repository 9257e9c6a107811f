"""The preview of an import: the first rows as they would be recorded, their errors and probable duplicates.

Reads only: nothing is written until the person confirms. Probable duplicates
are the cheap version: people of the same organisation and country sharing a
name token with the row (a substring search on the stored search key), scored
by the names engine; the name index replaces this once it exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from unforgotten.exchange.importer import Catalogue, check_row
from unforgotten.exchange.mapping import MappingError, RowError, load_mapping
from unforgotten.exchange.models import ImportRun
from unforgotten.exchange.readers import ReadError, RowProblem, open_table
from unforgotten.names import normalize, score, transliterate
from unforgotten.registry.models import ExternalId, PersonName
from unforgotten.registry.views._common import Reader

PREVIEW_ROWS = 20
DUPLICATE_SCORE = 0.85


@dataclass
class PreviewRow:
    line: int
    values: dict[str, str] = field(default_factory=dict)
    error: str = ""
    updates: bool = False
    duplicates: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Preview:
    columns: list[str] = field(default_factory=list)
    rows: list[PreviewRow] = field(default_factory=list)
    error: str = ""


def preview_rows(run: ImportRun, user: Any, limit: int = PREVIEW_ROWS) -> Preview:
    out = Preview()
    if not run.stored_path:
        out.error = "The uploaded file is no longer there."
        return out
    try:
        mapping = load_mapping(run.mapping_text)
        with open_table(run.stored_path, run.file_format) as table:
            out.columns = table.columns
            mapping.check_columns(table.columns)
            catalogue = Catalogue()
            today = timezone.localdate()
            for line, raw in table.rows:
                item = PreviewRow(line)
                out.rows.append(item)
                if isinstance(raw, RowProblem):
                    item.error = raw.reason
                else:
                    try:
                        row = mapping.convert(line, raw)
                        check_row(row, today)
                        if row.facility:
                            catalogue.facility(row.facility, row.country)
                        for charge in row.charges:
                            catalogue.article(charge, row.country)
                    except RowError as exc:
                        item.error = str(exc)
                    else:
                        item.values = {
                            "names": " · ".join(row.names), "external_id": row.external_id, "country": row.country,
                            "status": row.status, "status_date": str(row.status_date),
                            "birth_date": str(row.birth_date), "death_date": str(row.death_date),
                            "detention": f"{row.detention_start} {row.facility}".strip(),
                            "charges": ", ".join(row.charges),
                            "sentence": "" if row.sentence is None else
                            f"{row.sentence.sentence_type} {row.sentence.years}y {row.sentence.months}m".strip(),
                        }
                        item.updates = ExternalId.objects.filter(organisation_id=run.organisation_id,
                                                                 source=run.source_name,
                                                                 value=row.external_id).exists()
                        if not item.updates:
                            item.duplicates = probable_duplicates(run.organisation_id, row.country, row.names, user)
                if len(out.rows) >= limit:
                    break
    except (ReadError, MappingError) as exc:
        out.error = str(exc)
    return out


def probable_duplicates(organisation_id: int, country: str, names: list[str], user: Any,
                        limit: int = 3) -> list[dict[str, Any]]:
    """People of the organisation in the same country whose names score close to the row's (cheap version)."""
    latin = [t for n in names for t in transliterate(normalize(n)).lower().split()]
    latin = [t for t in latin if len(t) >= 3]
    if not latin:
        return []
    longest = max(latin, key=len)
    candidates = (PersonName.objects.filter(organisation_id=organisation_id, person__country=country,
                                            search_key__icontains=longest)
                  .select_related("person")[:200])
    best: dict[int, tuple[float, Any]] = {}
    for candidate in candidates:
        s = max(score(n, candidate.text) for n in names)
        if s >= DUPLICATE_SCORE and s > best.get(candidate.person_id, (0.0, None))[0]:
            best[candidate.person_id] = (s, candidate.person)
    out = []
    for s, person in sorted(best.values(), key=lambda x: -x[0])[:limit]:
        shown = Reader(user, frozenset()).show(person, ("uuid", "display_name"))
        if shown and "uuid" in shown:
            out.append({"uuid": shown["uuid"], "name": shown.get("display_name", ""), "score": round(s, 2)})
    return out

"""The bulk import path: source rows become registry rows, fast, in the caller's one transaction.

Called only by ``actions.do_import_people`` (which owns the transaction and the
one audit event of the run). Why a bulk path instead of the registry's action
functions row by row: see docs/decisions/0008-bulk-import.md. In short, new
people are written in batches (PostgreSQL ``COPY``, ``executemany`` on SQLite)
with the very rows ``do_create_person``, ``do_record_status``,
``do_add_detention``, ``do_add_case``, ``do_add_charge`` and ``do_add_sentence``
would write (same derived columns: display and sort names, search keys, slugs,
detention bounds, current status), after the same validation rules; people the
source already brought in (same organisation, source and external id) are
updated through the ORM so the registry's row history keeps every previous
value. Every record created or updated is cited to the import's
``registry.Source`` (a ``Citation`` whose note gives the run and the line).
"""

from __future__ import annotations

import json
import os
import re
import time
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import OperationalError, connection, models, transaction
from django.utils import timezone

from unforgotten.accounts.models import Organisation
from unforgotten.core.partialdate import PartialDate
from unforgotten.exchange.mapping import Mapping, PersonRow, RowConverter, RowError
from unforgotten.exchange.models import MAX_KEPT_ERRORS
from unforgotten.exchange.readers import ReadError, Row, RowProblem, Table
from unforgotten.names import detect_script, icu_active, normalize, transliterate
from unforgotten.registry import vocabularies as v
from unforgotten.registry.actions import ISO_15924
from unforgotten.registry.models import (
    Case,
    Charge,
    Citation,
    DetentionPeriod,
    ExternalId,
    Facility,
    LawArticle,
    Person,
    PersonName,
    Sentence,
    Source,
    StatusChange,
)
from unforgotten.registry.naming import search_key
from unforgotten.registry.scale import drop_secondary_indexes

# New people per batch: one COPY per table per batch. SQLite (tests, development) writes smaller ones.
BATCH = 5_000
BATCH_POSTGRES = 10_000
# On PostgreSQL under Linux, forked processes read, map and format the file while this one writes:
# one reads, WORKERS map and format batches in turn (see _forked).
FORK = True
WORKERS = 2
# A run expected to create at least this many people (and at least as many as the registry holds)
# drops the written tables' secondary indexes and builds them again at the end (see _maybe_drop_indexes).
REBUILD_INDEXES_FROM = 100_000
# Updates waiting for the rebuilt indexes; past this many the indexes are rebuilt at once.
DEFER_UPDATES_MAX = 20_000


def _start_methods() -> list[str]:
    import multiprocessing

    return multiprocessing.get_all_start_methods()


@dataclass
class ImportReport:
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    new_person_ids: list[int] = field(default_factory=list)
    seconds: float = 0.0
    # Where the run's time went, for benchmarks and slow-run reports: wall seconds of the writer's phases
    # ("wait" for the pipeline, "copy", "rebuild", "update") and CPU seconds of each process ("cpu_*").
    timings: dict[str, float] = field(default_factory=lambda: defaultdict(float))

    def skip(self, line: int, reason: str) -> None:
        self.skipped += 1
        if len(self.errors) < MAX_KEPT_ERRORS:
            self.errors.append((line, reason))


Progress = Callable[[ImportReport, float | None], None]


# --- checks the models' clean() would make ---------------------------------------------------------------


def check_row(row: PersonRow, today: Any) -> None:
    """The registry's own rules (model ``clean``), applied before anything is written."""
    for name in ("birth_date", "status_date", "detention_start", "death_date"):
        value: PartialDate = getattr(row, name)
        # Most dates are years before this one: no need to ask the full question.
        if value.year is not None and value.year >= today.year and value.definitely_after(today):
            raise RowError(f"{name} {value} is in the future")
    if not row.birth_date.is_unknown and not row.death_date.is_unknown and row.death_date.definitely_before(row.birth_date):
        raise RowError(f"the date of death ({row.death_date}) is before the birth date ({row.birth_date})")
    s = row.sentence
    if s is not None and s.sentence_type == v.SentenceType.IMPRISONMENT and not (s.years or s.months or s.days):
        raise RowError("the sentence has no length")


class Catalogue:
    """Facilities and law articles looked up by name, loaded once per run (they are a few hundred rows)."""

    def __init__(self) -> None:
        self.facilities: dict[tuple[str, str], int] = {}
        self.facilities_any: dict[str, set[int]] = defaultdict(set)
        for pk, name, others, country in Facility.objects.values_list("pk", "name", "other_names", "country"):
            for text in [name, *(others or [])]:
                key = _fold(str(text))
                self.facilities[(country, key)] = pk
                self.facilities_any[key].add(pk)
        self.articles: dict[tuple[str, str], int] = {}
        for a in LawArticle.objects.all():
            keys = {a.article, f"{a.code} {a.article}", f"art. {a.article}", f"article {a.article}", a.title}
            if a.part:
                keys = {f"{k} part {a.part}" for k in keys if k != a.title} | {f"{a.article}.{a.part}", a.title}
            for key in keys:
                if key:
                    self.articles.setdefault((a.country, _fold(key)), a.pk)

    def facility(self, name: str, country: str) -> int:
        key = _fold(name)
        found = self.facilities.get((country, key))
        if found is None:
            anywhere = self.facilities_any.get(key, set())
            if len(anywhere) == 1:
                return next(iter(anywhere))
            raise RowError(f"facility {name!r} is not in the catalogue; add it or map it in [values.facility]")
        return found

    def article(self, text: str, country: str) -> int:
        found = self.articles.get((country, _fold(text)))
        if found is None:
            raise RowError(f"charge {text!r} matches no law article of {country}; add the article to the catalogue "
                           "or map the text in [values.charges]")
        return found


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


# --- raw batch writing --------------------------------------------------------------------------------------

# COPY's text format: these four characters are escaped, NULL is \N.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_value(value: Any) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return _esc(value)
    return str(value)


def _esc(text: str) -> str:
    """Free text made COPY-safe (most names hold none of the four characters: checked before translating)."""
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        return text.translate(_COPY_ESCAPES)
    return text


def _nul(value: Any) -> Any:
    return "\\N" if value is None else value


_UNESCAPE = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}


def _uncopy(field: str) -> str | None:
    if field == "\\N":
        return None
    if "\\" in field:
        return re.sub(r"\\(.)", lambda m: _UNESCAPE[m.group(1)], field)
    return field


class _Rows:
    """Rows of one table as lines of COPY text: given columns first, then the model's defaults.

    Callers pass COPY-safe values (``_esc`` for free text, ``_nul`` for what
    may be missing, "t"/"f" for booleans), so a row costs one ``%``. A forked
    producer hands the parent these bytes to stream; SQLite (tests) gets the
    lines parsed back into tuples for ``executemany``.
    """

    def __init__(self, model: type[models.Model], columns: tuple[str, ...], now: Any, *, as_text: bool) -> None:
        self.model, self.table = model, model._meta.db_table
        fields = {str(f.column): f for f in model._meta.concrete_fields}
        rest = [c for c in fields if c not in columns]
        self.columns = (*columns, *rest)
        self.booleans = [i for i, c in enumerate(self.columns) if isinstance(fields[c], models.BooleanField)]
        tail = "".join("\t" + _copy_value(self._default(fields[c], now)).replace("%", "%%") for c in rest)
        self.fmt = "\t".join(["%s"] * len(columns)) + tail + "\n"
        self.as_text = as_text
        self.rows: list[str] = []

    @staticmethod
    def _default(f: Any, now: Any) -> Any:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            return now
        value = f.get_default()
        if isinstance(f, models.JSONField):
            return json.dumps(value)
        return value

    def add(self, *values: Any) -> None:
        self.rows.append(self.fmt % values)

    def take(self) -> Any:
        """COPY text (bytes) or a list of row tuples; b"" / [] when empty."""
        rows, self.rows = self.rows, []
        if self.as_text:
            return "".join(rows).encode()
        out = []
        for line in rows:
            row: list[Any] = [_uncopy(x) for x in line[:-1].split("\t")]
            for i in self.booleans:
                row[i] = row[i] == "t"
            out.append(tuple(row))
        return out


def _write(table: str, columns: tuple[str, ...], data: Any) -> None:
    """One round trip per table and batch: COPY (PostgreSQL) or executemany (SQLite)."""
    if not data:
        return
    quote = connection.ops.quote_name
    cols = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(table)} ({cols}) FROM STDIN") as copy:
                copy.write(data)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {quote(table)} ({cols}) VALUES ({marks})", data)  # noqa: S608


# Ids from the tables' sequences, one statement for every table of a batch. Each table's values come back
# as one range when they are consecutive (nobody else took values meanwhile: the usual case), else as the
# sorted list of the values taken.
_TAKE_IDS_SQL = (
    "WITH s AS MATERIALIZED ({draws}), b AS (SELECT t, min(v) AS lo, max(v) AS hi, count(*) AS n FROM s GROUP BY t) "
    "SELECT t, lo, hi, CASE WHEN hi - lo + 1 <> n THEN (SELECT array_agg(v ORDER BY v) FROM s WHERE s.t = b.t) END "
    "FROM b")
_DRAW_SQL = "SELECT {t} AS t, nextval(%s::regclass) AS v FROM generate_series(1, %s)"


class _Ids:
    """Primary keys handed out before the rows are written (the rows refer to each other).

    On PostgreSQL the tables' sequences hand them out, so concurrent writers
    never collide; sequences are not transactional, so a forked producer may
    take them on a connection of its own (``conninfo``) while the run's
    transaction stays with the parent.
    """

    def __init__(self, conninfo: dict[str, Any] | None = None) -> None:
        self.conninfo = conninfo
        self._own: Any = None
        self._sequences: dict[str, str] = {}

    def _cursor(self) -> Any:
        if self.conninfo is None:
            return connection.cursor()
        if self._own is None:
            import psycopg

            self._own = psycopg.connect(**self.conninfo, autocommit=True)
        return self._own.cursor()

    def take(self, model: type[models.Model], n: int) -> list[int]:
        return self.take_all({model: n})[model]

    def take_all(self, wanted: dict[type[models.Model], int]) -> dict[type[models.Model], list[int]]:
        """``n`` new ids of each model, in one round trip."""
        out: dict[type[models.Model], list[int]] = {model: [] for model in wanted}
        asked = [(model, n) for model, n in wanted.items() if n > 0]
        if not asked:
            return out
        if self.conninfo is not None or connection.vendor == "postgresql":
            with self._cursor() as cursor:
                params: list[Any] = []
                for model, n in asked:
                    params += [self._sequence(cursor, model._meta.db_table), n]
                draws = " UNION ALL ".join(_DRAW_SQL.format(t=i) for i in range(len(asked)))
                cursor.execute(_TAKE_IDS_SQL.format(draws=draws), params)
                for t, lo, hi, values in cursor.fetchall():
                    out[asked[t][0]] = [int(x) for x in values] if values is not None else list(range(lo, hi + 1))
            return out
        # SQLite (development and tests): one writer at a time. Asked afresh every batch, because
        # updates in between insert rows through the ORM.
        with connection.cursor() as cursor:
            for model, n in asked:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
                row = cursor.fetchone()
                start = int(row[0]) + 1 if row else 1
                out[model] = list(range(start, start + n))
        return out

    def _sequence(self, cursor: Any, table: str) -> str:
        found = self._sequences.get(table)
        if found is None:
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            row = cursor.fetchone()
            found = self._sequences[table] = str(row[0])
        return found

    def close(self) -> None:
        if self._own is not None:
            self._own.close()
            self._own = None


def _conninfo() -> dict[str, Any]:
    """How a forked producer reaches the same PostgreSQL database (for sequences only)."""
    params = connection.get_connection_params()
    return {k: params[k] for k in ("dbname", "user", "password", "host", "port", "sslmode", "options")
            if params.get(k) not in (None, "")}


# --- the producer: reading, mapping, checks and derived values, batch by batch -------------------------------


@dataclass
class Read:
    """Stage 1 → stage 2: source rows as read, each with whether its external id came earlier in the file."""

    rows: list[tuple[int, Row | RowProblem, bool]]
    position: float | None = None


@dataclass
class Batch:
    """What the producer hands the writer: rows to COPY, people to update, rows to report."""

    rows_read: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)  # table → COPY bytes or row tuples
    person_ids: list[int] = field(default_factory=list)
    # People the source brought before this run (their ids are known): updated by the writer.
    updates: list[tuple[PersonRow, dict[str, Any], int]] = field(default_factory=list)
    # Rows whose external id came earlier in the file: the writer decides (an update of the person the earlier
    # row created, or a new person when that row was skipped), since only it sees every batch before this one.
    repeats: list[tuple[PersonRow, dict[str, Any]]] = field(default_factory=list)
    position: float | None = None


class _Producer:
    """Turns source rows into batches. Plain data and no ORM, so it can run in forked processes.

    Stage 1 (``read``) reads the file and marks rows whose external id came
    earlier in it; stage 2 (``work``) maps and checks each row, decides
    create or update, and formats the new people's COPY text. Stage 2 needs
    nothing from the batches before its own, so several processes run it
    side by side, each on every other batch.
    """

    def __init__(self, importer: Importer, *, as_text: bool, batch: int) -> None:
        self.mapping, self.catalogue, self.today = importer.mapping, importer.catalogue, importer.today
        self.converter = RowConverter(importer.mapping)
        self.known = importer.known
        self.org_id, self.source_id, self.source_name = importer.org.pk, importer.source.pk, importer.source_name
        self.run_label, self.batch_size = importer.run_label, batch
        self.ids = _Ids()
        n = importer.now
        self.tables = {model: _Rows(model, columns, n, as_text=as_text) for model, columns in TABLES}

    def columns(self) -> dict[str, tuple[str, ...]]:
        return {t.table: t.columns for t in self.tables.values()}

    def batches(self, table: Table) -> Iterator[Batch]:
        """Both stages in this process (SQLite, or where processes cannot fork); each batch made when asked for."""
        for read in self.read(table):
            yield self.work(read)
        self.ids.close()

    def read(self, table: Table) -> Iterator[Read]:
        """Stage 1: the file's rows in batches of ``batch_size``, repeated external ids marked."""
        seen: set[str] = set()
        external_id = self.mapping.external_id
        position = table.position
        rows: list[tuple[int, Row | RowProblem, bool]] = []
        for line, raw in table.rows:
            if isinstance(raw, RowProblem):
                rows.append((line, raw, False))
            else:
                key = external_id(raw)
                rows.append((line, raw, key in seen))
                seen.add(key)
            if len(rows) >= self.batch_size:
                yield Read(rows, position() if position is not None else None)
                rows = []
        yield Read(rows, position() if position is not None else None)

    def work(self, read: Read) -> Batch:
        """Stage 2: map and check each row, decide create or update; ids and COPY text for the new people."""
        out = Batch(rows_read=len(read.rows), position=read.position)
        pending: list[tuple[PersonRow, dict[str, Any]]] = []
        convert, today, known, resolve = self.converter.convert, self.today, self.known, self._resolve
        for line, raw, repeat in read.rows:
            if isinstance(raw, RowProblem):
                out.skipped.append((line, raw.reason))
                continue
            try:
                row = convert(line, raw)
                check_row(row, today)
                refs = resolve(row)
            except RowError as exc:
                out.skipped.append((line, str(exc)))
                continue
            pid = known.get(row.external_id)
            if pid is not None:
                out.updates.append((row, refs, pid))
            elif repeat:
                out.repeats.append((row, refs))
            else:
                pending.append((row, refs))
        if pending:
            out.person_ids, out.data = self.create(pending)
        return out

    def create(self, rows: list[tuple[PersonRow, dict[str, Any]]]) -> tuple[list[int], dict[str, Any]]:
        """Ids and COPY text (or row tuples) of these new people."""
        person_ids = self._rows(rows)
        return person_ids, {t.table: t.take() for t in self.tables.values()}

    def _resolve(self, row: PersonRow) -> dict[str, Any]:
        """Catalogue ids the row names: a facility and law articles (RowError if unknown)."""
        refs: dict[str, Any] = {}
        if row.facility:
            refs["facility"] = self.catalogue.facility(row.facility, row.country)
        refs["articles"] = list(dict.fromkeys(self.catalogue.article(c, row.country) for c in row.charges))
        return refs

    def _rows(self, batch: list[tuple[PersonRow, dict[str, Any]]]) -> list[int]:
        """The rows ``do_create_person`` and the other registry actions would write for these new people."""
        t = self.tables
        t_person, t_name, t_ext, t_status = t[Person], t[PersonName], t[ExternalId], t[StatusChange]
        t_case, t_charge, t_sentence, t_detention = t[Case], t[Charge], t[Sentence], t[DetentionPeriod]
        n = len(batch)
        has_case = [bool(refs["articles"]) or r.sentence is not None for r, refs in batch]
        n_status, n_case = sum(1 for r, _ in batch if r.status), sum(has_case)
        n_detention = sum(1 for r, _ in batch if r.has_detention)
        ids = self.ids.take_all({
            Person: n, PersonName: sum(len(r.names) for r, _ in batch), ExternalId: n, StatusChange: n_status,
            Case: n_case, Charge: sum(len(refs["articles"]) for _, refs in batch),
            Sentence: sum(1 for r, _ in batch if r.sentence is not None), DetentionPeriod: n_detention,
            # One citation per record created: the person, its status change, case and detention.
            Citation: n + n_status + n_case + n_detention})
        person_ids = ids[Person]
        name_ids, ext_ids, status_ids = iter(ids[PersonName]), iter(ids[ExternalId]), iter(ids[StatusChange])
        case_ids, charge_ids = iter(ids[Case]), iter(ids[Charge])
        sentence_ids, detention_ids = iter(ids[Sentence]), iter(ids[DetentionPeriod])
        uuids = _uuid4_hex(n)
        cites: list[tuple[str, int, str]] = []
        org_id, source_name = self.org_id, _esc(self.source_name)
        legal, unknown_gender, other_occupation = str(v.NameKind.LEGAL), v.Gender.UNKNOWN, v.Occupation.OTHER
        at_large, dead_statuses = v.Status.AT_LARGE, (v.Status.EXECUTED, v.Status.DIED_IN_CUSTODY)
        # The busiest tables' lines are formatted here rather than through _Rows.add (a call less per row).
        name_add, name_fmt = t_name.rows.append, t_name.fmt
        person_add, person_fmt = t_person.rows.append, t_person.fmt
        ext_add, ext_fmt = t_ext.rows.append, t_ext.fmt
        status_add, status_fmt = t_status.rows.append, t_status.fmt
        label = self.run_label
        for (row, refs), pid, with_case, uuid_hex in zip(batch, person_ids, has_case, uuids, strict=True):
            latin_primary = slug = ""
            for i, text in enumerate(row.names):
                text = " ".join(text.split())
                if i == 0:
                    key, latin_primary, script, slug = _name_facts(text, with_slug=True)
                    name_add(name_fmt % (next(name_ids), org_id, pid, _esc(text), script, legal, "t", key))
                else:
                    key, _latin, script, _slug = _name_facts(text)
                    name_add(name_fmt % (next(name_ids), org_id, pid, _esc(text), script, legal, "f", key))
            display, sort = " ".join(row.names[0].split())[:300], latin_primary[:300]
            status = row.status or at_large
            dead = row.status in dead_statuses
            # Sort names and search keys are made of letters, digits, spaces and hyphens: COPY-safe as they are.
            person_add(person_fmt % (
                pid, org_id, uuid_hex, f"{slug}-i{pid}", row.gender or unknown_gender, row.birth_date,
                _esc(row.birth_place), row.country, row.occupation or other_occupation, _esc(row.occupation_detail),
                row.death_date, row.status if dead else "", _esc(row.notes), status,
                row.status_date if row.status else "", sort, _esc(display)))
            ext_add(ext_fmt % (next(ext_ids), org_id, pid, source_name, _esc(row.external_id)))
            note = _esc(f"{label}, line {row.line}; {row.source_url}" if row.source_url else f"{label}, line {row.line}")
            cites.append(("registry.person", pid, note))
            if row.status:
                sid = next(status_ids)
                status_add(status_fmt % (sid, org_id, pid, row.status, row.status_date))
                cites.append(("registry.statuschange", sid, note))
            case_id = None
            if with_case:
                case_id = next(case_ids)
                stage = v.ProceduralStage.SENTENCED if row.sentence is not None else v.ProceduralStage.INVESTIGATION
                t_case.add(case_id, org_id, pid, row.country, stage)
                cites.append(("registry.case", case_id, note))
                charge_status = v.ChargeStatus.CONVICTED if row.sentence is not None else v.ChargeStatus.CHARGED
                for article in refs["articles"]:
                    t_charge.add(next(charge_ids), org_id, case_id, article, charge_status)
                if row.sentence is not None:
                    s = row.sentence
                    t_sentence.add(next(sentence_ids), org_id, case_id, s.sentence_type, s.years, s.months,
                                   s.days, row.detention_start)
            if row.has_detention:
                did = next(detention_ids)
                lo, hi = row.detention_start.earliest(), row.detention_start.latest()
                t_detention.add(did, org_id, pid, _nul(case_id), row.detention_kind, row.detention_start,
                                lo.isoformat() if lo else "\\N", hi.isoformat() if hi else "\\N",
                                _nul(refs.get("facility")))
                cites.append(("registry.detentionperiod", did, note))
        cite_add, cite_fmt, source_id = t[Citation].rows.append, t[Citation].fmt, self.source_id
        for cid, (target_type, target_id, note) in zip(ids[Citation], cites, strict=True):
            cite_add(cite_fmt % (cid, org_id, source_id, target_type, target_id, note))
        return person_ids


def _uuid4_hex(n: int) -> list[str]:
    """``uuid.uuid4().hex`` n times, from one read of the system's random source (122 random bits each)."""
    raw = bytearray(os.urandom(16 * n))
    for i in range(6, 16 * n, 16):
        raw[i] = (raw[i] & 0x0F) | 0x40  # version 4
        raw[i + 2] = (raw[i + 2] & 0x3F) | 0x80  # RFC 4122 variant
    text = raw.hex()
    return [text[i:i + 32] for i in range(0, 32 * n, 32)]


# Written parents before children: the foreign keys are checked row by row.
TABLES: tuple[tuple[type[models.Model], tuple[str, ...]], ...] = (
    (Person, ("id", "organisation_id", "uuid", "slug", "gender", "birth_date", "birth_place", "country", "occupation",
              "occupation_detail", "death_date", "death_circumstances", "internal_notes", "current_status",
              "current_status_date", "sort_name", "display_name")),
    (PersonName, ("id", "organisation_id", "person_id", "text", "script", "kind", "is_primary", "search_key")),
    (ExternalId, ("id", "organisation_id", "person_id", "source", "value")),
    (StatusChange, ("id", "organisation_id", "person_id", "status", "effective")),
    (Case, ("id", "organisation_id", "person_id", "jurisdiction", "procedural_stage")),
    (Charge, ("id", "organisation_id", "case_id", "law_article_id", "status")),
    (Sentence, ("id", "organisation_id", "case_id", "sentence_type", "years", "months", "days", "counts_from")),
    (DetentionPeriod, ("id", "organisation_id", "person_id", "case_id", "kind", "start", "start_earliest",
                       "start_latest", "facility_id")),
    (Citation, ("id", "organisation_id", "source_id", "target_type", "target_id", "note")),
)


# The foreign keys a batch may fill, and what they point to (anything else must stay NULL).
_REFERENCES = {("organisation_id", Organisation), ("person_id", Person), ("case_id", Case), ("source_id", Source),
               ("facility_id", Facility), ("law_article_id", LawArticle)}


def _references_known() -> bool:
    """Every foreign key of the written tables is one _hold_references accounts for, or left NULL."""
    for model, columns in TABLES:
        for f in model._meta.concrete_fields:
            if not f.is_relation:
                continue
            if f.column in columns:
                if (f.column, f.related_model) not in _REFERENCES:
                    return False
            elif f.get_default() is not None:
                return False
    return True


def _registry_size() -> float:
    """How many people the registry holds, as the planner's statistics say (cheap; -1 when never counted)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [Person._meta.db_table])
        found = cursor.fetchone()
    return float(found[0]) if found else 0.0


# Unique constraints on values a run makes itself (random uuids; slugs that end in the person's id): a bulk load
# drops them with the secondary indexes and adds them back before the commit, which checks every row again.
# Keeping them would cost a random insert into a growing index per person. Not the external ids' constraint:
# the run looks people up through it.
_MADE_UNIQUE = ((Person, "uuid"), (Person, "slug"))


def _drop_made_unique(cursor: Any) -> list[tuple[str, str]]:
    """Drop the _MADE_UNIQUE constraints; return (name, ALTER TABLE … ADD CONSTRAINT …) to add them back."""
    out: list[tuple[str, str]] = []
    for model, column in _MADE_UNIQUE:
        table = connection.ops.quote_name(model._meta.db_table)
        cursor.execute(
            "SELECT c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c JOIN pg_attribute a "
            "ON a.attrelid = c.conrelid AND a.attnum = ALL(c.conkey) WHERE c.conrelid = %s::regclass "
            "AND c.contype = 'u' AND cardinality(c.conkey) = 1 AND a.attname = %s", [model._meta.db_table, column])
        for name, definition in cursor.fetchall():
            quoted = connection.ops.quote_name(str(name))
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quoted}")
            out.append((str(name), f"ALTER TABLE {table} ADD CONSTRAINT {quoted} {definition}"))
    return out


def _replica(on: bool) -> None:
    """Per-row triggers off (``replica``) or back on, for the rest of the transaction."""
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL session_replication_role TO {'replica' if on else 'DEFAULT'}")


def _forked(producer: _Producer, table: Table, workers: int, timings: dict[str, float]) -> Iterator[Batch]:
    """The producer's batches from forked processes (PostgreSQL on Linux), overlapping the COPYs.

    One process reads the file the parent opened (stage 1) and deals its
    batches in turn to ``workers`` processes (stage 2), each taking ids from
    the sequences on a connection of its own; the parent takes the finished
    batches back in the same turn, so they arrive in file order. No child
    touches the parent's connection: the run's one transaction stays in the
    parent, which only streams and updates. Each child's CPU seconds go into
    ``timings`` when it is done.
    """
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    inboxes = [ctx.Queue(maxsize=2) for _ in range(workers)]
    outboxes = [ctx.Queue(maxsize=2) for _ in range(workers)]
    producer.ids = _Ids(_conninfo())  # each child connects on first use
    parent = os.getpid()
    processes = [ctx.Process(target=_reader, args=(producer, table, inboxes, parent), daemon=True)]
    processes += [ctx.Process(target=_worker, args=(producer, inbox, outbox, parent), daemon=True)
                  for inbox, outbox in zip(inboxes, outboxes, strict=True)]
    for process in processes:
        process.start()
    try:
        turn = 0
        while True:
            kind, payload = _get(outboxes[turn % workers], processes)
            if kind == "batch":
                yield payload
                turn += 1
                continue
            if kind == "done":
                for key, seconds in payload.items():
                    timings[key] += seconds
                for other in range(1, workers):  # the others are done too: their CPU figures
                    kind, payload = _get(outboxes[(turn + other) % workers], processes)
                    for key, seconds in payload.items():
                        timings[key] += seconds
                return
            if kind == "read_error":
                message, line = payload
                error = ReadError(message)
                error.args, error.line = (message,), line
                raise error
            raise RuntimeError(f"the import's reading process failed:\n{payload}")
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
            process.join(timeout=10)


def _get(queue: Any, processes: list[Any]) -> tuple[str, Any]:
    """The next message on a queue; a child that died without saying why (killed, out of memory) fails the run."""
    import queue as queues

    while True:
        try:
            message: tuple[str, Any] = queue.get(timeout=5)
            return message
        except queues.Empty:
            dead = [p.exitcode for p in processes if p.exitcode not in (None, 0)]
            if dead:
                raise RuntimeError(f"an import process ended with exit code {dead[0]}") from None


class _Orphaned(Exception):
    """The parent is gone (killed): a forked stage stops instead of waiting on its queues for ever."""


def _put(queue: Any, message: tuple[str, Any], parent: int) -> None:
    import queue as queues

    while True:
        try:
            queue.put(message, timeout=5)
            return
        except queues.Full:
            if os.getppid() != parent:
                raise _Orphaned from None


def _take(queue: Any, parent: int) -> tuple[str, Any]:
    import queue as queues

    while True:
        try:
            message: tuple[str, Any] = queue.get(timeout=5)
            return message
        except queues.Empty:
            if os.getppid() != parent:
                raise _Orphaned from None


def _reader(producer: _Producer, table: Table, inboxes: list[Any], parent: int) -> None:
    """Stage 1, forked: batches of rows to the workers in turn, then "done" (or the failure) to each."""
    turn = 0
    try:
        for read in producer.read(table):
            _put(inboxes[turn % len(inboxes)], ("read", read), parent)
            turn += 1
        failure: tuple[str, Any] | None = None
    except _Orphaned:
        return
    except ReadError as exc:
        failure = ("read_error", (str(exc), exc.line))
    except BaseException:  # noqa: BLE001  (reported to the parent, which raises it)
        import traceback

        failure = ("error", traceback.format_exc())
    try:
        if failure is not None:
            _put(inboxes[turn % len(inboxes)], failure, parent)
            return
        for n, inbox in enumerate(inboxes):
            _put(inbox, ("done", {"cpu_read": time.process_time()} if n == 0 else {}), parent)
    except _Orphaned:
        return


def _worker(producer: _Producer, inbox: Any, outbox: Any, parent: int) -> None:
    """Stage 2, forked: each batch it is dealt, mapped, checked and formatted, to the parent."""
    try:
        while True:
            kind, payload = _take(inbox, parent)
            if kind == "read":
                _put(outbox, ("batch", producer.work(payload)), parent)
            elif kind == "done":
                _put(outbox, ("done", {**payload, "cpu_work": time.process_time()}), parent)
                return
            else:
                _put(outbox, (kind, payload), parent)  # the reader's failure, passed on in its turn
                return
    except _Orphaned:
        return
    except BaseException:  # noqa: BLE001  (reported to the parent, which raises it)
        import traceback

        outbox.put(("error", traceback.format_exc()))
    finally:
        producer.ids.close()


# --- the run ---------------------------------------------------------------------------------------------------


class Importer:
    def __init__(self, *, organisation: Organisation, source: Source, source_name: str, mapping: Mapping,
                 acting_user: Any, run_label: str, progress: Progress | None = None) -> None:
        self.org, self.source, self.source_name, self.mapping = organisation, source, source_name, mapping
        self.user, self.run_label, self.progress = acting_user, run_label, progress
        self.report = ImportReport()
        self.catalogue = Catalogue()
        self.today = timezone.localdate()
        self.now = connection.ops.adapt_datetimefield_value(timezone.now())
        self.renamed: list[int] = []  # people whose names this run wrote (for the name index)
        # external id → person id, for this organisation and source: decides create or update.
        self.known: dict[str, int] = dict(ExternalId.objects.filter(
            organisation=organisation, source=source_name).values_list("value", "person_id"))
        self.dropped: list[tuple[str, str]] | None = None  # secondary indexes dropped for this run (None: undecided)
        self.deferred: list[tuple[PersonRow, dict[str, Any], int]] = []

    def run(self, table: Table) -> ImportReport:
        started = time.perf_counter()
        self.mapping.check_columns(table.columns)
        postgres = connection.vendor == "postgresql"
        size = BATCH_POSTGRES if postgres else BATCH
        producer = _Producer(self, as_text=postgres, batch=size)
        self.columns = producer.columns()
        # People created here (rows whose external id came earlier in the file, when those rows were skipped).
        self.local = _Producer(self, as_text=postgres, batch=size)
        fork = postgres and FORK and "fork" in _start_methods()
        timings = self.report.timings
        batches = _forked(producer, table, WORKERS, timings) if fork else producer.batches(table)
        self.skip_fk_triggers = postgres and self._hold_references()
        cpu_started = time.process_time()
        clock = time.perf_counter()
        for batch in batches:
            timings["wait"] += time.perf_counter() - clock
            report = self.report
            report.rows_read += batch.rows_read
            for line, reason in batch.skipped:
                report.skip(line, reason)
            if self.dropped is None and postgres:
                # Decided on the first batch, before it is written: a bulk load writes none of its rows
                # into the indexes it is about to drop.
                self.dropped = self._maybe_drop_indexes(batch)
            self._write(batch.data, batch.person_ids)
            for row, refs, pid in batch.updates:
                self._apply(row, refs, pid)
            for row, refs in batch.repeats:
                self._repeat(row, refs)
            if self.progress is not None:
                self.progress(report, batch.position)
            clock = time.perf_counter()
        self._rebuild_indexes()
        names_changed(self.org.pk, self.renamed)
        timings["cpu_writer"] += time.process_time() - cpu_started
        self.report.seconds = time.perf_counter() - started
        if self.progress is not None:
            self.progress(self.report, 1.0)
        return self.report

    def _write(self, data: dict[str, Any], person_ids: list[int]) -> None:
        """One COPY per table of new people's rows (the foreign-key triggers off when they may be)."""
        started = time.perf_counter()
        if data:
            if self.skip_fk_triggers:
                _replica(True)
            for name, rows in data.items():
                _write(name, self.columns[name], rows)
            if self.skip_fk_triggers:
                _replica(False)
        self.report.created += len(person_ids)
        self.report.new_person_ids.extend(person_ids)
        self.renamed.extend(person_ids)
        self.report.timings["copy"] += time.perf_counter() - started

    def _apply(self, row: PersonRow, refs: dict[str, Any], person_id: int) -> None:
        """Update a person now, or after the index rebuild when the indexes are dropped.

        Without their indexes, the tables make row-by-row updates slow: those wait
        for the rebuild (an update only ever touches its own person, so doing it
        later changes nothing).
        """
        if self.dropped:
            self.deferred.append((row, refs, person_id))
            if len(self.deferred) > DEFER_UPDATES_MAX:
                self._rebuild_indexes()
            return
        started = time.perf_counter()
        self._update(row, refs, person_id)
        self.report.timings["update"] += time.perf_counter() - started

    def _repeat(self, row: PersonRow, refs: dict[str, Any]) -> None:
        """A row whose external id came earlier in the file: it updates the person the first good one created.

        When every earlier row with this id was skipped, this row is the first
        good one: it creates the person (as the earlier row would have).
        """
        person_id = ExternalId.objects.filter(organisation=self.org, source=self.source_name,
                                              value=row.external_id).values_list("person_id", flat=True).first()
        if person_id is None:
            self._write(*reversed(self.local.create([(row, refs)])))
        else:
            self._apply(row, refs, person_id)

    # --- foreign keys, for a bulk load ---------------------------------------------------------------------------

    def _hold_references(self) -> bool:
        """Whether the batches' foreign-key triggers may be skipped, because the keys hold by construction.

        Every row the batches write refers only to rows written before it in
        this transaction (people, cases) or to the organisation, the source and
        catalogue entries (facilities, law articles), which are locked here
        against deletion until the commit (``FOR KEY SHARE``, what the
        triggers themselves would take). Skipping the per-row triggers
        (``session_replication_role = replica``, as ``pg_restore
        --disable-triggers`` does) needs a superuser; otherwise the checks run.
        The tables have no other triggers (checked).
        """
        if not _references_known():
            return False
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            row = cursor.fetchone()
            if not (row and row[0]):
                return False
            cursor.execute("SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgrelid = ANY(%s::regclass[])",
                           [[m._meta.db_table for m, _c in TABLES]])
            row = cursor.fetchone()
            if row and row[0]:
                return False
            locks = ((Organisation, [self.org.pk]), (Source, [self.source.pk]),
                     (Facility, sorted(set(self.catalogue.facilities.values()))),
                     (LawArticle, sorted(set(self.catalogue.articles.values()))))
            for model, pks in locks:
                if pks:
                    cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(model._meta.db_table)} "  # noqa: S608
                                   "WHERE id = ANY(%s) FOR KEY SHARE", [pks])
        return True

    # --- secondary indexes, for a bulk load ------------------------------------------------------------------

    def _maybe_drop_indexes(self, first: Batch) -> list[tuple[str, str]]:
        """Drop the written tables' secondary indexes (and _MADE_UNIQUE's constraints) for a bulk load; [] if not.

        A bulk load is one expected to create at least ``REBUILD_INDEXES_FROM``
        people and at least as many as the registry holds: building the indexes
        once at the end is then cheaper than updating them row by row. It
        happens in the run's transaction (a failure restores them) and takes
        the tables' exclusive lock until the commit, so readers of the registry
        wait for the run; if another session holds a lock, the run does not wait
        for it but keeps the indexes.
        """
        if first.rows_read == 0 or not first.person_ids:
            return []
        expected = first.rows_read / first.position if first.position else first.rows_read
        expected_new = expected * len(first.person_ids) / first.rows_read
        if expected_new < REBUILD_INDEXES_FROM:
            return []
        if expected_new < _registry_size():
            return []
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout TO '2s'")
                dropped = drop_secondary_indexes([m for m, _c in TABLES]) + _drop_made_unique(cursor)
                cursor.execute("SET LOCAL lock_timeout TO DEFAULT")
        except OperationalError:
            return []  # the lock was not free: keep the indexes, load row by row
        return dropped

    def _rebuild_indexes(self) -> None:
        started = time.perf_counter()
        if self.dropped:
            with connection.cursor() as cursor:
                # The foreign keys are deferred to the commit, and an index cannot be built on a table
                # with checks pending: run them now (the same checks), then defer again.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                cursor.execute("SET LOCAL maintenance_work_mem TO '256MB'")
                for _name, definition in self.dropped:
                    cursor.execute(definition)
        self.dropped = []
        self.report.timings["rebuild"] += time.perf_counter() - started
        deferred, self.deferred = self.deferred, []
        for row, refs, pid in deferred:
            self._apply(row, refs, pid)

    def _note(self, row: PersonRow) -> str:
        return f"{self.run_label}, line {row.line}" + (f"; {row.source_url}" if row.source_url else "")


    # --- people the source brought before: updated through the ORM (history keeps the old values) --------------

    def _update(self, row: PersonRow, refs: dict[str, Any], person_id: int) -> None:
        person = Person.objects.get(pk=person_id)
        person._history_user = self.user if getattr(self.user, "is_authenticated", False) else None  # type: ignore[attr-defined]
        changed = False
        note = self._note(row)
        fields = {"birth_date": row.birth_date if not row.birth_date.is_unknown else None,
                  "death_date": row.death_date if not row.death_date.is_unknown else None,
                  "birth_place": row.birth_place or None, "country": row.country or None,
                  "gender": row.gender or None, "occupation": row.occupation or None,
                  "occupation_detail": row.occupation_detail or None, "internal_notes": row.notes or None}
        if not person.history.exists():
            # Written in bulk, the person has no history row yet: keep the state as first imported,
            # so the history shows what this update replaced.
            Person.history.bulk_history_create([person], default_change_reason="as imported")
        dirty = [name for name, value in fields.items() if value is not None and getattr(person, name) != value]
        for name in dirty:
            setattr(person, name, fields[name])
        if dirty:
            person.save(update_fields=[*dirty, "updated_at"])
            changed = True
        present = {_fold(n.text) for n in person.names.all()}
        new_names = [n for n in row.names if _fold(n) not in present]
        for text in new_names:
            text = " ".join(text.split())
            PersonName.objects.create(organisation=self.org, person=person, text=text,
                                      script=ISO_15924.get(detect_script(text), ""), kind=v.NameKind.LEGAL,
                                      is_primary=False, search_key=search_key(text))
        if new_names:
            changed = True
            self.renamed.append(person.pk)
        created: list[models.Model] = []
        # The same status again is no change (lists repeat a missing person every year); another status is.
        if row.status and row.status != person.current_status and not person.status_changes.filter(
                status=row.status, effective=str(row.status_date)).exists():
            created.append(StatusChange.objects.create(organisation=self.org, person=person, status=row.status,
                                                       effective=str(row.status_date)))
            changes = list(person.status_changes.all())
            latest = max(changes, key=lambda c: (c.effective.sort_key(), c.pk))
            person.current_status, person.current_status_date = latest.status, latest.effective
            person.save(update_fields=["current_status", "current_status_date", "updated_at"])
        case = None
        if refs["articles"] or row.sentence is not None:
            cited = Citation.objects.filter(source=self.source, target_type="registry.case").values_list("target_id")
            case = person.cases.filter(pk__in=cited).first()
            if case is None:
                case = Case.objects.create(organisation=self.org, person=person, jurisdiction=row.country)
                created.append(case)
            have = set(case.charges.values_list("law_article_id", flat=True))
            for article in refs["articles"]:
                if article not in have:
                    Charge.objects.create(organisation=self.org, case=case, law_article_id=article,
                                          status=v.ChargeStatus.CONVICTED if row.sentence else v.ChargeStatus.CHARGED)
                    changed = True
            s = row.sentence
            if s is not None and not case.sentences.filter(sentence_type=s.sentence_type, years=s.years,
                                                           months=s.months, days=s.days).exists():
                Sentence.objects.create(organisation=self.org, case=case, sentence_type=s.sentence_type,
                                        years=s.years, months=s.months, days=s.days, counts_from=str(row.detention_start))
                changed = True
        facility_id: int | None = refs.get("facility")
        same_place = {"facility_id": facility_id} if facility_id is not None else {"facility__isnull": True}
        if row.has_detention and not person.detentions.filter(start=str(row.detention_start), **same_place).exists():
            created.append(DetentionPeriod.objects.create(
                organisation=self.org, person=person, case=case, kind=row.detention_kind, start=str(row.detention_start),
                facility_id=facility_id))
        changed = changed or bool(created)
        if changed:
            self.report.updated += 1
            Citation.objects.bulk_create(
                [Citation(organisation=self.org, source=self.source, target_type="registry.person",
                          target_id=person.pk, note=note)]
                + [Citation(organisation=self.org, source=self.source,
                            target_type=f"{obj._meta.app_label}.{obj._meta.model_name}", target_id=obj.pk, note=note)
                   for obj in created])
        else:
            self.report.unchanged += 1


def name_keys(text: str) -> tuple[str, str]:
    """(search key, transliterated lower-case form) of one name, normalising and transliterating once.

    The same values as ``registry.naming.search_key`` and the sort name of
    ``display_and_sort_name`` (tests hold them equal, on real and on random
    text). Names repeat their words enormously (a million people share a few
    thousand given names and surnames), so the work is done once per
    whitespace-separated word and memoised: ``normalize`` maps characters one
    by one and turns whitespace into the word separator, and ``transliterate``
    works word by word, so a name's forms are its words' forms joined.
    """
    key, latin, _script, _slug = _name_facts(text)
    return key, latin


def _name_facts(text: str, *, with_slug: bool = False) -> tuple[str, str, str, str]:
    """(search key, latin form, ISO 15924 script code, slug base) of one name whose words are single-spaced.

    Besides ``name_keys``, from the same memoised words: the script is
    ``detect_script``'s, which counts letters per script (a sum over the
    words); the slug base is ``slugify(latin)[:80] or "person"``, whose
    character-by-character part (NFKD, ASCII, lower case, dropping all but
    word characters, spaces and hyphens) is done per word, and whose dash
    folding and trimming is done on the joined words. Tests hold all four
    equal to the registry's functions on random text.
    """
    words = text.split()
    memo = _WORD_KEYS[icu_active()]
    if len(words) == 1:
        norm, latin, counts, piece, script = memo.get(words[0]) or _word(words[0])
        script = script or _dominant(counts)
        pieces = piece if latin else ""
    else:
        parts = [memo.get(w) or _word(w) for w in words]
        norm = " ".join(p[0] for p in parts if p[0])
        latin = " ".join(p[1] for p in parts if p[1])
        pieces = " ".join(p[3] for p in parts if p[1]) if with_slug else ""
        script = parts[0][4] if parts else ""
        if not script or any(p[4] != script for p in parts):  # words of several scripts (or none): count letters
            scripts: dict[str, int] = {}
            for p in parts:
                for name, count in p[2].items():
                    scripts[name] = scripts.get(name, 0) + count
            script = _dominant(scripts)
    slug = (_DASHES.sub("-", pieces).strip("-_")[:80] or "person") if with_slug else ""
    return f"{norm} {latin}"[:400], latin, ISO_15924.get(script, ""), slug


def _dominant(scripts: dict[str, int]) -> str:
    """detect_script's choice among letters counted per script."""
    if not scripts:
        return "unknown"
    if "kana" in scripts and "han" in scripts:
        return "kana"
    return max(sorted(scripts), key=lambda s: scripts[s])


_Word = tuple[str, str, dict[str, int], str, str]
_WORD_KEYS: dict[bool, dict[str, _Word]] = {True: {}, False: {}}  # per transliterator (ICU or not)
_WORD_KEYS_MAX = 500_000
_NOT_SLUG = re.compile(r"[^\w\s-]")
_DASHES = re.compile(r"[-\s]+")


def _word(word: str) -> _Word:
    """(normalised, latin, letters per script, slug piece, the script if only one) of one word, memoised.

    The dict is shared between calls: read only.
    """
    memo = _WORD_KEYS[icu_active()]
    found = memo.get(word)
    if found is None:
        norm = normalize(word)
        latin = transliterate(norm).lower()
        counts: dict[str, int] = {}
        for ch in word:  # detect_script of one character: its script, or "unknown" for no letter
            script = detect_script(ch)
            if script != "unknown":
                counts[script] = counts.get(script, 0) + 1
        # slugify's per-character part (django.utils.text.slugify, allow_unicode=False).
        piece = _NOT_SLUG.sub("", unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").decode("ascii").lower())
        found = (norm, latin, counts, piece, _dominant(counts) if len(counts) == 1 else "")
        if len(memo) >= _WORD_KEYS_MAX:
            memo.clear()
        memo[word] = found
    return found


# Above this many people, the name index is told "rebuild" once rather than one change row per person.
NAME_INDEX_BULK_FROM = 50_000


def names_changed(organisation_id: int, person_ids: list[int]) -> None:
    """Tell the registry's name index (registry/search.py) that these people's names were written.

    In the run's transaction, like the registry's actions: a rolled-back import
    leaves no change rows. A large import asks every process to rebuild its
    index once instead of re-reading a million people one by one.
    """
    from unforgotten.registry import search

    if not person_ids:
        return
    if len(person_ids) >= NAME_INDEX_BULK_FROM:
        search.note_bulk_change()
    else:
        search.note_people_changed((pid, organisation_id) for pid in person_ids)

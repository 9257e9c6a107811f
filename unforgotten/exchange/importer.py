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
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models
from django.utils import timezone
from django.utils.text import slugify

from unforgotten.accounts.models import Organisation
from unforgotten.core.partialdate import PartialDate
from unforgotten.exchange.mapping import Mapping, PersonRow, RowError
from unforgotten.exchange.models import MAX_KEPT_ERRORS
from unforgotten.exchange.readers import RowProblem, Table
from unforgotten.names import detect_script, normalize, transliterate
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

BATCH = 5_000


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


class _Rows:
    """Rows of one table, given columns first, then the model's defaults for every other column."""

    def __init__(self, model: type[models.Model], columns: tuple[str, ...], now: Any) -> None:
        self.model, self.table = model, model._meta.db_table
        fields = {str(f.column): f for f in model._meta.concrete_fields}
        self.rest = [c for c in fields if c not in columns]
        self.columns = (*columns, *self.rest)
        self.tail = tuple(self._default(fields[c], now) for c in self.rest)
        self.rows: list[tuple[Any, ...]] = []

    @staticmethod
    def _default(f: Any, now: Any) -> Any:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            return now
        value = f.get_default()
        if isinstance(f, models.JSONField):
            return json.dumps(value)
        return value

    def add(self, *values: Any) -> None:
        self.rows.append(values + self.tail)

    def write(self) -> None:
        if not self.rows:
            return
        quote = connection.ops.quote_name
        cols = ", ".join(quote(c) for c in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {quote(self.table)} ({cols}) FROM STDIN") as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(f"INSERT INTO {quote(self.table)} ({cols}) VALUES ({marks})", self.rows)  # noqa: S608
        self.rows = []


class _Ids:
    """Primary keys handed out before the rows are written (the rows refer to each other)."""

    def take(self, model: type[models.Model], n: int) -> list[int]:
        if n <= 0:
            return []
        table = model._meta.db_table
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # The sequence hands out the ids, so concurrent writers never collide.
                cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                               [table, n])
                return [int(r[0]) for r in cursor.fetchall()]
        # SQLite (development and tests): one writer at a time. Asked afresh every batch, because
        # updates in between insert rows through the ORM; each table is taken once per batch.
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            row = cursor.fetchone()
        start = int(row[0]) + 1 if row else 1
        return list(range(start, start + n))


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
        self.ids = _Ids()
        self.renamed: list[int] = []  # people whose names this run wrote (for the name index)
        # external id → person id, for this organisation and source: decides create or update.
        self.known: dict[str, int] = dict(ExternalId.objects.filter(
            organisation=organisation, source=source_name).values_list("value", "person_id"))
        n = self.now
        self.t_person = _Rows(Person, ("id", "organisation_id", "uuid", "slug", "gender", "birth_date", "birth_place",
                                       "country", "occupation", "occupation_detail", "death_date",
                                       "death_circumstances", "internal_notes", "current_status",
                                       "current_status_date", "sort_name", "display_name"), n)
        self.t_name = _Rows(PersonName, ("id", "organisation_id", "person_id", "text", "script", "kind", "is_primary",
                                         "search_key"), n)
        self.t_ext = _Rows(ExternalId, ("id", "organisation_id", "person_id", "source", "value"), n)
        self.t_status = _Rows(StatusChange, ("id", "organisation_id", "person_id", "status", "effective"), n)
        self.t_case = _Rows(Case, ("id", "organisation_id", "person_id", "jurisdiction", "procedural_stage"), n)
        self.t_charge = _Rows(Charge, ("id", "organisation_id", "case_id", "law_article_id", "status"), n)
        self.t_sentence = _Rows(Sentence, ("id", "organisation_id", "case_id", "sentence_type", "years", "months",
                                           "days", "counts_from"), n)
        self.t_detention = _Rows(DetentionPeriod, ("id", "organisation_id", "person_id", "case_id", "kind", "start",
                                                   "start_earliest", "start_latest", "facility_id"), n)
        self.t_cite = _Rows(Citation, ("id", "organisation_id", "source_id", "target_type", "target_id", "note"), n)

    def run(self, table: Table) -> ImportReport:
        started = time.perf_counter()
        self.mapping.check_columns(table.columns)
        pending: list[tuple[PersonRow, dict[str, Any]]] = []
        pending_ids: set[str] = set()
        position = table.position
        for line, raw in table.rows:
            self.report.rows_read += 1
            if isinstance(raw, RowProblem):
                self.report.skip(line, raw.reason)
                continue
            try:
                row = self.mapping.convert(line, raw)
                check_row(row, self.today)
                refs = self._resolve(row)
            except RowError as exc:
                self.report.skip(line, str(exc))
                continue
            if row.external_id in pending_ids:
                # The same person twice in one file: the first is written, the second updates it.
                self._flush(pending)
                pending, pending_ids = [], set()
            if row.external_id in self.known:
                self._update(row, refs)
            else:
                pending.append((row, refs))
                pending_ids.add(row.external_id)
                if len(pending) >= BATCH:
                    self._flush(pending)
                    pending, pending_ids = [], set()
            if self.progress is not None and self.report.rows_read % 1000 == 0:
                self.progress(self.report, position() if position is not None else None)
        self._flush(pending)
        names_changed(self.org.pk, self.renamed)
        self.report.seconds = time.perf_counter() - started
        if self.progress is not None:
            self.progress(self.report, 1.0)
        return self.report

    def _resolve(self, row: PersonRow) -> dict[str, Any]:
        """Catalogue ids the row names: a facility and law articles (RowError if unknown)."""
        refs: dict[str, Any] = {}
        if row.facility:
            refs["facility"] = self.catalogue.facility(row.facility, row.country)
        refs["articles"] = list(dict.fromkeys(self.catalogue.article(c, row.country) for c in row.charges))
        return refs

    def _note(self, row: PersonRow) -> str:
        return f"{self.run_label}, line {row.line}" + (f"; {row.source_url}" if row.source_url else "")

    # --- new people, in batches ------------------------------------------------------------------------------

    def _flush(self, batch: list[tuple[PersonRow, dict[str, Any]]]) -> None:
        if not batch:
            return
        ids = self.ids
        n = len(batch)
        person_ids = ids.take(Person, n)
        name_ids = iter(ids.take(PersonName, sum(len(r.names) for r, _ in batch)))
        ext_ids = iter(ids.take(ExternalId, n))
        status_ids = iter(ids.take(StatusChange, sum(1 for r, _ in batch if r.status)))
        has_case = [bool(refs["articles"]) or r.sentence is not None for r, refs in batch]
        case_ids = iter(ids.take(Case, sum(has_case)))
        charge_ids = iter(ids.take(Charge, sum(len(refs["articles"]) for _, refs in batch)))
        sentence_ids = iter(ids.take(Sentence, sum(1 for r, _ in batch if r.sentence is not None)))
        detention_ids = iter(ids.take(DetentionPeriod, sum(1 for r, _ in batch if r.has_detention)))
        cites: list[tuple[str, int, str]] = []
        org_id = self.org.pk
        for (row, refs), pid, with_case in zip(batch, person_ids, has_case, strict=True):
            primary = " ".join(row.names[0].split())
            latin_primary = ""
            for i, text in enumerate(row.names):
                text = " ".join(text.split())
                key, latin = name_keys(text)
                if i == 0:
                    latin_primary = latin
                self.t_name.add(next(name_ids), org_id, pid, text, ISO_15924.get(detect_script(text), ""),
                                v.NameKind.LEGAL, i == 0, key)
            display, sort = primary[:300], latin_primary[:300]
            status = row.status or v.Status.AT_LARGE
            dead = row.status in (v.Status.EXECUTED, v.Status.DIED_IN_CUSTODY)
            base = slugify(latin_primary)[:80] or "person"
            self.t_person.add(pid, org_id, uuid.uuid4().hex, f"{base}-i{pid}", row.gender or v.Gender.UNKNOWN,
                              str(row.birth_date), row.birth_place, row.country, row.occupation or v.Occupation.OTHER,
                              row.occupation_detail, str(row.death_date), row.status if dead else "", row.notes,
                              status, str(row.status_date) if row.status else "", sort, display)
            self.t_ext.add(next(ext_ids), org_id, pid, self.source_name, row.external_id)
            note = self._note(row)
            cites.append(("registry.person", pid, note))
            if row.status:
                sid = next(status_ids)
                self.t_status.add(sid, org_id, pid, row.status, str(row.status_date))
                cites.append(("registry.statuschange", sid, note))
            case_id = None
            if with_case:
                case_id = next(case_ids)
                stage = v.ProceduralStage.SENTENCED if row.sentence is not None else v.ProceduralStage.INVESTIGATION
                self.t_case.add(case_id, org_id, pid, row.country, stage)
                cites.append(("registry.case", case_id, note))
                charge_status = v.ChargeStatus.CONVICTED if row.sentence is not None else v.ChargeStatus.CHARGED
                for article in refs["articles"]:
                    self.t_charge.add(next(charge_ids), org_id, case_id, article, charge_status)
                if row.sentence is not None:
                    s = row.sentence
                    self.t_sentence.add(next(sentence_ids), org_id, case_id, s.sentence_type, s.years, s.months,
                                        s.days, str(row.detention_start))
            if row.has_detention:
                did = next(detention_ids)
                lo, hi = row.detention_start.earliest(), row.detention_start.latest()
                self.t_detention.add(did, org_id, pid, case_id, row.detention_kind, str(row.detention_start),
                                     lo.isoformat() if lo else None, hi.isoformat() if hi else None,
                                     refs.get("facility"))
                cites.append(("registry.detentionperiod", did, note))
            self.known[row.external_id] = pid
        for cid, (target_type, target_id, note) in zip(ids.take(Citation, len(cites)), cites, strict=True):
            self.t_cite.add(cid, org_id, self.source.pk, target_type, target_id, note)
        # Parents before children: the foreign keys are checked row by row.
        for rows in (self.t_person, self.t_name, self.t_ext, self.t_status, self.t_case, self.t_charge,
                     self.t_sentence, self.t_detention, self.t_cite):
            rows.write()
        self.report.created += n
        self.report.new_person_ids.extend(person_ids)
        self.renamed.extend(person_ids)

    # --- people the source brought before: updated through the ORM (history keeps the old values) --------------

    def _update(self, row: PersonRow, refs: dict[str, Any]) -> None:
        person = Person.objects.get(pk=self.known[row.external_id])
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
    ``display_and_sort_name`` (a test holds them equal); computed together
    because transliteration is most of an import's time.
    """
    norm = normalize(text)
    latin = transliterate(norm).lower()
    return f"{norm} {latin}"[:400], latin


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

"""Keeping the precomputed tables in step with the registry, and rebuilding them (decision 0015).

Two ways in, one definition of what is counted:

- ``refresh_person(person_id)``: called by the registry's signals inside the
  transaction of the change, so a change and its statistics commit together.
  The person's old rows are taken out of the day and month totals, new spans
  are computed (``timeline.spans_for``) and put back in.
- ``rebuild(organisation_id)``: everything of one organisation from scratch:
  after a bulk load that bypassed the actions (imports, scale data), from the
  nightly job, or by ``unforgotten stats-rebuild``.

Both read the registry through the staff projection of the owning organisation
(``project(obj, Audience("staff", org))``): a record raised above internal as a
whole is not counted; a field raised above it counts as "undisclosed". Both turn
spans into totals with the same SQL (``_contributions_sql``), so an incremental
update and a rebuild always agree (a test checks it on random histories).
"""

from __future__ import annotations

import functools
import itertools
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from unforgotten.core.partialdate import InvalidPartialDate, PartialDate
from unforgotten.policy.projection import Audience, project
from unforgotten.registry.models import (
    Case,
    Charge,
    DetentionPeriod,
    NameIndexChange,
    Person,
    RecognitionDecision,
    StatusChange,
)
from unforgotten.stats import timeline as tl
from unforgotten.stats.models import DayDelta, MonthDelta, Span, TagSpan, Watermark

SPAN_COLUMNS = ("organisation_id", "person_id", "start", "end", "status", "prev_status", "entered_precision", "flow",
                "country", "gender", "occupation", "recognition", "facility")
TAG_COLUMNS = ("organisation_id", "person_id", "dimension", "value", "start", "end")

PERSON_FIELDS = ("country", "gender", "occupation")
STATUS_FIELDS = ("status", "effective")
DETENTION_FIELDS = ("start", "end", "facility_id")
DECISION_FIELDS = ("outcome", "decided_on")
CASE_FIELDS = ("theme", "opened_on")
CHARGE_FIELDS = ("law_article_id", "brought_on")


def staff(organisation_id: int) -> Audience:
    """The audience the organisation's figures are read as: its staff (not a case team)."""
    return Audience(kind="staff", organisation_id=organisation_id)


@functools.lru_cache(maxsize=4096)
def _partial(text: str) -> PartialDate:
    try:
        return PartialDate.parse(text or "")
    except InvalidPartialDate:
        return PartialDate()  # a value the model would refuse today counts as unknown, never as a guess


def _pd(value: Any) -> PartialDate:
    return value if isinstance(value, PartialDate) else _partial(str(value or ""))


# --- reading one person through the projection --------------------------------------------------------


def _seen(obj: models.Model, audience: Audience, fields: Sequence[str]) -> dict[str, Any] | None:
    shown = project(obj, audience, fields)
    return shown or None


def facts_for(person: Person, audience: Audience) -> tl.PersonFacts | None:
    """What ``audience`` may see of the person's countable history; None when the person is not counted."""
    if person.merged_into_id is not None:
        return None
    shown = _seen(person, audience, PERSON_FIELDS)
    if shown is None:
        return None
    statuses, detentions, decisions, tags = [], [], [], []
    for change in person.status_changes.all():
        seen = _seen(change, audience, STATUS_FIELDS)
        if seen is not None and "status" in seen:
            statuses.append(tl.StatusFact(str(seen["status"]), _pd(seen.get("effective")), int(change.pk)))
    for detention in person.detentions.all():
        seen = _seen(detention, audience, DETENTION_FIELDS)
        if seen is not None:
            facility = seen.get("facility_id") if "facility_id" in seen else None
            detentions.append(tl.DetentionFact(_pd(seen.get("start")), _pd(seen.get("end")),
                                               str(facility) if facility else tl.UNRECORDED, int(detention.pk)))
    for decision in person.decisions.all():
        seen = _seen(decision, audience, DECISION_FIELDS)
        if seen is not None and seen.get("outcome") and isinstance(seen.get("decided_on"), date):
            decisions.append(tl.DecisionFact(str(seen["outcome"]), seen["decided_on"], int(decision.pk)))
    for case in person.cases.all():
        seen_case = _seen(case, audience, CASE_FIELDS)
        if seen_case is None:
            continue
        tags.append(tl.TagFact("theme", str(seen_case.get("theme") or tl.UNDISCLOSED), _pd(seen_case.get("opened_on"))))
        for charge in case.charges.all():
            seen = _seen(charge, audience, CHARGE_FIELDS)
            if seen is not None:
                tags.append(tl.TagFact("article", str(seen.get("law_article_id") or tl.UNDISCLOSED),
                                       _pd(seen.get("brought_on"))))
    return tl.PersonFacts(person_id=int(person.pk), organisation_id=int(person.organisation_id),
                          country=str(shown.get("country") or tl.UNDISCLOSED),
                          gender=str(shown.get("gender") or tl.UNDISCLOSED),
                          occupation=str(shown.get("occupation") or tl.UNDISCLOSED),
                          statuses=statuses, detentions=detentions, decisions=decisions, tags=tags)


def load_person(person_id: int) -> Person | None:
    return (Person.objects.filter(pk=person_id)
            .prefetch_related("status_changes", "detentions", "decisions", "cases__charges").first())


# --- writing ----------------------------------------------------------------------------------------------


def _span_rows(facts: tl.PersonFacts, result: tl.Result) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    spans = [(facts.organisation_id, facts.person_id, s.start, s.end, s.status, s.prev_status, s.entered_precision,
              tl.flow_of(s), facts.country, facts.gender, facts.occupation, s.recognition, s.facility)
             for s in result.spans]
    tags = [(facts.organisation_id, facts.person_id, t.dimension, t.value, t.start, t.end) for t in result.tags]
    return spans, tags


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _month(expr: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('month', {expr}) AS date)"
    return f"date({expr}, 'start of month')"


def _later(a: str, b: str) -> str:
    return f"(CASE WHEN {a} > {b} THEN {a} ELSE {b} END)"


def _earlier_end(a: str, b: str) -> str:
    # NULL is "open": the earlier of two ends, either of which may be open.
    return f"(CASE WHEN {a} IS NULL THEN {b} WHEN {b} IS NULL THEN {a} WHEN {a} < {b} THEN {a} ELSE {b} END)"


def _contributions_sql(bucket: str, where: str) -> str:
    """SELECT (organisation_id, dimension, value, status, bucket, delta) of the spans matching ``where``.

    ``bucket`` is "day" or "month". The same rows as ``timeline.contributions``,
    in SQL so a million people are summed by the database.
    """
    span, tag, end = _q(Span._meta.db_table), _q(TagSpan._meta.db_table), _q("end")

    def b(expr: str) -> str:
        return expr if bucket == "day" else _month(expr)

    columns = {"all": "''", "country": "s.country", "gender": "s.gender", "occupation": "s.occupation",
               "recognition": "s.recognition", "facility": "s.facility"}
    # One pass over the spans: each span meets a small constant table of (dimension, +1 / −1) pairs.
    pairs = ", ".join(f"('{dim}', {sign})" for dim in columns for sign in (1, -1))
    value = "CASE x.column1 " + " ".join(f"WHEN '{dim}' THEN {col}" for dim, col in columns.items()) + " END"
    parts = [f"SELECT s.organisation_id AS o, x.column1 AS d, {value} AS v, s.status AS st, "  # noqa: S608
             f"{b(f'CASE WHEN x.column2 = 1 THEN s.start ELSE s.{end} END')} AS k, x.column2 AS n "
             f"FROM {span} s CROSS JOIN (VALUES {pairs}) x WHERE (x.column2 = 1 OR s.{end} IS NOT NULL) AND {where}"]
    parts.append(f"SELECT s.organisation_id, '{tl.FLOW}', s.flow, s.status, {b('s.start')}, 1 "  # noqa: S608
                 f"FROM {span} s WHERE s.flow <> '' AND {where}")
    joined = (f"FROM {span} s JOIN {tag} t ON t.person_id = s.person_id "
              f"WHERE (s.{end} IS NULL OR t.start < s.{end}) AND (t.{end} IS NULL OR s.start < t.{end}) AND {where}")
    parts.append(f"SELECT s.organisation_id, t.dimension, t.value, s.status, "  # noqa: S608
                 f"{b(_later('s.start', 't.start'))}, 1 {joined}")
    last = _earlier_end(f"s.{end}", f"t.{end}")
    parts.append(f"SELECT s.organisation_id, t.dimension, t.value, s.status, {b(last)}, -1 "  # noqa: S608
                 f"{joined} AND {last} IS NOT NULL")
    union = " UNION ALL ".join(parts)
    return (f"SELECT o, d, v, st, k, SUM(n) FROM ({union}) c "  # noqa: S608
            "GROUP BY o, d, v, st, k HAVING SUM(n) <> 0")


def _apply(where: str, params: Sequence[Any], sign: int) -> None:
    """Add (sign +1) or take out (−1) the contributions of the spans matching ``where`` to the totals."""
    for model, bucket in ((DayDelta, "day"), (MonthDelta, "month")):
        table = _q(model._meta.db_table)
        select = _contributions_sql(bucket, where)
        n_params = select.count("%s")
        # The WHERE (true) keeps SQLite's parser from reading ON CONFLICT as a join clause.
        sql = (f"INSERT INTO {table} (organisation_id, dimension, value, status, {_q(bucket)}, delta) "  # noqa: S608
               f"SELECT o, d, v, st, k, {sign} * total FROM ({select.replace('SUM(n)', 'SUM(n) AS total', 1)}) x """
               f"WHERE 1 = 1 "
               f"ORDER BY o, d, v, st, k "
               f"ON CONFLICT (organisation_id, dimension, value, status, {_q(bucket)}) "
               f"DO UPDATE SET delta = {table}.delta + excluded.delta")
        with connection.cursor() as cursor:
            cursor.execute(sql, list(params) * (n_params // max(1, len(params))) if params else [])


def _fill(organisation_id: int) -> None:
    """A rebuild's totals: the organisation's day rows straight from its spans, month rows from the day rows.

    The same contributions as ``_apply``, without its upserts: the organisation's
    rows were just deleted, so nothing can conflict.
    """
    day_table, month_table = _q(DayDelta._meta.db_table), _q(MonthDelta._meta.db_table)
    select = _contributions_sql("day", "s.organisation_id = %s")
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {day_table} (organisation_id, dimension, value, status, {_q('day')}, delta) "  # noqa: S608
                       f"{select}", [organisation_id] * select.count("%s"))
        cursor.execute(
            f"INSERT INTO {month_table} (organisation_id, dimension, value, status, month, delta) "  # noqa: S608
            f"SELECT organisation_id, dimension, value, status, {_month(_q('day'))}, SUM(delta) FROM {day_table} "
            f"WHERE organisation_id = %s GROUP BY organisation_id, dimension, value, status, {_month(_q('day'))} "
            "HAVING SUM(delta) <> 0", [organisation_id])


def _insert(model: type[models.Model], columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> int:
    table = _q(model._meta.db_table)
    cols = ", ".join(_q(c) for c in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        marks = ", ".join(["%s"] * len(columns))
        batch: list[tuple[Any, ...]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= 2000:
                cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", batch)  # noqa: S608
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", batch)  # noqa: S608
            count += len(batch)
    return count


def refresh_person(person_id: int) -> None:
    """Bring one person's rows and their share of the totals up to date (inside the caller's transaction)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Two changes of the same person in flight: the second waits here and then reads the first's data.
            Person.objects.select_for_update().filter(pk=person_id).values_list("pk").first()
        person = load_person(person_id)
        where, params = "s.person_id = %s", [person_id]
        _apply(where, params, -1)
        Span.objects.filter(person_id=person_id).delete()
        TagSpan.objects.filter(person_id=person_id).delete()
        if person is None:
            return
        facts = facts_for(person, staff(int(person.organisation_id)))
        if facts is None:
            return
        spans, tags = _span_rows(facts, tl.spans_for(facts))
        _insert(Span, SPAN_COLUMNS, spans)
        _insert(TagSpan, TAG_COLUMNS, tags)
        _apply(where, params, +1)


# --- rebuilding an organisation ------------------------------------------------------------------------------


def _visible_fields(model: type[models.Model], audience: Audience, fields: Sequence[str]) -> frozenset[str]:
    """The fields the projection shows of an ordinary record (no record-level raise) of ``model``."""
    return frozenset(project(model(), audience, fields))


def _rows(model: type[models.Model], person_key: str, organisation_id: int, fields: Sequence[str],
          extra: Sequence[str] = ()) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """(person id, rows) of one table of the organisation, grouped by person, in person order."""
    columns = ["pk", person_key, "sensitivity_floor", "sensitivity_overrides", *fields, *extra]
    query = (model._default_manager.filter(organisation_id=organisation_id)
             .order_by(person_key, "pk").values(*columns))
    return ((pid, list(rows)) for pid, rows in itertools.groupby(query.iterator(chunk_size=20_000),
                                                                  key=lambda r: r[person_key]))


def _through_projection(model: type[models.Model], row: dict[str, Any], audience: Audience,
                        fields: Sequence[str], plain: frozenset[str]) -> dict[str, Any] | None:
    """``project(obj, audience, fields)`` for a plain row; an instance is built only for raised records."""
    if row["sensitivity_floor"] is None and not row["sensitivity_overrides"]:
        return {f: row[f] for f in fields if f in plain}
    obj = model(**{k: v for k, v in row.items() if k in {f.attname for f in model._meta.concrete_fields}})
    return _seen(obj, audience, fields)


def _facts_stream(organisation_id: int) -> Iterator[tl.PersonFacts]:
    """Every counted person of the organisation, read in person order from six streams merged by person."""
    audience = staff(organisation_id)
    plain = {m: _visible_fields(m, audience, f) for m, f in (
        (Person, PERSON_FIELDS), (StatusChange, STATUS_FIELDS), (DetentionPeriod, DETENTION_FIELDS),
        (RecognitionDecision, DECISION_FIELDS), (Case, CASE_FIELDS), (Charge, CHARGE_FIELDS))}
    people = (Person.objects.filter(organisation_id=organisation_id, merged_into__isnull=True)
              .order_by("pk").values("pk", "sensitivity_floor", "sensitivity_overrides", *PERSON_FIELDS)
              .iterator(chunk_size=20_000))
    streams = {
        "status": _rows(StatusChange, "person_id", organisation_id, STATUS_FIELDS),
        "detention": _rows(DetentionPeriod, "person_id", organisation_id, DETENTION_FIELDS),
        "decision": _rows(RecognitionDecision, "person_id", organisation_id, DECISION_FIELDS),
        "case": _rows(Case, "person_id", organisation_id, CASE_FIELDS),
        "charge": _rows(Charge, "case__person_id", organisation_id, CHARGE_FIELDS, extra=("case_id",)),
    }
    heads: dict[str, tuple[int, list[dict[str, Any]]] | None] = {k: next(s, None) for k, s in streams.items()}

    def take(key: str, pid: int) -> list[dict[str, Any]]:
        head = heads[key]
        while head is not None and head[0] < pid:
            head = heads[key] = next(streams[key], None)
        if head is not None and head[0] == pid:
            heads[key] = next(streams[key], None)
            return head[1]
        return []

    for row in people:
        pid = int(row["pk"])
        status_rows, detention_rows = take("status", pid), take("detention", pid)
        decision_rows, case_rows, charge_rows = take("decision", pid), take("case", pid), take("charge", pid)
        shown = _through_projection(Person, row, audience, PERSON_FIELDS, plain[Person])
        if shown is None:
            continue
        statuses = []
        for r in status_rows:
            seen = _through_projection(StatusChange, r, audience, STATUS_FIELDS, plain[StatusChange])
            if seen and seen.get("status"):
                statuses.append(tl.StatusFact(str(seen["status"]), _pd(seen.get("effective")), int(r["pk"])))
        detentions = []
        for r in detention_rows:
            seen = _through_projection(DetentionPeriod, r, audience, DETENTION_FIELDS, plain[DetentionPeriod])
            if seen is not None:
                facility = seen.get("facility_id")
                detentions.append(tl.DetentionFact(_pd(seen.get("start")), _pd(seen.get("end")),
                                                   str(facility) if facility else tl.UNRECORDED, int(r["pk"])))
        decisions = []
        for r in decision_rows:
            seen = _through_projection(RecognitionDecision, r, audience, DECISION_FIELDS, plain[RecognitionDecision])
            if seen and seen.get("outcome") and isinstance(seen.get("decided_on"), date):
                decisions.append(tl.DecisionFact(str(seen["outcome"]), seen["decided_on"], int(r["pk"])))
        tags = []
        visible_cases = set()
        for r in case_rows:
            seen = _through_projection(Case, r, audience, CASE_FIELDS, plain[Case])
            if seen is not None:
                visible_cases.add(r["pk"])
                tags.append(tl.TagFact("theme", str(seen.get("theme") or tl.UNDISCLOSED), _pd(seen.get("opened_on"))))
        for r in charge_rows:
            if r["case_id"] not in visible_cases:
                continue
            seen = _through_projection(Charge, r, audience, CHARGE_FIELDS, plain[Charge])
            if seen is not None:
                tags.append(tl.TagFact("article", str(seen.get("law_article_id") or tl.UNDISCLOSED),
                                       _pd(seen.get("brought_on"))))
        yield tl.PersonFacts(person_id=pid, organisation_id=organisation_id,
                             country=str(shown.get("country") or tl.UNDISCLOSED),
                             gender=str(shown.get("gender") or tl.UNDISCLOSED),
                             occupation=str(shown.get("occupation") or tl.UNDISCLOSED),
                             statuses=statuses, detentions=detentions, decisions=decisions, tags=tags)


def bulk_seq() -> int:
    """The latest "rebuild everything" mark left by a bulk load that bypassed the actions (0 if none)."""
    value = NameIndexChange.objects.filter(person_id__isnull=True).order_by("-seq").values_list("seq", flat=True).first()
    return int(value or 0)


def _line(row: Sequence[Any]) -> str:
    # COPY text: every value here is a number, a date or a vocabulary code (no tab, newline or backslash).
    return "\t".join("\\N" if v is None else str(v) for v in row) + "\n"


def _parse(columns: Sequence[str], lines: Iterable[str]) -> Iterator[tuple[Any, ...]]:
    dates = {"start", "end"}
    ints = {"organisation_id", "person_id"}
    for line in lines:
        values = line.rstrip("\n").split("\t")
        yield tuple(None if v == "\\N" else date.fromisoformat(v) if c in dates else int(v) if c in ints else v
                    for c, v in zip(columns, values, strict=True))


def _load_file(model: type[models.Model], columns: Sequence[str], handle: Any) -> int:
    handle.seek(0)
    if connection.vendor != "postgresql":
        return _insert(model, columns, _parse(columns, handle))
    table = _q(model._meta.db_table)
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(
            f"COPY {table} ({', '.join(_q(c) for c in columns)}) FROM STDIN") as copy:
        while chunk := handle.read(1 << 20):
            copy.write(chunk)
            count += chunk.count("\n")
    return count


def rebuild(organisation_id: int, progress: Any = None) -> dict[str, Any]:
    """Recompute every row of one organisation from the registry, in one transaction."""
    say = progress or (lambda _text: None)
    started = time.perf_counter()
    seq = bulk_seq()
    people = 0
    with transaction.atomic(), tempfile.TemporaryFile("w+", encoding="utf-8") as span_file, \
            tempfile.TemporaryFile("w+", encoding="utf-8") as tag_file:
        # First read everything (server-side cursors), then write: the connection cannot fetch during a COPY.
        for facts in _facts_stream(organisation_id):
            people += 1
            spans, tags = _span_rows(facts, tl.spans_for(facts))
            span_file.writelines(_line(r) for r in spans)
            tag_file.writelines(_line(r) for r in tags)
            if people % 200_000 == 0:
                say(f"  {people:,} people read ({time.perf_counter() - started:.0f} s)")
        read = time.perf_counter() - started
        for model in (DayDelta, MonthDelta, Span, TagSpan):
            model._default_manager.filter(organisation_id=organisation_id).delete()
        n_spans = _load_file(Span, SPAN_COLUMNS, span_file)
        n_tags = _load_file(TagSpan, TAG_COLUMNS, tag_file)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {_q(Span._meta.db_table)}, {_q(TagSpan._meta.db_table)}")
                cursor.execute("SET LOCAL work_mem TO '256MB'")
        _fill(organisation_id)
        Watermark.objects.update_or_create(organisation_id=organisation_id, defaults={
            "bulk_seq": seq, "rebuilt_at": timezone.now(), "people": people})
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {_q(DayDelta._meta.db_table)}, {_q(MonthDelta._meta.db_table)}")
    seconds = time.perf_counter() - started
    say(f"  {people:,} people, {n_spans:,} spans, {n_tags:,} tag spans in {seconds:.0f} s "
        f"(reading and spans {read:.0f} s, writing and totals {seconds - read:.0f} s)")
    return {"people": people, "spans": n_spans, "tags": n_tags, "seconds": seconds}


def stale(organisation_id: int) -> bool:
    """True when the figures may lag: a bulk load bypassed the actions since the last rebuild, or the
    organisation's records predate the statistics (its watermark says -1: set by the migration that installed them)."""
    mark = Watermark.objects.filter(organisation_id=organisation_id).values_list("bulk_seq", flat=True).first()
    return (mark is not None and mark < 0) or bulk_seq() > (mark or 0)

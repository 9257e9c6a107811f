"""Registry: the person list at a million people, through the view, beside the same query in raw SQL.

Runs on PostgreSQL (127.0.0.1:5432, user postgres, trust auth) in its own
database ``unforgotten_bench_registry``: created, migrated and filled with
``unforgotten demo-data --people N`` (N from ``BENCH_REGISTRY_PEOPLE``, default
1,000,000; the people belong to Rights Watch). The filled database is kept and
reused by the next run when it holds the same N built with the same migrations
and generator (a stamp in the database's comment); ``BENCH_REGISTRY_REFILL=1``
drops and refills it.

Figures:

- ``registry.list_p95_ms``: p95 of ``GET /work/registry/people/?…&sort=name``
  (the first page, filtered and sorted by name) through the whole stack (Django
  test client, Amal signed in: a caseworker of the organisation that owns the
  people), over several filter combinations (country, status, occupation,
  recognition), 60 timed requests each after warm-up. Baseline: the same
  combinations as raw SQL through psycopg in the same run, taken in turn with
  the view (one of each, then again), so a burst of other work on the machine
  lands on both alike: the first page with
  the capped count as one more column, one statement, as the view sends it
  (decision 0027). The two-statement form (count, then page) is printed beside
  it per filter set, for comparison with earlier runs.
- ``registry.list_ratio_vs_sql``: view p95 ÷ SQL p95. Baseline: the ORM alone
  (the same two queries through the queryset, no view) ÷ SQL p95.

Goals (issue): p95 ≤ 100 ms, ratio ≤ 3. If the view is missing, the figure is
the ORM queries and says so. The Django part runs in a child process (its own
settings and database), so this group also runs after others in one process.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench._harness import Report, interleaved_ms, p95

GROUP = "registry"

_ROOT = Path(__file__).resolve().parent.parent
_DB = "unforgotten_bench_registry"
_DSN = "host=127.0.0.1 port=5432 user=postgres"
_URL = f"postgres://postgres@127.0.0.1:5432/{_DB}"
_PATH = "/work/registry/people/"
_ORG = "rights-watch"
_USER = "amal@example.org"
_TIMED, _WARMUP, _PAGE = 60, 5, 50
_COUNT_CAP = 1000
# Filter combinations, each sorted by name: (query parameters, the columns they filter).
_COMBOS: list[dict[str, str]] = [
    {"country": "IR", "status": "imprisoned"},
    {"country": "RU", "status": "awaiting_trial", "occupation": "journalist"},
    {"status": "imprisoned", "recognition": "political_prisoner"},
    {"country": "CN", "occupation": "religious_figure"},
    {"country": "BY", "recognition": "prisoner_of_conscience"},
    {"occupation": "lawyer"},
    {"country": "NI", "status": "disappeared"},
]
_COLUMNS = {"country": "country", "status": "current_status", "occupation": "occupation",
            "recognition": "recognition_outcome"}


def run(report: Report) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "UNFORGOTTEN_VAR_DIR")}
        env.update(DATABASE_URL=_URL, DJANGO_SETTINGS_MODULE="unforgotten.settings")
        subprocess.run([sys.executable, "-m", "bench.bench_registry", str(out)], env=env, cwd=_ROOT, check=False)
        if not out.exists():
            print("bench: registry: the measuring process failed (see above); no figures", flush=True)
            return
        result = json.loads(out.read_text())
    if result.get("skipped"):
        print(f"bench: registry: skipped: {result['skipped']}", flush=True)
        return
    what = "view" if result["view"] else "ORM queries (the view is missing: no view measured)"
    report("list_p95_ms", result["p95_ms"], "ms",
           baseline_what=f"sql_p95_ms (same {len(_COMBOS)} filter sets, first page with its capped count in one statement, raw psycopg; "
                         f"figure is the {what}, {result['people']:,} people)",
           baseline_value=result["sql_p95_ms"], baseline_unit="ms")
    report("list_ratio_vs_sql", result["p95_ms"] / result["sql_p95_ms"], "x",
           baseline_what="orm_ratio_vs_sql (the same queries through the ORM alone)",
           baseline_value=result["orm_p95_ms"] / result["sql_p95_ms"], baseline_unit="x")


# --- the measuring process ---------------------------------------------------------------------------------


def _say(text: str) -> None:
    print(f"  {text}", flush=True)


def _schema_stamp(people: int) -> str:
    """N, the migrations on disk (names and contents) and the generator's version."""
    from django.db.migrations.loader import MigrationLoader

    from unforgotten.registry import scale

    digest = hashlib.sha256()
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for key in sorted(loader.disk_migrations):
        digest.update(repr(key).encode())
        module = sys.modules.get(type(loader.disk_migrations[key]).__module__)
        if module is not None and getattr(module, "__file__", None):
            digest.update(Path(module.__file__ or "").read_bytes())
    digest.update(f"scale-v{scale.VERSION}".encode())
    return json.dumps({"people": people, "schema": digest.hexdigest()[:16]})


def _prepare(people: int) -> tuple[bool, float | None]:
    """Create, migrate and fill the database unless an identical one is there. (reused?, fill seconds)"""
    import psycopg
    from django.core.management import call_command
    from psycopg import sql

    stamp = _schema_stamp(people)
    with psycopg.connect(f"{_DSN} dbname=postgres", autocommit=True) as admin:
        row = admin.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                            [_DB]).fetchone()
        refill = os.environ.get("BENCH_REGISTRY_REFILL", "") not in ("", "0")
        if row is not None and row[0] == stamp and not refill:
            _say(f"reusing {_DB}: {people:,} people, same migrations (BENCH_REGISTRY_REFILL=1 refills)")
            return True, None
        _say(f"(re)creating {_DB} ({'refill asked' if refill else 'missing or stale'})")
        admin.execute(f"DROP DATABASE IF EXISTS {_DB}")
        admin.execute(f"CREATE DATABASE {_DB}")
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("demo_data", people=people, seed=1, org=_ORG)
    seconds = time.perf_counter() - started
    with psycopg.connect(f"{_DSN} dbname=postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("COMMENT ON DATABASE {} IS {}").format(sql.Identifier(_DB), sql.Literal(stamp)))
    return False, seconds


# Rows staff may see: no whole-record class above internal, or restricted and on the case team.
_READABLE = ("(sensitivity_floor IS NULL OR sensitivity_floor <= 2 OR (sensitivity_floor <= 3 AND EXISTS ("
             "SELECT 1 FROM registry_person_case_team t WHERE t.person_id = registry_person.id AND t.user_id = %s)))")


def _sql_for(params: dict[str, str]) -> tuple[str, str, list[Any]]:
    """The view's queries by hand: (capped count, first page, parameters after org and user)."""
    where = " AND ".join(f"{_COLUMNS[k]} = %s" for k in params)
    # Merged (retired) records are never listed (issue 4).
    clause = f"merged_into_id IS NULL AND organisation_id = %s AND {_READABLE}" + (f" AND {where}" if where else "")
    count = f"SELECT COUNT(*) FROM (SELECT 1 FROM registry_person WHERE {clause} LIMIT {_COUNT_CAP + 1}) t"
    page = ("SELECT id, organisation_id, sensitivity_floor, sensitivity_overrides, uuid, display_name, country, "
            "current_status, current_status_date, recognition_outcome, occupation, sort_name "
            f"FROM registry_person WHERE {clause} ORDER BY sort_name, id LIMIT {_PAGE + 1}")
    return count, page, list(params.values())


def _child(out: Path) -> int:
    people = int(os.environ.get("BENCH_REGISTRY_PEOPLE", "1000000"))
    try:
        import psycopg

        psycopg.connect(f"{_DSN} dbname=postgres", connect_timeout=5).close()
    except Exception as exc:  # noqa: BLE001  (a benchmark reports, never fails)
        out.write_text(json.dumps({"skipped": f"PostgreSQL not reachable at 127.0.0.1:5432 ({exc})"}))
        return 0

    import django

    django.setup()
    reused, fill_seconds = _prepare(people)
    if fill_seconds is not None:
        _say(f"filled {people:,} people in {fill_seconds:.0f} s ({fill_seconds / 60:.1f} min)")

    from django.db import connection
    from django.db.models import Exists, OuterRef, Q
    from django.test import Client
    from django.urls import Resolver404, resolve

    from unforgotten.accounts.models import Organisation, User
    from unforgotten.registry.models import Person

    org = Organisation.objects.get(slug=_ORG)
    user = User.objects.get(email=_USER)
    from allauth.mfa.models import Authenticator

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        # Staff sign in with a second factor; the bench's caseworker has one, like a real one.
        from allauth.mfa.totp.internal.auth import TOTP

        TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    total = Person.objects.filter(organisation=org).count()
    _say(f"{total:,} people in {org.slug}; measuring {len(_COMBOS)} filter sets × {_TIMED} requests")

    client = Client()
    client.force_login(user)
    try:
        resolve(_PATH)
        has_view = client.get(_PATH, {"sort": "name"}).status_code == 200
        if not has_view:
            _say(f"{_PATH} answered {client.get(_PATH).status_code}: measuring the ORM queries instead")
    except Resolver404:
        has_view = False
        _say(f"{_PATH} is not routed yet: measuring the ORM queries instead of the view")

    raw = psycopg.connect(f"{_DSN} dbname={_DB}", autocommit=True, prepare_threshold=None)
    view_all: list[float] = []
    orm_all: list[float] = []
    sql_all: list[float] = []
    per_combo: list[dict[str, Any]] = []
    for params in _COMBOS:
        count_sql, page_sql, values = _sql_for(params)
        args = [org.pk, user.pk, *values]

        # The view sends both as one statement (the count a scalar subquery column of the page).
        head, _, tail = page_sql.partition(" FROM registry_person WHERE ")
        both_sql = f"{head}, ({count_sql}) AS capped FROM registry_person WHERE {tail}"

        def by_sql(both_sql: str = both_sql, args: list[Any] = args) -> None:
            raw.execute(both_sql, args + args).fetchall()

        def by_two(count_sql: str = count_sql, page_sql: str = page_sql, args: list[Any] = args) -> None:
            raw.execute(count_sql, args).fetchone()
            raw.execute(page_sql, args).fetchall()

        filters = {_COLUMNS[k]: val for k, val in params.items()}

        def by_orm(filters: dict[str, str] = filters) -> None:
            on_team = Person.case_team.through.objects.filter(person_id=OuterRef("pk"), user_id=user.pk)
            readable = Q(sensitivity_floor__isnull=True) | Q(sensitivity_floor__lte=2) | (
                Q(sensitivity_floor__lte=3) & Exists(on_team))
            qs = Person.objects.filter(readable, organisation=org, merged_into__isnull=True, **filters)
            qs.order_by()[: _COUNT_CAP + 1].count()
            list(qs.order_by("sort_name", "id").only(
                "id", "organisation_id", "sensitivity_floor", "sensitivity_overrides", "uuid", "display_name",
                "country", "current_status", "current_status_date", "recognition_outcome", "occupation",
                "sort_name")[: _PAGE + 1])

        query = {**params, "sort": "name"}

        def by_view(query: dict[str, str] = query) -> None:
            response = client.get(_PATH, query)
            if response.status_code != 200:
                raise RuntimeError(f"{_PATH}?{query} answered {response.status_code}")

        ways: dict[str, Any] = {"sql": by_sql, "two": by_two, "orm": by_orm}
        if has_view:
            ways["view"] = by_view
        taken = interleaved_ms(ways, _TIMED, _WARMUP)
        sql_t, two_t, orm_t = taken["sql"], taken["two"], taken["orm"]
        view_t = taken["view"] if has_view else orm_t
        sql_all += sql_t
        orm_all += orm_t
        view_all += view_t
        first = raw.execute(page_sql, args).fetchone()
        shown = None
        if has_view and first is not None:
            html = client.get(_PATH, query).content.decode()
            shown = str(first[4]) in html  # the first row's uuid links to the person
        per_combo.append({"params": params, "view": p95(view_t), "orm": p95(orm_t), "sql": p95(sql_t),
                          "first_row_shown": shown})
        _say(f"{'&'.join(f'{k}={val}' for k, val in params.items()):<55} view p95 {p95(view_t):6.1f} ms   "
             f"ORM {p95(orm_t):6.1f} ms   SQL {p95(sql_t):6.1f} ms (two statements {p95(two_t):5.1f})   "
             f"view/SQL {p95(view_t) / p95(sql_t):5.1f} x"
             + ("" if shown is not False else "   (!) first SQL row not on the page"))

    result: dict[str, Any] = {"view": has_view, "people": total, "reused": reused, "fill_seconds": fill_seconds,
              "p95_ms": p95(view_all), "orm_p95_ms": p95(orm_all), "sql_p95_ms": p95(sql_all), "combos": per_combo}
    if has_view:
        try:
            _diagnose(client, connection, per_combo, result)
        except Exception as exc:  # noqa: BLE001  (diagnostics must not cost the figures)
            _say(f"(diagnostics failed: {exc})")
    raw.close()
    out.write_text(json.dumps(result))
    return 0


def _diagnose(client: Any, connection: Any, per_combo: list[dict[str, Any]], result: dict[str, Any]) -> None:
    """Where a request of the slowest filter set spends its time: queries, plans, Python."""
    import cProfile
    import io
    import pstats

    from django.test.utils import CaptureQueriesContext

    worst = max(per_combo, key=lambda c: c["view"])
    query = {**worst["params"], "sort": "name"}
    rounds = 10
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        for _ in range(rounds):
            client.get(_PATH, query)
        wall = (time.perf_counter() - started) * 1000 / rounds
    queries = captured.captured_queries
    db = sum(float(q["time"]) for q in queries) * 1000 / rounds
    _say(f"slowest filter set {worst['params']}: {len(queries) // rounds} queries a request; "
         f"{db:.1f} ms in the database of {wall:.1f} ms (debug cursor on)")
    selects = [q for q in queries if q["sql"].lstrip().upper().startswith("SELECT")]
    for q in sorted(selects, key=lambda q: float(q["time"]), reverse=True)[:3]:
        _say(f"  {float(q['time']) * 1000:6.1f} ms  {q['sql'][:150]}")
    if result["p95_ms"] <= 100 and result["p95_ms"] / result["sql_p95_ms"] <= 3:
        return
    slowest = max(selects, key=lambda q: float(q["time"]))
    _say("goal missed. EXPLAIN ANALYZE of that request's slowest query:")
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
        for (line,) in cursor.fetchall():
            _say(f"    {line}")
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(rounds):
        client.get(_PATH, query)
    profiler.disable()
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text).sort_stats("cumulative")
    stats.print_stats(r"(views/people|template/(base|loader_tags|defaulttags)|forms/(utils|boundfield|widgets)|"
                      r"shortcuts|_common|policy|psycopg/cursor)", 14)
    _say(f"Python profile of {rounds} requests (cumulative seconds; profiling slows everything):")
    for line in text.getvalue().splitlines():
        if line.strip() and ("/" in line or "ncalls" in line):
            _say("    " + line.strip()[:170])


if __name__ == "__main__":
    sys.exit(_child(Path(sys.argv[1])))

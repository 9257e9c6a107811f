"""Statistics at a million people on PostgreSQL: as-of counts by country and status, beside a plain GROUP BY.

Runs on PostgreSQL (127.0.0.1:5432, user postgres, trust auth) in its own
database (``BENCH_STATS_DB``, default ``unforgotten_bench_stats``): created,
migrated and filled with ``unforgotten demo-data --people N`` (N from
``BENCH_STATS_PEOPLE``, default 1,000,000; the people belong to Rights Watch).
The filled database is kept and reused by the next run when it holds the same
N built with the same registry migrations and generator (a stamp in the
database's comment); ``BENCH_STATS_REFILL=1`` drops and refills it. The
statistics tables are then migrated and rebuilt if they lag behind the load
(``unforgotten stats-rebuild``: its time is printed, not a goal).

Figures:

- ``stats.asof_p95_ms``: p95 of the as-of counts by country and status
  (``TableSource.grid(day, "country")``: the month totals before the day's month
  plus its day totals) over 60 days spread from 2008 to today, after warm-up.
  Baseline: a straightforward SQL GROUP BY of the same counts from the registry
  (each person's latest status change that counts by the day, partial dates
  counted from their last day, joined to the person's country), raw psycopg,
  same days, same run. The two results are compared for every day (printed).
- ``stats.asof_api_p95_ms``: the same question through the whole stack
  (``GET /api/v1/stats/asof?by=country&on=…`` as Amal, a caseworker of the
  organisation). Baseline: the same GROUP BY.

Goal (issue): ``stats.asof_p95_ms`` ≤ 200 ms. The machine is shared: the load
average is printed with the figures. The Django part runs in a child process
(its own settings and database), so this group also runs after others.

The radar's figure (``radar.recompute_1m_s``, same group in the issue) is added
by the coordinator: see the marked place in ``run``.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from bench._harness import Report, p95, timings_ms

GROUP = "stats"

_ROOT = Path(__file__).resolve().parent.parent
_DB = os.environ.get("BENCH_STATS_DB", "unforgotten_bench_stats")
_DSN = "host=127.0.0.1 port=5432 user=postgres"
_URL = f"postgres://postgres@127.0.0.1:5432/{_DB}"
_ORG = "rights-watch"
_USER = "amal@example.org"
_DAYS, _WARMUP = 60, 5

# The baseline: each person's status on the day straight from the registry, by country and status.
# "Counts by the day" is the rule of decision 0015: a partial date counts from its last possible day.
_LATEST = ("(CASE length(sc.effective) WHEN 4 THEN make_date(left(sc.effective, 4)::int, 12, 31) "
           "WHEN 7 THEN (to_date(sc.effective || '-01', 'YYYY-MM-DD') + interval '1 month - 1 day')::date "
           "ELSE sc.effective::date END)")
_BASELINE = (
    "SELECT p.country, s.status, COUNT(*) FROM ("
    " SELECT DISTINCT ON (sc.person_id) sc.person_id, sc.status FROM registry_statuschange sc"
    f" WHERE sc.organisation_id = %s AND sc.effective <> '' AND {_LATEST} <= %s"
    # The registry's order (PartialDate.sort_key, then id) is the order of the canonical text, then id.
    " ORDER BY sc.person_id, sc.effective DESC, sc.id DESC"
    ") s JOIN registry_person p ON p.id = s.person_id"
    " WHERE p.merged_into_id IS NULL AND (p.sensitivity_floor IS NULL OR p.sensitivity_floor <= 2)"
    " GROUP BY 1, 2")


def run(report: Report) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "UNFORGOTTEN_VAR_DIR")}
        env.update(DATABASE_URL=_URL, DJANGO_SETTINGS_MODULE="unforgotten.settings")
        subprocess.run([sys.executable, "-m", "bench.bench_stats", str(out)], env=env, cwd=_ROOT, check=False)
        if not out.exists():
            print("bench: stats: the measuring process failed (see above); no figures", flush=True)
            return
        result = json.loads(out.read_text())
    if result.get("skipped"):
        print(f"bench: stats: skipped: {result['skipped']}", flush=True)
        return
    load = f"load average {result['load']}"
    report("asof_p95_ms", result["asof_p95_ms"], "ms",
           baseline_what=f"sql_group_by_p95_ms (same {result['days']} days, latest counted status change per "
                         f"person joined to its country, raw psycopg; {result['people']:,} people; "
                         f"counts equal on {result['equal_days']}/{result['days']} days; {load})",
           baseline_value=result["sql_p95_ms"], baseline_unit="ms")
    report("asof_api_p95_ms", result["api_p95_ms"], "ms",
           baseline_what="sql_group_by_p95_ms (the same GROUP BY)", baseline_value=result["sql_p95_ms"],
           baseline_unit="ms")
    # --- radar (issue 9, added by the coordinator): report("recompute_1m_s", …) goes here ---
    # radar (issue 9): the attention index recomputed for every case, same database
    from bench import radar

    radar.measure(report)  # radar (issue 9)


# --- the measuring process ---------------------------------------------------------------------------------


def _say(text: str) -> None:
    print(f"  {text}", flush=True)


def _stamp(people: int) -> str:
    """N, the registry's migrations on disk and the generator's version (the stats tables migrate on their own)."""
    from django.db.migrations.loader import MigrationLoader

    from unforgotten.registry import scale

    digest = hashlib.sha256()
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for key in sorted(k for k in loader.disk_migrations if k[0] != "stats"):
        digest.update(repr(key).encode())
        module = sys.modules.get(type(loader.disk_migrations[key]).__module__)
        if module is not None and getattr(module, "__file__", None):
            digest.update(Path(module.__file__ or "").read_bytes())
    digest.update(f"scale-v{scale.VERSION}".encode())
    return json.dumps({"people": people, "schema": digest.hexdigest()[:16]})


def _prepare(people: int) -> float | None:
    import psycopg
    from django.core.management import call_command
    from psycopg import sql

    stamp = _stamp(people)
    with psycopg.connect(f"{_DSN} dbname=postgres", autocommit=True) as admin:
        row = admin.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                            [_DB]).fetchone()
        refill = os.environ.get("BENCH_STATS_REFILL", "") not in ("", "0")
        if row is not None and row[0] == stamp and not refill:
            _say(f"reusing {_DB}: {people:,} people, same registry migrations (BENCH_STATS_REFILL=1 refills)")
            call_command("migrate", verbosity=0)
            return None
        _say(f"(re)creating {_DB} ({'refill asked' if refill else 'missing or stale'})")
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(_DB)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(_DB)))
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("demo_data", people=people, seed=1, org=_ORG)
    seconds = time.perf_counter() - started
    with psycopg.connect(f"{_DSN} dbname=postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("COMMENT ON DATABASE {} IS {}").format(sql.Identifier(_DB), sql.Literal(stamp)))
    return seconds


def _days(seed: int = 9) -> list[date]:
    rng = random.Random(seed)  # noqa: S311  (reproducible sample of days, not security)
    first, last = date(2008, 1, 1).toordinal(), date.today().toordinal()  # noqa: DTZ011
    return [date.fromordinal(rng.randint(first, last)) for _ in range(_DAYS - 2)] + [
        date(2025, 10, 31), date.today()]  # noqa: DTZ011


def _child(out: Path) -> int:
    people = int(os.environ.get("BENCH_STATS_PEOPLE", "1000000"))
    try:
        import psycopg

        psycopg.connect(f"{_DSN} dbname=postgres", connect_timeout=5).close()
    except Exception as exc:  # noqa: BLE001  (a benchmark reports, never fails)
        out.write_text(json.dumps({"skipped": f"PostgreSQL not reachable at 127.0.0.1:5432 ({exc})"}))
        return 0

    import django

    django.setup()
    fill_seconds = _prepare(people)
    if fill_seconds is not None:
        _say(f"filled {people:,} people in {fill_seconds:.0f} s")

    from django.test import Client

    from unforgotten.accounts.models import Organisation, User
    from unforgotten.stats import engine
    from unforgotten.stats import timeline as tl
    from unforgotten.stats.queries import TableSource

    org = Organisation.objects.get(slug=_ORG)
    if engine.stale(org.pk):
        _say("the statistics lag behind the load: rebuilding (unforgotten stats-rebuild)")
        from unforgotten.stats.actions import do_rebuild_statistics

        result = do_rebuild_statistics(organisation=org, acting_user=None, progress=_say)
        _say(f"rebuilt in {result['seconds']:.0f} s ({result['spans']:,} spans)")

    source = TableSource([org.pk])
    days = _days()
    raw = psycopg.connect(f"{_DSN} dbname={_DB}", autocommit=True, prepare_threshold=None)

    def grid_of(day: date) -> dict[tuple[str, str], int]:
        return {k: n for k, n in source.grid(day, "country").items() if k[1] != tl.UNCERTAIN}

    def sql_of(day: date) -> dict[tuple[str, str], int]:
        return {(str(c), str(s)): int(n) for c, s, n in raw.execute(_BASELINE, [org.pk, day]).fetchall()}

    equal = sum(1 for day in days if grid_of(day) == sql_of(day))
    _say(f"as-of counts equal to the GROUP BY on {equal} of {len(days)} days")

    it = iter(days * 100)
    ours = timings_ms(lambda: source.grid(next(it), "country"), len(days), _WARMUP)
    it2 = iter(days * 100)
    baseline = timings_ms(lambda: raw.execute(_BASELINE, [org.pk, next(it2)]).fetchall(), len(days), 2)
    _say(f"grid p95 {p95(ours):.1f} ms; GROUP BY p95 {p95(baseline):.1f} ms")

    user = User.objects.get(email=_USER)
    from allauth.mfa.models import Authenticator

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        # Staff sign in with a second factor; the bench's caseworker has one, like a real one.
        from allauth.mfa.totp.internal.auth import TOTP

        TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    client = Client()
    client.force_login(user)
    it3 = iter(days * 100)

    def by_api() -> None:
        response = client.get("/api/v1/stats/asof", {"by": "country", "on": next(it3).isoformat()})
        if response.status_code != 200:
            raise RuntimeError(f"/api/v1/stats/asof answered {response.status_code}")

    api = timings_ms(by_api, len(days), _WARMUP)
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    _say(f"grid p95 {p95(ours):.1f} ms (median {sorted(ours)[len(ours) // 2]:.1f}); API p95 {p95(api):.1f} ms; "
         f"GROUP BY p95 {p95(baseline):.1f} ms; load average {load}")
    raw.close()
    out.write_text(json.dumps({
        "people": people, "days": len(days), "equal_days": equal, "asof_p95_ms": p95(ours),
        "api_p95_ms": p95(api), "sql_p95_ms": p95(baseline), "load": load}))
    return 0


if __name__ == "__main__":
    sys.exit(_child(Path(sys.argv[1])))

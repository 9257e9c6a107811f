"""The forgotten-case radar at a million cases on PostgreSQL: the full recompute, beside one plain SQL pass.

Called by the statistics group (``bench/bench_stats.py``, ``make bench
ONLY=stats``) after it has built and measured its database of 1,000,000 people
(``BENCH_STATS_DB``): the radar reads the same registry. The measuring runs in
a child process with that database's settings.

Before measuring, one media mention is added for every fifth case (once: the
bench database keeps them), so the recompute groups a real source and not an
empty table.

Figures:

- ``radar.recompute_1m_s``: ``radar.engine.recompute()`` over every case with
  every ledger row to rewrite (each row's baseline spoilt beforehand, untimed):
  the worst night. The first fill into an empty ledger and a night with nothing
  to change are printed too. Baseline: one plain SQL pass over the same
  source tables: ``CREATE TEMP TABLE … AS SELECT`` of each case with its
  person, its latest intervention and media mention and its earliest
  detention start, grouped the same way, raw psycopg, same run.
- ``radar.page_p95_ms``: p95 of the radar's first page and of pages deep in the
  list (``reading.page`` as Amal, a caseworker of the organisation). Baseline:
  the plain ``ORDER BY weighted LIMIT 51`` on the ledger, raw psycopg.

Goal (issue): ``radar.recompute_1m_s`` ≤ 60 s. The load average is printed with the figures.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench._harness import Report, p95, timings_ms

_ROOT = Path(__file__).resolve().parent.parent
_DB = os.environ.get("BENCH_STATS_DB", "unforgotten_bench_stats")
_DSN = "host=127.0.0.1 port=5432 user=postgres"
_URL = f"postgres://postgres@127.0.0.1:5432/{_DB}"
_ORG = "rights-watch"
_USER = "amal@example.org"

_BASELINE = (
    "CREATE TEMP TABLE radar_bench_baseline AS "
    "SELECT c.id, c.organisation_id, p.country, p.current_status, i.day AS last_intervention, m.day AS last_media, "
    "d.day AS detained FROM registry_case c JOIN registry_person p ON p.id = c.person_id "
    "LEFT JOIN (SELECT case_id, MAX(occurred_on) AS day FROM advocacy_intervention GROUP BY case_id) i "
    "ON i.case_id = c.id "
    "LEFT JOIN (SELECT case_id, MAX(published_on) AS day FROM radar_mediamention GROUP BY case_id) m "
    "ON m.case_id = c.id "
    "LEFT JOIN (SELECT person_id, MIN(start_earliest) AS day FROM registry_detentionperiod GROUP BY person_id) d "
    "ON d.person_id = c.person_id"
)
_SEED_MENTIONS = (
    "INSERT INTO radar_mediamention (organisation_id, sensitivity_floor, sensitivity_overrides, created_at, "
    "updated_at, uuid, case_id, outlet, url, published, published_on, language, note, recorded_by_id) "
    "SELECT c.organisation_id, NULL, '{}'::jsonb, now(), now(), gen_random_uuid(), c.id, 'Bench Daily', '', "
    "to_char(DATE '2015-01-01' + CAST(c.id % 3650 AS integer), 'YYYY-MM-DD'), DATE '2015-01-01' + CAST(c.id % 3650 AS integer), 'en', '', NULL "
    "FROM registry_case c WHERE c.id % 5 = 0"
)


def measure(report: Report) -> None:
    """Run the radar's measurements in a child process and print its figures (group "radar")."""
    report = Report("radar")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "radar.json"
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "UNFORGOTTEN_VAR_DIR")}
        env.update(DATABASE_URL=_URL, DJANGO_SETTINGS_MODULE="unforgotten.settings")
        subprocess.run([sys.executable, "-m", "bench.radar", str(out)], env=env, cwd=_ROOT, check=False)
        if not out.exists():
            print("bench: radar: the measuring process failed (see above); no figures", flush=True)
            return
        result = json.loads(out.read_text())
    if result.get("skipped"):
        print(f"bench: radar: skipped: {result['skipped']}", flush=True)
        return
    report("recompute_1m_s", result["recompute_s"], "s",
           baseline_what=f"plain_sql_pass_s (CREATE TEMP TABLE AS SELECT of every case with its latest "
                         f"intervention and media mention and earliest detention, raw psycopg; "
                         f"{result['cases']:,} cases, {result['mentions']:,} media mentions; every ledger row rewritten; "
                         f"first fill into an empty ledger {result['first_fill_s']:.1f} s, a night with nothing "
                         f"to change {result['steady_s']:.1f} s; load average {result['load']})",
           baseline_value=result["baseline_s"], baseline_unit="s")
    report("page_p95_ms", result["page_p95_ms"], "ms",
           baseline_what="order_by_limit_p95_ms (ORDER BY weighted, case_id LIMIT 51 on the ledger, raw psycopg)",
           baseline_value=result["sql_page_p95_ms"], baseline_unit="ms")


def _say(text: str) -> None:
    print(f"  radar: {text}", flush=True)


def _child(out: Path) -> int:
    try:
        import psycopg

        psycopg.connect(f"{_DSN} dbname={_DB}", connect_timeout=5).close()
    except Exception as exc:  # noqa: BLE001  (a benchmark reports, never fails)
        out.write_text(json.dumps({"skipped": f"the statistics bench database is not reachable ({exc})"}))
        return 0

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from unforgotten.accounts.models import Organisation, User
    from unforgotten.radar import engine, reading
    from unforgotten.radar.models import Attention, MediaMention

    raw = psycopg.connect(f"{_DSN} dbname={_DB}", autocommit=True, prepare_threshold=None)
    cases = int(raw.execute("SELECT count(*) FROM registry_case").fetchone()[0])  # type: ignore[index]
    if not MediaMention.objects.exists():
        _say("adding a media mention to every fifth case (once)")
        raw.execute(_SEED_MENTIONS)
        raw.execute("ANALYZE radar_mediamention")
    mentions = MediaMention.objects.count()

    started = time.perf_counter()
    raw.execute(_BASELINE)
    baseline_s = time.perf_counter() - started
    raw.execute("DROP TABLE radar_bench_baseline")
    _say(f"plain SQL pass over {cases:,} cases: {baseline_s:.1f} s")

    first_fill_s = 0.0
    if not Attention.objects.exists():
        started = time.perf_counter()
        engine.recompute()
        first_fill_s = time.perf_counter() - started
        raw.execute("ANALYZE radar_attention")
        _say(f"first fill of the ledger: {first_fill_s:.1f} s")
    # The figure: every row must be rewritten (the worst night). Spoil every row's baseline first, untimed.
    raw.execute("UPDATE radar_attention SET baseline = DATE '1900-01-01'")
    raw.execute("VACUUM ANALYZE radar_attention")
    started = time.perf_counter()
    rows = engine.recompute()
    recompute_s = time.perf_counter() - started
    _say(f"recompute rewriting {rows:,} of {cases:,} cases: {recompute_s:.1f} s")
    started = time.perf_counter()
    unchanged = engine.recompute()
    steady_s = time.perf_counter() - started
    _say(f"recompute with nothing to change ({unchanged} rows written): {steady_s:.1f} s")

    org = Organisation.objects.get(slug=_ORG)
    user = User.objects.get(email=_USER)
    today = django.utils.timezone.localdate()
    keys = [int(k) for (k,) in raw.execute(
        "SELECT weighted FROM radar_attention WHERE organisation_id = %s AND active "
        "ORDER BY weighted OFFSET 1000 LIMIT 1", [org.pk]).fetchall()] or [0]
    cursors = [None, (keys[0], 0)]

    def page(i: list[int] = [0]) -> None:  # noqa: B006  (a counter across calls)
        i[0] += 1
        f = reading.Filters(organisations=(org.pk,), after=cursors[i[0] % 2])
        reading.page(user, f, today)

    ours = timings_ms(page, 40, 4)
    sql = ("SELECT case_id FROM radar_attention WHERE organisation_id = %s AND active ORDER BY weighted, case_id "
           "LIMIT 51")
    theirs = timings_ms(lambda: raw.execute(sql, [org.pk]).fetchall(), 40, 4)
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    _say(f"page p95 {p95(ours):.1f} ms; ORDER BY LIMIT p95 {p95(theirs):.1f} ms; load average {load}")
    raw.close()
    out.write_text(json.dumps({
        "cases": cases, "mentions": mentions, "baseline_s": baseline_s, "recompute_s": recompute_s,
        "first_fill_s": first_fill_s, "steady_s": steady_s, "page_p95_ms": p95(ours), "sql_page_p95_ms": p95(theirs), "load": load}))
    return 0


if __name__ == "__main__":
    sys.exit(_child(Path(sys.argv[1])))

"""Import: a million generated rows through the exchange app's bulk path, beside COPY of the same rows.

Runs on PostgreSQL (127.0.0.1:5432, user postgres, trust auth) in its own
database ``unforgotten_bench_import``, dropped and created afresh every run (an
import into a database that already holds the rows would measure updates).
N comes from ``BENCH_IMPORT_ROWS`` (default 1,000,000). The rows are written to
a temporary CSV file first (not timed): an id, a romanised name, the name in
its own script where the country writes another one, the country, a status and
a partial date, with names built from ``../shared/data/names/`` (read at bench
time, never copied into the repository); countries are those that have both
forename and surname lists there.

Figure:

- ``import.rows_per_s``: rows ÷ seconds of ``do_import_people`` on that file
  (reading, mapping, validation, names with search keys, person, names,
  external id, status change and citations written, the name index told;
  one transaction and one audit event; the duplicate search is a task the
  run enqueues when it commits, not timed here). Baseline: ``COPY`` of the same CSV file into a plain table with
  the same columns and no index, in the same run.

Goal (issue 4): ≥ 10,000 rows/s. The Django part runs in a child process (its
own settings and database), like bench_registry.
"""

from __future__ import annotations

import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from bench._harness import Report

GROUP = "import"

_ROOT = Path(__file__).resolve().parent.parent
# The name lists sit beside the checkout (../shared); a git worktree elsewhere finds them at /work/shared.
_NAMES = next((p for p in (_ROOT.parent / "shared" / "data" / "names", Path("/work/shared/data/names"))
               if (p / "common-forenames-by-country.csv").exists()), _ROOT.parent / "shared" / "data" / "names")
# BENCH_IMPORT_DB: another database name, so that two checkouts can measure on one server.
_DB = os.environ.get("BENCH_IMPORT_DB", "unforgotten_bench_import")
_DSN = "host=127.0.0.1 port=5432 user=postgres"
_URL = f"postgres://postgres@127.0.0.1:5432/{_DB}"
_STATUSES = ("imprisoned", "awaiting_trial", "released", "disappeared", "house_arrest", "in_exile")
_MAPPING = """
[fields]
names = ["name", "native_name"]
external_id = "id"
country = "country"
status = "status"
status_date = "since"
"""


def run(report: Report) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "UNFORGOTTEN_VAR_DIR")}
        env.update(DATABASE_URL=_URL, DJANGO_SETTINGS_MODULE="unforgotten.settings")
        subprocess.run([sys.executable, "-m", "bench.bench_import", str(out)], env=env, cwd=_ROOT, check=False)
        if not out.exists():
            print("bench: import: the measuring process failed (see above); no figures", flush=True)
            return
        result = json.loads(out.read_text())
    if result.get("skipped"):
        print(f"bench: import: skipped: {result['skipped']}", flush=True)
        return
    report("rows_per_s", result["rows_per_s"], "rows/s",
           baseline_what=f"COPY of the same {result['rows']:,} rows into a plain table",
           baseline_value=result["copy_rows_per_s"], baseline_unit="rows/s")


def _say(text: str) -> None:
    print(f"  {text}", flush=True)


def _name_lists() -> dict[str, tuple[list[tuple[str, str]], list[tuple[str, str]]]]:
    """{country: ([(native, roman) forenames], [(native, roman) surnames])} for countries with both lists."""
    given: dict[str, list[tuple[str, str]]] = defaultdict(list)
    family: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for path, into in (("common-forenames-by-country.csv", given), ("common-surnames-by-country.csv", family)):
        with (_NAMES / path).open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                native, roman = row["Localized Name"].strip(), row["Romanized Name"].strip()
                if native and roman and len(native) < 40:
                    into[row["Country"].strip().upper()].append((native, roman))
    return {c: (given[c], family[c]) for c in given if c in family and len(c) == 2}


def _generate(path: Path, rows: int) -> None:
    lists = _name_lists()
    countries = sorted(lists)
    rng = random.Random(4)  # noqa: S311  (reproducible bench data)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "native_name", "country", "status", "since"])
        for i in range(rows):
            country = rng.choice(countries)
            forenames, surnames = lists[country]
            f_native, f_roman = rng.choice(forenames)
            s_native, s_roman = rng.choice(surnames)
            roman, native = f"{f_roman} {s_roman}", f"{f_native} {s_native}"
            year = rng.randint(1995, 2024)
            since = str(year) if rng.random() < 0.4 else f"{year}-{rng.randint(1, 12):02d}"
            writer.writerow([f"b{i}", roman, native if native != roman else "", country, rng.choice(_STATUSES), since])


def _child(out: Path) -> int:
    rows = int(os.environ.get("BENCH_IMPORT_ROWS", "1000000"))
    try:
        import psycopg

        psycopg.connect(f"{_DSN} dbname=postgres", connect_timeout=5).close()
    except Exception as exc:  # noqa: BLE001  (a benchmark reports, never fails)
        out.write_text(json.dumps({"skipped": f"PostgreSQL not reachable at 127.0.0.1:5432 ({exc})"}))
        return 0
    if not (_NAMES / "common-forenames-by-country.csv").exists():
        out.write_text(json.dumps({"skipped": f"no name lists in {_NAMES}"}))
        return 0
    with psycopg.connect(f"{_DSN} dbname=postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {_DB}")
        admin.execute(f"CREATE DATABASE {_DB}")

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from unforgotten.accounts.models import Organisation
    from unforgotten.exchange.actions import do_import_people

    org = Organisation.objects.create(name="Bench Watch", slug="bench-watch", country="GB")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "people.csv"
        t0 = time.perf_counter()
        _generate(path, rows)
        _say(f"generated {rows:,} rows in {time.perf_counter() - t0:.0f} s ({path.stat().st_size / 1e6:.0f} MB)")

        with psycopg.connect(f"{_DSN} dbname={_DB}", autocommit=True) as raw:
            raw.execute("CREATE TABLE bench_copy (id text, name text, native_name text, country text, status text, "
                        "since text)")
            t0 = time.perf_counter()
            with raw.cursor() as cursor, cursor.copy("COPY bench_copy FROM STDIN WITH (FORMAT csv, HEADER true)") as copy, \
                    path.open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    copy.write(chunk)
            copy_seconds = time.perf_counter() - t0
        _say(f"COPY: {rows:,} rows in {copy_seconds:.1f} s")

        shown = [0]

        def progress(report: object, fraction: float | None) -> None:
            done = getattr(report, "rows_read", 0)
            if done >= shown[0] + 100_000:  # called once a batch: say every 100,000 rows crossed
                shown[0] = done - done % 100_000
                _say(f"  {done:,} rows ({time.perf_counter() - t1:.0f} s)")

        backend = _Backend()
        load_before = os.getloadavg()
        t1 = time.perf_counter()
        report = do_import_people(organisation=org, path=path, mapping_text=_MAPPING, source_name="bench",
                                  acting_user="bench", progress=progress)
        seconds = time.perf_counter() - t1
    _say(f"import: {report.created:,} people created, {report.skipped:,} skipped in {seconds:.1f} s")
    # The machine is shared: CPU seconds per process say what the run cost, wall seconds what it got.
    t = report.timings
    _say("wall s: " + ", ".join(f"{k} {t[k]:.1f}" for k in ("wait", "copy", "rebuild", "update") if k in t))
    cpu = {k.removeprefix("cpu_"): t[k] for k in sorted(t) if k.startswith("cpu_")}
    cpu.update(backend.seconds())
    _say("CPU s: " + ", ".join(f"{k} {v:.1f}" for k, v in cpu.items())
         + f"; {sum(cpu.values()) / rows * 1e6:.0f} µs of CPU per row")
    _say(f"load average before {load_before[0]:.2f}, after {os.getloadavg()[0]:.2f}")
    for line, reason in report.errors[:5]:
        _say(f"  skipped line {line}: {reason}")
    out.write_text(json.dumps({"rows": rows, "rows_per_s": rows / seconds, "copy_rows_per_s": rows / copy_seconds,
                               "created": report.created, "skipped": report.skipped}))
    return 0


class _Backend:
    """CPU seconds of the run's PostgreSQL backend (the server is on this machine), and its wait for a CPU."""

    def __init__(self) -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            row = cursor.fetchone()
        self.pid = int(row[0]) if row else 0
        self.start = self._read()

    def _read(self) -> tuple[float, float]:
        try:
            on_cpu, waiting = Path(f"/proc/{self.pid}/schedstat").read_text().split()[:2]
        except (OSError, ValueError):
            return (0.0, 0.0)
        return int(on_cpu) / 1e9, int(waiting) / 1e9

    def seconds(self) -> dict[str, float]:
        on_cpu, waiting = self._read()
        if not self.pid or on_cpu == 0.0:
            return {}
        print(f"  PostgreSQL backend waited {waiting - self.start[1]:.1f} s for a CPU", flush=True)
        return {"server": on_cpu - self.start[0]}


if __name__ == "__main__":
    sys.exit(_child(Path(sys.argv[1])))

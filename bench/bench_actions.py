"""Signing petitions through the whole HTTP path on PostgreSQL, gunicorn with 2 workers (issue 7).

Runs on PostgreSQL (127.0.0.1:5432, user postgres) in its own database
(``BENCH_ACTIONS_DB``, default ``unforgotten_bench_actions``): created and
migrated on first use, then kept. It holds two open petitions of a bench
organisation: ``bench-empty`` (its signatures are deleted before each run) and
``bench-1m``, filled once with 1,000,000 confirmed signatures (kept).

Figures (``BENCH_ACTIONS_SIGNATURES`` posts per petition, default 2,000, from 8
client threads with the loopback's rate limits lifted, so the normal path is
measured, not the quarantine):

- ``actions.sign_ratio_vs_pgbench``: acknowledged signatures per second through
  the page's form POST (CSRF, anti-abuse screening, rate-limit counters,
  encrypted supporter, signature, outbox row, synchronous commit) ÷ pgbench's
  rate of single-row INSERTs into a table with a unique constraint, same server,
  same run, same number of clients (goal ≥ 0.25).
- ``actions.sign_ratio_at_1m``: the rate on the petition holding a million
  signatures ÷ the rate on the empty one (goal ≥ 0.8).
- ``actions.sign_lost``: acknowledged signatures missing from the database after
  both runs (must be 0).

The machine is shared: the load average is printed with the figures.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench._harness import Report

GROUP = "actions"
ROOT = Path(__file__).resolve().parent.parent
DB = os.environ.get("BENCH_ACTIONS_DB", "unforgotten_bench_actions")
URL = f"postgres://postgres@127.0.0.1:5432/{DB}"
CLIENTS = 8
MILLION = int(os.environ.get("BENCH_ACTIONS_FILL", "1000000"))
LIFTED = {f"PETITION_RATE_{k}": "1000000000" for k in (
    "IP_MINUTE", "IP_HOUR", "DOMAIN_MINUTE", "DOMAIN_HOUR", "ADDRESS_MINUTE", "ADDRESS_HOUR")}
# Every timed signature carries a proof of work solved beforehand (what a browser spends searching is the
# visitor's time; the server's check and single use of the proof are timed). A small search space keeps the
# untimed solving short; the server's cost does not depend on it.
POW = {"PETITION_POW_MAX": "2000"}

SETUP = r"""
import django
django.setup()
from unforgotten.accounts.models import Organisation, User
from unforgotten.actions import actions
from unforgotten.actions.models import Petition, Signature
from unforgotten.core import keyring
org, _ = Organisation.objects.get_or_create(slug="bench-actions", defaults={"name": "Bench", "country": "GB"})
user = User.objects.filter(email="bench-actions@example.org").first() or User.objects.create_user(
    email="bench-actions@example.org", password="bench bench bench bench", display_name="Bench")
for slug in ("bench-empty", "bench-1m"):
    if not Petition.objects.filter(slug=slug).exists():
        p = actions.do_create_petition(organisation=org, acting_user=user, data={"name": slug, "slug": slug})
        actions.do_set_petition_text(petition=p, language="en", title=slug, summary="", body="Sign.", acting_user=user)
        actions.do_open_petition(petition=p, acting_user=user)
keyring.active_key_id("supporters")
keyring.active_key_id("outbox")
print(org.pk, Petition.objects.get(slug="bench-empty").pk, Petition.objects.get(slug="bench-1m").pk)
"""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update({"DATABASE_URL": URL, "DJANGO_SETTINGS_MODULE": "unforgotten.settings", "TASKS_BACKEND": "database"})
    return env


def _psql(sql: str, database: str = DB) -> str:
    out = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1",  # noqa: S607
                          "-Atc", sql], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def _prepare() -> tuple[int, int, int]:
    if not _psql(f"SELECT 1 FROM pg_database WHERE datname = '{DB}'", "postgres"):
        _psql(f'CREATE DATABASE "{DB}"', "postgres")
    print("bench actions: migrating (first run only takes long)", flush=True)
    manage = str(Path(sys.executable).parent / "unforgotten")
    subprocess.run([manage, "migrate", "-v0"], cwd=ROOT, env=_env(), check=True)  # noqa: S603  (our own command)
    out = subprocess.run([sys.executable, "-c", SETUP], cwd=ROOT, env=_env(), capture_output=True, text=True,
                         check=True)
    org, empty, full = (int(x) for x in out.stdout.split()[-3:])
    return org, empty, full


def _fill(org: int, petition: int) -> None:
    have = int(_psql(f"SELECT count(*) FROM actions_signature WHERE petition_id = {petition}"))
    if have >= MILLION:
        return
    started = time.perf_counter()
    _psql(f"""
        INSERT INTO actions_supporter (organisation_id, email_key, email_sealed, given_name, country, language,
                                       created_at)
        SELECT {org}, md5('bench-1m-' || g), '\\x00'::bytea, '', 'FR', 'en', current_date
        FROM generate_series({have + 1}, {MILLION}) g;
        INSERT INTO actions_signature (petition_id, supporter_id, state, quarantine, invalidated_at, counted, comment,
                                       comment_chosen, show_name, country, language, token_digest, token_expires,
                                       proof_of_work, pending_consents, signed_at, confirmed_at, anonymised)
        SELECT {petition}, s.id, 'confirmed', '', NULL, true, '', false, false, 'FR', 'en', NULL, NULL, false,
               '{{}}'::jsonb, now(), now(), false
        FROM actions_supporter s
        WHERE s.organisation_id = {org} AND NOT EXISTS (SELECT 1 FROM actions_signature x WHERE x.supporter_id = s.id);
        UPDATE actions_countershard SET counted = (SELECT count(*) FROM actions_signature
                                                  WHERE petition_id = {petition} AND counted)
        WHERE petition_id = {petition} AND shard = 0;
        ANALYZE actions_supporter; ANALYZE actions_signature;
    """)
    print(f"bench actions: filled {MILLION} signatures in {time.perf_counter() - started:.0f} s", flush=True)


def _empty(petition: int) -> None:
    _psql(f"""
        DELETE FROM core_outboxmessage WHERE dedupe_key LIKE 'actions.%';
        DELETE FROM actions_signature WHERE petition_id = {petition};
        DELETE FROM actions_supporter s WHERE NOT EXISTS (SELECT 1 FROM actions_signature x WHERE x.supporter_id = s.id);
        DELETE FROM core_ratewindow;
    """)


def _pgbench(seconds: int) -> float:
    _psql("DROP TABLE IF EXISTS bench_pgbench_insert; "
          "CREATE TABLE bench_pgbench_insert (id bigserial PRIMARY KEY, email text NOT NULL UNIQUE, at timestamptz)")
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as script:
        script.write("\\set r random(1, 1000000000000)\n"
                     "INSERT INTO bench_pgbench_insert (email, at) VALUES ('pgb-' || :client_id || '-' || :r || '-' "
                     "|| txid_current(), now());\n")
    try:
        out = subprocess.run(["pgbench", "-h", "127.0.0.1", "-U", "postgres", "-n", "-c", str(CLIENTS), "-j", "2",  # noqa: S607
                              "-T", str(seconds), "-f", script.name, DB], capture_output=True, text=True, check=True)
    finally:
        os.unlink(script.name)
        _psql("DROP TABLE IF EXISTS bench_pgbench_insert")
    found = re.search(r"tps = ([0-9.]+)", out.stdout)
    return float(found.group(1)) if found else 0.0


def run(report: Report) -> None:
    sys.path.insert(0, str(ROOT))
    from unforgotten.actions import loadtest

    n = int(os.environ.get("BENCH_ACTIONS_SIGNATURES", "2000"))
    org, empty, full = _prepare()
    _fill(org, full)
    _empty(empty)
    stamp = int(time.time())
    server = loadtest.Server(URL, workers=2, env_extra={**LIFTED, **POW}).start()
    try:
        # Warm both workers (imports, keys, first queries) before timing.
        loadtest.surge(server.port, "bench-empty", loadtest.addresses(f"warm-{stamp}", 40), clients=CLIENTS)
        proofs = loadtest.solved_proofs(server.port, "bench-empty", 2 * n)
        on_empty = loadtest.surge(server.port, "bench-empty", loadtest.addresses(f"e-{stamp}", n), clients=CLIENTS,
                                  proofs=proofs[:n], server=server)
        on_full = loadtest.surge(server.port, "bench-1m", loadtest.addresses(f"m-{stamp}", n), clients=CLIENTS,
                                 proofs=proofs[n:], server=server)
    finally:
        server.stop()
    tps = _pgbench(20)
    with tempfile.TemporaryDirectory() as tmp:
        lost = sum(loadtest.verify(URL, slug, surge.acknowledged, Path(tmp))["acknowledged_missing"]
                   for slug, surge in (("bench-empty", on_empty), ("bench-1m", on_full)))
    load = os.getloadavg()[0]
    print(f"bench actions: empty {len(on_empty.acknowledged)}/{n} in {on_empty.seconds:.1f} s, "
          f"1m {len(on_full.acknowledged)}/{n} in {on_full.seconds:.1f} s, pgbench {tps:.0f} tps, "
          f"load average {load:.1f}", flush=True)
    for name, surge in (("empty", on_empty), ("1m", on_full)):
        # Where the machine's time went, per acknowledged signature: the load client must not be the limit.
        done = max(1, len(surge.acknowledged))
        print(f"bench actions: {name}: per signature {1000 * surge.seconds / done * CLIENTS:.1f} ms in flight "
              f"({CLIENTS} at a time), server CPU {1000 * surge.server_cpu / done:.2f} ms, "
              f"client CPU {1000 * surge.client_cpu / done:.2f} ms", flush=True)
    report("sign_ratio_vs_pgbench", on_empty.rate / tps if tps else 0.0, "ratio",
           baseline_what=f"pgbench single-row INSERT with a unique constraint, {CLIENTS} clients",
           baseline_value=tps, baseline_unit="tx/s")
    report("sign_ratio_at_1m", on_full.rate / on_empty.rate if on_empty.rate else 0.0, "ratio",
           baseline_what="signatures/s on an empty petition", baseline_value=on_empty.rate, baseline_unit="/s")
    report("sign_lost", lost, "signatures",
           baseline_what="acknowledged signatures", baseline_value=len(on_empty.acknowledged) + len(on_full.acknowledged),
           baseline_unit="signatures")

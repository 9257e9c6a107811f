"""A signing surge against real gunicorn workers on loopback: the T4 harness and the benchmark's engine.

Pure standard library (http.client, threads, signals), so it measures the
platform and not a load tool. It

- starts gunicorn (``--reuse-port``, so a restarted master can bind while the
  orphaned workers of a killed one finish) against a database that already holds
  an open petition;
- runs ``clients`` threads, each fetching the page once (as a browser would)
  and then posting signatures with unique addresses; a signature is
  *acknowledged* when the answer is 200 with the "check your e-mail" page;
  anything else (a reset connection, a 5xx) is *indeterminate*; a connection
  refused before anything was sent (no server listening) is tried again;
- optionally kills a random worker with SIGKILL every few seconds, and the
  master once, restarting it like a supervisor would, recording how many
  requests were in flight at each kill;
- verifies afterwards, in a separate process that reads the database: every
  acknowledged address has its signature, no address has two, and every
  signature has its confirmation outbox row and every such row its signature.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent.parent
VENV_BIN = Path(sys.executable).parent
ACK_MARK = b"Check your e-mail"
FORM_MARK = b'id="sign"'


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_SETTINGS"))}
    env.update({"DATABASE_URL": database_url, "TASKS_BACKEND": "database", "DJANGO_SETTINGS_MODULE":
                "unforgotten.settings", "LOG_LEVEL": "ERROR", "PUBLIC_CACHE_ENABLED": "false"})
    env.update(extra)
    return env


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces, so split after the last ")".
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


@dataclass
class Server:
    database_url: str
    workers: int = 2
    # Threads per worker (gunicorn's gthread worker): a durable signature waits on the disk for a millisecond or
    # more, and a worker that can hold only one request idles through that wait; with a few threads the waits
    # overlap and PostgreSQL writes their commits together (decision 0025). 1 is the plain sync worker.
    threads: int = 4
    port: int = field(default_factory=free_port)
    log: Path = field(default_factory=lambda: ROOT / "var" / "loadtest-gunicorn.log")
    env_extra: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None
    restarts: int = 0

    def start(self, wait: float = 120.0) -> Server:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        handle = self.log.open("ab")
        self.process = subprocess.Popen(  # noqa: S603  (our own venv's gunicorn, fixed arguments)
            [str(VENV_BIN / "gunicorn"), "unforgotten.wsgi:application", "-w", str(self.workers),
             # A threaded worker otherwise accepts up to 1,000 connections into its own queue, and a worker killed
             # takes them all down: it should hold no more than it is working on (and as many waiting).
             "--threads", str(self.threads), "--worker-connections", str(2 * self.threads),
             "-b", f"127.0.0.1:{self.port}", "--reuse-port", "--timeout", "60", "--graceful-timeout", "5"],
            cwd=ROOT, env=server_env(self.database_url, **self.env_extra), stdout=handle, stderr=handle)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}; see {self.log}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    conn.close()
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer in time")

    def cpu_seconds(self) -> float:
        """CPU time the master and its live workers have used so far (user + system), from /proc."""
        if self.process is None:
            return 0.0
        total = 0
        for pid in [self.process.pid, *self.worker_pids()]:
            try:
                fields = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
        return total / os.sysconf("SC_CLK_TCK")

    def worker_pids(self) -> list[int]:
        return children_of(self.process.pid) if self.process else []

    def kill_worker(self, rng: random.Random) -> bool:
        pids = self.worker_pids()
        if not pids:
            return False
        try:
            os.kill(rng.choice(pids), signal.SIGKILL)
        except ProcessLookupError:
            return False
        return True

    def kill_master_and_restart(self) -> None:
        if self.process is None:
            return
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.restarts += 1
        # The supervisor's part: start a new master at once (the old workers notice and exit).
        self.start()

    def stop(self) -> None:
        if self.process is None:
            return
        pids = [self.process.pid, *self.worker_pids()]
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for pid in pids[1:]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process = None


@dataclass
class Surge:
    acknowledged: list[str] = field(default_factory=list)
    indeterminate: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    in_flight_at_kills: list[int] = field(default_factory=list)
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    client_cpu: float = 0.0  # CPU seconds this (client) process used during the surge
    server_cpu: float = 0.0  # CPU seconds gunicorn's master and workers used during it (when the server is known)

    @property
    def rate(self) -> float:
        return len(self.acknowledged) / self.seconds if self.seconds else 0.0


class _Client:
    def __init__(self, port: int, slug: str) -> None:
        self.port, self.slug = port, slug
        self.conn: http.client.HTTPConnection | None = None

    def _connection(self) -> http.client.HTTPConnection:
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        return self.conn

    def reset(self) -> None:
        if self.conn is not None:
            self.conn.close()
        self.conn = None

    def prepare(self) -> None:
        # What a browser does first: read the page (a stored page, the same for everyone: no cookie, no token).
        conn = self._connection()
        conn.request("GET", f"/en/petitions/{self.slug}/")
        response = conn.getresponse()
        body = response.read()
        if response.status != 200 or FORM_MARK not in body:
            raise RuntimeError(f"could not read the petition page ({response.status})")
        # A keep-alive connection a killed worker held is gone: fresh connection per request below.
        self.reset()

    def sign(self, email: str, proof: str = "") -> tuple[int, bytes]:
        body = urlencode({"email": email, "website": "", "altcha": proof})
        conn = self._connection()
        conn.request("POST", f"/en/petitions/{self.slug}/sign/", body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Connection": "close"})
        response = conn.getresponse()
        data = response.read()
        self.reset()
        return response.status, data


def _solve(challenge: dict[str, Any]) -> str:
    # The page script's search (static/actions/pow.js), standard library only: this module runs without Django.
    for number in range(int(challenge["maxnumber"]) + 1):
        if hashlib.sha256(f"{challenge['salt']}{number}".encode()).hexdigest() == challenge["challenge"]:
            payload = {k: challenge[k] for k in ("algorithm", "challenge", "salt", "signature")}
            payload["number"] = number
            return base64.b64encode(json.dumps(payload).encode()).decode()
    raise ValueError("no solution")


def solved_proofs(port: int, slug: str, n: int) -> list[str]:
    """``n`` proofs of work as the page's script makes them: a challenge fetched from the server, then solved.

    Done *before* a timed surge: what a browser spends searching is the visitor's
    time, not the server's, and a Python search would make the load client the
    bottleneck. The server's side of the proof (checking it, spending it once) is
    in every timed request that carries one.
    """
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    proofs = []
    try:
        for _i in range(n):
            conn.request("GET", f"/en/petitions/{slug}/challenge/")
            response = conn.getresponse()
            challenge = json.loads(response.read())
            if response.status != 200:
                raise RuntimeError(f"no challenge ({response.status})")
            proofs.append(_solve(challenge))
    finally:
        conn.close()
    return proofs


def surge(port: int, slug: str, emails: Iterable[str], *, clients: int = 50, server: Server | None = None,
          kill_every: float = 0.0, kill_master_after: float | None = None, seed: int = 4,
          proofs: Iterable[str] = ()) -> Surge:
    """Post every address once from ``clients`` threads (with a solved proof each while ``proofs`` lasts)."""
    solved = list(proofs)
    queue = [(email, solved[i] if i < len(solved) else "") for i, email in enumerate(emails)]
    queue.reverse()
    lock = threading.Lock()
    result = Surge()
    in_flight = [0]
    done = threading.Event()

    def work() -> None:
        client = _Client(port, slug)
        for _attempt in range(50):
            try:
                client.prepare()
                break
            except (OSError, http.client.HTTPException, RuntimeError):
                client.reset()
                time.sleep(0.2)
        while True:
            with lock:
                if not queue:
                    return
                email, proof = queue.pop()
                in_flight[0] += 1
            started = time.monotonic()
            for _refused in range(200):
                try:
                    status, data = client.sign(email, proof)
                except ConnectionRefusedError:
                    # Nothing listened (the master being restarted): the request never left this
                    # process, so its fate is known — not taken. The signer tries again, as a person
                    # would; counting it indeterminate would burn the queue while the port is closed.
                    status, data = 0, b""
                    client.reset()
                    time.sleep(0.05)
                    continue
                except (OSError, http.client.HTTPException):
                    status, data = 0, b""
                    client.reset()
                break
            elapsed = time.monotonic() - started
            with lock:
                in_flight[0] -= 1
                if status == 200 and ACK_MARK in data:
                    result.acknowledged.append(email)
                    result.latencies.append(elapsed)
                elif status in (0, 500, 502, 503, 504):
                    result.indeterminate.append(email)
                else:
                    result.refused.append(email)

    def killer() -> None:
        rng = random.Random(seed)  # noqa: S311  (which worker to kill: no secret)
        started = time.monotonic()
        master_done = kill_master_after is None
        while not done.wait(kill_every):
            if server is None:
                return
            with lock:
                flying = in_flight[0]
            if not master_done and time.monotonic() - started >= (kill_master_after or 0):
                master_done = True
                result.in_flight_at_kills.append(flying)
                server.kill_master_and_restart()
                continue
            if server.kill_worker(rng):
                result.in_flight_at_kills.append(flying)

    threads = [threading.Thread(target=work, daemon=True) for _ in range(clients)]
    kill_thread = threading.Thread(target=killer, daemon=True) if kill_every > 0 else None
    began = time.monotonic()
    cpu_began = time.process_time()
    server_began = server.cpu_seconds() if server is not None else 0.0
    for thread in threads:
        thread.start()
    if kill_thread is not None:
        kill_thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.monotonic() - began
    result.client_cpu = time.process_time() - cpu_began
    result.server_cpu = server.cpu_seconds() - server_began if server is not None else 0.0
    done.set()
    if kill_thread is not None:
        kill_thread.join()
    return result


VERIFY = r"""
import json, sys
from unforgotten.actions.models import Signature, Supporter
from unforgotten.actions.supporters import email_key
from unforgotten.core.models import OutboxMessage
from django.db.models import Count
acknowledged = json.load(open(sys.argv[1]))
slug = sys.argv[2]
keys = {email_key(e) for e in acknowledged}
stored = set(Supporter.objects.filter(signatures__petition__slug=slug).values_list("email_key", flat=True))
signatures = dict(Signature.objects.filter(petition__slug=slug).values_list("pk", "supporter_id"))
per_supporter = Signature.objects.filter(petition__slug=slug).values("supporter_id").annotate(
    n=Count("id")).filter(n__gt=1).count()
per_address = Supporter.objects.values("organisation_id", "email_key").annotate(n=Count("id")).filter(n__gt=1).count()
mails = set(OutboxMessage.objects.filter(kind="actions.confirm_signature", dedupe_key__startswith="actions.sign:")
            .values_list("dedupe_key", flat=True))
mailed = {int(k.split(":")[1]) for k in mails}
print(json.dumps({
    "acknowledged": len(keys), "stored": len(signatures),
    "acknowledged_missing": len(keys - stored),
    "duplicates": per_supporter + per_address,
    "signatures_without_mail": len(set(signatures) - mailed),
    "mails_without_signature": len(mailed - set(signatures)),
}))
"""


def verify(database_url: str, slug: str, acknowledged: list[str], workdir: Path) -> dict[str, Any]:
    path = workdir / "acknowledged.json"
    path.write_text(json.dumps(acknowledged))
    script = workdir / "verify.py"
    script.write_text("import django\ndjango.setup()\n" + VERIFY)
    out = subprocess.run([sys.executable, str(script), str(path), slug], cwd=ROOT,  # noqa: S603  (our own script)
                         env=server_env(database_url), capture_output=True, text=True, timeout=600, check=False)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-4000:])
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def database_url_for(settings_dict: dict[str, Any], sqlite_copy: Path | None) -> str:
    """The URL a subprocess uses to reach the database the test prepared."""
    if settings_dict["ENGINE"].endswith("sqlite3"):
        if sqlite_copy is None:
            raise ValueError("SQLite needs a file copy of the test database")
        return f"sqlite:///{sqlite_copy}"  # absolute path: sqlite:////abs
    user = settings_dict.get("USER") or ""
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or "5432"
    return f"postgres://{auth}{host}:{port}/{settings_dict['NAME']}"


def copy_sqlite(connection: Any, target: Path) -> None:
    """Copy the (in-memory) test database to a file a subprocess can open, then switch it to WAL."""
    import sqlite3

    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    connection.ensure_connection()
    dest = sqlite3.connect(target)
    try:
        connection.connection.backup(dest)
        dest.execute("PRAGMA journal_mode=WAL")
    finally:
        dest.close()


def addresses(prefix: str, n: int) -> list[str]:
    return [f"{prefix}-{i:06d}@example.org" for i in range(n)]

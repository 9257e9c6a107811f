"""Evidence: ingest hashing + encryption beside ``sha256sum``, and an HTTP upload beside ``cp``.

Everything happens in a temporary folder: a 200 MB file of random bytes
(``BENCH_EVIDENCE_MB`` changes the size), a fresh SQLite database migrated by
the bench, its own key file and evidence store. Nothing of the developer's
``var/`` is touched.

Figures:

- ``evidence.hash_ratio_vs_sha256sum``: our ingest throughput ÷ ``sha256sum``'s
  on the same file in the same run (higher is better; goal ≥ 0.8). "Ingest" is
  the path an upload takes: the file is read in the upload handler's 256 KiB
  pieces and pushed through ``store.SealingWriter``, which hashes (SHA-256) and
  encrypts (AES-256-GCM stream) every byte into the store's ``tmp/`` and fsyncs
  the result. Both sides read a file already in the page cache (one untimed
  read first); the best of three runs each.
- ``evidence.upload_ratio_vs_cp``: the wall time of one upload of the file
  through the real HTTP path (a gunicorn process on 127.0.0.1, the evidence API
  ``POST /api/v1/evidence/people/<uuid>/items`` with an organisation API token
  of the bench's own organisation, a multipart body streamed from disk, the
  client's SHA-256 checked, the item stored encrypted and fsync'd) ÷ the wall
  time of ``cp`` of the same file (lower is better; no goal: reported as is).
  The client's hash for ``X-Content-SHA256`` is computed before the clock starts.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench._harness import Report

GROUP = "evidence"

_ROOT = Path(__file__).resolve().parent.parent
_MB = int(os.environ.get("BENCH_EVIDENCE_MB", "200"))
_PIECE = 256 * 1024  # what the evidence upload handler receives at a time
_RUNS = 3


def _make_file(path: Path, size: int) -> None:
    with open(path, "wb") as fh:
        left = size
        while left:
            n = min(left, 8 << 20)
            fh.write(os.urandom(n))
            left -= n


def _best(fn: Any, runs: int = _RUNS) -> float:
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "UNFORGOTTEN_VAR_DIR", "EVIDENCE_ROOT",
                                                            "KEY_FILE", "UNFORGOTTEN_MODE")}
    env.update(DJANGO_SETTINGS_MODULE="unforgotten.settings", DATABASE_URL=f"sqlite:///{tmp / 'bench.sqlite3'}",
               UNFORGOTTEN_VAR_DIR=str(tmp / "var"), EVIDENCE_ROOT=str(tmp / "evidence"),
               KEY_FILE=str(tmp / "var" / "keys" / "kek"), EVIDENCE_MAX_BYTES=str(4 << 30))
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(port: int, proc: subprocess.Popen[bytes], timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.2)
    return False


def _upload(port: int, setup: dict[str, Any], path: Path, digest: str) -> tuple[int, float, str]:
    """POST the file as multipart, streamed from disk; (status, seconds, body excerpt)."""
    boundary = "----uf-bench-" + os.urandom(8).hex()
    fields = {"title": "Bench upload", "collection_method": "received"}
    head = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()
    ) + (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench.bin"\r\n'
         "Content-Type: application/octet-stream\r\n\r\n").encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    size = path.stat().st_size
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    t0 = time.perf_counter()
    conn.putrequest("POST", f"/api/v1/evidence/people/{setup['person']}/items")
    conn.putheader("Authorization", f"Bearer {setup['token']}")
    conn.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
    conn.putheader("Content-Length", str(len(head) + size + len(tail)))
    conn.putheader("X-Content-SHA256", digest)
    conn.endheaders()
    conn.send(head)
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            conn.send(block)
    conn.send(tail)
    response = conn.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - t0
    conn.close()
    return response.status, elapsed, body[:300].decode("utf-8", "replace")


def run(report: Report) -> None:
    if shutil.which("sha256sum") is None or shutil.which("cp") is None:
        print("bench: evidence: skipped: sha256sum or cp is missing", flush=True)
        return
    with tempfile.TemporaryDirectory(prefix="uf-bench-evidence-") as tmp_name:
        tmp = Path(tmp_name)
        data = tmp / "evidence.bin"
        _make_file(data, _MB * 1_000_000)
        digest = hashlib.sha256(data.read_bytes()).hexdigest()  # also warms the page cache
        env = _env(tmp)
        # The Django side (migrate, the organisation, the token, the ingest timing) in a child process.
        out = tmp / "setup.json"
        child = subprocess.run([sys.executable, "-m", "bench.bench_evidence", str(data), str(out)], env=env,
                               cwd=_ROOT, check=False)
        if child.returncode != 0 or not out.exists():
            print("bench: evidence: the measuring process failed (see above); no figures", flush=True)
            return
        setup = json.loads(out.read_text())
        sha_s = _best(lambda: subprocess.run(["sha256sum", str(data)], check=True, stdout=subprocess.DEVNULL))
        ours_s = setup["ingest_seconds"]
        size_mb = data.stat().st_size / 1e6
        report("hash_ratio_vs_sha256sum", (size_mb / ours_s) / (size_mb / sha_s), "×",
               baseline_what=f"sha256sum {size_mb / sha_s:.0f} MB/s; ours (hash+encrypt+fsync)",
               baseline_value=round(size_mb / ours_s), baseline_unit="MB/s")

        copy = tmp / "copy.bin"

        def cp() -> None:
            copy.unlink(missing_ok=True)
            subprocess.run(["cp", str(data), str(copy)], check=True)

        cp_s = _best(cp)
        copy.unlink(missing_ok=True)
        port = _free_port()
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "unforgotten.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1",
             "--timeout", "600", "--log-level", "warning"],
            env=env, cwd=_ROOT)
        try:
            if not _wait_for(port, server):
                print("bench: evidence: the gunicorn server did not start; no upload figure", flush=True)
                return
            status, up_s, excerpt = _upload(port, setup, data, digest)
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        if status != 201:
            print(f"bench: evidence: the upload answered {status}: {excerpt}; no upload figure", flush=True)
            return
        report("upload_ratio_vs_cp", up_s / cp_s, "×",
               baseline_what=f"cp {cp_s:.2f} s; HTTP upload", baseline_value=round(up_s, 2), baseline_unit="s")


def _child(data_path: str, out_path: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)

    from unforgotten.api.actions import do_create_api_token
    from unforgotten.evidence import store
    from unforgotten.registry.testing import make_sample
    from unforgotten.testing import make_cast

    cast = make_cast()
    sample = make_sample(cast)
    _token, raw = do_create_api_token(organisation=cast.org_a, name="bench", scopes=["write"], acting_user=cast.dana)
    store.root().mkdir(parents=True, exist_ok=True)

    def ingest() -> None:
        writer = store.SealingWriter("00000000-0000-4000-8000-000000000000")
        with open(data_path, "rb", buffering=0) as fh:
            while piece := fh.read(_PIECE):
                writer.write(piece)
        writer.finish().discard()

    ingest()  # warm-up: key creation, page cache
    seconds = _best(ingest)
    Path(out_path).write_text(json.dumps({"person": str(sample.person_a.uuid), "token": raw,
                                          "ingest_seconds": seconds}))


if __name__ == "__main__":
    _child(sys.argv[1], sys.argv[2])

"""Public site: a cached profile page under 64 concurrent connections, beside a static server with the same bytes.

Everything runs on loopback in this run:

1. a child process migrates a throw-away SQLite database (a cached hit makes no
   query, so the database does not matter here), creates the test personas and
   the registry sample, and publishes the sample prisoner's profile in English
   and Arabic through the publishing action functions;
2. gunicorn serves ``unforgotten.wsgi`` (stored pages answered in front of
   Django, decision 0022) with the repository's ``gunicorn.conf.py``, the file
   production uses (``gthread``; ``BENCH_PUBLIC_WORKERS`` sets
   ``WEB_CONCURRENCY``, default 2), with the page store in the same temporary
   folder; the Arabic profile is requested once, so it is stored;
3. the same bytes are written to disk and served by the smallest static server
   at hand: Python's ``http.server`` (threading, HTTP/1.1 keep-alive), or nginx
   when ``nginx`` is on the PATH;
4. ``wrk -t2 -c64 -d<BENCH_PUBLIC_SECONDS, default 10>s --latency`` loads each
   in turn.

Figures: ``public.profile_rps_ratio_vs_static`` (requests/s of the cached
profile ÷ the static server's; goal ≥ 0.5), ``public.profile_p99_ms`` (goal
≤ 50), ``public.profile_kb`` (HTML + CSS of the Arabic profile; goal ≤ 100).
Both servers and wrk share the machine's cores, so the ratio, not the absolute
rate, is the figure to compare across machines.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from bench._harness import Report

GROUP = "public"

_ROOT = Path(__file__).resolve().parent.parent
_CONNECTIONS = 64


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(url: str, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310  (loopback)
                response.read()
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@contextlib.contextmanager
def _server(command: list[str], env: dict[str, str], cwd: Path, url: str) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait(url)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _wrk(url: str, seconds: int) -> tuple[float, float]:
    """(requests per second, p99 in ms) from one wrk run."""
    out = subprocess.run(["wrk", "-t2", f"-c{_CONNECTIONS}", f"-d{seconds}s", "--latency", url],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    value, unit = re.search(r"\s99%\s+([\d.]+)(us|ms|s)\b", out).groups()  # type: ignore[union-attr]
    p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        print(f"  {url}: {errors.group(1)} non-2xx responses", flush=True)
    return rps, p99


_STATIC_SERVER = """
import http.server, sys
class Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args): pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
"""


def _static_command(root: Path, port: int) -> list[str]:
    nginx = shutil.which("nginx")
    if nginx:
        conf = root.parent / "nginx.conf"
        conf.write_text(f"daemon off; worker_processes 2; pid {root.parent}/nginx.pid; error_log stderr;\n"
                        f"events {{ worker_connections 1024; }}\n"
                        f"http {{ access_log off; server {{ listen 127.0.0.1:{port}; root {root}; }} }}\n")
        return [nginx, "-c", str(conf), "-p", str(root.parent)]
    return [sys.executable, "-c", _STATIC_SERVER, str(port)]


def run(report: Report) -> None:
    if shutil.which("wrk") is None:
        print("bench: public: skipped: wrk is not installed (make system)", flush=True)
        return
    seconds = int(os.environ.get("BENCH_PUBLIC_SECONDS", "10"))
    workers = os.environ.get("BENCH_PUBLIC_WORKERS", "2")
    with tempfile.TemporaryDirectory(prefix="bench-public-") as tmp:
        base = Path(tmp)
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "UNFORGOTTEN_VAR_DIR", "DEBUG")}
        env.update(DJANGO_SETTINGS_MODULE="unforgotten.settings", UNFORGOTTEN_VAR_DIR=str(base / "var"),
                   DATABASE_URL=f"sqlite:///{base}/bench.sqlite3", PUBLIC_CACHE_DIR=str(base / "public-cache"),
                   PUBLIC_CACHE_SECONDS="3600", MEDIA_ROOT=str(base / "media"), LOG_LEVEL="ERROR")
        prepared = base / "prepared.json"
        subprocess.run([sys.executable, "-m", "bench.bench_public", str(prepared)], env=env, cwd=_ROOT, check=False)
        if not prepared.exists():
            print("bench: public: preparing the data failed (see above); no figures", flush=True)
            return
        path = json.loads(prepared.read_text())["path"]
        port = _free_port()
        url = f"http://127.0.0.1:{port}{path}"
        # The production configuration (gunicorn.conf.py in _ROOT, read by gunicorn from its working folder);
        # only the address and the number of workers are given here.
        env["WEB_CONCURRENCY"] = workers
        gunicorn = [str(Path(sys.executable).parent / "gunicorn"), "-c", str(_ROOT / "gunicorn.conf.py"),
                    "unforgotten.wsgi:application", "-b", f"127.0.0.1:{port}", "--log-level", "error"]
        with _server(gunicorn, env, _ROOT, url):
            with urllib.request.urlopen(url) as response:  # noqa: S310  (loopback)
                html = response.read()
            with urllib.request.urlopen(url) as response:  # noqa: S310
                assert response.headers.get("X-Public-Cache") == "hit", "the profile was not served from the store"
            css_url = re.search(rb'href="([^"]+\.css)"', html).group(1).decode()  # type: ignore[union-attr]
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{css_url}") as response:  # noqa: S310
                css = response.read()
            rps, p99 = _wrk(url, seconds)
        root = base / "static"
        target = root / path.strip("/") / "index.html"
        target.parent.mkdir(parents=True)
        target.write_bytes(html)
        static_port = _free_port()
        static_url = f"http://127.0.0.1:{static_port}{path}index.html"
        with _server(_static_command(root, static_port), env, root, static_url):
            static_rps, static_p99 = _wrk(static_url, seconds)
    server = "nginx" if shutil.which("nginx") else "python http.server (threading, keep-alive)"
    report("profile_rps_ratio_vs_static", rps / static_rps, "x",
           baseline_what=f"static_rps ({server}, same bytes, {_CONNECTIONS} connections; "
                         f"profile served at {rps:.0f} req/s by gunicorn, {workers} workers, gunicorn.conf.py)",
           baseline_value=static_rps, baseline_unit="req/s")
    report("profile_p99_ms", p99, "ms", baseline_what=f"static_p99_ms ({server})", baseline_value=static_p99,
           baseline_unit="ms")
    report("profile_kb", (len(html) + len(css)) / 1024, "KB", baseline_what="css_kb (the stylesheet alone)",
           baseline_value=len(css) / 1024, baseline_unit="KB")


# --- the preparing process -----------------------------------------------------------------------------


def _prepare(out: Path) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from unforgotten.publishing import actions
    from unforgotten.registry.testing import make_sample
    from unforgotten.testing import make_cast

    call_command("migrate", verbosity=0)
    cast = make_cast()
    sample = make_sample(cast)
    story = ("موسيقية وناشطة، سُجنت لقيادتها احتجاجات سلمية. " * 20 + "\n\n") * 4
    for language in ("en", "ar"):
        profile = actions.do_create_profile(person=sample.person_a, language=language, data={"story": story},
                                            acting_user=cast.amal)
        actions.do_submit_for_review(profile=profile, acting_user=cast.amal)
        actions.do_approve(profile=profile, acting_user=cast.bilal)
    out.write_text(json.dumps({"path": f"/ar/prisoners/{sample.person_a.slug}/"}))


if __name__ == "__main__":
    _prepare(Path(sys.argv[1]))

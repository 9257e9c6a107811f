"""T12: headers, cookies and deploy configuration, checked under *production* settings.

Production settings are computed from the environment when the settings module
is imported, and this process already runs development settings; so both checks
run in subprocesses with a production environment (``header_crawl.production_env``:
``UNFORGOTTEN_MODE=production``, a 60-character ``SECRET_KEY``,
``ALLOWED_HOSTS=testserver,example.org``, a temporary SQLite file):

- ``unforgotten check --deploy --fail-level WARNING`` must exit 0;
- ``tests/header_crawl.py`` GETs and TRACEs every route as the anonymous visitor
  and as every persona, logs in through the forms, and reports what came back;
  the tests below assert on that report, one property each, so a failure names
  the property that is missing and where.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.header_crawl import production_env

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
MIN_ROUTE_COVERAGE = 0.90
ONE_YEAR = 31_536_000
SHOWN = 20
SIGNED_IN = ("amal", "bilal", "dana", "vera", "chris", "pat")
SIGNED_OUT = ("anonymous", "dmitri")
VERSION = re.compile(r"\d+(\.\d+)+|/\s*\d")

Response = dict[str, Any]


def _unforgotten() -> list[str]:
    for script in (REPO / ".venv" / "bin" / "unforgotten", Path(sys.executable).parent / "unforgotten"):
        if script.is_file():
            return [str(script)]
    return [sys.executable, "-m", "unforgotten.cli"]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    workdir = tmp_path_factory.mktemp("production")
    done = subprocess.run(
        [sys.executable, "-m", "tests.header_crawl"], cwd=REPO, env=production_env(workdir),
        capture_output=True, text=True, timeout=900, check=False,
    )
    assert done.returncode == 0, f"tests/header_crawl.py failed ({done.returncode}):\n{done.stderr[-6000:]}"
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    assert lines, f"tests/header_crawl.py printed nothing; stderr:\n{done.stderr[-3000:]}"
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def _headers(response: Response) -> dict[str, str]:
    return {k.lower(): v for k, v in response["headers"].items()}


def _is_html(response: Response) -> bool:
    return _headers(response).get("content-type", "").lower().startswith("text/html")


def _csp(value: str) -> dict[str, str]:
    """``"default-src 'self'; frame-ancestors 'none'"`` → ``{"default-src": "'self'", …}``."""
    out: dict[str, str] = {}
    for part in value.split(";"):
        name, _, sources = part.strip().partition(" ")
        if name:
            out[name.lower()] = sources.strip()
    return out


def _params(value: str, sep: str) -> dict[str, str]:
    """``"max-age=31536000; includeSubDomains"`` → ``{"max-age": "31536000", "includesubdomains": ""}``."""
    out: dict[str, str] = {}
    for part in value.split(sep):
        name, _, arg = part.strip().partition("=")
        if name:
            out[name.strip().lower()] = arg.strip().strip('"')
    return out


def _summary(findings: Iterable[tuple[Response, str]]) -> str:
    """One line per (method, route, status, problem), naming the personas it hit."""
    grouped: dict[tuple[str, str, int, str], list[str]] = defaultdict(list)
    for response, problem in findings:
        grouped[(response["method"], response["route"], response["status"], problem)].append(response["persona"])
    lines = [f"{method:5} {route} [{status}]: {problem} (as {', '.join(personas)})"
             for (method, route, status, problem), personas in grouped.items()]
    more = f"\n… and {len(lines) - SHOWN} more" if len(lines) > SHOWN else ""
    return f"{len(lines)} problem(s):\n" + "\n".join(lines[:SHOWN]) + more


def _no_findings(findings: list[tuple[Response, str]]) -> None:
    if findings:
        pytest.fail(_summary(findings), pytrace=False)


def _responses(report: dict[str, Any]) -> Iterator[Response]:
    yield from report["responses"]


# ---------------------------------------------------------------------------
# Deploy configuration
# ---------------------------------------------------------------------------


def test_it_passes_the_deploy_check_under_production_settings(tmp_path: Path) -> None:
    done = subprocess.run(
        [*_unforgotten(), "check", "--deploy", "--fail-level", "WARNING"], cwd=REPO,
        env=production_env(tmp_path), capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, f"check --deploy failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"


def test_it_would_fail_the_deploy_check_under_development_settings(tmp_path: Path) -> None:
    # Proof that the check above bites: development settings (no HSTS, no
    # secure cookies) do not pass it.
    env = {k: v for k, v in production_env(tmp_path).items() if k not in ("UNFORGOTTEN_MODE", "SECRET_KEY")}
    done = subprocess.run(
        [*_unforgotten(), "check", "--deploy", "--fail-level", "WARNING"], cwd=REPO,
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode != 0 and "security.W" in done.stdout + done.stderr, done.stdout + done.stderr


# ---------------------------------------------------------------------------
# The crawl
# ---------------------------------------------------------------------------


def test_it_crawls_at_least_90_percent_of_routes_as_every_persona(report: dict[str, Any]) -> None:
    from unforgotten.testing import PERSONA_NAMES

    settings = report["settings"]
    assert settings["PRODUCTION"] is True and settings["DEBUG"] is False, settings
    crawled, total = report["routes_crawled"], report["routes_total"]
    assert len(crawled) / total >= MIN_ROUTE_COVERAGE, (
        f"only {len(crawled)} of {total} routes crawled; no kwargs for: {report['routes_unfilled']}")
    seen = {(r["persona"], r["route"]) for r in _responses(report) if r["method"] == "GET"}
    missing = [(p, key) for p in PERSONA_NAMES for key in crawled if (p, key) not in seen]
    assert missing == [], f"not crawled: {missing[:SHOWN]}"
    # The personas' sessions held for the whole crawl (and Dmitri's never did).
    wrong = [(r, "signed out" if r["persona"] in SIGNED_IN else "signed in") for r in _responses(report)
             if r["persona"] in SIGNED_IN + SIGNED_OUT
             and r["view_user_authenticated"] != (r["persona"] in SIGNED_IN)]
    _no_findings(wrong)
    login = report["login"]
    assert login["login POST"] == {"status": 302, "location": "/accounts/2fa/authenticate/"}, login
    assert login["2fa POST"] == {"status": 302, "location": "/work/"} and login["signed_in"], login


# decision 0028: the only pages another site may frame (the counters partner sites embed, when they answer with
# the counter: 200); every other HTML answer, their own error pages (a TRACE's 405) included, keeps
# frame-ancestors 'none'.
FRAMEABLE = frozenset({"public:profile_counter", "public:campaign_counter"})


def test_it_sends_the_security_headers_on_every_html_response(report: dict[str, Any]) -> None:
    findings: list[tuple[Response, str]] = []
    html = [r for r in _responses(report) if _is_html(r)]
    for r in html:
        h = _headers(r)
        csp = _csp(h.get("content-security-policy", ""))
        if r["route"] in FRAMEABLE and r["status"] == 200:
            # The counters partner sites embed: framed by anyone, and nothing else allowed (decision 0028).
            if csp.get("frame-ancestors") != "*" or csp.get("default-src") != "'none'" or "x-frame-options" in h:
                findings.append((r, f"embeddable counter: {h.get('content-security-policy')!r}, "
                                    f"X-Frame-Options {h.get('x-frame-options')!r}"))
        elif csp.get("frame-ancestors") != "'none'":
            findings.append((r, f"CSP without frame-ancestors 'none': {h.get('content-security-policy')!r}"))
        if h.get("x-content-type-options", "").lower() != "nosniff":
            findings.append((r, "no X-Content-Type-Options: nosniff"))
        if h.get("referrer-policy", "").lower() in ("", "unsafe-url"):
            findings.append((r, f"Referrer-Policy {h.get('referrer-policy')!r}"))
        if h.get("cross-origin-opener-policy", "").lower() in ("", "unsafe-none"):
            findings.append((r, f"Cross-Origin-Opener-Policy {h.get('cross-origin-opener-policy')!r}"))
    assert len(html) > 500, f"only {len(html)} HTML responses: the crawl saw too little"
    _no_findings(findings)
    # Not only HTML: no response may be sniffed into something else.
    unsniffed = [(r, "no X-Content-Type-Options: nosniff") for r in _responses(report)
                 if _headers(r).get("x-content-type-options", "").lower() != "nosniff"]
    _no_findings(unsniffed)


def test_it_sends_hsts_for_a_year_with_subdomains_on_every_https_response(report: dict[str, Any]) -> None:
    findings: list[tuple[Response, str]] = []
    for r in _responses(report):  # every request of the crawl is HTTPS
        value = _headers(r).get("strict-transport-security", "")
        hsts = _params(value, ";")
        max_age = hsts.get("max-age", "")
        if not max_age.isdigit() or int(max_age) < ONE_YEAR or "includesubdomains" not in hsts:
            findings.append((r, f"Strict-Transport-Security {value!r}"))
    _no_findings(findings)


def test_it_forbids_storing_every_authenticated_response(report: dict[str, Any]) -> None:
    authenticated = [r for r in _responses(report) if r["authenticated"]]
    findings = [(r, f"Cache-Control {_headers(r).get('cache-control')!r}") for r in authenticated
                if "no-store" not in _params(_headers(r).get("cache-control", ""), ",")]
    assert len(authenticated) > 500, f"only {len(authenticated)} authenticated responses"
    _no_findings(findings)


def test_it_sets_only_secure_samesite_host_prefixed_cookies(report: dict[str, Any]) -> None:
    session_name = report["settings"]["SESSION_COOKIE_NAME"]
    findings: list[tuple[Response, str]] = []
    names: set[str] = set()
    for r in _responses(report):
        for c in r["cookies"]:
            names.add(c["name"])
            what = f"cookie {c['name']}" + (" (deletion)" if c["deleted"] else "")
            if not c["secure"]:
                findings.append((r, f"{what} without Secure"))
            if c["samesite"].lower() not in ("lax", "strict"):
                findings.append((r, f"{what} with SameSite={c['samesite'] or '(none)'}"))
            if not c["name"].startswith("__Host-"):
                findings.append((r, f"{what} without the __Host- prefix"))
            if c["path"] != "/" or c["domain"]:
                findings.append((r, f"{what} with Path={c['path']!r} Domain={c['domain']!r} (__Host- needs Path=/ and no Domain)"))
            if c["name"] == session_name and not c["httponly"]:
                findings.append((r, f"{what} without HttpOnly"))
    assert {session_name, report["settings"]["CSRF_COOKIE_NAME"]} <= names, f"cookies seen: {sorted(names)}"
    _no_findings(findings)


def test_it_shows_no_stack_traces_or_version_banners(report: dict[str, Any]) -> None:
    findings: list[tuple[Response, str]] = []
    for r in _responses(report):
        h = _headers(r)
        for name in ("server", "x-powered-by", "x-aspnet-version", "x-runtime"):
            if name in h and VERSION.search(h[name]):
                findings.append((r, f"{name}: {h[name]}"))
        if r["trace_markers"]:
            findings.append((r, f"stack trace in the body: {r['trace_markers']}"))
        if r["version_banners"]:
            findings.append((r, f"version banner in the body: {r['version_banners']}"))
        if r["status"] >= 500:
            findings.append((r, "server error"))
    _no_findings(findings)


def test_it_refuses_trace(report: dict[str, Any]) -> None:
    from unforgotten.testing import PERSONA_NAMES

    traces = [r for r in _responses(report) if r["method"] == "TRACE"]
    assert len(traces) == len(report["routes_crawled"]) * len(PERSONA_NAMES)
    findings = [(r, "TRACE answered") for r in traces if r["status"] not in (400, 405)]
    _no_findings(findings)


def test_it_runs_the_crawl_only_under_production_settings(tmp_path: Path) -> None:
    # The crawl must never report on development settings by mistake.
    env = {k: v for k, v in production_env(tmp_path).items() if k not in ("UNFORGOTTEN_MODE", "SECRET_KEY")}
    done = subprocess.run([sys.executable, "-c", "import tests.header_crawl as c; c.crawl()"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode != 0 and "refusing to crawl" in done.stderr, done.stderr[-2000:]

"""T12 crawl: every route, as every persona, under *production* settings; prints one JSON report.

Production settings are computed from the environment when ``unforgotten.settings``
is imported, so this runs in its own process (``python -m tests.header_crawl``
from the repository root). ``tests/test_security_headers.py`` runs it and makes
the assertions; this script only gathers facts:

- it refuses to crawl anything but production settings (``PRODUCTION`` true,
  ``DEBUG`` false); run by hand without ``UNFORGOTTEN_MODE=production`` it builds
  a throw-away production environment of its own (see ``production_env``);
- it migrates a temporary SQLite file, collects static files (production uses
  the manifest storage, whose pages cannot render without them) and creates the
  personas with ``unforgotten.testing.make_cast``;
- it GETs and TRACEs every route of ``tests.routes.all_routes()`` as the
  anonymous visitor and as each persona (``force_login``), over HTTPS
  (``secure=True`` per request: Django's test ``Client`` takes ``secure`` per
  request, not in its constructor), with kwargs from the rows of
  ``tests.authz_matrix`` (placeholders filled as the matrix test fills them)
  and, for the admin's generated routes, from the objects the admin shows;
- it logs in through the real forms (login page, password, TOTP, with CSRF
  checks on), so the cookies set at login are seen as a browser sees them.

For each response it reports the status, all headers, every cookie set (with
its attributes) and whether the body shows a stack trace or a version banner.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import sys
import tempfile
import time
from collections.abc import Mapping
from http.cookies import Morsel
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
HOST = "testserver"
ALLOWED_HOSTS = "testserver,example.org"
# Variables that would change what "production" means here: a crawl must see
# the defaults an operator gets, not whatever the calling shell had set.
_SCRUBBED = (
    "DEBUG", "DEMO", "SECRET_KEY_FILE", "TRUSTED_PROXIES", "CSRF_TRUSTED_ORIGINS", "SITE_URL",
    "MEDIA_ROOT", "EMAIL_BACKEND", "TASKS_BACKEND", "DJANGO_ALLOW_ASYNC_UNSAFE",
)

# Evidence of a stack trace or a debug page in a body.
TRACE_MARKERS = (
    "Traceback (most recent call last)",
    "You're seeing this error because you have",
    'File "/',
    "django.core.exceptions.",
    "Exception Value:",
)
# "Django/6.1", "Python/3.13", "gunicorn/23.0", "WSGIServer/0.2" …
VERSION_BANNER = re.compile(r"\b(?:Django|Python|CPython|gunicorn|WSGIServer|uvicorn|whitenoise)/\d", re.IGNORECASE)


def _key_file(workdir: Path) -> Path:
    from unforgotten.core.crypto import generate_kek_file

    path = workdir / "keys" / "kek.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        generate_kek_file(path)
    return path


def production_env(workdir: Path, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a production deployment whose state lives under ``workdir``."""
    env = dict(os.environ if base is None else base)
    for name in _SCRUBBED:
        env.pop(name, None)
    env.update(
        UNFORGOTTEN_MODE="production",
        SECRET_KEY=secrets.token_urlsafe(45),  # 60 characters
        ALLOWED_HOSTS=ALLOWED_HOSTS,
        # An absolute path after sqlite:/// (hence four slashes): see core.env.env_database.
        DATABASE_URL=f"sqlite:///{workdir / 'production.sqlite3'}",
        UNFORGOTTEN_VAR_DIR=str(workdir / "var"),
        # Production never generates its key; the crawl brings one, outside the database.
        KEY_FILE=str(_key_file(workdir)),
        DJANGO_SETTINGS_MODULE="unforgotten.settings",
        PYTHONPATH=os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p),
    )
    return env


# ---------------------------------------------------------------------------
# URLs for every route
# ---------------------------------------------------------------------------

_GROUP = re.compile(r"\(\?P<(\w+)>")
_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


def required_kwargs(pattern: str) -> list[str]:
    """Names a route's pattern needs, whether written as ``<int:pk>`` or ``(?P<pk>…)``."""
    return [m.group(2) for m in _CONVERTER.finditer(_strip_groups(pattern))] + _GROUP.findall(pattern)


def _strip_groups(pattern: str) -> str:
    # ``(?P<name>`` looks like a converter to _CONVERTER; hide it.
    return _GROUP.sub("(", pattern)


def _regex_group_end(pattern: str, start: int) -> int:
    """Index just past the group opening at ``start`` (balanced parentheses, escapes skipped)."""
    depth, i = 0, start
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ValueError(f"unbalanced group in {pattern!r}")


def fill_pattern(pattern: str, kwargs: Mapping[str, str]) -> str:
    """The path a pattern matches for ``kwargs`` (for routes that have no name to reverse)."""
    out = pattern
    while (m := _GROUP.search(out)) is not None:
        end = _regex_group_end(out, m.start())
        out = out[: m.start()] + kwargs[m.group(1)] + out[end:]
    out = _CONVERTER.sub(lambda m: kwargs[m.group(2)], out)
    out = out.replace("^", "").replace("$", "")
    return "/" + out


def first_alternative(pattern: str, name: str) -> str | None:
    """For ``(?P<app_label>auth|account|…)``: ``auth``."""
    m = re.search(r"\(\?P<" + re.escape(name) + r">([\w-]+)[|)]", pattern)
    return m.group(1) if m else None


# ---------------------------------------------------------------------------
# The crawl
# ---------------------------------------------------------------------------


def _cookie(morsel: Morsel[str]) -> dict[str, Any]:
    max_age, expires = str(morsel["max-age"]), str(morsel["expires"])
    return {
        "name": morsel.key,
        "secure": bool(morsel["secure"]),
        "httponly": bool(morsel["httponly"]),
        "samesite": str(morsel["samesite"] or ""),
        "path": str(morsel["path"] or ""),
        "domain": str(morsel["domain"] or ""),
        "max_age": max_age,
        "expires": expires,
        # A deletion is a Set-Cookie too: it must carry the same attributes.
        "deleted": morsel.value == "" and (max_age == "0" or "1970" in expires),
    }


def _record(report: list[dict[str, Any]], *, persona: str, method: str, route: str, url: str,
            response: Any, authenticated: bool) -> dict[str, Any]:
    body = b"" if getattr(response, "streaming", False) else response.content
    text = body.decode("utf-8", errors="replace")
    user = getattr(getattr(response, "wsgi_request", None), "user", None)
    entry = {
        "persona": persona,
        "method": method,
        "route": route,
        "url": url,
        "status": response.status_code,
        "authenticated": authenticated,
        "view_user_authenticated": bool(user is not None and user.is_authenticated),
        "headers": {k: v for k, v in response.items()},
        "cookies": [_cookie(m) for m in response.cookies.values()],
        "trace_markers": [m for m in TRACE_MARKERS if m in text],
        "version_banners": sorted(set(VERSION_BANNER.findall(text))),
    }
    report.append(entry)
    return entry


def _placeholders(cast: Any) -> dict[str, str]:
    """The values of ``{org_a}``, ``{member_a}``… in the matrix rows: the matrix's own helper."""
    from tests.authz_matrix import placeholders

    return placeholders(cast)


def _admin_kwargs(pattern: str, names: list[str], cast: Any) -> dict[str, str] | None:
    """Kwargs for the admin's generated routes: a real object of the route's model where one exists."""
    from django.contrib import admin
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from django.urls import reverse

    Group.objects.get_or_create(name="Crawl group")
    out: dict[str, str] = {}
    model_pk: str | None = None
    root = reverse("admin:index").lstrip("/")
    for model in admin.site._registry:
        prefix = f"{root}{model._meta.app_label}/{model._meta.model_name}/"
        if pattern.startswith(prefix):
            pk = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
            # No object of that kind exists (task results): the admin answers
            # "no such object" for a made-up id, which is still a page to check.
            model_pk = str(pk) if pk is not None else "0"
    for name in names:
        if name == "object_id" and model_pk is not None:
            out[name] = model_pk
        elif name == "object_id" and "content_type_id" in names:
            out[name] = str(cast.org_a.pk)
        elif name == "content_type_id":
            out[name] = str(ContentType.objects.get_for_model(type(cast.org_a)).pk)
        elif name == "url":
            out[name] = "no-such-page/"
        elif (alternative := first_alternative(pattern, name)) is not None:
            out[name] = alternative
        else:
            return None
    return out


def _urls(cast: Any) -> tuple[list[tuple[str, str]], list[str]]:
    """(route key, URL) for every route whose kwargs can be filled; and the keys that could not."""
    from django.urls import Resolver404, resolve, reverse

    from tests.authz_matrix import ADMIN_PREFIXES, ROWS
    from tests.routes import all_routes

    values = _placeholders(cast)
    urls: list[tuple[str, str]] = []
    unfilled: list[str] = []
    for route in all_routes():
        names = required_kwargs(route.pattern)
        kwargs: dict[str, str] | None
        if route.key in ROWS:
            kwargs = {k: v.format(**values) for k, v in ROWS[route.key].kwargs.items()}
        elif route.key.startswith(ADMIN_PREFIXES):
            kwargs = _admin_kwargs(route.pattern, names, cast)
        else:
            kwargs = None
        if kwargs is None or set(names) - set(kwargs):
            unfilled.append(route.key)
            continue
        url = reverse(route.name, kwargs=kwargs) if route.name else fill_pattern(route.pattern, kwargs)
        try:
            match = resolve(url)
        except Resolver404:
            unfilled.append(route.key)
            continue
        # The URL must reach this route, not a neighbour (nested regexes lose their "^").
        if match.route.replace("^", "") != route.pattern.replace("^", ""):
            unfilled.append(route.key)
            continue
        urls.append((route.key, url))
    return urls, unfilled


def _csrf_token(response: Any) -> str:
    m = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', response.content)
    if m is None:
        raise RuntimeError(f"no CSRF token in {response.request['PATH_INFO']} ({response.status_code})")
    return m.group(1).decode()


def _login_flow(report: list[dict[str, Any]]) -> dict[str, Any]:
    """Amal logs in through the forms, CSRF checks on, as a browser would over HTTPS."""
    from django.test import Client

    from unforgotten.testing import PASSWORD, totp_code

    client = Client(enforce_csrf_checks=True, raise_request_exception=False, HTTP_HOST=HOST)
    # HTTPS: Django's CSRF check wants the Origin (or Referer) of our own site.
    origin = {"Origin": f"https://{HOST}", "Referer": f"https://{HOST}/accounts/login/"}
    steps: dict[str, Any] = {}

    def step(label: str, method: str, url: str, data: dict[str, str] | None = None, *, authenticated: bool) -> Any:
        if method == "POST":
            response = client.post(url, data or {}, secure=True, headers=origin)
        else:
            response = client.get(url, secure=True)
        _record(report, persona="login:amal", method=method, route=label, url=url, response=response,
                authenticated=authenticated)
        steps[label] = {"status": response.status_code, "location": response.get("Location", "")}
        return response

    page = step("login page", "GET", "/accounts/login/", authenticated=False)
    step("login POST (wrong password)", "POST", "/accounts/login/",
         {"login": "amal@example.org", "password": "not the password", "csrfmiddlewaretoken": _csrf_token(page)},
         authenticated=False)
    page = step("login page again", "GET", "/accounts/login/", authenticated=False)
    step("login POST", "POST", "/accounts/login/",
         {"login": "amal@example.org", "password": PASSWORD, "csrfmiddlewaretoken": _csrf_token(page)},
         authenticated=False)
    page = step("2fa page", "GET", "/accounts/2fa/authenticate/", authenticated=False)
    remaining = 30 - time.time() % 30  # a code about to expire could be refused by the time it arrives
    if remaining < 2:
        time.sleep(remaining + 0.2)
    step("2fa POST", "POST", "/accounts/2fa/authenticate/",
         {"code": totp_code(), "csrfmiddlewaretoken": _csrf_token(page)}, authenticated=False)
    home = step("workspace after login", "GET", "/work/", authenticated=True)
    steps["signed_in"] = bool(home.status_code == 200 and b"Rights Watch (Org A)" in home.content)
    return steps


def crawl() -> dict[str, Any]:
    import django

    django.setup()
    from django.conf import settings

    if not settings.PRODUCTION or settings.DEBUG:
        raise SystemExit("header_crawl: refusing to crawl without production settings (UNFORGOTTEN_MODE=production)")

    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)

    from django.core.cache import cache
    from django.test import Client
    from django.test.utils import setup_test_environment

    from unforgotten.testing import PERSONA_NAMES, make_cast

    # Test mode for the client (in-memory mail, response.templates); settings stay production's.
    setup_test_environment()
    cast = make_cast()
    urls, unfilled = _urls(cast)
    report: list[dict[str, Any]] = []

    for persona in PERSONA_NAMES:
        client = Client(raise_request_exception=False, HTTP_HOST=HOST)
        user = cast.persona(persona)
        if user is not None:
            client.force_login(user)
        signed_in = user is not None and user.is_active
        for key, url in urls:
            cache.clear()  # throttle counters must not turn later answers into 429s
            for method in ("GET", "TRACE"):
                response = client.get(url, secure=True) if method == "GET" else client.trace(url, secure=True)
                _record(report, persona=persona, method=method, route=key, url=url, response=response,
                        authenticated=signed_in)
    cache.clear()
    login = _login_flow(report)
    return {
        "settings": {
            "PRODUCTION": settings.PRODUCTION,
            "DEBUG": settings.DEBUG,
            "SESSION_COOKIE_NAME": settings.SESSION_COOKIE_NAME,
            "CSRF_COOKIE_NAME": settings.CSRF_COOKIE_NAME,
            "DATABASE": settings.DATABASES["default"]["NAME"],
        },
        "routes_total": len(urls) + len(unfilled),
        "routes_crawled": [key for key, _url in urls],
        "routes_unfilled": unfilled,
        "login": login,
        "responses": report,
    }


def main() -> int:
    if os.environ.get("UNFORGOTTEN_MODE") != "production":
        # Run by hand: a throw-away production deployment of our own.
        workdir = Path(tempfile.mkdtemp(prefix="unforgotten-crawl-"))
        os.environ.update(production_env(workdir))
        if str(REPO) not in sys.path:
            sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unforgotten.settings")
    result = crawl()
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

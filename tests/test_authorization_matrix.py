"""T1: every route × method × persona answers as the matrix says, and refusals leak nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.authz_matrix import ADMIN_INDEX, ADMIN_PREFIXES, PERSONAS, ROWS, Row, placeholders
from tests.routes import all_routes

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def _url(name: str, kwargs: dict[str, str], values: dict[str, str]) -> str:
    return reverse(name, kwargs={k: v.format(**values) for k, v in kwargs.items()})


_SESSIONS: dict[tuple[int, str], Any] = {}


@pytest.fixture(autouse=True)
def _fresh_sessions() -> Any:
    # Sessions are cached per cast object, and a later test's cast can reuse a
    # dead one's id(): start every test with none, so no stale cookie is sent.
    _SESSIONS.clear()
    yield
    _SESSIONS.clear()


def _client(cast: Any, persona: str, *, fresh: bool = False) -> Client:
    """A client signed in as ``persona``, reusing one login per persona (logins are slow)."""
    key = (id(cast), persona)
    client = Client()
    user = cast.persona(persona)
    if user is None:
        return client
    if fresh or key not in _SESSIONS:
        client.force_login(user)
        _SESSIONS[key] = client.cookies
    client.cookies = _SESSIONS[key].__class__(_SESSIONS[key])
    return client


def _request(client: Client, method: str, url: str) -> Any:
    return getattr(client, method.lower())(url)


def test_it_has_a_policy_row_for_every_route() -> None:
    missing = [
        r.key for r in all_routes() if r.key not in ROWS and not r.key.startswith(ADMIN_PREFIXES)
    ]
    assert missing == [], f"routes without a row in tests/authz_matrix.py: {missing}"


def test_it_has_no_rows_for_routes_that_do_not_exist() -> None:
    keys = {r.key for r in all_routes()}
    stale = sorted(set(ROWS) - keys)
    assert stale == [], f"rows for routes that no longer exist: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ROWS))
def test_it_answers_every_route_method_and_persona_as_the_matrix_says(cast: Any, name: str) -> None:
    # One test per route, so the runner can spread the matrix over both cores.
    from django.core.cache import cache

    values = placeholders(cast)
    row = ROWS[name]
    url = _url(name, row.kwargs, values)
    wrong: list[str] = []
    for method in METHODS:
        # Throttles count across requests; each batch starts with none spent.
        cache.clear()
        for persona in PERSONAS:
            expected = _expected(row, method, persona)
            # A fresh session per request: a logout must not sign the persona out of the next one.
            response = _request(_client(cast, persona), method, url)
            if name == "account_logout":
                _client(cast, persona, fresh=True)
            if response.status_code != expected:
                wrong.append(f"{method:6} {name:40} {persona:9} expected {expected} got {response.status_code}")
    assert wrong == [], "\n" + "\n".join(wrong)


def _expected(row: Row, method: str, persona: str) -> int:
    if method in row.methods:
        return row.methods[method].status(persona)
    if isinstance(row.other_methods, int):
        return row.other_methods
    return row.other_methods.status(persona)


@pytest.mark.django_db
def test_it_answers_forbidden_exactly_like_not_found(cast: Any) -> None:
    values = placeholders(cast)
    checked = 0
    for name, row in ROWS.items():
        if row.probe is None:
            continue
        for method, expect in row.methods.items():
            if method == "HEAD":
                continue
            for persona in PERSONAS:
                if expect.status(persona) != expect.denied or persona in ("anonymous", "dmitri"):
                    continue
                client = _client(cast, persona)
                real = _request(client, method, _url(name, row.kwargs, values))
                ghost = _request(client, method, _url(name, row.probe, values))
                assert (real.status_code, len(real.content)) == (ghost.status_code, len(ghost.content)), (
                    f"{method} {name} as {persona}: forbidden {real.status_code}/{len(real.content)} bytes "
                    f"but not-found {ghost.status_code}/{len(ghost.content)} bytes"
                )
                checked += 1
    assert checked > 20


@pytest.mark.django_db
def test_it_lets_only_platform_admins_into_the_admin(cast: Any) -> None:
    url = reverse("admin:index")
    for persona in PERSONAS:
        response = _client(cast, persona).get(url)
        assert response.status_code == ADMIN_INDEX.methods["GET"].status(persona), persona


def _sneaky(request: Any) -> Any:
    raise AssertionError("never called")


def test_it_fails_when_a_route_is_added_without_a_row(settings: Any) -> None:
    # Proof that the guard bites: a throwaway URLconf with one extra route.
    import sys
    import types

    from django.urls import clear_url_caches, path

    from unforgotten import urls as project_urls

    module = types.ModuleType("tests._extra_urls")
    module.urlpatterns = [*project_urls.urlpatterns, path("sneaky/", _sneaky, name="sneaky")]  # type: ignore[attr-defined]
    sys.modules["tests._extra_urls"] = module
    settings.ROOT_URLCONF = "tests._extra_urls"
    clear_url_caches()
    try:
        missing = [r.key for r in all_routes() if r.key not in ROWS and not r.key.startswith(ADMIN_PREFIXES)]
        assert missing == ["sneaky"]
    finally:
        clear_url_caches()

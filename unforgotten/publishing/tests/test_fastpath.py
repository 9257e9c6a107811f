"""The WSGI front of the page store (decision 0022): a hit is answered without Django, with Django's own headers.

Personas: Amal (case officer of Org A) writes profiles, Bilal (reviewer of Org A) approves them; readers are
anonymous. The in-process tests call ``unforgotten.wsgi``'s wrapper around a real Django WSGI handler; the
cross-process test runs gunicorn with the repository's ``gunicorn.conf.py`` and purges from this process.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import Client

from unforgotten.publishing import actions, cache
from unforgotten.publishing.fastpath import PublicPageStoreApp
from unforgotten.publishing.tests.conftest import publish
from unforgotten.registry.testing import make_sample
from unforgotten.testing import WSGIAnswer, wsgi_call

ROOT = Path(__file__).resolve().parents[3]
# Differ on every answer by design: a fresh request id, and whether the store answered.
PER_ANSWER = frozenset({"x-request-id", "x-public-cache"})


class Answer(WSGIAnswer):
    def stable_headers(self, per_answer: frozenset[str] = PER_ANSWER) -> list[tuple[str, str]]:
        return super().stable_headers(per_answer)


class Front:
    """The wrapper as gunicorn runs it, around a Django handler that counts the requests it gets."""

    def __init__(self) -> None:
        self.django = WSGIHandler()
        self.reached_django = 0

        def counting(environ: dict[str, Any], start_response: Any) -> Any:
            self.reached_django += 1
            return self.django(environ, start_response)

        self.app = PublicPageStoreApp(counting)

    def get(self, path: str, *, method: str = "GET", host: str = "testserver", cookie: str = "",
            scheme: str = "http") -> Answer:
        got = wsgi_call(self.app, path, method=method, host=host, scheme=scheme,
                        extra={"HTTP_COOKIE": cookie} if cookie else None)
        return Answer(got.status, got.headers, got.body)


@pytest.fixture
def front() -> Iterator[Front]:
    # As Django's test client does: the request signals must not close the test's transaction's connection.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield Front()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def published(cast: Any) -> Any:
    sample = make_sample(cast)
    publish(sample.person_a, "ar", "قصة العائلة.", author=cast.amal, reviewer=cast.bilal)
    publish(sample.person_a, "en", "The family's story.", author=cast.amal, reviewer=cast.bilal)
    return sample


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["/ar/prisoners/{slug}/", "/en/prisoners/{slug}/", "/ar/", "/en/stories/"])
def test_it_answers_a_stored_page_with_exactly_the_headers_django_sent(
        front: Front, published: Any, page: str, django_assert_num_queries: Any) -> None:
    path = page.format(slug=published.person_a.slug)
    miss = front.get(path)
    assert miss.status == "200 OK" and miss.get("X-Public-Cache") == "miss" and front.reached_django == 1
    with django_assert_num_queries(0):
        hit = front.get(path)
    assert front.reached_django == 1, "the hit went through Django's handler"
    assert hit.status == miss.status and hit.body == miss.body
    assert hit.get("X-Public-Cache") == "hit"
    # Every header Django sent, in Django's order, with the same values: security headers, CSP,
    # Content-Language, Cache-Control, Vary, Content-Type, Content-Length…
    assert hit.stable_headers() == miss.stable_headers()
    assert [k for k, _v in hit.headers] == [k for k, _v in miss.headers]
    for name in ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options",
                 "Cross-Origin-Opener-Policy", "Content-Language", "Cache-Control", "Content-Length"):
        assert hit.get(name), f"{name} missing from a stored answer"
    assert hit.get("X-Request-ID") and hit.get("X-Request-ID") != miss.get("X-Request-ID")


@pytest.mark.django_db
def test_it_answers_the_same_stored_headers_as_the_middleware(front: Front, published: Any) -> None:
    # The two ways to a stored page (the WSGI front under gunicorn, the middleware under any other server)
    # give the same answer.
    path = f"/ar/prisoners/{published.person_a.slug}/"
    assert Client().get(path)["X-Public-Cache"] == "miss"
    by_middleware = Client().get(path)
    assert by_middleware["X-Public-Cache"] == "hit"
    by_front = front.get(path)
    assert front.reached_django == 0
    assert by_front.body == by_middleware.content
    assert by_front.stable_headers() == [(k, v) for k, v in by_middleware.items() if k.lower() not in PER_ANSWER]


@pytest.mark.django_db
def test_it_answers_head_with_the_headers_and_no_body(front: Front, published: Any) -> None:
    path = f"/en/prisoners/{published.person_a.slug}/"
    miss = front.get(path)
    head = front.get(path, method="HEAD")
    assert front.reached_django == 1
    assert head.body == b"" and head.get("Content-Length") == str(len(miss.body))


@pytest.mark.django_db
def test_it_hands_everything_it_must_not_answer_to_django(front: Front, published: Any) -> None:
    path = f"/en/prisoners/{published.person_a.slug}/"
    front.get(path)
    assert front.reached_django == 1
    front.get(path, cookie="sessionid=abc")  # someone signed in: their answer is Django's, with no-store
    assert front.reached_django == 2
    refused = front.get(path, host="evil.example")  # a host Django refuses is refused, not served
    assert front.reached_django == 3 and refused.status.startswith("400")
    front.get(path, scheme="https")  # stored per scheme: an HTTPS request never gets the HTTP answer
    assert front.reached_django == 4
    front.get(path, method="POST")
    assert front.reached_django == 5
    front.get(f"/en/prisoners/{published.person_a.slug}/", scheme="https")
    assert front.reached_django == 5, "the HTTPS answer is stored and served on its own"


@pytest.mark.django_db
def test_it_stops_answering_a_page_the_moment_it_is_unpublished(front: Front, cast: Any) -> None:
    sample = make_sample(cast)
    profile = publish(sample.person_a, "en", "The family's story.", author=cast.amal, reviewer=cast.bilal)
    path = f"/en/prisoners/{sample.person_a.slug}/"
    front.get(path)
    assert front.get(path).get("X-Public-Cache") == "hit"
    actions.do_unpublish(profile=profile, acting_user=cast.amal)
    gone = front.get(path)
    assert gone.status.startswith("404") and b"family's story" not in gone.body
    assert front.reached_django == 2


@pytest.mark.django_db
def test_it_does_not_store_an_answer_that_sets_a_cookie(cast: Any, published: Any) -> None:
    # A public view that started a session or set a CSRF cookie must not hand that cookie to every reader.
    from django.http import HttpResponse

    from unforgotten.publishing.middleware import CACHEABLE_ATTR, PublicPageCacheMiddleware

    def view(request: Any) -> HttpResponse:
        response = HttpResponse(b"page")
        response.set_cookie("csrftoken", "secret-per-reader")
        setattr(response, CACHEABLE_ATTR, True)
        return response

    from django.test import RequestFactory

    middleware = PublicPageCacheMiddleware(view)
    response = middleware(RequestFactory().get("/en/somewhere/"))
    assert response.cookies and cache.stored_files() == []


# --- across processes: gunicorn with the production configuration, purged from this process ---


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _request(port: int, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_it_stops_answering_in_another_process_right_after_the_purge(cast: Any, page_store: Path, tmp_path: Path,
                                                                      flushable_audit: None) -> None:
    from django.db import connection

    from unforgotten.actions import loadtest

    sample = make_sample(cast)
    copy = None
    if connection.vendor == "sqlite":
        # The server reads a copy taken before publishing: whatever it answers after the purge comes from its
        # own render (a 404), never from the store.
        copy = tmp_path / "server.sqlite3"
        loadtest.copy_sqlite(connection, copy)
    profile = publish(sample.person_a, "en", "The family's story, told tonight.", author=cast.amal,
                      reviewer=cast.bilal)
    path = f"/en/prisoners/{sample.person_a.slug}/"
    stored = Client().get(path, HTTP_HOST="127.0.0.1")  # stored by this process
    assert stored.status_code == 200 and stored["X-Public-Cache"] == "miss"

    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_SETTINGS"))}
    env.update(DJANGO_SETTINGS_MODULE="unforgotten.settings", DATABASE_URL=loadtest.database_url_for(
        connection.settings_dict, copy), PUBLIC_CACHE_DIR=str(page_store), PUBLIC_CACHE_ENABLED="true",
        LOG_LEVEL="ERROR", WEB_CONCURRENCY="2")
    log = (tmp_path / "gunicorn.log").open("wb")
    server = subprocess.Popen(  # noqa: S603  (our own venv's gunicorn, fixed arguments)
        [str(Path(sys.executable).parent / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"),
         "unforgotten.wsgi:application", "-b", f"127.0.0.1:{port}"], cwd=ROOT, env=env, stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                _request(port, "/healthz")
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        # Both workers answer from the store this process wrote, with its headers.
        for _ in range(4):
            status, headers, body = _request(port, path)
            assert status == 200 and headers["x-public-cache"] == "hit" and body == stored.content
            assert headers["content-security-policy"] == stored["Content-Security-Policy"]
            assert headers["referrer-policy"] == stored["Referrer-Policy"]
        actions.do_unpublish(profile=profile, acting_user=cast.amal)
        for _ in range(4):  # the very next request, in whichever worker gets it
            status, headers, body = _request(port, path)
            assert status == 404 and b"told tonight" not in body and "x-public-cache" not in headers
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()

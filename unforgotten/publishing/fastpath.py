"""Stored public pages answered in front of Django: a hit is one file read, no Django handler, no query.

``unforgotten.wsgi`` wraps Django's WSGI application in ``PublicPageStoreApp``. For a GET or HEAD of a public
path without a session cookie, on an allowed host, it looks the page up in the page store
(``publishing.cache``) and, if a fresh copy is there, answers with the status, headers and body stored with it:
the bytes Django sent when it rendered the page (``PublicPageCacheMiddleware`` stores them), plus a fresh
request id. Everything else, misses included, goes to Django unchanged, which renders and stores the page.

Why a wrapper rather than the middleware alone: under a spike, the time of a hit served by the middleware is
mostly Django's handler (request object, signals, the middleware chain), not the file read (decision 0017).

What the wrapper checks, mirroring Django so the answer is the one Django would give:

- the path as Django decodes it (``PATH_INFO`` is latin-1 text of UTF-8 bytes); anything odd goes to Django;
- the host against ``ALLOWED_HOSTS`` (Django answers 400 to the others, and so does it by handing them on);
- the scheme as Django sees it (``SECURE_PROXY_SSL_HEADER``): pages are stored per scheme, so an HTTP request
  Django would redirect to HTTPS is never answered with a page stored for HTTPS;
- the session cookie: a reader who is signed in goes through Django (their answers carry no-store headers).

A purge (unpublish, withdrawn consent) renames the page folder away in any process, so the very next request
in every worker finds no file and goes to Django: nothing is cached in the worker's memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.http.request import split_domain_port, validate_host

from unforgotten.core.middleware import request_id_for, scheme_of
from unforgotten.publishing import cache
from unforgotten.publishing.middleware import storable

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def _status_line(status: int) -> str:
    return f"{status} {HTTPStatus(status).phrase}"  # what Django's WSGIHandler sends


class PublicPageStoreApp:
    """A WSGI application answering stored public pages itself and handing every other request to ``app``."""

    def __init__(self, app: WSGIApp) -> None:
        self.app = app
        self._hosts: dict[str, bool] = {}

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        stored = self._lookup(environ)
        if stored is None:
            return self.app(environ, start_response)
        status, headers, body = stored
        start_response(_status_line(status), [*headers, ("X-Request-ID", request_id_for(environ))])
        return [b"" if environ["REQUEST_METHOD"] == "HEAD" else body]

    def _lookup(self, environ: dict[str, Any]) -> tuple[int, list[tuple[str, str]], bytes] | None:
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or not settings.PUBLIC_CACHE_ENABLED:
            return None
        try:
            path = environ.get("PATH_INFO", "/").encode("iso-8859-1").decode("utf-8")
        except UnicodeError:
            return None
        if not storable(path):
            return None
        # A cheap, cautious test: any cookie whose text holds the session cookie's name goes to Django.
        if settings.SESSION_COOKIE_NAME in environ.get("HTTP_COOKIE", ""):
            return None
        if not self._host_allowed(environ):
            return None
        return cache.get_page(cache.page_key(scheme_of(environ), path))

    def _host_allowed(self, environ: dict[str, Any]) -> bool:
        if settings.USE_X_FORWARDED_HOST:
            return False  # rare; Django's own rules apply
        host = environ.get("HTTP_HOST")
        if not host:
            return False
        known = self._hosts.get(host)
        if known is None:
            domain, _port = split_domain_port(host)
            allowed = settings.ALLOWED_HOSTS
            if settings.DEBUG and not allowed:
                allowed = [".localhost", "127.0.0.1", "[::1]"]  # what Django allows then
            known = bool(domain) and validate_host(domain, allowed)
            if len(self._hosts) < 256:  # remembered for the hosts actually used, never for every forged one
                self._hosts[host] = known
        return known


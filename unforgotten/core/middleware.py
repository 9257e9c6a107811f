from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.utils.cache import add_never_cache_headers, patch_vary_headers

from unforgotten.core import context

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def request_id_for(meta: Mapping[str, Any]) -> str:
    """The id of the request with these WSGI variables: a trusted proxy's, or a new one.

    Public: the page store's WSGI front (publishing.fastpath) answers without this middleware and must give
    the same id a Django answer would.
    """
    from django.conf import settings

    incoming = meta.get("HTTP_X_REQUEST_ID", "")
    trusted = meta.get("REMOTE_ADDR") in settings.TRUSTED_PROXIES
    return incoming if trusted and _SAFE_ID.match(incoming) else uuid.uuid4().hex


def scheme_of(environ: Mapping[str, Any]) -> str:
    """Django's ``HttpRequest.scheme`` from WSGI variables: the trusted proxy's header when configured, else the server's.

    Public: the WSGI fronts (publishing.fastpath, actions.fastpath) answer without a request object and must see
    the scheme Django would (an answer learnt or stored for HTTPS is never given to HTTP).
    """
    from django.conf import settings

    header = settings.SECURE_PROXY_SSL_HEADER
    if header:
        name, secure_value = header
        value = environ.get(name)
        if value is not None:
            return "https" if value.split(",", 1)[0].strip() == secure_value else "http"
    return str(environ.get("wsgi.url_scheme", "http"))


class RequestIdMiddleware:
    """Gives every request an id that audit events and log lines carry.

    An id sent by a trusted front proxy is kept so that its logs line up with
    ours; anything else is replaced, so a client cannot inject text into logs.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = request_id_for(request.META)
        request.request_id = rid  # type: ignore[attr-defined]
        token = context.request_id.set(rid)
        try:
            response = self.get_response(request)
        finally:
            context.request_id.reset(token)
        response["X-Request-ID"] = rid
        return response


# Methods no view here answers: TRACE (and its IIS twin TRACK) would echo a
# request back, CONNECT is for proxies. Some third-party views (Django's admin,
# allauth's "sign-up closed" page) answer any method as if it were GET.
REFUSED_METHODS = frozenset({"TRACE", "TRACK", "CONNECT"})
SERVED_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


class PrivateCacheMiddleware:
    """Authenticated responses are never stored by a browser or a proxy (T12).

    A shared computer in an internet café must not keep a caseworker's pages in
    its cache after they log out.

    Being the innermost middleware, it is also where TRACE, TRACK and CONNECT are
    refused with 405 (T12): a refusal made here still passes through every
    middleware that sets security headers.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in REFUSED_METHODS:
            response: HttpResponse = HttpResponseNotAllowed(SERVED_METHODS)
        else:
            response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            patch_vary_headers(response, ["Cookie"])
        return response


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = context.request_id.get()
        return True


class UnstorableTextMiddleware:
    """An address holding a NUL character is a bad request (400), for every page.

    PostgreSQL refuses text holding NUL and SQLite stores it, so a view that reads
    a query parameter straight into a filter would fail on one engine only (a 500).
    Form fields refuse NUL themselves; the address is checked here once, on the raw
    query string (a NUL arrives as "%00"; the text "%00" would be "%2500"), which
    costs a substring search per request. The API answers such input in its own
    documented shape (api/api.py), so its paths are left to it. Innermost, so the
    refusal still carries every security and cache header the others add.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if ("%00" in query or "\x00" in query or "\x00" in request.path_info) \
                and not request.path_info.startswith("/api/"):
            from unforgotten.core.views import bad_request

            return bad_request(request)
        return self.get_response(request)

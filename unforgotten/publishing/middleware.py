"""Stores public pages as whole HTTP answers, and answers stored ones before sessions, authentication or the database.

Two ways to a stored page, one store:

- ``publishing.fastpath.PublicPageStoreApp`` wraps the WSGI application (``unforgotten.wsgi``): a hit never
  reaches Django at all. That is how gunicorn serves the site.
- ``PublicPageCacheMiddleware`` (here) answers hits for everything else that runs Django's handler (the test
  client, ``runserver``, an ASGI server), and is where pages are *stored*, by every server.

It sits right after the request-id middleware, outside every other one, so the headers it stores are the ones
Django sent (security headers, CSP, Content-Language, Cache-Control, Vary, Content-Length…) and a stored page
is answered with exactly those. Only the request id, different for every request, is left out and added
again on each answer.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from unforgotten.publishing import cache

# Set by public views on responses that are the same for every reader and may be stored.
CACHEABLE_ATTR = "uf_public_cacheable"
CACHE_HEADER = "X-Public-Cache"
# Browsers and proxies must ask again every time: an unpublished page has to
# disappear at once, not when some intermediary's copy expires.
CACHE_CONTROL = "no-cache"
# Headers that differ per request, so never stored (RequestIdMiddleware adds a fresh one to every answer).
PER_REQUEST_HEADERS = frozenset({"x-request-id"})
# Stored public addresses outside the language prefixes (feeds and pages live under /<language>/).
UNPREFIXED_PATHS = frozenset({"/sitemap.xml"})


def public_language(path: str) -> str | None:
    """The language of a public page ("/ar/…" → "ar"), or None for every other path."""
    first = path[1:].split("/", 1)[0]
    if path.startswith("/") and "/" in path[1:] and first in _codes():
        return first
    return None


def storable(path: str) -> bool:
    """Whether answers at ``path`` may be looked up in (and stored to) the page store."""
    return path in UNPREFIXED_PATHS or public_language(path) is not None


def _codes() -> frozenset[str]:
    return frozenset(code for code, _name in settings.LANGUAGES)


def stored_headers(response: HttpResponse) -> list[tuple[str, str]]:
    """The headers to store with a page: Django's, in order, less the per-request ones, marked as a hit."""
    headers = [(name, value) for name, value in response.items() if name.lower() not in PER_REQUEST_HEADERS
               and name.lower() != CACHE_HEADER.lower()]
    return [*headers, (CACHE_HEADER, "hit")]


class PublicPageCacheMiddleware:
    """A stored public page is answered here: 0 database queries per hit; a cacheable render is stored here.

    Requests carrying a session cookie are not answered from the store (staff keep their no-store headers and
    their identity; they are not the crowd a spike is made of). Only GET and HEAD of public paths are looked
    up; the query string is ignored (public views ignore it too), so it cannot be used to force renders. The
    host is checked against ``ALLOWED_HOSTS`` before a stored page is answered, as Django would.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if request.method not in ("GET", "HEAD") or not storable(path) \
                or settings.SESSION_COOKIE_NAME in request.COOKIES:
            return self.get_response(request)
        request.get_host()  # DisallowedHost → 400, as for any other request
        key = cache.page_key(request.scheme or "http", path)
        stored = cache.get_page(key)
        if stored is not None:
            status, headers, body = stored
            return HttpResponse(body, status=status, headers=dict(headers))
        epoch = cache.current_epoch()
        response = self.get_response(request)
        if (response.status_code == 200 and getattr(response, CACHEABLE_ATTR, False) and request.method == "GET"
                and not response.streaming and not response.cookies):
            headers = stored_headers(response)
            cache.put_page(key, response.status_code, headers, response.content, epoch)
            response[CACHE_HEADER] = "miss"
        return response

"""Serves stored public pages before sessions, authentication or the database are touched."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.csp import CSP, build_policy

from unforgotten.publishing import cache

# Set by public views on responses that are the same for every reader and may be stored.
CACHEABLE_ATTR = "uf_public_cacheable"
CACHE_HEADER = "X-Public-Cache"
# Browsers and proxies must ask again every time: an unpublished page has to
# disappear at once, not when some intermediary's copy expires.
CACHE_CONTROL = "no-cache"


def public_language(path: str) -> str | None:
    """The language of a public page ("/ar/…" → "ar"), or None for every other path."""
    first = path[1:].split("/", 1)[0]
    if path.startswith("/") and "/" in path[1:] and first in _codes():
        return first
    return None


@functools.lru_cache(maxsize=4)
def _policy(config: str) -> str:
    # Keyed by the settings' repr so a test that changes SECURE_CSP gets its own policy.
    return str(build_policy(settings.SECURE_CSP, None))  # type: ignore[arg-type]


def _codes() -> frozenset[str]:
    return frozenset(code for code, _name in settings.LANGUAGES)


class PublicPageCacheMiddleware:
    """A stored public page is answered here: 0 database queries per hit.

    Sits inside the security, CSP and static-file middleware (so a stored page
    gets the same headers as a fresh one) and outside sessions and
    authentication (so a hit never loads a session). Requests carrying a
    session cookie are not answered from the store. Only GET and HEAD of
    language-prefixed paths are looked up; the query string is ignored (public
    views ignore it too), so it cannot be used to force renders.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = public_language(request.path_info) if request.method in ("GET", "HEAD") else None
        if language is None:
            return self.get_response(request)
        # Someone with a session (staff) goes through the whole stack: their responses must carry
        # the never-store headers and their identity, and they are not the crowd a spike is made of.
        signed_in = settings.SESSION_COOKIE_NAME in request.COOKIES
        stored = None if signed_in else cache.get(request.path_info)
        if stored is not None:
            response = HttpResponse(stored, content_type="text/html; charset=utf-8")
            response["Content-Language"] = language
            response["Cache-Control"] = CACHE_CONTROL
            response[CACHE_HEADER] = "hit"
            # The site's policy, built once per process rather than per hit (public pages carry no inline
            # script, so they need no nonce); the CSP middleware leaves a header it finds in place.
            if settings.SECURE_CSP:
                response.headers[str(CSP.HEADER_ENFORCE)] = _policy(repr(settings.SECURE_CSP))
            return response
        epoch = cache.current_epoch()
        response = self.get_response(request)
        if response.status_code == 200 and getattr(response, CACHEABLE_ATTR, False):
            cache.put(request.path_info, response.content, epoch)
            response[CACHE_HEADER] = "miss"
        return response

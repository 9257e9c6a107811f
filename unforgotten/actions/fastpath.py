"""The signing fast path: a petition's form POST answered before sessions, authentication, CSRF and the view.

Why (decision 0025): a viral petition is hundreds of POSTs a second on a
small machine, and the full middleware stack, the form class and a template
render per signature cost more than the signature itself. Two doors, one
``take()``: ``SigningFront`` in front of Django's handler (``unforgotten.wsgi``,
what gunicorn runs; see its docstring) and this middleware, which sits just
inside the security, CSP and static-file middleware (every answer still gets
their headers; the front learns them from its answers). The *ordinary*
signature is taken:

- it validates the fields with the very functions the form and the action use;
- it screens it (honeypot, proof of work, rate limits: ``abuse.screen``, one
  upsert in a short asynchronous transaction);
- it calls ``actions.do_sign_petition`` (supporter, signature and outbox row in
  one durable transaction, synchronous commit) — the same action the view and the
  API call, so every guarantee of decision 0018 holds;
- it answers the "check your e-mail" page, rendered once per petition, language
  and process.

Everything else (a field to correct, an expired challenge, a closed or unknown
petition) it leaves to the full view, which renders the form with its errors:
the fast path never answers differently from the view, it only answers sooner.

The petition row is cached per process for a few seconds: a petition closed in
the meantime still takes nothing, because the signature's INSERT checks the
petition's state in the same statement (``actions._insert_signature``).

The POST carries no CSRF token: signing needs no session and reads no cookie,
so there is no ambient authority for a forged cross-site form to ride, and a
signature counts only once its owner confirms it from the e-mailed link. That is
also what lets the petition page itself be stored and served to everyone.
"""

from __future__ import annotations

import io
import json
import re
import threading
import time
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl

from django.conf import settings
from django.core import signals
from django.core.exceptions import TooManyFieldsSent, ValidationError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

from unforgotten.actions import abuse, actions
from unforgotten.actions.models import Petition, PetitionStatus
from unforgotten.core import antispam, context
from unforgotten.core.middleware import request_id_for, scheme_of

PETITION_TTL = 5.0  # seconds a process trusts its copy of a petition row (the INSERT re-checks the state)
PATH = re.compile(r"^/(?P<language>[A-Za-z_-]+)/petitions/(?P<slug>[-a-zA-Z0-9_]+)/(?P<what>sign|challenge)/$")
FALSE_VALUES = {"false": False, "true": True}

_lock = threading.Lock()
_petitions: dict[str, tuple[float, Petition | None]] = {}
_pages: dict[tuple[int, str, str], bytes] = {}


def _languages() -> frozenset[str]:
    return frozenset(code for code, _name in settings.LANGUAGES)


def cached_petition(slug: str, now: float | None = None) -> Petition | None:
    """The public petition of ``slug`` (texts prefetched), read at most once per ``PETITION_TTL`` per process."""
    now = time.monotonic() if now is None else now
    hit = _petitions.get(slug)
    if hit is not None and hit[0] > now:
        return hit[1]
    petition = Petition.objects.filter(slug=slug, status=PetitionStatus.OPEN).prefetch_related("texts").first()
    with _lock:
        if len(_petitions) > 1000:  # slugs are typed by anyone: keep the memory bounded
            _petitions.clear()
        _petitions[slug] = (now + PETITION_TTL, petition)
    return petition


def forget(slug: str | None = None) -> None:
    """Drop this process's copy of a petition (all of them when ``slug`` is None): it changed here."""
    with _lock:
        if slug is None:
            _petitions.clear()
            _pages.clear()
            _HOSTS.clear()  # ALLOWED_HOSTS may have changed (tests override it)
        else:
            _petitions.pop(slug, None)


def posted(raw: bytes) -> dict[str, str]:
    """A URL-encoded body read exactly as ``QueryDict(raw)`` reads it, as a plain dict of each name's last value.

    The same parser with the same arguments and limit (``TooManyFieldsSent`` past
    ``DATA_UPLOAD_MAX_NUMBER_FIELDS``), and ``.get`` answers as QueryDict's does (the
    last of repeated values); without the lists and mutability checks of a
    MultiValueDict, which were ~5 % of a signature's CPU in the front.
    """
    charset = settings.DEFAULT_CHARSET
    try:
        text = raw.decode(charset)
    except UnicodeDecodeError:
        text = raw.decode("iso-8859-1")  # what QueryDict does for misbehaving user agents
    try:
        return dict(parse_qsl(text, keep_blank_values=True, encoding=charset,
                              max_num_fields=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS))
    except ValueError as exc:
        raise TooManyFieldsSent("The number of GET/POST parameters exceeded "
                                "settings.DATA_UPLOAD_MAX_NUMBER_FIELDS.") from exc


def _checkbox(data: Any, name: str) -> bool:
    # What Django's CheckboxInput makes of a posted value, so both paths read a form alike.
    value = data.get(name)
    if isinstance(value, str):
        return bool(FALSE_VALUES.get(value.lower(), value))
    return bool(value)


@lru_cache(maxsize=16)
def _country_codes(language: str) -> frozenset[str]:
    from unforgotten.actions.forms import _countries

    return frozenset(code for code, _label in _countries(language))


def thanks_page(petition: Petition, language: str) -> bytes:
    """The "check your e-mail" page: the same for every signer of a petition and language, so rendered once."""
    from unforgotten.actions.public_views import thanks_context

    text = petition.text_for(language)
    key = (petition.pk, language, text.title if text else "")
    page = _pages.get(key)
    if page is None:
        with translation.override(language):
            page = render_to_string("actions/public/check_email.html", thanks_context(petition, language)).encode()
        with _lock:
            if len(_pages) > 1000:
                _pages.clear()
            _pages[key] = page
    return page


def _answer(body: bytes, language: str, *, content_type: str = "text/html; charset=utf-8") -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Language"] = language
    # Not personal, but an answer to a POST (or a one-time challenge): nothing to keep.
    response["Cache-Control"] = "no-store"
    return response


def take(petition: Petition, language: str, data: Any, address: str) -> bool:
    """Take an ordinary signature (True: answer the thanks page) or leave it to the full view (False).

    ``data`` is the posted form (a QueryDict, or ``posted``'s dict), ``address`` the client's as
    ``antispam.client_address`` reads it. Call inside ``translation.override(language)``.
    """
    country = str(data.get("country", "") or "").strip()
    proof = str(data.get(abuse.POW_FIELD, "") or "")
    if len(proof) > 4096 or country not in _country_codes(language):
        return False
    try:
        # The action's own cleaning, once: the screening below needs the normalised address.
        signing = actions.clean_signing(
            petition, email=str(data.get("email", "")), given_name=str(data.get("given_name", "")),
            country=country, language=language, comment=str(data.get("comment", "")),
            consents=[name for name in ("newsletter", "show_name") if _checkbox(data, name)])
    except ValidationError:
        return False
    verdict = abuse.screen(address=address, email=signing.email,
                           honeypot=str(data.get(abuse.HONEYPOT_FIELD, "") or ""), proof=proof)
    if verdict.expired:
        return False
    if not verdict.drop:
        try:
            actions.sign_cleaned(petition, signing, quarantine=verdict.quarantine,
                                 proof_of_work=verdict.proof_of_work)
        except ValidationError:
            # Closed since this process read it: the view says so (it reads the petition afresh).
            forget(petition.slug)
            return False
    return True


def sign(request: HttpRequest, language: str, slug: str) -> HttpResponse | None:
    """Take an ordinary signature; None hands the request to the full view."""
    petition = cached_petition(slug)
    if petition is None or not petition.is_open:
        return None
    with translation.override(language):
        if not take(petition, language, request.POST, abuse.client_address(request)):
            return None
        return _answer(thanks_page(petition, language), language)


def challenge(language: str) -> HttpResponse:
    """A proof-of-work challenge for the page's script: the page itself is the same for everyone (and stored)."""
    return _answer(json.dumps(abuse.new_challenge()).encode(), language,
                   content_type="application/json; charset=utf-8")


class SigningFastPathMiddleware:
    """Answers ``POST /<language>/petitions/<slug>/sign/`` and ``GET …/challenge/`` when it can (see the module)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # A signed-in visitor goes the ordinary way, like the public page store does: the fast path knows
        # nothing of sessions, and the views behind it answer the same.
        if request.method in ("POST", "GET") and settings.SESSION_COOKIE_NAME not in request.COOKIES:
            found = PATH.match(request.path_info)
            # The host only for the fast path's own routes: every other request meets Django's check later.
            if found is not None and found["language"] in _languages() and _host_allowed(request.META):
                failed = request.META.pop(FAILED, None)
                if failed is not None:
                    # The WSGI front met an error: Django answers it, as it would have here (500, logged).
                    raise failed
                if found["what"] == "sign" and request.method == "POST":
                    response = sign(request, found["language"], found["slug"])
                    if response is not None:
                        request.META[ANSWERED] = True
                        return response
                elif found["what"] == "challenge" and request.method == "GET":
                    request.META[ANSWERED] = True
                    return challenge(found["language"])
        return self.get_response(request)


# --- in front of Django -------------------------------------------------------------------------------

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]
# WSGI variables between the front and the middleware (request.META is the WSGI environ itself).
ANSWERED = "unforgotten.signing.answered"  # the middleware answered: its headers may be learnt
FAILED = "unforgotten.signing.failed"  # the front met this exception: the middleware raises it for Django
# An ordinary signature's form is well under this (a 2,000-character comment, percent-encoded); anything longer
# is Django's to refuse or take.
MAX_BODY = 64 * 1024
# Headers of an answer that are the request's own, not the route's.
PER_REQUEST = frozenset({"x-request-id", "content-length"})


# Host headers seen, and whether Django would serve them. Django refuses a host outside ALLOWED_HOSTS
# with a 400 (CommonMiddleware asks ``get_host``, after this fast path); neither the front nor the
# middleware may answer for a host Django would refuse. Asked once per distinct header pair, bounded.
_HOSTS: dict[tuple[str, str, str], bool] = {}


def _host_allowed(meta: dict[str, Any]) -> bool:
    key = (str(meta.get("HTTP_HOST", "")), str(meta.get("HTTP_X_FORWARDED_HOST", "")),
           str(meta.get("SERVER_NAME", "")))
    allowed = _HOSTS.get(key)
    if allowed is None:
        from django.core.exceptions import DisallowedHost
        from django.http import HttpRequest

        probe = HttpRequest()
        probe.META = {name: meta[name] for name in ("HTTP_HOST", "HTTP_X_FORWARDED_HOST", "SERVER_NAME",
                                                    "SERVER_PORT") if name in meta}
        try:
            probe.get_host()
            allowed = True
        except DisallowedHost:
            allowed = False
        if len(_HOSTS) >= 1024:
            _HOSTS.clear()  # a flood of made-up hosts must not grow the process
        _HOSTS[key] = allowed
    return allowed


class SigningFront:
    """The fast path in front of Django's handler (``unforgotten.wsgi``): a signature costs no request object.

    Why: with the signing itself down to one statement, Django's handler, request
    object, POST parsing and the middleware chain were the largest share of a
    signature's CPU (decision 0025). The front takes the same requests as
    ``SigningFastPathMiddleware`` through the same ``take`` and answers with the same
    body and the *headers Django's middleware gave the same route*: it learns them
    from the first answer the middleware gives for each route, language and scheme
    (marked through ``ANSWERED``), and until then hands every request to Django.
    Security, CSP and cache headers are therefore Django's own, never a copy kept in
    step by hand; only ``X-Request-ID`` is made per answer, as Django would.

    Everything else goes to Django untouched, with the body it read put back:
    another method or path, a session cookie, a body that is not a plain URL-encoded
    form of ordinary size, a form the full view must answer (errors, an expired
    challenge, a closed petition). An exception (the database gone) is handed to
    Django too, which raises it inside the middleware chain and answers its 500.
    """

    def __init__(self, app: WSGIApp) -> None:
        self.app = app
        self._heads: dict[tuple[str, str, str], list[tuple[str, str]]] = {}

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD")
        found = PATH.match(environ.get("PATH_INFO", "")) if method in ("POST", "GET") else None
        if (found is None or found["language"] not in _languages()
                or (found["what"] == "sign") != (method == "POST")
                or settings.SESSION_COOKIE_NAME in environ.get("HTTP_COOKIE", "")
                or not _host_allowed(environ)):
            return self.app(environ, start_response)
        route = (found["what"], found["language"], scheme_of(environ))
        head = self._heads.get(route)
        if head is None:
            return self.app(environ, self._learner(route, environ, start_response))
        request_id = request_id_for(environ)
        if found["what"] == "challenge":
            body = json.dumps(abuse.new_challenge()).encode()
        else:
            taken = self._sign(environ, found["language"], found["slug"], request_id)
            if taken is None:
                return self.app(environ, start_response)
            body = taken
        start_response("200 OK", [*head, ("X-Request-ID", request_id)])
        return [body]

    def _learner(self, route: tuple[str, str, str], environ: dict[str, Any],
                 start_response: StartResponse) -> StartResponse:
        def learn(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            if environ.get(ANSWERED) and status.startswith("200 ") and exc_info is None \
                    and not any(name.lower() == "set-cookie" for name, _value in headers):
                self._heads[route] = [(name, value) for name, value in headers if name.lower() not in PER_REQUEST]
            return start_response(status, headers, exc_info) if exc_info is not None else \
                start_response(status, headers)
        return learn

    def _sign(self, environ: dict[str, Any], language: str, slug: str, request_id: str) -> bytes | None:
        """The thanks page, or None for Django (the body it read is put back first)."""
        # What a browser sends for the form; any other spelling (a charset, a multipart body) is Django's to read.
        if environ.get("CONTENT_TYPE", "").strip().lower() != "application/x-www-form-urlencoded":
            return None
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return None
        if not 0 < length <= min(MAX_BODY, settings.DATA_UPLOAD_MAX_MEMORY_SIZE or MAX_BODY):
            return None
        raw = environ["wsgi.input"].read(length)
        # Whatever happens next, Django can read the same body again.
        environ["wsgi.input"] = io.BytesIO(raw)
        if len(raw) != length:
            return None
        token = context.request_id.set(request_id)  # log lines of this signature carry the answer's id
        signals.request_started.send(sender=self.__class__, environ=environ)
        try:
            petition = cached_petition(slug)
            if petition is None or not petition.is_open:
                return None
            with translation.override(language):
                # The parser QueryDict uses, with its limit on the number of fields (``posted``).
                if not take(petition, language, posted(raw), antispam.address_in(environ)):
                    return None
                return thanks_page(petition, language)
        except Exception as exc:  # noqa: BLE001  (handed to Django, which logs it and answers 500)
            environ[FAILED] = exc
            return None
        finally:
            signals.request_finished.send(sender=self.__class__)
            context.request_id.reset(token)


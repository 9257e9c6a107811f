"""The signing fast path: a petition's form POST answered before sessions, authentication, CSRF and the view.

Why (decision 0025): a viral petition is hundreds of POSTs a second on a
small machine, and the full middleware stack, the form class and a template
render per signature cost more than the signature itself. This middleware sits
just inside the security, CSP and static-file middleware (every answer still
gets their headers) and takes the *ordinary* signature:

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

import json
import re
import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

from unforgotten.actions import abuse, actions, supporters
from unforgotten.actions.models import Petition, PetitionStatus

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
        else:
            _petitions.pop(slug, None)


def _checkbox(data: Any, name: str) -> bool:
    # What Django's CheckboxInput makes of a posted value, so both paths read a form alike.
    value = data.get(name)
    if isinstance(value, str):
        return bool(FALSE_VALUES.get(value.lower(), value))
    return bool(value)


def _fields(data: Any, language: str) -> dict[str, Any] | None:
    """The form's cleaned fields, or None when anything needs the full form's error messages."""
    from unforgotten.actions.forms import _countries

    country = str(data.get("country", "") or "").strip()
    proof = str(data.get(abuse.POW_FIELD, "") or "")
    if len(proof) > 4096 or country not in {code for code, _label in _countries(language)}:
        return None
    try:
        return {
            "email": supporters.normalise_email(str(data.get("email", ""))),
            "given_name": actions.clean_text(str(data.get("given_name", "")), limit=actions.MAX_NAME,
                                             field="given_name"),
            "comment": actions.clean_text(str(data.get("comment", "")), limit=actions.MAX_COMMENT, field="comment",
                                          multiline=True),
            "country": country, "proof": proof,
            "consents": [name for name in ("newsletter", "show_name") if _checkbox(data, name)],
        }
    except ValidationError:
        return None


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


def sign(request: HttpRequest, language: str, slug: str) -> HttpResponse | None:
    """Take an ordinary signature; None hands the request to the full view."""
    petition = cached_petition(slug)
    if petition is None or not petition.is_open:
        return None
    with translation.override(language):
        data = request.POST
        fields = _fields(data, language)
        if fields is None:
            return None
        verdict = abuse.screen(address=abuse.client_address(request), email=fields["email"],
                               honeypot=str(data.get(abuse.HONEYPOT_FIELD, "") or ""), proof=fields["proof"])
        if verdict.expired:
            return None
        if not verdict.drop:
            try:
                actions.do_sign_petition(
                    petition=petition, email=fields["email"], given_name=fields["given_name"],
                    country=fields["country"], language=language, comment=fields["comment"],
                    consents=fields["consents"], quarantine=verdict.quarantine,
                    proof_of_work=verdict.proof_of_work)
            except ValidationError:
                # Closed since this process read it: the view says so (it reads the petition afresh).
                forget(slug)
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
            if found is not None and found["language"] in _languages():
                if found["what"] == "sign" and request.method == "POST":
                    response = sign(request, found["language"], found["slug"])
                    if response is not None:
                        return response
                elif found["what"] == "challenge" and request.method == "GET":
                    return challenge(found["language"])
        return self.get_response(request)

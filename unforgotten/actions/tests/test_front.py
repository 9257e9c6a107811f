"""The signing fast path in front of Django's handler (issue 7, decision 0025, second stage).

Personas: Dana (Org A's admin, ``campaign``) runs the petition of the ``pet`` fixture; the public signs. The
tests call ``unforgotten.wsgi``'s wrapper around a real Django WSGI handler that counts what reaches it, as
gunicorn would call it.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import Client, override_settings

from unforgotten.actions import abuse, actions
from unforgotten.actions.fastpath import SigningFront
from unforgotten.actions.models import QuarantineReason, Signature, Supporter
from unforgotten.actions.supporters import email_key
from unforgotten.core.models import OutboxMessage, RateWindow
from unforgotten.testing import WSGIAnswer, wsgi_call

pytestmark = pytest.mark.django_db

SIGN = "/en/petitions/free-them-all/sign/"
CHALLENGE = "/en/petitions/free-them-all/challenge/"


class Front:
    """The front as gunicorn runs it, around a Django handler that counts the requests it gets."""

    def __init__(self) -> None:
        self.django = WSGIHandler()
        self.reached_django = 0
        self.bodies_seen: list[bytes] = []

        def counting(environ: dict[str, Any], start_response: Any) -> Any:
            self.reached_django += 1
            # What Django reads: the front must have put back the body it read.
            stream = environ["wsgi.input"]
            if isinstance(stream, io.BytesIO):
                self.bodies_seen.append(stream.getvalue())
            return self.django(environ, start_response)

        self.app = SigningFront(counting)

    def call(self, path: str, *, method: str = "POST", form: dict[str, Any] | None = None, body: bytes | None = None,
             content_type: str = "application/x-www-form-urlencoded", cookie: str = "", scheme: str = "http",
             remote: str = "203.0.113.7", forwarded: str = "", host: str = "testserver") -> WSGIAnswer:
        raw = body if body is not None else urlencode(form or {}).encode()
        extra = {"HTTP_COOKIE": cookie} if cookie else {}
        if forwarded:
            extra["HTTP_X_FORWARDED_FOR"] = forwarded
        return wsgi_call(self.app, path, method=method, body=raw, content_type=content_type, host=host,
                         scheme=scheme, remote=remote, extra=extra)


def _keep_test_connection() -> None:
    # As Django's test client does for its own requests: the request signals must not close the test's
    # transaction's connection (and a test client request connects them again when it ends).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)


@pytest.fixture
def front() -> Iterator[Front]:
    _keep_test_connection()
    try:
        yield Front()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _form(email: str, **fields: Any) -> dict[str, Any]:
    return {"email": email, "given_name": "", "country": "", "comment": "", "website": "", "altcha": "", **fields}


def _signed(email: str) -> Signature | None:
    return Signature.objects.filter(supporter__email_key=email_key(email)).first()


def test_it_answers_a_signature_in_front_of_django_with_the_headers_django_gave(front: Front, pet: Any) -> None:
    first = front.call(SIGN, form=_form("first@example.com"))
    assert front.reached_django == 1, "the first answer of a route is Django's: the front learns its headers"
    second = front.call(SIGN, form=_form("second@example.com", country="FR", comment="Free them",
                                         newsletter="on"))
    assert front.reached_django == 1, "the second went through Django's handler"
    assert second.status == first.status == "200 OK" and second.body == first.body
    assert b"Check your e-mail" in second.body
    # Django's middleware headers, in Django's order (security, CSP, no-store, language); a fresh request id.
    assert second.stable_headers() == first.stable_headers()
    for name in ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "Cache-Control",
                 "Content-Language", "Content-Type"):
        assert second.get(name), f"{name} missing from the front's answer"
    assert second.get("Cache-Control") == "no-store" and second.get("Set-Cookie") is None
    assert second.get("X-Request-ID") and second.get("X-Request-ID") != first.get("X-Request-ID")
    # The same action wrote the same rows as the middleware would.
    signature = _signed("second@example.com")
    assert signature is not None and signature.country == "FR" and signature.comment == "Free them"
    assert set(signature.pending_consents) == {"counted", "newsletter"} and not signature.quarantine
    assert OutboxMessage.objects.filter(dedupe_key=f"actions.sign:{signature.pk}").count() == 1
    assert _signed("first@example.com") is not None


def test_it_gives_the_middlewares_answer_and_learns_each_language_and_scheme_apart(front: Front, pet: Any) -> None:
    by_middleware = Client().post(SIGN, _form("mw@example.com"))
    _keep_test_connection()
    front.call(SIGN, form=_form("learn@example.com"))
    by_front = front.call(SIGN, form=_form("fast@example.com"))
    assert front.reached_django == 1
    assert by_front.body == by_middleware.content
    assert by_front.stable_headers() == [(k, v) for k, v in by_middleware.items() if k.lower() != "x-request-id"]
    # Arabic and HTTPS answers are learnt from Django on their own: never another route's headers.
    arabic = front.call("/ar/petitions/free-them-all/sign/", form=_form("ar@example.com"))
    assert front.reached_django == 2 and arabic.get("Content-Language") == "ar"
    front.call(SIGN, form=_form("tls@example.com"), scheme="https")
    assert front.reached_django == 3
    front.call(SIGN, form=_form("tls2@example.com"), scheme="https")
    assert front.reached_django == 3


def test_it_answers_a_repeat_and_a_honeypot_like_a_first_signature(front: Front, pet: Any) -> None:
    front.call(SIGN, form=_form("learn@example.com"))
    first = front.call(SIGN, form=_form("hana@example.com"))
    repeat = front.call(SIGN, form=_form("hana@example.com"))
    bot = front.call(SIGN, form=_form("bot@spam.example", website="http://spam.example"))
    assert front.reached_django == 1
    assert first.body == repeat.body == bot.body and first.stable_headers() == bot.stable_headers()
    assert Signature.objects.filter(supporter__email_key=email_key("hana@example.com")).count() == 1
    assert not Supporter.objects.filter(email_key=email_key("bot@spam.example")).exists()


def test_it_hands_django_what_the_full_view_must_answer_with_the_body_put_back(front: Front, pet: Any) -> None:
    front.call(SIGN, form=_form("learn@example.com"))
    before = (Signature.objects.count(), Supporter.objects.count(), OutboxMessage.objects.count())
    bad = urlencode(_form("not an address", comment="x" * (actions.MAX_COMMENT + 1))).encode()
    answer = front.call(SIGN, body=bad)
    assert front.reached_django == 2 and front.bodies_seen[-1] == bad
    assert answer.status.startswith("400") and b"Enter a valid email address." in answer.body
    with_control = front.call(SIGN, form=_form("ctl@example.com", given_name="a\x00b"))
    assert with_control.status.startswith("400") and front.reached_django == 3
    assert (Signature.objects.count(), Supporter.objects.count(), OutboxMessage.objects.count()) == before
    # Not the form a browser sends, or not for the front to read: Django reads it, whole.
    for content_type, cookie in (("application/x-www-form-urlencoded; charset=utf-8", ""),
                                 ("application/x-www-form-urlencoded", "sessionid=abc")):
        reached = front.reached_django
        ok = front.call(SIGN, form=_form(f"other{reached}@example.com"), content_type=content_type, cookie=cookie)
        assert front.reached_django == reached + 1 and ok.status == "200 OK"
    multipart = (b"--b\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\nmulti@example.com\r\n--b--\r\n")
    taken = front.call(SIGN, body=multipart, content_type="multipart/form-data; boundary=b")
    assert taken.status == "200 OK" and front.bodies_seen[-1] == multipart and _signed("multi@example.com")
    huge = urlencode(_form("huge@example.com", comment="x" * 70_000)).encode()
    refused = front.call(SIGN, body=huge)
    assert refused.status.startswith("400") and front.bodies_seen[-1] == huge and not _signed("huge@example.com")
    # A GET of the signing address and a POST of the challenge are not the fast path's either.
    reached = front.reached_django
    front.call(SIGN, method="GET")
    front.call(CHALLENGE, form={})
    assert front.reached_django == reached + 2


def test_it_tells_of_a_petition_closed_since_the_process_read_it(front: Front, pet: Any) -> None:
    from unforgotten.actions.models import Petition, PetitionStatus

    front.call(SIGN, form=_form("learn@example.com"))
    Petition.objects.filter(pk=pet.petition.pk).update(status=PetitionStatus.CLOSED)  # by another process
    before = (Signature.objects.count(), Supporter.objects.count(), OutboxMessage.objects.count())
    answer = front.call(SIGN, form=_form("late@example.com"))
    assert front.reached_django == 2
    assert answer.status.startswith("400") and b"This petition is closed" in answer.body
    assert (Signature.objects.count(), Supporter.objects.count(), OutboxMessage.objects.count()) == before


def test_it_hands_an_error_to_django_which_answers_500_once(front: Front, pet: Any,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    front.call(SIGN, form=_form("learn@example.com"))
    calls: list[str] = []

    def broken(*args: Any, **kwargs: Any) -> Any:
        calls.append("sign")
        raise RuntimeError("the database went away")

    monkeypatch.setattr(actions, "sign_cleaned", broken)
    answer = front.call(SIGN, form=_form("unlucky@example.com"))
    # Django raised it inside its middleware chain and answered its own 500 (logged there); the signature was
    # not tried a second time by the view.
    assert answer.status.startswith("500") and front.reached_django == 2
    assert calls == ["sign"] and b"database went away" not in answer.body
    assert answer.get("Content-Security-Policy") and answer.get("X-Content-Type-Options")


def test_it_serves_challenges_in_front_of_django(front: Front, pet: Any) -> None:
    first = front.call(CHALLENGE, method="GET")
    second = front.call(CHALLENGE, method="GET")
    assert front.reached_django == 1 and first.stable_headers() == second.stable_headers()
    assert second.get("Cache-Control") == "no-store" and (second.get("Content-Type") or "").startswith("application/json")
    challenge = json.loads(second.body)
    assert challenge != json.loads(first.body) and set(challenge) == {"algorithm", "challenge", "salt", "maxnumber",
                                                                      "signature"}


@override_settings(PETITION_POW_MAX=200, TRUSTED_PROXIES=["10.0.0.1"],
                   PETITION_RATE_LIMITS={"ip": ((60, 2), (3600, 100)), "domain": ((60, 1000), (3600, 1000)),
                                         "address": ((60, 3), (3600, 10))})
def test_it_screens_like_the_middleware_proof_once_and_rates_per_client(front: Front, pet: Any) -> None:
    front.call(SIGN, form=_form("learn@example.com"), remote="198.51.100.1")
    proof = abuse.solve(abuse.new_challenge())
    front.call(SIGN, form=_form("solved@example.com", altcha=proof), remote="198.51.100.2")
    front.call(SIGN, form=_form("replayed@example.com", altcha=proof), remote="198.51.100.3")
    assert front.reached_django == 1
    solved, replayed = _signed("solved@example.com"), _signed("replayed@example.com")
    assert solved is not None and solved.proof_of_work and not solved.quarantine
    assert replayed is not None and replayed.quarantine == QuarantineReason.BAD_CHALLENGE
    # The client's address is the trusted proxy's last hop, not what the client wrote to its left; a third
    # signature from it within the minute is quarantined, never refused.
    for i in range(3):
        front.call(SIGN, form=_form(f"crowd{i}@example.com"), remote="10.0.0.1",
                   forwarded=f"192.0.2.{50 + i}, 203.0.113.99")
    third = _signed("crowd2@example.com")
    assert third is not None and third.quarantine == QuarantineReason.RATE_IP
    assert _signed("crowd1@example.com") is not None and not _signed("crowd1@example.com").quarantine  # type: ignore[union-attr]
    # T3: no client address anywhere but as a day-keyed digest.
    stored = " ".join(str(v) for row in RateWindow.objects.values_list() for v in row)
    assert "203.0.113.99" not in stored and "10.0.0.1" not in stored


def test_it_signs_for_no_host_django_would_refuse(front: Front, pet: Any) -> None:
    # Django answers a Host outside ALLOWED_HOSTS with 400 before any view; the front and the middleware
    # must not take a signature for it either (neither checked it before).
    front.call(SIGN, form=_form("learn@example.com"))  # the front has learnt the route's headers
    refused = front.call(SIGN, form=_form("front@example.com"), host="evil.example")
    assert refused.status.startswith("400")
    assert _signed("front@example.com") is None
    assert front.call(SIGN, form=_form("fine@example.com")).status == "200 OK"
    assert _signed("fine@example.com") is not None


def test_it_lets_the_middleware_sign_for_no_host_django_would_refuse(pet: Any) -> None:
    # The same through the middleware (other servers, Django's test client); a separate test: a test client
    # request reconnects the request signals the front fixture holds apart.
    client = Client()
    assert client.post(SIGN, _form("middleware@example.com"), HTTP_HOST="evil.example").status_code == 400
    assert _signed("middleware@example.com") is None
    assert client.post(SIGN, _form("allowed@example.com")).status_code == 200
    assert _signed("allowed@example.com") is not None

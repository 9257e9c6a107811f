"""Issue 7 item 3: rate limits count each purpose apart (decision 0029): a supporter who wrote letters is not
throttled when signing, a flood of letters does not spend signing's budget, and data requests count on their own.

Personas: Dana (campaigner of Org A) runs the petition and the letter campaign; the supporters are anonymous.
"""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from unforgotten.actions import abuse
from unforgotten.actions.models import QuarantineReason, Signature
from unforgotten.actions.supporters import email_key
from unforgotten.core import antispam
from unforgotten.core.env import env_rate_limits
from unforgotten.letters.models import OfficialLetter

pytestmark = pytest.mark.django_db

TIGHT = {"ip": ((60, 2), (3600, 100)), "domain": ((60, 100), (3600, 1000)), "address": ((60, 100), (3600, 1000))}
IP = "203.0.113.44"


@pytest.fixture
def letters(cast: Any) -> Any:
    from unforgotten.letters.testing import make_letters_sample

    return make_letters_sample(cast)


@pytest.fixture
def frozen() -> Any:
    # Every request in one burst window: a test must not straddle the turn of a minute.
    with time_machine.travel("2031-04-04 10:00:05Z", tick=False):
        yield


def _sign(client: Client, email: str) -> None:
    client.post("/en/petitions/free-them-all/sign/", {"email": email, "given_name": "", "country": "", "comment": "",
                                                      "website": "", "altcha": ""}, HTTP_X_FORWARDED_FOR=IP)


def _write(client: Client, email: str) -> None:
    client.post("/en/letters/campaigns/write-to-the-minister/", {
        "body": "Release her, please.", "sender_name": "Sam Writer", "sender_place": "", "email": email,
        "website": "", "altcha": ""}, HTTP_X_FORWARDED_FOR=IP)


def _signature(email: str) -> Signature:
    return Signature.objects.get(supporter__email_key=email_key(email))


def _letter(email: str) -> OfficialLetter:
    return OfficialLetter.objects.get(supporter__email_key=email_key(email))


def test_it_does_not_throttle_signing_after_a_flood_of_letters(cast: Any, pet: Any, letters: Any, settings: Any,
                                                               frozen: Any) -> None:
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.PETITION_RATE_LIMITS = settings.LETTER_RATE_LIMITS = TIGHT
    client = Client()
    for n in range(4):
        _write(client, f"writer{n}@example.org")
    assert [_letter(f"writer{n}@example.org").quarantine for n in range(4)] == [
        "", "", QuarantineReason.RATE_IP, QuarantineReason.RATE_IP]
    # The same network signs: its signing budget is whole.
    _sign(client, "writer0@example.org")
    _sign(client, "signer@example.org")
    assert _signature("writer0@example.org").quarantine == ""
    assert _signature("signer@example.org").quarantine == ""
    _sign(client, "third@example.org")
    assert _signature("third@example.org").quarantine == QuarantineReason.RATE_IP  # signing's own limit holds


def test_it_does_not_throttle_letters_after_a_flood_of_signatures(cast: Any, pet: Any, letters: Any, settings: Any,
                                                                  frozen: Any) -> None:
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.PETITION_RATE_LIMITS = settings.LETTER_RATE_LIMITS = TIGHT
    client = Client()
    for n in range(4):
        _sign(client, f"signer{n}@example.org")
    assert _signature("signer3@example.org").quarantine == QuarantineReason.RATE_IP
    _write(client, "signer3@example.org")
    assert _letter("signer3@example.org").quarantine == ""


def test_it_counts_data_requests_apart_from_signing(settings: Any, frozen: Any) -> None:
    settings.PETITION_RATE_LIMITS = settings.DATA_REQUEST_RATE_LIMITS = TIGHT
    for _ in range(3):
        abuse.check_rates(address=IP, email="asker@example.org", purpose=abuse.MY_DATA)
    assert abuse.check_rates(address=IP, email="asker@example.org", purpose=abuse.MY_DATA) == QuarantineReason.RATE_IP
    assert abuse.check_rates(address=IP, email="asker@example.org") == ""  # signing: a fresh budget


def test_it_keys_each_purpose_in_its_own_counter() -> None:
    sign = antispam.row_key("ip", IP, (60, 3600), namespace="sign", now=1_900_000_000.0)
    letter = antispam.row_key("ip", IP, (60, 3600), namespace="letters", now=1_900_000_000.0)
    assert sign != letter
    with pytest.raises(ValueError, match="unknown rate-limit purpose"):
        abuse.check_rates(address=IP, email="x@example.org", purpose="nonsense")


def test_it_reads_each_purposes_limits_from_the_environment() -> None:
    limits = env_rate_limits("LETTER_RATE", {"ip": (5, 30), "address": (3, 10)},
                             environ={"LETTER_RATE_IP_MINUTE": "7", "LETTER_RATE_ADDRESS_HOUR": "12"})
    assert limits == {"ip": ((60, 7), (3600, 30)), "address": ((60, 3), (3600, 12))}
    with pytest.raises(ImproperlyConfigured, match="LETTER_RATE_IP_MINUTE"):
        env_rate_limits("LETTER_RATE", {"ip": (5, 30)}, environ={"LETTER_RATE_IP_MINUTE": "many"})
    with pytest.raises(ImproperlyConfigured, match="must not be larger"):
        env_rate_limits("LETTER_RATE", {"ip": (5, 30)}, environ={"LETTER_RATE_IP_MINUTE": "31"})
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_rate_limits("LETTER_RATE", {"ip": (5, 30)}, environ={"LETTER_RATE_IP_HOUR": "0"})

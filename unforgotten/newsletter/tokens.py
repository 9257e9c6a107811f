"""Signed, expiring, single-use links of the newsletter (confirm, unsubscribe)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing

CONFIRM = "confirm"
UNSUBSCRIBE = "unsubscribe"
# An unsubscribe link must keep working for as long as someone may keep an old e-mail around;
# every message carries a fresh one, so a year is generous and still not forever.
UNSUBSCRIBE_DAYS = 400


def new_nonce() -> str:
    return secrets.token_hex(16)


def make(kind: str, subscriber_uuid: str, nonce: str) -> str:
    return signing.dumps({"s": subscriber_uuid, "n": nonce}, salt=f"unforgotten.newsletter.{kind}")


def max_age(kind: str) -> timedelta:
    return timedelta(days=settings.NEWSLETTER_TOKEN_DAYS if kind == CONFIRM else UNSUBSCRIBE_DAYS)


@dataclass(frozen=True)
class Opened:
    subscriber_uuid: str = ""
    nonce: str = ""
    problem: str = ""  # "expired" or "forged"


def open_token(kind: str, token: str) -> Opened:
    if len(token) > 400:
        return Opened(problem="forged")
    try:
        payload = signing.loads(token, salt=f"unforgotten.newsletter.{kind}", max_age=max_age(kind))
    except signing.SignatureExpired:
        return Opened(problem="expired")
    except signing.BadSignature:
        return Opened(problem="forged")
    if not isinstance(payload, dict) or not isinstance(payload.get("s"), str) or not isinstance(payload.get("n"), str):
        return Opened(problem="forged")
    return Opened(payload["s"], payload["n"])

"""Bot resistance for public forms without third parties: signed form tokens, honeypots, keyed rate limits.

Used by the "suggest a prisoner" form and the newsletter sign-up (issue 6,
decision 0021); petitions may use it too.

- A *form token* is served with each form: a random nonce signed with a
  timestamp (``django.core.signing``). A post whose token is missing, forged,
  older than ``INTAKE_FORM_MAX_AGE``, younger than ``INTAKE_MIN_FILL_SECONDS``
  (no person types that fast) or already used is *suspicious*.
- A *honeypot* is a field people never see (hidden by the stylesheet, not by
  the markup) that form-filling robots fill.
- *Rate limits* count hits per client address, where the address is kept only
  as an HMAC under a key derived from ``SECRET_KEY`` and the UTC day: no raw
  address, no user agent, and nothing older than 24 hours (``AddressStamp``).

Callers never refuse on these signals: they quarantine and give the same reply
(a robot that learns nothing does not adapt), see decision 0021.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.http import HttpRequest
from django.utils import timezone

from unforgotten.core.models import AddressStamp

KEEP = timedelta(hours=24)
_SALT = "unforgotten.antispam.form"


def _day_key(day: str) -> bytes:
    return hashlib.sha256(f"unforgotten.antispam.address:{day}:{settings.SECRET_KEY}".encode()).digest()


def client_address(request: HttpRequest) -> str:
    # REMOTE_ADDR only: a forwarded-for header is whatever the client wrote, unless the
    # deployment's proxy sets REMOTE_ADDR (gunicorn's forwarded_allow_ips does that).
    return str(request.META.get("REMOTE_ADDR") or "")


def address_digest(address: str, *, now: object = None) -> str:
    """HMAC-SHA256 of the address under today's key: equal within a UTC day, unlinkable across days."""
    when = timezone.now() if now is None else now
    day = when.strftime("%Y-%m-%d")  # type: ignore[attr-defined]
    return hmac.new(_day_key(day), address.encode("utf-8"), hashlib.sha256).hexdigest()


def forget_old(now: object = None) -> int:
    """Delete every stamp older than 24 hours; returns how many."""
    when = timezone.now() if now is None else now
    deleted, _ = AddressStamp.objects.filter(at__lt=when - KEEP).delete()  # type: ignore[operator]
    return int(deleted)


def hit(purpose: str, digest: str, *, window: timedelta = timedelta(hours=1)) -> int:
    """Record one hit and return how many hits this digest made for ``purpose`` within ``window`` (this one included)."""
    now = timezone.now()
    forget_old(now)
    AddressStamp.objects.create(purpose=purpose[:40], digest=digest, at=now)
    return AddressStamp.objects.filter(purpose=purpose[:40], digest=digest, at__gte=now - window).count()


def issue_form_token(purpose: str) -> str:
    """A token for one served form (embedded as a hidden field)."""
    return signing.TimestampSigner(salt=f"{_SALT}.{purpose}").sign(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class TokenCheck:
    ok: bool
    problem: str = ""  # "missing", "forged", "expired", "too-fast" or "reused"


def check_form_token(purpose: str, token: str) -> TokenCheck:
    """Whether a posted form token is genuine, neither too young nor too old, and used for the first time."""
    if not token:
        return TokenCheck(False, "missing")
    signer = signing.TimestampSigner(salt=f"{_SALT}.{purpose}")
    try:
        nonce = signer.unsign(token, max_age=settings.INTAKE_FORM_MAX_AGE)
    except signing.SignatureExpired:
        return TokenCheck(False, "expired")
    except signing.BadSignature:
        return TokenCheck(False, "forged")
    issued = signing.b62_decode(token.split(signing.Signer().sep)[1])
    if timezone.now().timestamp() - issued < settings.INTAKE_MIN_FILL_SECONDS:
        return TokenCheck(False, "too-fast")
    # Single use: the nonce's digest is stamped; the token is dead long before the stamp is forgotten.
    used = hashlib.sha256(f"{purpose}:{nonce}".encode()).hexdigest()
    if AddressStamp.objects.filter(purpose="form-token", digest=used).exists():
        return TokenCheck(False, "reused")
    AddressStamp.objects.create(purpose="form-token", digest=used, at=timezone.now())
    return TokenCheck(True)


def honeypot_filled(value: str | None) -> bool:
    return bool((value or "").strip())

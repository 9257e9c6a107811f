"""Anti-abuse without third parties: honeypot, our own proof of work, rate limits, quarantine.

The rules (decision 0018):
- Nothing here refuses a signature in a way a bot can see. A filled honeypot is
  dropped; a forged or replayed challenge and a rate limit crossed put the
  signature in quarantine (stored, not counted, reviewable). The page answers
  the same in every case.
- The proof of work is ALTCHA-style and ours: the server picks a secret number
  ``n`` below ``PETITION_POW_MAX`` and sends ``sha256(salt + n)`` with an HMAC of
  it; the browser (``static/actions/pow.js``, served by us) finds ``n``. Without
  JavaScript there is no solution and the signature is still taken: the e-mailed
  confirmation alone stands between it and the count. A challenge expires, and
  each is accepted once.
- The client address is read from ``REMOTE_ADDR``, or from ``X-Forwarded-For``
  only when ``REMOTE_ADDR`` is a configured proxy. It is never stored: rate-limit
  rows are keyed by HMAC under a secret that changes every day (so a row cannot be
  linked to an address after its day, even by us) and deleted after 24 hours.
  A fast keyed hash, not a password hash: a slow hash on every POST is what made
  a peer platform fall over (campaigns.md).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import json
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from unforgotten.actions.models import QuarantineReason

HONEYPOT_FIELD = "website"
POW_FIELD = "altcha"
CHALLENGE_SECONDS = 2 * 3600  # long enough for someone who reads the petition before signing


# --- the client address, only to count ---------------------------------------------------------


def client_address(request: HttpRequest) -> str:
    """The client's address as this server can know it; never stored, never logged."""
    remote = str(request.META.get("REMOTE_ADDR", "") or "")
    proxies = set(getattr(settings, "TRUSTED_PROXIES", []) or [])
    if remote in proxies:
        forwarded = [h.strip() for h in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",") if h.strip()]
        # The right-most address a trusted proxy did not add is the client's; anything
        # to its left was written by the client and proves nothing.
        for hop in reversed(forwarded):
            if hop not in proxies:
                return _valid_ip(hop) or remote
    return remote


def _valid_ip(text: str) -> str:
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return ""


def _network(address: str) -> str:
    """IPv6 clients own a whole /64: counting single addresses would let one client rotate freely."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


# --- rate limits ------------------------------------------------------------------------------


def _day_secret(day: str) -> bytes:
    base = hashlib.sha256(b"unforgotten.actions.rate:" + settings.SECRET_KEY.encode()).digest()
    return hmac.new(base, day.encode("ascii"), hashlib.sha256).digest()


def rate_key(kind: str, value: str, window: int, now: float) -> tuple[str, datetime]:
    start = int(now // window) * window
    day = datetime.fromtimestamp(now, tz=UTC).strftime("%Y-%m-%d")
    digest = hmac.new(_day_secret(day), f"{kind}\0{value}\0{window}\0{start}".encode(), hashlib.sha256).hexdigest()
    return digest, datetime.fromtimestamp(start, tz=UTC)


def hit(keys: list[tuple[str, datetime]]) -> dict[str, int]:
    """Add one hit to each key; {key: hits so far in its window}. One statement, its own short transaction.

    Run outside the signature's transaction: on PostgreSQL a busy key (a popular
    e-mail domain) is then locked for one statement, not for the whole signing.
    """
    if not keys:
        return {}
    table = "actions_ratecount"
    values = ", ".join(["(%s, 1, %s)"] * len(keys))
    params: list[Any] = []
    for key, start in keys:
        params.extend([key, start])
    sql = (f"INSERT INTO {table} (digest, hits, window_start) VALUES {values} "  # noqa: S608  (no user text: fixed names, placeholders)
           f"ON CONFLICT (digest) DO UPDATE SET hits = {table}.hits + 1 RETURNING digest, hits")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {str(k): int(h) for k, h in cursor.fetchall()}


def check_rates(*, address: str, email: str, now: float | None = None) -> str:
    """Count this attempt; the quarantine reason of the first limit crossed, or ""."""
    now = time.time() if now is None else now
    domain = email.rpartition("@")[2]
    subjects = [("ip", _network(address)), ("domain", domain), ("address", email)]
    limits = settings.PETITION_RATE_LIMITS
    wanted: list[tuple[str, str, int, str, datetime]] = []
    for kind, value in subjects:
        if not value:
            continue
        for window, allowed in limits[kind]:
            key, start = rate_key(kind, value, window, now)
            wanted.append((kind, key, allowed, value, start))
    hits = hit([(key, start) for _kind, key, _allowed, _value, start in wanted])
    reasons = {"ip": QuarantineReason.RATE_IP, "domain": QuarantineReason.RATE_DOMAIN,
               "address": QuarantineReason.RATE_ADDRESS}
    # The most specific reason first: an address hammering us says more than a shared network.
    for kind in ("address", "ip", "domain"):
        for k, key, allowed, _value, _start in wanted:
            if k == kind and hits.get(key, 0) > allowed:
                return str(reasons[kind])
    return ""


def purge_rate_counts(now: datetime | None = None) -> int:
    """Delete every rate-limit row older than 24 hours."""
    from unforgotten.actions.models import RateCount

    cutoff = (now or timezone.now()) - timedelta(hours=24)
    deleted, _ = RateCount.objects.filter(window_start__lt=cutoff).delete()
    return int(deleted)


# --- proof of work ------------------------------------------------------------------------------


def _pow_key() -> bytes:
    return hashlib.sha256(b"unforgotten.actions.pow:" + settings.SECRET_KEY.encode()).digest()


def new_challenge(now: float | None = None, maximum: int | None = None) -> dict[str, Any]:
    """A challenge for the page: the browser searches 0..maxnumber for the number behind ``challenge``."""
    now = time.time() if now is None else now
    top = int(maximum or settings.PETITION_POW_MAX)
    salt = f"{secrets.token_hex(12)}?expires={int(now) + CHALLENGE_SECONDS}"
    number = secrets.randbelow(top + 1)
    challenge = hashlib.sha256(f"{salt}{number}".encode()).hexdigest()
    signature = hmac.new(_pow_key(), challenge.encode(), hashlib.sha256).hexdigest()
    return {"algorithm": "SHA-256", "challenge": challenge, "salt": salt, "maxnumber": top, "signature": signature}


def solve(challenge: dict[str, Any]) -> str:
    """What the browser does, in Python (tests, benchmarks): the payload to submit."""
    for number in range(int(challenge["maxnumber"]) + 1):
        if hashlib.sha256(f"{challenge['salt']}{number}".encode()).hexdigest() == challenge["challenge"]:
            payload = {k: challenge[k] for k in ("algorithm", "challenge", "salt", "signature")}
            payload["number"] = number
            return base64.b64encode(json.dumps(payload).encode()).decode()
    raise ValueError("no solution")


@dataclass(frozen=True)
class Proof:
    state: str  # "none" (no JavaScript), "ok", "expired", "bad"
    salt: str = ""


def check_proof(payload: str, now: float | None = None) -> Proof:
    if not payload:
        return Proof("none")
    now = time.time() if now is None else now
    try:
        data = json.loads(base64.b64decode(payload[:4096], validate=True))
        challenge, salt, signature = str(data["challenge"]), str(data["salt"]), str(data["signature"])
        number = int(data["number"])
    except (ValueError, KeyError, TypeError):
        return Proof("bad")
    expected = hmac.new(_pow_key(), challenge.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        return Proof("bad")
    if hashlib.sha256(f"{salt}{number}".encode()).hexdigest() != challenge:
        return Proof("bad")
    try:
        expires = int(salt.rsplit("?expires=", 1)[1])
    except (IndexError, ValueError):
        return Proof("bad")
    if expires < now:
        return Proof("expired", salt)
    return Proof("ok", salt)


def spend_proof(salt: str, now: float | None = None) -> bool:
    """Mark a solved challenge used; False when it had been used before (a replay)."""
    now = time.time() if now is None else now
    key, start = rate_key("pow", salt, CHALLENGE_SECONDS, now)
    # The row's window is the challenge's lifetime; purge deletes it a day later.
    return hit([(key, start)]).get(key, 0) <= 1


# --- the verdict ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    drop: bool = False  # store nothing (a filled honeypot)
    expired: bool = False  # the challenge expired: ask the person to send the form again
    quarantine: str = ""
    proof_of_work: bool = False


def screen(*, address: str, email: str, honeypot: str, proof: str, now: float | None = None) -> Verdict:
    if honeypot.strip():
        return Verdict(drop=True)
    checked = check_proof(proof, now)
    if checked.state == "expired":
        return Verdict(expired=True)
    reason = check_rates(address=address, email=email, now=now)
    if checked.state == "bad":
        return Verdict(quarantine=reason or str(QuarantineReason.BAD_CHALLENGE))
    if checked.state == "ok" and not spend_proof(checked.salt, now):
        return Verdict(quarantine=reason or str(QuarantineReason.BAD_CHALLENGE))
    return Verdict(quarantine=reason, proof_of_work=checked.state == "ok")

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
- Rate limits are the platform's one limiter, ``core/antispam.py`` (decision
  0025): the client address is read from ``REMOTE_ADDR``, or from
  ``X-Forwarded-For`` only when ``REMOTE_ADDR`` is a configured proxy; it is
  never stored: counters are keyed by HMAC under a secret that changes every day
  and deleted after 24 hours. A fast keyed hash, not a password hash: a slow hash
  on every POST is what made a peer platform fall over (campaigns.md).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from unforgotten.actions.models import QuarantineReason
from unforgotten.core import antispam

HONEYPOT_FIELD = "website"
POW_FIELD = "altcha"
CHALLENGE_SECONDS = 2 * 3600  # long enough for someone who reads the petition before signing


# --- rate limits: the platform's one limiter (core/antispam.py) -------------------------------------

client_address = antispam.client_address

REASONS = {"address": QuarantineReason.RATE_ADDRESS, "ip": QuarantineReason.RATE_IP,
           "domain": QuarantineReason.RATE_DOMAIN}


# Each purpose counts in its own namespace, against its own limits (settings): a person who wrote letters is
# not throttled when signing, and a flood of letters (or of data requests) does not spend signing's budget.
SIGN, LETTERS, MY_DATA = "sign", "letters", "my-data"
LIMITS = {SIGN: "PETITION_RATE_LIMITS", LETTERS: "LETTER_RATE_LIMITS", MY_DATA: "DATA_REQUEST_RATE_LIMITS"}


def _limits(purpose: str) -> dict[str, tuple[tuple[int, int], ...]]:
    if purpose not in LIMITS:
        raise ValueError(f"unknown rate-limit purpose {purpose!r}")
    return getattr(settings, LIMITS[purpose])  # type: ignore[no-any-return]


def _subjects(address: str, email: str) -> list[tuple[str, str]]:
    # The most specific first: an address hammering us says more than a shared network.
    return [("address", email), ("ip", antispam.network(address)), ("domain", email.rpartition("@")[2])]


def check_rates(*, address: str, email: str, now: float | None = None, purpose: str = SIGN) -> str:
    """Count this attempt for ``purpose``; the quarantine reason of the first limit crossed, or ""."""
    kind, _reused = antispam.over_limit(_subjects(address, email), _limits(purpose), namespace=purpose, now=now)
    return str(REASONS[kind]) if kind else ""


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


# --- the verdict ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    drop: bool = False  # store nothing (a filled honeypot)
    expired: bool = False  # the challenge expired: ask the person to send the form again
    quarantine: str = ""
    proof_of_work: bool = False


def screen(*, address: str, email: str, honeypot: str, proof: str, now: float | None = None,
           purpose: str = SIGN) -> Verdict:
    """Honeypot, proof of work and the rate limits of ``purpose`` (signing unless a caller says otherwise)."""
    if honeypot.strip():
        return Verdict(drop=True)
    checked = check_proof(proof, now)
    if checked.state == "expired":
        return Verdict(expired=True)
    # The rate counters and the challenge's single use are one statement (one round trip, one short transaction).
    once = [("pow", checked.salt, CHALLENGE_SECONDS)] if checked.state == "ok" else []
    kind, reused = antispam.over_limit(_subjects(address, email), _limits(purpose), namespace=purpose, now=now,
                                       once=once)
    reason = str(REASONS[kind]) if kind else ""
    if checked.state == "bad" or reused:
        return Verdict(quarantine=reason or str(QuarantineReason.BAD_CHALLENGE))
    return Verdict(quarantine=reason, proof_of_work=checked.state == "ok")

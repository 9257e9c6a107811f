"""Bot resistance for public forms without third parties: signed form tokens, honeypots, keyed rate limits.

Used by the "suggest a prisoner" form, the newsletter sign-up (issue 6,
decision 0021) and petitions (issue 7, decision 0025: the one rate limiter of the
platform; petitions once had a copy of their own).

- A *form token* is served with each form: a random nonce signed with a
  timestamp (``django.core.signing``). A post whose token is missing, forged,
  older than ``INTAKE_FORM_MAX_AGE``, younger than ``INTAKE_MIN_FILL_SECONDS``
  (no person types that fast) or already used is *suspicious*.
- A *honeypot* is a field people never see (hidden by the stylesheet, not by
  the markup) that form-filling robots fill.
- *Rate limits* count hits per client address (and per e-mail domain or
  address), where the subject is kept only as an HMAC under a key derived from
  ``SECRET_KEY`` and the UTC day: no raw address, no user agent, and nothing
  older than 24 hours. ``hit`` keeps one ``AddressStamp`` per hit (a sliding
  window, for low-traffic forms); ``over_limit`` keeps one ``RateWindow``
  row per subject holding its burst and its sustained fixed window (for a
  petition surge: one upsert per request however many hits came before).

Callers never refuse on these signals: they quarantine and give the same reply
(a robot that learns nothing does not adapt), see decision 0021.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.http import HttpRequest
from django.utils import timezone

from unforgotten.core import fastsql
from unforgotten.core.models import AddressStamp, RateWindow

KEEP = timedelta(hours=24)
_SALT = "unforgotten.antispam.form"


_DAY_KEYS: dict[tuple[str, str], bytes] = {}


def _day_key(day: str) -> bytes:
    # Asked for several times per petition signature: derived once per day (and secret) and process, not per use.
    found = (day, settings.SECRET_KEY)
    key = _DAY_KEYS.get(found)
    if key is None:
        key = hashlib.sha256(f"unforgotten.antispam.address:{day}:{settings.SECRET_KEY}".encode()).digest()
        if len(_DAY_KEYS) > 8:  # today, yesterday around midnight, the single-use tokens' key
            _DAY_KEYS.clear()
        _DAY_KEYS[found] = key
    return key


def client_address(request: HttpRequest) -> str:
    """The client's address as this server can know it; never stored, never logged (``address_in``)."""
    return address_in(request.META)


def address_in(meta: Mapping[str, Any]) -> str:
    """The client's address from a request's WSGI variables (for a caller in front of Django's request object).

    ``REMOTE_ADDR``, or the right-most ``X-Forwarded-For`` hop not added by one of
    ``TRUSTED_PROXIES`` when the request came from such a proxy: anything to its
    left was written by the client and proves nothing.
    """
    remote = str(meta.get("REMOTE_ADDR") or "")
    proxies = set(getattr(settings, "TRUSTED_PROXIES", []) or [])
    if remote in proxies:
        forwarded = [h.strip() for h in str(meta.get("HTTP_X_FORWARDED_FOR", "")).split(",") if h.strip()]
        for hop in reversed(forwarded):
            if hop not in proxies:
                return _valid_ip(hop) or remote
    return remote


def _valid_ip(text: str) -> str:
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return ""


def network(address: str) -> str:
    """IPv6 clients own a whole /64: counting single addresses would let one client rotate freely."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def address_digest(address: str, *, now: object = None) -> str:
    """HMAC-SHA256 of the address under today's key: equal within a UTC day, unlinkable across days."""
    when = timezone.now() if now is None else now
    day = when.strftime("%Y-%m-%d")  # type: ignore[attr-defined]
    return hmac.new(_day_key(day), address.encode("utf-8"), hashlib.sha256).hexdigest()


def forget_old(now: object = None) -> int:
    """Delete every stamp and rate window older than 24 hours; returns how many."""
    when = timezone.now() if now is None else now
    deleted, _ = AddressStamp.objects.filter(at__lt=when - KEEP).delete()  # type: ignore[operator]
    cutoff = int((when - KEEP).timestamp())  # type: ignore[operator,attr-defined]
    windows, _ = RateWindow.objects.filter(burst_start__lt=cutoff).delete()
    return int(deleted) + int(windows)


def hit(purpose: str, digest: str, *, window: timedelta = timedelta(hours=1)) -> int:
    """Record one hit and return how many hits this digest made for ``purpose`` within ``window`` (this one included)."""
    now = timezone.now()
    forget_old(now)
    AddressStamp.objects.create(purpose=purpose[:40], digest=digest, at=now)
    return AddressStamp.objects.filter(purpose=purpose[:40], digest=digest, at__gte=now - window).count()


# --- fixed windows: burst and sustained limits per subject -------------------------------------------


def row_key(kind: str, value: str, windows: tuple[int, int], *, namespace: str, now: float,
            day_key: bytes | None = None) -> str:
    """The digest of the counter row of ``value`` (of ``kind``) for its (burst, sustained) window lengths.

    ``namespace`` is the purpose counted ("sign", "letters", "my-data"): each purpose
    has counters of its own, so a letter writer is not throttled when signing and a
    flood of one form does not spend another's budget. The row lives for ``now``'s
    UTC day (its key is the day's), its windows roll inside it. ``day_key``: that
    day's key, when the caller has it already.
    """
    if day_key is None:
        day_key = _day_key(datetime.fromtimestamp(now, tz=UTC).strftime("%Y-%m-%d"))
    message = f"{namespace}\0{kind}\0{value}\0{windows[0]}\0{windows[1]}".encode()
    return hmac.new(day_key, message, hashlib.sha256).hexdigest()


@lru_cache(maxsize=64)
def _upsert(table: str, rows: int, greatest: str) -> str:
    # A window whose start moved on since the row's last hit starts again at one hit; a hit that comes late
    # (another process's clock a little behind) counts in the newer window rather than turning the row back.
    # Every reference to the table's columns in SET reads the row as it was before this update.
    values = ", ".join(["(%s, %s, 1, %s, 1)"] * rows)
    return (
        f"INSERT INTO {table} (digest, burst_start, burst_hits, sustained_start, sustained_hits) "  # noqa: S608  (fixed names, placeholders)
        f"VALUES {values} ON CONFLICT (digest) DO UPDATE SET "
        f"burst_hits = CASE WHEN EXCLUDED.burst_start > {table}.burst_start THEN 1 "
        f"ELSE {table}.burst_hits + 1 END, "
        f"burst_start = {greatest}({table}.burst_start, EXCLUDED.burst_start), "
        f"sustained_hits = CASE WHEN EXCLUDED.sustained_start > {table}.sustained_start THEN 1 "
        f"ELSE {table}.sustained_hits + 1 END, "
        f"sustained_start = {greatest}({table}.sustained_start, EXCLUDED.sustained_start) "
        "RETURNING digest, burst_hits, sustained_hits"
    )


def count_hits(rows: Sequence[tuple[str, int, int]]) -> dict[str, tuple[int, int]]:
    """Add one hit to each row's two windows; {digest: (burst hits, sustained hits) so far}.

    ``rows`` are (digest, burst window start, sustained window start) in seconds
    since the epoch; a start of 0 is a window that never rolls. One statement in
    its own short transaction: a busy subject (a popular e-mail domain) is locked for
    one statement, not for the whole of the caller's work. On PostgreSQL it commits
    *asynchronously*: a counter lost in a crash costs nothing (at worst a few more
    hits are let through), while waiting for the disk here would double what a
    signature waits for.
    """
    if not rows:
        return {}
    # Sorted, so that two requests touching the same rows lock them in the same order (no deadlock); one entry
    # per digest, since one statement may not update a row twice.
    ordered = sorted({digest: (burst, sustained) for digest, burst, sustained in rows}.items())
    params: list[Any] = []
    for digest, (burst, sustained) in ordered:
        params.extend([digest, burst, sustained])
    table = RateWindow._meta.db_table
    db = connections[DEFAULT_DB_ALIAS]  # the wrapper, once (the proxy is a thread-local lookup per use)
    if db.vendor == "postgresql":
        upsert = _upsert(table, len(ordered), "GREATEST")
        if not db.in_atomic_block:
            # One round trip: outside a transaction the statement is its own, and set_config(…, true) lowers the
            # commit wait for that transaction only (BEGIN, SET LOCAL, INSERT, COMMIT would be four round trips).
            sql = (f"WITH cfg AS (SELECT set_config('synchronous_commit', 'off', true) AS v), hit AS ({upsert}) "  # noqa: S608  (fixed names, placeholders)
                   "SELECT digest, burst_hits, sustained_hits, (SELECT v FROM cfg) FROM hit")
            return {str(row[0]): (int(row[1]), int(row[2])) for row in fastsql.fetch(sql, params)}
    else:
        upsert = _upsert(table, len(ordered), "MAX")  # SQLite's MAX of two arguments is GREATEST
    with transaction.atomic(), db.cursor() as cursor:
        if db.vendor == "postgresql":
            cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute(upsert, params)
        return {str(k): (int(b), int(h)) for k, b, h in cursor.fetchall()}


def over_limit(subjects: Sequence[tuple[str, str]], limits: Mapping[str, Sequence[tuple[int, int]]], *,
               namespace: str, now: float | None = None,
               once: Sequence[tuple[str, str, int]] = ()) -> tuple[str, list[str]]:
    """Count one hit of each subject in each of its windows; (first kind over its limit or "", spent-twice list).

    ``subjects`` are (kind, value) pairs in the order of precedence of their
    verdict (the most telling first); ``limits`` maps a kind to its (window
    seconds, hits allowed) pairs, e.g. a 1-minute burst and a 1-hour sustained
    window. ``once`` are (kind, value, lifetime) tokens that may be used once
    (a proof-of-work challenge): counted in the same statement, and those seen
    before are returned. Nothing about a subject is kept but the day-keyed digest.
    ``namespace`` separates the counters of one purpose from every other's (see
    ``row_key``); single-use tokens are not namespaced: a token is spent once,
    whichever form spent it.

    Each subject's windows are counted two to a row, the shorter as the row's burst
    window (a kind with one window leaves the row's second unused, a kind with three
    takes two rows).
    """
    now = time.time() if now is None else now
    day_key = _day_key(datetime.fromtimestamp(now, tz=UTC).strftime("%Y-%m-%d"))
    # (kind, digest, hits allowed in the burst window, in the sustained one or None)
    wanted: list[tuple[str, str, int, int | None]] = []
    rows: list[tuple[str, int, int]] = []
    for kind, value in subjects:
        if not value:
            continue
        windows = sorted(limits.get(kind, ()))
        for i in range(0, len(windows), 2):
            (burst, burst_allowed), *rest = windows[i:i + 2]
            sustained, sustained_allowed = rest[0] if rest else (0, None)
            digest = row_key(kind, value, (burst, sustained), namespace=namespace, now=now, day_key=day_key)
            wanted.append((kind, digest, burst_allowed, sustained_allowed))
            rows.append((digest, int(now // burst) * burst, int(now // sustained) * sustained if sustained else 0))
    spent: list[tuple[str, str]] = []
    for kind, value, lifetime in once:
        if lifetime > KEEP.total_seconds():
            raise ValueError("a single-use token must expire before its row is forgotten (24 hours)")
        # Not a window of the clock: a token used at 11:59 and replayed at 12:01 is the same token. Its value is
        # a random nonce, not a person's, so a key that does not change with the day is fine here. Its uses are
        # counted in a window that never rolls; its burst start is its last use, which the purge reads.
        digest = hmac.new(_day_key("once"), f"{kind}\0{value}".encode(), hashlib.sha256).hexdigest()
        spent.append((value, digest))
        rows.append((digest, int(now), 0))
    hits = count_hits(rows)
    reused = [value for value, digest in spent if hits.get(digest, (0, 0))[1] > 1]
    for kind, _value in subjects:
        for k, digest, burst_allowed, sustained_allowed in wanted:
            if k != kind:
                continue
            burst_hits, sustained_hits = hits.get(digest, (0, 0))
            if burst_hits > burst_allowed or (sustained_allowed is not None and sustained_hits > sustained_allowed):
                return kind, reused
    return "", reused


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

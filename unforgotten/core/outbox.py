"""The outbox: every e-mail and webhook the platform sends leaves through here.

Why an outbox rather than sending from the request:
- *Nothing promised is lost.* An action function enqueues the message inside its own
  transaction (``enqueue_email`` refuses to run outside one), so the message exists
  exactly when the change that caused it was committed: a signature without its
  confirmation e-mail, or an e-mail for a signature that was rolled back, cannot happen.
- *A dead worker loses nothing.* The task worker claims due messages with a lease
  (a conditional UPDATE that only one claimant wins, on SQLite and PostgreSQL alike),
  sends, then marks them sent with the same claim token. A worker killed between
  claim and mark leaves the lease to expire; the message is then sent again. That
  window (SMTP accepted, mark not yet written) is the one place a duplicate can arise;
  every copy carries the same ``Message-ID`` and webhook ``X-Unforgotten-Delivery``, so
  receivers can drop the repeat.
- *A slow receiver never blocks a request*: requests only write a row; retries back
  off exponentially (30 s doubling, capped at 6 h) up to ``max_attempts``, then the
  message is marked failed for an operator, never dropped silently.
- *What leaves is sensitive* (a supporter's address, a confirmation link, a webhook
  secret): the payload is encrypted under the "outbox" data key while it waits and
  wiped as soon as it is sent.

Callers pass content already built through the projection for its audience; the
outbox does not look inside.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from unforgotten.core import keyring
from unforgotten.core.models import OutboxMessage

logger = logging.getLogger(__name__)

PURPOSE = "outbox"
LEASE = timedelta(minutes=5)
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=6)
WEBHOOK_TIMEOUT_S = 10
SIGNATURE_HEADER = "X-Unforgotten-Signature"
DELIVERY_HEADER = "X-Unforgotten-Delivery"
EVENT_HEADER = "X-Unforgotten-Event"
# A receiver should refuse a signature older than this (replay window).
SIGNATURE_TOLERANCE_S = 300


class OutsideTransaction(RuntimeError):
    """``enqueue_*`` was called outside a transaction: the message would not be tied to its cause."""


def _aad(message_uuid: uuid.UUID | str) -> str:
    return f"core.outbox:{message_uuid}"


def _require_transaction() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise OutsideTransaction("enqueue outbox messages inside the action's transaction (transaction.atomic)")


def _build(*, channel: str, kind: str, content: Mapping[str, Any], organisation_id: int | None,
           dedupe_key: str | None, max_attempts: int, key_max_age: float = 0.0) -> OutboxMessage:
    message_uuid = uuid.uuid4()
    now = timezone.now()
    blob = keyring.encrypt_value(PURPOSE, json.dumps(content, ensure_ascii=False).encode("utf-8"),
                                 aad=_aad(message_uuid), max_age=key_max_age)
    return OutboxMessage(uuid=message_uuid, channel=channel, kind=kind, organisation_id=organisation_id,
                         dedupe_key=dedupe_key, payload=blob, next_attempt_at=now, created=now,
                         max_attempts=max_attempts)


def _enqueue(*, channel: str, kind: str, content: Mapping[str, Any], organisation_id: int | None,
             dedupe_key: str | None, max_attempts: int) -> OutboxMessage:
    _require_transaction()
    if dedupe_key is not None:
        existing = OutboxMessage.objects.filter(dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing
    row = _build(channel=channel, kind=kind, content=content, organisation_id=organisation_id,
                 dedupe_key=dedupe_key, max_attempts=max_attempts)
    row.save(force_insert=True)
    transaction.on_commit(kick)
    return row


# The columns ``email_row`` gives values for, in its order (the dedupe key is the caller's).
EMAIL_ROW_COLUMNS = ("uuid", "channel", "kind", "organisation_id", "payload", "state", "attempts", "max_attempts",
                     "next_attempt_at", "lease_until", "lease_token", "last_error", "created", "sent_at")


def email_row(*, kind: str, to: Sequence[str], subject: str, body: str, organisation_id: int | None = None,
              max_attempts: int = 12, key_max_age: float = 0.0, now: datetime | None = None) -> tuple[Any, ...]:
    """An e-mail row built and encrypted but *not saved*, as column values (``EMAIL_ROW_COLUMNS``).

    For the petition signing path (decision 0025), which writes the signature and
    its e-mail in one SQL statement (bare values: a model instance per signature
    cost more than encrypting the payload). The caller must write it in the
    transaction of its cause (that is the outbox's promise), set ``dedupe_key``
    there if it wants one, and call ``kick()`` after the commit. Everyone else:
    ``enqueue_email``.
    """
    recipients = [address for address in to if address]
    if not recipients:
        raise ValueError("an e-mail needs at least one recipient")
    content: dict[str, Any] = {"to": recipients, "subject": subject, "body": body, "html": None, "reply_to": [],
                               "headers": {}}
    message_uuid = uuid.uuid4()
    now = now or timezone.now()
    blob = keyring.encrypt_value(PURPOSE, json.dumps(content, ensure_ascii=False).encode("utf-8"),
                                 aad=_aad(message_uuid), max_age=key_max_age)
    return (message_uuid, OutboxMessage.Channel.EMAIL.value, kind, organisation_id, blob,
            OutboxMessage.State.PENDING.value, 0, max_attempts, now, None, "", "", now, None)


def enqueue_email(*, kind: str, to: Sequence[str], subject: str, body: str, html: str | None = None,
                  organisation_id: int | None = None, reply_to: Sequence[str] = (),
                  headers: Mapping[str, str] | None = None, dedupe_key: str | None = None,
                  max_attempts: int = 12) -> OutboxMessage:
    """Queue an e-mail; it leaves after the surrounding transaction commits."""
    recipients = [address for address in to if address]
    if not recipients:
        raise ValueError("an e-mail needs at least one recipient")
    content = {"to": recipients, "subject": subject, "body": body, "html": html,
               "reply_to": list(reply_to), "headers": dict(headers or {})}
    return _enqueue(channel=OutboxMessage.Channel.EMAIL, kind=kind, content=content,
                    organisation_id=organisation_id, dedupe_key=dedupe_key, max_attempts=max_attempts)


def enqueue_webhook(*, kind: str, url: str, payload: Mapping[str, Any], secret: str,
                    organisation_id: int | None = None, dedupe_key: str | None = None,
                    max_attempts: int = 12) -> OutboxMessage:
    """Queue a JSON POST to ``url`` signed with HMAC-SHA256 under ``secret`` (see ``sign``)."""
    if not url.startswith(("https://", "http://")):
        raise ValueError("a webhook URL must be http(s)")
    if not secret:
        raise ValueError("a webhook needs a signing secret")
    content = {"url": url, "payload": dict(payload), "secret": secret}
    return _enqueue(channel=OutboxMessage.Channel.WEBHOOK, kind=kind, content=content,
                    organisation_id=organisation_id, dedupe_key=dedupe_key, max_attempts=max_attempts)


# --------------------------------------------------------------------------- signatures


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header value: ``t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">``."""
    digest = hmac.new(secret.encode("utf-8"), str(timestamp).encode("ascii") + b"." + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def verify_signature(secret: str, header: str, body: bytes, *, now: float | None = None,
                     tolerance_s: int = SIGNATURE_TOLERANCE_S) -> bool:
    """What a receiver does: recompute, compare in constant time, refuse stale timestamps."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
        given = parts["v1"]
    except (KeyError, ValueError):
        return False
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance_s:
        return False
    expected = sign(secret, timestamp, body).split("v1=", 1)[1]
    return hmac.compare_digest(expected, given)


# --------------------------------------------------------------------------- delivery


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


class DeliveryError(Exception):
    """One attempt failed; the message will be retried (or marked failed after its last attempt)."""


def _backoff(attempts: int) -> timedelta:
    delay: timedelta = min(FIRST_RETRY * (2 ** max(0, attempts - 1)), LONGEST_RETRY)
    # Up to 10 % jitter so that a receiver that was down is not hit by every retry at once.
    return delay + timedelta(seconds=secrets.randbelow(max(1, int(delay.total_seconds() // 10)) + 1))


def _claim(limit: int, now: datetime) -> tuple[str, list[OutboxMessage]]:
    token = secrets.token_hex(16)
    due = OutboxMessage.objects.filter(next_attempt_at__lte=now).filter(
        models_q_pending_or_expired(now)
    ).order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit]
    ids = list(due)
    if not ids:
        return token, []
    # The conditional UPDATE is the claim: of two workers racing for a row, the
    # second re-evaluates the WHERE after the first commits and matches nothing.
    OutboxMessage.objects.filter(pk__in=ids).filter(models_q_pending_or_expired(now)).update(
        state=OutboxMessage.State.SENDING, lease_until=now + LEASE, lease_token=token,
    )
    claimed = list(OutboxMessage.objects.filter(pk__in=ids, lease_token=token).order_by("next_attempt_at", "id"))
    return token, claimed


def models_q_pending_or_expired(now: datetime) -> Any:
    from django.db.models import Q

    return Q(state=OutboxMessage.State.PENDING) | Q(state=OutboxMessage.State.SENDING, lease_until__lt=now)


def _content(message: OutboxMessage) -> dict[str, Any]:
    data = keyring.decrypt_value(PURPOSE, bytes(message.payload), aad=_aad(message.uuid))
    result: dict[str, Any] = json.loads(data.decode("utf-8"))
    return result


def _message_id(message: OutboxMessage) -> str:
    domain = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "unforgotten.invalid"
    return f"<{message.uuid}@{domain}>"


def _send_email(message: OutboxMessage, content: Mapping[str, Any]) -> None:
    headers = {**content.get("headers", {}), "Message-ID": _message_id(message)}
    email = mail.EmailMultiAlternatives(
        subject=content["subject"], body=content["body"], from_email=settings.DEFAULT_FROM_EMAIL,
        to=content["to"], reply_to=content.get("reply_to") or None, headers=headers,
    )
    if content.get("html"):
        email.attach_alternative(content["html"], "text/html")
    try:
        sent = email.send()
    except (OSError, ValueError) as exc:  # smtplib's errors are OSErrors; ValueError: a bad header
        raise DeliveryError(type(exc).__name__) from exc
    if sent != 1:
        raise DeliveryError("mail backend accepted nothing")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A webhook receiver that redirects is treated as failing: following it could
    # carry a signed payload somewhere its organisation never configured.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _send_webhook(message: OutboxMessage, content: Mapping[str, Any]) -> None:
    body = json.dumps(content["payload"], ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    request = urllib.request.Request(content["url"], data=body, method="POST", headers={  # noqa: S310  (http(s) only, checked at enqueue)
        "Content-Type": "application/json",
        "User-Agent": "Unforgotten-Webhook/1",
        DELIVERY_HEADER: str(message.uuid),
        EVENT_HEADER: message.kind,
        SIGNATURE_HEADER: sign(content["secret"], int(time.time()), body),
    })
    opener = urllib.request.build_opener(_NoRedirects)
    try:
        with opener.open(request, timeout=WEBHOOK_TIMEOUT_S) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        raise DeliveryError(type(exc).__name__) from exc
    if not 200 <= status < 300:
        raise DeliveryError(f"HTTP {status}")


def _deliver_one(message: OutboxMessage, token: str) -> str:
    try:
        content = _content(message)
        if message.channel == OutboxMessage.Channel.EMAIL:
            _send_email(message, content)
        else:
            _send_webhook(message, content)
    except (DeliveryError, keyring.DecryptionError) as exc:
        now = timezone.now()
        reason = str(exc)[:200] or type(exc).__name__
        if message.attempts + 1 >= message.max_attempts:
            OutboxMessage.objects.filter(pk=message.pk, lease_token=token).update(
                state=OutboxMessage.State.FAILED, lease_until=None, attempts=message.attempts + 1, last_error=reason)
            logger.error("outbox message %s (%s) failed for good: %s", message.uuid, message.kind, reason)
            return "failed"
        OutboxMessage.objects.filter(pk=message.pk, lease_token=token).update(
            state=OutboxMessage.State.PENDING, lease_until=None, attempts=message.attempts + 1, last_error=reason,
            next_attempt_at=now + _backoff(message.attempts + 1))
        logger.warning("outbox message %s (%s) will be retried: %s", message.uuid, message.kind, reason)
        return "retried"
    # Sent: the content is wiped at once; the row keeps only its metadata.
    OutboxMessage.objects.filter(pk=message.pk, lease_token=token).update(
        state=OutboxMessage.State.SENT, sent_at=timezone.now(), lease_until=None, payload=b"",
        attempts=message.attempts + 1, last_error="")
    return "sent"


def deliver_due(*, limit: int = 200, now: datetime | None = None) -> DeliveryReport:
    """Claim and send every message that is due (at most ``limit``); safe to run from several workers."""
    report = DeliveryReport()
    token, claimed = _claim(limit, now or timezone.now())
    for message in claimed:
        outcome = _deliver_one(message, token)
        setattr(report, outcome, getattr(report, outcome) + 1)
    return report


def cancel_unsent(stems: Iterable[str]) -> int:
    """Delete the messages not sent yet whose ``dedupe_key`` is a stem or starts with a stem and ":".

    For mail to someone who has since asked to be forgotten (decision 0029): a
    confirmation still queued would carry their address, and a link to a record that
    is gone, out after the erasure. Stems are "<kind>:<record id>" as the callers key
    their messages (``actions.sign:12`` matches ``actions.sign:12`` and
    ``actions.sign:12:9f…``, never ``actions.sign:123``). Inside the caller's
    transaction, so the cancellation commits with the erasure or not at all. A message
    a worker holds right now (a live lease) is left to finish; one whose worker died,
    or that gave up, goes too. Returns how many were deleted.
    """
    from django.db.models import Q

    _require_transaction()
    matches = Q()
    for stem in stems:
        matches |= Q(dedupe_key=stem) | Q(dedupe_key__startswith=f"{stem}:")
    if not matches:
        return 0
    # The state index narrows to the queue (small) before the keys are compared.
    unsent = models_q_pending_or_expired(timezone.now()) | Q(state=OutboxMessage.State.FAILED)
    deleted, _by_model = OutboxMessage.objects.filter(unsent).filter(matches).delete()
    return int(deleted)


def retry_failed(*, kind: str | None = None) -> int:
    """An operator's re-queue of messages that gave up (after fixing the mail server, say)."""
    rows = OutboxMessage.objects.filter(state=OutboxMessage.State.FAILED)
    if kind:
        rows = rows.filter(kind=kind)
    return rows.update(state=OutboxMessage.State.PENDING, attempts=0, next_attempt_at=timezone.now())


@task()
def deliver_outbox() -> dict[str, int]:
    """The worker's side: send what is due. Kicked after each commit that queued mail, and every minute."""
    report = deliver_due()
    return {"sent": report.sent, "retried": report.retried, "failed": report.failed}


_kick_lock = threading.Lock()
_last_slot = 0


def kick() -> None:
    """Ask the worker to deliver soon, coalesced to one task per second per process.

    A surge of signatures must queue one delivery task a second, not one per
    signature; but no message may wait for the next periodic run either. Each
    kick names the *next* whole second as the task's start, so a task always
    starts after every commit that asked for it within that second.
    """
    global _last_slot
    try:
        if not deliver_outbox.get_backend().supports_defer:
            deliver_outbox.enqueue()  # the immediate backend (tests): deliver now
            return
        slot = int(time.time()) + 1
        with _kick_lock:
            if slot == _last_slot:
                return
            _last_slot = slot
        deliver_outbox.using(run_after=datetime.fromtimestamp(slot, tz=UTC)).enqueue()
    except Exception:  # noqa: BLE001  (the periodic run delivers anyway; a failed kick must not fail the request)
        logger.exception("could not enqueue outbox delivery; the periodic run will send it")

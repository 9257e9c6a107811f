"""Core tables: the wrapped data keys of the platform keyring (``core/keyring.py``).

Core also exists as an app so post_migrate reaches CoreConfig (see apps.py).
"""

from __future__ import annotations

from django.db import models


class DataKey(models.Model):
    """One data-encryption key (DEK), stored only wrapped under the KEK.

    The KEK itself is never in the database: a copy of this table alone opens
    nothing. Each ciphertext carries its DEK's ``key_id``, so a retired key is
    kept (it still decrypts older values) and only the active key of a purpose
    encrypts. Rotating the KEK rewrites ``wrapped`` and ``kek_id``; the DEK and
    its id never change, so data encrypted under it stays readable.
    """

    # "restricted-fields": restricted (not sealed) values at rest; "outbox": e-mails and webhooks
    # waiting to leave (addresses, confirmation links); "supporters": petition signers' addresses.
    PURPOSES = ("sealed-fields", "mfa", "evidence-files", "backups", "restricted-fields", "outbox", "supporters")

    class Origin(models.TextChoices):
        RANDOM = "random", "random"
        # Adopted from the single-key helpers used before the keyring (see
        # docs/decisions/0009-keyring.md): kept so their old values stay readable.
        LEGACY = "legacy", "legacy"

    purpose = models.CharField(max_length=40, choices=[(p, p) for p in PURPOSES])
    key_id = models.CharField(max_length=16, unique=True)
    wrapped = models.BinaryField()
    kek_id = models.CharField(max_length=16, db_index=True)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.RANDOM)
    created = models.DateTimeField()
    retired = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["purpose", "created", "id"]
        constraints = [
            # One active key per purpose: two writers creating the first key at
            # once end with one key, not two (the loser re-reads; see keyring.py).
            models.UniqueConstraint(fields=["purpose"], condition=models.Q(retired__isnull=True),
                                    name="core_datakey_one_active_per_purpose"),
        ]

    def __str__(self) -> str:
        state = "retired" if self.retired else "active"
        return f"{self.purpose} {self.key_id} ({state}, KEK {self.kek_id})"


class OutboxMessage(models.Model):
    """An e-mail or webhook that an action promised to send (``core/outbox.py``).

    Written in the same transaction as the change that causes it, so a message
    exists exactly when its cause was committed (no orphans either way), and
    sent later by the task worker, which may die at any point without losing it.
    What it carries (addresses, bodies, links, webhook secrets) is encrypted
    under the "outbox" data key and wiped once sent; the row keeps only what
    delivery reporting needs.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", "e-mail"
        WEBHOOK = "webhook", "webhook"

    class State(models.TextChoices):
        PENDING = "pending", "pending"
        SENDING = "sending", "sending"
        SENT = "sent", "sent"
        # Given up after the last retry: kept for an operator to see and re-queue.
        FAILED = "failed", "failed"

    uuid = models.UUIDField(unique=True)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    # What the message is for ("actions.confirm_signature"), for reports and tests; never content.
    kind = models.CharField(max_length=80, db_index=True)
    organisation_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    # An action that must not send the same message twice gives a key; enqueueing
    # the same key again returns the existing row.
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    payload = models.BinaryField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    max_attempts = models.PositiveIntegerField(default=12)
    next_attempt_at = models.DateTimeField()
    lease_until = models.DateTimeField(null=True, blank=True)
    # The claim that holds the lease: a worker that lost its lease cannot mark another's send.
    lease_token = models.CharField(max_length=32, blank=True, default="")
    # A short reason (status code, exception class); never message content.
    last_error = models.CharField(max_length=200, blank=True, default="")
    created = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="core_outbox_due")]

    def __str__(self) -> str:
        return f"{self.channel} {self.kind} {self.uuid} ({self.state})"


class ScheduledJob(models.Model):
    """The state of one periodic job (``core/schedule.py``): when it runs next and whether it runs now.

    Kept in the database so that a restarted scheduler carries on where it was
    (one catch-up run, never a burst) and two schedulers never start the same
    job at once: a run is claimed by a conditional UPDATE on this row.
    """

    name = models.CharField(max_length=100, unique=True)
    next_run_at = models.DateTimeField()
    # While a run holds the job: nobody else may start it until it finishes or this passes.
    running_until = models.DateTimeField(null=True, blank=True)
    claim = models.CharField(max_length=32, blank=True, default="")
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_outcome = models.CharField(max_length=200, blank=True, default="")
    runs = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# --- intake (issue 6): keyed digests of client addresses for rate limits, forgotten within a day ---
class AddressStamp(models.Model):
    """One hit of a public form from one client address, kept only as a keyed digest (``core/antispam.py``).

    The raw address and the user agent are never stored; the key rotates every
    UTC day and rows older than 24 hours are deleted (on every check and by the
    ``intake.forget_addresses`` job), so a digest cannot be linked to an
    address, or across days, once the day's key is gone.
    """

    purpose = models.CharField(max_length=40)
    digest = models.CharField(max_length=64)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["purpose", "digest", "at"], name="core_addrstamp_lookup")]

    def __str__(self) -> str:
        return f"{self.purpose} {self.digest[:8]}…"


# --- one rate limiter (issue 7, decision 0025): fixed-window counters for burst and sustained limits ---
class RateWindow(models.Model):
    """Hits of one subject (a network, an e-mail domain, an address) in its burst and sustained windows.

    One row per subject and day holds both fixed windows (``core/antispam.py``): the
    upsert that counts a hit starts a window afresh when the clock has moved into a
    new one (decision 0025, third stage). One row instead of one per window halves
    what a signature writes. A single-use token (a proof-of-work challenge) is a row
    whose sustained window never rolls (start 0): its hits are its uses.

    ``digest`` is an HMAC under a key that changes every UTC day, never the subject
    itself; rows whose burst window started more than 24 hours ago are deleted by
    ``antispam.forget_old``. Window starts are seconds since the epoch (UTC): an
    integer costs less to send and compare than a timestamp, and nothing but the
    limiter reads them.
    """

    digest = models.CharField(max_length=64, primary_key=True)
    burst_start = models.BigIntegerField(db_index=True)  # its newest window (a token: its last use), for the purge
    burst_hits = models.IntegerField(default=0)
    sustained_start = models.BigIntegerField(default=0)
    sustained_hits = models.IntegerField(default=0)

    def __str__(self) -> str:
        return "rate window"


from __future__ import annotations

from django.db import models


class AuditEvent(models.Model):
    """One thing that happened: append-only.

    Rows are written by action functions in the same transaction as the change
    they describe, so a change without its audit row cannot exist. The database
    itself refuses UPDATE and DELETE on this table (triggers, see migration
    0002) on both SQLite and PostgreSQL, so even a bug in our code cannot rewrite
    history. The actor and organisation are stored as plain ids without foreign
    keys: deactivating or removing an account must never touch audit rows.
    """

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=254, blank=True)
    organisation_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    reason = models.TextField(blank=True)
    # {field: [before, after]}; sealed values appear only as keyed hashes.
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}:{self.object_id}"


# --- tamper-evident log (integrity; docs/decisions/0010-merkle-log.md) ---


class LogLeaf(models.Model):
    """One entry of the append-only Merkle log (RFC 6962): its position and leaf hash only.

    ``index`` is dense (0, 1, 2, …) and assigned under a lock held until the
    appending transaction commits (``audit/log.py``), so the committed leaves
    are always a gap-free prefix in a stable order. Only the hash is kept, never
    the entry's bytes: ``verify-log`` re-serialises the source row (``kind`` +
    ``ref``, e.g. the audit event's id), so purging a value later leaves
    nothing readable here. Triggers refuse UPDATE and DELETE (migration 0004).
    """

    index = models.BigIntegerField(primary_key=True)
    kind = models.CharField(max_length=20)
    ref = models.CharField(max_length=64)
    leaf_hash = models.BinaryField(max_length=32)

    class Meta:
        ordering = ["index"]
        constraints = [models.UniqueConstraint(fields=["kind", "ref"], name="audit_logleaf_one_per_row")]

    def __str__(self) -> str:
        return f"leaf {self.index} ({self.kind} {self.ref})"


class SignedTreeHead(models.Model):
    """A signed statement "the log had ``tree_size`` leaves with this root at ``timestamp``".

    Signed with the Ed25519 key in ``SIGNING_KEY_FILE`` (outside the database)
    over ``merkle.tree_head_payload``; exported to partner organisations, who
    keep it so that a later rewrite of the history is detectable. Append-only.
    """

    id = models.BigAutoField(primary_key=True)
    tree_size = models.BigIntegerField()
    root_hash = models.BinaryField(max_length=32)
    timestamp = models.CharField(max_length=32)  # canonical UTC text, exactly as signed
    signature = models.BinaryField(max_length=64)
    key_id = models.CharField(max_length=16)
    created = models.DateTimeField()

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"tree head {self.tree_size} at {self.timestamp}"


# --- end tamper-evident log ---

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

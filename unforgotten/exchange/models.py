"""Imports and exports of lists: one record per import run, its provenance and its report.

People, names and the rest are registry rows; what this app keeps is the run
itself: which file (by SHA-256, the file is deleted after the run), which
mapping, which source, who ran it, what it created, updated and skipped, and
the skipped rows' lines and reasons (the downloadable error report).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from unforgotten.registry.models import Owned, Source

# Reasons kept per run (the report says how many more there were): a file of a
# million bad rows must not become a million-entry JSON value.
MAX_KEPT_ERRORS = 10_000


class ImportRun(Owned):
    class Status(models.TextChoices):
        PREVIEW = "preview", _("Waiting for confirmation")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed: nothing was written")
        DISCARDED = "discarded", _("Discarded")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    source_name = models.CharField(_("source"), max_length=60)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    file_name = models.CharField(_("file"), max_length=200)
    file_format = models.CharField(max_length=8)
    file_sha256 = models.CharField(max_length=64, blank=True)
    # Where the uploaded file waits (under var/, outside media); emptied once the file is deleted.
    stored_path = models.CharField(max_length=500, blank=True)
    mapping_text = models.TextField(_("mapping"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEW)
    rows_read = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    # [[line, reason], …] of the skipped rows, at most MAX_KEPT_ERRORS.
    errors = models.JSONField(default=list, blank=True)
    failure = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"import of {self.file_name} ({self.source_name}, {self.status})"

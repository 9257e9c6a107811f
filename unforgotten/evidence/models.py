"""Evidence items (encrypted files, byte-identical originals and their derivatives) and their chain of custody.

An original is never edited: its file, size, hash and type are written once at
ingest and no action changes them (working copies and redacted versions are new
items pointing to it). Only derivatives can ever be marked publishable. Custody
events are append-only (database triggers, as for audit events) and each is a
leaf of the tamper-evident log (``custody.py``).
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from unforgotten.core.encrypted import EncryptedTextField
from unforgotten.policy.sensitivity import Sensitivity
from unforgotten.registry.models import Owned, Person, Source

P = Sensitivity.PUBLIC
INTERNAL = Sensitivity.INTERNAL
R = Sensitivity.RESTRICTED


class Role(models.TextChoices):
    # Berkeley Protocol vocabulary: the original is what was collected, kept as is;
    # a working copy is for analysis; a redacted derivative is what may be shown.
    ORIGINAL = "original", _("Evidentiary original")
    WORKING_COPY = "working_copy", _("Working copy")
    REDACTED = "redacted", _("Redacted derivative")


class CollectionMethod(models.TextChoices):
    RECEIVED = "received", _("Received from a source")
    CAPTURED_ONLINE = "captured_online", _("Captured online (URL, capture time)")
    PHOTOGRAPHED = "photographed", _("Photographed or recorded by staff")
    OFFICIAL_DOCUMENT = "official_document", _("Official document (court, authority)")
    OTHER = "other", _("Other")


class CustodyAction(models.TextChoices):
    INGESTED = "ingested", _("Ingested")
    VIEWED = "viewed", _("Viewed")
    DOWNLOADED = "downloaded", _("Downloaded")
    EXPORTED = "exported", _("Exported")
    SHARED = "shared", _("Shared")
    REDACTED = "redacted", _("Derivative made")
    MARKED_PUBLISHABLE = "marked_publishable", _("Marked publishable")
    HASH_VERIFIED = "hash_verified", _("Hash verified")
    HASH_FAILED = "hash_failed", _("Hash check FAILED")
    ERASED = "erased", _("Erased with its case")


class LiveItems(models.Manager["EvidenceItem"]):
    """Items not erased: every page, list, API answer and fixity run reads through this one.

    An erased item's row stays (its custody events are append-only and point to
    it) without its file, name, URL or description; ``_base_manager`` (backups)
    still sees it.
    """

    def get_queryset(self) -> models.QuerySet[EvidenceItem]:
        return super().get_queryset().filter(erased_at__isnull=True)


class EvidenceItem(Owned):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Empty only on a tombstone whose person was erased (evidence/erasure.py); PROTECT: nothing else removes it.
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, related_name="evidence_items")
    # Optionally also about one record of that person (a case, a detention...), named like registry.Citation.
    target_type = models.CharField(max_length=40, blank=True)
    target_id = models.BigIntegerField(null=True, blank=True)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, null=True, blank=True, related_name="evidence_items",
                               verbose_name=_("provided by source"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.ORIGINAL)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="derivatives")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # The uploaded name, cleaned for display (sniff.display_name); never a path on disk.
    display_name = EncryptedTextField(_("file name"), max_length=220)
    media_type = models.CharField(_("type (from the content)"), max_length=100)
    kind_label = models.CharField(max_length=100)
    scriptable = models.BooleanField(default=False)
    size = models.BigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    client_sha256 = models.CharField(_("SHA-256 sent by the uploader"), max_length=64, blank=True)
    storage_name = models.CharField(max_length=32, unique=True)
    key_id = models.CharField(max_length=16)
    collection_method = models.CharField(_("how it was collected"), max_length=30, choices=CollectionMethod.choices,
                                         default=CollectionMethod.RECEIVED)
    collected_url = EncryptedTextField(_("collected from (URL)"), blank=True, max_length=1000)
    collected_on = models.DateField(_("collected on"), null=True, blank=True)
    publishable = models.BooleanField(_("publishable"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    last_fixity_at = models.DateTimeField(null=True, blank=True)
    last_fixity_ok = models.BooleanField(null=True, blank=True)
    # Set when the case it was about is erased (evidence/erasure.py): the file is gone, the row is a tombstone.
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = LiveItems()

    # The file name and the capture URL can name a witness or a place: case team only.
    # The description may say what the file shows: internal, like case notes.
    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {
        "display_name": R, "collected_url": R, "description": INTERNAL,
    }

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # Only a derivative may ever be published; an original never.
            models.CheckConstraint(condition=~models.Q(role="original", publishable=True),
                                   name="evidence_original_never_publishable"),
            models.CheckConstraint(condition=models.Q(role="original", parent__isnull=True)
                                   | (~models.Q(role="original") & models.Q(parent__isnull=False)),
                                   name="evidence_derivative_has_parent"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_original(self) -> bool:
        return self.role == Role.ORIGINAL


class CustodyEvent(models.Model):
    """One act on one item: who, when, what, why and the hash that resulted. Append-only."""

    item = models.ForeignKey(EvidenceItem, on_delete=models.PROTECT, related_name="custody")
    organisation_id = models.BigIntegerField()
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    actor_label = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=30, choices=CustodyAction.choices)
    purpose = models.TextField(blank=True)
    resulting_sha256 = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=64, blank=True)

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {}

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["item", "id"], name="custody_item")]

    def __str__(self) -> str:
        return f"{self.action} of item {self.item_id} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise RuntimeError("custody events are append-only")
        super().save(*args, **kwargs)

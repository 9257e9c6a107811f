"""Suggestions from the public site ("suggest a prisoner", issue 6) waiting in the caseworkers' intake queue.

Field classes (decision 0021): what the suggester says about the prisoner
(who, where held, since when, why, sources) is *internal*: unverified public
input that the receiving organisation's staff must read to triage it, never
published as it stands. The suggester's own name and contact are *sealed*:
encrypted before they reach the database (``core/sealing.py``), never shown in
a list, an export, the API or an e-mail, readable only through an explicit,
audited reveal with a reason.
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from unforgotten.accounts.models import Organisation
from unforgotten.core.fields import PartialDateField
from unforgotten.core.sealing import SealedTextField, unseal
from unforgotten.policy.sensitivity import Sensitivity

N, S = Sensitivity.INTERNAL, Sensitivity.SEALED  # iNternal, Sealed


class Status(models.TextChoices):
    NEW = "new", _("New")
    # Sent by what looks like a robot (honeypot, bad or hurried form token, flood): kept apart, never lost.
    QUARANTINED = "quarantined", _("Quarantined")
    ACCEPTED = "accepted", _("Accepted: new record")
    LINKED = "linked", _("Linked to an existing record")
    REJECTED = "rejected", _("Rejected")
    SPAM = "spam", _("Spam")


OPEN = (Status.NEW, Status.QUARANTINED)


class Suggestion(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(db_index=True)
    language = models.CharField(_("language of the form"), max_length=10)
    person_name = models.CharField(_("name of the person"), max_length=300)
    other_names = models.CharField(_("other names or spellings"), max_length=500, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    place_held = models.CharField(_("where the person is held"), max_length=300, blank=True)
    held_since = PartialDateField(_("held since"))
    reason = models.TextField(_("why the person is held"))
    sources = models.TextField(_("sources"), blank=True)
    contact_name = SealedTextField(_("suggester's name"), blank=True, default="")
    contact = SealedTextField(_("suggester's contact"), blank=True, default="")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NEW, db_index=True)
    quarantine_reasons = models.JSONField(default=list, blank=True)
    person = models.ForeignKey("registry.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("note"), blank=True)

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {
        "uuid": N, "received_at": N, "language": N, "person_name": N, "other_names": N, "country": N,
        "place_held": N, "held_since": N, "reason": N, "sources": N, "status": N, "quarantine_reasons": N,
        "person_id": N, "decided_at": N, "decision_note": N,
        "contact_name": S, "contact": S,
    }
    SEALED_FIELDS = ("contact_name", "contact")

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["organisation", "status", "received_at"], name="intake_org_status")]

    def __str__(self) -> str:
        return self.person_name

    def seal_context(self, name: str) -> str:
        return f"intake.suggestion.{name}:{self.uuid}"

    def unsealed(self, name: str) -> str:
        """The plaintext of a sealed field: only for the audited reveal (``actions.do_reveal_contact``)."""
        token: Any = getattr(self, name)
        return unseal(token, self.seal_context(name)) if token else ""

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

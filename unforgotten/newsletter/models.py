"""Newsletter subscribers with double opt-in, and the consent they gave (issue 6, decision 0021).

The address is *restricted* and stored encrypted (``core/sealing.py``, bound to
the row): only the list's campaigners read it, through an audited export.
A keyed digest (``address_digest``) finds "the same address" without
decrypting every row, so a second sign-up gets the same answer as the first.
Consent events keep the exact text the person was shown, its SHA-256, the
language and the time (GDPR Art. 7(1): able to demonstrate), and withdrawals.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from unforgotten.accounts.models import Organisation
from unforgotten.core.encrypted import DigestField
from unforgotten.core.sealing import SealedTextField, unseal
from unforgotten.policy.sensitivity import Sensitivity

INTERNAL, R = Sensitivity.INTERNAL, Sensitivity.RESTRICTED


def address_digest(email: str) -> str:
    """A keyed digest of a normalised address: equal for the same address, useless without the key."""
    key = hashlib.sha256(b"unforgotten.newsletter.address:" + settings.SECRET_KEY.encode()).digest()
    return hmac.new(key, email.strip().lower().encode("utf-8"), hashlib.sha256).hexdigest()


class Status(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")


class Subscriber(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    email = SealedTextField(_("e-mail address"))
    email_digest = DigestField()
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    # Single-use links: a link carries its nonce; using it replaces (confirm: clears) the nonce.
    confirm_nonce = models.CharField(max_length=32, blank=True, default="")
    unsubscribe_nonce = models.CharField(max_length=32, blank=True, default="")

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {
        "uuid": INTERNAL, "language": INTERNAL, "status": INTERNAL, "created_at": INTERNAL, "confirmed_at": INTERNAL,
        "unsubscribed_at": INTERNAL,
        "email": R, "email_digest": R,
        # A nonce alone opens nothing (links are signed with the secret key); it is never shown either.
        "confirm_nonce": INTERNAL, "unsubscribe_nonce": INTERNAL,
    }

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["organisation", "email_digest"], name="newsletter_one_per_address")]

    def __str__(self) -> str:
        return str(self.uuid)

    def seal_context(self) -> str:
        return f"newsletter.subscriber.email:{self.uuid}"

    def project_email(self) -> str:
        # The projection's reader for the restricted address: only audiences allowed restricted data get here.
        return unseal(self.email, self.seal_context()) if self.email else ""


class ConsentEvent(models.Model):
    class Kind(models.TextChoices):
        REQUESTED = "requested", _("Asked to subscribe")
        CONFIRMED = "confirmed", _("Confirmed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    purpose = models.CharField(max_length=40, default="newsletter")
    text = models.TextField()
    text_sha256 = models.CharField(max_length=64)
    language = models.CharField(max_length=10)
    at = models.DateTimeField()
    source = models.CharField(max_length=40)

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {}

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d}"

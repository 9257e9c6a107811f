"""Take action (issue 7, stage 1): targets, petitions, supporters, their consent and their signatures.

Design (decision 0018):
- A *target* (a person, an office, an institution, a country) is a shared record
  of the organisation, reused by every petition addressed to it, so a change of
  minister is made once.
- A *supporter* is as little as we can count with: an e-mail address (stored
  encrypted under the "supporters" data key; found again only through a keyed
  digest), optionally a given name, a country and a language. No postal address,
  no phone, no client address, no user agent (T3).
- *Consent* is one row per purpose and grant, with the time and the exact text
  the supporter was shown (and its digest), so it can be demonstrated and
  withdrawn.
- A *signature* is pending until its e-mailed link is confirmed by a POST. It
  counts when confirmed, not quarantined and not invalidated. One signature per
  supporter and petition, by a database constraint (silent deduplication).
- Counts come from sharded counter rows updated in the confirming transaction and
  summed into the petition by a periodic job: the page shows the count "as of"
  that job, never a COUNT(*) per request.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from unforgotten.accounts.models import Organisation
from unforgotten.core.countries import is_country
from unforgotten.core.encrypted import DigestField, EnvelopeBinaryField
from unforgotten.policy.sensitivity import Sensitivity
from unforgotten.registry.models import Owned

P = Sensitivity.PUBLIC
C = Sensitivity.COALITION
INTERNAL = Sensitivity.INTERNAL
R = Sensitivity.RESTRICTED

# How many counter rows a petition's count is spread over: concurrent confirmations
# rarely wait for one another on PostgreSQL (a row lock each), and the periodic sum stays tiny.
COUNTER_SHARDS = 16


class TargetKind(models.TextChoices):
    PERSON = "person", _("a person")
    OFFICE = "office", _("an office")
    INSTITUTION = "institution", _("an institution")
    COUNTRY = "country", _("a country (its government)")


class Target(Owned):
    """Whom a petition addresses; shared by every campaign of the organisation that names it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=TargetKind.choices)
    name = models.CharField(_("name"), max_length=300,
                            help_text=_('e.g. "Minister of Justice" or "Embassy of Belarus in London"'))
    title = models.CharField(_("title or office"), max_length=300, blank=True)
    institution = models.CharField(_("institution"), max_length=300, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    postal_address = models.TextField(_("postal address"), blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    notes = models.TextField(_("how to reach them"), blank=True)

    # Who is addressed is part of the public petition; how to reach them stays in the house.
    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {
        "uuid": P, "kind": P, "name": P, "title": P, "institution": P, "country": P,
        "email": INTERNAL, "postal_address": INTERNAL, "phone": INTERNAL, "notes": INTERNAL,
    }

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.country = (self.country or "").strip().upper()
        if self.country and not is_country(self.country):
            raise ValidationError({"country": _("'%(value)s' is not an ISO 3166 country code.") % {"value": self.country}})


class PetitionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    OPEN = "open", _("open for signatures")
    CLOSED = "closed", _("closed")
    DELIVERED = "delivered", _("delivered")


class Petition(Owned):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("public address"), max_length=120, unique=True)
    name = models.CharField(_("internal name"), max_length=200)
    status = models.CharField(_("status"), max_length=12, choices=PetitionStatus.choices, default=PetitionStatus.DRAFT)
    default_language = models.CharField(_("main language"), max_length=10, default="en")
    goal = models.PositiveIntegerField(_("goal (signatures)"), null=True, blank=True)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    targets = models.ManyToManyField(Target, related_name="petitions", blank=True, verbose_name=_("targets"))
    # The prisoners a petition is for (decision 0025): their public profiles list it while it is open.
    people = models.ManyToManyField("registry.Person", related_name="petitions", blank=True,
                                    verbose_name=_("for these people"))
    show_signer_names = models.BooleanField(
        _("show the names of signers who agree"), default=False,
        help_text=_("Even then, only a given name and country, and only for signers who opted in."))
    anonymise_after_months = models.PositiveSmallIntegerField(
        _("anonymise signers after (months)"), null=True, blank=True,
        help_text=_("Months after closing; empty: the platform's setting."))
    opened_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    delivered_at = models.DateTimeField(null=True, blank=True, editable=False)
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The count shown to the public and its time: written only by the periodic sum of the counter shards.
    count_shown = models.PositiveIntegerField(default=0, editable=False)
    count_as_of = models.DateTimeField(null=True, blank=True, editable=False)

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {
        "uuid": P, "slug": P, "status": P, "default_language": P, "goal": P, "deadline": P,
        "opened_at": P, "closed_at": P, "delivered_at": P, "count_shown": P, "count_as_of": P,
        "name": INTERNAL, "show_signer_names": INTERNAL, "anonymise_after_months": INTERNAL,
        "anonymised_at": INTERNAL,
    }

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        from django.utils import timezone

        return self.status == PetitionStatus.OPEN and (self.deadline is None or self.deadline > timezone.now())

    def text_for(self, language: str) -> PetitionText | None:
        texts = {t.language: t for t in self.texts.all()}
        return texts.get(language) or texts.get(self.default_language) or next(iter(texts.values()), None)

    def months_to_keep(self) -> int:
        if self.anonymise_after_months is not None:
            return int(self.anonymise_after_months)
        return int(settings.PETITION_ANONYMISE_MONTHS)


class PetitionText(models.Model):
    """One language of a petition, reviewed and published on its own (one row per locale)."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=10)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True, help_text=_("Plain text shown above the form."))
    body = models.TextField(_("petition text"), help_text=_("The text delivered to the targets."))
    updated_at = models.DateTimeField(auto_now=True)

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {"language": P, "title": P, "summary": P, "body": P}

    class Meta:
        ordering = ["petition_id", "language"]
        constraints = [models.UniqueConstraint(fields=["petition", "language"], name="one_text_per_language")]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"

    @property
    def organisation_id(self) -> int:
        return int(self.petition.organisation_id)


class CounterShard(models.Model):
    """Part of a petition's count of counted signatures (see COUNTER_SHARDS)."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="shards")
    shard = models.PositiveSmallIntegerField()
    counted = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["petition", "shard"], name="one_row_per_shard")]

    def __str__(self) -> str:
        return f"shard {self.shard} of {self.petition_id}"


class Supporter(models.Model):
    """Someone who took action: as little as it takes to count and to write back."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    # Keyed digest of the normalised address: finds the supporter again (dedup, data
    # requests) without an index of readable addresses.
    email_key = DigestField(db_index=True)
    email_sealed = EnvelopeBinaryField()
    given_name = models.CharField(_("given name"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    created_at = models.DateField(auto_now_add=True)

    # The address and name never leave the owning organisation's staff; the country
    # and language only in aggregate.
    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {
        "email": INTERNAL, "given_name": INTERNAL, "country": INTERNAL, "language": INTERNAL,
        "created_at": INTERNAL, "email_key": R, "email_sealed": R,
    }

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "email_key"], name="one_supporter_per_address")]

    def __str__(self) -> str:
        return f"supporter {self.pk}"

    @property
    def email(self) -> str:
        from unforgotten.actions import supporters

        return supporters.open_email(self)

    def project_email(self) -> str:
        return self.email


class ConsentPurpose(models.TextChoices):
    COUNTED = "counted", _("counted on this petition")
    CAMPAIGN_UPDATES = "campaign_updates", _("updates from this campaign")
    NEWSLETTER = "newsletter", _("the organisation's newsletter")
    SHOW_NAME = "show_name", _("my given name and country shown among the signers")


class Consent(models.Model):
    """One grant of consent for one purpose, with what the supporter was shown (Art. 7(1))."""

    supporter = models.ForeignKey(Supporter, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=20, choices=ConsentPurpose.choices)
    petition = models.ForeignKey(Petition, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    text = models.TextField(help_text="The exact wording shown beside the box or button.")
    text_digest = models.CharField(max_length=64)
    language = models.CharField(max_length=10)
    source = models.CharField(max_length=80, help_text='Where it was given, e.g. "petition form", "confirmation page".')
    given_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {}

    class Meta:
        ordering = ["given_at", "id"]
        indexes = [models.Index(fields=["supporter", "purpose"], name="consent_supporter_purpose")]

    def __str__(self) -> str:
        return f"{self.purpose} consent {self.pk}"


class SignatureState(models.TextChoices):
    PENDING = "pending", _("waiting for confirmation")
    CONFIRMED = "confirmed", _("confirmed")


class QuarantineReason(models.TextChoices):
    NONE = "", _("not quarantined")
    RATE_IP = "rate_ip", _("many signatures from one network address")
    RATE_DOMAIN = "rate_domain", _("many signatures from one e-mail domain")
    RATE_ADDRESS = "rate_address", _("many attempts with one address")
    BAD_CHALLENGE = "bad_challenge", _("a forged or replayed anti-robot challenge")
    MANUAL = "manual", _("held by a reviewer")


class Signature(models.Model):
    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, related_name="signatures")
    # Null once anonymised or erased: the row stays, so counts and country totals stay true.
    supporter = models.ForeignKey(Supporter, on_delete=models.SET_NULL, null=True, blank=True, related_name="signatures")
    state = models.CharField(max_length=10, choices=SignatureState.choices, default=SignatureState.PENDING)
    quarantine = models.CharField(max_length=20, choices=QuarantineReason.choices, default="", blank=True)
    invalidated_at = models.DateTimeField(null=True, blank=True)
    # Whether this signature is in the counter shards now (confirmed, not quarantined, not invalidated).
    counted = models.BooleanField(default=False)
    comment = models.TextField(blank=True)
    comment_chosen = models.BooleanField(default=False, help_text="Chosen for the delivered petition (without a name).")
    show_name = models.BooleanField(default=False)
    country = models.CharField(max_length=2, blank=True)
    language = models.CharField(max_length=10, default="en")
    # The digest of the e-mailed confirmation token; cleared when used.
    token_digest = DigestField(null=True, blank=True, unique=True)
    token_expires = models.DateTimeField(null=True, blank=True)
    proof_of_work = models.BooleanField(default=False)
    # {purpose: exact text shown} ticked on the form; they become Consent rows only when the
    # address is confirmed (double opt-in: nobody can sign someone else up to a newsletter).
    pending_consents = models.JSONField(default=dict, blank=True)
    signed_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    anonymised = models.BooleanField(default=False)

    # Comments may be chosen for the delivered petition (public there, never with a name).
    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {
        "state": INTERNAL, "quarantine": INTERNAL, "comment": INTERNAL, "country": INTERNAL,
        "signed_at": INTERNAL, "confirmed_at": INTERNAL, "token_digest": R,
    }

    class Meta:
        ordering = ["-signed_at", "-id"]
        constraints = [
            # Silent deduplication: one signature per supporter and petition, whatever the race.
            models.UniqueConstraint(fields=["petition", "supporter"], name="one_signature_per_supporter"),
        ]
        indexes = [
            models.Index(fields=["petition", "quarantine", "state"], name="signature_review"),
            models.Index(fields=["petition", "counted", "-signed_at"], name="signature_counted"),
        ]

    def __str__(self) -> str:
        return f"signature {self.pk} on {self.petition_id}"

    @property
    def organisation_id(self) -> int:
        return int(self.petition.organisation_id)

    def should_count(self) -> bool:
        return self.state == SignatureState.CONFIRMED and not self.quarantine and self.invalidated_at is None


class Delivery(models.Model):
    """The PDF handed to the targets when a petition closes: text, count, chosen comments; never an address."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="deliveries")
    language = models.CharField(max_length=10)
    count = models.PositiveIntegerField()
    pdf = models.BinaryField()
    made_at = models.DateTimeField()

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {}

    class Meta:
        ordering = ["-made_at", "-id"]

    def __str__(self) -> str:
        return f"delivery {self.pk} of {self.petition_id}"

    @property
    def organisation_id(self) -> int:
        return int(self.petition.organisation_id)


"""Letters (issue 7, items 4 and 5): letters to a prisoner, and letter campaigns to officials.

Design (decision 0023):
- A prisoner receives letters only through a *letter box* the case team opened,
  and only while the family's consent "how to write to them" stands and the
  prisoner has a live public profile. Letters from the public wait in a
  moderation queue; nothing of a letter is ever public.
- The sender's name, address and e-mail are optional, restricted, and stored
  encrypted (``EncryptedTextField``); they are printed on the letter only if the
  sender gave them and the moderator did not strike them.
- Approved letters are compiled per prisoner into a PDF *batch* that the family
  or the lawyer hands over; the batch and each letter carry a delivery status.
- A *letter campaign* addresses the organisation's shared targets
  (``actions.Target``); one *outreach* per target and campaign counts the
  letters sent and holds the replies staff log. A supporter (``actions.Supporter``:
  the encrypted address) edits the template, confirms from an e-mailed link, and
  the letters leave through the outbox (e-mail) or are compiled for post.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from unforgotten.actions.models import Supporter, Target
from unforgotten.core.encrypted import DigestField, EncryptedTextField
from unforgotten.policy.sensitivity import Sensitivity
from unforgotten.registry.models import Owned, Person

P = Sensitivity.PUBLIC
INTERNAL = Sensitivity.INTERNAL
R = Sensitivity.RESTRICTED

MAX_LETTER = 5000  # characters: two printed pages, what a censor reads in one sitting
MAX_SENDER = 300


class LetterBox(Owned):
    """Whether a prisoner takes letters from the public, and what the moderators must know about their prison."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="letter_box")
    is_open = models.BooleanField(_("open for letters"), default=False)
    guidance = models.TextField(
        _("guidance for this prison"), blank=True,
        help_text=_("What the censor there is known to cut, topics that could hurt the prisoner, who delivers."))
    deliver_via = models.CharField(_("delivered by"), max_length=20, default="family",
                                   choices=[("family", _("the family")), ("lawyer", _("the lawyer"))])

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {
        "uuid": P, "is_open": P, "guidance": INTERNAL, "deliver_via": INTERNAL}

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"letter box of person {self.person_id}"


class LetterStatus(models.TextChoices):
    PENDING = "pending", _("waiting for moderation")
    CHANGES_REQUESTED = "changes", _("changes requested")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")


class DeliveryStatus(models.TextChoices):
    NONE = "", _("not compiled yet")
    COMPILED = "compiled", _("compiled")
    HANDED_OVER = "handed_over", _("handed over")
    DELIVERED = "delivered", _("delivered")
    RETURNED = "returned", _("returned")
    CENSORED = "censored", _("censored")


class PrisonerLetter(Owned):
    """A letter from the public to a prisoner. Internal all its life: never on a public page."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="letters")
    language = models.CharField(_("language of the page"), max_length=10)
    body = models.TextField(_("letter"))
    sender_name = EncryptedTextField(_("sender's name"), blank=True)
    sender_address = EncryptedTextField(_("sender's address"), blank=True)
    # Only to ask the sender for changes; never printed.
    sender_email = EncryptedTextField(_("sender's e-mail"), blank=True)
    # Keyed digest of that address (actions.supporters.email_key): the sender's "my data" link finds their
    # letters by it without decrypting every letter. Null when no address was given, or once erased.
    sender_email_key = DigestField(null=True, blank=True, db_index=True)
    # The moderator may strike the sender's details from the printed letter (they could hurt the prisoner).
    print_sender = models.BooleanField(_("print the sender's name and address"), default=True)
    status = models.CharField(_("status"), max_length=12, choices=LetterStatus.choices, default=LetterStatus.PENDING)
    quarantine = models.CharField(_("held because"), max_length=20, blank=True)
    moderator_note = models.TextField(_("note to the sender"), blank=True)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    moderated_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField()
    # The e-mailed link to revise a letter after a change request: only its digest is kept.
    edit_token_digest = DigestField(null=True, blank=True, unique=True)
    edit_token_expires = models.DateTimeField(null=True, blank=True)
    batch = models.ForeignKey("LetterBatch", on_delete=models.SET_NULL, null=True, blank=True, related_name="letters")
    delivery = models.CharField(_("delivery"), max_length=12, choices=DeliveryStatus.choices, default="", blank=True)

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {
        "uuid": INTERNAL, "language": INTERNAL, "body": INTERNAL, "status": INTERNAL, "quarantine": INTERNAL,
        "moderator_note": INTERNAL, "received_at": INTERNAL, "delivery": INTERNAL, "print_sender": INTERNAL,
        "sender_name": R, "sender_address": R, "sender_email": R, "sender_email_key": R, "edit_token_digest": R,
    }

    class Meta:
        ordering = ["received_at", "id"]
        indexes = [models.Index(fields=["organisation", "status", "received_at"], name="letter_queue"),
                   models.Index(fields=["person", "status", "batch"], name="letter_person_status")]

    def __str__(self) -> str:
        return f"letter {self.uuid}"


class LetterBatch(Owned):
    """Approved letters of one prisoner, printed together for the family or the lawyer to hand over."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="letter_batches")
    status = models.CharField(_("status"), max_length=12, choices=DeliveryStatus.choices[1:],
                              default=DeliveryStatus.COMPILED)
    made_at = models.DateTimeField()
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+")
    size = models.PositiveIntegerField(default=0)
    note = models.TextField(_("note"), blank=True)
    pdf = models.BinaryField()

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {
        "uuid": INTERNAL, "status": INTERNAL, "made_at": INTERNAL, "size": INTERNAL, "note": INTERNAL}

    class Meta:
        ordering = ["-made_at", "-id"]

    def __str__(self) -> str:
        return f"batch {self.uuid}"


# --- letters to officials ---------------------------------------------------------------------------


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    OPEN = "open", _("open for letters")
    CLOSED = "closed", _("closed")


class Channel(models.TextChoices):
    EMAIL = "email", _("by e-mail")
    POST = "post", _("by post")


class LetterCampaign(Owned):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("public address"), max_length=120, unique=True)
    name = models.CharField(_("internal name"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=CampaignStatus.choices,
                              default=CampaignStatus.DRAFT)
    channel = models.CharField(_("sent"), max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    default_language = models.CharField(_("main language"), max_length=10, default="en")
    targets = models.ManyToManyField(Target, through="Outreach", related_name="letter_campaigns", blank=True)
    opened_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {
        "uuid": P, "slug": P, "status": P, "channel": P, "default_language": P, "opened_at": P, "closed_at": P,
        "name": INTERNAL}

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_live(self) -> bool:
        return self.status in (CampaignStatus.DRAFT, CampaignStatus.OPEN)

    def template_for(self, language: str) -> CampaignTemplate | None:
        templates = {t.language: t for t in self.templates.all()}
        return templates.get(language) or templates.get(self.default_language) or next(iter(templates.values()),
                                                                                      None)

    def live_outreaches(self) -> models.QuerySet[Outreach]:
        return self.outreaches.filter(superseded_at__isnull=True).select_related("target")


class CampaignTemplate(models.Model):
    """The letter in one language: what the supporter starts from; salutation and sign-off are added."""

    campaign = models.ForeignKey(LetterCampaign, on_delete=models.CASCADE, related_name="templates")
    language = models.CharField(_("language"), max_length=10)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    subject = models.CharField(_("subject of the letter"), max_length=300)
    body = models.TextField(_("letter"), help_text=_("Without salutation or sign-off: both are added for each target."))
    updated_at = models.DateTimeField(auto_now=True)

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {
        "language": P, "title": P, "summary": P, "subject": P, "body": P}

    class Meta:
        ordering = ["campaign_id", "language"]
        constraints = [models.UniqueConstraint(fields=["campaign", "language"], name="one_template_per_language")]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"

    # How a query reaches the owning organisation (this row has no organisation column of its own).
    ORGANISATION_PATH: ClassVar[str] = "campaign__organisation"

    @property
    def organisation_id(self) -> int:
        return int(self.campaign.organisation_id)


class Outreach(models.Model):
    """One target of one campaign: how many letters went, and what came back."""

    campaign = models.ForeignKey(LetterCampaign, on_delete=models.CASCADE, related_name="outreaches")
    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="letter_outreaches")
    letters_sent = models.PositiveIntegerField(default=0)
    letters_for_post = models.PositiveIntegerField(default=0)
    # When the office changed hands: this outreach stops and ``superseded_by`` carries on.
    superseded_at = models.DateTimeField(null=True, blank=True)
    superseded_by = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {
        "letters_sent": INTERNAL, "letters_for_post": INTERNAL, "superseded_at": INTERNAL}

    class Meta:
        ordering = ["campaign_id", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "target"], name="one_outreach_per_target")]

    def __str__(self) -> str:
        return f"outreach {self.pk}"

    # How a query reaches the owning organisation (this row has no organisation column of its own).
    ORGANISATION_PATH: ClassVar[str] = "campaign__organisation"

    @property
    def organisation_id(self) -> int:
        return int(self.campaign.organisation_id)


class LetterState(models.TextChoices):
    PENDING = "pending", _("waiting for confirmation")
    SENT = "sent", _("sent")


class OfficialLetter(models.Model):
    """A supporter's letter in a campaign: pending until confirmed from the e-mailed link, then sent to every target."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    campaign = models.ForeignKey(LetterCampaign, on_delete=models.PROTECT, related_name="letters")
    # Null once the supporter erased their data: the letter was sent; only the count matters now.
    supporter = models.ForeignKey(Supporter, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    language = models.CharField(max_length=10)
    body = models.TextField()
    sender_name = EncryptedTextField(blank=True)
    sender_place = EncryptedTextField(blank=True)
    state = models.CharField(max_length=10, choices=LetterState.choices, default=LetterState.PENDING)
    quarantine = models.CharField(max_length=20, blank=True)
    proof_of_work = models.BooleanField(default=False)
    token_digest = DigestField(null=True, blank=True, unique=True)
    token_expires = models.DateTimeField(null=True, blank=True)
    # {purpose: exact text shown} ticked on the form; LetterConsent rows once the address is confirmed
    # (double opt-in, as petitions do: nobody can sign a stranger up).
    pending_consents = models.JSONField(default=dict, blank=True)
    written_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {
        "uuid": INTERNAL, "language": INTERNAL, "body": INTERNAL, "state": INTERNAL, "quarantine": INTERNAL,
        "written_at": INTERNAL, "sent_at": INTERNAL, "sender_name": R, "sender_place": R, "token_digest": R}

    class Meta:
        ordering = ["-written_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "supporter"], name="one_letter_per_supporter")]

    def __str__(self) -> str:
        return f"letter {self.uuid} in campaign {self.campaign_id}"

    # How a query reaches the owning organisation (this row has no organisation column of its own).
    ORGANISATION_PATH: ClassVar[str] = "campaign__organisation"

    @property
    def organisation_id(self) -> int:
        return int(self.campaign.organisation_id)


class Dispatch(models.Model):
    """One letter to one target: an outbox e-mail, or a page waiting to be printed for post."""

    letter = models.ForeignKey(OfficialLetter, on_delete=models.CASCADE, related_name="dispatches")
    outreach = models.ForeignKey(Outreach, on_delete=models.CASCADE, related_name="dispatches")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    outbox_uuid = models.UUIDField(null=True, blank=True)
    printed_in = models.ForeignKey("PostBatch", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="dispatches")
    made_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["letter", "outreach"], name="one_dispatch_per_target")]

    def __str__(self) -> str:
        return f"dispatch {self.pk}"


class PostBatch(models.Model):
    """Letters of a campaign compiled for post: one page per letter and target, with the target's postal address."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    campaign = models.ForeignKey(LetterCampaign, on_delete=models.CASCADE, related_name="post_batches")
    made_at = models.DateTimeField()
    size = models.PositiveIntegerField(default=0)
    pdf = models.BinaryField()

    class Meta:
        ordering = ["-made_at", "-id"]

    def __str__(self) -> str:
        return f"post batch {self.uuid}"

    # How a query reaches the owning organisation (this row has no organisation column of its own).
    ORGANISATION_PATH: ClassVar[str] = "campaign__organisation"

    @property
    def organisation_id(self) -> int:
        return int(self.campaign.organisation_id)


class ReplyStance(models.TextChoices):
    POSITIVE = "positive", _("positive")
    NEUTRAL = "neutral", _("acknowledged, no commitment")
    NEGATIVE = "negative", _("negative")


class Reply(models.Model):
    """A reply from a target, logged by staff."""

    outreach = models.ForeignKey(Outreach, on_delete=models.CASCADE, related_name="replies")
    received_on = models.DateField(_("received on"))
    stance = models.CharField(_("stance"), max_length=10, choices=ReplyStance.choices)
    summary = models.TextField(_("summary"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    recorded_at = models.DateTimeField()

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {"received_on": INTERNAL, "stance": INTERNAL,
                                                     "summary": INTERNAL}

    class Meta:
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"reply {self.pk}"

    # How a query reaches the owning organisation (this row has no organisation column of its own).
    ORGANISATION_PATH: ClassVar[str] = "outreach__campaign__organisation"

    @property
    def organisation_id(self) -> int:
        return int(self.outreach.campaign.organisation_id)


class LetterConsent(models.Model):
    """One grant of consent by a letter writer, with the exact words shown (the petitions' Consent, for letters)."""

    supporter = models.ForeignKey(Supporter, on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey(LetterCampaign, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    purpose = models.CharField(max_length=20)
    text = models.TextField()
    text_digest = models.CharField(max_length=64)
    language = models.CharField(max_length=10)
    given_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["given_at", "id"]

    def __str__(self) -> str:
        return f"{self.purpose} consent {self.pk}"

"""Advocacy, legal support and UN submissions (issue 8): who raised which case with whom, and what came of it.

Every model is owned by an organisation (``registry.Owned``: it may raise, never
lower, its fields' classes) and declares the class of each field. The choices,
field by field, are recorded in docs/decisions/0014-advocacy.md; in short:

- what happened and what came of it (an intervention's date, method and outcome,
  a legal action's kind, court and status, a UN communication's mechanism and
  outcome) is *coalition*: partners, diplomats and UN desks may be told that
  remedies were pursued and the case was raised;
- who is reached and how (stakeholders' e-mail, phone, address), what was asked,
  the answer, deadlines, references and who raised it is *internal*;
- strategy (an intervention's notes, a legal action's arguments, a UN
  communication's notes, a WGAD draft's identity document and residence) is
  *restricted*: the case team of the person;
- a lawyer's contact details are *sealed*: encrypted before the database,
  revealed only by an audited act of a client's case team after re-authentication.

Dates of past events are partial dates (``PartialDateField``); deadlines are
days (a deadline "in March" is no deadline). Where a query needs a day (cadence
rules, the forgotten-case radar), the earliest day a partial date can stand for
is kept beside it: "in March" counts from 1 March, so a rule is never told a
case was raised more recently than it surely was.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unforgotten.advocacy import vocabularies as v
from unforgotten.core.countries import is_country
from unforgotten.core.encrypted import EncryptedTextField
from unforgotten.core.fields import PartialDateField
from unforgotten.core.partialdate import PartialDate
from unforgotten.core.sealing import SealedTextField, unseal
from unforgotten.policy.sensitivity import Sensitivity
from unforgotten.registry.models import Case, Owned, Person

P = Sensitivity.PUBLIC
C = Sensitivity.COALITION
INTERNAL = Sensitivity.INTERNAL
R = Sensitivity.RESTRICTED
S = Sensitivity.SEALED

# The WGAD asks governments to reply within 60 days (methods of work, A/HRC/36/38).
GOVERNMENT_REPLY_DAYS = 60


def _not_in_future(value: PartialDate | date | None, field: str, errors: dict[str, str]) -> None:
    if value is None:
        return
    today = timezone.localdate()
    if isinstance(value, PartialDate):
        if value.definitely_after(today):
            errors.setdefault(field, f"{value} is in the future.")
    elif value > today:
        errors.setdefault(field, f"{value} is in the future.")


def _country(value: str, field: str, errors: dict[str, str], *, required: bool) -> str:
    code = (value or "").strip().upper()
    if code and not is_country(code):
        errors[field] = f"'{value}' is not an ISO 3166 country code."
    elif required and not code:
        errors[field] = "Give the country (an ISO 3166 code such as BY)."
    return code


class Stakeholder(Owned):
    """A government, embassy, UN mechanism, court, parliamentarian, journalist or NGO the organisation works with."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=v.StakeholderKind.choices)
    name = models.CharField(_("name"), max_length=300,
                            help_text=_('A person or a body, e.g. "Permanent Mission of Norway in Geneva".'))
    institution = models.CharField(_("institution"), max_length=300, blank=True,
                                   help_text=_('The body they belong to, e.g. "Ministry of Foreign Affairs".'))
    role = models.CharField(_("role"), max_length=200, blank=True, help_text=_('e.g. "Human rights officer"'))
    country = models.CharField(_("country"), max_length=2, blank=True,
                               help_text=_("The country they represent or work in (empty for UN bodies)."))
    language = models.CharField(_("language"), max_length=12, blank=True,
                                help_text=_("The language to write to them in, e.g. en, fr, ar."))
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    postal_address = models.TextField(_("postal address"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    # Who the organisation works with may be shared with partners; how to reach them stays in the house.
    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {
        "uuid": C, "kind": C, "name": C, "institution": C, "role": C, "country": C, "language": C,
        "email": INTERNAL, "phone": INTERNAL, "postal_address": INTERNAL, "notes": INTERNAL,
    }

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["organisation", "kind", "name"], name="stakeholder_org_kind")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        self.country = _country(self.country, "country", errors, required=False)
        if errors:
            raise ValidationError(errors)

    @property
    def can_be_sent_to(self) -> bool:
        return bool(self.email)


class Intervention(Owned):
    """Who raised which case with whom, when and how, what was asked, the answer and what came of it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="interventions")
    stakeholder = models.ForeignKey(Stakeholder, on_delete=models.PROTECT, related_name="interventions",
                                    verbose_name=_("with whom"))
    raised_by = models.CharField(_("raised by"), max_length=300, blank=True,
                                 help_text=_('Who raised it, e.g. "our director" or "the EU delegation".'))
    occurred = PartialDateField(_("when"))
    # The earliest day ``occurred`` can stand for: what cadence rules and the radar count from.
    occurred_on = models.DateField(null=True, blank=True, editable=False)
    method = models.CharField(_("how"), max_length=20, choices=v.InterventionMethod.choices)
    asked = models.TextField(_("what was asked"), blank=True)
    response = models.TextField(_("the response"), blank=True)
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=v.InterventionOutcome.choices,
                               default=v.InterventionOutcome.PENDING)
    notes = EncryptedTextField(_("strategy notes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", editable=False)

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {
        "uuid": C, "case_id": C, "stakeholder_id": C, "occurred": C, "occurred_on": C, "method": C, "outcome": C,
        "raised_by": INTERNAL, "asked": INTERNAL, "response": INTERNAL, "follow_up_on": INTERNAL,
        "recorded_by_id": INTERNAL, "notes": R,
    }

    class Meta:
        ordering = ["-occurred_on", "-id"]
        indexes = [
            # The forgotten-case radar (issue 9) asks "last intervention per case": one index range per case.
            models.Index(fields=["case", "-occurred_on"], name="intervention_case_date"),
            models.Index(fields=["stakeholder", "case", "-occurred_on"], name="intervention_cadence"),
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()} with {self.stakeholder_id} on {self.occurred}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.occurred_on = self.occurred.earliest()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        _not_in_future(self.occurred, "occurred", errors)
        if errors:
            raise ValidationError(errors)


class CadenceRule(Owned):
    """"Raise this case with this stakeholder at least every N days." Overdue rules make the dashboard."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="cadence_rules")
    stakeholder = models.ForeignKey(Stakeholder, on_delete=models.CASCADE, related_name="cadence_rules",
                                    verbose_name=_("stakeholder"))
    every_days = models.PositiveSmallIntegerField(_("at least every (days)"), default=60)
    active = models.BooleanField(_("active"), default=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {}

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["case", "stakeholder"], name="one_cadence_per_case_stakeholder")]
        indexes = [models.Index(fields=["organisation", "active"], name="cadence_org_active")]

    def __str__(self) -> str:
        return f"case {self.case_id} with {self.stakeholder_id} every {self.every_days} days"

    def clean(self) -> None:
        if not 1 <= int(self.every_days or 0) <= 3650:
            raise ValidationError({"every_days": "Give a number of days between 1 and 3650."})


class Brief(Owned):
    """The advocate's own texts for a case's dossiers: a summary, what is asked, health — in English and one translation."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="advocacy_brief")
    summary = models.TextField(_("summary (English)"), blank=True)
    asks = models.TextField(_("what is asked (English)"), blank=True)
    health = models.TextField(_("health and conditions (English)"), blank=True,
                              help_text=_("Shown to the media only with the person's health consent."))
    translation_language = models.CharField(_("language of the translation"), max_length=12, blank=True,
                                            choices=v.DOSSIER_LANGUAGES)
    summary_translation = models.TextField(_("summary (translation)"), blank=True)
    asks_translation = models.TextField(_("what is asked (translation)"), blank=True)
    health_translation = models.TextField(_("health and conditions (translation)"), blank=True)

    # Written for the outside world: public, each bound to the consent its content needs.
    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {
        "summary": P, "asks": P, "health": P, "translation_language": P, "summary_translation": P,
        "asks_translation": P, "health_translation": P,
    }
    CONSENT: ClassVar[dict[str, str]] = {
        "summary": "story", "summary_translation": "story", "asks": "name", "asks_translation": "name",
        "health": "health", "health_translation": "health",
    }

    def __str__(self) -> str:
        return f"brief for case {self.case_id}"

    def has_public_consent(self, scope: str) -> bool:
        # Free text about a person names them: every text here also needs the name consent.
        person = self.case.person
        return bool(person.has_public_consent(scope) and person.has_public_consent("name"))


class Adoption(Owned):
    """A parliamentarian or an organisation adopts a prisoner; named in public only with consent."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="adoptions")
    adopter_kind = models.CharField(_("adopter"), max_length=20, choices=v.AdopterKind.choices)
    adopter_name = models.CharField(_("adopter's name"), max_length=300)
    stakeholder = models.ForeignKey(Stakeholder, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="adoptions", verbose_name=_("adopter in the stakeholders"),
                                    help_text=_("Their contact details come from here (the toolkit is e-mailed to them)."))
    started_on = models.DateField(_("adopted on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    # The adopter's own consent to be named in public, and when it was given or withdrawn.
    listing_consent_on = models.DateField(_("adopter agreed to be listed publicly on"), null=True, blank=True)
    listing_withdrawn_on = models.DateField(_("adopter withdrew from public listing on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {
        "uuid": C, "adopter_kind": P, "adopter_name": P, "started_on": P, "ended_on": P,
        "stakeholder_id": INTERNAL, "listing_consent_on": INTERNAL, "listing_withdrawn_on": INTERNAL,
        "notes": INTERNAL,
    }
    # Public only when both agree: the adopter to be named, the prisoner's family to name the prisoner.
    CONSENT: ClassVar[dict[str, str]] = {"adopter_kind": "listing", "adopter_name": "listing",
                                         "started_on": "listing", "ended_on": "listing"}

    class Meta:
        ordering = ["-started_on", "-id"]

    def __str__(self) -> str:
        return f"{self.adopter_name} adopts person {self.person_id}"

    @property
    def is_active(self) -> bool:
        return self.ended_on is None or self.ended_on > timezone.localdate()

    def has_public_consent(self, scope: str) -> bool:
        if scope != "listing":
            return False
        today = timezone.localdate()
        adopter_agrees = (self.listing_consent_on is not None and self.listing_consent_on <= today
                          and (self.listing_withdrawn_on is None or self.listing_withdrawn_on > today))
        return adopter_agrees and bool(self.person.has_public_consent("name"))

    def clean(self) -> None:
        errors: dict[str, str] = {}
        _not_in_future(self.started_on, "started_on", errors)
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            errors["ended_on"] = "The adoption cannot end before it started."
        if self.listing_withdrawn_on and not self.listing_consent_on:
            errors["listing_withdrawn_on"] = "There is no consent to withdraw."
        if errors:
            raise ValidationError(errors)


class AdoptionActivity(Owned):
    """What an adopter did: a letter, a parliamentary question, a visit."""

    adoption = models.ForeignKey(Adoption, on_delete=models.CASCADE, related_name="activities")
    occurred = PartialDateField(_("when"))
    kind = models.CharField(_("what"), max_length=30, choices=v.ActivityKind.choices)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("link"), blank=True)

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {"occurred": C, "kind": C}

    class Meta:
        ordering = ["-occurred", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.occurred})"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        _not_in_future(self.occurred, "occurred", errors)
        if errors:
            raise ValidationError(errors)


class Lawyer(Owned):
    """A lawyer the organisation works with. How to reach them is sealed: lawyers are arrested too."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=300)
    country = models.CharField(_("bar (country)"), max_length=2, blank=True)
    contact_sealed = SealedTextField(_("contact details"), blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {"uuid": INTERNAL, "name": INTERNAL, "country": INTERNAL,
                                                     "contact_sealed": S, "notes": R}

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        self.country = _country(self.country, "country", errors, required=False)
        if errors:
            raise ValidationError(errors)

    def sealed_context(self, field: str = "contact") -> str:
        # The keyring's re-encryption asks every model ``sealed_context(stem)`` (decision 0009).
        return f"advocacy.lawyer.{field}:{self.uuid}"

    def project_contact_sealed(self) -> str:
        return unseal(self.contact_sealed, self.sealed_context()) if self.contact_sealed else ""

    def client_case_team_ids(self) -> frozenset[int]:
        """Case teams of the people this lawyer acts for: the only readers of the sealed contact."""
        person_ids = self.legal_actions.values("case__person_id")
        return frozenset(Person.case_team.through.objects.filter(person_id__in=person_ids)
                         .values_list("user_id", flat=True))


class LegalAction(Owned):
    """An appeal, cassation, habeas corpus, complaint or application, with its filing date, deadline and status."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="legal_actions")
    kind = models.CharField(_("kind"), max_length=20, choices=v.LegalActionKind.choices)
    forum = models.CharField(_("court or body"), max_length=300, blank=True)
    lawyer = models.ForeignKey(Lawyer, on_delete=models.SET_NULL, null=True, blank=True, related_name="legal_actions",
                               verbose_name=_("lawyer"))
    responsible = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("responsible in the organisation"),
                                    help_text=_("Receives the deadline reminders, with the case team."))
    filed_on = PartialDateField(_("filed"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=v.LegalActionStatus.choices,
                              default=v.LegalActionStatus.PREPARING)
    reference = models.CharField(_("court reference"), max_length=200, blank=True)
    decided_on = PartialDateField(_("decided"))
    outcome = models.TextField(_("outcome"), blank=True)
    arguments = EncryptedTextField(_("arguments and strategy"), blank=True)

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {
        "uuid": C, "case_id": C, "kind": C, "forum": C, "filed_on": C, "status": C, "decided_on": C, "outcome": C,
        "lawyer_id": INTERNAL, "responsible_id": INTERNAL, "deadline": INTERNAL, "reference": INTERNAL,
        "arguments": R,
    }

    class Meta:
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["deadline", "status"], name="legal_action_deadline")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        _not_in_future(self.filed_on, "filed_on", errors)
        _not_in_future(self.decided_on, "decided_on", errors)
        if self.lawyer is not None and self.lawyer.organisation_id != self.organisation_id:
            errors["lawyer"] = "Choose a lawyer your organisation works with."
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        return self.status not in v.CLOSED_LEGAL_STATUSES


class UNCommunication(Owned):
    """A communication to a UN mechanism or an urgent appeal: reference, the government's reply due, opinion, outcome."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="un_communications")
    mechanism = models.CharField(_("mechanism"), max_length=20, choices=v.Mechanism.choices, default=v.Mechanism.WGAD)
    kind = models.CharField(_("kind"), max_length=20, choices=v.CommunicationKind.choices,
                            default=v.CommunicationKind.REGULAR)
    submitted_on = models.DateField(_("submitted on"))
    transmitted_on = models.DateField(_("transmitted to the government on"), null=True, blank=True,
                                      help_text=_("From the mechanism's acknowledgement; the reply is due 60 days later."))
    reference = models.CharField(_("UN reference"), max_length=100, blank=True)
    reply_due_on = models.DateField(_("government reply due"), null=True, blank=True, editable=False)
    replied_on = models.DateField(_("government replied on"), null=True, blank=True)
    opinion_number = models.CharField(_("opinion number"), max_length=50, blank=True,
                                      help_text=_('e.g. "No. 27/2023"'))
    opinion_adopted_on = models.DateField(_("opinion adopted on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=30, choices=v.CommunicationOutcome.choices,
                               default=v.CommunicationOutcome.PENDING)
    categories = models.JSONField(_("categories found"), default=list, blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)

    # Opinions are published by the UN; submissions may name sources, so the notes are the case team's.
    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {
        "uuid": C, "case_id": C, "mechanism": C, "kind": C, "submitted_on": C, "opinion_number": C,
        "opinion_adopted_on": C, "outcome": C, "categories": C,
        "transmitted_on": INTERNAL, "reference": INTERNAL, "reply_due_on": INTERNAL, "replied_on": INTERNAL,
        "notes": R,
    }

    class Meta:
        ordering = ["-submitted_on", "-id"]
        indexes = [models.Index(fields=["organisation", "reply_due_on"], name="un_reply_due")]

    def __str__(self) -> str:
        return f"{self.get_mechanism_display()} {self.reference or self.submitted_on}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        start = self.transmitted_on or self.submitted_on
        self.reply_due_on = start + timedelta(days=GOVERNMENT_REPLY_DAYS) if start else None
        super().save(*args, **kwargs)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        for name in ("submitted_on", "transmitted_on", "replied_on", "opinion_adopted_on"):
            _not_in_future(getattr(self, name), name, errors)
        if self.transmitted_on and self.submitted_on and self.transmitted_on < self.submitted_on:
            errors["transmitted_on"] = "It cannot be transmitted before it was submitted."
        cats = self.categories or []
        if not isinstance(cats, list) or any(c not in v.WGAD_CATEGORIES for c in cats):
            errors["categories"] = "Categories are among I, II, III, IV and V."
        elif self.outcome == v.CommunicationOutcome.ARBITRARY and not cats:
            errors["categories"] = "Name the categories the opinion found (I–V)."
        elif self.outcome != v.CommunicationOutcome.ARBITRARY and cats:
            errors["categories"] = "Categories go with an 'arbitrary' outcome only."
        else:
            self.categories = [c for c in v.WGAD_CATEGORIES if c in cats]
        if errors:
            raise ValidationError(errors)


class WGADDraft(Owned):
    """The questionnaire answers the registry does not hold, for a draft WGAD communication about one case."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="wgad_draft")
    # 1. Identity
    family_name = models.CharField(_("family name"), max_length=300, blank=True)
    given_names = models.CharField(_("first name(s)"), max_length=300, blank=True)
    id_document = EncryptedTextField(_("identity document (type, issuing authority, date, number)"), blank=True)
    residence = EncryptedTextField(_("address of usual residence"), blank=True)
    # 2. Arrest
    arrest_place = models.TextField(_("place of arrest"), blank=True)
    arrest_forces = models.TextField(_("forces who carried out the arrest"), blank=True)
    warrant_shown = models.CharField(_("warrant or decision shown"), max_length=10, choices=v.YesNoUnknown.choices,
                                     default=v.YesNoUnknown.UNKNOWN)
    warrant_authority = models.TextField(_("authority that issued the warrant or decision"), blank=True)
    arrest_reasons = models.TextField(_("reasons for the arrest given by the authorities"), blank=True)
    # 3. Detention
    detention_forces = models.TextField(_("forces holding the detainee"), blank=True)
    detention_authority = models.TextField(_("authorities that ordered the detention"), blank=True)
    # 4. Circumstances and why the detention is arbitrary
    circumstances = models.TextField(_("circumstances of the arrest and detention"), blank=True)
    category_reasoning = models.JSONField(_("reasoning per category"), default=dict, blank=True)
    # 5. Domestic remedies
    remedies_explanation = models.TextField(_("domestic remedies: results, or why none were taken"), blank=True)
    # 6. Submitter
    consent_to_submit = models.CharField(_("the person or family agrees to the submission"), max_length=10,
                                         choices=v.YesNoUnknown.choices, default=v.YesNoUnknown.UNKNOWN)
    submitter_name = models.CharField(_("submitter's full name"), max_length=300, blank=True)
    submitter_address = models.TextField(_("submitter's address"), blank=True)
    submitter_email = models.EmailField(_("submitter's e-mail"), blank=True)
    submitter_phone = models.CharField(_("submitter's phone"), max_length=60, blank=True)

    # A draft is read by staff; the two answers that could lead someone to the family are the case team's.
    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {"id_document": R, "residence": R}

    def __str__(self) -> str:
        return f"WGAD draft for case {self.case_id}"

    def clean(self) -> None:
        reasoning = self.category_reasoning or {}
        if not isinstance(reasoning, dict) or any(k not in v.WGAD_CATEGORIES or not isinstance(t, str)
                                                  for k, t in reasoning.items()):
            raise ValidationError({"category_reasoning": "Give the reasoning per category I–V as text."})
        self.category_reasoning = {k: reasoning[k].strip() for k in v.WGAD_CATEGORIES if str(reasoning.get(k, "")).strip()}


class DossierCopy(Owned):
    """One dossier handed to one recipient: what went, to whom, why, and the fingerprint of the file."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="dossier_copies")
    case = models.ForeignKey(Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=20, default="dossier")  # dossier, wgad-pdf, wgad-docx, toolkit
    audience = models.CharField(_("audience"), max_length=10, choices=v.DossierAudience.choices, blank=True)
    language = models.CharField(_("second language"), max_length=12, blank=True)
    recipient = models.CharField(_("recipient"), max_length=300)
    stakeholder = models.ForeignKey(Stakeholder, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reason = models.TextField(_("reason"))
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(default=0)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+")

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {}

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.uuid} for {self.recipient}"

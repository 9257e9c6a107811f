"""The registry: people, their prosecutions, detentions, status history and recognition.

Every model declares the sensitivity class of its fields (``SENSITIVITY``;
undeclared fields are internal) and is owned by an organisation, so the policy
and the projection can answer for every record. Catalogues shared by every
organisation (law articles, facilities) are public knowledge and owned by none.
Sealed values are stored only as ciphertext (``SealedTextField``); they are read
through ``unseal`` with the row's context, never implicitly.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from unforgotten.accounts.models import Organisation
from unforgotten.core.countries import is_country
from unforgotten.core.encrypted import EncryptedTextField
from unforgotten.core.fields import PartialDateField
from unforgotten.core.partialdate import PartialDate
from unforgotten.core.sealing import SealedTextField, unseal
from unforgotten.policy.sensitivity import Sensitivity
from unforgotten.registry import vocabularies as v

P = Sensitivity.PUBLIC
C = Sensitivity.COALITION
INTERNAL = Sensitivity.INTERNAL
R = Sensitivity.RESTRICTED
S = Sensitivity.SEALED


def _not_in_future(value: PartialDate, field: str, errors: dict[str, str]) -> None:
    if value.definitely_after(timezone.localdate()):
        errors.setdefault(field, f"{value} is in the future.")


def _in_order(start: PartialDate, end: PartialDate, field: str, end_label: str, start_label: str,
              errors: dict[str, str]) -> None:
    if not start.is_unknown and not end.is_unknown and end.definitely_before(start):
        errors.setdefault(field, f"The {end_label} ({end}) is before the {start_label} ({start}).")


class Owned(models.Model):
    """Owned by one organisation; may raise (never lower) its fields' classes."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    sensitivity_floor = models.PositiveSmallIntegerField(
        _("whole-record sensitivity"), null=True, blank=True, choices=Sensitivity.choices(),
        help_text=_("Raise every field of this record to at least this class."),
    )
    sensitivity_overrides = models.JSONField(_("raised field classes"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {}

    class Meta:
        abstract = True


class Person(Owned):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("public address"), max_length=120, unique=True)
    gender = models.CharField(_("gender"), max_length=10, choices=v.Gender.choices, default=v.Gender.UNKNOWN)
    birth_date = PartialDateField(_("birth date"))
    birth_place = models.CharField(_("birth place"), max_length=200, blank=True)
    citizenships = models.JSONField(_("citizenships"), default=list, blank=True)
    country = models.CharField(_("country of the case"), max_length=2, db_index=True,
                               help_text=_("Where the person is prosecuted or held (ISO 3166 code)."))
    occupation = models.CharField(_("occupation"), max_length=30, choices=v.Occupation.choices, default=v.Occupation.OTHER)
    occupation_detail = models.CharField(_("occupation, in words"), max_length=200, blank=True)
    affiliations = models.TextField(_("affiliations"), blank=True)
    # Special-category data: never public by default.
    ethnicity = models.CharField(_("ethnicity"), max_length=100, blank=True)
    religion = models.CharField(_("religion"), max_length=100, blank=True)
    photo = models.FileField(_("photo"), upload_to="registry/photos/", blank=True)
    death_date = PartialDateField(_("date of death"))
    death_circumstances = models.CharField(_("circumstances of death"), max_length=30, blank=True,
                                           choices=[(v.Status.DIED_IN_CUSTODY, v.Status.DIED_IN_CUSTODY.label),
                                                    (v.Status.EXECUTED, v.Status.EXECUTED.label)])
    public_summary = models.TextField(_("public summary"), blank=True)
    internal_notes = models.TextField(_("internal notes"), blank=True)
    # Denormalised from the latest StatusChange and RecognitionDecision, kept in
    # step by the action functions: the person list filters a million rows on them.
    current_status = models.CharField(_("status"), max_length=20, choices=v.Status.choices, default=v.Status.AT_LARGE)
    current_status_date = PartialDateField(_("status since"))
    recognition_outcome = models.CharField(_("recognition"), max_length=30, blank=True,
                                           choices=v.RecognitionOutcome.choices)
    sort_name = models.CharField(max_length=300, db_index=True, editable=False, default="")
    display_name = models.CharField(max_length=300, editable=False, default="")
    case_team = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="case_teams",
                                       verbose_name=_("case team"))
    # Deduplication (issue 4, helper "names"): a person merged into another is retired, never deleted;
    # lists leave them out and their page sends readers to the person they became part of.
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, editable=False,
                                    related_name="+", verbose_name=_("merged into"))
    # Retention (issue 5, helper "evidence"): the daily job `registry.retention` erases the person after this day.
    erase_after = models.DateField(_("erase after"), null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["sort_name", "display_name"])

    SENSITIVITY = {
        "slug": P, "gender": P, "citizenships": P, "country": P, "occupation": P, "occupation_detail": P,
        "photo": P, "death_date": P, "death_circumstances": P, "public_summary": P, "current_status": P,
        "current_status_date": P, "recognition_outcome": P, "display_name": P,
        "birth_date": INTERNAL, "birth_place": INTERNAL, "affiliations": INTERNAL, "internal_notes": INTERNAL,
        "ethnicity": INTERNAL, "religion": INTERNAL,
    }
    CONSENT: ClassVar[dict[str, str]] = {"photo": "photo", "public_summary": "story", "display_name": "name",
                                         "slug": "name"}

    class Meta:
        ordering = ["sort_name", "id"]
        indexes = [
            models.Index(fields=["organisation", "sort_name", "id"], name="person_org_sort"),
            models.Index(fields=["organisation", "country", "current_status", "sort_name"], name="person_org_country_status"),
            models.Index(fields=["organisation", "current_status", "sort_name"], name="person_org_status"),
            models.Index(fields=["organisation", "occupation", "sort_name"], name="person_org_occupation"),
            models.Index(fields=["organisation", "recognition_outcome", "sort_name"], name="person_org_recognition"),
            # The list's other two sort orders (status date, country) at a million people.
            models.Index(fields=["organisation", "-current_status_date", "-id"], name="person_org_status_date"),
            models.Index(fields=["organisation", "country", "sort_name", "id"], name="person_org_country_sort"),
        ]

    def __str__(self) -> str:
        return self.display_name or str(self.uuid)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        self.country = (self.country or "").upper()
        if not is_country(self.country):
            errors["country"] = f"'{self.country}' is not an ISO 3166 country code."
        bad = [c for c in self.citizenships or [] if not isinstance(c, str) or not is_country(c)]
        if bad:
            errors["citizenships"] = f"Unknown country code(s): {', '.join(map(str, bad))}."
        else:
            self.citizenships = sorted({c.upper() for c in self.citizenships or []})
        _not_in_future(self.birth_date, "birth_date", errors)
        _not_in_future(self.death_date, "death_date", errors)
        _in_order(self.birth_date, self.death_date, "death_date", "date of death", "birth date", errors)
        if errors:
            raise ValidationError(errors)

    def has_public_consent(self, scope: str) -> bool:
        cache = getattr(self, "_uf_consents", None)
        if cache is None:
            today = timezone.localdate()
            cache = {
                c.scope for c in self.consents.all()
                if c.withdrawn_on is None and (c.given_on is None or c.given_on <= today)
            }
            self._uf_consents = cache
        return scope in cache


class PersonName(Owned):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="names")
    text = models.CharField(_("name"), max_length=300)
    script = models.CharField(_("script"), max_length=4, blank=True, help_text=_("ISO 15924, e.g. Latn, Cyrl, Arab."))
    language = models.CharField(_("language"), max_length=12, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=v.NameKind.choices, default=v.NameKind.LEGAL)
    is_primary = models.BooleanField(_("primary"), default=False)
    search_key = models.CharField(max_length=400, db_index=True, editable=False, default="")

    history = HistoricalRecords()
    SENSITIVITY = {"text": P, "script": P, "language": P, "kind": P, "is_primary": P}
    CONSENT: ClassVar[dict[str, str]] = {"text": "name"}

    class Meta:
        ordering = ["-is_primary", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=models.Q(is_primary=True), name="one_primary_name"),
        ]

    def __str__(self) -> str:
        return self.text

    def has_public_consent(self, scope: str) -> bool:
        return self.person.has_public_consent(scope)


class ExternalId(Owned):
    """A person's identifier in another list ("cpj" 1234): what makes a re-import update, never duplicate.

    Unique per organisation, source and value, so the same source row always
    finds the same person; two organisations may import the same list.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="external_ids")
    source = models.CharField(_("source"), max_length=60, help_text=_('The list it comes from, e.g. "cpj".'))
    value = models.CharField(_("identifier"), max_length=200)

    history = HistoricalRecords()
    SENSITIVITY = {"source": C, "value": C}

    class Meta:
        ordering = ["source", "value"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "source", "value"], name="one_person_per_external_id"),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.value}"


class LawArticle(models.Model):
    """A catalogue shared by every organisation: many cases cite one article."""

    country = models.CharField(_("country"), max_length=2)
    code = models.CharField(_("code"), max_length=100, help_text=_("e.g. Criminal Code"))
    article = models.CharField(_("article"), max_length=30)
    part = models.CharField(_("part"), max_length=30, blank=True)
    title = models.CharField(_("title"), max_length=300, blank=True)

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {"id": P, "country": P, "code": P, "article": P, "part": P,
                                                     "title": P}

    class Meta:
        ordering = ["country", "code", "article", "part"]
        constraints = [models.UniqueConstraint(fields=["country", "code", "article", "part"], name="law_article_unique")]

    def __str__(self) -> str:
        return self.label(self.code, self.article, self.part, self.country)

    @staticmethod
    def label(code: str, article: str, part: str, country: str) -> str:
        part = f" part {part}" if part else ""
        return f"{code}, art. {article}{part} ({country})"

    @classmethod
    def choice_rows(cls) -> list[tuple[int, str]]:
        """(id, label) of the whole catalogue in its order, without building instances (filters and pickers)."""
        return [(pk, cls.label(code, article, part, country)) for pk, code, article, part, country
                in cls.objects.values_list("id", "code", "article", "part", "country")]

    def clean(self) -> None:
        self.country = (self.country or "").upper()
        if not is_country(self.country):
            raise ValidationError({"country": f"'{self.country}' is not an ISO 3166 country code."})


class Facility(models.Model):
    """Prisons, colonies, police stations: public knowledge, shared by every organisation."""

    name = models.CharField(_("name"), max_length=300)
    other_names = models.JSONField(_("other names"), default=list, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=v.FacilityKind.choices, default=v.FacilityKind.PRISON)
    country = models.CharField(_("country"), max_length=2)
    place = models.CharField(_("place"), max_length=200, blank=True)
    postal_address = models.TextField(_("postal address for letters"), blank=True)

    history = HistoricalRecords()
    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {
        "id": P, "name": P, "other_names": P, "kind": P, "country": P, "place": P, "postal_address": P}

    class Meta:
        ordering = ["country", "name"]
        verbose_name_plural = "facilities"

    def __str__(self) -> str:
        return self.label(self.name, self.place, self.country)

    @staticmethod
    def label(name: str, place: str, country: str) -> str:
        return f"{name} ({place or country})"

    @classmethod
    def choice_rows(cls) -> list[tuple[int, str]]:
        """(id, label) of the whole catalogue in its order, without building instances (filters and pickers)."""
        return [(pk, cls.label(name, place, country))
                for pk, name, place, country in cls.objects.values_list("id", "name", "place", "country")]

    def clean(self) -> None:
        self.country = (self.country or "").upper()
        if not is_country(self.country):
            raise ValidationError({"country": f"'{self.country}' is not an ISO 3166 country code."})


class Official(Owned):
    """A judge, prosecutor or investigator. Involvement is always *alleged* until reviewed."""

    name = models.CharField(_("name"), max_length=300)
    role = models.CharField(_("role"), max_length=20, choices=v.OfficialRole.choices)
    agency = models.CharField(_("agency or court"), max_length=300, blank=True)
    rank = models.CharField(_("rank"), max_length=100, blank=True)
    alleged_involvement = models.TextField(_("alleged involvement"), blank=True)

    history = HistoricalRecords()
    # Naming an official publicly invites reprisal and defamation risk: internal until reviewed.
    SENSITIVITY = {"role": P, "agency": P}

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class Case(Owned):
    """One prosecution of one person."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="cases")
    jurisdiction = models.CharField(_("jurisdiction"), max_length=2)
    case_number = models.CharField(_("case number"), max_length=100, blank=True)
    opened_on = PartialDateField(_("opened"))
    investigating_agency = models.CharField(_("investigating agency"), max_length=200, blank=True)
    theme = models.CharField(_("theme"), max_length=20, choices=v.Theme.choices, default=v.Theme.OTHER)
    case_group = models.CharField(_("case group"), max_length=200, blank=True, help_text=_('e.g. "anti-war case"'))
    impugned_activity = models.TextField(_("what the person actually did"), blank=True)
    procedural_stage = models.CharField(_("procedural stage"), max_length=20, choices=v.ProceduralStage.choices,
                                        default=v.ProceduralStage.INVESTIGATION)
    legal_strategy = EncryptedTextField(_("legal strategy"), blank=True)

    history = HistoricalRecords()
    # Case numbers can identify co-defendants and sources: internal until public.
    SENSITIVITY = {"jurisdiction": P, "opened_on": P, "theme": P, "case_group": P, "impugned_activity": P,
                   "procedural_stage": P, "legal_strategy": R}

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.case_number or f"case {self.pk}"

    def clean(self) -> None:
        self.jurisdiction = (self.jurisdiction or "").upper()
        errors: dict[str, str] = {}
        if not is_country(self.jurisdiction):
            errors["jurisdiction"] = f"'{self.jurisdiction}' is not an ISO 3166 country code."
        _not_in_future(self.opened_on, "opened_on", errors)
        if errors:
            raise ValidationError(errors)


class Charge(Owned):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="charges")
    law_article = models.ForeignKey(LawArticle, on_delete=models.PROTECT, related_name="charges")
    wording = models.TextField(_("wording"), blank=True)
    brought_on = PartialDateField(_("brought"))
    status = models.CharField(_("status"), max_length=12, choices=v.ChargeStatus.choices, default=v.ChargeStatus.CHARGED)

    history = HistoricalRecords()
    SENSITIVITY = {"law_article_id": P, "wording": P, "brought_on": P, "status": P}

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.law_article} ({self.get_status_display()})"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        _not_in_future(self.brought_on, "brought_on", errors)
        if errors:
            raise ValidationError(errors)


class Hearing(Owned):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="hearings")
    court = models.CharField(_("court"), max_length=300)
    court_kind = models.CharField(_("kind of court"), max_length=20, choices=v.CourtKind.choices, default=v.CourtKind.CIVILIAN)
    held_on = PartialDateField(_("date"))
    judges = models.ManyToManyField(Official, blank=True, related_name="hearings", verbose_name=_("judges"))
    is_open = models.BooleanField(_("open to the public"), null=True, blank=True)
    defence_access = models.CharField(_("defence access"), max_length=20, choices=v.DefenceAccess.choices,
                                      default=v.DefenceAccess.UNKNOWN)
    outcome = models.CharField(_("outcome"), max_length=20, choices=v.HearingOutcome.choices, blank=True)
    in_absentia = models.BooleanField(_("in absentia"), default=False)
    monitor_notes = EncryptedTextField(_("trial-monitor notes"), blank=True)

    history = HistoricalRecords()
    SENSITIVITY = {"court": P, "court_kind": P, "held_on": P, "is_open": P, "defence_access": P, "outcome": P,
                   "in_absentia": P, "monitor_notes": R}

    class Meta:
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.court} {self.held_on}"


class Sentence(Owned):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sentences")
    sentence_type = models.CharField(_("type"), max_length=20, choices=v.SentenceType.choices, default=v.SentenceType.IMPRISONMENT)
    handed_down_on = PartialDateField(_("handed down"))
    years = models.PositiveSmallIntegerField(_("years"), default=0)
    months = models.PositiveSmallIntegerField(_("months"), default=0)
    days = models.PositiveSmallIntegerField(_("days"), default=0)
    regime = models.CharField(_("regime"), max_length=100, blank=True, help_text=_('e.g. "strict regime colony"'))
    appeal_status = models.CharField(_("appeal"), max_length=12, choices=v.AppealStatus.choices, default=v.AppealStatus.NONE)
    counts_from = PartialDateField(_("counted from"), help_text=_("Usually the first day of detention."))

    history = HistoricalRecords()
    SENSITIVITY = {"sentence_type": P, "handed_down_on": P, "years": P, "months": P, "days": P, "regime": P,
                   "appeal_status": P, "counts_from": P}

    class Meta:
        ordering = ["handed_down_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_sentence_type_display()} {self.years}y {self.months}m {self.days}d"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        _not_in_future(self.handed_down_on, "handed_down_on", errors)
        if self.sentence_type in (v.SentenceType.IMPRISONMENT, v.SentenceType.FORCED_LABOUR, v.SentenceType.RESTRICTION) \
                and not (self.years or self.months or self.days):
            errors["years"] = "Give the length of the sentence (years, months or days)."
        if self.months > 11 and self.years:
            errors["months"] = "Months beyond 11 belong in years."
        if errors:
            raise ValidationError(errors)

    @property
    def expected_release(self) -> PartialDate:
        """Derived, never stored: start + length, at the precision the start is known to."""
        if self.sentence_type in (v.SentenceType.DEATH, v.SentenceType.LIFE, v.SentenceType.FINE):
            return PartialDate()
        start: PartialDate = self.counts_from if not self.counts_from.is_unknown else self.handed_down_on
        if start.is_unknown or not (self.years or self.months or self.days):
            return PartialDate()
        return start.add_duration(self.years, self.months, self.days)


class DetentionPeriod(Owned):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="detentions")
    case = models.ForeignKey(Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="detentions")
    kind = models.CharField(_("kind"), max_length=30, choices=v.DetentionKind.choices)
    start = PartialDateField(_("from"))
    end = PartialDateField(_("until"), help_text=_("Leave empty while the detention goes on."))
    # Bounds of the partial start, for "as of" queries and sorting.
    start_earliest = models.DateField(null=True, blank=True, editable=False, db_index=True)
    start_latest = models.DateField(null=True, blank=True, editable=False)
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, null=True, blank=True, related_name="detentions")
    whereabouts = models.CharField(_("whereabouts"), max_length=20, choices=v.Whereabouts.choices, default=v.Whereabouts.ACKNOWLEDGED)
    incommunicado = models.BooleanField(_("held incommunicado"), default=False)
    conditions_notes = EncryptedTextField(_("conditions and health notes"), blank=True)

    history = HistoricalRecords()
    SENSITIVITY = {"kind": P, "start": P, "end": P, "facility_id": P, "whereabouts": P, "incommunicado": P,
                   "conditions_notes": R}

    class Meta:
        ordering = ["start", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start}–{self.end}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.start_earliest = self.start.earliest()
        self.start_latest = self.start.latest()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        _not_in_future(self.start, "start", errors)
        _not_in_future(self.end, "end", errors)
        _in_order(self.start, self.end, "end", "end of detention", "start", errors)
        if errors:
            raise ValidationError(errors)


class StatusChange(Owned):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(_("status"), max_length=20, choices=v.Status.choices)
    effective = PartialDateField(_("since"))
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()
    SENSITIVITY = {"status": P, "effective": P}

    class Meta:
        ordering = ["effective", "id"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} since {self.effective}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        _not_in_future(self.effective, "effective", errors)
        if errors:
            raise ValidationError(errors)


class Relationship(Owned):
    """Family, lawyers, co-defendants. Who the family are and how to reach them is sealed."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships")
    kind = models.CharField(_("kind"), max_length=20, choices=v.RelationshipKind.choices)
    related_person = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                       verbose_name=_("person in the registry"))
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name_sealed = SealedTextField(_("name"), blank=True)
    contact_sealed = SealedTextField(_("contact details"), blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)

    history = HistoricalRecords()
    # Family links invite reprisal: internal; the co-defendant link itself is public knowledge.
    SENSITIVITY = {"kind": INTERNAL, "related_person_id": INTERNAL, "name_sealed": S, "contact_sealed": S,
                   "notes": R}

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of person {self.person_id}"

    def sealed_context(self, field: str) -> str:
        return f"registry.relationship.{field}:{self.uuid}"

    def project_name_sealed(self) -> str:
        return unseal(self.name_sealed, self.sealed_context("name")) if self.name_sealed else ""

    def project_contact_sealed(self) -> str:
        return unseal(self.contact_sealed, self.sealed_context("contact")) if self.contact_sealed else ""


class Consent(Owned):
    """Who agreed to what going public about a person, and when it was withdrawn."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    scope = models.CharField(_("scope"), max_length=10, choices=v.ConsentScope.choices)
    given_by = models.CharField(_("given by"), max_length=200, help_text=_('e.g. "the person", "spouse"'))
    given_on = models.DateField(_("given on"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()
    SENSITIVITY = {"scope": INTERNAL}

    class Meta:
        ordering = ["scope", "-given_on"]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} consent for person {self.person_id}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None and (self.given_on is None or self.given_on <= date.today())  # noqa: DTZ011


class Source(Owned):
    """Where information came from. Its identity is sealed; its grading is internal."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    label = models.CharField(_("label"), max_length=200, help_text=_('A non-identifying handle, e.g. "Source 14"'))
    identity_sealed = SealedTextField(_("identity"), blank=True)
    connection = models.CharField(_("connection to the information"), max_length=20, choices=v.SourceConnection.choices)
    reliability = models.CharField(_("source reliability"), max_length=1, choices=v.SourceReliability.choices,
                                   default=v.SourceReliability.F)
    credibility = models.CharField(_("information credibility"), max_length=1, choices=v.InformationCredibility.choices,
                                   default=v.InformationCredibility.CANNOT_JUDGE)
    url = models.URLField(_("public URL"), blank=True)
    obtained_on = models.DateField(_("obtained on"), null=True, blank=True)

    history = HistoricalRecords()
    SENSITIVITY = {"identity_sealed": S}

    class Meta:
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label

    def project_identity_sealed(self) -> str:
        return unseal(self.identity_sealed, f"registry.source.identity:{self.uuid}") if self.identity_sealed else ""


class Citation(Owned):
    """An assertion (a record, optionally one field of it) supported by a source."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="citations")
    target_type = models.CharField(max_length=40)
    target_id = models.BigIntegerField()
    field = models.CharField(max_length=60, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["target_type", "target_id"], name="citation_target")]

    def __str__(self) -> str:
        return f"source {self.source_id} → {self.target_type}:{self.target_id}"


class RecognitionDecision(Owned):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="decisions")
    case = models.ForeignKey(Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions")
    framework = models.CharField(_("framework"), max_length=20, choices=v.Framework.choices)
    outcome = models.CharField(_("outcome"), max_length=30, choices=v.RecognitionOutcome.choices)
    decided_on = models.DateField(_("decided on"))
    reviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("reviewers"))
    co_signing = models.TextField(_("co-signing organisations"), blank=True)
    public_rationale = models.TextField(_("public rationale"), blank=True)
    deliberations = models.TextField(_("deliberations"), blank=True)
    statement_url = models.URLField(_("public statement"), blank=True)

    history = HistoricalRecords()
    SENSITIVITY = {"framework": P, "outcome": P, "decided_on": P, "co_signing": P, "public_rationale": P,
                   "statement_url": P}

    class Meta:
        ordering = ["decided_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_framework_display()}: {self.get_outcome_display()} ({self.decided_on})"


class CriterionAssessment(Owned):
    decision = models.ForeignKey(RecognitionDecision, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(_("criterion"), max_length=10)
    is_exclusion = models.BooleanField(default=False)
    result = models.CharField(_("result"), max_length=10, choices=v.CriterionResult.choices)
    rationale = models.TextField(_("rationale"), blank=True)
    evidence_links = models.TextField(_("evidence"), blank=True)

    history = HistoricalRecords()
    SENSITIVITY = {"code": P, "result": P, "is_exclusion": P}

    class Meta:
        ordering = ["is_exclusion", "code"]
        constraints = [models.UniqueConstraint(fields=["decision", "code", "is_exclusion"], name="criterion_once")]

    def __str__(self) -> str:
        return f"{self.code}: {self.get_result_display()}"


# --- names index (issue 4, helper "names") ----------------------------------------------------------


class NameIndexChange(models.Model):
    """One row per change to someone's names (or existence), written in the changing transaction.

    Every process keeps its own in-memory name index; before searching it
    re-reads the people named by rows it has not seen yet (``registry.search``).
    ``person_id`` is not a foreign key: the row outlives the person. A row
    without a person means "rebuild everything" (a bulk load bypassed the
    actions). ``token`` tells a row from a later one that reused its number
    (a restored or rolled-back database), which also forces a rebuild.
    """

    seq = models.BigAutoField(primary_key=True)
    person_id = models.BigIntegerField(null=True, blank=True)
    organisation_id = models.BigIntegerField(null=True, blank=True)
    token = models.UUIDField(default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"name change {self.seq}: person {self.person_id}"


class PersonMerge(Owned):
    """One merge of two records of the same person, and exactly what moved, so it can be undone.

    ``moved`` maps a kind of record ("names", "cases", …) to the primary keys
    that moved from ``merged`` to ``kept``; "case_team" lists the users the
    merge added to the kept person's team, "primary_name" the merged person's
    primary name. Undoing moves exactly those back.
    """

    kept = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_out")
    moved = models.JSONField(default=dict)
    reason = models.TextField(_("reason"))
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")
    undo_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"person {self.merged_id} merged into {self.kept_id}"


class DuplicateCandidate(Owned):
    """Two people of one organisation whose names match closely: a question for a person, never an answer.

    ``first`` is always the lower id, so a pair is stored once; a pair judged
    "not the same person" stays so (``find-duplicates`` never reopens it).
    """

    class Status(models.TextChoices):
        OPEN = "open", _("to review")
        NOT_SAME = "not_same", _("not the same person")
        MERGED = "merged", _("merged")

    first = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="duplicate_pair_once"),
            models.CheckConstraint(condition=models.Q(first__lt=models.F("second")), name="duplicate_pair_ordered"),
        ]
        indexes = [models.Index(fields=["organisation", "status", "-score"], name="duplicate_queue")]

    def __str__(self) -> str:
        return f"{self.first_id} ~ {self.second_id} ({self.score:.2f})"


# --- end names index ----------------------------------------------------------------------------------

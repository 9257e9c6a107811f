"""The advocacy API's request and response shapes.

Requests refuse undeclared fields and answer "cannot be set" for ownership,
sensitivity and derived fields (the registry's ``In``). Responses are
projections for the caller: a field the caller may not see is absent, so every
projected field is optional; sealed values (a lawyer's contact) are write-only.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from ninja import Field, Schema

from unforgotten.advocacy import vocabularies as v
from unforgotten.registry.schemas import Country, Day, Flag, In, PartialDateText, Text, unset

Category = Literal["I", "II", "III", "IV", "V"]
Language = Literal["", "ar", "fa", "ru", "es", "fr", "zh-hans"]
DossierLanguage = Literal["ar", "fa", "ru", "es", "fr", "zh-hans"]
Email = Text


# --- stakeholders ---------------------------------------------------------------------------------


class StakeholderIn(In):
    kind: v.StakeholderKind
    name: Text = Field(..., min_length=1, max_length=300)
    institution: Text = Field("", max_length=300)
    role: Text = Field("", max_length=200)
    country: Country | Literal[""] = ""
    language: Text = Field("", max_length=12)
    email: Email = Field("", max_length=254, description="Without one, nothing can be sent to this stakeholder.")
    phone: Text = Field("", max_length=60)
    postal_address: Text = Field("", max_length=2000)
    notes: Text = Field("", max_length=20000)


class StakeholderPatch(In):
    kind: v.StakeholderKind = unset()
    name: Text = unset(min_length=1, max_length=300)
    institution: Text = unset(max_length=300)
    role: Text = unset(max_length=200)
    country: Country | Literal[""] = unset()
    language: Text = unset(max_length=12)
    email: Email = unset(max_length=254)
    phone: Text = unset(max_length=60)
    postal_address: Text = unset(max_length=2000)
    notes: Text = unset(max_length=20000)


class StakeholderOut(Schema):
    uuid: UUID | None = None
    kind: str | None = None
    name: str | None = None
    institution: str | None = None
    role: str | None = None
    country: str | None = None
    language: str | None = None
    email: str | None = None
    phone: str | None = None
    postal_address: str | None = None
    notes: str | None = None
    can_be_sent_to: bool | None = None


class LetterIn(In):
    case_id: int = Field(..., ge=1, le=2**62, description="The case the letter is about.")
    subject: Text = Field(..., min_length=1, max_length=200)
    body: Text = Field(..., min_length=1, max_length=50000)


# --- interventions and cadence ------------------------------------------------------------------


class InterventionIn(In):
    stakeholder: UUID = Field(..., description="A stakeholder of the case's organisation.")
    occurred: PartialDateText = ""
    method: v.InterventionMethod
    raised_by: Text = Field("", max_length=300)
    asked: Text = Field("", max_length=20000)
    response: Text = Field("", max_length=20000)
    follow_up_on: Day | None = None
    outcome: v.InterventionOutcome = v.InterventionOutcome.PENDING
    notes: Text = Field("", max_length=20000)


class InterventionPatch(In):
    stakeholder: UUID = unset()
    occurred: PartialDateText = unset()
    method: v.InterventionMethod = unset()
    raised_by: Text = unset(max_length=300)
    asked: Text = unset(max_length=20000)
    response: Text = unset(max_length=20000)
    follow_up_on: Day | None = unset()
    outcome: v.InterventionOutcome = unset()
    notes: Text = unset(max_length=20000)


class InterventionOut(Schema):
    uuid: UUID | None = None
    case_id: int | None = None
    stakeholder: UUID | None = None
    occurred: str | None = None
    method: str | None = None
    raised_by: str | None = None
    asked: str | None = None
    response: str | None = None
    follow_up_on: date | None = None
    outcome: str | None = None
    notes: str | None = None


class CadenceIn(In):
    stakeholder: UUID
    every_days: int = Field(60, ge=1, le=3650)
    active: Flag = True
    note: Text = Field("", max_length=300)


class CadenceOut(Schema):
    id: int
    case_id: int
    stakeholder: UUID | None = None
    every_days: int
    active: bool
    note: str = ""
    last: date | None = None
    due: date
    days_overdue: int


class OverdueOut(CadenceOut):
    person: UUID
    person_name: str | None = None
    stakeholder_name: str | None = None


# --- brief ---------------------------------------------------------------------------------------


class BriefIn(In):
    summary: Text = Field("", max_length=20000)
    asks: Text = Field("", max_length=20000)
    health: Text = Field("", max_length=20000)
    translation_language: Language = ""
    summary_translation: Text = Field("", max_length=20000)
    asks_translation: Text = Field("", max_length=20000)
    health_translation: Text = Field("", max_length=20000)


class BriefOut(Schema):
    summary: str | None = None
    asks: str | None = None
    health: str | None = None
    translation_language: str | None = None
    summary_translation: str | None = None
    asks_translation: str | None = None
    health_translation: str | None = None


# --- adoption -------------------------------------------------------------------------------------


class AdoptionIn(In):
    adopter_kind: v.AdopterKind
    adopter_name: Text = Field(..., min_length=1, max_length=300)
    stakeholder: UUID | None = None
    started_on: Day
    ended_on: Day | None = None
    listing_consent_on: Day | None = None
    listing_withdrawn_on: Day | None = None
    notes: Text = Field("", max_length=20000)


class AdoptionPatch(In):
    adopter_kind: v.AdopterKind = unset()
    adopter_name: Text = unset(min_length=1, max_length=300)
    stakeholder: UUID | None = unset()
    started_on: Day = unset()
    ended_on: Day | None = unset()
    listing_consent_on: Day | None = unset()
    listing_withdrawn_on: Day | None = unset()
    notes: Text = unset(max_length=20000)


class ActivityIn(In):
    occurred: PartialDateText = ""
    kind: v.ActivityKind
    description: Text = Field("", max_length=20000)
    url: Text = Field("", max_length=200, description="An http(s) link to what was done.")


class ActivityOut(Schema):
    occurred: str | None = None
    kind: str | None = None
    description: str | None = None
    url: str | None = None


class AdoptionOut(Schema):
    uuid: UUID | None = None
    adopter_kind: str | None = None
    adopter_name: str | None = None
    stakeholder: UUID | None = None
    started_on: date | None = None
    ended_on: date | None = None
    listing_consent_on: date | None = None
    listing_withdrawn_on: date | None = None
    notes: str | None = None
    listed_publicly: bool = False
    activities: list[ActivityOut] = []


class ToolkitOut(Schema):
    subject: str
    text: str


# --- legal support -----------------------------------------------------------------------------------


class LawyerIn(In):
    name: Text = Field(..., min_length=1, max_length=300)
    country: Country | Literal[""] = ""
    contact: Text = Field("", max_length=5000, description="Sealed: encrypted before it is stored, never returned.")
    notes: Text = Field("", max_length=20000)


class LawyerOut(Schema):
    uuid: UUID | None = None
    name: str | None = None
    country: str | None = None
    notes: str | None = None
    has_contact: bool = False


class LegalActionIn(In):
    kind: v.LegalActionKind
    forum: Text = Field("", max_length=300)
    lawyer: UUID | None = None
    filed_on: PartialDateText = ""
    deadline: Day | None = None
    status: v.LegalActionStatus = v.LegalActionStatus.PREPARING
    reference: Text = Field("", max_length=200)
    decided_on: PartialDateText = ""
    outcome: Text = Field("", max_length=20000)
    arguments: Text = Field("", max_length=50000)


class LegalActionPatch(In):
    kind: v.LegalActionKind = unset()
    forum: Text = unset(max_length=300)
    lawyer: UUID | None = unset()
    filed_on: PartialDateText = unset()
    deadline: Day | None = unset()
    status: v.LegalActionStatus = unset()
    reference: Text = unset(max_length=200)
    decided_on: PartialDateText = unset()
    outcome: Text = unset(max_length=20000)
    arguments: Text = unset(max_length=50000)


class LegalActionOut(Schema):
    uuid: UUID | None = None
    case_id: int | None = None
    kind: str | None = None
    forum: str | None = None
    lawyer: UUID | None = None
    filed_on: str | None = None
    deadline: date | None = None
    status: str | None = None
    reference: str | None = None
    decided_on: str | None = None
    outcome: str | None = None
    arguments: str | None = None


# --- UN communications and WGAD ------------------------------------------------------------------------


class CommunicationIn(In):
    mechanism: v.Mechanism = v.Mechanism.WGAD
    kind: v.CommunicationKind = v.CommunicationKind.REGULAR
    submitted_on: Day
    transmitted_on: Day | None = None
    reference: Text = Field("", max_length=100)
    replied_on: Day | None = None
    opinion_number: Text = Field("", max_length=50)
    opinion_adopted_on: Day | None = None
    outcome: v.CommunicationOutcome = v.CommunicationOutcome.PENDING
    categories: list[Category] = Field(default_factory=list, max_length=5)
    notes: Text = Field("", max_length=20000)


class CommunicationPatch(In):
    mechanism: v.Mechanism = unset()
    kind: v.CommunicationKind = unset()
    submitted_on: Day = unset()
    transmitted_on: Day | None = unset()
    reference: Text = unset(max_length=100)
    replied_on: Day | None = unset()
    opinion_number: Text = unset(max_length=50)
    opinion_adopted_on: Day | None = unset()
    outcome: v.CommunicationOutcome = unset()
    categories: list[Category] = unset(max_length=5)
    notes: Text = unset(max_length=20000)


class CommunicationOut(Schema):
    uuid: UUID | None = None
    case_id: int | None = None
    mechanism: str | None = None
    kind: str | None = None
    submitted_on: date | None = None
    transmitted_on: date | None = None
    reference: str | None = None
    reply_due_on: date | None = None
    replied_on: date | None = None
    opinion_number: str | None = None
    opinion_adopted_on: date | None = None
    outcome: str | None = None
    categories: list[str] | None = None
    notes: str | None = None


class WgadDraftIn(In):
    family_name: Text = Field("", max_length=300)
    given_names: Text = Field("", max_length=300)
    id_document: Text = Field("", max_length=2000)
    residence: Text = Field("", max_length=2000)
    arrest_place: Text = Field("", max_length=2000)
    arrest_forces: Text = Field("", max_length=2000)
    warrant_shown: v.YesNoUnknown = v.YesNoUnknown.UNKNOWN
    warrant_authority: Text = Field("", max_length=2000)
    arrest_reasons: Text = Field("", max_length=5000)
    detention_forces: Text = Field("", max_length=2000)
    detention_authority: Text = Field("", max_length=2000)
    circumstances: Text = Field("", max_length=50000)
    category_reasoning: dict[Category, Text] = Field(default_factory=dict)
    remedies_explanation: Text = Field("", max_length=20000)
    consent_to_submit: v.YesNoUnknown = v.YesNoUnknown.UNKNOWN
    submitter_name: Text = Field("", max_length=300)
    submitter_address: Text = Field("", max_length=2000)
    submitter_email: Text = Field("", max_length=254)
    submitter_phone: Text = Field("", max_length=60)


class AnswerOut(Schema):
    label: str
    value: str
    missing: bool


class PartOut(Schema):
    number: int
    title: str
    answers: list[AnswerOut]


class WgadOut(Schema):
    case_id: int
    complete: bool
    missing: list[str]
    parts: list[PartOut]


class ExportIn(In):
    recipient: Text = Field(..., min_length=1, max_length=300, description="Printed on every page of the copy.")
    reason: Text = Field(..., min_length=1, max_length=2000, description="Kept in the audit trail.")


class WgadExportIn(ExportIn):
    format: Literal["pdf", "docx"] = "pdf"


class DossierIn(ExportIn):
    audience: v.DossierAudience
    language: DossierLanguage = "ar"
    case_id: int | None = Field(None, ge=1, le=2**62, description="One case; all the person's cases when absent.")
    stakeholder: UUID | None = None


# --- case summary, deadlines, laws ------------------------------------------------------------------------


class CaseAdvocacyOut(Schema):
    case_id: int
    person: UUID
    interventions: list[InterventionOut]
    cadence_rules: list[CadenceOut]
    legal_actions: list[LegalActionOut]
    un_communications: list[CommunicationOut]
    brief: BriefOut | None = None
    last_intervention_on: date | None = None


class LawArticleOut(Schema):
    id: int
    country: str
    code: str
    article: str
    part: str = ""
    title: str = ""


class LawCountOut(Schema):
    article: LawArticleOut
    cases: int
    people: int


class CopyOut(Schema):
    uuid: UUID
    kind: str
    audience: str
    language: str
    recipient: str
    sha256: str
    created_at: datetime

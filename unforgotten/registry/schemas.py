"""The registry API's request and response shapes.

Requests: every input schema refuses fields it does not declare, and answers
"cannot be set" for ownership, sensitivity and derived fields (mass assignment).
Texts refuse NUL characters and unpaired surrogates (no database stores them),
partial dates travel as "2021", "2021-03", "2021-03-05" or "" and country codes
are checked against ISO 3166 here, so a bad request is refused whole before any
action function runs.

Responses: every value is the projection of a record for the caller's audience,
so a field the audience may not see is simply absent. Every projected field is
therefore optional in these schemas; lists of related records are always given
(records the audience may not know about are left out of them). Sealed values
(family names and contacts, source identities) are write-only: no response
schema has a field for them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from ninja import Field, Schema
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Strict,
    ValidationError,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from unforgotten.core.countries import is_country
from unforgotten.core.partialdate import InvalidPartialDate, PartialDate
from unforgotten.core.text import unstorable
from unforgotten.registry import vocabularies as v

# --- value types -------------------------------------------------------------------------------


def _clean_text(value: str) -> str:
    problem = unstorable(value)
    if problem:
        raise ValueError(problem)
    return value


def _partial_date(value: str) -> str:
    _clean_text(value)
    try:
        return str(PartialDate.parse(value))
    except InvalidPartialDate as exc:
        raise ValueError(str(exc)) from None


def _country(value: str) -> str:
    code = _clean_text(value).strip().upper()
    if not is_country(code):
        raise ValueError(f"'{value}' is not an ISO 3166 country code.")
    return code


Text = Annotated[str, AfterValidator(_clean_text)]
PartialDateText = Annotated[
    str,
    AfterValidator(_partial_date),
    WithJsonSchema({
        "type": "string",
        "pattern": r"^(\d{4}(-\d{2}(-\d{2})?)?)?$",
        "description": 'A date known to the year, month or day: "2021", "2021-03", "2021-03-05"; "" when unknown.',
    }),
]
Country = Annotated[
    str,
    AfterValidator(_country),
    WithJsonSchema({"type": "string", "pattern": "^[A-Za-z]{2}$",
                    "description": "An ISO 3166-1 alpha-2 country code, e.g. BY."}),
]
RecordId = Annotated[int, Field(ge=1, le=2**62)]


def _json_text(value: object) -> object:
    if not isinstance(value, str):
        raise ValueError("Give the date as text: YYYY-MM-DD.")
    return value


# In a JSON body, values keep their JSON types: 0 is not false and not 1 January 1970.
Flag = Annotated[bool, Strict()]
Ref = Annotated[int, Strict(), Field(ge=1, le=2**62)]
Day = Annotated[date, BeforeValidator(_json_text)]

# Fields no request may set: ownership and sensitivity belong to the platform,
# the rest are derived or kept in step by the action functions.
PROTECTED = frozenset({
    "id", "pk", "uuid", "organisation", "organisation_id", "sensitivity_floor", "sensitivity_overrides",
    "created_at", "updated_at", "slug", "display_name", "sort_name", "search_key", "current_status",
    "current_status_date", "recognition_outcome", "case_team", "person", "person_id", "start_earliest",
    "start_latest", "name_sealed", "contact_sealed", "identity_sealed", "expected_release", "reviewers",
})


class In(BaseModel):
    """A request body: undeclared fields are refused, protected ones with "cannot be set"."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="wrap")
    @classmethod
    def _refuse_undeclared(cls, data: Any, handler: Any) -> Any:
        if isinstance(data, dict):
            declared = set(cls.model_fields) | {f.alias for f in cls.model_fields.values() if f.alias}
            errors = [
                InitErrorDetails(
                    type=PydanticCustomError(
                        "cannot_be_set",
                        "'{field}' cannot be set: it belongs to the platform or is derived from other records."
                        if key in PROTECTED else "'{field}' is not a field of this record.",
                        {"field": str(key)},
                    ),
                    loc=(str(key),),
                    input=data[key],
                )
                for key in data
                if key not in declared
            ]
            if errors:
                raise ValidationError.from_exception_data(cls.__name__, errors)
        return handler(data)


def unset(**constraints: Any) -> Any:
    """The default of a field a PATCH may leave out (absent means "unchanged"; null is refused)."""
    return Field(None, **constraints)


# --- requests ----------------------------------------------------------------------------------


class NameIn(In):
    text: Text = Field(..., min_length=1, max_length=300)
    script: Text = Field("", max_length=4, description="ISO 15924, e.g. Latn, Cyrl, Arab; detected when empty.")
    language: Text = Field("", max_length=12)
    kind: v.NameKind = v.NameKind.LEGAL
    is_primary: Flag = Field(False, description="At most one name is primary; the first name when none is.")


class NamesIn(In):
    names: list[NameIn] = Field(..., min_length=1, max_length=50)


DeathCircumstances = Literal["", "died_in_custody", "executed"]


class PersonFieldsIn(In):
    gender: v.Gender = v.Gender.UNKNOWN
    birth_date: PartialDateText = ""
    birth_place: Text = Field("", max_length=200)
    citizenships: list[Country] = Field(default_factory=list, max_length=10)
    occupation: v.Occupation = v.Occupation.OTHER
    occupation_detail: Text = Field("", max_length=200)
    affiliations: Text = Field("", max_length=10000)
    ethnicity: Text = Field("", max_length=100)
    religion: Text = Field("", max_length=100)
    death_date: PartialDateText = ""
    death_circumstances: DeathCircumstances = ""
    public_summary: Text = Field("", max_length=20000)
    internal_notes: Text = Field("", max_length=20000)


class PersonIn(PersonFieldsIn):
    names: list[NameIn] = Field(..., min_length=1, max_length=50)
    country: Country = Field(..., description="Where the person is prosecuted or held.")


class PersonPatch(In):
    gender: v.Gender = unset()
    birth_date: PartialDateText = unset()
    birth_place: Text = unset(max_length=200)
    citizenships: list[Country] = unset(max_length=10)
    country: Country = unset()
    occupation: v.Occupation = unset()
    occupation_detail: Text = unset(max_length=200)
    affiliations: Text = unset(max_length=10000)
    ethnicity: Text = unset(max_length=100)
    religion: Text = unset(max_length=100)
    death_date: PartialDateText = unset()
    death_circumstances: DeathCircumstances = unset()
    public_summary: Text = unset(max_length=20000)
    internal_notes: Text = unset(max_length=20000)


class CaseIn(In):
    jurisdiction: Country
    case_number: Text = Field("", max_length=100)
    opened_on: PartialDateText = ""
    investigating_agency: Text = Field("", max_length=200)
    theme: v.Theme = v.Theme.OTHER
    case_group: Text = Field("", max_length=200)
    impugned_activity: Text = Field("", max_length=20000)
    procedural_stage: v.ProceduralStage = v.ProceduralStage.INVESTIGATION
    legal_strategy: Text = Field("", max_length=20000)


class CasePatch(In):
    jurisdiction: Country = unset()
    case_number: Text = unset(max_length=100)
    opened_on: PartialDateText = unset()
    investigating_agency: Text = unset(max_length=200)
    theme: v.Theme = unset()
    case_group: Text = unset(max_length=200)
    impugned_activity: Text = unset(max_length=20000)
    procedural_stage: v.ProceduralStage = unset()
    legal_strategy: Text = unset(max_length=20000)


class ChargeIn(In):
    law_article_id: Ref = Field(..., description="A law article of the shared catalogue (GET /law-articles).")
    wording: Text = Field("", max_length=20000)
    brought_on: PartialDateText = ""
    status: v.ChargeStatus = v.ChargeStatus.CHARGED


class HearingIn(In):
    court: Text = Field(..., min_length=1, max_length=300)
    court_kind: v.CourtKind = v.CourtKind.CIVILIAN
    held_on: PartialDateText = ""
    judge_ids: list[Ref] = Field(default_factory=list, max_length=20,
                                      description="Officials recorded by the case's organisation (GET /officials).")
    is_open: Flag | None = None
    defence_access: v.DefenceAccess = v.DefenceAccess.UNKNOWN
    outcome: v.HearingOutcome | Literal[""] = ""
    in_absentia: Flag = False
    monitor_notes: Text = Field("", max_length=20000)


Length = Annotated[int, Strict(), Field(ge=0, le=32767)]


class SentenceIn(In):
    sentence_type: v.SentenceType = v.SentenceType.IMPRISONMENT
    handed_down_on: PartialDateText = ""
    years: Length = 0
    months: Length = 0
    days: Length = 0
    regime: Text = Field("", max_length=100)
    appeal_status: v.AppealStatus = v.AppealStatus.NONE
    counts_from: PartialDateText = Field("", description="Usually the first day of detention.")


class DetentionIn(In):
    kind: v.DetentionKind
    case_id: Ref | None = Field(None, description="One of this person's cases.")
    start: PartialDateText = ""
    end: PartialDateText = Field("", description="Empty while the detention goes on.")
    facility_id: Ref | None = Field(None, description="A facility of the shared catalogue (GET /facilities).")
    whereabouts: v.Whereabouts = v.Whereabouts.ACKNOWLEDGED
    incommunicado: Flag = False
    conditions_notes: Text = Field("", max_length=20000)


class ChargePatch(In):
    law_article_id: Ref = unset(description="A law article of the shared catalogue (GET /law-articles).")
    wording: Text = unset(max_length=20000)
    brought_on: PartialDateText = unset()
    status: v.ChargeStatus = unset()


class HearingPatch(In):
    court: Text = unset(min_length=1, max_length=300)
    court_kind: v.CourtKind = unset()
    held_on: PartialDateText = unset()
    judge_ids: list[Ref] = unset(max_length=20, description="Replaces the bench: officials of the case's organisation.")
    is_open: Flag | None = unset()
    defence_access: v.DefenceAccess = unset()
    outcome: v.HearingOutcome | Literal[""] = unset()
    in_absentia: Flag = unset()
    monitor_notes: Text = unset(max_length=20000)


class SentencePatch(In):
    sentence_type: v.SentenceType = unset()
    handed_down_on: PartialDateText = unset()
    years: Length = unset()
    months: Length = unset()
    days: Length = unset()
    regime: Text = unset(max_length=100)
    appeal_status: v.AppealStatus = unset()
    counts_from: PartialDateText = unset()


class DetentionPatch(In):
    kind: v.DetentionKind = unset()
    case_id: Ref | None = unset(description="One of this person's cases, or null.")
    start: PartialDateText = unset()
    end: PartialDateText = unset()
    facility_id: Ref | None = unset(description="A facility of the shared catalogue, or null.")
    whereabouts: v.Whereabouts = unset()
    incommunicado: Flag = unset()
    conditions_notes: Text = unset(max_length=20000)


class CaseTeamChangeIn(In):
    user_id: Ref = Field(..., description="An active member of the organisation that owns the record.")
    reason: Text = Field(..., min_length=1, max_length=500, description="Kept in the audit trail.")


class StatusChangeIn(In):
    status: v.Status
    effective: PartialDateText = ""
    note: Text = Field("", max_length=20000)


class RelationshipIn(In):
    kind: v.RelationshipKind
    name: Text = Field("", max_length=1000, description="Sealed: stored encrypted, never returned by the API.")
    contact: Text = Field("", max_length=5000, description="Sealed: stored encrypted, never returned by the API.")
    notes: Text = Field("", max_length=20000)
    related_person: UUID | None = Field(None, description="A person your organisation records (co-defendant, relative).")


class ConsentIn(In):
    scope: v.ConsentScope
    given_by: Text = Field(..., min_length=1, max_length=200)
    given_on: Day | None = None
    note: Text = Field("", max_length=20000)


class WithdrawIn(In):
    withdrawn_on: Day
    reason: Text = Field("", max_length=2000)


class SourceIn(In):
    label: Text = Field(..., min_length=1, max_length=200, description='A non-identifying handle, e.g. "Source 14".')
    identity: Text = Field("", max_length=5000, description="Sealed: stored encrypted, never returned by the API.")
    connection: v.SourceConnection
    reliability: v.SourceReliability = v.SourceReliability.F
    credibility: v.InformationCredibility = v.InformationCredibility.CANNOT_JUDGE
    url: Text = Field("", max_length=200)
    obtained_on: Day | None = None


class CriterionIn(In):
    code: Text = Field(..., max_length=10)
    result: v.CriterionResult
    rationale: Text = Field("", max_length=20000)
    evidence_links: Text = Field("", max_length=20000)
    is_exclusion: Flag = False


class DecisionIn(In):
    framework: v.Framework
    outcome: v.RecognitionOutcome
    decided_on: Day
    case_id: Ref | None = Field(None, description="One of this person's cases.")
    criteria: list[CriterionIn] = Field(default_factory=list, max_length=20)
    co_signing: Text = Field("", max_length=5000)
    public_rationale: Text = Field("", max_length=20000)
    deliberations: Text = Field("", max_length=20000)
    statement_url: Text = Field("", max_length=200)


class LawArticleIn(In):
    country: Country
    code: Text = Field(..., min_length=1, max_length=100)
    article: Text = Field(..., min_length=1, max_length=30)
    part: Text = Field("", max_length=30)
    title: Text = Field("", max_length=300)


class FacilityIn(In):
    name: Text = Field(..., min_length=1, max_length=300)
    other_names: list[Annotated[Text, Field(max_length=300)]] = Field(default_factory=list, max_length=20)
    kind: v.FacilityKind = v.FacilityKind.PRISON
    country: Country
    place: Text = Field("", max_length=200)
    postal_address: Text = Field("", max_length=2000)


class OfficialIn(In):
    name: Text = Field(..., min_length=1, max_length=300)
    role: v.OfficialRole
    agency: Text = Field("", max_length=300)
    rank: Text = Field("", max_length=100)
    alleged_involvement: Text = Field("", max_length=20000)


# --- query filters --------------------------------------------------------------------------------


class PeopleFilters(Schema):
    country: Country | None = None
    status: v.Status | None = None
    occupation: v.Occupation | None = None
    theme: v.Theme | None = Field(None, description="People with a case on this theme.")
    law_article: RecordId | None = Field(None, description="People charged under this law article (its id).")
    facility: RecordId | None = Field(None, description="People detained in this facility (its id), at any time.")
    recognition: v.RecognitionOutcome | None = None
    q: Text | None = Field(None, max_length=200, description="A name in any script or spelling; the closest people come first.")


class LawArticleFilters(Schema):
    country: Country | None = None
    q: Text | None = Field(None, max_length=200, description="Part of the code, article or title.")


class FacilityFilters(Schema):
    country: Country | None = None
    kind: v.FacilityKind | None = None
    q: Text | None = Field(None, max_length=200, description="Part of the name or place.")


class OfficialFilters(Schema):
    role: v.OfficialRole | None = None
    q: Text | None = Field(None, max_length=200, description="Part of the name.")


# --- responses: projections, so every field may be absent ------------------------------------------


class Out(Schema):
    """A projected record: fields the caller may not see are absent."""


class LawArticleOut(Out):
    id: int | None = None
    country: str | None = None
    code: str | None = None
    article: str | None = None
    part: str | None = None
    title: str | None = None


class FacilityOut(Out):
    id: int | None = None
    name: str | None = None
    other_names: list[str] | None = None
    kind: str | None = None
    country: str | None = None
    place: str | None = None
    postal_address: str | None = None


class OfficialOut(Out):
    id: int | None = None
    name: str | None = None
    role: str | None = None
    agency: str | None = None
    rank: str | None = None
    alleged_involvement: str | None = None


class NameOut(Out):
    text: str | None = None
    script: str | None = None
    language: str | None = None
    kind: str | None = None
    is_primary: bool | None = None


class ChargeOut(Out):
    id: int | None = None
    law_article_id: int | None = None
    law_article: LawArticleOut | None = None
    wording: str | None = None
    brought_on: str | None = None
    status: str | None = None


class HearingOut(Out):
    id: int | None = None
    court: str | None = None
    court_kind: str | None = None
    held_on: str | None = None
    is_open: bool | None = None
    defence_access: str | None = None
    outcome: str | None = None
    in_absentia: bool | None = None
    monitor_notes: str | None = None
    judges: list[OfficialOut] = Field(default_factory=list)


class SentenceOut(Out):
    id: int | None = None
    sentence_type: str | None = None
    handed_down_on: str | None = None
    years: int | None = None
    months: int | None = None
    days: int | None = None
    regime: str | None = None
    appeal_status: str | None = None
    counts_from: str | None = None
    expected_release: str | None = Field(None, description="Derived: start plus length, at the start's precision.")


class CaseOut(Out):
    id: int | None = None
    jurisdiction: str | None = None
    case_number: str | None = None
    opened_on: str | None = None
    investigating_agency: str | None = None
    theme: str | None = None
    case_group: str | None = None
    impugned_activity: str | None = None
    procedural_stage: str | None = None
    legal_strategy: str | None = None
    charges: list[ChargeOut] = Field(default_factory=list)
    hearings: list[HearingOut] = Field(default_factory=list)
    sentences: list[SentenceOut] = Field(default_factory=list)


class DetentionOut(Out):
    id: int | None = None
    case_id: int | None = None
    kind: str | None = None
    start: str | None = None
    end: str | None = None
    facility_id: int | None = None
    facility: FacilityOut | None = None
    whereabouts: str | None = None
    incommunicado: bool | None = None
    conditions_notes: str | None = None


class StatusChangeOut(Out):
    id: int | None = None
    status: str | None = None
    effective: str | None = None
    note: str | None = None


class CriterionOut(Out):
    code: str | None = None
    is_exclusion: bool | None = None
    result: str | None = None
    rationale: str | None = None
    evidence_links: str | None = None


class DecisionOut(Out):
    id: int | None = None
    case_id: int | None = None
    framework: str | None = None
    outcome: str | None = None
    decided_on: date | None = None
    co_signing: str | None = None
    public_rationale: str | None = None
    deliberations: str | None = None
    statement_url: str | None = None
    criteria: list[CriterionOut] = Field(default_factory=list)


class RelationshipOut(Out):
    """Who the relative is and how to reach them are sealed: never part of a response."""

    uuid: UUID | None = None
    kind: str | None = None
    related_person: UUID | None = None
    notes: str | None = None


class ConsentOut(Out):
    id: int | None = None
    scope: str | None = None
    given_by: str | None = None
    given_on: date | None = None
    withdrawn_on: date | None = None
    note: str | None = None


class CitationOut(Out):
    target_type: str | None = None
    target_id: int | None = None
    field: str | None = None
    note: str | None = None


class SourceOut(Out):
    """A source's identity is sealed: never part of a response."""

    uuid: UUID | None = None
    label: str | None = None
    connection: str | None = None
    reliability: str | None = None
    credibility: str | None = None
    url: str | None = None
    obtained_on: date | None = None
    citations: list[CitationOut] = Field(default_factory=list)


class PersonSummaryOut(Out):
    uuid: UUID | None = None
    slug: str | None = None
    display_name: str | None = None
    gender: str | None = None
    country: str | None = None
    occupation: str | None = None
    current_status: str | None = None
    current_status_date: str | None = None
    recognition_outcome: str | None = None
    updated_at: datetime | None = None


class PersonOut(PersonSummaryOut):
    birth_date: str | None = None
    birth_place: str | None = None
    citizenships: list[str] | None = None
    occupation_detail: str | None = None
    affiliations: str | None = None
    ethnicity: str | None = None
    religion: str | None = None
    death_date: str | None = None
    death_circumstances: str | None = None
    public_summary: str | None = None
    internal_notes: str | None = None
    created_at: datetime | None = None
    names: list[NameOut] = Field(default_factory=list)
    cases: list[CaseOut] = Field(default_factory=list)
    detentions: list[DetentionOut] = Field(default_factory=list)
    status_changes: list[StatusChangeOut] = Field(default_factory=list)
    decisions: list[DecisionOut] = Field(default_factory=list)
    relationships: list[RelationshipOut] = Field(default_factory=list)
    consents: list[ConsentOut] = Field(default_factory=list)
    sources: list[SourceOut] = Field(default_factory=list, description="Sources cited on this person's records.")


class CaseTeamMemberOut(Out):
    id: int
    email: str
    name: str

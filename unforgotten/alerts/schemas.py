"""The alerts and monitoring API's request and response shapes.

Requests refuse undeclared fields (the registry's ``In``). Responses are projections for the
caller: a field the caller may not see is absent, so every projected field is optional.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from ninja import Field, Schema

from unforgotten.alerts import vocabularies as v
from unforgotten.registry.schemas import Day, Flag, In, RecordId, Text

Language = Literal["en", "ar", "fa", "ru", "es", "fr", "zh-hans"]
Step = Literal["verified", "action_launched", "resolved", "withdrawn"]
RaisableKind = Literal["torture", "hunger_strike", "health", "incommunicado", "transfer", "death_penalty",
                       "new_charges", "family_harassment"]


class AlertIn(In):
    case_id: RecordId = Field(..., description="The case the alert is about (an alert without a case is refused).")
    kind: RaisableKind
    severity: v.Severity = v.Severity.HIGH
    occurred_on: Day | None = Field(None, description="The day it happened, if known; never in the future.")
    summary: Text = Field(..., min_length=1, max_length=20000)
    internal_notes: Text = Field("", max_length=20000, description="Restricted: the case team only.")


class StepIn(In):
    to: Step
    note: Text = Field("", max_length=2000, description="Required to resolve or withdraw.")


class PublicTextIn(In):
    title: Text = Field(..., min_length=1, max_length=200)
    situation: Text = Field(..., min_length=1, max_length=20000)
    what_to_do: Text = Field(..., min_length=1, max_length=20000)


class PublicTextOut(Schema):
    language: str
    title: str
    situation: str
    what_to_do: str


class PersonRef(Schema):
    uuid: UUID | None = None
    display_name: str | None = None
    country: str | None = None


class AlertOut(Schema):
    uuid: UUID | None = None
    case_id: int | None = None
    kind: str | None = None
    severity: str | None = None
    state: str | None = None
    occurred_on: date | None = None
    summary: str | None = None
    internal_notes: str | None = None
    resolution: str | None = None
    raised_at: datetime | None = None
    verified_at: datetime | None = None
    action_launched_at: datetime | None = None
    resolved_at: datetime | None = None
    withdrawn_at: datetime | None = None
    escalated_at: datetime | None = None
    slug: str | None = None
    published_at: datetime | None = None
    time_to_verify_s: int | None = None
    time_to_first_action_s: int | None = None
    person: PersonRef | None = None
    texts: list[PublicTextOut] = []


class ReportOut(Schema):
    since: datetime
    raised: int
    verified: int
    actioned: int
    median_to_verify_s: int | None = None
    median_to_action_s: int | None = None
    worst_to_verify_s: int | None = None
    worst_to_action_s: int | None = None


class ShiftIn(In):
    user_email: Text = Field(..., min_length=3, max_length=254, description="A member who may respond to alerts.")
    starts_at: datetime
    ends_at: datetime
    role: v.ShiftRole = v.ShiftRole.PRIMARY
    note: Text = Field("", max_length=200)


class ShiftOut(Schema):
    id: int
    user_email: str
    starts_at: datetime
    ends_at: datetime
    role: str
    note: str


class WebhookIn(In):
    label: Text = Field(..., min_length=1, max_length=100)
    url: Text = Field(..., min_length=8, max_length=500, description="The receiver's http(s) address.")


class WebhookOut(Schema):
    uuid: UUID
    label: str
    url: str
    active: bool
    secret: str | None = Field(None, description="Given once, in the answer to its creation; never again.")


class LimitsIn(In):
    """The organisation's escalation limits; a field left out keeps its value (decision 0026)."""

    verify_critical_hours: int | None = Field(None, description=f"1–{v.VERIFY_HOURS_MAX}; default 2.")
    act_critical_hours: int | None = Field(None, description=f"1–{v.ACT_HOURS_MAX}; default 24.")
    verify_high_hours: int | None = Field(None, description=f"1–{v.VERIFY_HOURS_MAX}; default 6.")
    act_high_hours: int | None = Field(None, description=f"1–{v.ACT_HOURS_MAX}; default 48.")
    verify_medium_hours: int | None = Field(None, description=f"1–{v.VERIFY_HOURS_MAX}; default 24.")
    act_medium_hours: int | None = Field(None, description=f"1–{v.ACT_HOURS_MAX}; default 96.")
    proof_of_life_days: int | None = Field(None, description=f"1–{v.PROOF_OF_LIFE_DAYS_MAX}; default 30.")


class LimitsOut(Schema):
    organisation: str
    defaults: bool = Field(..., description="True while the organisation has never set its own limits.")
    verify_critical_hours: int
    act_critical_hours: int
    verify_high_hours: int
    act_high_hours: int
    verify_medium_hours: int
    act_medium_hours: int
    proof_of_life_days: int


# --- monitoring ---------------------------------------------------------------------------------------


ContactKind = Literal["family_visit", "lawyer_visit", "letter_received", "call"]
HealthLevel = Literal["good", "concern", "serious", "critical", "unknown"]
Rating = Literal["acceptable", "poor", "severe"]


class ContactIn(In):
    kind: ContactKind
    occurred_on: Day = Field(..., description="The day of the visit, call or letter; never in the future.")
    facility_id: RecordId | None = None
    summary: Text = Field("", max_length=20000)
    notes: Text = Field("", max_length=20000, description="Restricted: the case team only.")


class ContactOut(Schema):
    uuid: UUID | None = None
    kind: str | None = None
    occurred_on: date | None = None
    facility_id: int | None = None
    summary: str | None = None
    notes: str | None = None


class HealthIn(In):
    recorded_on: Day
    level: HealthLevel
    details: Text = Field("", max_length=20000)
    needs: Text = Field("", max_length=20000)


class HealthOut(Schema):
    uuid: UUID | None = None
    recorded_on: date | None = None
    level: str | None = None
    details: str | None = None
    needs: str | None = None


class RuleIn(In):
    days: int = Field(..., ge=1, le=3650)
    active: Flag = True


class RuleOut(Schema):
    days: int
    active: bool
    default: bool


class CaseMonitoringOut(Schema):
    case_id: int
    last_contact: date | None = None
    days_without_news: int | None = None
    rule: RuleOut
    contacts: list[ContactOut]
    health: list[HealthOut]


class ConditionsIn(In):
    reported_on: Day
    overall: Rating
    food: Rating | Literal[""] = ""
    medical_access: Rating | Literal[""] = ""
    overcrowding: Flag = False
    summary: Text = Field(..., min_length=1, max_length=20000)
    source_note: Text = Field("", max_length=20000, description="Internal: your organisation only.")


class ConditionsOut(Schema):
    uuid: UUID | None = None
    facility_id: int | None = None
    reported_on: date | None = None
    overall: str | None = None
    food: str | None = None
    medical_access: str | None = None
    overcrowding: bool | None = None
    summary: str | None = None

"""The radar API's request and response shapes (the registry's ``In``: undeclared fields are refused)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from ninja import Field, Schema

from unforgotten.registry.schemas import In, PartialDateText, Text, unset


class SignalOut(Schema):
    kind: str
    last: date | None = Field(None, description="The last day recorded (a partial date's earliest day); null: never.")
    days_since: int | None = None
    weight: int


class RadarCaseOut(Schema):
    case_id: int
    person: UUID
    name: str = Field(..., description="The person's name as the caller may see it.")
    country: str = ""
    status: str = ""
    held: bool = Field(..., description="False for people no longer held, or dead: listed apart.")
    index: int = Field(..., description="Weighted mean of the days since each signal, today.")
    oldest: str = Field(..., description="The signal that is oldest (a missing one counts from the baseline).")
    missing: list[str]
    baseline: date = Field(..., description="The day a signal never recorded counts from.")
    why: str
    signals: list[SignalOut]


class RadarPageOut(Schema):
    items: list[RadarCaseOut]
    next: str = Field("", description="Pass as ?after= for the next page; empty on the last page.")


class MediaMentionIn(In):
    outlet: Text = Field(..., min_length=1, max_length=200)
    url: Text = Field("", max_length=1000, description="An http(s) link to the article or broadcast.")
    published: PartialDateText = Field(..., description="2021, 2021-03 or 2021-03-05.")
    language: Text = Field("", max_length=12)
    note: Text = Field("", max_length=20000)


class MediaMentionPatch(In):
    outlet: Text = unset(min_length=1, max_length=200)
    url: Text = unset(max_length=1000)
    published: PartialDateText = unset()
    language: Text = unset(max_length=12)
    note: Text = unset(max_length=20000)


class MediaMentionOut(Schema):
    uuid: UUID | None = None
    case_id: int | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    language: str | None = None
    note: str | None = None

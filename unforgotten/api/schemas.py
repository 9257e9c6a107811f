from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema


class OrganisationOut(Schema):
    slug: str
    name: str
    country: str
    capabilities: list[str]


class MeOut(Schema):
    kind: str
    label: str
    organisations: list[OrganisationOut]


class MemberOut(Schema):
    id: int
    email: str
    display_name: str
    roles: list[str]
    is_active: bool


class AuditEventOut(Schema):
    id: int
    at: datetime
    actor: str = Field(..., alias="actor_label")
    action: str
    object_type: str
    object_id: str
    request_id: str
    reason: str
    changes: dict[str, list[object]]


class Problem(Schema):
    error: str


class FieldProblem(Schema):
    where: str
    problem: str


class InvalidInput(Schema):
    error: str
    errors: list[FieldProblem]


def responses(ok: object, status: int = 200) -> dict[int, object]:
    """The documented answers of an endpoint: its success, and the uniform refusals every endpoint may give."""
    return {status: ok, 401: Problem, 404: Problem, 422: InvalidInput}

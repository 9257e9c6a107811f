from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Schema
from ninja.errors import ValidationError
from pydantic import ConfigDict


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


class StrictIn(Schema):
    """An input document that refuses keys it does not declare (a typo is an error, not a silent no-op)."""

    model_config = ConfigDict(extra="forbid")


def act(action: Any, *, api_fields: Mapping[str, str] | None = None, **kwargs: Any) -> Any:
    """Run an action function; its validation errors become the API's 422 with each field named —
    by its name in the API where ``api_fields`` maps a model field to another one."""
    renamed = api_fields or {}
    try:
        return action(**kwargs)
    except DjangoValidationError as exc:
        errors: list[dict[str, Any]] = []
        if hasattr(exc, "error_dict"):
            for field, messages in exc.message_dict.items():
                loc = ("body", "payload") if field == "__all__" else ("body", "payload", renamed.get(field, field))
                errors.extend({"loc": loc, "msg": m} for m in messages)
        else:
            errors.extend({"loc": ("body", "payload"), "msg": m} for m in exc.messages)
        raise ValidationError(errors) from None


def organisation_or_404(request: HttpRequest, slug: object, permission: str) -> Any:
    """The live organisation named in the path, if the caller holds ``permission`` there; otherwise 404."""
    from unforgotten import policy
    from unforgotten.accounts.models import Organisation

    limit = Organisation._meta.get_field("slug").max_length or 50
    org = Organisation.objects.filter(slug=str(slug)[:limit], is_active=True).first()
    if org is None or not policy.can(request.user, permission, org):
        raise Http404()
    return org


def organisation_named_or_only(request: HttpRequest, slug: str | None, capability: str) -> Any:
    """The organisation a request acts for: the one named (``?organisation=<slug>``), else the caller's only one.

    404 when the named one is unknown, inactive or not the caller's (with ``capability``), or when the caller
    holds the capability nowhere; 422 when the caller holds it in several and named none.
    """
    from unforgotten import policy
    from unforgotten.accounts.models import Organisation

    ids = policy.organisation_ids(request.user, capability)
    if slug is not None:
        limit = Organisation._meta.get_field("slug").max_length or 50
        org = Organisation.objects.filter(slug=str(slug)[:limit], is_active=True).first()
        if org is None or org.pk not in ids:
            raise Http404()
        return org
    if not ids:
        raise Http404()
    if len(ids) > 1:
        raise ValidationError([{"loc": ("query", "organisation"),
                                "msg": "You work for several organisations: name one with ?organisation=<slug>."}])
    return Organisation.objects.get(pk=next(iter(ids)))


def uuid_or_404(raw: object) -> UUID:
    """A path's UUID; anything else is "not found", like a UUID nobody holds."""
    try:
        return raw if isinstance(raw, UUID) else UUID(str(raw))
    except ValueError:
        raise Http404() from None

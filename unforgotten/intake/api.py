"""The intake queue's JSON API at /api/v1/intake/: the same policy, projection and actions as the workspace.

- Who may: ``intake.view`` / ``intake.triage`` (caseworkers, reviewers, admins;
  a token with the write scope). Refusals are "not found", asked before the body is read.
- What they see: the staff projection; the suggester's sealed contact never
  (it is revealed only on the workspace page, after re-authentication).
- Decisions: one POST with ``decision`` = accept | link | reject | spam; a
  refused decision is a 422 naming the field, with nothing changed.
"""

# No postponed annotations here: ninja reads the endpoint signatures at import time.
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import ValidationError
from ninja.pagination import PageNumberPagination, paginate

from unforgotten import policy
from unforgotten.api.schemas import responses
from unforgotten.intake import actions, reading
from unforgotten.registry.api import gated
from unforgotten.registry.models import Person
from unforgotten.registry.schemas import Country, In, Text

router = Router(tags=["intake"])
# A literal, not the model's choices class: the OpenAPI components are named by class, and "Status" is the registry's.
SuggestionStatus = Literal["new", "quarantined", "accepted", "linked", "rejected", "spam"]


class SuggestionCandidateOut(Schema):
    uuid: UUID
    display_name: str | None = None
    country: str | None = None
    matched: str
    score: float


class SuggestionOut(Schema):
    uuid: UUID
    received_at: datetime
    language: str | None = None
    person_name: str
    other_names: str | None = None
    country: str | None = None
    place_held: str | None = None
    held_since: str | None = None
    reason: str | None = None
    sources: str | None = None
    status: str
    quarantine_reasons: list[str] = []
    has_contact: bool
    decided_at: datetime | None = None
    decision_note: str | None = None
    person: UUID | None = None
    candidates: list[SuggestionCandidateOut] | None = None


class SuggestionDecisionIn(In):
    decision: Literal["accept", "link", "reject", "spam"]
    note: Text = ""
    name: Text | None = None
    country: Country | None = None
    open_case: bool = True
    person: UUID | None = None


def _uuid(raw: object) -> UUID:
    try:
        return raw if isinstance(raw, UUID) else UUID(str(raw))
    except ValueError:
        raise Http404() from None


def _gate(permission: str) -> list[Any]:
    return gated(lambda request, kw: reading.suggestion_for(request.user, _uuid(kw.get("uuid")), permission))


def _somewhere(request: HttpRequest, kw: Any) -> None:
    if not policy.can(request.user, "intake.view"):
        raise Http404()


def _out(user: Any, suggestion: Any, *, with_candidates: bool = False) -> dict[str, Any]:
    shown = reading.show(user, suggestion)
    shown["held_since"] = str(shown.get("held_since") or "")
    linked = reading.linked_person(user, suggestion)
    shown["person"] = linked.get("uuid") if linked else None
    if with_candidates and suggestion.is_open:
        shown["candidates"] = [{k: c.get(k) for k in ("uuid", "display_name", "country", "matched", "score")}
                               for c in reading.candidates(user, suggestion)]
    return shown


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError([{"loc": ("body", "payload", field), "msg": message}])


@router.get("/suggestions", response=responses(list[SuggestionOut]), auth=gated(_somewhere),
            summary="Suggestions from the public site in the caller's queues", url_name="intake_suggestions")
@paginate(PageNumberPagination)
def list_suggestions(request: HttpRequest, status: Query[SuggestionStatus | None] = None) -> Any:
    qs = reading.visible_queue(request.user)
    if status is not None:
        qs = qs.filter(status=status)
    return [_out(request.user, s) for s in qs[:1000]]


@router.get("/suggestions/{uuid}", response=responses(SuggestionOut), auth=_gate("intake.view"),
            summary="One suggestion, with probable matches in the registry", url_name="intake_suggestion")
def get_suggestion(request: HttpRequest, uuid: UUID) -> Any:
    return _out(request.user, reading.suggestion_for(request.user, uuid), with_candidates=True)


@router.post("/suggestions/{uuid}/decision", response=responses(SuggestionOut), auth=_gate("intake.triage"),
             summary="Accept (new record), link to an existing record, reject, or mark as spam",
             url_name="intake_decide")
def decide(request: HttpRequest, uuid: UUID, payload: SuggestionDecisionIn) -> Any:
    suggestion = reading.suggestion_for(request.user, uuid, "intake.triage")
    try:
        if payload.decision == "accept":
            if not payload.country:
                raise _refuse("country", "Give the country of the case (ISO 3166 code).")
            actions.do_accept_suggestion(suggestion=suggestion, name=payload.name or suggestion.person_name,
                                         country=payload.country, open_case=payload.open_case,
                                         acting_user=request.user, note=payload.note)
        elif payload.decision == "link":
            person = Person.objects.filter(uuid=payload.person).first() if payload.person else None
            if person is None or not policy.can(request.user, "registry.view", person):
                raise _refuse("person", "Choose a record of the suggestion's organisation.")
            actions.do_link_suggestion(suggestion=suggestion, person=person, acting_user=request.user,
                                       note=payload.note)
        elif payload.decision == "reject":
            actions.do_reject_suggestion(suggestion=suggestion, acting_user=request.user, note=payload.note)
        else:
            actions.do_mark_spam(suggestion=suggestion, acting_user=request.user, note=payload.note)
    except DjangoValidationError as exc:
        raise ValidationError([{"loc": ("body", "payload", field), "msg": m}
                               for field, msgs in exc.message_dict.items() for m in msgs]) from None
    suggestion.refresh_from_db()
    return _out(request.user, suggestion)

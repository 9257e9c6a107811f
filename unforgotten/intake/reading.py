"""Reading suggestions through the policy and the projection; duplicate candidates from the names index."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from unforgotten import policy
from unforgotten.core.views import not_found
from unforgotten.intake.models import Suggestion
from unforgotten.policy.projection import audience_for, project
from unforgotten.registry.models import Person

LIST_FIELDS = ("uuid", "received_at", "person_name", "country", "place_held", "status", "quarantine_reasons")
DETAIL_FIELDS = ("uuid", "received_at", "language", "person_name", "other_names", "country", "place_held",
                 "held_since", "reason", "sources", "status", "quarantine_reasons", "decided_at", "decision_note",
                 "person_id")


def suggestion_for(user: Any, suggestion_uuid: UUID | str, permission: str = "intake.view") -> Suggestion:
    """The suggestion, or "not found" for anyone the policy refuses (the same answer as for no such row)."""
    suggestion = Suggestion.objects.select_related("organisation").filter(uuid=suggestion_uuid).first()
    if suggestion is None or not policy.can(user, permission, suggestion):
        not_found()
    return suggestion


def visible_queue(user: Any) -> Any:
    return policy.filter_owned(Suggestion.objects.all(), user, "edit_cases")


def show(user: Any, suggestion: Suggestion, fields: tuple[str, ...] = DETAIL_FIELDS) -> dict[str, Any]:
    shown = project(suggestion, audience_for(user, suggestion), fields)
    shown["status_label"] = suggestion.get_status_display()
    shown["has_contact"] = bool(suggestion.contact or suggestion.contact_name)
    return shown


def names_of(suggestion: Suggestion) -> list[str]:
    others = [n.strip() for part in suggestion.other_names.split(";") for n in part.split(",")]
    return [suggestion.person_name, *[n for n in others if n]]


def candidates(user: Any, suggestion: Suggestion) -> list[dict[str, Any]]:
    """People of the receiving organisation the caseworker may see whose names match the suggestion's closely."""
    from unforgotten.registry.duplicates import candidates_for_names

    hits = candidates_for_names(user, suggestion.organisation_id, names_of(suggestion))
    people = Person.objects.in_bulk([h.person_id for h in hits])
    out = []
    for hit in hits:
        person = people.get(hit.person_id)
        if person is None or person.merged_into_id is not None:
            continue
        row = project(person, audience_for(user, person), ("uuid", "display_name", "country", "current_status"))
        if "uuid" in row:
            out.append({**row, "matched": hit.name, "score": round(hit.score, 2)})
    return out


def linked_person(user: Any, suggestion: Suggestion) -> dict[str, Any] | None:
    if suggestion.person_id is None:
        return None
    person = Person.objects.filter(pk=suggestion.person_id).first()
    if person is None:
        return None
    row = project(person, audience_for(user, person), ("uuid", "display_name"))
    return row or None

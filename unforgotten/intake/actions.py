"""Every change to the intake queue, one function each, audited in the same transaction (decision 0021)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from unforgotten.accounts.models import Organisation
from unforgotten.audit.actions import diff, record
from unforgotten.core.countries import is_country
from unforgotten.core.partialdate import PartialDate
from unforgotten.core.sealing import seal
from unforgotten.intake.models import Status, Suggestion
from unforgotten.policy.projection import field_sensitivity
from unforgotten.registry import actions as registry
from unforgotten.registry.models import Person

PUBLIC_ACTOR = "public form"
TEXT_FIELDS = ("person_name", "other_names", "country", "place_held", "reason", "sources")


def _snapshot(obj: Suggestion) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def _classes(obj: Suggestion) -> dict[str, Any]:
    return {f.attname: field_sensitivity(obj, f.attname) for f in obj._meta.concrete_fields}


def _decide(suggestion: Suggestion, *, status: str, acting_user: Any, note: str, action: str,
            person: Person | None = None) -> Suggestion:
    # Locked and read afresh: two caseworkers deciding at once cannot both win.
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if not suggestion.is_open:
        raise ValidationError({"status": "This suggestion has already been decided."})
    before = _snapshot(suggestion)
    suggestion.status = status
    suggestion.decided_by = acting_user
    suggestion.decided_at = timezone.now()
    suggestion.decision_note = note
    if person is not None:
        suggestion.person = person
    suggestion.save()
    record(action, actor=acting_user, obj=suggestion, reason=note,
           changes=diff(before, _snapshot(suggestion), _classes(suggestion)))
    return suggestion


@transaction.atomic(durable=True)
def do_receive_suggestion(*, organisation: Organisation, data: Mapping[str, Any], language: str,
                          contact_name: str = "", contact: str = "",
                          suspicious: Sequence[str] = ()) -> Suggestion:
    """Store a suggestion from the public form; ``suspicious`` (non-empty) puts it in quarantine."""
    unknown = set(data) - set(TEXT_FIELDS) - {"held_since"}
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "This field cannot be set here."})
    suggestion = Suggestion(organisation=organisation, received_at=timezone.now(), language=language[:10],
                            status=Status.QUARANTINED if suspicious else Status.NEW,
                            quarantine_reasons=sorted(set(suspicious)))
    for name, value in data.items():
        setattr(suggestion, name, value)
    if suggestion.country and not is_country(suggestion.country):
        raise ValidationError({"country": "Choose a country from the list."})
    # Sealed fields are bound to the row's uuid, which exists before the first save.
    suggestion.contact_name = seal(contact_name, suggestion.seal_context("contact_name")) if contact_name else ""
    suggestion.contact = seal(contact, suggestion.seal_context("contact")) if contact else ""
    suggestion.full_clean()
    suggestion.save()
    record("intake.receive_suggestion", actor=PUBLIC_ACTOR, obj=suggestion,
           changes=diff({}, _snapshot(suggestion), _classes(suggestion)))
    return suggestion


@transaction.atomic(durable=True)
def do_accept_suggestion(*, suggestion: Suggestion, name: str, country: str, open_case: bool, acting_user: Any,
                         note: str = "") -> Suggestion:
    """Create a person (and a case) in the registry from the suggestion, in one transaction with the decision.

    The registry's own action functions write the person and the case with
    their audit events; they are durable on their own, so their bodies
    (``__wrapped__``) run here, inside this transaction: either the person, the
    case and the decision all exist, or none does.
    """
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if not suggestion.is_open:
        raise ValidationError({"status": "This suggestion has already been decided."})
    country = (country or "").upper()
    if not is_country(country):
        raise ValidationError({"country": "Choose the country of the case."})
    person = registry.do_create_person.__wrapped__(  # type: ignore[attr-defined]
        organisation=suggestion.organisation, names=[registry.NameInput(name)],
        data={"country": country,
              "internal_notes": f"Suggested through the public form (intake {suggestion.uuid})."},
        acting_user=acting_user, reason=note or "accepted from the intake queue")
    if open_case:
        held_since: PartialDate = suggestion.held_since
        first = held_since.earliest()
        # A claimed date in the future is the suggester's mistake: the case starts undated.
        opened = held_since if first is not None and first <= timezone.localdate() else PartialDate.unknown()
        registry.do_add_case.__wrapped__(  # type: ignore[attr-defined]
            person=person, data={"jurisdiction": country, "opened_on": opened},
            acting_user=acting_user, reason=note or "accepted from the intake queue")
    return _decide(suggestion, status=Status.ACCEPTED, acting_user=acting_user, note=note,
                   action="intake.accept_suggestion", person=person)


@transaction.atomic(durable=True)
def do_link_suggestion(*, suggestion: Suggestion, person: Person, acting_user: Any, note: str = "") -> Suggestion:
    if person.organisation_id != suggestion.organisation_id or person.merged_into_id is not None:
        raise ValidationError({"person": "Choose a person of the same organisation."})
    return _decide(suggestion, status=Status.LINKED, acting_user=acting_user, note=note,
                   action="intake.link_suggestion", person=person)


@transaction.atomic(durable=True)
def do_reject_suggestion(*, suggestion: Suggestion, acting_user: Any, note: str = "") -> Suggestion:
    return _decide(suggestion, status=Status.REJECTED, acting_user=acting_user, note=note,
                   action="intake.reject_suggestion")


@transaction.atomic(durable=True)
def do_mark_spam(*, suggestion: Suggestion, acting_user: Any, note: str = "") -> Suggestion:
    return _decide(suggestion, status=Status.SPAM, acting_user=acting_user, note=note, action="intake.mark_spam")


@transaction.atomic(durable=True)
def do_reveal_contact(*, suggestion: Suggestion, acting_user: Any, reason: str) -> dict[str, str]:
    """The suggester's sealed name and contact, for one caseworker, with a reason; the read is audited."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why you need the suggester's contact."})
    record("intake.reveal_contact", actor=acting_user, obj=suggestion, reason=reason,
           changes={"read": [None, list(Suggestion.SEALED_FIELDS)]})
    return {name: suggestion.unsealed(name) for name in Suggestion.SEALED_FIELDS}

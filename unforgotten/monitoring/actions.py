"""Every change monitoring makes, one function each, audited in the same transaction.

The proof-of-life check raises alerts through ``alerts.actions`` inside its own transaction,
so an alert and the rule's note that it fired commit together or not at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from unforgotten.audit.actions import diff, record
from unforgotten.monitoring.models import ConditionsReport, Contact, HealthStatus, ProofOfLifeRule
from unforgotten.policy.projection import field_sensitivity
from unforgotten.policy.sensitivity import Sensitivity
from unforgotten.registry.models import Case, Facility
from unforgotten.registry.vocabularies import DETAINED_STATUSES

CONTACT_FIELDS = frozenset({"kind", "occurred_on", "facility", "facility_id", "summary", "notes"})
HEALTH_FIELDS = frozenset({"recorded_on", "level", "details", "needs"})
CONDITIONS_FIELDS = frozenset({"reported_on", "overall", "food", "medical_access", "overcrowding", "summary",
                               "source_note"})


def _user_or_none(user: Any) -> Any:
    return user if getattr(user, "pk", None) and getattr(user, "uf_token", None) is None else None


def _snapshot(obj: models.Model) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields
            if f.attname not in {"created_at", "updated_at"}}


def _classes(obj: models.Model) -> dict[str, Any]:
    return {f.attname: field_sensitivity(obj, f.attname) for f in obj._meta.concrete_fields}


def _create(obj: models.Model, data: Mapping[str, Any], allowed: frozenset[str], *, acting_user: Any,
            action: str) -> Any:
    unknown = set(data) - allowed
    if unknown:
        raise ValidationError({key: f"'{key}' cannot be set here." for key in sorted(unknown)})
    for key, value in data.items():
        setattr(obj, key, value)
    obj.full_clean()
    obj.save()
    record(action, actor=acting_user, obj=obj, changes=diff({}, _snapshot(obj), _classes(obj)))
    return obj


def _need_case(case: Case | None) -> Case:
    if case is None:
        raise ValidationError({"case": "Choose the case this is about."})
    return case


@transaction.atomic(durable=True)
def do_log_contact(*, case: Case | None, data: Mapping[str, Any], acting_user: Any) -> Contact:
    """A visit, call or letter: proof that the person was alive on that day."""
    case = _need_case(case)
    obj = Contact(organisation_id=case.organisation_id, case=case, recorded_by=_user_or_none(acting_user))
    contact: Contact = _create(obj, data, CONTACT_FIELDS, acting_user=acting_user, action="monitoring.log_contact")
    # radar (issue 9): a contact is attention the case got.
    from unforgotten.radar.actions import note_attention

    if contact.sensitivity_floor is None or contact.sensitivity_floor <= Sensitivity.INTERNAL:
        # The ledger is shown to all the owner's staff: a contact raised above internal stays out of it.
        note_attention(case_id=case.pk, kind="contact", when=contact.occurred_on)
    return contact


@transaction.atomic(durable=True)
def do_record_health(*, case: Case | None, data: Mapping[str, Any], acting_user: Any) -> HealthStatus:
    case = _need_case(case)
    obj = HealthStatus(organisation_id=case.organisation_id, case=case, recorded_by=_user_or_none(acting_user))
    return _create(obj, data, HEALTH_FIELDS, acting_user=acting_user, action="monitoring.record_health")  # type: ignore[no-any-return]


@transaction.atomic(durable=True)
def do_report_conditions(*, organisation: Any, facility: Facility | None, data: Mapping[str, Any],
                         acting_user: Any) -> ConditionsReport:
    if facility is None:
        raise ValidationError({"facility": "Choose the facility the report is about."})
    obj = ConditionsReport(organisation=organisation, facility=facility, recorded_by=_user_or_none(acting_user))
    return _create(obj, data, CONDITIONS_FIELDS, acting_user=acting_user,  # type: ignore[no-any-return]
                   action="monitoring.report_conditions")


@transaction.atomic(durable=True)
def do_set_rule(*, case: Case, days: int, active: bool = True, acting_user: Any) -> ProofOfLifeRule:
    rule = ProofOfLifeRule.objects.filter(case=case).first() or ProofOfLifeRule(
        case=case, organisation_id=case.organisation_id)
    before = _snapshot(rule) if rule.pk else {}
    rule.days = days
    rule.active = active
    rule.full_clean()
    rule.save()
    changes = diff(before, _snapshot(rule), _classes(rule))
    if changes:
        record("monitoring.set_rule", actor=acting_user, obj=rule, changes=changes)
    return rule


# --- the proof-of-life rule (the periodic job) -------------------------------------------------------


def watched_cases() -> models.QuerySet[Case]:
    """Cases of people deprived of liberty now: the only ones silence is news about."""
    return Case.objects.filter(person__current_status__in=list(DETAINED_STATUSES),
                               person__merged_into__isnull=True).select_related("person")


def silence_start(case: Case, last: date | None, rule: ProofOfLifeRule | None) -> date:
    """The day silence is counted from: the last contact; without one, when we started watching."""
    if last is not None:
        return last
    started = rule.created_at if rule is not None else case.created_at
    return timezone.localdate(started)


@transaction.atomic(durable=True)
def do_check_proof_of_life(*, today: date | None = None, acting_user: Any = "scheduler") -> int:
    """Raise one "no proof of life" alert per case silent for longer than its rule allows; returns how many.

    Once per silence: the rule keeps the day it fired for (``last_alerted_for`` = the last contact
    day it counted from), and an open alert of that kind on the case also holds the next one back.
    A new contact starts a new silence.
    """
    from unforgotten.alerts import vocabularies as av
    from unforgotten.alerts.actions import raise_alert_in_transaction
    from unforgotten.alerts.models import Alert
    from unforgotten.alerts.reading import limits_for
    from unforgotten.monitoring.reading import last_contact_per_case

    today = today or timezone.localdate()
    cases = list(watched_cases())
    rules = {r.case_id: r for r in ProofOfLifeRule.objects.select_for_update().filter(
        case_id__in=[c.pk for c in cases])}
    last = last_contact_per_case([c.pk for c in cases])
    open_kind = set(Alert.objects.filter(case_id__in=[c.pk for c in cases], kind=av.Kind.NO_PROOF_OF_LIFE,
                                         state__in=list(av.OPEN_STATES)).values_list("case_id", flat=True))
    # A case without a rule of its own follows its organisation's default (decision 0026).
    limits = limits_for(c.organisation_id for c in cases)
    raised = 0
    for case in cases:
        rule = rules.get(case.pk)
        if rule is not None and not rule.active:
            continue
        days = rule.days if rule is not None else limits[case.organisation_id].proof_of_life_days
        start = silence_start(case, last.get(case.pk), rule)
        silent = (today - start).days
        if silent < days or case.pk in open_kind:
            continue
        if rule is not None and rule.last_alerted_for == start:
            continue
        if rule is None:
            rule = ProofOfLifeRule(case=case, organisation_id=case.organisation_id, days=days)
        rule.last_alerted_for = start
        rule.save()
        summary = (f"No visit, call or letter recorded for {silent} days (since {start.isoformat()}); "
                   f"the rule for this case allows {days}.")
        raise_alert_in_transaction(case=case, data={"kind": av.Kind.NO_PROOF_OF_LIFE,
                                                     "severity": av.Severity.HIGH, "summary": summary},
                                   acting_user=acting_user, reason="proof-of-life rule")
        raised += 1
    return raised

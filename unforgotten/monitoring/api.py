"""The monitoring JSON API, mounted at /api/v1/monitoring/: the same policy, projection and actions as the screens.

``monitoring.view`` to read (a token's read scope), ``monitoring.edit`` to log (a token's write
scope; caseworkers, reviewers, admins). Health is restricted: the projection gives it to the
person's case team only (a token is never a case team member). Refusals are "not found", asked
before the body is read; a refused change is a 422 naming the field, with nothing saved.
"""

# No postponed annotations here: ninja reads the endpoint signatures at import time.
from collections.abc import Mapping
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router, Status
from ninja.errors import ValidationError

from unforgotten import policy
from unforgotten.advocacy.reading import Reader
from unforgotten.alerts import schemas as s
from unforgotten.alerts.api import _act
from unforgotten.alerts.reading import limits_of
from unforgotten.api.schemas import organisation_named_or_only, responses
from unforgotten.monitoring import actions, reading
from unforgotten.monitoring.models import ConditionsReport, Contact, HealthStatus, ProofOfLifeRule
from unforgotten.monitoring.views import find_case
from unforgotten.registry.api import gated
from unforgotten.registry.models import Case, Facility

router = Router(tags=["monitoring"])

VIEW, EDIT = "monitoring.view", "monitoring.edit"
CONTACT_FIELDS = ("uuid", "kind", "occurred_on", "facility_id", "summary", "notes")
HEALTH_FIELDS = ("uuid", "recorded_on", "level", "details", "needs")
CONDITIONS_FIELDS = ("uuid", "facility_id", "reported_on", "overall", "food", "medical_access", "overcrowding",
                     "summary")


def _case_id(raw: object) -> int:
    text = str(raw)
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        raise Http404()
    return int(text)


def _g_case(permission: str) -> list[Any]:
    return gated(lambda request, kw: find_case(request, _case_id(kw.get("case_id")), permission))


def _case_out(reader: Reader, case: Case) -> dict[str, Any]:
    rule = ProofOfLifeRule.objects.filter(case=case).first()
    last = reading.last_contact_per_case([case.pk]).get(case.pk)
    start = actions.silence_start(case, last, rule)
    return {
        "case_id": case.pk, "last_contact": last, "days_without_news": (timezone.localdate() - start).days,
        "rule": {"days": rule.days if rule else limits_of(case.organisation_id).proof_of_life_days, "active": rule.active if rule else True,
                 "default": rule is None},
        "contacts": [reader.show(c, CONTACT_FIELDS, case.person_id) for c in Contact.objects.filter(case=case)[:500]],
        "health": [h for x in HealthStatus.objects.filter(case=case)[:100]
                   if (h := reader.show(x, HEALTH_FIELDS, case.person_id))],
    }


@router.get("/cases/{case_id}", response=responses(s.CaseMonitoringOut), exclude_unset=True,
            summary="Monitoring of a case: contacts, last proof of life, the rule, health (case team only)")
def get_case_monitoring(request: HttpRequest, case_id: int) -> Any:
    case, reader = find_case(request, _case_id(case_id), VIEW)
    return _case_out(reader, case)


@router.post("/cases/{case_id}/contacts", response=responses(s.ContactOut, 201), exclude_unset=True,
             auth=_g_case(EDIT), summary="Log a visit, call or letter (proof of life)")
def log_contact(request: HttpRequest, case_id: int, payload: s.ContactIn) -> Any:
    case, reader = find_case(request, _case_id(case_id), EDIT)
    data = payload.model_dump(exclude={"facility_id"})
    if payload.facility_id is not None:
        facility = Facility.objects.filter(pk=payload.facility_id).first()
        if facility is None:
            raise ValidationError([{"loc": ("body", "payload", "facility_id"),
                                    "msg": "No such facility (GET /registry/facilities)."}])
        data["facility"] = facility
    contact = _act(actions.do_log_contact, case=case, data=data, acting_user=request.user)
    return Status(201, reader.show(contact, CONTACT_FIELDS, case.person_id))


@router.post("/cases/{case_id}/health", response=responses(s.HealthOut, 201), exclude_unset=True,
             auth=_g_case(EDIT), summary="Record the health status (restricted: the case team only reads it)")
def record_health(request: HttpRequest, case_id: int, payload: s.HealthIn) -> Any:
    case, reader = find_case(request, _case_id(case_id), EDIT)
    health = _act(actions.do_record_health, case=case, data=payload.model_dump(), acting_user=request.user)
    return Status(201, reader.show(health, HEALTH_FIELDS, case.person_id))


@router.put("/cases/{case_id}/rule", response=responses(s.RuleOut), auth=_g_case(EDIT),
            summary='Set the case\'s rule: "no proof of life for N days" raises an alert')
def set_rule(request: HttpRequest, case_id: int, payload: s.RuleIn) -> Any:
    case, _reader = find_case(request, _case_id(case_id), EDIT)
    rule = _act(actions.do_set_rule, case=case, days=payload.days, active=payload.active, acting_user=request.user)
    return {"days": rule.days, "active": rule.active, "default": False}


def _facility(raw: object) -> Facility:
    facility = Facility.objects.filter(pk=_case_id(raw)).first()
    if facility is None:
        raise Http404()
    return facility


def _g_facility(permission: str) -> list[Any]:
    def find(request: HttpRequest, kw: Mapping[str, Any]) -> None:
        _facility(kw.get("facility_id"))
        if not policy.can(request.user, permission):
            raise Http404()
    return gated(find)


@router.get("/facilities/{facility_id}/conditions", response=responses(list[s.ConditionsOut]), exclude_unset=True,
            auth=_g_facility(VIEW), summary="Conditions reports on a facility by the caller's organisations")
def list_conditions(request: HttpRequest, facility_id: int) -> Any:
    facility = _facility(facility_id)
    reader = Reader(request.user)
    return [reader.show(r, CONDITIONS_FIELDS) for r in ConditionsReport.objects.filter(
        facility=facility, organisation_id__in=list(policy.organisation_ids(request.user, "view")))[:500]]


@router.post("/facilities/{facility_id}/conditions", response=responses(s.ConditionsOut, 201), exclude_unset=True,
             auth=_g_facility(EDIT), summary="Report conditions in a facility")
def report_conditions(request: HttpRequest, facility_id: int, payload: s.ConditionsIn,
                      organisation: str | None = None) -> Any:
    facility = _facility(facility_id)
    org = organisation_named_or_only(request, organisation, "edit_cases")
    report = _act(actions.do_report_conditions, organisation=org, facility=facility, data=payload.model_dump(),
                  acting_user=request.user)
    return Status(201, Reader(request.user).show(report, CONDITIONS_FIELDS))

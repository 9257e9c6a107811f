"""The alerts JSON API, mounted at /api/v1/alerts/: the same policy, projection and actions as the workspace.

- Who may: ``alerts.view`` to read (a token's read scope); ``alerts.raise`` to raise and
  ``alerts.respond`` to move an alert along (a token's write scope, a person's caseworker,
  reviewer or admin role); ``alerts.publish`` for the public urgent action; ``alerts.manage``
  for the roster and the webhook subscriptions (admins; no token scope holds it). Refusals are
  "not found", asked before the body is read.
- What they see: ``project(obj, audience)`` for the caller.
- How it changes: one ``do_*`` action per write; a refused change is a 422 naming the field.
"""

# No postponed annotations here: ninja reads the endpoint signatures at import time.
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router, Status
from ninja.errors import ValidationError
from ninja.pagination import PageNumberPagination, paginate

from unforgotten import policy
from unforgotten.accounts.models import User
from unforgotten.advocacy.reading import Reader
from unforgotten.alerts import actions, reading
from unforgotten.alerts import schemas as s
from unforgotten.alerts import vocabularies as v
from unforgotten.alerts.models import Alert, OnCallShift, WebhookSubscription
from unforgotten.alerts.views import find_alert, find_case
from unforgotten.api.schemas import organisation_named_or_only, responses
from unforgotten.registry.api import gated
from unforgotten.registry.schemas import Text

router = Router(tags=["alerts"])

VIEW, RAISE, RESPOND, PUBLISH, MANAGE = "alerts.view", "alerts.raise", "alerts.respond", "alerts.publish", \
    "alerts.manage"
ALERT_FIELDS = ("uuid", "case_id", "kind", "severity", "state", "occurred_on", "summary", "internal_notes",
                "resolution", "raised_at", "verified_at", "action_launched_at", "resolved_at", "withdrawn_at",
                "escalated_at", "slug", "published_at")


def _seconds(value: timedelta | None) -> int | None:
    return int(value.total_seconds()) if value is not None else None


def alert_out(reader: Reader, alert: Alert) -> dict[str, Any]:
    out: dict[str, Any] = reader.show(alert, ALERT_FIELDS, alert.case.person_id)
    if "verified_at" in out:
        out["time_to_verify_s"] = _seconds(alert.time_to_verify)
    if "action_launched_at" in out:
        out["time_to_first_action_s"] = _seconds(alert.time_to_first_action)
    out["person"] = reader.show(alert.case.person, ("uuid", "display_name", "country")) or None
    out["texts"] = [reader.show(t, ("language", "title", "situation", "what_to_do"), alert.case.person_id)
                    for t in alert.texts.all()]
    return out


def _act[T](action: Callable[..., T], aliases: Mapping[str, str] | None = None, **kwargs: Any) -> T:
    try:
        return action(**kwargs)
    except DjangoValidationError as exc:
        aliases = aliases or {}
        errors: list[dict[str, Any]] = []
        if hasattr(exc, "error_dict"):
            for field, messages in exc.message_dict.items():
                loc = ("body", "payload") if field == "__all__" else ("body", "payload", aliases.get(field, field))
                errors.extend({"loc": loc, "msg": m} for m in messages)
        else:
            errors.extend({"loc": ("body", "payload"), "msg": m} for m in exc.messages)
        raise ValidationError(errors) from None


def _uuid(raw: object) -> UUID:
    try:
        return raw if isinstance(raw, UUID) else UUID(str(raw))
    except ValueError:
        raise Http404() from None


def _g_alert(permission: str) -> list[Any]:
    return gated(lambda request, kw: find_alert(request, _uuid(kw.get("uuid")), permission))


def _g_somewhere(permission: str) -> list[Any]:
    def find(request: HttpRequest, kw: Mapping[str, Any]) -> None:
        if not policy.can(request.user, permission):
            raise Http404()
    return gated(find)


# --- alerts ------------------------------------------------------------------------------------------------


@router.get("", response=responses(list[s.AlertOut]), exclude_unset=True, auth=_g_somewhere(VIEW),
            summary="Alerts of the caller's organisations, newest first",
            description="Open ones only with ?open=true.")
@paginate(PageNumberPagination)
def list_alerts(request: HttpRequest, open: bool = False) -> Any:  # noqa: A002  (the query parameter's name)
    reader = Reader(request.user)
    qs = reading.visible_alerts(request.user).prefetch_related("texts")
    if open:
        qs = qs.filter(state__in=list(v.OPEN_STATES))
    alerts = list(qs.order_by("-raised_at", "-id")[:1000])
    reader.load_teams(a.case.person_id for a in alerts)
    return [alert_out(reader, a) for a in alerts]


@router.post("", response=responses(s.AlertOut, 201), exclude_unset=True, auth=_g_somewhere(RAISE),
             summary="Raise an urgent alert",
             description="The coordinators on call are e-mailed and the organisation's webhook subscribers told.")
def raise_alert(request: HttpRequest, payload: s.AlertIn) -> Any:
    case = find_case(request, payload.case_id, RAISE)
    if case is None:
        raise ValidationError([{"loc": ("body", "payload", "case_id"),
                                "msg": "Choose a case of your organisation (GET /registry/people)."}])
    data = payload.model_dump(exclude={"case_id"})
    alert = _act(actions.do_raise_alert, case=case, data=data, acting_user=request.user)
    return Status(201, alert_out(Reader(request.user), alert))


@router.get("/report", response=responses(s.ReportOut), auth=_g_somewhere(VIEW),
            summary="Time to verify and time to first action",
            description="Over alerts raised in the last ?days= days (default 90), withdrawn ones left out.")
def alerts_report(request: HttpRequest, days: int = 90) -> Any:
    if not 1 <= days <= 3650:
        raise ValidationError([{"loc": ("query", "days"), "msg": "Give a number of days between 1 and 3650."}])
    r = reading.report_for(request.user, days=days)
    return {"since": r.since, "raised": r.raised, "verified": r.verified, "actioned": r.actioned,
            "median_to_verify_s": _seconds(r.median_to_verify), "median_to_action_s": _seconds(r.median_to_action),
            "worst_to_verify_s": _seconds(r.worst_to_verify), "worst_to_action_s": _seconds(r.worst_to_action)}


# --- the escalation limits (before "/{uuid}": the first route that matches answers) ---------------------------


def _limits_out(org: Any) -> dict[str, Any]:
    limits = reading.limits_of(org.pk)
    return {"organisation": org.slug, "defaults": limits.pk is None,
            **{name: getattr(limits, name) for name in actions.LIMIT_FIELDS}}


@router.get("/limits", response=responses(s.LimitsOut), auth=_g_somewhere(MANAGE),
            summary="The organisation's escalation limits (the defaults until its admins set their own)")
def get_limits(request: HttpRequest, organisation: Text | None = None) -> Any:
    return _limits_out(organisation_named_or_only(request, organisation, "manage_members"))


@router.patch("/limits", response=responses(s.LimitsOut), auth=_g_somewhere(MANAGE),
              summary="Change the organisation's escalation limits",
              description="Fields left out keep their value. Each is a whole number within its bounds, and an "
                          "alert's action limit may not come before its verification limit; a refused change "
                          "saves nothing and names every wrong field.")
def set_limits(request: HttpRequest, payload: s.LimitsIn, organisation: Text | None = None) -> Any:
    org = organisation_named_or_only(request, organisation, "manage_members")
    data = payload.model_dump(exclude_unset=True)
    nulls = [name for name, value in data.items() if value is None]
    if nulls:
        raise ValidationError([{"loc": ("body", "payload", name), "msg": "Give a whole number, or leave it out."}
                               for name in nulls])
    _act(actions.do_set_escalation_limits, organisation=org, data=data, acting_user=request.user)
    return _limits_out(org)


@router.get("/{uuid}", response=responses(s.AlertOut), exclude_unset=True, summary="An alert")
def get_alert(request: HttpRequest, uuid: UUID) -> Any:
    alert, reader = find_alert(request, uuid, VIEW)
    return alert_out(reader, alert)


@router.post("/{uuid}/steps", response=responses(s.AlertOut), exclude_unset=True, auth=_g_alert(RESPOND),
             summary="Move an alert one step: verified, action_launched, resolved or withdrawn",
             description="Each step's time is recorded; skipping verification is refused (422).")
def move_alert(request: HttpRequest, uuid: UUID, payload: s.StepIn) -> Any:
    alert, reader = find_alert(request, uuid, RESPOND)
    moved = _act(actions.do_move_alert, alert=alert, to=payload.to, note=payload.note, acting_user=request.user)
    return alert_out(reader, moved)


@router.put("/{uuid}/texts/{language}", response=responses(s.AlertOut), exclude_unset=True,
            auth=_g_alert(PUBLISH), summary="Write the public urgent action in one language")
def set_alert_text(request: HttpRequest, uuid: UUID, language: s.Language, payload: s.PublicTextIn) -> Any:
    alert, reader = find_alert(request, uuid, PUBLISH)
    _act(actions.do_save_public_text, alert=alert, language=language, data=payload.model_dump(),
         acting_user=request.user)
    return alert_out(reader, alert)


@router.post("/{uuid}/publication", response=responses(s.AlertOut), exclude_unset=True, auth=_g_alert(PUBLISH),
             summary="Approve the urgent action for the public site",
             description="Only a verified alert with a public text (422 otherwise).")
def publish_alert(request: HttpRequest, uuid: UUID) -> Any:
    alert, reader = find_alert(request, uuid, PUBLISH)
    return alert_out(reader, _act(actions.do_publish_alert, alert=alert, acting_user=request.user))


@router.delete("/{uuid}/publication", response=responses(s.AlertOut), exclude_unset=True, auth=_g_alert(PUBLISH),
               summary="Take the urgent action off the public site")
def unpublish_alert(request: HttpRequest, uuid: UUID) -> Any:
    alert, reader = find_alert(request, uuid, PUBLISH)
    return alert_out(reader, _act(actions.do_unpublish_alert, alert=alert, acting_user=request.user))


# --- the roster and the subscriptions -------------------------------------------------------------------------


def _shift_out(shift: OnCallShift) -> dict[str, Any]:
    return {"id": shift.pk, "user_email": shift.user.email, "starts_at": shift.starts_at, "ends_at": shift.ends_at,
            "role": shift.role, "note": shift.note}


@router.get("/roster/shifts", response=responses(list[s.ShiftOut]), auth=_g_somewhere(MANAGE),
            summary="The on-call roster (shifts not yet over)")
def list_shifts(request: HttpRequest, organisation: Text | None = None) -> Any:
    org = organisation_named_or_only(request, organisation, "manage_members")
    return [_shift_out(x) for x in OnCallShift.objects.filter(organisation=org, ends_at__gt=timezone.now())
            .select_related("user").order_by("starts_at")]


@router.post("/roster/shifts", response=responses(s.ShiftOut, 201), auth=_g_somewhere(MANAGE),
             summary="Add an on-call shift")
def add_shift(request: HttpRequest, payload: s.ShiftIn, organisation: Text | None = None) -> Any:
    org = organisation_named_or_only(request, organisation, "manage_members")
    user = User.objects.filter(email__iexact=payload.user_email.strip()).first()
    shift = _act(actions.do_add_shift, {"user": "user_email"}, organisation=org, user=user,
                 starts_at=payload.starts_at, ends_at=payload.ends_at, role=payload.role, note=payload.note,
                 acting_user=request.user)
    return Status(201, _shift_out(shift))


def _g_shift(request: HttpRequest, kw: Mapping[str, Any]) -> None:
    raw = str(kw.get("shift_id"))
    shift = OnCallShift.objects.filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 18 else None
    if shift is None or not policy.can(request.user, MANAGE, shift):
        raise Http404()


@router.delete("/roster/shifts/{shift_id}", response=responses(None, 204),
               auth=gated(_g_shift), summary="Remove an on-call shift")
def remove_shift(request: HttpRequest, shift_id: int) -> Any:
    shift = OnCallShift.objects.get(pk=shift_id)
    actions.do_remove_shift(shift=shift, acting_user=request.user)
    return Status(204, None)


def _webhook_out(sub: WebhookSubscription, secret: str | None = None) -> dict[str, Any]:
    out = {"uuid": sub.uuid, "label": sub.label, "url": sub.url, "active": sub.active}
    if secret is not None:
        out["secret"] = secret
    return out


@router.get("/webhooks/subscriptions", response=responses(list[s.WebhookOut]), exclude_unset=True,
            auth=_g_somewhere(MANAGE), summary="Webhook subscriptions (secrets are never shown again)")
def list_webhooks(request: HttpRequest, organisation: Text | None = None) -> Any:
    org = organisation_named_or_only(request, organisation, "manage_members")
    return [_webhook_out(x) for x in WebhookSubscription.objects.filter(organisation=org)]


@router.post("/webhooks/subscriptions", response=responses(s.WebhookOut, 201), exclude_unset=True,
             auth=_g_somewhere(MANAGE), summary="Subscribe a coalition system",
             description="The answer carries the signing secret, once.")
def add_webhook(request: HttpRequest, payload: s.WebhookIn, organisation: Text | None = None) -> Any:
    org = organisation_named_or_only(request, organisation, "manage_members")
    sub, secret = _act(actions.do_add_webhook, organisation=org, label=payload.label, url=payload.url,
                       acting_user=request.user)
    return Status(201, _webhook_out(sub, secret))


def _g_webhook(request: HttpRequest, kw: Mapping[str, Any]) -> None:
    sub = WebhookSubscription.objects.filter(uuid=_uuid(kw.get("uuid"))).first()
    if sub is None or not policy.can(request.user, MANAGE, sub):
        raise Http404()


@router.delete("/webhooks/subscriptions/{uuid}", response=responses(s.WebhookOut), exclude_unset=True,
               auth=gated(_g_webhook), summary="Switch a subscription off")
def deactivate_webhook(request: HttpRequest, uuid: UUID) -> Any:
    sub = WebhookSubscription.objects.get(uuid=uuid)
    return _webhook_out(actions.do_deactivate_webhook(subscription=sub, acting_user=request.user))

"""Every change to alerts, one function each, audited in the same transaction; notifications leave by the outbox.

Validation happens before anything is written, so a refused change saves nothing. E-mails
and webhooks are queued with ``core/outbox.py`` inside the action's transaction: they exist
exactly when the change committed, are retried with backoff while a receiver is down, and a
request never waits for them. Other apps raise alerts through ``do_raise_alert`` (monitoring's
proof-of-life rule does); nothing else here is meant for them.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from unforgotten import policy
from unforgotten.accounts.models import Organisation, User
from unforgotten.alerts import vocabularies as v
from unforgotten.alerts.models import (
    Alert,
    EscalationLimits,
    OnCallShift,
    PublicText,
    WebhookSubscription,
)
from unforgotten.audit.actions import diff, record
from unforgotten.core import outbox
from unforgotten.core.sealing import seal
from unforgotten.policy.projection import Audience, audience_for, field_sensitivity, project
from unforgotten.registry.models import Case

# Never set from a form or a request body.
RAISE_FIELDS = frozenset({"kind", "severity", "occurred_on", "summary", "internal_notes"})
TEXT_FIELDS = frozenset({"title", "situation", "what_to_do"})
# Who a webhook speaks to: partner organisations of a coalition (coalition class and below).
COALITION = Audience(kind="partner")
WEBHOOK_FIELDS = ("uuid", "kind", "severity", "state", "occurred_on", "raised_at", "verified_at",
                  "action_launched_at", "resolved_at", "withdrawn_at", "escalated_at", "slug", "published_at")
# The first line of every alert e-mail; the body never carries internal notes (an e-mail leaves the platform).
EMAIL_FIELDS = ("kind", "severity", "state", "occurred_on", "summary", "raised_at")


def _user_or_none(user: Any) -> Any:
    return user if getattr(user, "pk", None) and getattr(user, "uf_token", None) is None else None


def _classes(obj: Any) -> dict[str, Any]:
    return {f.attname: field_sensitivity(obj, f.attname) for f in obj._meta.concrete_fields}


def _snapshot(obj: Any) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields
            if f.attname not in {"created_at", "updated_at"}}


def _purge_public_pages() -> None:
    # The public page store is shared by every public page (decision 0012); an urgent action that is
    # withdrawn, resolved or edited must not stay standing in it.
    from unforgotten.publishing.actions import purge_public_pages

    purge_public_pages()


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


# --- who is told -------------------------------------------------------------------------------------


def on_call(organisation_id: int, at: datetime | None = None) -> list[User]:
    """The people on shift at ``at`` who may still respond to the organisation's alerts."""
    at = at or timezone.now()
    shifts = (OnCallShift.objects.filter(organisation_id=organisation_id, starts_at__lte=at, ends_at__gt=at,
                                         user__is_active=True)
              .select_related("user").order_by("role", "starts_at"))
    out: list[User] = []
    for shift in shifts:
        if shift.user not in out and policy.can(shift.user, "alerts.respond", shift):
            out.append(shift.user)
    return out


def _members_with(organisation_id: int, permission: str) -> list[User]:
    users = User.objects.filter(is_active=True, memberships__organisation_id=organisation_id,
                                memberships__is_active=True).distinct().order_by("pk")
    org = Organisation(pk=organisation_id)
    return [u for u in users if policy.can(u, permission, org)]


def first_told(organisation_id: int) -> list[User]:
    """Who hears of a new alert and of its steps: whoever is on call; nobody on call, the coordinators;
    no coordinator either, everyone who may respond. A missing roster must never mean silence."""
    return (on_call(organisation_id) or policy.members_holding(organisation_id, "coordinate")
            or _members_with(organisation_id, "alerts.respond"))


def coordinators(organisation_id: int) -> list[User]:
    """Who is reminded and told of escalations: whoever is on call, and the coordinators (the admins when the
    organisation has no coordinator; decision 0026)."""
    return _unique([*on_call(organisation_id), *policy.coordinators(organisation_id)])


def _unique(users: Iterable[User]) -> list[User]:
    seen: set[int] = set()
    out = []
    for user in users:
        if user.pk not in seen and user.email:
            seen.add(user.pk)
            out.append(user)
    return out


def _email(alert: Alert, users: Iterable[User], event: str, headline: str) -> int:
    """One e-mail per recipient, each built from that recipient's own projection of the alert."""
    team = frozenset(alert.case.person.case_team.values_list("id", flat=True))
    queued = 0
    for user in _unique(users):
        if not policy.can(user, "alerts.view", alert):
            continue
        shown = project(alert, audience_for(user, alert, case_team_user_ids=team), EMAIL_FIELDS)
        person = project(alert.case.person, audience_for(user, alert.case.person, case_team_user_ids=team),
                         ("display_name",))
        with translation.override(settings.LANGUAGE_CODE):
            subject, body = _email_text(alert, shown, person, headline)
        outbox.enqueue_email(kind=f"alerts.{event}", to=[user.email], subject=subject, body=body,
                             organisation_id=alert.organisation_id,
                             dedupe_key=f"alerts.email:{alert.uuid}:{event}:{user.pk}")
        queued += 1
    return queued


def _email_text(alert: Alert, shown: Mapping[str, Any], person: Mapping[str, Any], headline: str) -> tuple[str, str]:
    kind = dict(v.Kind.choices).get(shown.get("kind", ""), "")
    severity = dict(v.Severity.choices).get(shown.get("severity", ""), "")
    who = person.get("display_name") or _("a person in your registry")
    subject = _("[%(severity)s] %(kind)s: %(person)s") % {"severity": severity, "kind": kind, "person": who}
    lines = [headline, "", _("What happened: %(kind)s") % {"kind": kind},
             _("Severity: %(severity)s") % {"severity": severity}]
    if shown.get("occurred_on"):
        lines.append(_("When: %(date)s") % {"date": shown["occurred_on"].isoformat()})
    if shown.get("summary"):
        lines += ["", str(shown["summary"])]
    url = site_url(reverse("alerts:detail", kwargs={"alert": alert.uuid}))
    lines += ["", _("Open the alert: %(url)s") % {"url": url}]
    return subject, "\n".join(lines)


def webhook_payload(alert: Alert, event: str) -> dict[str, Any]:
    """What coalition systems receive: the coalition projection of the alert and of the person."""
    shown = project(alert, COALITION, WEBHOOK_FIELDS)
    person = project(alert.case.person, COALITION, ("display_name", "country"))
    return {
        "event": event,
        "organisation": alert.organisation.slug,
        "alert": {k: (val.isoformat() if isinstance(val, (date, datetime)) else
                      str(val) if val is not None and k == "uuid" else val) for k, val in shown.items()},
        "person": dict(person),
    }


def _webhooks(alert: Alert, event: str) -> int:
    subscriptions = WebhookSubscription.objects.filter(organisation_id=alert.organisation_id, active=True)
    payload = webhook_payload(alert, event)
    queued = 0
    for sub in subscriptions:
        outbox.enqueue_webhook(kind=f"alerts.{event}", url=sub.url, payload=payload, secret=sub.signing_secret(),
                               organisation_id=alert.organisation_id,
                               dedupe_key=f"alerts.webhook:{sub.uuid}:{alert.uuid}:{event}")
        queued += 1
    return queued


# --- the lifecycle -----------------------------------------------------------------------------------


def _raise(case: Case | None, data: Mapping[str, Any], acting_user: Any, reason: str = "") -> Alert:
    if case is None:
        raise ValidationError({"case": "An alert needs a case: choose the person's case it is about."})
    unknown = set(data) - RAISE_FIELDS
    if unknown:
        raise ValidationError({key: f"'{key}' cannot be set here." for key in sorted(unknown)})
    alert = Alert(organisation_id=case.organisation_id, case=case, raised_at=timezone.now(),
                  raised_by=_user_or_none(acting_user))
    for key, value in data.items():
        setattr(alert, key, value)
    alert.full_clean(exclude=["slug"])
    if alert.occurred_on is not None and alert.occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": f"{alert.occurred_on} is in the future."})
    alert.save()
    record("alerts.raise", actor=acting_user, obj=alert, reason=reason,
           changes=diff({}, _snapshot(alert), _classes(alert)))
    _email(alert, first_told(alert.organisation_id), "raised", _("A new urgent alert was raised.")
           if alert.kind != v.Kind.NO_PROOF_OF_LIFE else _("No proof of life: the monitoring rule raised an alert."))
    _webhooks(alert, "alert.raised")
    return alert


@transaction.atomic(durable=True)
def do_raise_alert(*, case: Case | None, data: Mapping[str, Any], acting_user: Any, reason: str = "") -> Alert:
    """Raise an alert about ``case``; the coordinators are e-mailed and the coalition's systems told."""
    return _raise(case, data, acting_user, reason)


def raise_alert_in_transaction(*, case: Case, data: Mapping[str, Any], acting_user: Any, reason: str = "") -> Alert:
    """For another app's action that runs its own transaction (monitoring's proof-of-life rule)."""
    return _raise(case, data, acting_user, reason)


_STAMP: dict[str, str] = {v.State.VERIFIED: "verified_at", v.State.ACTION_LAUNCHED: "action_launched_at",
          v.State.RESOLVED: "resolved_at", v.State.WITHDRAWN: "withdrawn_at"}


@transaction.atomic(durable=True)
def do_move_alert(*, alert: Alert, to: str, acting_user: Any, note: str = "") -> Alert:
    """Move an alert one step (verify, launch action, resolve, withdraw), recording the time."""
    alert = Alert.objects.select_for_update().select_related("case__person", "organisation").get(pk=alert.pk)
    if to not in _STAMP:
        raise ValidationError({"to": f"'{to}' is not a step an alert can move to."})
    if to not in v.TRANSITIONS[alert.state]:
        raise ValidationError({"to": f"An alert that is {alert.get_state_display().lower()} cannot become "
                                     f"{v.State(to).label.lower()}."})
    if to in (v.State.RESOLVED, v.State.WITHDRAWN) and not note.strip():
        raise ValidationError({"note": "Say how it was resolved, or why it is withdrawn."})
    before = _snapshot(alert)
    now = timezone.now()
    alert.state = to
    setattr(alert, _STAMP[to], now)
    if to == v.State.VERIFIED:
        alert.verified_by = _user_or_none(acting_user)
    if to in (v.State.RESOLVED, v.State.WITHDRAWN):
        alert.resolution = note.strip()
    alert.save()
    record(f"alerts.{to}", actor=acting_user, obj=alert, reason=note.strip()[:500],
           changes=diff(before, _snapshot(alert), _classes(alert)))
    _webhooks(alert, f"alert.{to}")
    if to in (v.State.RESOLVED, v.State.WITHDRAWN):
        _email(alert, first_told(alert.organisation_id), to,
               _("The alert was resolved.") if to == v.State.RESOLVED else _("The alert was withdrawn."))
    if alert.published_at is not None:
        _purge_public_pages()
    return alert


# --- the public urgent action ------------------------------------------------------------------------


@transaction.atomic(durable=True)
def do_save_public_text(*, alert: Alert, language: str, data: Mapping[str, Any], acting_user: Any) -> PublicText:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": f"'{language}' is not a language of the public site."})
    unknown = set(data) - TEXT_FIELDS
    if unknown:
        raise ValidationError({key: f"'{key}' cannot be set here." for key in sorted(unknown)})
    text = PublicText.objects.filter(alert=alert, language=language).first() or PublicText(
        alert=alert, organisation_id=alert.organisation_id, language=language)
    before = _snapshot(text) if text.pk else {}
    for key, value in data.items():
        setattr(text, key, (value or "").strip())
    text.full_clean(exclude=["alert"])
    text.save()
    record("alerts.save_public_text", actor=acting_user, obj=text, object_type="alerts.alert",
           object_id=alert.pk, changes=diff(before, _snapshot(text), _classes(text)))
    if alert.published_at is not None:
        _purge_public_pages()
    return text


def _slug_for(alert: Alert) -> str:
    english = alert.texts.filter(language="en").first() or alert.texts.first()
    base = slugify(english.title if english else "")[:80] or "urgent-action"
    return f"{base}-{alert.uuid.hex[:6]}"


@transaction.atomic(durable=True)
def do_publish_alert(*, alert: Alert, acting_user: Any) -> Alert:
    """Approve the urgent action for the public site. Only a verified alert with a text may go out."""
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.state not in (v.State.VERIFIED, v.State.ACTION_LAUNCHED):
        raise ValidationError({"state": "Only a verified alert can become a public urgent action."})
    if not alert.texts.exists():
        raise ValidationError({"texts": "Write the public text (headline, situation, what to do) first."})
    if alert.published_at is not None:
        return alert
    alert.slug = alert.slug or _slug_for(alert)
    alert.published_at = timezone.now()
    alert.published_by = _user_or_none(acting_user)
    alert.save()
    record("alerts.publish", actor=acting_user, obj=alert, changes={"published_at": [None, str(alert.published_at)],
                                                                   "slug": [None, alert.slug]})
    _webhooks(alert, "alert.published")
    _purge_public_pages()
    # radar (issue 9): a public urgent action is public action on the case (the page is public, so every
    # member of staff may know of it).
    from unforgotten.radar.actions import note_attention

    note_attention(case_id=alert.case_id, kind="public_action", when=timezone.localdate())
    return alert


@transaction.atomic(durable=True)
def do_unpublish_alert(*, alert: Alert, acting_user: Any, reason: str = "") -> Alert:
    """Take the urgent action off the public site (the page store is emptied at once)."""
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.published_at is None:
        return alert
    before = str(alert.published_at)
    alert.published_at = None
    alert.save()
    record("alerts.unpublish", actor=acting_user, obj=alert, reason=reason,
           changes={"published_at": [before, None]})
    _purge_public_pages()
    return alert


# --- escalation (the periodic job) -------------------------------------------------------------------


@transaction.atomic(durable=True)
def do_check_escalations(*, now: datetime | None = None, acting_user: Any = "scheduler") -> dict[str, int]:
    """Remind the coordinators of alerts not verified in time, and escalate those not actioned in time.

    Each step happens once per alert (``reminded_at``, ``escalated_at``), however often the job
    runs; after downtime an alert overdue for both gets both at once.
    """
    now = now or timezone.now()
    counts = {"reminded": 0, "escalated": 0}
    open_alerts = (Alert.objects.select_for_update().select_related("case__person", "organisation")
                   .filter(state__in=[v.State.RAISED, v.State.VERIFIED]))
    alerts = list(open_alerts)
    # Each organisation's own limits (decision 0026), read once for the run.
    from unforgotten.alerts.reading import limits_for

    limits = limits_for(a.organisation_id for a in alerts)
    for alert in alerts:
        verify_within, act_within = limits[alert.organisation_id].windows(alert.severity)
        age = now - alert.raised_at
        if alert.state == v.State.RAISED and alert.reminded_at is None and age >= verify_within:
            alert.reminded_at = now
            alert.save(update_fields=["reminded_at", "updated_at"])
            record("alerts.remind", actor=acting_user, obj=alert, changes={"reminded_at": [None, now.isoformat()]})
            hours = int(verify_within.total_seconds() // 3600)
            _email(alert, coordinators(alert.organisation_id), "reminder",
                   _("Still not verified after %(hours)s hours: please verify or withdraw this alert.")
                   % {"hours": hours})
            counts["reminded"] += 1
        if alert.escalated_at is None and age >= act_within:
            alert.escalated_at = now
            alert.save(update_fields=["escalated_at", "updated_at"])
            record("alerts.escalate", actor=acting_user, obj=alert, changes={"escalated_at": [None, now.isoformat()]})
            hours = int(act_within.total_seconds() // 3600)
            admins = policy.members_holding(alert.organisation_id, "manage_members")
            _email(alert, [*coordinators(alert.organisation_id), *admins], "escalated",
                   _("Escalated: no action launched %(hours)s hours after this alert was raised.") % {"hours": hours})
            _webhooks(alert, "alert.escalated")
            counts["escalated"] += 1
    return counts


# --- roster and webhooks -----------------------------------------------------------------------------


@transaction.atomic(durable=True)
def do_add_shift(*, organisation: Organisation, user: User | None, starts_at: datetime | None,
                 ends_at: datetime | None, role: str = v.ShiftRole.PRIMARY, note: str = "",
                 acting_user: Any) -> OnCallShift:
    errors: dict[str, str] = {}
    for name, value in (("starts_at", starts_at), ("ends_at", ends_at)):
        if value is not None and timezone.is_naive(value):
            errors[name] = "Give the time with its offset from UTC, e.g. 2030-03-04T09:00:00+00:00."
    if errors:
        raise ValidationError(errors)
    # Whoever may answer an alert may take a shift: caseworkers, reviewers, admins and coordinators.
    if user is None or not policy.can(user, "alerts.respond", organisation):
        errors["user"] = "Choose a member of the organisation who may respond to alerts."
    if starts_at is None:
        errors["starts_at"] = "Give the start of the shift."
    if ends_at is None:
        errors["ends_at"] = "Give the end of the shift."
    elif starts_at is not None and ends_at <= starts_at:
        errors["ends_at"] = "The shift must end after it starts."
    elif starts_at is not None and ends_at - starts_at > timedelta(days=31):
        errors["ends_at"] = "A shift lasts at most 31 days."
    if role not in v.ShiftRole.values:
        errors["role"] = f"'{role}' is not a shift role."
    if errors:
        raise ValidationError(errors)
    assert starts_at is not None and ends_at is not None  # noqa: S101  (refused above)
    shift = OnCallShift(organisation=organisation, user=user, starts_at=starts_at, ends_at=ends_at, role=role,
                        note=note.strip())
    shift.full_clean()
    shift.save()
    record("alerts.add_shift", actor=acting_user, obj=shift, changes=diff({}, _snapshot(shift), _classes(shift)))
    return shift


@transaction.atomic(durable=True)
def do_remove_shift(*, shift: OnCallShift, acting_user: Any) -> None:
    record("alerts.remove_shift", actor=acting_user, obj=shift, changes=diff(_snapshot(shift), {}, _classes(shift)))
    shift.delete()


@transaction.atomic(durable=True)
def do_add_webhook(*, organisation: Organisation, label: str, url: str,
                   acting_user: Any) -> tuple[WebhookSubscription, str]:
    """Subscribe a coalition system; returns the subscription and its secret (shown once, then sealed)."""
    sub = WebhookSubscription(organisation=organisation, label=(label or "").strip(), url=(url or "").strip(),
                              created_by=_user_or_none(acting_user))
    errors: dict[str, str] = {}
    if not sub.url.startswith(("https://", "http://")):
        errors["url"] = "Give the receiver's http(s) address."
    try:
        sub.full_clean(exclude=["secret_sealed"])
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, " ".join(messages))
    if errors:
        raise ValidationError(errors)
    secret = "whsec_" + secrets.token_urlsafe(32)
    sub.secret_sealed = seal(secret, sub.sealed_context())
    sub.save()
    record("alerts.add_webhook", actor=acting_user, obj=sub,
           changes={"label": [None, sub.label], "url": [None, sub.url]})
    return sub, secret


@transaction.atomic(durable=True)
def do_deactivate_webhook(*, subscription: WebhookSubscription, acting_user: Any) -> WebhookSubscription:
    if subscription.active:
        subscription.active = False
        subscription.save(update_fields=["active", "updated_at"])
        record("alerts.deactivate_webhook", actor=acting_user, obj=subscription, changes={"active": [True, False]})
    return subscription


# --- the organisation's escalation limits -------------------------------------------------------------------

LIMIT_FIELDS = ("verify_critical_hours", "act_critical_hours", "verify_high_hours", "act_high_hours",
                "verify_medium_hours", "act_medium_hours", "proof_of_life_days")


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 10:
        return int(value.strip())
    return None


@transaction.atomic(durable=True)
def do_set_escalation_limits(*, organisation: Organisation, data: Mapping[str, Any],
                             acting_user: Any) -> EscalationLimits:
    """Set the organisation's escalation limits (decision 0026); fields not in ``data`` keep their value.

    Every value is a whole number within its bounds, and an alert must be due for action no earlier than
    it is due for verification: otherwise nothing is written and every wrong field is named.
    """
    limits = (EscalationLimits.objects.select_for_update().filter(organisation=organisation).first()
              or EscalationLimits(organisation=organisation))
    before = _snapshot(limits) if limits.pk else {}
    unknown = sorted(set(data) - set(LIMIT_FIELDS))
    errors: dict[str, str] = {}
    if unknown:
        errors["__all__"] = f"Unknown field(s): {', '.join(unknown)}."
    for name in LIMIT_FIELDS:
        if name not in data:
            continue
        value = _whole(data[name])
        if name == "proof_of_life_days":
            top, unit = v.PROOF_OF_LIFE_DAYS_MAX, "days"
        else:
            top, unit = (v.VERIFY_HOURS_MAX if name.startswith("verify_") else v.ACT_HOURS_MAX), "hours"
        if value is None or not 1 <= value <= top:
            errors[name] = f"Give a whole number of {unit} between 1 and {top}."
            continue
        setattr(limits, name, value)
    if not errors:
        for severity in v.Severity.values:
            verify, act = getattr(limits, f"verify_{severity}_hours"), getattr(limits, f"act_{severity}_hours")
            if act < verify:
                errors[f"act_{severity}_hours"] = (f"A {severity} alert cannot be due for action ({act} h) before it "
                                                   f"is due for verification ({verify} h).")
    if errors:
        raise ValidationError(errors)
    limits.updated_by = _user_or_none(acting_user)
    limits.save()
    changes = diff(before, _snapshot(limits), _classes(limits))
    changes.pop("updated_by_id", None)
    if changes or not before:
        record("alerts.set_limits", actor=acting_user, obj=limits, changes=changes)
    return limits

"""The alerts workspace at /work/alerts/: thin views over the policy, the projection and the actions.

Every view finds its record through the policy and the projection's idea of who may know it
exists; anything else is "not found", the same answer as for a record that does not exist.
Every change is one action function; a refused change re-renders the form with status 400.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from unforgotten import policy
from unforgotten.accounts.models import Organisation, User
from unforgotten.advocacy.forms import errors_to_form
from unforgotten.advocacy.reading import Reader
from unforgotten.alerts import actions, reading
from unforgotten.alerts import forms as f
from unforgotten.alerts import vocabularies as v
from unforgotten.alerts.models import Alert, OnCallShift, PublicText, WebhookSubscription
from unforgotten.core.views import not_found, posted
from unforgotten.registry.models import Case

VIEW, RAISE, RESPOND, PUBLISH, MANAGE = "alerts.view", "alerts.raise", "alerts.respond", "alerts.publish", \
    "alerts.manage"


def find_alert(request: HttpRequest, key: UUID, permission: str) -> tuple[Alert, Reader]:
    alert = Alert.objects.select_related("case__person", "organisation").filter(uuid=key).first()
    reader = Reader(request.user)
    if alert is None or not policy.can(request.user, permission, alert) or not reader.case_visible(alert.case) \
            or not reader.sees(alert, alert.case.person_id):
        not_found()
    return alert, reader


def find_case(request: HttpRequest, pk: Any, permission: str) -> Case | None:
    """The case a new record is about, or None when the caller may not use it (the form then says so)."""
    try:
        number = int(pk)
    except (TypeError, ValueError):
        return None
    case = Case.objects.select_related("person").filter(pk=number).first()
    if case is None or not policy.can(request.user, permission, case) or not Reader(request.user).case_visible(case):
        return None
    return case


def organisation_for(request: HttpRequest, capability: str) -> Organisation:
    """The organisation a roster or subscription page is about: ?organisation=<slug>, else the caller's first."""
    ids = sorted(policy.organisation_ids(request.user, capability))
    wanted = request.GET.get("organisation") or posted(request, "organisation")
    orgs = Organisation.objects.filter(pk__in=ids, is_active=True).order_by("name")
    org = orgs.filter(slug=str(wanted)[:50]).first() if wanted else orgs.first()
    if org is None:
        not_found()
    return org


def _form_page(request: HttpRequest, form: forms.BaseForm, *, title: str, back: str, intro: str = "",
               button: str = "") -> HttpResponse:
    return render(request, "alerts/form.html", {
        "form": form, "title": title, "back": back, "intro": intro, "button": button or _("Save")},
        status=400 if form.is_bound and form.errors else 200)


# --- the board and the detail -----------------------------------------------------------------------


@require_safe
@login_required
def board(request: HttpRequest) -> HttpResponse:
    if not policy.can(request.user, VIEW):
        not_found()
    now = timezone.now()
    rows = reading.board(request.user, now)
    report = reading.report_for(request.user, now=now)
    return render(request, "alerts/board.html", {
        "rows": [{"row": r, "age": reading.duration_text(r.age)} for r in rows],
        "report": report, "durations": {k: reading.duration_text(getattr(report, k)) for k in (
            "median_to_verify", "median_to_action", "worst_to_verify", "worst_to_action")},
        "may_raise": policy.can(request.user, RAISE), "may_manage": policy.can(request.user, MANAGE),
        "kinds": v.Kind, "severities": v.Severity,
    })


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def raise_alert(request: HttpRequest) -> HttpResponse:
    if not policy.can(request.user, RAISE):
        not_found()
    form = f.RaiseForm(request.POST if request.method == "POST" else None,
                       initial={"case": request.GET.get("case", "")[:18]})
    if form.is_valid():
        data = {k: form.cleaned_data[k] for k in ("kind", "severity", "occurred_on", "summary", "internal_notes")}
        number = form.cleaned_data["case"]
        case = find_case(request, number, RAISE) if number else None
        try:
            if number and case is None:
                # Someone else's case and a case that does not exist get the same words.
                raise ValidationError({"case": _("No case with this number in your organisation's registry.")})
            alert = actions.do_raise_alert(case=case, data=data, acting_user=request.user)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Alert raised; the coordinators have been told."))
            return HttpResponseRedirect(reverse("alerts:detail", kwargs={"alert": alert.uuid}))
    return _form_page(request, form, title=_("Raise an urgent alert"), back=reverse("alerts:board"),
                      intro=_("Raise it as soon as you hear: coordinators verify it."), button=_("Raise the alert"))


@require_safe
@login_required
def detail(request: HttpRequest, alert: UUID) -> HttpResponse:
    obj, reader = find_alert(request, alert, VIEW)
    shown = reader.show(obj, None, obj.case.person_id)
    person = reader.show(obj.case.person, ("uuid", "display_name", "country"))
    may_respond = policy.can(request.user, RESPOND, obj)
    steps = [{"to": to, "label": v.State(to).label} for to in
             sorted(v.TRANSITIONS[obj.state], key=v.State.values.index)] if may_respond else []
    return render(request, "alerts/detail.html", {
        "alert": obj, "shown": shown, "person": person, "steps": steps, "move_form": f.MoveForm(),
        "kind": obj.get_kind_display(), "severity": obj.get_severity_display(), "state": obj.get_state_display(),
        "to_verify": reading.duration_text(obj.time_to_verify),
        "to_action": reading.duration_text(obj.time_to_first_action),
        "overdue": reading.overdue_step(obj, timezone.now()) if obj.is_open else "",
        "texts": list(obj.texts.all()), "may_publish": policy.can(request.user, PUBLISH, obj),
        "public_url": _public_url(obj),
    })


def _public_url(alert: Alert) -> str:
    if not alert.is_public or not alert.slug:
        return ""
    text = alert.texts.order_by("language").first()
    if text is None:
        return ""
    with translation.override(text.language):
        return reverse("alerts_public:detail", kwargs={"slug": alert.slug})


@require_POST
@login_required
def move(request: HttpRequest, alert: UUID) -> HttpResponse:
    obj, _reader = find_alert(request, alert, RESPOND)
    form = f.MoveForm(request.POST)
    if form.is_valid():
        try:
            actions.do_move_alert(alert=obj, to=form.cleaned_data["to"], note=form.cleaned_data["note"],
                                  acting_user=request.user)
        except ValidationError as exc:
            errors_to_form(form, exc, {"to": "to", "note": "note"})
        else:
            messages.success(request, _("The alert is now %(state)s.") % {
                "state": v.State(form.cleaned_data["to"]).label.lower()})
            return HttpResponseRedirect(reverse("alerts:detail", kwargs={"alert": obj.uuid}))
    return _form_page(request, form, title=_("Move the alert"),
                      back=reverse("alerts:detail", kwargs={"alert": obj.uuid}))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def public_text(request: HttpRequest, alert: UUID) -> HttpResponse:
    """Write the urgent action in a language, and approve it for the public site or take it down."""
    obj, _reader = find_alert(request, alert, PUBLISH)
    back = reverse("alerts:detail", kwargs={"alert": obj.uuid})
    language = str(posted(request, "language") or request.GET.get("language") or "en")[:10]
    existing = PublicText.objects.filter(alert=obj, language=language).first()
    initial = {"language": language, **({k: getattr(existing, k) for k in ("title", "situation", "what_to_do")}
                                        if existing else {})}
    act = request.POST.get("act") if request.method == "POST" else None
    if act in ("publish", "unpublish"):
        try:
            if act == "publish":
                actions.do_publish_alert(alert=obj, acting_user=request.user)
                messages.success(request, _("The urgent action is on the public site."))
            else:
                actions.do_unpublish_alert(alert=obj, acting_user=request.user)
                messages.success(request, _("The urgent action was taken off the public site."))
            return HttpResponseRedirect(back)
        except ValidationError as exc:
            form = f.PublicTextForm(initial=initial)
            errors_to_form(form, exc)
            return render(request, "alerts/public_text.html", {"form": form, "alert": obj, "back": back}, status=400)
    form = f.PublicTextForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_valid():
        data = {k: form.cleaned_data[k] for k in ("title", "situation", "what_to_do")}
        try:
            actions.do_save_public_text(alert=obj, language=form.cleaned_data["language"], data=data,
                                        acting_user=request.user)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Public text saved."))
            return HttpResponseRedirect(back)
    return render(request, "alerts/public_text.html", {"form": form, "alert": obj, "back": back},
                  status=400 if form.is_bound and form.errors else 200)


# --- the on-call roster --------------------------------------------------------------------------------


def _members(org: Organisation) -> list[tuple[int, str]]:
    users = User.objects.filter(is_active=True, memberships__organisation=org, memberships__is_active=True
                                ).distinct().order_by("display_name", "email")
    return [(u.pk, u.display_name or u.email) for u in users if policy.can(u, RESPOND, org)]


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def roster(request: HttpRequest) -> HttpResponse:
    org = organisation_for(request, "manage_members")
    members = _members(org)
    form = f.ShiftForm(request.POST if request.method == "POST" else None, members=members)
    if form.is_valid():
        try:
            actions.do_add_shift(organisation=org, user=User.objects.filter(pk=form.cleaned_data["user"]).first(),
                                 starts_at=form.cleaned_data["starts_at"], ends_at=form.cleaned_data["ends_at"],
                                 role=form.cleaned_data["role"], note=form.cleaned_data["note"],
                                 acting_user=request.user)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Shift added."))
            return HttpResponseRedirect(reverse("alerts:roster") + f"?organisation={org.slug}")
    now = timezone.now()
    shifts = (OnCallShift.objects.filter(organisation=org, ends_at__gt=now - timedelta(days=1))
              .select_related("user").order_by("starts_at"))
    return render(request, "alerts/roster.html", {
        "org": org, "form": form, "shifts": shifts, "now": now,
        "on_call": actions.on_call(org.pk, now)}, status=400 if form.is_bound and form.errors else 200)


@require_POST
@login_required
def remove_shift(request: HttpRequest, shift: int) -> HttpResponse:
    obj = OnCallShift.objects.filter(pk=shift).first()
    if obj is None or not policy.can(request.user, MANAGE, obj):
        not_found()
    actions.do_remove_shift(shift=obj, acting_user=request.user)
    messages.success(request, _("Shift removed."))
    return HttpResponseRedirect(reverse("alerts:roster") + f"?organisation={obj.organisation.slug}")


# --- the escalation limits --------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def limits(request: HttpRequest) -> HttpResponse:
    org = organisation_for(request, "manage_members")
    current = reading.limits_of(org.pk)
    initial = {name: getattr(current, name) for name in actions.LIMIT_FIELDS}
    form = f.LimitsForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_valid():
        try:
            actions.do_set_escalation_limits(organisation=org, data=form.cleaned_data, acting_user=request.user)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Escalation limits saved."))
            return HttpResponseRedirect(reverse("alerts:limits") + f"?organisation={org.slug}")
    return render(request, "alerts/limits.html", {"org": org, "form": form, "saved": current.pk is not None},
                  status=400 if form.is_bound and form.errors else 200)


# --- webhook subscriptions --------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def webhooks(request: HttpRequest) -> HttpResponse:
    org = organisation_for(request, "manage_members")
    form = f.WebhookForm(request.POST if request.method == "POST" else None)
    secret = None
    created = None
    if form.is_valid():
        try:
            created, secret = actions.do_add_webhook(organisation=org, label=form.cleaned_data["label"],
                                                     url=form.cleaned_data["url"], acting_user=request.user)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            form = f.WebhookForm()
    return render(request, "alerts/webhooks.html", {
        "org": org, "form": form, "secret": secret, "created": created,
        "subscriptions": WebhookSubscription.objects.filter(organisation=org)},
        status=400 if form.is_bound and form.errors else 200)


@require_POST
@login_required
def deactivate_webhook(request: HttpRequest, subscription: UUID) -> HttpResponse:
    obj = WebhookSubscription.objects.filter(uuid=subscription).select_related("organisation").first()
    if obj is None or not policy.can(request.user, MANAGE, obj):
        not_found()
    actions.do_deactivate_webhook(subscription=obj, acting_user=request.user)
    messages.success(request, _("Subscription switched off."))
    return HttpResponseRedirect(reverse("alerts:webhooks") + f"?organisation={obj.organisation.slug}")

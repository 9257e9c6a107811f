"""The monitoring screens at /work/monitoring/: thin views over the policy, the projection and the actions.

A case is found through the policy and the projection (anything else is "not found"); health
is shown only where the projection gives it, i.e. to the person's case team.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from unforgotten import policy
from unforgotten.advocacy.forms import errors_to_form
from unforgotten.advocacy.reading import Reader, visible_cases
from unforgotten.alerts.reading import limits_for, limits_of
from unforgotten.core.views import not_found
from unforgotten.monitoring import actions, reading
from unforgotten.monitoring import forms as f
from unforgotten.monitoring import vocabularies as v
from unforgotten.monitoring.models import ConditionsReport, Contact, HealthStatus, ProofOfLifeRule
from unforgotten.policy.sensitivity import Sensitivity
from unforgotten.registry.models import Case, Facility
from unforgotten.registry.vocabularies import DETAINED_STATUSES

VIEW, EDIT = "monitoring.view", "monitoring.edit"


def find_case(request: HttpRequest, pk: int, permission: str) -> tuple[Case, Reader]:
    case = Case.objects.select_related("person", "organisation").filter(pk=pk).first()
    reader = Reader(request.user)
    if case is None or not policy.can(request.user, permission, case) or not reader.case_visible(case):
        not_found()
    return case, reader


def _page(request: HttpRequest, form: forms.BaseForm, *, title: str, back: str, button: str = "") -> HttpResponse:
    return render(request, "monitoring/form.html", {"form": form, "title": title, "back": back,
                                                    "button": button or _("Save")},
                  status=400 if form.is_bound and form.errors else 200)


def _case_url(case: Case) -> str:
    return reverse("monitoring:case", kwargs={"case": case.pk})


@require_safe
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Detained people of the caller's organisations, longest silence first."""
    if not policy.can(request.user, VIEW):
        not_found()
    cases = list(visible_cases(request.user).filter(person__current_status__in=list(DETAINED_STATUSES))
                 .select_related("person")[:500])
    last = reading.last_contact_per_case([c.pk for c in cases])
    rules = {r.case_id: r for r in ProofOfLifeRule.objects.filter(case__in=[c.pk for c in cases])}
    reader = Reader(request.user)
    reader.load_teams(c.person_id for c in cases)
    today = timezone.localdate()
    rows: list[dict[str, Any]] = []
    limits = limits_for(c.organisation_id for c in cases)
    for case in cases:
        rule = rules.get(case.pk)
        days = rule.days if rule is not None else limits[case.organisation_id].proof_of_life_days
        since = actions.silence_start(case, last.get(case.pk), rule)
        rows.append({"case": case, "person": reader.show(case.person, ("display_name", "country")),
                     "last": last.get(case.pk), "silent": (today - since).days, "days": days,
                     "over": (today - since).days >= days and (rule is None or rule.active)})
    rows.sort(key=lambda r: -int(r["silent"]))
    return render(request, "monitoring/home.html", {"rows": rows})


@require_safe
@login_required
def case(request: HttpRequest, case: int) -> HttpResponse:
    obj, reader = find_case(request, case, VIEW)
    contacts = [(c, reader.show(c, None, obj.person_id)) for c in Contact.objects.filter(case=obj)
                .select_related("facility")[:200]]
    health = [h for h in (reader.show(x, None, obj.person_id) for x in HealthStatus.objects.filter(case=obj)[:50]) if h]
    rule = ProofOfLifeRule.objects.filter(case=obj).first()
    audience = reader.audience(obj, obj.person_id)
    return render(request, "monitoring/case.html", {
        "case": obj, "person": reader.show(obj.person, ("uuid", "display_name", "country")),
        "contacts": contacts, "health": health, "sees_health": audience.may_see(Sensitivity.RESTRICTED),
        "rule": rule, "days": rule.days if rule else limits_of(obj.organisation_id).proof_of_life_days,
        "last": reading.last_contact_per_case([obj.pk]).get(obj.pk),
        "may_edit": policy.can(request.user, EDIT, obj), "may_raise": policy.can(request.user, "alerts.raise", obj),
        "levels": dict(v.HealthLevel.choices),
    })


def _facilities() -> list[tuple[int, str]]:
    return Facility.choice_rows()


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def contact_create(request: HttpRequest, case: int) -> HttpResponse:
    obj, _reader = find_case(request, case, EDIT)
    form = f.ContactForm(request.POST if request.method == "POST" else None, facilities=_facilities())
    if form.is_valid():
        data: dict[str, Any] = {k: form.cleaned_data[k] for k in ("kind", "occurred_on", "summary", "notes")}
        data["facility"] = Facility.objects.filter(pk=form.cleaned_data["facility"]).first() \
            if form.cleaned_data["facility"] else None
        try:
            actions.do_log_contact(case=obj, data=data, acting_user=request.user)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Contact logged."))
            return HttpResponseRedirect(_case_url(obj))
    return _page(request, form, title=_("Log a contact"), back=_case_url(obj))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def health_create(request: HttpRequest, case: int) -> HttpResponse:
    obj, _reader = find_case(request, case, EDIT)
    form = f.HealthForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            actions.do_record_health(case=obj, data=dict(form.cleaned_data), acting_user=request.user)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Health status recorded (case team only)."))
            return HttpResponseRedirect(_case_url(obj))
    return _page(request, form, title=_("Record the health status"), back=_case_url(obj))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def rule(request: HttpRequest, case: int) -> HttpResponse:
    obj, _reader = find_case(request, case, EDIT)
    current = ProofOfLifeRule.objects.filter(case=obj).first()
    initial = ({"days": current.days, "active": current.active} if current
               else {"days": limits_of(obj.organisation_id).proof_of_life_days})
    form = f.RuleForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_valid():
        try:
            actions.do_set_rule(case=obj, days=form.cleaned_data["days"], active=form.cleaned_data["active"],
                                acting_user=request.user)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Rule saved."))
            return HttpResponseRedirect(_case_url(obj))
    return _page(request, form, title=_("Proof-of-life rule"), back=_case_url(obj))


@require_safe
@login_required
def facility(request: HttpRequest, facility: int) -> HttpResponse:
    """Conditions reports on one facility by the caller's organisations."""
    place = Facility.objects.filter(pk=facility).first()
    if place is None or not policy.can(request.user, VIEW):
        not_found()
    reader = Reader(request.user)
    reports = [(r, reader.show(r)) for r in ConditionsReport.objects.filter(
        facility=place, organisation_id__in=list(policy.organisation_ids(request.user, "view")))[:200]]
    return render(request, "monitoring/facility.html", {
        "facility": place, "reports": reports, "may_edit": policy.can(request.user, EDIT),
        "ratings": dict(v.Rating.choices)})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def conditions_create(request: HttpRequest, facility: int) -> HttpResponse:
    place = Facility.objects.filter(pk=facility).first()
    orgs = sorted(policy.organisation_ids(request.user, "edit_cases"))
    if place is None or not orgs:
        not_found()
    from unforgotten.accounts.models import Organisation

    org = Organisation.objects.filter(pk__in=orgs, is_active=True).order_by("name").first()
    back = reverse("monitoring:facility", kwargs={"facility": place.pk})
    form = f.ConditionsForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            actions.do_report_conditions(organisation=org, facility=place, data=dict(form.cleaned_data),
                                         acting_user=request.user)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Conditions report saved."))
            return HttpResponseRedirect(back)
    return _page(request, form, title=_("Report conditions at %(facility)s") % {"facility": place.name}, back=back)

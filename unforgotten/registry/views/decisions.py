"""Recording a recognition decision: choose the framework, then fill in its checklist (two steps, no script)."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from unforgotten.accounts.models import Membership
from unforgotten.policy import ROLE_CAPABILITIES
from unforgotten.registry import actions
from unforgotten.registry.actions import CriterionInput
from unforgotten.registry.forms import DecisionForm, FrameworkForm, errors_to_form, model_data
from unforgotten.registry.models import Person
from unforgotten.registry.views._common import person_for
from unforgotten.registry.views.records import back_to, case_choices, chosen_case


def _reviewer_choices(person: Person) -> list[tuple[int, str]]:
    """Members of the owning organisation who may review, by name."""
    reviewing = {role for role, caps in ROLE_CAPABILITIES.items() if "review" in caps}
    members = Membership.objects.filter(organisation_id=person.organisation_id, is_active=True,
                                        user__is_active=True).select_related("user").order_by("user__email")
    return [(m.user_id, str(m.user.display_name or m.user.email)) for m in members if reviewing & set(m.roles)]


@require_http_methods(["GET", "POST"])
@login_required
def decision_create(request: HttpRequest, person: UUID) -> HttpResponse:
    record, reader = person_for(request, person, "registry.review")
    shown_person = reader.show(record) or {}
    source = request.POST if request.method == "POST" else request.GET
    chooser = FrameworkForm(source if "framework" in source or request.method == "POST" else None)
    if not chooser.is_bound or not chooser.is_valid():
        # Step 1: which framework? (A GET form: the checklist depends on the answer.)
        return render(request, "registry/decision_framework.html", {"person": shown_person, "form": chooser},
                      status=400 if chooser.errors else 200)
    framework = chooser.cleaned_data["framework"]
    form = DecisionForm(request.POST if request.method == "POST" else None, framework=framework,
                        reviewer_choices=_reviewer_choices(record))
    form.set_cases(case_choices(record, reader), required=False)
    if form.is_bound and form.is_valid():
        criteria = [CriterionInput(code=c["code"], result=c["result"], rationale=c["rationale"],
                                   is_exclusion=c["is_exclusion"]) for c in form.assessments()]
        if not form.errors:
            case = chosen_case(record, reader, form.cleaned_data.get("case"))
            reviewers = [m.user for m in Membership.objects.filter(
                organisation_id=record.organisation_id, user_id__in=form.cleaned_data["reviewers"]).select_related("user")]
            try:
                actions.do_record_decision(
                    person=record, data={**model_data(form, DecisionForm.MODEL_FIELDS), "framework": framework,
                                         "case": case},
                    criteria=criteria, reviewers=reviewers, acting_user=request.user,
                    reason=str(form.cleaned_data.get("reason", "")))
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                messages.success(request, _("The decision is recorded."))
                return back_to(record, "recognition")
    return render(request, "registry/decision_form.html", {
        "person": shown_person, "form": form, "framework": framework,
        "framework_label": dict(FrameworkForm.base_fields["framework"].choices).get(framework, framework),  # type: ignore[attr-defined]
    }, status=400 if request.method == "POST" else 200)

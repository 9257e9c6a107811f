"""The case team of a person: who reads restricted fields and may reveal sealed ones.

Reviewers and organisation admins choose it (``registry.manage_team``), after
re-entering a credential, with a reason kept in the audit trail. Everyone who
may view the record sees who is on the team: knowing who holds the sensitive
parts is part of working safely.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from unforgotten import policy
from unforgotten.accounts.models import Membership
from unforgotten.accounts.sudo import require_sudo
from unforgotten.core.views import not_found
from unforgotten.registry import actions
from unforgotten.registry.forms import REASON_LABEL, errors_to_form
from unforgotten.registry.views._common import person_for


class TeamChangeForm(forms.Form):
    member = forms.TypedChoiceField(label=gettext_lazy("Member"), coerce=int)
    change = forms.ChoiceField(choices=[("add", "add"), ("remove", "remove")], widget=forms.HiddenInput)
    reason = forms.CharField(label=REASON_LABEL, max_length=500, required=False)

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = choices  # type: ignore[attr-defined]


@require_http_methods(["GET", "POST"])
@login_required
def case_team(request: HttpRequest, person: UUID) -> HttpResponse:
    record, reader = person_for(request, person, "registry.view")
    may_manage = policy.can(request.user, "registry.manage_team", record)
    if request.method == "POST" and not may_manage:
        not_found()  # viewers see the team; changing it is not theirs to do
    team = list(record.case_team.filter(is_active=True).order_by("email"))
    team_ids = {u.pk for u in team}
    memberships = (Membership.objects.filter(organisation_id=record.organisation_id, is_active=True,
                                             user__is_active=True)
                   .select_related("user").order_by("user__email"))
    candidates = [(m.user.pk, _label(m.user)) for m in memberships if m.user.pk not in team_ids]
    form = TeamChangeForm(request.POST if request.method == "POST" else None,
                          choices=[*candidates, *((u.pk, _label(u)) for u in team)])
    if form.is_bound:
        require_sudo(request)
        if form.is_valid():
            member = next((m.user for m in memberships if m.user.pk == form.cleaned_data["member"]), None)
            member = member or next((u for u in team if u.pk == form.cleaned_data["member"]), None)
            try:
                if member is None:
                    raise ValidationError({"member": _("Choose a member of the organisation.")})
                if form.cleaned_data["change"] == "add":
                    actions.do_add_to_case_team(person=record, member=member, acting_user=request.user,
                                                reason=form.cleaned_data["reason"])
                else:
                    actions.do_remove_from_case_team(person=record, member=member, acting_user=request.user,
                                                     reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                messages.success(request, _("The case team is changed."))
                return HttpResponseRedirect(reverse("registry:case_team", kwargs={"person": record.uuid}))
    return render(request, "registry/case_team.html", {
        "person": reader.show(record) or {},
        "team": [{"id": u.pk, "label": _label(u)} for u in team],
        "candidates": candidates,
        "form": form,
        "may_manage": may_manage,
    }, status=400 if form.errors else 200)


def _label(user: Any) -> str:
    name = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return f"{name} <{user.email}>" if name else str(user.email)

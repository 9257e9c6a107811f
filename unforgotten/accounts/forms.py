from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from unforgotten.accounts.models import Role


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one role.")},
    )
    reason = forms.CharField(label=_("Reason (kept in the audit trail)"), max_length=500, required=False)


class AddMemberForm(RolesForm):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    display_name = forms.CharField(label=_("Name"), max_length=150, required=False)
    field_order = ["email", "display_name", "roles", "reason"]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason (kept in the audit trail)"), max_length=500, required=False)

"""Forms of the advocacy workspace: they validate and say what to fix; the action functions save.

Model forms are used for their field rules only: none is given a stored record
as ``instance`` and none is saved. Edit forms are filled from the projection
(``initial``) and leave out fields above the reader's ceiling, so a form never
shows a value its reader may not see.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from unforgotten.accounts.models import Organisation, User
from unforgotten.advocacy import vocabularies as v
from unforgotten.advocacy.models import (
    Adoption,
    AdoptionActivity,
    Brief,
    Intervention,
    Lawyer,
    LegalAction,
    Stakeholder,
    UNCommunication,
    WGADDraft,
)
from unforgotten.core.partialdate import PartialDate
from unforgotten.registry.models import Case

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def errors_to_form(form: forms.BaseForm, exc: ValidationError, aliases: Mapping[str, str] | None = None) -> None:
    """Put an action's ValidationError next to the fields it names; the rest at the top of the form."""
    aliases = aliases or {}
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, messages in exc.message_dict.items():
        name = aliases.get(field, field)
        form.add_error(name if name in form.fields else None, messages)


def keep_only(form: forms.BaseForm, shown: Mapping[str, Any]) -> None:
    """Drop the fields the reader may not see from an edit form (they stay as they are)."""
    for name in list(form.fields):
        attname = name if name in shown else f"{name}_id"
        if attname not in shown:
            del form.fields[name]


def initial_from(shown: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in shown.items():
        out[key[:-3] if key.endswith("_id") else key] = str(value) if isinstance(value, PartialDate) else value
    return out


def data_of(form: forms.BaseForm) -> dict[str, Any]:
    """Cleaned values of the fields the form offered (removed fields are not touched)."""
    return {name: form.cleaned_data[name] for name in form.fields if name in form.cleaned_data}


def _dates(*names: str) -> dict[str, Any]:
    return dict.fromkeys(names, DATE_INPUT)


class StakeholderForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Stakeholder
        fields = ["kind", "name", "institution", "role", "country", "language", "email", "phone", "postal_address",
                  "notes"]
        widgets = {"postal_address": forms.Textarea(attrs={"rows": 3}), "notes": forms.Textarea(attrs={"rows": 3})}


class _CaseBound(forms.ModelForm):  # type: ignore[type-arg]
    """A form whose choices (stakeholders, lawyers, people) come from the case's organisation only."""

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "stakeholder" in self.fields:
            field: Any = self.fields["stakeholder"]
            field.queryset = Stakeholder.objects.filter(organisation=organisation)
        if "lawyer" in self.fields:
            lawyer: Any = self.fields["lawyer"]
            lawyer.queryset = Lawyer.objects.filter(organisation=organisation)
        if "responsible" in self.fields:
            responsible: Any = self.fields["responsible"]
            responsible.queryset = User.objects.filter(memberships__organisation=organisation,
                                                       memberships__is_active=True, is_active=True).distinct()
            responsible.label_from_instance = lambda u: u.display_name or u.email


class InterventionForm(_CaseBound):
    class Meta:
        model = Intervention
        fields = ["stakeholder", "occurred", "method", "raised_by", "asked", "response", "follow_up_on", "outcome",
                  "notes"]
        widgets = {**_dates("follow_up_on"), "asked": forms.Textarea(attrs={"rows": 3}),
                   "response": forms.Textarea(attrs={"rows": 3}), "notes": forms.Textarea(attrs={"rows": 3})}


class CadenceRuleForm(forms.Form):
    stakeholder = forms.ModelChoiceField(queryset=Stakeholder.objects.none(), label=_("Stakeholder"))
    every_days = forms.IntegerField(label=_("Raise at least every (days)"), min_value=1, max_value=3650, initial=60)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, organisation: Organisation, fixed_stakeholder: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["stakeholder"]
        field.queryset = Stakeholder.objects.filter(organisation=organisation)
        if fixed_stakeholder:
            del self.fields["stakeholder"]


class BriefForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Brief
        fields = ["summary", "asks", "health", "translation_language", "summary_translation", "asks_translation",
                  "health_translation"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in
                   ("summary", "asks", "health", "summary_translation", "asks_translation", "health_translation")}


class AdoptionForm(_CaseBound):
    class Meta:
        model = Adoption
        fields = ["adopter_kind", "adopter_name", "stakeholder", "started_on", "ended_on", "listing_consent_on",
                  "listing_withdrawn_on", "notes"]
        widgets = {**_dates("started_on", "ended_on", "listing_consent_on", "listing_withdrawn_on"),
                   "notes": forms.Textarea(attrs={"rows": 3})}


class ActivityForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = AdoptionActivity
        fields = ["occurred", "kind", "description", "url"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class LawyerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=300)
    country = forms.CharField(label=_("Bar (country code)"), max_length=2, required=False)
    contact = forms.CharField(label=_("Contact details (sealed)"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("Encrypted before it is stored; shown again only to a client's case team "
                                          "after re-authentication, with a reason."))
    notes = forms.CharField(label=_("Notes (case team only)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class LegalActionForm(_CaseBound):
    class Meta:
        model = LegalAction
        fields = ["kind", "forum", "lawyer", "responsible", "filed_on", "deadline", "status", "reference",
                  "decided_on", "outcome", "arguments"]
        widgets = {**_dates("deadline"), "outcome": forms.Textarea(attrs={"rows": 3}),
                   "arguments": forms.Textarea(attrs={"rows": 4})}


class UNCommunicationForm(forms.ModelForm):  # type: ignore[type-arg]
    categories = forms.MultipleChoiceField(label=_("Categories found"), required=False,
                                           choices=[(c, c) for c in v.WGAD_CATEGORIES],
                                           widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = UNCommunication
        fields = ["mechanism", "kind", "submitted_on", "transmitted_on", "reference", "replied_on", "opinion_number",
                  "opinion_adopted_on", "outcome", "categories", "notes"]
        widgets = {**_dates("submitted_on", "transmitted_on", "replied_on", "opinion_adopted_on"),
                   "notes": forms.Textarea(attrs={"rows": 3})}


class WGADDraftForm(forms.ModelForm):  # type: ignore[type-arg]
    reasoning_I = forms.CharField(label=_("Category I: reasoning"), required=False, widget=forms.Textarea(attrs={"rows": 2}))  # noqa: N815
    reasoning_II = forms.CharField(label=_("Category II: reasoning"), required=False, widget=forms.Textarea(attrs={"rows": 2}))  # noqa: N815
    reasoning_III = forms.CharField(label=_("Category III: reasoning"), required=False, widget=forms.Textarea(attrs={"rows": 2}))  # noqa: N815
    reasoning_IV = forms.CharField(label=_("Category IV: reasoning"), required=False, widget=forms.Textarea(attrs={"rows": 2}))  # noqa: N815
    reasoning_V = forms.CharField(label=_("Category V: reasoning"), required=False, widget=forms.Textarea(attrs={"rows": 2}))  # noqa: N815

    class Meta:
        model = WGADDraft
        fields = ["family_name", "given_names", "id_document", "residence", "arrest_place", "arrest_forces",
                  "warrant_shown", "warrant_authority", "arrest_reasons", "detention_forces", "detention_authority",
                  "circumstances", "remedies_explanation", "consent_to_submit", "submitter_name",
                  "submitter_address", "submitter_email", "submitter_phone"]
        widgets = {name: forms.Textarea(attrs={"rows": 2}) for name in
                   ("id_document", "residence", "arrest_place", "arrest_forces", "warrant_authority", "arrest_reasons",
                    "detention_forces", "detention_authority", "submitter_address")}
        widgets["circumstances"] = forms.Textarea(attrs={"rows": 6})
        widgets["remedies_explanation"] = forms.Textarea(attrs={"rows": 3})

    def draft_data(self) -> dict[str, Any]:
        data = {k: v for k, v in data_of(self).items() if not k.startswith("reasoning_")}
        if all(f"reasoning_{c}" in self.fields for c in v.WGAD_CATEGORIES):
            data["category_reasoning"] = {c: self.cleaned_data.get(f"reasoning_{c}", "") for c in v.WGAD_CATEGORIES
                                          if self.cleaned_data.get(f"reasoning_{c}", "").strip()}
        return data


class LetterForm(forms.Form):
    case = forms.ModelChoiceField(queryset=Case.objects.none(), label=_("About the case"))
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Letter"), widget=forms.Textarea(attrs={"rows": 10}))

    def __init__(self, *args: Any, cases: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["case"]
        field.queryset = cases
        field.label_from_instance = lambda c: f"{c.person.display_name} — {c.get_theme_display()} ({c.jurisdiction})"


class DossierForm(forms.Form):
    audience = forms.ChoiceField(label=_("Audience"), choices=v.DossierAudience.choices)
    language = forms.ChoiceField(label=_("Second language"), choices=v.DOSSIER_LANGUAGES, initial="ar")
    case = forms.ModelChoiceField(queryset=Case.objects.none(), label=_("Case"), required=False,
                                  empty_label=_("All the person's cases"))
    recipient = forms.CharField(label=_("Recipient (printed on every page)"), max_length=300)
    stakeholder = forms.ModelChoiceField(queryset=Stakeholder.objects.none(), required=False,
                                         label=_("Recipient in the stakeholders"))
    reason = forms.CharField(label=_("Reason (kept in the audit trail)"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, organisation: Organisation, cases: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        case: Any = self.fields["case"]
        case.queryset = cases
        case.label_from_instance = lambda c: f"{c.get_theme_display()} ({c.jurisdiction}) #{c.pk}"
        stakeholder: Any = self.fields["stakeholder"]
        stakeholder.queryset = Stakeholder.objects.filter(organisation=organisation)


class ExportForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=[("pdf", "PDF"), ("docx", "DOCX")])
    recipient = forms.CharField(label=_("Recipient (printed on the draft)"), max_length=300)
    reason = forms.CharField(label=_("Reason (kept in the audit trail)"), widget=forms.Textarea(attrs={"rows": 2}))


class ToolkitForm(forms.Form):
    action = forms.ChoiceField(choices=[("pdf", _("Download as PDF")), ("email", _("E-mail to the adopter"))])
    reason = forms.CharField(label=_("Reason (kept in the audit trail)"), required=False, max_length=500)


class RevealForm(forms.Form):
    reason = forms.CharField(label=_("Why do you need to see this?"), widget=forms.Textarea(attrs={"rows": 2}))

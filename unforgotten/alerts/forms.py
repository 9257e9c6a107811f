"""Forms of the alerts workspace: they validate and say what to fix; the action functions save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from unforgotten.alerts import vocabularies as v

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class RaiseForm(forms.Form):
    # A number rather than a list of every case: an organisation may hold a million; the case
    # page's "Raise an alert" link fills it in.
    case = forms.IntegerField(label=_("case"), required=False, min_value=1,
                              help_text=_("The case number shown on the person's page."))
    kind = forms.ChoiceField(label=_("what happened"), choices=v.Kind.choices[:-1])
    severity = forms.ChoiceField(label=_("severity"), choices=v.Severity.choices, initial=v.Severity.HIGH)
    occurred_on = forms.DateField(label=_("when it happened"), required=False, widget=DATE_INPUT)
    summary = forms.CharField(label=_("what we know"), widget=forms.Textarea(attrs={"rows": 4}))
    internal_notes = forms.CharField(label=_("internal notes (case team only)"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 3}))


class MoveForm(forms.Form):
    to = forms.ChoiceField(choices=[(s.value, s.label) for s in v.State if s != v.State.RAISED])
    note = forms.CharField(label=_("note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class PublicTextForm(forms.Form):
    language = forms.ChoiceField(label=_("language"), choices=settings.LANGUAGES)
    title = forms.CharField(label=_("headline"), max_length=200,
                            help_text=_('e.g. "Activist faces detention and travel ban"'))
    situation = forms.CharField(label=_("what is happening"), widget=forms.Textarea(attrs={"rows": 5}))
    what_to_do = forms.CharField(label=_("what to do now"), widget=forms.Textarea(attrs={"rows": 5}),
                                 help_text=_("Concrete actions, one per line."))


class ShiftForm(forms.Form):
    user = forms.TypedChoiceField(label=_("who"), coerce=int)
    starts_at = forms.DateTimeField(label=_("from (UTC)"), widget=DATETIME_INPUT)
    ends_at = forms.DateTimeField(label=_("until (UTC)"), widget=DATETIME_INPUT)
    role = forms.ChoiceField(label=_("role"), choices=v.ShiftRole.choices)
    note = forms.CharField(label=_("note"), required=False, max_length=200)

    def __init__(self, *args: Any, members: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = members  # type: ignore[attr-defined]


class WebhookForm(forms.Form):
    label = forms.CharField(label=_("name"), max_length=100, help_text=_('e.g. "Coalition phone tree"'))
    url = forms.URLField(label=_("address"), max_length=500, assume_scheme="https",
                         help_text=_("Where the signed POSTs go (https)."))


class LimitsForm(forms.Form):
    """The organisation's escalation limits; the bounds are checked again by the action (one place decides)."""

    verify_critical_hours = forms.IntegerField(label=_("critical: remind when not verified within (hours)"),
                                               min_value=1, max_value=v.VERIFY_HOURS_MAX)
    act_critical_hours = forms.IntegerField(label=_("critical: escalate when no action within (hours)"),
                                            min_value=1, max_value=v.ACT_HOURS_MAX)
    verify_high_hours = forms.IntegerField(label=_("high: remind when not verified within (hours)"),
                                           min_value=1, max_value=v.VERIFY_HOURS_MAX)
    act_high_hours = forms.IntegerField(label=_("high: escalate when no action within (hours)"),
                                        min_value=1, max_value=v.ACT_HOURS_MAX)
    verify_medium_hours = forms.IntegerField(label=_("medium: remind when not verified within (hours)"),
                                             min_value=1, max_value=v.VERIFY_HOURS_MAX)
    act_medium_hours = forms.IntegerField(label=_("medium: escalate when no action within (hours)"),
                                          min_value=1, max_value=v.ACT_HOURS_MAX)
    proof_of_life_days = forms.IntegerField(
        label=_("days without proof of life before an alert"), min_value=1, max_value=v.PROOF_OF_LIFE_DAYS_MAX,
        help_text=_("For cases without a rule of their own."))

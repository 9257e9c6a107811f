"""Forms of the monitoring screens: they validate and say what to fix; the action functions save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from unforgotten.monitoring import vocabularies as v

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ContactForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=v.ContactKind.choices)
    occurred_on = forms.DateField(label=_("when"), widget=DATE_INPUT)
    facility = forms.TypedChoiceField(label=_("where"), coerce=int, required=False, empty_value=None)
    summary = forms.CharField(label=_("what happened"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    notes = forms.CharField(label=_("notes for the case team"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, facilities: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["facility"].choices = [("", "—"), *facilities]  # type: ignore[attr-defined]


class HealthForm(forms.Form):
    recorded_on = forms.DateField(label=_("as of"), widget=DATE_INPUT)
    level = forms.ChoiceField(label=_("health"), choices=v.HealthLevel.choices)
    details = forms.CharField(label=_("details"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    needs = forms.CharField(label=_("medical needs"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RuleForm(forms.Form):
    days = forms.IntegerField(label=_("raise an alert after this many days without proof of life"),
                              min_value=1, max_value=3650, initial=v.DEFAULT_DAYS)
    active = forms.BooleanField(label=_("active"), required=False, initial=True)


class ConditionsForm(forms.Form):
    reported_on = forms.DateField(label=_("as of"), widget=DATE_INPUT)
    overall = forms.ChoiceField(label=_("overall"), choices=v.Rating.choices)
    food = forms.ChoiceField(label=_("food and water"), choices=[("", "—"), *v.Rating.choices], required=False)
    medical_access = forms.ChoiceField(label=_("medical access"), choices=[("", "—"), *v.Rating.choices],
                                       required=False)
    overcrowding = forms.BooleanField(label=_("overcrowded"), required=False)
    summary = forms.CharField(label=_("what was reported"), widget=forms.Textarea(attrs={"rows": 4}))
    source_note = forms.CharField(label=_("who reported it (your organisation only)"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))

"""The newsletter sign-up form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from unforgotten.intake.forms import plain_text


class SignUpForm(forms.Form):
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254, validators=[plain_text])
    consent = forms.BooleanField(label="", required=True, error_messages={
        "required": _("Tick the box to say that you want the newsletter.")})
    # Honeypot, hidden by the stylesheet (see unforgotten/core/antispam.py).
    website = forms.CharField(label=_("Leave this field empty"), required=False, max_length=500)
    form_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        self.fields["email"].widget.attrs.update({"autocomplete": "email"})

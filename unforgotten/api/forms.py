from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from unforgotten.api.models import Scope


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("Where the token is used, e.g. 'coalition sync'."))
    scopes = forms.MultipleChoiceField(label=_("Scopes"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple,
                                       error_messages={"required": _("Choose at least one scope.")})

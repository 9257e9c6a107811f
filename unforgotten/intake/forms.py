"""Forms of the intake: the public suggestion form and the caseworkers' decisions."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from unforgotten.core.countries import country_choices
from unforgotten.core.fields import PartialDateFormField
from unforgotten.core.widgets import QuickSelect
from unforgotten.publishing.formatting import babel_locale

# Control characters other than tab and line breaks have no place in a name or a story.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u202a-\u202e\u2066-\u2069]")
MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?]")


def plain_text(value: str) -> None:
    if CONTROL.search(value or ""):
        raise ValidationError(_("Remove the invisible control characters from this text."), code="control")
    if MARKUP.search(value or ""):
        raise ValidationError(_("Please write plain text, without HTML."), code="markup")


class PublicPartialDateField(PartialDateFormField):
    """A partial date whose error is the translated sentence, not the parser's English detail.

    The help and error wordings are core's, repeated here so that the public
    form's catalogue (intake/locale) carries their translations.
    """

    default_error_messages = {
        "invalid": _("Enter a year (2021), a month (2021-03) or a full date (2021-03-05), or leave it empty."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", _("Year, year-month or full date: 2021, 2021-03 or 2021-03-05."))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        try:
            return super().to_python(value)
        except ValidationError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class SuggestionForm(forms.Form):
    person_name = forms.CharField(label=_("Name of the person"), max_length=300, validators=[plain_text])
    other_names = forms.CharField(label=_("Other names or spellings"), max_length=500, required=False,
                                  validators=[plain_text])
    # ~250 countries: the quick select renders them without a template per option (the page's main cost otherwise).
    country = forms.ChoiceField(label=_("Country where the person is held"), required=False, widget=QuickSelect)
    place_held = forms.CharField(label=_("Where the person is held (prison, town)"), max_length=300, required=False,
                                 validators=[plain_text])
    held_since = PublicPartialDateField(label=_("Held since"), required=False)
    reason = forms.CharField(label=_("Why is the person held?"), max_length=5000, validators=[plain_text],
                             widget=forms.Textarea(attrs={"rows": 6}))
    sources = forms.CharField(label=_("Sources (links, reports)"), max_length=5000, required=False,
                              validators=[plain_text], widget=forms.Textarea(attrs={"rows": 3}))
    contact_name = forms.CharField(label=_("Your name (optional)"), max_length=200, required=False,
                                   validators=[plain_text])
    contact = forms.CharField(label=_("How we can reach you (optional)"), max_length=300, required=False,
                              validators=[plain_text])
    # Honeypot: hidden by the stylesheet; people leave it empty, form-filling robots do not.
    website = forms.CharField(label=_("Leave this field empty"), required=False, max_length=500)
    form_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)

    def __init__(self, *args: Any, language: str = "en", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["country"]
        field.choices = [("", _("I do not know"))] + country_choices(str(babel_locale(language)))
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AcceptForm(DecisionForm):
    name = forms.CharField(label=_("Name of the new record"), max_length=300, validators=[plain_text])
    country = forms.CharField(label=_("Country of the case (ISO code)"), max_length=2)
    open_case = forms.BooleanField(label=_("Open a case too"), required=False, initial=True)


class LinkForm(DecisionForm):
    person = forms.UUIDField(label=_("Existing record"))


class RevealForm(forms.Form):
    reason = forms.CharField(label=_("Why do you need the suggester's contact?"), max_length=500)

"""Forms of the letters app: the public letter forms, and the workspace forms."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from unforgotten.actions import abuse, supporters
from unforgotten.actions.actions import clean_text
from unforgotten.actions.models import Target
from unforgotten.letters.actions import BATCH_STATUSES
from unforgotten.letters.models import (
    MAX_LETTER,
    MAX_SENDER,
    CampaignTemplate,
    Channel,
    LetterBox,
    ReplyStance,
)


def _clean(value: str, limit: int, field: str, multiline: bool = False) -> str:
    try:
        return clean_text(value, limit=limit, field=field, multiline=multiline)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict[field]) from None


class _Public(forms.Form):
    # The honeypot: hidden from people by the stylesheet and from assistive technology; robots fill every field.
    website = forms.CharField(required=False, label=_("Leave this field empty"),
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))
    altcha = forms.CharField(required=False, widget=forms.HiddenInput, max_length=4096)

    @property
    def honeypot(self) -> str:
        return str(self.data.get(abuse.HONEYPOT_FIELD, ""))


class PrisonerLetterForm(_Public):
    body = forms.CharField(label=_("Your letter"), max_length=MAX_LETTER * 4,
                           widget=forms.Textarea(attrs={"rows": 10, "dir": "auto"}),
                           help_text=_("Any language. Up to 5,000 characters. Write about hope and the outside "
                                       "world; nothing about the case, the prison or other prisoners."))
    sender_name = forms.CharField(label=_("Your name, printed on the letter (optional)"), required=False,
                                  max_length=MAX_SENDER * 4, widget=forms.TextInput(attrs={"dir": "auto"}))
    sender_address = forms.CharField(label=_("Your town or address, printed on the letter (optional)"),
                                     required=False, max_length=MAX_SENDER * 4,
                                     widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}))
    sender_email = forms.CharField(label=_("Your e-mail address, if we may ask you to change the letter (optional)"),
                                   required=False, max_length=supporters.MAX_EMAIL + 100,
                                   widget=forms.EmailInput(attrs={"autocomplete": "email"}),
                                   help_text=_("Never printed, never given to anyone."))

    def clean_body(self) -> str:
        return _clean(self.cleaned_data.get("body", ""), MAX_LETTER, "body", multiline=True)

    def clean_sender_name(self) -> str:
        return _clean(self.cleaned_data.get("sender_name", ""), MAX_SENDER, "sender_name")

    def clean_sender_address(self) -> str:
        return _clean(self.cleaned_data.get("sender_address", ""), MAX_SENDER, "sender_address", multiline=True)

    def clean_sender_email(self) -> str:
        value = str(self.cleaned_data.get("sender_email", "")).strip()
        return supporters.normalise_email(value) if value else ""


class ReviseForm(forms.Form):
    body = forms.CharField(label=_("Your letter"), max_length=MAX_LETTER * 4,
                           widget=forms.Textarea(attrs={"rows": 10, "dir": "auto"}))

    def clean_body(self) -> str:
        return _clean(self.cleaned_data.get("body", ""), MAX_LETTER, "body", multiline=True)


class OfficialLetterForm(_Public):
    body = forms.CharField(label=_("Your letter"), max_length=MAX_LETTER * 4,
                           widget=forms.Textarea(attrs={"rows": 14, "dir": "auto"}),
                           help_text=_("Edit it as you like. The greeting and your signature are added for each "
                                       "person it goes to."))
    sender_name = forms.CharField(label=_("Your name, to sign the letter"), max_length=MAX_SENDER * 4,
                                  widget=forms.TextInput(attrs={"autocomplete": "name", "dir": "auto"}))
    sender_place = forms.CharField(label=_("Your town and country (optional)"), required=False,
                                   max_length=MAX_SENDER * 4, widget=forms.TextInput(attrs={"dir": "auto"}))
    email = forms.CharField(label=_("E-mail address"), max_length=supporters.MAX_EMAIL + 100,
                            widget=forms.EmailInput(attrs={"autocomplete": "email"}),
                            help_text=_("Only to confirm your letter. Never shown, never given to the people "
                                        "you write to."))
    newsletter = forms.BooleanField(label=_("Send me the organisation's newsletter."), required=False)

    def clean_body(self) -> str:
        return _clean(self.cleaned_data.get("body", ""), MAX_LETTER, "body", multiline=True)

    def clean_sender_name(self) -> str:
        return _clean(self.cleaned_data.get("sender_name", ""), MAX_SENDER, "sender_name")

    def clean_sender_place(self) -> str:
        return _clean(self.cleaned_data.get("sender_place", ""), MAX_SENDER, "sender_place")

    def clean_email(self) -> str:
        return supporters.normalise_email(self.cleaned_data.get("email", ""))


# --- workspace -------------------------------------------------------------------------------------


class LetterBoxForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = LetterBox
        fields = ["is_open", "guidance", "deliver_via"]


class ModerateForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[
        ("approve", _("Approve")), ("request_changes", _("Ask the sender for changes")), ("reject", _("Reject"))],
        widget=forms.RadioSelect)
    print_sender = forms.BooleanField(label=_("Print the sender's name and address"), required=False)
    note = forms.CharField(label=_("Note to the sender (for a change request)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))


class DeliveryForm(forms.Form):
    status = forms.ChoiceField(label=_("Delivery"), choices=[(s.value, s.label) for s in BATCH_STATUSES])
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Internal name"), max_length=200)
    slug = forms.SlugField(label=_("Public address"), max_length=120)
    channel = forms.ChoiceField(label=_("Sent"), choices=Channel.choices)
    default_language = forms.ChoiceField(label=_("Main language"), choices=())
    targets = forms.ModelMultipleChoiceField(queryset=Target.objects.none(), required=False, label=_("Targets"),
                                             widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["default_language"]).choices = list(settings.LANGUAGES)
        cast("forms.ModelMultipleChoiceField[Target]", self.fields["targets"]).queryset = Target.objects.filter(
            organisation_id=organisation_id)

    def data_for_action(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in ("name", "slug", "channel", "default_language")}


class TemplateForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = CampaignTemplate
        fields = ["title", "summary", "subject", "body"]


class ReplyForm(forms.Form):
    received_on = forms.DateField(label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"}))
    stance = forms.ChoiceField(label=_("Stance"), choices=ReplyStance.choices)
    summary = forms.CharField(label=_("What the reply says"), widget=forms.Textarea(attrs={"rows": 4}))


class HandOverForm(forms.Form):
    old = forms.ModelChoiceField(queryset=Target.objects.none(), label=_("Who held the office"))
    new = forms.ModelChoiceField(queryset=Target.objects.none(), label=_("Who holds it now"))

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("old", "new"):
            cast("forms.ModelChoiceField[Target]", self.fields[name]).queryset = Target.objects.filter(
                organisation_id=organisation_id)

"""Forms of take-action: the public signing and data-request forms, and the campaigners' workspace forms."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from unforgotten.actions import abuse, supporters
from unforgotten.actions.actions import MAX_COMMENT, MAX_NAME, clean_text
from unforgotten.actions.models import Petition, PetitionText, Target
from unforgotten.core.countries import country_choices
from unforgotten.registry.models import Person


class SignForm(forms.Form):
    email = forms.CharField(label=_("E-mail address"), max_length=supporters.MAX_EMAIL + 100,
                            help_text=_("Only to confirm your signature. Never shown, never given to the targets."),
                            widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    given_name = forms.CharField(label=_("Given name (optional)"), required=False, max_length=MAX_NAME * 10)
    country = forms.ChoiceField(label=_("Country (optional)"), required=False, choices=())
    comment = forms.CharField(label=_("Comment (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("We may print it, without your name, in the petition we deliver."))
    newsletter = forms.BooleanField(label=_("Send me the organisation's newsletter."), required=False)
    show_name = forms.BooleanField(label=_("Show my given name and country among the signers."), required=False)
    # The honeypot: hidden from people by CSS and from assistive technology; bots fill every field.
    website = forms.CharField(required=False, label=_("Leave this field empty"),
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))
    altcha = forms.CharField(required=False, widget=forms.HiddenInput, max_length=4096)

    def __init__(self, *args: Any, petition: Petition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = translation.get_language() or "en"
        cast(forms.ChoiceField, self.fields["country"]).choices = _countries(language)
        if not petition.show_signer_names:
            del self.fields["show_name"]

    def clean_email(self) -> str:
        return supporters.normalise_email(self.cleaned_data.get("email", ""))

    def clean_given_name(self) -> str:
        return _clean(self.cleaned_data.get("given_name", ""), MAX_NAME, "given_name")

    def clean_comment(self) -> str:
        return _clean(self.cleaned_data.get("comment", ""), MAX_COMMENT, "comment", multiline=True)

    def consents(self) -> list[str]:
        return [name for name in ("newsletter", "show_name") if self.cleaned_data.get(name)]

    @property
    def honeypot(self) -> str:
        return str(self.data.get(abuse.HONEYPOT_FIELD, ""))


@lru_cache(maxsize=16)
def _countries(language: str) -> list[tuple[str, str]]:
    # Built once per language and process: some 250 names through CLDR on every POST would cost more
    # than the signature itself.
    return [("", "—"), *country_choices(language)]


def _clean(value: str, limit: int, field: str, multiline: bool = False) -> str:
    try:
        return clean_text(value, limit=limit, field=field, multiline=multiline)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict[field]) from None


class DataRequestForm(forms.Form):
    email = forms.CharField(label=_("E-mail address"), max_length=supporters.MAX_EMAIL + 100,
                            widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    website = forms.CharField(required=False, label=_("Leave this field empty"),
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))

    def clean_email(self) -> str:
        return supporters.normalise_email(self.cleaned_data.get("email", ""))


# --- workspace -------------------------------------------------------------------------------------


class TargetForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Target
        fields = ["kind", "name", "title", "institution", "country", "email", "postal_address", "phone", "notes"]


class PetitionForm(forms.ModelForm):  # type: ignore[type-arg]
    targets = forms.ModelMultipleChoiceField(queryset=Target.objects.none(), required=False, label=_("Targets"),
                                             widget=forms.CheckboxSelectMultiple)
    # A registry may hold a million people: named by their public address (slug), not picked from a list.
    people = forms.CharField(label=_("For these people"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("The registry addresses (slugs) of the people this petition is for, one "
                                         "per line. Their public profiles list it while it is open."))

    class Meta:
        model = Petition
        fields = ["name", "slug", "default_language", "goal", "deadline", "show_signer_names",
                  "anonymise_after_months"]
        widgets = {"deadline": forms.DateTimeInput(attrs={"type": "datetime-local"}),
                   "default_language": forms.Select(choices=[])}

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django.conf import settings

        self.fields["default_language"].widget.choices = list(settings.LANGUAGES)
        cast("forms.ModelMultipleChoiceField[Target]", self.fields["targets"]).queryset = Target.objects.filter(organisation_id=organisation_id)
        self.organisation_id = organisation_id
        if self.instance.pk:
            self.fields["targets"].initial = list(self.instance.targets.values_list("pk", flat=True))
            self.fields["people"].initial = "\n".join(self.instance.people.order_by("slug").values_list(
                "slug", flat=True))

    def clean_people(self) -> list[Person]:
        slugs = sorted({s.strip() for s in str(self.cleaned_data.get("people") or "").replace(",", "\n").split()
                        if s.strip()})
        if len(slugs) > 100:
            raise ValidationError(_("Name at most 100 people."))
        found = list(Person.objects.filter(organisation_id=self.organisation_id, slug__in=slugs))
        missing = sorted(set(slugs) - {p.slug for p in found})
        if missing:
            raise ValidationError(_("No person of your registry has this address: %(slugs)s") % {
                "slugs": ", ".join(missing[:10])})
        return found

    def data_for_action(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class PetitionTextForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = PetitionText
        fields = ["title", "summary", "body"]


class InvalidateForm(forms.Form):
    quarantine = forms.ChoiceField(label=_("Quarantined as"), required=False, choices=())
    signed_from = forms.DateTimeField(label=_("Signed from"), required=False,
                                      widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    signed_until = forms.DateTimeField(label=_("Signed before"), required=False,
                                       widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    reason = forms.CharField(label=_("Why"), max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from unforgotten.actions.models import QuarantineReason

        cast(forms.ChoiceField, self.fields["quarantine"]).choices = [("", _("any (not only quarantined)")), ("*", _("any quarantine")),
                                             *[(c.value, c.label) for c in QuarantineReason if c.value]]

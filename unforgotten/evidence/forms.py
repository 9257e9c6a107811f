from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from unforgotten.evidence.models import CollectionMethod
from unforgotten.registry.models import Case, Person, Source

REASON_HELP = _("Recorded in the item's chain of custody and the audit trail.")


class UploadForm(forms.Form):
    """The metadata of an upload; the file itself arrives through the evidence upload handler."""

    title = forms.CharField(label=_("Title"), max_length=200,
                            help_text=_("What the file is, without naming anyone who must stay unnamed."))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    source = forms.ModelChoiceField(label=_("Provided by source"), queryset=Source.objects.none(), required=False,
                                    help_text=_("Sources are shown by their label; their identities stay sealed."))
    case = forms.ModelChoiceField(label=_("About the case"), queryset=Case.objects.none(), required=False)
    collection_method = forms.ChoiceField(label=_("How it was collected"), choices=CollectionMethod.choices,
                                          initial=CollectionMethod.RECEIVED)
    collected_url = forms.URLField(label=_("Collected from (URL)"), required=False, max_length=1000, assume_scheme="https")
    collected_on = forms.DateField(label=_("Collected on"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))
    sha256 = forms.CharField(label=_("SHA-256 of the file (optional)"), required=False, max_length=80,
                             help_text=_("If you give the file's SHA-256, the upload is stored only when the bytes "
                                         "that arrive match it."))
    purpose = forms.CharField(label=_("Why it is being added"), required=False, max_length=500, help_text=REASON_HELP)

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = Source.objects.filter(organisation_id=person.organisation_id).order_by("label")  # type: ignore[attr-defined]
        self.fields["case"].queryset = Case.objects.filter(person=person).order_by("id")  # type: ignore[attr-defined]
        self.fields["case"].label_from_instance = lambda c: _("Case opened %(date)s") % {"date": c.opened_on}  # type: ignore[attr-defined]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, help_text=REASON_HELP)


class PublishForm(forms.Form):
    publishable = forms.BooleanField(label=_("Publishable"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=500, help_text=REASON_HELP)

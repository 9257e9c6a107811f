"""Forms of the publishing workspace: they validate and say what to fix; the action functions save."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from unforgotten.publishing.models import STORY_MAX_CHARS


class ProfileForm(forms.Form):
    story = forms.CharField(label=_("Story"), required=False, max_length=STORY_MAX_CHARS,
                            widget=forms.Textarea(attrs={"rows": 14}),
                            help_text=_("Plain text; a blank line starts a new paragraph. Shown only while the "
                                        "person's story consent stands."))
    featured = forms.BooleanField(label=_("Feature on the home page"), required=False)
    publish_at = forms.DateTimeField(label=_("Publish at (UTC)"), required=False,
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                     help_text=_("Leave empty to publish as soon as it is approved."))

    def data_for_action(self) -> dict[str, Any]:
        return {key: self.cleaned_data[key] for key in ("story", "featured", "publish_at")}


class NewProfileForm(ProfileForm):
    person = forms.UUIDField(label=_("Person (registry ID)"),
                             help_text=_("The ID at the end of the person's registry address."))
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    field_order = ["person", "language", "story", "featured", "publish_at"]

    def person_uuid(self) -> uuid.UUID:
        return self.cleaned_data["person"]  # type: ignore[no-any-return]

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


# --- stories, campaigns, resources, videos (issue 6, decision 0017) ---

from unforgotten.publishing.models import BODY_MAX_CHARS, TITLE_MAX, ResourceKind  # noqa: E402

NETWORK_LABELS = {"x": "X", "mastodon": "Mastodon", "bluesky": "Bluesky", "facebook": "Facebook",
                  "telegram": "Telegram", "whatsapp": "WhatsApp"}


class ItemForm(forms.Form):
    """What every kind shares; a kind's form adds its own fields. Validates only: the action saves."""

    slug = forms.SlugField(label=_("Address"), max_length=80,
                           help_text=_("Lowercase letters, digits and hyphens; the same for every translation."))
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    publish_at = forms.DateTimeField(label=_("Publish at (UTC)"), required=False,
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                     help_text=_("Leave empty to publish as soon as it is approved."))
    # Fields that go to the action as they are (others are resolved by the view: people, series).
    PLAIN: tuple[str, ...] = ("slug", "title", "publish_at")

    def data_for_action(self) -> dict[str, Any]:
        return {key: self.cleaned_data[key] for key in self.PLAIN if key in self.cleaned_data}


class StoryForm(ItemForm):
    body = forms.CharField(label=_("Story"), max_length=BODY_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 14}),
                           help_text=_("Plain text; a blank line starts a new paragraph. Shown only while the "
                                       "family's story consent stands."))
    person = forms.UUIDField(label=_("About (registry ID)"),
                             help_text=_("The ID at the end of the person's registry address."))
    series = forms.SlugField(label=_("Series (address)"), required=False,
                             help_text=_("Leave empty for a story on its own."))
    position = forms.IntegerField(label=_("Place in the series"), min_value=0, max_value=1_000_000, initial=0)
    show_photo = forms.BooleanField(label=_("Show the portrait (only with photo consent)"), required=False)
    PLAIN = ("slug", "title", "body", "position", "show_photo", "publish_at")


class CampaignForm(ItemForm):
    hashtag = forms.CharField(label=_("Hashtag"), max_length=60)
    summary = forms.CharField(label=_("Summary"), max_length=4000, required=False,
                              widget=forms.Textarea(attrs={"rows": 5}))
    people = forms.CharField(label=_("People (registry IDs, one a line)"), required=False,
                             widget=forms.Textarea(attrs={"rows": 5}))
    audience_timezones = forms.CharField(
        label=_("Audience time zones (one a line)"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("IANA names such as Europe/Moscow or Asia/Tehran: the share kit suggests posting times there."))
    PLAIN = ("slug", "title", "hashtag", "summary", "publish_at")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for network, name in NETWORK_LABELS.items():
            self.fields[f"share_{network}"] = forms.CharField(
                label=_("Ready text for %(network)s") % {"network": name}, required=False, max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}))

    def data_for_action(self) -> dict[str, Any]:
        data = super().data_for_action()
        data["share_texts"] = {n: self.cleaned_data.get(f"share_{n}", "") for n in NETWORK_LABELS
                               if self.cleaned_data.get(f"share_{n}")}
        # Checked by the action (an unknown zone comes back as this field's error).
        data["audience_timezones"] = str(self.cleaned_data.get("audience_timezones") or "").split()
        return data

    def people_ids(self) -> list[uuid.UUID]:
        ids = []
        for line in str(self.cleaned_data.get("people") or "").split():
            try:
                ids.append(uuid.UUID(line.strip()))
            except ValueError:
                self.add_error("people", _("“%(value)s” is not a registry ID.") % {"value": line[:40]})
        return ids


class ResourceForm(ItemForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=ResourceKind.choices)
    summary = forms.CharField(label=_("Summary"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    body = forms.CharField(label=_("Text (HTML)"), max_length=BODY_MAX_CHARS, required=False,
                           widget=forms.Textarea(attrs={"rows": 14}),
                           help_text=_("Paragraphs, headings, lists, links and emphasis; anything else is removed."))
    PLAIN = ("slug", "title", "kind", "summary", "body", "publish_at")


class VideoForm(ItemForm):
    description = forms.CharField(label=_("Description"), max_length=4000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 5}))
    PLAIN = ("slug", "title", "description", "publish_at")


class NewItemMixin(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


class FileForm(forms.Form):
    file = forms.FileField(label=_("File"))


class CaptionsForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the captions"), choices=settings.LANGUAGES)
    captions = forms.FileField(label=_("Captions (WebVTT)"))


class SeriesForm(forms.Form):
    slug = forms.SlugField(label=_("Address"), max_length=80)
    hashtag = forms.CharField(label=_("Hashtag"), max_length=60)
    daily_at = forms.TimeField(label=_("Daily release time (UTC)"), widget=forms.TimeInput(attrs={"type": "time"}))

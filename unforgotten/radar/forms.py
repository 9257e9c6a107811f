"""Forms of the radar's workspace: they validate and say what to fix; the action functions save."""

from __future__ import annotations

from django import forms

from unforgotten.radar.models import MediaMention


class MediaMentionForm(forms.ModelForm):  # type: ignore[type-arg]
    """Used for its field rules only: never given a stored record, never saved (the actions save)."""

    class Meta:
        model = MediaMention
        fields = ["outlet", "url", "published", "language", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

"""The public RSVP form and the workspace's event forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from unforgotten.events.models import Event, Kind
from unforgotten.intake.forms import plain_text


class RsvpForm(forms.Form):
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254, validators=[plain_text])
    consent = forms.BooleanField(label="", required=True, error_messages={
        "required": _("Tick the box to agree to the use of your address.")})
    # Honeypot, hidden by the stylesheet (see unforgotten/core/antispam.py).
    website = forms.CharField(label=_("Leave this field empty"), required=False, max_length=500)
    form_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        self.fields["email"].widget.attrs.update({"autocomplete": "email"})


class EventForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Event
        fields = ["slug", "kind", "default_language", "starts_at", "ends_at", "timezone", "all_day", "recurs_yearly",
                  "country", "location", "online_link", "details_after_rsvp", "hidden_location", "hidden_link",
                  "rsvp_open"]
        widgets = {"starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
                   "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"})}
        help_texts = {"starts_at": "Local time in the event's time zone.", "ends_at": "Local time in the event's time zone."}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Hearings make their own trial-monitoring events (sync); a person cannot pick that kind.
        self.fields["kind"] = forms.ChoiceField(
            label="Kind", choices=[c for c in Kind.choices if c[0] != Kind.TRIAL_MONITORING])
        self.fields["default_language"] = forms.ChoiceField(choices=settings.LANGUAGES, label="Main language")

    def clean(self) -> dict[str, Any]:
        import zoneinfo

        from django.utils import timezone

        data = super().clean() or {}
        zone_name = data.get("timezone") or "UTC"
        try:
            zone = zoneinfo.ZoneInfo(zone_name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return data
        # The form's times are wall-clock times where the event happens, not in the server's zone.
        for name in ("starts_at", "ends_at"):
            value = data.get(name)
            if value is not None:
                naive = timezone.make_naive(value) if timezone.is_aware(value) else value
                data[name] = naive.replace(tzinfo=zone)
        return data


class TextForm(forms.Form):
    title = forms.CharField(max_length=300)
    description = forms.CharField(widget=forms.Textarea, required=False, max_length=10_000)

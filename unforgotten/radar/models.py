"""The forgotten-case radar (issue 9, item 3): an attention ledger per case, and logged media mentions.

``Attention`` is derived data, one row per case: the last day of each kind of
attention the case received (public action, intervention, media mention,
contact), the day a missing signal counts from (the baseline), and the stored
sort key of the index. It is kept in step by ``actions.note_attention`` (other
apps call it when something happens), by the registry's saves (signals.py) and
rebuilt from the sources by ``recompute`` (decision 0020 gives the formula).

``MediaMention`` is a record of the organisation's work like any other: owned,
classed field by field, changed only through action functions.
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unforgotten.core.fields import PartialDateField
from unforgotten.policy.sensitivity import Sensitivity
from unforgotten.registry.models import Case, Owned

C = Sensitivity.COALITION
INTERNAL = Sensitivity.INTERNAL


class Signal(models.TextChoices):
    """The four kinds of attention a case can receive (the names other apps pass to ``note_attention``)."""

    PUBLIC_ACTION = "public_action", _("public action")
    INTERVENTION = "intervention", _("intervention")
    MEDIA = "media", _("media mention")
    CONTACT = "contact", _("contact")


# Ledger column of each signal.
COLUMNS: dict[str, str] = {
    Signal.PUBLIC_ACTION: "last_public_action",
    Signal.INTERVENTION: "last_intervention",
    Signal.MEDIA: "last_media",
    Signal.CONTACT: "last_contact",
}


class Attention(models.Model):
    """The attention ledger of one case (derived: rebuilt by ``radar.recompute``, never edited by hand)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, primary_key=True, related_name="attention")
    # Copied from the case and its person so the radar filters and sorts a million rows on one table.
    organisation_id = models.IntegerField()
    person_id = models.IntegerField()
    country = models.CharField(max_length=2, default="")
    status = models.CharField(max_length=20, default="")
    # False for people no longer held (released, at large, in exile) or dead, and for merged records:
    # the radar lists them apart (decision 0020).
    active = models.BooleanField(default=True)
    # The highest whole-record class of the case and its person (0 when neither is raised): who may know it exists.
    floor = models.PositiveSmallIntegerField(default=0)
    last_public_action = models.DateField(null=True)
    last_intervention = models.DateField(null=True)
    last_media = models.DateField(null=True)
    last_contact = models.DateField(null=True)
    # The day a missing signal counts from: the earliest start of the person's detention, else the earliest
    # day the case can have been opened, else the day the case was recorded.
    baseline = models.DateField()
    # Σ weight × day number of each signal (missing ones at the baseline): the index is today's day number
    # times the weights' sum minus this, so sorting by it ascending is sorting by neglect, on any day.
    weighted = models.BigIntegerField(default=0)
    # The signal that is oldest (a missing one counts as at the baseline): the row's "why".
    oldest = models.CharField(max_length=20, default="")
    updated_at = models.DateTimeField(default=timezone.now)

    # Derived from classed records: dates of coalition-class events and the case's own public facts.
    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {
        "case_id": C, "country": C, "status": C, "active": C, "last_public_action": C, "last_intervention": C,
        "last_media": C, "last_contact": INTERNAL, "baseline": C, "weighted": C, "oldest": C,
    }

    class Meta:
        indexes = [
            # The radar's pages: keyset on (weighted, case) within an organisation, held or not (a status filter
            # reads this range too: statuses split held/not held), and by country (a rare country would otherwise
            # scan the whole range). No more: every index is rewritten with the row on a recompute.
            models.Index(fields=["organisation_id", "active", "weighted", "case"], name="radar_org_neglect"),
            models.Index(fields=["organisation_id", "country", "weighted", "case"], name="radar_org_country"),
        ]

    def __str__(self) -> str:
        return f"attention of case {self.case_id}"


class MediaMention(Owned):
    """A press article, broadcast or post that named the case: the outlet, the link, the day and the language."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="media_mentions")
    outlet = models.CharField(_("outlet"), max_length=200, help_text=_('e.g. "BBC Russian" or "Meduza"'))
    url = models.URLField(_("link"), max_length=1000, blank=True)
    published = PartialDateField(_("published"))
    # The earliest day ``published`` can stand for: what the radar counts from ("in March" counts from 1 March).
    published_on = models.DateField(null=True, blank=True, editable=False)
    language = models.CharField(_("language"), max_length=12, blank=True, help_text=_("e.g. en, ru, ar"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", editable=False)

    # What was published is coalition: partners may be told the case was in the press. Our reading of it is internal.
    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {
        "uuid": C, "case_id": C, "outlet": C, "url": C, "published": C, "published_on": C, "language": C,
        "note": INTERNAL, "recorded_by_id": INTERNAL,
    }

    class Meta:
        ordering = ["-published_on", "-id"]
        indexes = [models.Index(fields=["case", "-published_on"], name="media_case_date")]

    def __str__(self) -> str:
        return f"{self.outlet} ({self.published})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.published_on = self.published.earliest()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.published.is_unknown:
            errors["published"] = "Give the day, month or year it was published."
        elif self.published.definitely_after(timezone.localdate()):
            errors["published"] = f"{self.published} is in the future."
        self.language = (self.language or "").strip().lower()
        if self.language and not all(part.isalpha() for part in self.language.split("-")):
            errors["language"] = f"'{self.language}' is not a language code such as en, ru or zh-hans."
        if not (self.outlet or "").strip():
            errors["outlet"] = "Name the outlet."
        if errors:
            raise ValidationError(errors)

"""Controlled lists of monitoring, each odd decision explained."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactKind(models.TextChoices):
    """Ways we learn a detained person is alive. Each one counts as proof of life, on the day it happened."""

    FAMILY_VISIT = "family_visit", _("Family visit")
    LAWYER_VISIT = "lawyer_visit", _("Lawyer visit")
    # The day the letter was *received*: a letter written weeks earlier is still today's news
    # that the prison lets letters out, and the writing date is rarely known.
    LETTER = "letter_received", _("Letter received")
    CALL = "call", _("Call")


class HealthLevel(models.TextChoices):
    # Restricted like the rest of health data: only the case team sees even the level.
    GOOD = "good", _("Good")
    CONCERN = "concern", _("Some concern")
    SERIOUS = "serious", _("Serious")
    CRITICAL = "critical", _("Critical")
    UNKNOWN = "unknown", _("Unknown")


class Rating(models.TextChoices):
    ACCEPTABLE = "acceptable", _("Acceptable")
    POOR = "poor", _("Poor")
    SEVERE = "severe", _("Severe")


# "No proof of life for N days" when a case has no rule of its own. Thirty days: most prisons
# allow a monthly family visit or letter, so a month of silence is already unusual.
DEFAULT_DAYS = 30

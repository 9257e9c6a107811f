"""Monitoring (issue 9, item 2): contacts as proof of life, health, conditions per facility, rules.

Field classes (docs/decisions/0016-alerts-and-monitoring.md):
- that a visit, call or letter happened and when is *coalition*: partners ask "when was she last
  seen?" and the forgotten-case radar counts from it;
- who went, what was said and the facility named in a report's details are *internal*;
- health (the level and the details) is *restricted*: the case team only; a contact's notes too,
  since visits are where medical news arrives;
- conditions reports (food, cells, medical access) are *coalition*, except who reported them (*internal*): conditions by facility are
  what partners compare, and they name no prisoner.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unforgotten.core.encrypted import EncryptedTextField
from unforgotten.monitoring import vocabularies as v
from unforgotten.policy.sensitivity import Sensitivity
from unforgotten.registry.models import Case, Facility, Owned

C = Sensitivity.COALITION
INTERNAL = Sensitivity.INTERNAL
R = Sensitivity.RESTRICTED


def _not_in_future(value: object, field: str) -> None:
    if value is not None and value > timezone.localdate():  # type: ignore[operator]
        raise ValidationError({field: f"{value} is in the future."})


class Contact(Owned):
    """A family visit, lawyer visit, letter received or call: proof that the person was alive that day."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(_("kind"), max_length=20, choices=v.ContactKind.choices)
    occurred_on = models.DateField(_("when"))
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("where"))
    summary = models.TextField(_("what happened"), blank=True)
    notes = EncryptedTextField(_("notes for the case team"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", editable=False)

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {
        "uuid": C, "case_id": C, "kind": C, "occurred_on": C,
        "facility_id": INTERNAL, "summary": INTERNAL, "recorded_by_id": INTERNAL, "notes": R,
    }

    class Meta:
        ordering = ["-occurred_on", "-id"]
        # last_contact_per_case: one index range per case.
        indexes = [models.Index(fields=["case", "-occurred_on"], name="contact_case_date")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.occurred_on}"

    def clean(self) -> None:
        _not_in_future(self.occurred_on, "occurred_on")


class HealthStatus(Owned):
    """What we know of the person's health on a day. Every field is restricted."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="health_statuses")
    recorded_on = models.DateField(_("as of"))
    level = EncryptedTextField(_("health"), max_length=10, choices=v.HealthLevel.choices)
    details = EncryptedTextField(_("details"), blank=True)
    needs = EncryptedTextField(_("medical needs"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", editable=False)

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {
        "uuid": R, "case_id": R, "recorded_on": R, "level": R, "details": R, "needs": R, "recorded_by_id": R,
    }
    # Knowing that a health record exists already says something: the whole row is restricted.
    SENSITIVITY_DEFAULT = R
    # The keys and the date stay in clear to join and sort (tests/test_encrypted_fields.py); the level and
    # the texts are encrypted.
    STORED_IN_CLEAR: ClassVar[dict[str, str]] = {
        "uuid": "identifies the row", "case_id": "join", "recorded_on": "latest first", "recorded_by_id": "join",
    }

    class Meta:
        ordering = ["-recorded_on", "-id"]
        verbose_name_plural = "health statuses"

    def __str__(self) -> str:
        return f"health of case {self.case_id} on {self.recorded_on}"

    def clean(self) -> None:
        _not_in_future(self.recorded_on, "recorded_on")


class ConditionsReport(Owned):
    """Conditions in one facility on a day, as reported by a visitor, a released prisoner or a lawyer."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="conditions_reports",
                                 verbose_name=_("facility"))
    reported_on = models.DateField(_("as of"))
    overall = models.CharField(_("overall"), max_length=12, choices=v.Rating.choices)
    food = models.CharField(_("food and water"), max_length=12, choices=v.Rating.choices, blank=True)
    medical_access = models.CharField(_("medical access"), max_length=12, choices=v.Rating.choices, blank=True)
    overcrowding = models.BooleanField(_("overcrowded"), default=False)
    summary = models.TextField(_("what was reported"))
    source_note = models.TextField(_("who reported it"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", editable=False)

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {
        "uuid": C, "facility_id": C, "reported_on": C, "overall": C, "food": C, "medical_access": C,
        "overcrowding": C, "summary": C, "source_note": INTERNAL, "recorded_by_id": INTERNAL,
    }

    class Meta:
        ordering = ["-reported_on", "-id"]
        indexes = [models.Index(fields=["facility", "-reported_on"], name="conditions_facility_date")]

    def __str__(self) -> str:
        return f"conditions at {self.facility_id} on {self.reported_on}"

    def clean(self) -> None:
        _not_in_future(self.reported_on, "reported_on")


class ProofOfLifeRule(Owned):
    """"Raise an alert when nobody has had proof of life for N days." Cases without a row use DEFAULT_DAYS."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="proof_of_life_rule")
    days = models.PositiveSmallIntegerField(_("days without proof of life"), default=v.DEFAULT_DAYS)
    active = models.BooleanField(_("active"), default=True)
    # The last day the rule raised an alert for: one alert per silence, not one per run.
    last_alerted_for = models.DateField(null=True, blank=True, editable=False)

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {"days": C, "active": C}

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"case {self.case_id}: {self.days} days"

    def clean(self) -> None:
        if not 1 <= int(self.days or 0) <= 3650:
            raise ValidationError({"days": "Give a number of days between 1 and 3650."})

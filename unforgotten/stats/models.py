"""Precomputed statistics, derived from the registry and kept in step with it (decision 0015).

Nothing here is a record of anyone's work: every row can be rebuilt from the
registry at any time (``unforgotten stats-rebuild``). Rows are written only by
``unforgotten.stats.engine`` (in the transaction of the registry change that
made them stale, or by a rebuild) and read only as aggregates.

- ``Span``: one stretch of days over which one person's status, recognition and
  facility stayed the same, under the counting rule (``stats/timeline.py``),
  read through the staff projection of the owning organisation.
- ``TagSpan``: when a person held a theme (of a case) or a law article (of a charge).
- ``DayDelta`` / ``MonthDelta``: how many people entered (+) or left (−) each
  (dimension, value, status) cell on a day, and the same summed per month. An
  as-of count on day D is the sum of the month rows before D's month plus the
  day rows of D's month up to D: a few thousand rows whatever the registry's size.

Fields are internal (the default class): spans describe single people; only
aggregates leave the database, and only through the policy.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from unforgotten.policy.sensitivity import Sensitivity


class Span(models.Model):
    organisation_id = models.BigIntegerField()
    person_id = models.BigIntegerField(db_index=True)  # no foreign key: the engine removes rows itself
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20)
    prev_status = models.CharField(max_length=20, blank=True)
    entered_precision = models.CharField(max_length=8, blank=True)
    flow = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=12)
    gender = models.CharField(max_length=12)
    occupation = models.CharField(max_length=30)
    recognition = models.CharField(max_length=30)
    facility = models.CharField(max_length=20)

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {}

    class Meta:
        indexes = [models.Index(fields=["organisation_id", "start"], name="stats_span_org_start")]

    def __str__(self) -> str:
        return f"person {self.person_id}: {self.status} {self.start}–{self.end or ''}"


class TagSpan(models.Model):
    organisation_id = models.BigIntegerField()
    person_id = models.BigIntegerField(db_index=True)
    dimension = models.CharField(max_length=12)
    value = models.CharField(max_length=20)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {}

    def __str__(self) -> str:
        return f"person {self.person_id}: {self.dimension}={self.value} {self.start}–{self.end or ''}"


class DayDelta(models.Model):
    organisation_id = models.BigIntegerField()
    dimension = models.CharField(max_length=12)
    value = models.CharField(max_length=30)
    status = models.CharField(max_length=20)
    day = models.DateField()
    delta = models.IntegerField()

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {}

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation_id", "dimension", "value", "status", "day"],
                                               name="stats_daydelta_cell")]
        indexes = [models.Index(fields=["organisation_id", "dimension", "day"], name="stats_daydelta_read")]

    def __str__(self) -> str:
        return f"{self.day} {self.dimension}={self.value} {self.status}: {self.delta:+d}"


class MonthDelta(models.Model):
    organisation_id = models.BigIntegerField()
    dimension = models.CharField(max_length=12)
    value = models.CharField(max_length=30)
    status = models.CharField(max_length=20)
    month = models.DateField()  # the first day of the month
    delta = models.IntegerField()

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {}

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation_id", "dimension", "value", "status", "month"],
                                               name="stats_monthdelta_cell")]
        indexes = [models.Index(fields=["organisation_id", "dimension", "month"], name="stats_monthdelta_read")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.dimension}={self.value} {self.status}: {self.delta:+d}"


class Watermark(models.Model):
    """What the tables were last rebuilt from: bulk loads past the actions are noticed by comparing it."""

    organisation_id = models.BigIntegerField(unique=True)
    bulk_seq = models.BigIntegerField(default=0)  # the last registry.NameIndexChange "rebuild everything" row seen
    rebuilt_at = models.DateTimeField(null=True, blank=True)
    people = models.IntegerField(default=0)

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {}

    def __str__(self) -> str:
        return f"org {self.organisation_id} rebuilt {self.rebuilt_at}"


class MonthlyReport(models.Model):
    """A stored monthly report (PDF) of one organisation's statistics, made by the monthly job or on demand."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the first day of the month reported on
    pdf = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {}

    class Meta:
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["organisation", "month"], name="stats_one_report_per_month")]

    def __str__(self) -> str:
        return f"report {self.month:%Y-%m} of org {self.organisation_id}"

"""Urgent alerts (issue 9, item 1): what happened to whom, how urgent, and every step's time.

Field classes (docs/decisions/0016-alerts-and-monitoring.md):
- that an alert exists, its kind, severity, state and the times of its steps are *coalition*:
  partner organisations run the phone trees and receive the signed webhooks;
- the summary a colleague types when raising it and who did what are *internal*;
- internal notes (sources, medical detail, what the family said) are *restricted*: the case team;
- the public urgent-action text is *public*, and reaches the public site only after an
  approval (``published_at``) and through the projection with the person's consent.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from unforgotten.alerts import vocabularies as v
from unforgotten.core.encrypted import EncryptedTextField
from unforgotten.core.sealing import SealedTextField, unseal
from unforgotten.policy.sensitivity import Sensitivity
from unforgotten.registry.models import Case, Owned

P = Sensitivity.PUBLIC
C = Sensitivity.COALITION
INTERNAL = Sensitivity.INTERNAL
R = Sensitivity.RESTRICTED
S = Sensitivity.SEALED


class Alert(Owned):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(_("what happened"), max_length=20, choices=v.Kind.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=v.Severity.choices, default=v.Severity.HIGH)
    occurred_on = models.DateField(_("when it happened"), null=True, blank=True,
                                   help_text=_("The day it happened, if known (never in the future)."))
    summary = models.TextField(_("what we know"))
    internal_notes = EncryptedTextField(_("internal notes"), blank=True,
                                      help_text=_("Sources, medical detail: the case team only."))
    state = models.CharField(_("state"), max_length=20, choices=v.State.choices, default=v.State.RAISED)
    raised_at = models.DateTimeField(_("raised at"))
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    action_launched_at = models.DateTimeField(_("action launched at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", editable=False)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", editable=False)
    resolution = models.TextField(_("how it was resolved"), blank=True)
    # Escalation bookkeeping: each step happens once per alert, whatever the job's period.
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    escalated_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The public urgent action: its address and its approval.
    slug = models.SlugField(_("public address"), max_length=120, unique=True, null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", editable=False)

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {
        "uuid": C, "case_id": C, "kind": P, "severity": C, "occurred_on": P, "state": P, "raised_at": C,
        "verified_at": C, "action_launched_at": C, "resolved_at": C, "withdrawn_at": C, "slug": P,
        "published_at": P, "escalated_at": C,
        "summary": INTERNAL, "raised_by_id": INTERNAL, "verified_by_id": INTERNAL, "resolution": INTERNAL,
        "reminded_at": INTERNAL, "published_by_id": INTERNAL,
        "internal_notes": R,
    }

    class Meta:
        ordering = ["-raised_at", "-id"]
        indexes = [models.Index(fields=["organisation", "state", "raised_at"], name="alert_org_state"),
                   models.Index(fields=["case", "state"], name="alert_case_state")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_severity_display()})"

    @property
    def is_open(self) -> bool:
        return self.state in v.OPEN_STATES

    @property
    def time_to_verify(self) -> timedelta | None:
        return self.verified_at - self.raised_at if self.verified_at else None

    @property
    def time_to_first_action(self) -> timedelta | None:
        return self.action_launched_at - self.raised_at if self.action_launched_at else None

    @property
    def is_public(self) -> bool:
        return self.published_at is not None and self.state != v.State.WITHDRAWN


class PublicText(Owned):
    """The urgent-action page in one language: one row per language, each written and checked on its own."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    title = models.CharField(_("headline"), max_length=200,
                             help_text=_('e.g. "Activist faces detention and travel ban"'))
    situation = models.TextField(_("what is happening"))
    what_to_do = models.TextField(_("what to do now"),
                                  help_text=_("Concrete actions, one per line: whom to write to, what to ask."))

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {"language": P, "title": P, "situation": P, "what_to_do": P}

    class Meta:
        ordering = ["language"]
        constraints = [models.UniqueConstraint(fields=["alert", "language"], name="one_text_per_alert_language")]

    def __str__(self) -> str:
        return f"{self.language}: {self.title}"


class OnCallShift(Owned):
    """Who answers for the organisation's alerts from when to when."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="on_call_shifts",
                             verbose_name=_("who"))
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    role = models.CharField(_("role"), max_length=10, choices=v.ShiftRole.choices, default=v.ShiftRole.PRIMARY)
    note = models.CharField(_("note"), max_length=200, blank=True)

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {}

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["organisation", "starts_at", "ends_at"], name="shift_org_time")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%Y-%m-%d %H:%M}"


class WebhookSubscription(Owned):
    """A coalition system told of every alert step, by a POST signed with a secret shown once."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    label = models.CharField(_("name"), max_length=100, help_text=_('e.g. "Coalition phone tree"'))
    url = models.URLField(_("address"), max_length=500)
    # Sealed: the secret signs what the coalition will act on; a copied database must not let
    # anyone forge an alert. It is shown once, when created, and never again.
    secret_sealed = SealedTextField(editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", editable=False)

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {"secret_sealed": S}

    class Meta:
        ordering = ["label", "id"]

    def __str__(self) -> str:
        return self.label

    def sealed_context(self) -> str:
        return f"alerts.webhook.secret:{self.uuid}"

    def signing_secret(self) -> str:
        return unseal(self.secret_sealed, self.sealed_context())


class EscalationLimits(Owned):
    """An organisation's own escalation limits (decision 0026); an organisation without a row uses the defaults.

    Per severity: hours until an unverified alert reminds the coordinators again, and hours until an alert
    without action launched escalates to the admins and the coalition. And the number of days without
    proof of life after which a case with no rule of its own raises an alert.
    """

    verify_critical_hours = models.PositiveIntegerField(
        _("critical: remind when not verified within (hours)"),
        default=int(v.ESCALATION[v.Severity.CRITICAL][0].total_seconds() // 3600))
    act_critical_hours = models.PositiveIntegerField(
        _("critical: escalate when no action within (hours)"),
        default=int(v.ESCALATION[v.Severity.CRITICAL][1].total_seconds() // 3600))
    verify_high_hours = models.PositiveIntegerField(
        _("high: remind when not verified within (hours)"),
        default=int(v.ESCALATION[v.Severity.HIGH][0].total_seconds() // 3600))
    act_high_hours = models.PositiveIntegerField(
        _("high: escalate when no action within (hours)"),
        default=int(v.ESCALATION[v.Severity.HIGH][1].total_seconds() // 3600))
    verify_medium_hours = models.PositiveIntegerField(
        _("medium: remind when not verified within (hours)"),
        default=int(v.ESCALATION[v.Severity.MEDIUM][0].total_seconds() // 3600))
    act_medium_hours = models.PositiveIntegerField(
        _("medium: escalate when no action within (hours)"),
        default=int(v.ESCALATION[v.Severity.MEDIUM][1].total_seconds() // 3600))
    proof_of_life_days = models.PositiveSmallIntegerField(
        _("days without proof of life before an alert (cases without a rule of their own)"),
        default=v.PROOF_OF_LIFE_DAYS)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", editable=False)

    # How the organisation works, not a fact about anyone: internal, like the roster.
    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {
        **{name: INTERNAL for name in ("verify_critical_hours", "act_critical_hours", "verify_high_hours",
                                       "act_high_hours", "verify_medium_hours", "act_medium_hours",
                                       "proof_of_life_days", "updated_by_id")},
    }

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation"], name="one_escalation_limits_per_org")]

    def __str__(self) -> str:
        return f"escalation limits of organisation {self.organisation_id}"

    def windows(self, severity: str) -> tuple[timedelta, timedelta]:
        """(not verified within, not actioned within) for an alert of ``severity``."""
        verify = getattr(self, f"verify_{severity}_hours")
        act = getattr(self, f"act_{severity}_hours")
        return timedelta(hours=int(verify)), timedelta(hours=int(act))

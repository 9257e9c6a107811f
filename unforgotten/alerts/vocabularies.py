"""Controlled lists of the urgent alerts, each odd decision explained."""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What happened. The list follows what urgent-action desks actually send out."""

    TORTURE = "torture", _("Torture or ill-treatment")
    HUNGER_STRIKE = "hunger_strike", _("Hunger strike")
    HEALTH = "health", _("Health emergency")
    INCOMMUNICADO = "incommunicado", _("Incommunicado or enforced disappearance")
    TRANSFER = "transfer", _("Transfer to an unknown place")
    DEATH_PENALTY = "death_penalty", _("Death sentence or risk of execution")
    NEW_CHARGES = "new_charges", _("New charges")
    FAMILY_HARASSMENT = "family_harassment", _("Harassment of the family")
    # Raised by the proof-of-life rule (monitoring), never typed by hand: "nobody has seen or heard
    # from them for N days" is a fact about our records, not yet a claim about the state, so it
    # stays distinct from "incommunicado" until someone verifies what is going on.
    NO_PROOF_OF_LIFE = "no_proof_of_life", _("No proof of life")


class Severity(models.TextChoices):
    # Stored as words, ordered by ``SEVERITY_ORDER``: the board sorts critical first.
    CRITICAL = "critical", _("Critical")
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")


SEVERITY_ORDER = {Severity.CRITICAL: 0, Severity.HIGH: 1, Severity.MEDIUM: 2}


class State(models.TextChoices):
    """raised → verified → action launched → resolved; withdrawn from any open state (a false report)."""

    RAISED = "raised", _("Raised")
    VERIFIED = "verified", _("Verified")
    ACTION_LAUNCHED = "action_launched", _("Action launched")
    RESOLVED = "resolved", _("Resolved")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATES = frozenset({State.RAISED, State.VERIFIED, State.ACTION_LAUNCHED})

# The moves the lifecycle allows. Skipping "verified" is refused: an unverified report must never
# reach a public urgent action or a coalition's phone tree as if it were checked.
TRANSITIONS: dict[str, frozenset[str]] = {
    State.RAISED: frozenset({State.VERIFIED, State.WITHDRAWN}),
    State.VERIFIED: frozenset({State.ACTION_LAUNCHED, State.RESOLVED, State.WITHDRAWN}),
    State.ACTION_LAUNCHED: frozenset({State.RESOLVED, State.WITHDRAWN}),
    State.RESOLVED: frozenset(),
    State.WITHDRAWN: frozenset(),
}

# Escalation: (not verified within → remind the coordinators again; not actioned within → escalate
# to the organisation's admins). Critical follows the issue (2 h, 24 h); the others are slower
# because a coordinator woken at 3 a.m. for a medium alert stops answering the phone.
ESCALATION: dict[str, tuple[timedelta, timedelta]] = {
    Severity.CRITICAL: (timedelta(hours=2), timedelta(hours=24)),
    Severity.HIGH: (timedelta(hours=6), timedelta(hours=48)),
    Severity.MEDIUM: (timedelta(hours=24), timedelta(hours=96)),
}
# These are the defaults: each organisation may set its own (``EscalationLimits``, decision 0026).

# The organisation's default for "no proof of life for N days" (issue 9: 30); a case's own rule overrides it.
PROOF_OF_LIFE_DAYS = 30
# The bounds an organisation's limits must stay within. At least an hour: shorter would page people for
# alerts still being typed. At most a week to verify and 30 days to act, a year of silence: longer is not a
# limit any more but the absence of one, and the escalation is there so that silence is noticed.
VERIFY_HOURS_MAX = 7 * 24
ACT_HOURS_MAX = 30 * 24
PROOF_OF_LIFE_DAYS_MAX = 365


class ShiftRole(models.TextChoices):
    PRIMARY = "primary", _("Primary")
    BACKUP = "backup", _("Backup")

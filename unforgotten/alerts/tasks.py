"""Periodic work of alerts: escalation checks (run by ``unforgotten scheduler``)."""

from __future__ import annotations

from datetime import timedelta

from unforgotten.core import schedule


@schedule.periodic("alerts.escalate", every=timedelta(minutes=5))
def escalate() -> str:
    """Remind coordinators of alerts not verified in time; escalate alerts not actioned in time."""
    from unforgotten.alerts.actions import do_check_escalations

    counts = do_check_escalations()
    return f"{counts['reminded']} reminded, {counts['escalated']} escalated"

"""Periodic work of advocacy: reminders before legal deadlines (run by ``unforgotten scheduler``)."""

from __future__ import annotations

from datetime import timedelta

from unforgotten.core import schedule


@schedule.periodic("advocacy.deadline_reminders", every=timedelta(hours=1))
def deadline_reminders() -> str:
    """E-mail the case team (and whoever is responsible) before each legal deadline: 14, 7, 3, 1 days and on the day."""
    from unforgotten.advocacy.actions import do_send_deadline_reminders

    return f"{do_send_deadline_reminders()} reminder(s) queued"

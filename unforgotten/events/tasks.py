"""Periodic work of events (run by ``unforgotten scheduler``)."""

from __future__ import annotations

from datetime import timedelta

from unforgotten.core import schedule


@schedule.periodic("events.sync_hearings", every=timedelta(hours=1))
def sync_hearings() -> str:
    """Make trial-monitoring events for upcoming open hearings (whether they show is decided at each read)."""
    from unforgotten.events.actions import do_sync_hearings

    return f"{do_sync_hearings()} hearing event(s) made or moved"


@schedule.periodic("events.retention", every=timedelta(hours=1))
def retention() -> str:
    """Erase RSVP addresses EVENT_ANONYMISE_MONTHS after their event; delete unconfirmed RSVPs whose link expired."""
    from unforgotten.events.actions import do_anonymise_past

    return f"{do_anonymise_past()} RSVP(s) anonymised"

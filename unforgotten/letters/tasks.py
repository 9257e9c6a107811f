"""Periodic work of the letters app (run by ``unforgotten scheduler``)."""

from __future__ import annotations

from datetime import timedelta

from unforgotten.core import schedule


@schedule.periodic("letters.expire_pending", every=timedelta(hours=1))
def expire_pending() -> str:
    """Unconfirmed letters to officials whose link expired are deleted; they were never sent."""
    from unforgotten.letters.actions import do_expire_pending

    return f"{do_expire_pending()} unconfirmed letter(s) deleted"

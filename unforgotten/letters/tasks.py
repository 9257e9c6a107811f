"""Periodic work of the letters app (run by ``unforgotten scheduler``)."""

from __future__ import annotations

from datetime import timedelta

from unforgotten.core import schedule


@schedule.periodic("letters.expire_pending", every=timedelta(hours=1))
def expire_pending() -> str:
    """Unconfirmed letters to officials whose link expired are deleted; they were never sent."""
    from unforgotten.letters.actions import do_expire_pending

    return f"{do_expire_pending()} unconfirmed letter(s) deleted"


@schedule.periodic("letters.retention", every=timedelta(hours=1))
def retention() -> str:
    """Writers' names, addresses and texts go ``LETTER_ANONYMISE_MONTHS`` after their campaign closed (or the
    letter to a prisoner was settled); the counts stay."""
    from unforgotten.letters.actions import do_anonymise_old_letters

    return f"{do_anonymise_old_letters()} letter(s) anonymised"

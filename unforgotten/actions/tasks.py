"""Periodic work of take-action (run by ``unforgotten scheduler``)."""

from __future__ import annotations

from datetime import timedelta

from unforgotten.core import schedule


@schedule.periodic("actions.refresh_counts", every=timedelta(seconds=30), timeout=timedelta(minutes=5))
def refresh_counts() -> str:
    """Sum each petition's counter shards into the count the public sees (the "as of" count)."""
    from unforgotten.actions.actions import do_refresh_counts

    return f"{do_refresh_counts()} petition(s)"


@schedule.periodic("actions.retention", every=timedelta(hours=1))
def retention() -> str:
    """Anonymise signers of long-closed petitions, delete expired unconfirmed signatures and rate counters older than a day."""
    from unforgotten.actions.actions import do_anonymise_closed_petitions, do_expire_pending
    from unforgotten.core.antispam import forget_old

    anonymised = do_anonymise_closed_petitions()
    expired = do_expire_pending()
    purged = forget_old()
    return f"{anonymised} petition(s) anonymised, {expired} pending deleted, {purged} rate row(s) purged"

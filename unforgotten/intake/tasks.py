"""Periodic work of the intake: forgetting the keyed address digests of public forms (run by ``unforgotten scheduler``)."""

from __future__ import annotations

from datetime import timedelta

from unforgotten.core import schedule


@schedule.periodic("intake.forget_addresses", every=timedelta(hours=1))
def forget_addresses() -> str:
    """Delete every address digest and spent form token older than 24 hours (decision 0021)."""
    from unforgotten.core.antispam import forget_old

    return f"{forget_old()} stamp(s) forgotten"

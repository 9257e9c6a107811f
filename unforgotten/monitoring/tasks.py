"""Periodic work of monitoring: the proof-of-life rules (run by ``unforgotten scheduler``)."""

from __future__ import annotations

from datetime import timedelta

from unforgotten.core import schedule


@schedule.periodic("monitoring.proof_of_life", every=timedelta(hours=1))
def proof_of_life() -> str:
    """Raise an alert for each detained person with no visit, call or letter for longer than their rule allows."""
    from unforgotten.monitoring.actions import do_check_proof_of_life

    return f"{do_check_proof_of_life()} alert(s) raised"

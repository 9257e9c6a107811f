"""Periodic work of the radar (run by ``unforgotten scheduler``): the nightly recompute and the weekly digest."""

from __future__ import annotations

from datetime import timedelta

from unforgotten.core import schedule


@schedule.periodic("radar.recompute", every=timedelta(days=1), timeout=timedelta(hours=1))
def recompute() -> str:
    """Rebuild every case's attention ledger from the sources (a safety net under ``note_attention``)."""
    from unforgotten.radar.actions import do_recompute

    return f"every case recomputed; {do_recompute()} ledger row(s) changed"


@schedule.periodic("radar.weekly_digest", every=timedelta(days=1), timeout=timedelta(hours=1))
def weekly_digest() -> str:
    """E-mail each organisation's coordinators its ten most neglected cases, once per ISO week (daily run)."""
    from unforgotten.radar.actions import do_send_weekly_digests

    r = do_send_weekly_digests()
    return (f"{r.queued} digest(s) queued ({r.nothing_to_report} with nothing to report); "
            f"{r.no_recipients} organisation(s) without coordinators")

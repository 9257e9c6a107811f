"""Background work of the evidence app: the scheduled fixity check."""

from __future__ import annotations

from datetime import timedelta

from django.tasks import task
from django.utils import timezone

from unforgotten.core import schedule
from unforgotten.evidence import fixity


@task()
def check_fixity(every_seconds: int = 0) -> dict[str, object]:
    """Re-hash every evidence file; with ``every_seconds``, enqueue the next run after that long.

    ``unforgotten check-fixity --every 86400`` starts the daily chain; a cron job
    running ``unforgotten check-fixity`` does the same.
    """
    report = fixity.check_all()
    if every_seconds > 0:
        check_fixity.using(run_after=timezone.now() + timedelta(seconds=every_seconds)).enqueue(every_seconds)
    return {"checked": report.checked, "failed": report.failed}


@schedule.periodic("evidence.check_fixity", every=timedelta(days=1), timeout=timedelta(hours=12))
def check_fixity_daily() -> str:
    """Re-hash every evidence original; a mismatch alerts the organisation's admins."""
    report = fixity.check_all()
    return f"checked {report.checked}, failed {report.failed}"

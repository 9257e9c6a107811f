"""Periodic jobs of the statistics: catching up after bulk loads, the nightly recount, the monthly reports."""

from __future__ import annotations

from datetime import timedelta

from django.tasks import task
from django.utils import timezone

from unforgotten.accounts.models import Organisation
from unforgotten.core import schedule


@task()
def rebuild_organisation(organisation_id: int) -> dict[str, object]:
    """Recount one organisation (the catch-up job and the workspace enqueue this)."""
    from unforgotten.stats.actions import do_rebuild_statistics

    org = Organisation.objects.get(pk=organisation_id)
    result = do_rebuild_statistics(organisation=org, acting_user=None)
    return {"organisation": org.slug, "people": result["people"]}


@schedule.periodic("stats.catch_up", every=timedelta(minutes=5), timeout=timedelta(hours=2))
def catch_up() -> str:
    """Recount the organisations whose figures lag behind a bulk load that bypassed the actions."""
    from unforgotten.stats.actions import do_rebuild_statistics
    from unforgotten.stats.engine import stale

    done = []
    for org in Organisation.objects.filter(is_active=True).order_by("pk"):
        if stale(org.pk):
            do_rebuild_statistics(organisation=org, acting_user=None)
            done.append(org.slug)
    return f"recounted {', '.join(done)}" if done else "nothing to recount"


@schedule.periodic("stats.recount", every=timedelta(days=1), timeout=timedelta(hours=6))
def recount() -> str:
    """The nightly recount from scratch: a safety net under the signals (it must change nothing)."""
    from unforgotten.stats.actions import do_rebuild_statistics

    people = 0
    for org in Organisation.objects.filter(is_active=True).order_by("pk"):
        people += int(do_rebuild_statistics(organisation=org, acting_user=None)["people"])
    return f"{people} people counted"


@schedule.periodic("stats.monthly_report", every=timedelta(days=1), timeout=timedelta(hours=2))
def monthly_report() -> str:
    """Store last month's report (PDF) for every organisation that has none yet; runs daily, acts once a month."""
    from unforgotten.stats.actions import do_make_monthly_report
    from unforgotten.stats.models import MonthlyReport

    this_month = timezone.localdate().replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    made = []
    for org in Organisation.objects.filter(is_active=True).order_by("pk"):
        if not MonthlyReport.objects.filter(organisation=org, month=last_month).exists():
            do_make_monthly_report(organisation=org, month=last_month, acting_user=None)
            made.append(org.slug)
    return f"{last_month:%Y-%m}: {', '.join(made) or 'all made already'}"

"""Every change the statistics app makes, one function each, audited in the same transaction.

The statistics change no record of anyone's work: a rebuild recomputes derived
tables and a report stores a PDF of figures. They are still action functions
so that who rebuilt or made what, and when, is in the audit trail.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from unforgotten.accounts.models import Organisation
from unforgotten.audit.actions import record
from unforgotten.stats import engine
from unforgotten.stats.models import MonthlyReport


@transaction.atomic(durable=True)
def do_rebuild_statistics(*, organisation: Organisation, acting_user: Any, progress: Any = None) -> dict[str, Any]:
    result = engine.rebuild(organisation.pk, progress=progress)
    record("stats.rebuild", actor=acting_user or "scheduler", obj=organisation, organisation_id=organisation.pk,
           changes={"people": [None, result["people"]], "spans": [None, result["spans"]]})
    return result


@transaction.atomic(durable=True)
def do_make_monthly_report(*, organisation: Organisation, month: date, acting_user: Any) -> MonthlyReport:
    """Render the month's report (figures of the staff projection) and store it, replacing an earlier copy."""
    from unforgotten.stats.report import render_report

    month = month.replace(day=1)
    pdf = render_report(organisation, month)
    report, _created = MonthlyReport.objects.update_or_create(
        organisation=organisation, month=month,
        defaults={"pdf": pdf, "created_by": acting_user if getattr(acting_user, "is_authenticated", False) else None})
    record("stats.make_monthly_report", actor=acting_user or "scheduler", obj=report, organisation_id=organisation.pk,
           changes={"month": [None, month.isoformat()], "bytes": [None, len(pdf)]})
    return report

"""The monthly report: one organisation's figures at the end of a month, as a PDF (``core/pdf.render_pdf``).

Built from the same precomputed totals as the dashboard (the staff projection
of the organisation's records): counts by status and by each dimension on the
last day of the month (or today, for the month under way), the month's
detentions and releases beside the twelve months before, and the world map.
"""

from __future__ import annotations

import calendar
from datetime import date

from django.template.loader import render_to_string
from django.utils import timezone, translation

from unforgotten.accounts.models import Organisation
from unforgotten.core.pdf import render_pdf
from unforgotten.publishing import formatting as fmt
from unforgotten.stats.presentation import month_label, overview
from unforgotten.stats.queries import TableSource


def report_day(month: date, today: date | None = None) -> date:
    today = today or timezone.localdate()
    last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    return min(last, today)


def render_html(organisation: Organisation, month: date, language: str = "en") -> str:
    day = report_day(month)
    with translation.override(language):
        data = overview(TableSource([organisation.pk]), day, language, "rep", months=13)
        this_month = next((m for m in data["series"]["rows"] if m["month"] == month.replace(day=1)), None)
        return render_to_string("stats/report.html", {
            "s": data, "organisation": organisation.name, "month": month_label(month, language),
            "this_month": this_month, "lang": language, "dir": fmt.direction("", language),
            "made": fmt.day(timezone.localdate(), language),
        })


def render_report(organisation: Organisation, month: date, language: str = "en") -> bytes:
    return render_pdf(render_html(organisation, month, language))

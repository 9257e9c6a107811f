"""Authorization rows of the statistics (issue 9, item 4), written from the persona sentences.

Public statistics (/<language>/statistics/…, /open-data/statistics/…,
/api/v1/stats/public/…) answer everyone with 200: they are built only from the
public projection. The date form redirects everyone (302). The dashboard is for
members: Org A's readers (Amal, Bilal, Dana, Vera) and Chris, who sees his own
Org B's figures; Pat, a platform admin with no membership, gets "not found".
Org A's monthly report is for Org A's readers only. The members' API: same
people, 401 without credentials.
"""

from __future__ import annotations

from typing import Any

from tests.authz_matrix import MEMBERS, VIEW_A, Row, api, everyone, page, safe

ROWS: dict[str, Row] = {
    "stats_public:today": Row(safe(everyone(200))),
    "stats_public:on_day": Row(safe(everyone(200)), kwargs={"day": "2022-01-31"}),
    "stats_public:choose": Row(safe(everyone(302))),
    "stats_open_data": Row(safe(everyone(200)), kwargs={"name": "asof", "fmt": "csv"}),
    "stats:dashboard": Row(safe(page(MEMBERS))),
    "stats:report": Row(safe(page(VIEW_A)), kwargs={"slug": "{org_a}", "month": "{stats_report_month}"},
                        probe={"slug": "no-such-org", "month": "{stats_report_month}"}),
    "api:stats_asof": Row({"GET": api(MEMBERS)}),
    "api:stats_cross": Row({"GET": api(MEMBERS)}),
    "api:stats_series": Row({"GET": api(MEMBERS)}),
    "api:stats_public_asof": Row({"GET": everyone(200)}),
    "api:stats_public_series": Row({"GET": everyone(200)}),
}


def placeholders(cast: Any) -> dict[str, str]:
    """A stored report of last month for Org A, so the matrix reads it instead of rendering a PDF per request."""
    from datetime import timedelta

    from django.utils import timezone

    from unforgotten.stats.actions import do_make_monthly_report
    from unforgotten.stats.models import MonthlyReport

    month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    if not MonthlyReport.objects.filter(organisation=cast.org_a, month=month).exists():
        do_make_monthly_report(organisation=cast.org_a, month=month, acting_user=cast.dana)
    return {"stats_report_month": month.strftime("%Y-%m")}

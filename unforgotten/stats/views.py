"""The members' statistics dashboard at /work/stats/ and the monthly report PDF.

Thin views: which organisations' figures a member reads is the policy's answer
(``stats.view``: the organisations where they read records); the figures are
the precomputed totals of those organisations' staff projection. Anyone else
gets "not found".
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.http import require_safe

from unforgotten import policy
from unforgotten.accounts.models import Organisation
from unforgotten.core.views import not_found
from unforgotten.stats import engine
from unforgotten.stats.models import MonthlyReport
from unforgotten.stats.presentation import DIMENSION_ORDER, dimension_title, month_label, overview
from unforgotten.stats.queries import BadQuery, TableSource, parse_day

MONTH_CHOICES = (12, 24, 36, 60)


def _organisations(request: HttpRequest) -> list[Organisation]:
    ids = policy.organisation_ids(request.user, "view")
    orgs = [o for o in Organisation.objects.filter(pk__in=list(ids), is_active=True).order_by("name")
            if policy.can(request.user, "stats.view", o)]
    if not orgs:
        not_found()
    return orgs


@require_safe
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    orgs = _organisations(request)
    chosen = [o for o in orgs if o.slug == request.GET.get("org")] or orgs
    errors: dict[str, str] = {}
    try:
        day = parse_day(request.GET.get("on", ""))
    except BadQuery as exc:
        errors[exc.field] = exc.message
        day = timezone.localdate()
    dimension = request.GET.get("by", "")
    if dimension and dimension not in DIMENSION_ORDER:
        errors["by"] = f"'{dimension}' is not a dimension."
        dimension = ""
    try:
        months = int(request.GET.get("months", "24"))
    except ValueError:
        months = 0
    if months not in MONTH_CHOICES:
        errors["months"] = f"Choose {', '.join(map(str, MONTH_CHOICES))} months."
        months = 24
    language = translation.get_language() or "en"
    dimensions = (dimension,) if dimension else DIMENSION_ORDER
    source = TableSource([o.pk for o in chosen])
    context: dict[str, Any] = {
        "s": overview(source, day, language, "dash", months=months, dimensions=dimensions),
        "organisations": orgs, "chosen": chosen[0].slug if len(chosen) == 1 else "",
        "dimensions": [(d, dimension_title(d)) for d in DIMENSION_ORDER], "by": dimension, "months": months,
        "month_choices": MONTH_CHOICES, "errors": errors, "today": timezone.localdate().isoformat(),
        "stale": any(engine.stale(o.pk) for o in chosen),
        "reports": [{"org": o, "months": [(m, month_label(m, language)) for m in _report_months(o)]}
                    for o in chosen],
    }
    return render(request, "stats/dashboard.html", context, status=400 if errors else 200)


def _report_months(org: Organisation) -> list[date]:
    """This month and the eleven before, newest first (stored copies are served when they exist)."""
    today = timezone.localdate()
    out, year, month = [], today.year, today.month
    for _i in range(12):
        out.append(date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return out


_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@require_safe
@login_required
def report(request: HttpRequest, slug: str, month: str) -> HttpResponse:
    org = Organisation.objects.filter(slug=slug, is_active=True).first()
    if org is None or not policy.can(request.user, "stats.view", org):
        not_found()
    match = _MONTH.match(month)
    if match is None:
        not_found()
    try:
        first = date(int(match.group(1)), int(match.group(2)), 1)
    except ValueError:
        not_found()
    if first > timezone.localdate().replace(day=1) or first.year < 1900:
        not_found()
    stored = MonthlyReport.objects.filter(organisation=org, month=first).values_list("pdf", flat=True).first()
    if stored is not None and first < timezone.localdate().replace(day=1):
        pdf = bytes(stored)
    else:
        from unforgotten.stats.report import render_report

        pdf = render_report(org, first, translation.get_language() or "en")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="statistics-{org.slug}-{month}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response

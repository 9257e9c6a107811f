"""The campaigners' view of the newsletter list at /work/newsletter/ (issue 6).

Campaigners (and admins) of an organisation see how many people are waiting,
subscribed and gone, and export the confirmed addresses as CSV: a dangerous
act (addresses leave the platform), so it is a POST after re-authentication,
audited with the count, and every cell goes through the exchange's
formula-injection guard.
"""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from unforgotten import policy
from unforgotten.accounts.models import Organisation
from unforgotten.accounts.sudo import require_sudo
from unforgotten.core.views import not_found
from unforgotten.exchange.report import safe_cell
from unforgotten.newsletter import actions
from unforgotten.newsletter.models import Status, Subscriber


def _organisations(request: HttpRequest) -> list[Organisation]:
    ids = policy.organisation_ids(request.user, "campaign")
    return list(Organisation.objects.filter(pk__in=ids, is_active=True).order_by("name"))


def summary(organisation: Organisation) -> dict[str, int]:
    counts = dict(Subscriber.objects.filter(organisation=organisation).values_list("status")
                  .annotate(n=Count("id")).values_list("status", "n"))
    return {status.value: int(counts.get(status.value, 0)) for status in Status}


@require_safe
@login_required
def home(request: HttpRequest) -> HttpResponse:
    organisations = _organisations(request)
    if not organisations:
        not_found()
    rows = [{"org": org, "counts": summary(org)} for org in organisations]
    return render(request, "newsletter/home.html", {"rows": rows, "labels": dict(Status.choices)})


@require_POST
@login_required
def export(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = Organisation.objects.filter(slug=slug, is_active=True).first()
    if organisation is None or not policy.can(request.user, "newsletter.export", organisation):
        not_found()
    require_sudo(request)
    rows = actions.do_export_subscribers(organisation=organisation, acting_user=request.user)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="newsletter-{organisation.slug}-{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow(["email", "language", "confirmed_at"])
    for row in rows:
        writer.writerow([safe_cell(row["email"]), safe_cell(row["language"]), safe_cell(row["confirmed_at"])])
    return response

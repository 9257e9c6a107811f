from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from unforgotten.accounts.views import organisation_for
from unforgotten.audit.models import AuditEvent


@require_safe
@login_required
def events(request: HttpRequest, slug: str) -> HttpResponse:
    org = organisation_for(request, slug, "audit.view_events")
    queryset = AuditEvent.objects.filter(organisation_id=org.pk).order_by("-id")
    action = request.GET.get("action", "").strip()
    if action:
        queryset = queryset.filter(action=action)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(request, "audit/events.html", {"org": org, "page": page, "action": action})

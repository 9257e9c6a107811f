"""The JSON API at /api/v1/. Every endpoint asks the same policy as the pages do."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_safe
from ninja import NinjaAPI, Router
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.pagination import PageNumberPagination, paginate

from unforgotten import policy
from unforgotten.accounts.models import Membership, Organisation
from unforgotten.api.auth import SessionAuth, TokenAuth
from unforgotten.api.schemas import AuditEventOut, MemberOut, MeOut, responses
from unforgotten.audit.models import AuditEvent

api = NinjaAPI(
    title="Unforgotten API",
    version="1",
    description="Registry, campaigns and advocacy data, through the same policy and projection as the workspace.",
    urls_namespace="api",
    auth=[TokenAuth(), SessionAuth()],
    # The interactive docs page loads its code from a CDN; the schema itself is
    # served at /api/v1/openapi.json and is enough for any client generator.
    docs_url=None,
    # Served by our own view (urls.py), which answers GET and HEAD only.
    openapi_url=None,
)


@api.exception_handler(AuthenticationError)
def _unauthorized(request: HttpRequest, exc: Exception) -> HttpResponse:
    # The same body for a missing, malformed, unknown or revoked token: no detail.
    return api.create_response(request, {"error": "unauthorized"}, status=401)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"error": "not found"}, status=404)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"where": ".".join(str(p) for p in e.get("loc", [])), "problem": str(e.get("msg", "invalid"))}
        for e in exc.errors
    ]
    return api.create_response(request, {"error": "invalid input", "errors": errors}, status=422)


def organisation_for(request: HttpRequest, slug: str, capability: str) -> Organisation:
    org = Organisation.objects.filter(slug=slug, is_active=True).first()
    if org is None or capability not in policy.capabilities_in(request.user, org.pk):
        raise Http404()
    return org


core = Router(tags=["organisations"])


@core.get("/me", response=responses(MeOut), summary="Who is calling, and where")
def me(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    caps = policy.capability_map(user)
    orgs = Organisation.objects.filter(pk__in=list(caps), is_active=True).order_by("name")
    kind = "token" if getattr(user, "uf_token", None) is not None else "user"
    return {
        "kind": kind,
        "label": str(user),
        "organisations": [
            {"slug": o.slug, "name": o.name, "country": o.country, "capabilities": sorted(caps[o.pk])} for o in orgs
        ],
    }


@core.get("/organisations/{slug}/members", response=responses(list[MemberOut]), summary="Members of an organisation")
@paginate(PageNumberPagination)
def members(request: HttpRequest, slug: str) -> Any:
    org = organisation_for(request, slug, "manage_members")
    return [
        {"id": m.pk, "email": m.user.email, "display_name": m.user.display_name, "roles": m.roles, "is_active": m.is_active}
        for m in Membership.objects.filter(organisation=org).select_related("user").order_by("user__email")
    ]


@core.get("/organisations/{slug}/audit-events", response=responses(list[AuditEventOut]), summary="The organisation's audit trail")
@paginate(PageNumberPagination)
def audit_events(request: HttpRequest, slug: str) -> Any:
    org = organisation_for(request, slug, "view_audit")
    return AuditEvent.objects.filter(organisation_id=org.pk).order_by("-id")


api.add_router("/", core)
api.add_router("/registry", "unforgotten.registry.api.router")
api.add_router("/evidence", "unforgotten.evidence.api.router")  # evidence files and custody (issue 5)
api.add_router("/stats", "unforgotten.stats.api.router")  # stats (issue 9): as-of counts, series, open data
api.add_router("/advocacy", "unforgotten.advocacy.api.router")  # advocacy (issue 8)
api.add_router("/intake", "unforgotten.intake.api.router")  # intake (issue 6): the intake queue
api.add_router("/newsletter", "unforgotten.newsletter.api.router")  # intake (issue 6): newsletter list
api.add_router("/radar", "unforgotten.radar.api.router")  # radar (issue 9): the forgotten-case radar
api.add_router("/publishing", "unforgotten.publishing.api.router")  # publishing (issue 6): the editorial workflow
api.add_router("/alerts", "unforgotten.alerts.api.router")  # alerts (issue 9 items 1, 6): urgent alerts
api.add_router("/monitoring", "unforgotten.monitoring.api.router")  # alerts (issue 9 items 2, 6): monitoring
api.add_router("/actions", "unforgotten.actions.api.router")  # actions (issue 7): petitions, signatures, targets
api.add_router("/letters", "unforgotten.letters.api.router")  # letters (issue 7 items 4, 5): letters to prisoners, officials
api.add_router("/events", "unforgotten.events.api.router")  # events (issue 7 item 6): events, RSVPs, calendars

__all__ = ["HttpError", "api"]


@require_safe
def openapi_schema(request: HttpRequest) -> HttpResponse:
    return JsonResponse(api.get_openapi_schema(path_prefix="/api/v1/"))

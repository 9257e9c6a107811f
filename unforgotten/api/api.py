"""The JSON API at /api/v1/. Every endpoint asks the same policy as the pages do."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator
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
from unforgotten.core.text import unstorable

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


# --- text no database stores -----------------------------------------------------------------------------
#
# PostgreSQL refuses text holding NUL, and text that is not valid Unicode (a lone surrogate,
# which a JSON escape can carry); SQLite stores both. Left to each endpoint, such a value in a
# query string, a path or a JSON body is a 500 on one engine only, wherever a schema said plain
# `str`. So every API operation is wrapped once (ninja's view decorator, below), before its auth
# callbacks too, since some of those look records up by a path parameter. Pages have their own
# check (core's UnstorableTextMiddleware; form fields refuse NUL themselves). A multipart body is
# left to the form that reads it: reading it here would consume the upload (decision 0031).


def _json_problems(value: Any, where: str) -> Iterator[dict[str, str]]:
    if isinstance(value, str):
        problem = unstorable(value)
        if problem:
            yield {"where": where, "problem": problem}
    elif isinstance(value, dict):
        for key, item in value.items():
            problem = unstorable(key)
            if problem:
                yield {"where": f"{where}.{key!r}", "problem": problem}
            yield from _json_problems(item, f"{where}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _json_problems(item, f"{where}.{i}")


def _body_prefix(operation: Any) -> str:
    """Where ninja names a body field: "body.<parameter>" for an operation's single body parameter."""
    for model in getattr(operation, "models", ()):
        if getattr(model, "__ninja_param_source__", None) == "body":
            single = getattr(model, "__read_from_single_attr__", None)
            return f"body.{single}" if single else "body"
    return "body"


def _input_problems(request: HttpRequest, path_params: dict[str, Any], body_prefix: str) -> list[dict[str, str]]:
    found = [{"where": f"path.{k}", "problem": p} for k, v in path_params.items()
             if isinstance(v, str) and (p := unstorable(v))]
    found += _querydict_problems(request.GET, "query")
    if request.content_type == "application/json":
        body = request.body
        # Both need a JSON escape (\u0000, \udXXX): a body without one is passed on unparsed.
        if b"\\u0000" in body or b"\\ud" in body or b"\\uD" in body:
            try:
                document = json.loads(body)
            except ValueError:
                document = None  # the operation itself answers a body that is not JSON
            found.extend(_json_problems(document, body_prefix))
    elif request.content_type == "application/x-www-form-urlencoded":
        found += _querydict_problems(request.POST, "form")
    return found


def _querydict_problems(data: Any, place: str) -> list[dict[str, str]]:
    found = []
    for key, values in data.lists():
        problem = unstorable(key) or next(filter(None, map(unstorable, values)), None)
        if problem:
            found.append({"where": f"{place}.{key}", "problem": problem})
    return found


def _refusing_unstorable_text(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    # ninja's "view" decorators wrap an operation's run(), which first runs its auth callbacks
    # and then validates: this check comes before both, and names fields as ninja's own 422 does.
    body_prefix = _body_prefix(getattr(run, "__self__", None))

    @functools.wraps(run)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        problems = _input_problems(request, kwargs, body_prefix)
        if problems:
            return api.create_response(request, {"error": "invalid input", "errors": problems}, status=422)
        return run(request, *args, **kwargs)

    return checked


api.add_decorator(_refusing_unstorable_text, mode="view")


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

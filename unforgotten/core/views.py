from __future__ import annotations

from typing import Any, NoReturn

from django.core.exceptions import BadRequest
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from unforgotten.core.text import unstorable


def not_found() -> NoReturn:
    """Refuse without saying why: "forbidden" must look exactly like "does not exist" (T1)."""
    raise Http404()


def posted(request: HttpRequest, name: str, default: str = "") -> str:
    """A posted value a view reads without a form: a NUL in it is a bad request (400).

    Form fields refuse NUL with a message of their own; a value read straight from
    ``request.POST`` would reach the database, which PostgreSQL refuses (a 500).
    Addresses are checked for every page by ``UnstorableTextMiddleware``.
    """
    value = request.POST.get(name, default)
    problem = unstorable(value)
    if problem:
        raise BadRequest(f"{problem} (posted field {name!r})")
    return value


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # No request path in the body: the body must be identical for every refused URL.
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # A denial anywhere in the stack is answered as "not found" (see not_found).
    return page_not_found(request, exception)


def csrf_failure(request: HttpRequest, reason: str = "", **kwargs: Any) -> HttpResponse:
    return render(request, "403_csrf.html", status=403)

"""Revealing a sealed value: case team only, after re-entering a credential, with a reason, audited.

The revealed value is shown in the response to the POST and nowhere else: it is
not kept in the session, and the person page keeps saying "sealed". Anyone
outside the case team gets "not found", exactly as if the record did not exist.
"""

from __future__ import annotations

from dataclasses import replace
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from unforgotten.accounts.sudo import require_sudo
from unforgotten.core.views import not_found
from unforgotten.registry import actions
from unforgotten.registry.forms import RevealForm, errors_to_form
from unforgotten.registry.models import Person, Relationship, Source
from unforgotten.registry.views._common import Reader, person_for, related_for, shown
from unforgotten.registry.views._page import person_sources, sealed_fields


def _reveal(request: HttpRequest, person: Person, reader: Reader, obj: Relationship | Source, *,
            summary_fields: tuple[str, ...]) -> HttpResponse:
    audience = reader.audience(obj)
    fields = sealed_fields(obj)
    if audience.kind != "case_team" or not fields:
        not_found()
    require_sudo(request)
    form = RevealForm(request.POST if request.method == "POST" else None)
    revealed = None
    if form.is_bound and form.is_valid():
        try:
            actions.do_record_unseal(obj=obj, fields=fields, acting_user=request.user,
                                     reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            # Read through the projection, as a case team that has just unsealed.
            opened = shown(obj, replace(audience, unsealed=True), fields) or {}
            revealed = [{"label": str(_verbose(obj, name)), "value": opened.get(name, "")} for name in fields]
    return render(request, "registry/reveal.html", {
        "person": reader.show(person) or {},
        "record": reader.show(obj, summary_fields) or {},
        "record_kind": str(obj._meta.verbose_name),
        "sealed": [str(_verbose(obj, name)) for name in fields],
        "form": form,
        "revealed": revealed,
    }, status=400 if form.errors else 200)


def _verbose(obj: models.Model, attname: str) -> str:
    for field in obj._meta.concrete_fields:
        if field.attname == attname:
            return str(field.verbose_name)
    return attname


@require_http_methods(["GET", "POST"])
@login_required
def relationship_reveal(request: HttpRequest, person: UUID, relationship: UUID) -> HttpResponse:
    record, reader = person_for(request, person, "registry.view")
    obj = related_for(record.relationships.all(), reader, uuid=relationship)
    return _reveal(request, record, reader, obj, summary_fields=("kind",))


@require_http_methods(["GET", "POST"])
@login_required
def source_reveal(request: HttpRequest, person: UUID, source: UUID) -> HttpResponse:
    record, reader = person_for(request, person, "registry.view")
    obj = related_for(person_sources(record), reader, uuid=source)
    return _reveal(request, record, reader, obj, summary_fields=("label", "connection"))

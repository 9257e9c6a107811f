"""The person list, the person page, and the forms that create and edit a person and their names."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any, cast
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from unforgotten import policy
from unforgotten.accounts.models import Organisation
from unforgotten.audit.actions import record_read
from unforgotten.core.partialdate import InvalidPartialDate, PartialDate
from unforgotten.core.views import not_found
from unforgotten.policy.sensitivity import Sensitivity
from unforgotten.registry import actions, listing, search
from unforgotten.registry.actions import NameInput
from unforgotten.registry.forms import (
    BaseNameFormSet,
    NameEditFormSet,
    NameFormSet,
    NamesReasonForm,
    OrganisationChoiceForm,
    PersonFilterForm,
    PersonForm,
    countries_datalist,
    errors_to_form,
    filter_fields_html,
    keep_only,
    model_data,
)
from unforgotten.registry.models import (
    Case,
    DetentionPeriod,
    Hearing,
    Person,
    Relationship,
)
from unforgotten.registry.views._common import Reader, person_for, shown
from unforgotten.registry.views._page import person_page_context

PAGE_SIZE = 50
# The list shows "1,000+ people" rather than counting a million rows on every page.
COUNT_CAP = 1000

# Keyset pagination: each sort is a tuple of columns ending in the primary key,
# so "the rows after this one" is an index range scan however deep the page.
# (name, status date newest first, country): (columns, descending?)
SORTS: dict[str, tuple[tuple[str, ...], bool]] = {
    "name": (("sort_name", "id"), False),
    "status_date": (("current_status_date", "id"), True),
    "country": (("country", "sort_name", "id"), False),
}

LIST_FIELDS = ("uuid", "display_name", "country", "current_status", "current_status_date", "recognition_outcome",
               "occupation")
# What a list page reads of each person: the list's fields, what the projection needs, the sort key.
PAGE_FIELDS = ("id", "organisation_id", "sensitivity_floor", "sensitivity_overrides", *LIST_FIELDS, "sort_name")


def _encode_cursor(values: list[Any]) -> str:
    raw = json.dumps([str(v) if not isinstance(v, int) else v for v in values], ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(text: str, size: int) -> list[Any] | None:
    try:
        values = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(values, list) or len(values) != size or not isinstance(values[-1], int):
        return None
    if not all(isinstance(v, str) for v in values[:-1]):
        return None
    return values


def _cursor(text: str, columns: tuple[str, ...]) -> list[Any] | None:
    """The position a "more" link carries; None (the first page) for anything malformed."""
    values = _decode_cursor(text, len(columns)) if text else None
    if values is None:
        return None
    if "current_status_date" in columns:
        try:
            PartialDate.parse(values[columns.index("current_status_date")])
        except InvalidPartialDate:
            return None
    return values


def _after(columns: tuple[str, ...], values: list[Any], descending: bool) -> Q:
    """Rows strictly after ``values`` in the order of ``columns`` (row-value comparison, spelt out)."""
    op = "lt" if descending else "gt"
    q = Q()
    for i, column in enumerate(columns):
        equal = {c: v for c, v in zip(columns[:i], values[:i], strict=True)}
        q |= Q(**equal, **{f"{column}__{op}": values[i]})
    # The redundant bound on the first column lets the database start an index scan there.
    first = Q(**{f"{columns[0]}__{op}e": values[0]})
    return first & q


def _page_through_orm(request: HttpRequest, form: PersonFilterForm, organisation_slug: str,
                      columns: tuple[str, ...], descending: bool, cursor: list[Any] | None,
                      before: list[Any] | None, query: str) -> tuple[int | None, list[Person], bool,
                                                                   list[Any] | None, dict[int, Any]]:
    """Every other list: name searches, joins, dates, "earlier people" — through ``listing.people_for``."""
    qs = listing.people_for(request.user, form, organisation_slug=organisation_slug)
    # A capped count on the first page only. Not for a name search: it shows the closest few, ranked.
    capped = qs.order_by()[: COUNT_CAP + 1].count() if cursor is None and before is None and not query.strip() \
        else None
    page = qs.order_by(*(f"-{c}" if descending else c for c in columns)).only(*PAGE_FIELDS)
    # --- name search (issue 4, helper "names"): the names index ranks, the filters narrow ---
    hits = {h.person_id: (rank, h) for rank, h in enumerate(
        listing.name_hits(request.user, query, organisation_slug=organisation_slug))}
    if hits:
        # Closest first, one page: a name search is read from the top, never paged through.
        people = sorted(page.order_by(), key=lambda p: hits[p.pk][0])
        more, cursor = False, None
    # --- end name search ---
    elif before is not None:
        backwards = page.filter(_after(columns, before, not descending)).order_by(
            *(c if descending else f"-{c}" for c in columns))
        people = list(backwards[: PAGE_SIZE + 1])
        earlier = len(people) > PAGE_SIZE
        people = people[:PAGE_SIZE][::-1]
        # Going back may reach the first page: it then reads (and links) as the first page.
        more, cursor = True, (before if earlier else None)
    else:
        if cursor is not None:
            page = page.filter(_after(columns, cursor, descending))
        people = list(page[: PAGE_SIZE + 1])
        more = len(people) > PAGE_SIZE
    return capped, people, more, cursor, hits


@require_safe
@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    if not policy.can(request.user, "registry.view"):
        not_found()
    form = PersonFilterForm(request.GET)
    organisation_slug = request.GET.get("org", "").strip()
    sort = (form.cleaned_data.get("sort") if form.is_valid() else "") or "name"
    columns, descending = SORTS[sort]
    cursor = _cursor(request.GET.get("after", ""), columns)
    # "Earlier people": the page that ends just before this cursor (read backwards, then turned round).
    before = _cursor(request.GET.get("before", ""), columns) if cursor is None else None
    query = (form.cleaned_data.get("q") or "") if form.is_valid() else ""
    hits: dict[int, Any] = {}
    simple = listing.simple_filters(form, organisation_slug=organisation_slug)
    if simple is not None and before is None:
        # The common case, in hand-written SQL (listing.first_page; a test holds it to people_for).
        capped, people = listing.first_page(
            request.user, simple, fields=PAGE_FIELDS, columns=columns, descending=descending, after=cursor,
            limit=PAGE_SIZE + 1, count_cap=COUNT_CAP if cursor is None else None)
        more = len(people) > PAGE_SIZE
    else:
        capped, people, more, cursor, hits = _page_through_orm(
            request, form, organisation_slug, columns, descending, cursor, before, query)
    search_capped = bool(hits) and len(people) > PAGE_SIZE
    people = people[:PAGE_SIZE]
    uid = int(request.user.pk or 0)
    # The case team sees more only of records raised above "internal" (the list's
    # own fields are internal at most): ask about those alone, usually none.
    raised = [p.pk for p in people if p.sensitivity_floor is not None or p.sensitivity_overrides]
    on_teams = set(Person.case_team.through.objects.filter(person_id__in=raised, user_id=uid)
                   .values_list("person_id", flat=True)) if raised else set()
    audiences: dict[tuple[int, bool], Any] = {}
    language = get_language() or ""
    rows = []
    for person in people:
        pk = person.pk
        team = pk in on_teams
        audience = audiences.get((person.organisation_id, team))
        if audience is None:  # one audience per owner and team place, not one per row
            reader = Reader(request.user, frozenset({uid}) if team else frozenset())
            audience = audiences[(person.organisation_id, team)] = reader.audience(person)
        row = shown(person, audience, LIST_FIELDS, language=language)
        if row is None or "uuid" not in row:
            continue
        # The name that matched best, as this reader may see it (checked by the search), and why.
        hit = hits[pk][1] if pk in hits else None
        row["matched"] = {"text": hit.name, "language": hit.language, "score": hit.score,
                          "why": search.why(query, hit.name)} if hit is not None else None
        rows.append(row)
    next_cursor = previous_cursor = None
    if more and people:
        last = people[-1]
        next_cursor = _encode_cursor([getattr(last, c) for c in columns])
    if cursor is not None and people:
        previous_cursor = _encode_cursor([getattr(people[0], c) for c in columns])
    return render(request, "registry/person_list.html", {
        "form": form,
        "filter_fields": filter_fields_html(form),
        "rows": rows,
        "count": None if capped is None else min(capped, COUNT_CAP),
        "count_capped": capped is not None and capped > COUNT_CAP,
        "next_cursor": next_cursor,
        "previous_cursor": previous_cursor,
        "paged": cursor is not None,
        "query": query,
        "search_capped": search_capped,
        "filtered": any(v for k, v in request.GET.items() if k not in ("sort", "after", "before")),
        "can_create": policy.can(request.user, "registry.edit"),
        "can_export": policy.can(request.user, "registry.export"),
        "countries": countries_datalist(),
    }, status=200 if form.is_valid() else 400)


# --- the person page -----------------------------------------------------------------------------


@require_safe
@login_required
def person_detail(request: HttpRequest, person: UUID) -> HttpResponse:
    # Deduplication (issue 4): a record merged into another sends its readers there.
    from unforgotten.registry.views.duplicates import merged_redirect
    retired = Person.objects.filter(uuid=person, merged_into__isnull=False).first()
    if retired is not None and (moved := merged_redirect(request, retired)) is not None:
        return moved
    record, reader = person_for(request, person, "registry.view")
    context = person_page_context(request, record, reader)
    if context.get("on_team"):
        # The case team sees restricted fields (legal strategy, health, monitor notes):
        # that read is an audit event of its own, with field names only.
        record_read("registry.read_restricted", actor=request.user, obj=record, fields=RESTRICTED_ON_PAGE)
    return render(request, "registry/person_detail.html", context)


RESTRICTED_ON_PAGE = sorted(
    f"{model._meta.model_name}.{name}"
    for model in (Person, Case, Hearing, DetentionPeriod, Relationship)
    for name, level in model.SENSITIVITY.items()
    if level == Sensitivity.RESTRICTED
)


# --- creating and editing a person ----------------------------------------------------------------


def _editable_organisations(request: HttpRequest) -> list[Organisation]:
    ids = policy.organisation_ids(request.user, "view")
    orgs = Organisation.objects.filter(pk__in=ids, is_active=True).order_by("name")
    return [o for o in orgs if policy.can(request.user, "registry.edit", o)]


def _name_inputs(rows: list[dict[str, Any]]) -> list[NameInput]:
    return [NameInput(text=r["text"].strip(), script=r.get("script") or "", language=r.get("language") or "",
                      kind=r.get("kind") or "legal", is_primary=bool(r.get("is_primary"))) for r in rows]


@require_http_methods(["GET", "POST"])
@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    organisations = _editable_organisations(request)
    if not organisations:
        not_found()
    data = request.POST if request.method == "POST" else None
    form = PersonForm(data)
    names = cast(BaseNameFormSet, NameFormSet(data, prefix="names"))
    org_form = OrganisationChoiceForm(data, organisations=[(o.pk, o.name) for o in organisations]) \
        if len(organisations) > 1 else None
    if data is not None:
        valid = [form.is_valid(), names.is_valid(), org_form.is_valid() if org_form else True]
        if all(valid):
            chosen = org_form.cleaned_data["organisation"] if org_form else organisations[0].pk
            organisation = next(o for o in organisations if o.pk == chosen)
            # Deduplication (issue 4): show probable duplicates first; never blocks ("this is a new person").
            possible = [] if request.POST.get("confirm_new") else _possible_duplicates(
                request, organisation, [n.text for n in _name_inputs(names.names())])
            if possible:
                return render(request, "registry/person_form.html", {
                    "form": form, "names": names, "org_form": org_form, "creating": True,
                    "countries": countries_datalist(), "possible_duplicates": possible})
            try:
                created = actions.do_create_person(
                    organisation=organisation, names=_name_inputs(names.names()),
                    data=model_data(form, PersonForm.MODEL_FIELDS), acting_user=request.user,
                    reason=form.cleaned_data.get("reason", ""))
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                messages.success(request, _("The record is created."))
                return redirect("registry:person_detail", person=created.uuid)
    failed = data is not None
    return render(request, "registry/person_form.html", {
        "form": form, "names": names, "org_form": org_form, "creating": True,
        "countries": countries_datalist(),
    }, status=400 if failed else 200)


def _possible_duplicates(request: HttpRequest, organisation: Organisation, names: list[str]) -> list[dict[str, Any]]:
    """People of the organisation the user may see whose names match the new names closely (issue 4)."""
    from unforgotten.names import score
    from unforgotten.registry.duplicates import candidates_for_names

    hits = candidates_for_names(request.user, organisation.pk, names)
    people = Person.objects.in_bulk([h.person_id for h in hits])
    uid = int(request.user.pk or 0)
    out = []
    for hit in hits:
        person = people.get(hit.person_id)
        if person is None:
            continue
        reader = Reader(request.user, frozenset({uid}) if person.case_team.filter(pk=uid).exists() else frozenset())
        row = reader.show(person, ("uuid", "display_name", "country", "current_status"))
        if row and "uuid" in row:
            best = max(names, key=lambda n: score(n, hit.name))
            out.append({**row, "matched": hit.name, "score": hit.score, "why": search.why(best, hit.name)})
    return out


@require_http_methods(["GET", "POST"])
@login_required
def person_edit(request: HttpRequest, person: UUID) -> HttpResponse:
    record, reader = person_for(request, person, "registry.edit")
    shown = reader.show(record) or {}
    data = request.POST if request.method == "POST" else None
    form = PersonForm(data, initial=shown)
    keep_only(form, shown.keys(), PersonForm.MODEL_FIELDS)
    if data is not None and form.is_valid():
        try:
            actions.do_update_person(person=record, data=model_data(form, PersonForm.MODEL_FIELDS),
                                     acting_user=request.user, reason=form.cleaned_data.get("reason", ""))
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("registry:person_detail", person=record.uuid)
    return render(request, "registry/person_form.html", {
        "form": form, "person": shown, "creating": False, "countries": countries_datalist(),
    }, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def person_names(request: HttpRequest, person: UUID) -> HttpResponse:
    record, reader = person_for(request, person, "registry.edit")
    shown_person = reader.show(record) or {}
    current = [reader.show(n) for n in record.names.all()]
    if any(n is None or "text" not in n for n in current):
        # Rewriting the names would drop ones this reader cannot see.
        not_found()
    initial = [{"text": n["text"], "script": n.get("script", ""), "language": n.get("language", ""),
                "kind": n.get("kind", "legal"), "is_primary": n.get("is_primary", False)} for n in current if n]
    data = request.POST if request.method == "POST" else None
    names = cast(BaseNameFormSet, NameEditFormSet(data, prefix="names", initial=initial))
    reason = NamesReasonForm(data)
    if data is not None and names.is_valid() and reason.is_valid():
        try:
            actions.do_set_names(person=record, names=_name_inputs(names.names()), acting_user=request.user,
                                 reason=reason.cleaned_data.get("reason", ""))
        except ValidationError as exc:
            errors_to_form(reason, exc)
        else:
            messages.success(request, _("Names saved."))
            return redirect("registry:person_detail", person=record.uuid)
    failed = data is not None
    return render(request, "registry/names_form.html", {
        "names": names, "form": reason, "person": shown_person,
    }, status=400 if failed else 200)

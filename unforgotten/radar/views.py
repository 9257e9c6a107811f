"""The coordinators' radar at /work/radar/: cases sorted by neglect, each saying why; media mentions.

Thin views: who may read is the policy's answer (``radar.view``), every value
shown comes from the caller's projection (reading.py), every change is one
action. Anything the caller may not see answers "not found".
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from unforgotten import policy
from unforgotten.advocacy.forms import errors_to_form, initial_from, keep_only
from unforgotten.advocacy.reading import Reader
from unforgotten.core.views import not_found
from unforgotten.radar import actions, engine, reading
from unforgotten.radar.forms import MediaMentionForm
from unforgotten.radar.models import MediaMention, Signal
from unforgotten.registry.models import Case
from unforgotten.registry.vocabularies import Status

VIEW, EDIT = "radar.view", "radar.edit"
MEDIA_FIELDS = ("uuid", "outlet", "url", "published", "language", "note")


def _case(request: HttpRequest, pk: int, permission: str) -> tuple[Case, Reader]:
    case = Case.objects.select_related("person", "organisation").filter(pk=pk).first()
    reader = Reader(request.user)
    if case is None or not policy.can(request.user, permission, case) or not reader.case_visible(case):
        not_found()
    return case, reader


def _mention(request: HttpRequest, key: UUID, permission: str) -> tuple[MediaMention, Reader]:
    obj = MediaMention.objects.select_related("case__person").filter(uuid=key).first()
    reader = Reader(request.user)
    if obj is None or not policy.can(request.user, permission, obj) or not reader.case_visible(obj.case) \
            or not reader.sees(obj, obj.case.person_id):
        not_found()
    return obj, reader


@require_safe
@login_required
def home(request: HttpRequest) -> HttpResponse:
    orgs = reading.organisations_of(request.user)
    if not orgs:
        not_found()
    today = timezone.localdate()
    chosen = [o for o in orgs if o.slug == request.GET.get("organisation")] or orgs
    errors: dict[str, str] = {}
    raw = {k: request.GET.get(k, "") for k in ("country", "status", "missing", "after")}
    try:
        country, status, missing = reading.check_filters(raw["country"], raw["status"], raw["missing"])
    except reading.BadFilter as exc:
        errors[exc.field] = exc.message
        country = status = missing = ""
    try:
        after = reading.parse_cursor(raw["after"])
    except reading.BadFilter as exc:
        errors[exc.field] = exc.message
        after = None
    f = reading.Filters(organisations=tuple(o.pk for o in chosen), country=country, status=status, missing=missing,
                        after=after)
    rows, next_cursor = reading.page(request.user, f, today, reading.PAGE_SIZE)
    query = request.GET.copy()
    query.pop("after", None)
    if next_cursor:
        query["after"] = next_cursor
    return render(request, "radar/home.html", {
        "rows": [{"r": r, "why": reading.why_text(r, today),
                  "since": {k: r.days_since(k, today) for k in engine.TIE_ORDER}} for r in rows],
        "signals": Signal.choices, "statuses": Status.choices, "organisations": orgs,
        "chosen": chosen[0].slug if len(chosen) == 1 and len(orgs) > 1 else "",
        "country": country, "status": status, "missing": missing, "errors": errors, "today": today,
        "next_url": f"?{query.urlencode()}" if next_cursor else "", "first_page": after is None,
    }, status=400 if errors else 200)


@require_safe
@login_required
def case_detail(request: HttpRequest, case: int) -> HttpResponse:
    obj, reader = _case(request, case, VIEW)
    today = timezone.localdate()
    row = reading.one(request.user, obj, today)
    if row is None:
        not_found()
    mentions = [{"m": reader.show(m, MEDIA_FIELDS, obj.person_id), "uuid": m.uuid}
                for m in obj.media_mentions.all() if reader.sees(m, obj.person_id)]
    return render(request, "radar/case.html", {
        "row": row, "why": reading.why_text(row, today), "case": obj, "mentions": mentions,
        "signals": [{"kind": k, "label": reading.signal_label(k), "day": row.days.get(k),
                     "since": row.days_since(k, today), "weight": engine.WEIGHTS[k]} for k in engine.TIE_ORDER],
        "can_edit": policy.can(request.user, EDIT, obj),
    })


def _form_page(request: HttpRequest, form: MediaMentionForm, *, title: str, case: Case, reader: Reader,
               removable: bool = False) -> HttpResponse:
    name = reader.show(case.person, ("display_name",), case.person_id).get("display_name") or _("(name not shown)")
    return render(request, "radar/form.html", {
        "form": form, "title": title, "name": name, "case": case, "removable": removable,
        "back": reverse("radar:case", kwargs={"case": case.pk}),
    }, status=400 if form.is_bound and form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def media_create(request: HttpRequest, case: int) -> HttpResponse:
    obj, reader = _case(request, case, EDIT)
    form = MediaMentionForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            actions.do_log_media_mention(case=obj, data=dict(form.cleaned_data), acting_user=request.user)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Media mention recorded."))
            return HttpResponseRedirect(reverse("radar:case", kwargs={"case": obj.pk}))
    return _form_page(request, form, title=_("Log a media mention"), case=obj, reader=reader)


@require_http_methods(["GET", "POST"])
@login_required
def media_edit(request: HttpRequest, mention: UUID) -> HttpResponse:
    obj, reader = _mention(request, mention, EDIT)
    back = reverse("radar:case", kwargs={"case": obj.case_id})
    if request.method == "POST" and request.POST.get("remove") == "1":
        actions.do_remove_media_mention(mention=obj, acting_user=request.user)
        messages.success(request, _("Media mention removed."))
        return HttpResponseRedirect(back)
    shown = reader.show(obj, MEDIA_FIELDS, obj.case.person_id)
    form = MediaMentionForm(request.POST if request.method == "POST" else None, initial=initial_from(shown))
    keep_only(form, shown)
    if form.is_bound and form.is_valid():
        data: dict[str, Any] = {k: form.cleaned_data[k] for k in form.fields if k in form.cleaned_data}
        try:
            actions.do_update_media_mention(mention=obj, data=data, acting_user=request.user)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Media mention saved."))
            return HttpResponseRedirect(back)
    return _form_page(request, form, title=_("Edit the media mention"), case=obj.case, reader=reader, removable=True)

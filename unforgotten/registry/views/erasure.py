"""Erasing a case or a source from the person page (issue 5, item 7): POST only, reviewers and
organisation admins, after re-entering a credential, with a reason kept in the audit trail."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from unforgotten.accounts.sudo import require_sudo
from unforgotten.core.views import posted
from unforgotten.registry import erasure
from unforgotten.registry.models import Case, Source
from unforgotten.registry.views._common import person_for, related_for

ERASE = "registry.review"  # a senior decision: the same people who decide recognition


def _back(person_uuid: UUID, anchor: str) -> HttpResponse:
    return HttpResponseRedirect(reverse("registry:person_detail", kwargs={"person": person_uuid}) + anchor)


@require_POST
@login_required
def case_erase(request: HttpRequest, person: UUID, case: int) -> HttpResponse:
    record, reader = person_for(request, person, ERASE)
    target = related_for(Case.objects.filter(person=record), reader, pk=case)
    require_sudo(request)
    try:
        erasure.do_erase_case(case=target, acting_user=request.user, reason=posted(request, "reason")[:500])
    except ValidationError:
        messages.error(request, _("Say why the case is erased: the reason is kept in the audit trail."))
        return _back(record.uuid, "#cases")
    messages.success(request, _("The case, its charges, hearings and sentences and their history are erased."))
    return _back(record.uuid, "#cases")


@require_POST
@login_required
def source_erase(request: HttpRequest, person: UUID, source: UUID) -> HttpResponse:
    record, reader = person_for(request, person, ERASE)
    target = related_for(Source.objects.filter(organisation_id=record.organisation_id), reader, uuid=source)
    require_sudo(request)
    try:
        erasure.do_erase_source(source=target, acting_user=request.user, reason=posted(request, "reason")[:500])
    except ValidationError:
        messages.error(request, _("Say why the source is erased: the reason is kept in the audit trail."))
        return _back(record.uuid, "#sources")
    messages.success(request, _("The source, its identity, citations and history are erased."))
    return _back(record.uuid, "#sources")


# --- a whole person and its retention date (issue 5, helper "evidence") ----------------------------


@require_POST
@login_required
def person_erase(request: HttpRequest, person: UUID) -> HttpResponse:
    record, _reader = person_for(request, person, ERASE)
    require_sudo(request)
    if request.POST.get("confirm") != "erase":
        messages.error(request, _("Tick the box to confirm that everything about this person is erased."))
        return _back(record.uuid, "#retention")
    try:
        erasure.do_erase_person(person=record, acting_user=request.user, reason=posted(request, "reason")[:500])
    except ValidationError as exc:
        if "person" in getattr(exc, "message_dict", {}):
            messages.error(request, _("This person was merged with another record: undo the merge first."))
        else:
            messages.error(request, _("Say why the person is erased: the reason is kept in the audit trail."))
        return _back(record.uuid, "#retention")
    messages.success(request, _("The person and every record about them, with their history and evidence, are erased."))
    return HttpResponseRedirect(reverse("registry:person_list"))


@require_POST
@login_required
def person_retention(request: HttpRequest, person: UUID) -> HttpResponse:
    record, _reader = person_for(request, person, ERASE)
    require_sudo(request)
    raw = request.POST.get("erase_after", "").strip()
    try:
        when = date.fromisoformat(raw) if raw else None
    except ValueError:
        messages.error(request, _("Give the retention date as a date (YYYY-MM-DD), or leave it empty."))
        return _back(record.uuid, "#retention")
    try:
        erasure.do_set_retention(person=record, erase_after=when, acting_user=request.user,
                                 reason=posted(request, "reason")[:500])
    except ValidationError as exc:
        if "erase_after" in getattr(exc, "message_dict", {}):
            messages.error(request, _("The retention date is in the past: erase the person instead."))
        else:
            messages.error(request, _("Say why the retention date changes: the reason is kept in the audit trail."))
        return _back(record.uuid, "#retention")
    messages.success(request, _("The retention date is saved."))
    return _back(record.uuid, "#retention")

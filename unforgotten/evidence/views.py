"""Evidence pages under /work/evidence/: a person's items, upload, an item with its custody, download, derivatives.

Thin views: the item is found through the policy (``item_for``), read through
the projection, and every act is one action function. Bytes only ever leave as
attachments with ``nosniff`` and a sandboxing CSP, whatever the type.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from unforgotten import policy
from unforgotten.accounts.sudo import require_sudo
from unforgotten.core.views import not_found
from unforgotten.evidence import actions, store, uploads
from unforgotten.evidence.forms import PublishForm, ReasonForm, UploadForm
from unforgotten.evidence.models import CustodyEvent, EvidenceItem
from unforgotten.registry.models import Person
from unforgotten.registry.views._common import Reader, case_team_ids, person_for

ITEM_FIELDS = ("uuid", "title", "description", "display_name", "media_type", "kind_label", "scriptable", "size",
               "sha256", "client_sha256", "role", "publishable", "collection_method", "collected_url",
               "collected_on", "created_at", "last_fixity_at", "last_fixity_ok", "target_type", "target_id")


def item_for(request: HttpRequest, item_uuid: UUID, permission: str) -> tuple[EvidenceItem, Person, Reader]:
    """The item named in the URL if the user may ``permission`` it (and see its person); else "not found"."""
    item = EvidenceItem.objects.select_related("person", "source", "parent").filter(uuid=item_uuid).first()
    if item is None or item.person is None or not policy.can(request.user, permission, item):
        not_found()  # (a live item always has its person; only an erased one loses it)
    person = item.person
    reader = Reader(request.user, case_team_ids(person))
    if not (reader.may_see_record(person) and reader.may_see_record(item)):
        not_found()
    return item, person, reader


def on_case_team(reader: Reader, item: EvidenceItem) -> bool:
    return reader.audience(item).kind == "case_team"


def item_view(reader: Reader, item: EvidenceItem) -> dict[str, Any]:
    data = reader.show(item, ITEM_FIELDS) or {}
    if item.source is not None and reader.may_see_record(item.source):
        # Label and grading only: the identity is sealed and never shown here.
        data["source"] = reader.show(item.source, ("uuid", "label", "connection", "reliability", "credibility"))
    data["is_original"] = item.is_original
    return data


@require_safe
@login_required
def person_items(request: HttpRequest, person: UUID) -> HttpResponse:
    record, reader = person_for(request, person, "registry.view")
    if not policy.can(request.user, "evidence.view", record):
        not_found()
    items = [item_view(reader, i) for i in record.evidence_items.select_related("source").order_by("-created_at", "-id")
             if reader.may_see_record(i)]
    return render(request, "evidence/person_items.html", {
        "person": reader.show(record) or {}, "items": items,
        "can_add": policy.can(request.user, "evidence.add", record) and record.merged_into_id is None,
        "max_bytes": settings.EVIDENCE_MAX_BYTES,
    })


@csrf_exempt  # the handler must be swapped before CSRF reads the body; _upload is csrf_protect'ed
@require_http_methods(["GET", "POST"])
@login_required
def upload(request: HttpRequest, person: UUID) -> HttpResponse:
    handler = uploads.install(request)
    try:
        return _upload(request, person, handler)
    finally:
        if handler is not None:
            handler.cleanup()


@csrf_protect
def _upload(request: HttpRequest, person: UUID, handler: uploads.EvidenceUploadHandler | None) -> HttpResponse:
    record, reader = person_for(request, person, "registry.edit")
    if not policy.can(request.user, "evidence.add", record):
        not_found()
    context: dict[str, Any] = {"person": reader.show(record) or {}, "max_bytes": settings.EVIDENCE_MAX_BYTES}
    if request.method == "POST" and uploads.declared_too_large(request):
        problem = _("The file is larger than the limit of %(n)s bytes: nothing was stored.") % {
            "n": f"{settings.EVIDENCE_MAX_BYTES:,}"}
        return render(request, "evidence/upload.html", {**context, "form": UploadForm(person=record),
                                                        "problem": problem}, status=413)
    try:
        form = UploadForm(request.POST if request.method == "POST" else None, person=record)
        files = request.FILES if request.method == "POST" else {}
    except MultiPartParserError:
        problem = _("The upload could not be read (a damaged or cut-off form): nothing was stored.")
        return render(request, "evidence/upload.html", {**context, "form": UploadForm(person=record),
                                                        "problem": problem}, status=400)
    if request.method != "POST":
        return render(request, "evidence/upload.html", {**context, "form": form})
    upload_file = files.get(uploads.FIELD)
    status = 400
    valid = form.is_valid()  # first, so errors can be added to a cleaned form
    if handler is not None and handler.problem:
        form.add_error(None, handler.problem)
        status = 413 if "larger" in handler.problem else 400
    elif not isinstance(upload_file, uploads.SealedUpload):
        form.add_error(None, _("Choose a file to upload."))
    elif valid:
        data = form.cleaned_data
        try:
            meta = actions.Metadata(title=data["title"], description=data["description"], source=data["source"],
                                    target=data["case"], collection_method=data["collection_method"],
                                    collected_url=data["collected_url"] or "", collected_on=data["collected_on"],
                                    purpose=data["purpose"])
            item = actions.ingest(person=record, sealed=upload_file.sealed, item_uuid=upload_file.item_uuid,
                                  file_name=upload_file.name or "", client_sha256=actions.normalise_client_hash(data["sha256"]),
                                  meta=meta, acting_user=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        except OSError:
            form.add_error(None, _("The file could not be stored (a disk error): nothing was stored. Try again."))
            status = 503
        else:
            messages.success(request, _("The file is stored, encrypted, with its SHA-256 recorded."))
            return HttpResponseRedirect(reverse("evidence:item", kwargs={"item": item.uuid}))
    return render(request, "evidence/upload.html", {**context, "form": form}, status=status)


@require_safe
@login_required
def item(request: HttpRequest, item: UUID) -> HttpResponse:
    obj, person, reader = item_for(request, item, "evidence.view")
    actions.do_view_evidence(item=obj, acting_user=request.user)
    team = on_case_team(reader, obj)
    events = CustodyEvent.objects.filter(item=obj).order_by("id")
    derivatives = [item_view(reader, d) for d in obj.derivatives.order_by("id") if reader.may_see_record(d)]
    return render(request, "evidence/item.html", {
        "person": reader.show(person) or {}, "item": item_view(reader, obj),
        "parent": item_view(reader, obj.parent) if obj.parent is not None else None,
        "derivatives": derivatives, "custody": events, "on_team": team,
        "may_download": team or not obj.is_original,
        "may_derive": team and obj.is_original and policy.can(request.user, "evidence.add", obj),
        "may_publish": not obj.is_original and policy.can(request.user, "evidence.publish", obj),
        "publish_form": PublishForm(initial={"publishable": not obj.publishable}),
    })


def _download_name(reader: Reader, obj: EvidenceItem) -> str:
    shown = reader.show(obj, ("display_name",)) or {}
    name = str(shown.get("display_name") or "")
    if not name:
        ext = obj.media_type.split("/")[-1].split("+")[0] if "/" in obj.media_type else "bin"
        name = f"evidence-{obj.uuid}.{ext if ext.isalnum() else 'bin'}"
    return name


def file_response(obj: EvidenceItem, filename: str) -> StreamingHttpResponse:
    """The item's bytes as an attachment, never rendered: nosniff, sandboxing CSP, declared length and digest."""

    def body() -> Iterator[bytes]:
        yield from store.iter_plaintext(obj.storage_name, str(obj.uuid))

    # A scriptable type is sent as plain bytes: no browser may ever treat it as a page.
    content_type = "application/octet-stream" if obj.scriptable else obj.media_type
    response = StreamingHttpResponse(body(), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Content-Length"] = str(obj.size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Repr-Digest"] = "sha-256=:" + base64.b64encode(bytes.fromhex(obj.sha256)).decode("ascii") + ":"
    response["X-Content-SHA256"] = obj.sha256
    return response


@require_http_methods(["GET", "POST"])
@login_required
def download(request: HttpRequest, item: UUID) -> HttpResponse | StreamingHttpResponse:
    obj, person, reader = item_for(request, item, "evidence.view")
    if obj.is_original:
        # The original can carry what derivatives remove (a witness's GPS position, a device serial):
        # the case team only, after re-entering a credential.
        if not on_case_team(reader, obj):
            not_found()
        require_sudo(request)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            actions.do_download_evidence(item=obj, acting_user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        else:
            return file_response(obj, _download_name(reader, obj))
    return render(request, "evidence/download.html", {
        "person": reader.show(person) or {}, "item": item_view(reader, obj), "form": form,
    }, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def derive(request: HttpRequest, item: UUID) -> HttpResponse:
    obj, person, reader = item_for(request, item, "evidence.add")
    if not (obj.is_original and on_case_team(reader, obj)):
        not_found()  # only the case team opens an original, even to strip it
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            child = actions.make_derivative(item=obj, acting_user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        except store.DecryptionError:
            form.add_error(None, _("The original cannot be decrypted: it fails its integrity check. Nothing was made."))
        else:
            messages.success(request, _("A derivative without metadata is stored beside the original."))
            return HttpResponseRedirect(reverse("evidence:item", kwargs={"item": child.uuid}))
    return render(request, "evidence/derive.html", {
        "person": reader.show(person) or {}, "item": item_view(reader, obj), "form": form,
    }, status=400 if form.errors else 200)


@require_POST
@login_required
def set_publishable(request: HttpRequest, item: UUID) -> HttpResponse:
    obj, _person, _reader = item_for(request, item, "evidence.publish")
    if obj.is_original:
        not_found()
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            actions.do_set_publishable(item=obj, publishable=form.cleaned_data["publishable"],
                                       acting_user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Give a reason."))
    return HttpResponseRedirect(reverse("evidence:item", kwargs={"item": obj.uuid}))

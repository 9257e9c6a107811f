"""The evidence JSON API, mounted at /api/v1/evidence/: the same policy, projection and actions as the pages.

- List a person's items, read one item's metadata (a custody "viewed" event, as
  on the page) and its custody history: whoever reads the person.
- Upload: multipart ``file`` plus form fields; the client's SHA-256 in the
  ``X-Content-SHA256`` header (or ``Repr-Digest: sha-256=:…:``, or a ``sha256``
  field). The body is encrypted as it arrives (the upload handler is installed
  in the authentication step, before anything reads the body); a mismatch
  stores nothing. Editors of the person's organisation.
- Download: POST with a JSON ``{"reason": …}``; originals to the case team only
  (a session that re-authenticated within 15 minutes; tokens are never on a
  case team), derivatives to every reader. Always an attachment, ``nosniff``,
  sandboxing CSP.
"""

# No postponed annotations here: ninja reads the endpoint signatures at import time.
import base64
import binascii
import json
from datetime import datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from ninja import Router, Schema, Status
from ninja.errors import ValidationError as NinjaValidationError

from unforgotten import policy
from unforgotten.api import auth as api_auth
from unforgotten.api.schemas import responses
from unforgotten.evidence import actions, uploads
from unforgotten.evidence.forms import UploadForm
from unforgotten.evidence.models import CustodyEvent, EvidenceItem
from unforgotten.evidence.views import (
    ITEM_FIELDS,
    _download_name,
    file_response,
    item_view,
    on_case_team,
)
from unforgotten.registry.models import Person
from unforgotten.registry.views._common import Reader, case_team_ids

router = Router(tags=["evidence"])


class SourceOut(Schema):
    uuid: UUID
    label: str | None = None
    connection: str | None = None
    reliability: str | None = None
    credibility: str | None = None


class ItemOut(Schema):
    uuid: UUID
    title: str | None = None
    description: str | None = None
    display_name: str | None = None
    media_type: str | None = None
    kind_label: str | None = None
    scriptable: bool | None = None
    size: int | None = None
    sha256: str | None = None
    role: str | None = None
    parent: UUID | None = None
    publishable: bool | None = None
    collection_method: str | None = None
    collected_url: str | None = None
    created_at: datetime | None = None
    last_fixity_at: datetime | None = None
    last_fixity_ok: bool | None = None
    source: SourceOut | None = None


class CustodyOut(Schema):
    at: datetime
    action: str
    actor: str
    purpose: str | None = None
    resulting_sha256: str


class DownloadIn(Schema):
    reason: str


class ErrorOut(Schema):
    error: str
    errors: list[dict[str, str]] = []


def _item_out(reader: Reader, item: EvidenceItem) -> dict[str, Any]:
    data = item_view(reader, item)
    data = {k: v for k, v in data.items() if k in ITEM_FIELDS or k == "source"}
    data["parent"] = item.parent.uuid if item.parent_id and item.parent is not None else None
    return data


# --- finding records through the policy ---------------------------------------------------------------


def _person(request: HttpRequest, raw: object, permission: str) -> tuple[Person, Reader]:
    try:
        key = raw if isinstance(raw, UUID) else UUID(str(raw))
    except ValueError:
        raise Http404() from None
    person = Person.objects.filter(uuid=key).first()
    if person is None or not policy.can(request.user, "registry.view", person) \
            or not policy.can(request.user, permission, person):
        raise Http404()
    reader = Reader(request.user, case_team_ids(person))
    if not reader.may_see_record(person):
        raise Http404()
    return person, reader


def _item(request: HttpRequest, raw: UUID) -> tuple[EvidenceItem, Reader]:
    item = EvidenceItem.objects.select_related("person", "source", "parent").filter(uuid=raw).first()
    if item is None or item.person is None or not policy.can(request.user, "evidence.view", item):
        raise Http404()
    reader = Reader(request.user, case_team_ids(item.person))
    if not (reader.may_see_record(item.person) and reader.may_see_record(item)):
        raise Http404()
    return item, reader


# --- uploads: the handler goes in before anything reads the body -----------------------------------------


def _kwargs(request: HttpRequest) -> dict[str, Any]:
    match = getattr(request, "resolver_match", None)
    return dict(match.kwargs) if match is not None else {}


def _may_upload(request: HttpRequest) -> None:
    _person(request, _kwargs(request).get("uuid"), "evidence.add")


def _may_download(request: HttpRequest) -> None:
    try:
        key = UUID(str(_kwargs(request).get("uuid")))
    except ValueError:
        raise Http404() from None
    item, reader = _item(request, key)
    if item.is_original and not on_case_team(reader, item):
        raise Http404()
    try:
        json.loads(request.body or b"")
    except ValueError:
        raise NinjaValidationError([{"loc": ("body",), "msg": 'Send a JSON object: {"reason": "…"}.'}]) from None


class GatedTokenAuth(api_auth.TokenAuth):
    """A token, then the policy's answer for this route ("not found"), before the body is read."""

    def __init__(self, gate: Any, *, install: bool = False) -> None:
        super().__init__()
        self.gate, self.install = gate, install

    def __call__(self, request: HttpRequest) -> Any:
        if self.install:
            uploads.install(request)
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        principal = super().authenticate(request, token)
        if principal is not None:
            self.gate(request)
        return principal


class GatedSessionAuth(api_auth.SessionAuth):
    """A session, then the policy's answer, asked before the CSRF check reads the body."""

    def __init__(self, gate: Any, *, install: bool = False) -> None:
        super().__init__()
        self.gate, self.install = gate, install

    def __call__(self, request: HttpRequest) -> Any:
        if self.install:
            uploads.install(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active and super().authenticate(request, None):
            self.gate(request)
        return super().__call__(request)


def _client_hash(request: HttpRequest, field: str) -> str:
    header = request.headers.get("X-Content-SHA256", "")
    digest = request.headers.get("Repr-Digest", "") or request.headers.get("Content-Digest", "")
    if not header and digest.lower().startswith("sha-256=:"):
        try:
            header = base64.b64decode(digest.split(":")[1], validate=True).hex()
        except (binascii.Error, ValueError, IndexError):
            raise DjangoValidationError({"sha256": "The Repr-Digest header is not valid base64."}) from None
    return actions.normalise_client_hash(header or field)


def _error(status: int, message: str, errors: list[dict[str, str]] | None = None) -> JsonResponse:
    return JsonResponse({"error": message, "errors": errors or []}, status=status)


_UPLOAD_BODY = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file", "title"],
    "properties": {
        "file": {"type": "string", "format": "binary"},
        "title": {"type": "string", "maxLength": 200},
        "description": {"type": "string"},
        "source": {"type": "integer", "description": "id of a source of the same organisation"},
        "case": {"type": "integer", "description": "id of a case of the same person"},
        "collection_method": {"type": "string"},
        "collected_url": {"type": "string"},
        "collected_on": {"type": "string", "format": "date"},
        "sha256": {"type": "string", "description": "or the X-Content-SHA256 header"},
        "purpose": {"type": "string"},
    }}}}}}


@router.post("/people/{uuid}/items",
             response={**responses(ItemOut, 201), 400: ErrorOut, 413: ErrorOut, 503: ErrorOut},
             auth=[GatedTokenAuth(_may_upload, install=True), GatedSessionAuth(_may_upload, install=True)],
             summary="Upload an evidence file",
             description="Multipart form with a `file` and its metadata. Send the file's SHA-256 in "
                         "`X-Content-SHA256`: a mismatch stores nothing (422). Over the size limit: 413.",
             openapi_extra=_UPLOAD_BODY)
def upload_evidence(request: HttpRequest, uuid: UUID) -> Any:
    handler: uploads.EvidenceUploadHandler | None = getattr(request, "_uf_evidence_handler", None)
    try:
        person, reader = _person(request, uuid, "evidence.add")
        if uploads.declared_too_large(request):
            return _error(413, "The file is larger than the size limit: nothing was stored.")
        try:
            form = UploadForm(request.POST, person=person)
            upload_file = request.FILES.get(uploads.FIELD)
        except MultiPartParserError:
            return _error(400, "The upload could not be read (a damaged or cut-off form): nothing was stored.")
        if handler is not None and handler.problem:
            return _error(413 if "larger" in handler.problem else 400, handler.problem)
        if not isinstance(upload_file, uploads.SealedUpload):
            return _error(422, "Send the file as multipart form data in the field `file`.")
        if not form.is_valid():
            return _error(422, "invalid input", [{"where": k, "problem": str(v[0])} for k, v in form.errors.items()])
        data = form.cleaned_data
        try:
            client_hash = _client_hash(request, data["sha256"])
            meta = actions.Metadata(title=data["title"], description=data["description"], source=data["source"],
                                    target=data["case"], collection_method=data["collection_method"],
                                    collected_url=data["collected_url"] or "", collected_on=data["collected_on"],
                                    purpose=data["purpose"])
            item = actions.ingest(person=person, sealed=upload_file.sealed, item_uuid=upload_file.item_uuid,
                                  file_name=upload_file.name or "", client_sha256=client_hash, meta=meta,
                                  acting_user=request.user)
        except DjangoValidationError as exc:
            errors = [{"where": k, "problem": str(v[0])} for k, v in exc.message_dict.items()] \
                if hasattr(exc, "error_dict") else [{"where": "", "problem": m} for m in exc.messages]
            return _error(422, errors[0]["problem"] if errors else "invalid input", errors)
        except OSError:
            return _error(503, "The file could not be stored (a disk error): nothing was stored. Try again.")
        return Status(201, _item_out(reader, item))
    finally:
        if handler is not None:
            handler.cleanup()


@router.get("/people/{uuid}/items", response=responses(list[ItemOut]), summary="A person's evidence items")
def list_evidence(request: HttpRequest, uuid: UUID) -> Any:
    person, reader = _person(request, uuid, "evidence.view")
    items = person.evidence_items.select_related("source", "parent").order_by("-created_at", "-id")
    return [_item_out(reader, i) for i in items if reader.may_see_record(i)]


@router.get("/items/{uuid}", response=responses(ItemOut), summary="One evidence item's metadata",
            description="Reading it is recorded in the item's chain of custody.")
def get_evidence_item(request: HttpRequest, uuid: UUID) -> Any:
    item, reader = _item(request, uuid)
    actions.do_view_evidence(item=item, acting_user=request.user)
    return _item_out(reader, item)


@router.get("/items/{uuid}/custody", response=responses(list[CustodyOut]), summary="An item's chain of custody")
def evidence_custody(request: HttpRequest, uuid: UUID) -> Any:
    item, reader = _item(request, uuid)
    team = on_case_team(reader, item)
    return [{"at": e.at, "action": e.action, "actor": e.actor_label, "purpose": e.purpose if team else None,
             "resulting_sha256": e.resulting_sha256} for e in CustodyEvent.objects.filter(item=item).order_by("id")]


@router.post("/items/{uuid}/download", response=responses(None),
             auth=[GatedTokenAuth(_may_download), GatedSessionAuth(_may_download)],
             summary="Download an item's bytes (with a reason)",
             description="Originals: case team, in a session that re-authenticated within 15 minutes. The body "
                         "is the file as an attachment; `X-Content-SHA256` and `Repr-Digest` give its hash.")
def download_evidence(request: HttpRequest, uuid: UUID, payload: DownloadIn) -> Any:
    from unforgotten.accounts.sudo import recently_reauthenticated

    item, reader = _item(request, uuid)
    if item.is_original:
        if not on_case_team(reader, item):
            raise Http404()
        if getattr(request.user, "uf_token", None) is not None or not recently_reauthenticated(request):
            return Status(401, {"error": "Re-enter your credentials (/accounts/reauthenticate/) before downloading an original."})
    try:
        actions.do_download_evidence(item=item, acting_user=request.user, reason=payload.reason)
    except DjangoValidationError as exc:
        return Status(422, {"error": exc.messages[0]})
    response: HttpResponse = file_response(item, _download_name(reader, item))  # type: ignore[assignment]
    return response

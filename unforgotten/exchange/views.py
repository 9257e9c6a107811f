"""Imports (upload → preview → confirm → background run → report) and exports of the person list."""

from __future__ import annotations

import hashlib
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from unforgotten import policy
from unforgotten.accounts.models import Organisation
from unforgotten.core.views import not_found
from unforgotten.exchange import actions, export
from unforgotten.exchange.forms import ImportForm
from unforgotten.exchange.models import ImportRun
from unforgotten.exchange.preview import preview_rows
from unforgotten.exchange.report import write_error_csv
from unforgotten.exchange.tasks import discard_upload, run_import


def _edit_organisations(user: Any) -> list[Organisation]:
    orgs = Organisation.objects.filter(pk__in=policy.organisation_ids(user, "view"), is_active=True).order_by("name")
    return [o for o in orgs if policy.can(user, "registry.edit", o)]


def _run_for(request: HttpRequest, run_uuid: UUID) -> ImportRun:
    run = ImportRun.objects.select_related("organisation").filter(uuid=run_uuid).first()
    if run is None or not policy.can(request.user, "registry.edit", run):
        not_found()
    return run


def upload_dir() -> Path:
    """Uploaded lists wait here: under var/, outside the public media folder, readable by the app only."""
    path = Path(settings.VAR_DIR) / "imports"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _store(upload: Any, file_format: str) -> tuple[str, str]:
    target = upload_dir() / f"{uuid.uuid4().hex}.{file_format}"
    digest = hashlib.sha256()
    with target.open("xb") as handle:
        target.chmod(0o600)
        for chunk in upload.chunks():
            digest.update(chunk)
            handle.write(chunk)
    return str(target), digest.hexdigest()


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def import_list(request: HttpRequest) -> HttpResponse:
    orgs = _edit_organisations(request.user)
    if not orgs:
        not_found()
    form = ImportForm(request.POST or None, request.FILES or None, organisations=[(o.pk, o.name) for o in orgs])
    status = 200
    if request.method == "POST":
        if form.is_valid():
            org = next(o for o in orgs if o.pk == form.cleaned_data["organisation"])
            stored, sha = _store(form.cleaned_data["file"], form.file_format)
            try:
                run = actions.do_prepare_import(
                    organisation=org, source_name=form.cleaned_data["source_name"],
                    file_name=Path(form.cleaned_data["file"].name).name, file_format=form.file_format,
                    stored_path=stored, file_sha256=sha, mapping_text=form.cleaned_data["mapping_text"],
                    acting_user=request.user)
            except ValidationError as exc:
                Path(stored).unlink(missing_ok=True)
                form.add_error(None, "; ".join(exc.messages))
            else:
                return redirect("exchange:import_detail", run=run.uuid)
        status = 400
    runs = ImportRun.objects.filter(organisation__in=orgs).select_related("organisation")[:50]
    return render(request, "exchange/import_list.html", {"form": form, "runs": runs}, status=status)


@require_safe
@login_required
def import_detail(request: HttpRequest, run: UUID) -> HttpResponse:
    record = _run_for(request, run)
    context: dict[str, Any] = {"run": record, "errors": record.errors[:50],
                               "more_errors": max(record.skipped - 50, 0)}
    if record.status == ImportRun.Status.PREVIEW:
        context["preview"] = preview_rows(record, request.user)
    return render(request, "exchange/import_detail.html", context)


@require_POST
@login_required
def import_confirm(request: HttpRequest, run: UUID) -> HttpResponse:
    record = _run_for(request, run)
    try:
        actions.do_queue_import(run=record, acting_user=request.user)
    except ValidationError:
        messages.info(request, _("This import was already confirmed or discarded."))
    else:
        # Enqueued after the action's transaction committed: the worker must find the run queued.
        run_import.enqueue(record.pk)
        messages.success(request, _("The import is running. This page shows how it went."))
    return redirect("exchange:import_detail", run=record.uuid)


@require_POST
@login_required
def import_discard(request: HttpRequest, run: UUID) -> HttpResponse:
    record = _run_for(request, run)
    try:
        actions.do_discard_import(run=record, acting_user=request.user)
    except ValidationError:
        messages.info(request, _("Only an import waiting for confirmation can be discarded."))
        return redirect("exchange:import_detail", run=record.uuid)
    discard_upload(record)
    messages.success(request, _("The import was discarded and the file deleted."))
    return redirect("exchange:import_list")


@require_safe
@login_required
def import_errors(request: HttpRequest, run: UUID) -> HttpResponse:
    record = _run_for(request, run)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{record.uuid}-errors.csv"'
    write_error_csv(response, record.errors)  # type: ignore[arg-type]
    return response


# --- exports ------------------------------------------------------------------------------------------------------


@require_safe
@login_required
def export_people(request: HttpRequest, fmt: str) -> HttpResponseBase:
    if fmt not in export.FORMATS or not policy.can(request.user, "registry.export"):
        not_found()
    filename = f'attachment; filename="people.{fmt}"'
    if request.method == "HEAD":
        head = HttpResponse(content_type=export.FORMATS[fmt])
        head["Content-Disposition"] = filename
        return head
    qs, orgs = export.people(request.user, request.GET)
    params = {k: request.GET.get(k, "") for k in request.GET if k != "after"}
    counts: dict[int, int] = {}
    user = request.user

    def audited(rows: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        complete = False
        try:
            yield from rows
            complete = True
        finally:
            # One event per organisation whose list was exported (normally one), also for an
            # export cut short: who took which filter of whose list, and how many rows.
            for org_id in orgs:
                actions.do_record_export(organisation_id=org_id, file_format=fmt, filters=params,
                                         rows=counts.get(org_id, 0), complete=complete, acting_user=user)

    rows = audited(export.records(user, qs, counts))
    if fmt == "xlsx":
        handle = tempfile.TemporaryFile()  # noqa: SIM115  (FileResponse closes it)
        export.write_xlsx(rows, handle)
        handle.seek(0)
        return FileResponse(handle, as_attachment=True, filename="people.xlsx", content_type=export.FORMATS[fmt])
    lines = export.csv_lines(rows) if fmt == "csv" else export.jsonl_lines(rows)
    response = StreamingHttpResponse(lines, content_type=export.FORMATS[fmt])
    response["Content-Disposition"] = filename
    return response

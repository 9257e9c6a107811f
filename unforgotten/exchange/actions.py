"""Every change the exchange app makes: imports (one transaction and one audit event per run) and export records."""

from __future__ import annotations

from collections.abc import Mapping as MappingType
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from unforgotten.accounts.models import Organisation
from unforgotten.audit.actions import record
from unforgotten.exchange.importer import Importer, ImportReport, Progress
from unforgotten.exchange.mapping import load_mapping
from unforgotten.exchange.models import ImportRun
from unforgotten.exchange.readers import open_table
from unforgotten.registry import vocabularies as v
from unforgotten.registry.models import Source


class ImportRefused(ValueError):
    """A strict run met bad rows: nothing was written."""


def clean_source_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"source_name": "Name the source of the list, e.g. \"cpj\"."})
    if len(name) > 60:
        raise ValidationError({"source_name": "A source name may be at most 60 characters long."})
    return name


def _source(organisation: Organisation, name: str) -> tuple[Source, bool]:
    """The organisation's Source for this list (its label is the source name), created on first import."""
    found = Source.objects.filter(organisation=organisation, label=name).order_by("pk").first()
    if found is not None:
        return found, False
    source = Source(organisation=organisation, label=name, connection=v.SourceConnection.OTHER)
    source.full_clean()
    source.save()
    return source, True


@transaction.atomic(durable=True)
def do_import_people(*, organisation: Organisation, path: str | Path, mapping_text: str, source_name: str,
                     acting_user: Any, file_format: str | None = None, dry_run: bool = False, strict: bool = False,
                     run: ImportRun | None = None, progress: Progress | None = None) -> ImportReport:
    """Import a list: every good row becomes registry records, bad rows are reported, all in ONE transaction.

    A file that cannot be read (ReadError), a wrong mapping (MappingError) or a
    strict run with bad rows (ImportRefused) raises, and nothing is written. A
    dry run does all the work and then rolls it back. One audit event records
    the run: counts and the source, never a value from the file.
    """
    source_name = clean_source_name(source_name)
    mapping = load_mapping(mapping_text)
    table = open_table(path, file_format)
    with table:
        source, source_created = _source(organisation, source_name)
        label = f"import run {run.uuid}" if run is not None else f"import {timezone.now():%Y-%m-%d %H:%M:%S} UTC"
        importer = Importer(organisation=organisation, source=source, source_name=source_name, mapping=mapping,
                            acting_user=acting_user, run_label=label, progress=progress)
        report = importer.run(table)
    if strict and report.skipped:
        raise ImportRefused(f"{report.skipped} row(s) could not be imported; a strict run writes nothing")
    counts = {"rows": report.rows_read, "created": report.created, "updated": report.updated,
              "unchanged": report.unchanged, "skipped": report.skipped}
    if run is not None:
        run.source = source
        run.status = ImportRun.Status.DONE
        run.rows_read, run.created, run.updated, run.skipped = (report.rows_read, report.created, report.updated,
                                                                 report.skipped)
        run.errors = [[line, reason] for line, reason in report.errors]
        run.finished_at = timezone.now()
        run.save()
    record("exchange.import_people", actor=acting_user, organisation_id=organisation.pk,
           obj=run, object_type="" if run is not None else "registry.source",
           object_id="" if run is not None else source.pk,
           changes={"source": [None, source_name], "source_created": [None, source_created],
                    "dry_run": [None, dry_run], **{k: [None, n] for k, n in counts.items()}})
    if dry_run:
        transaction.set_rollback(True)
    elif importer.renamed:
        # Duplicates are searched after the commit, in a task: at a million rows the search takes far
        # longer than the import (exchange/duplicates.py).
        from unforgotten.exchange.duplicates import as_ranges
        from unforgotten.exchange.tasks import find_duplicates

        ranges = as_ranges(importer.renamed)
        transaction.on_commit(lambda: find_duplicates.enqueue(organisation.pk, ranges))
    return report


# --- the import in the workspace: a run waits for confirmation, then runs as a background task ----------------


@transaction.atomic(durable=True)
def do_prepare_import(*, organisation: Organisation, source_name: str, file_name: str, file_format: str,
                      stored_path: str, file_sha256: str, mapping_text: str, acting_user: Any) -> ImportRun:
    run = ImportRun(organisation=organisation, source_name=clean_source_name(source_name), file_name=file_name[:200],
                    file_format=file_format, stored_path=stored_path, file_sha256=file_sha256,
                    mapping_text=mapping_text, created_by=acting_user)
    run.full_clean()
    run.save()
    record("exchange.prepare_import", actor=acting_user, obj=run,
           changes={"source": [None, run.source_name], "format": [None, file_format], "sha256": [None, file_sha256]})
    return run


@transaction.atomic(durable=True)
def do_queue_import(*, run: ImportRun, acting_user: Any) -> ImportRun:
    run = ImportRun.objects.select_for_update().get(pk=run.pk)
    if run.status != ImportRun.Status.PREVIEW:
        raise ValidationError("This import was already confirmed or discarded.")
    run.status = ImportRun.Status.QUEUED
    run.save(update_fields=["status", "updated_at"])
    record("exchange.queue_import", actor=acting_user, obj=run, changes={"status": ["preview", "queued"]})
    return run


@transaction.atomic(durable=True)
def do_start_import(*, run: ImportRun) -> bool:
    """Claim a queued run for the worker; False if someone else has it (a task delivered twice runs once)."""
    claimed = ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.QUEUED).update(
        status=ImportRun.Status.RUNNING, started_at=timezone.now(), updated_at=timezone.now())
    return bool(claimed)


@transaction.atomic(durable=True)
def do_fail_import(*, run: ImportRun, message: str, acting_user: Any) -> None:
    """The run wrote nothing (its transaction rolled back); say why on the run."""
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.FAILED, failure=message[:2000],
                                               finished_at=timezone.now(), updated_at=timezone.now())
    record("exchange.import_failed", actor=acting_user, organisation_id=run.organisation_id,
           object_type="exchange.importrun", object_id=run.pk, changes={"status": ["running", "failed"]})


@transaction.atomic(durable=True)
def do_discard_import(*, run: ImportRun, acting_user: Any) -> None:
    run = ImportRun.objects.select_for_update().get(pk=run.pk)
    if run.status != ImportRun.Status.PREVIEW:
        raise ValidationError("Only an import waiting for confirmation can be discarded.")
    run.status = ImportRun.Status.DISCARDED
    run.save(update_fields=["status", "updated_at"])
    record("exchange.discard_import", actor=acting_user, obj=run, changes={"status": ["preview", "discarded"]})


@transaction.atomic(durable=True)
def do_forget_upload(*, run: ImportRun) -> None:
    """The uploaded file is gone: clear its path (the SHA-256 stays as the record of what was imported)."""
    ImportRun.objects.filter(pk=run.pk).update(stored_path="", updated_at=timezone.now())


# --- exports --------------------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def do_record_export(*, organisation_id: int | None, file_format: str, filters: MappingType[str, str], rows: int,
                     complete: bool, acting_user: Any) -> None:
    """One audit event per export: the format, the filter and the row count; no personal data.

    A name search is personal data, so only the fact that there was one is kept.
    """
    kept = {k: ("(a name search)" if k == "q" else val) for k, val in sorted(filters.items()) if val}
    record("exchange.export_people", actor=acting_user, organisation_id=organisation_id,
           object_type="registry.person", changes={"format": [None, file_format], "filter": [None, kept],
                                                   "rows": [None, rows], "complete": [None, complete]})

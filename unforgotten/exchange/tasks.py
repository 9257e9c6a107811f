"""The import as a background task (Django's tasks framework; the immediate backend in tests)."""

from __future__ import annotations

import logging
from pathlib import Path

from django.core.exceptions import ValidationError
from django.tasks import task

from unforgotten.exchange import actions
from unforgotten.exchange.mapping import MappingError
from unforgotten.exchange.models import ImportRun
from unforgotten.exchange.readers import ReadError

log = logging.getLogger(__name__)


@task
def run_import(run_id: int) -> None:
    execute(run_id)


@task
def find_duplicates(organisation_id: int, person_ranges: list[list[int]]) -> int:
    """Probable duplicates of the people an import wrote, for the review queue (enqueued when the import commits)."""
    from unforgotten.exchange.duplicates import from_ranges, record_duplicates

    return record_duplicates(organisation_id, from_ranges(person_ranges))


def execute(run_id: int) -> None:
    run = ImportRun.objects.select_related("organisation", "created_by").filter(pk=run_id).first()
    if run is None or not actions.do_start_import(run=run):
        return  # gone, or already taken by another delivery of this task
    run.refresh_from_db()
    user = run.created_by
    try:
        actions.do_import_people(organisation=run.organisation, path=run.stored_path, mapping_text=run.mapping_text,
                                 source_name=run.source_name, acting_user=user, file_format=run.file_format, run=run)
    except (ReadError, MappingError, actions.ImportRefused) as exc:
        actions.do_fail_import(run=run, message=f"{exc}. Nothing was written.", acting_user=user)
    except ValidationError as exc:
        actions.do_fail_import(run=run, message="; ".join(exc.messages) + ". Nothing was written.", acting_user=user)
    except Exception as exc:  # noqa: BLE001  (the run must end as failed, whatever stopped it)
        # Only the kind of error is logged: messages may quote the file's values (personal data).
        log.error("import run %s failed: %s", run.pk, exc.__class__.__name__)
        actions.do_fail_import(run=run, message="The import stopped on an unexpected error. Nothing was written.",
                               acting_user=user)
    finally:
        discard_upload(run)


def discard_upload(run: ImportRun) -> None:
    """Uploaded lists hold personal data: deleted as soon as the run is over."""
    if run.stored_path:
        Path(run.stored_path).unlink(missing_ok=True)
        actions.do_forget_upload(run=run)

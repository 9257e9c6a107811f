"""The import in the workspace: upload → preview (errors, probable duplicates) → confirm → background run → report."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from unforgotten.exchange.models import ImportRun
from unforgotten.registry import actions
from unforgotten.registry.actions import NameInput
from unforgotten.registry.models import Person
from unforgotten.testing import signed_in

MAPPING = '[fields]\nnames = "name"\nexternal_id = "id"\ncountry = "country"\nstatus = "status"\n'
CSV = ("id,name,country,status\n"
       "1,Nasrin Sotoudeh,IR,imprisoned\n"
       "2,,IR,imprisoned\n"
       "3,Narges Mohammadi,IR,asleep\n"
       "4,=HYPERLINK(\"x\"),IR,imprisoned\n"
       "5,Ilgar Mammadov,AZ,released\n")


@pytest.fixture
def var_dir(settings: Any, tmp_path: Path) -> Path:
    settings.VAR_DIR = tmp_path
    return tmp_path


def _upload(client: Client, body: str = CSV, mapping: str = MAPPING, name: str = "list.csv") -> Any:
    return client.post("/work/exchange/imports/", {
        "file": SimpleUploadedFile(name, body.encode(), content_type="text/csv"),
        "source_name": "hengaw", "mapping": mapping})


@pytest.mark.django_db
def test_it_previews_confirms_runs_and_reports(cast: Any, var_dir: Path) -> None:
    actions.do_create_person(organisation=cast.org_a, names=[NameInput("Nasrin Sotoudeh")], data={"country": "IR"},
                             acting_user=cast.dana)
    client = signed_in(cast.amal)
    response = _upload(client)
    assert response.status_code == 302
    run = ImportRun.objects.get()
    stored = Path(run.stored_path)
    assert stored.is_file() and stored.parent == var_dir / "imports" and (stored.stat().st_mode & 0o077) == 0
    page = client.get(response["Location"]).content.decode()
    # The preview: rows as they would be recorded, per-row errors, and the probable duplicate.
    assert "Nasrin Sotoudeh" in page and "Probably already recorded" in page
    assert "no name" in page and "&#x27;asleep&#x27;" in page
    assert Person.objects.count() == 1  # nothing written yet
    response = client.post(f"/work/exchange/imports/{run.uuid}/confirm/")
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == "done" and (run.created, run.skipped) == (3, 2)
    assert run.stored_path == "" and not stored.exists()  # the upload is deleted after the run
    assert Person.objects.filter(organisation=cast.org_a).count() == 4
    report = client.get(f"/work/exchange/imports/{run.uuid}/errors.csv")
    assert report.status_code == 200 and report["Content-Disposition"].startswith("attachment")
    lines = report.content.decode().splitlines()
    assert lines[0] == "line,reason" and lines[1].startswith("3,") and lines[2].startswith("4,")
    # Confirming twice does not run it twice.
    client.post(f"/work/exchange/imports/{run.uuid}/confirm/")
    assert Person.objects.filter(organisation=cast.org_a).count() == 4


@pytest.mark.django_db
def test_it_records_a_failed_run_and_writes_nothing(cast: Any, var_dir: Path) -> None:
    client = signed_in(cast.amal)
    body = CSV.replace("Ilgar Mammadov", "Ilgar Mamm\u00e4dov")
    response = client.post("/work/exchange/imports/", {
        "file": SimpleUploadedFile("list.csv", body.encode("latin-1")), "source_name": "x", "mapping": MAPPING})
    run = ImportRun.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "not UTF-8" in page
    client.post(f"/work/exchange/imports/{run.uuid}/confirm/")
    run.refresh_from_db()
    assert run.status == "failed" and "line 6" in run.failure and "Nothing was written" in run.failure
    assert not Person.objects.exists() and run.stored_path == ""


@pytest.mark.django_db
def test_it_refuses_a_bad_upload_with_clear_errors(cast: Any, var_dir: Path) -> None:
    client = signed_in(cast.amal)
    response = _upload(client, mapping="[fields]\nnames = 'name'\n")
    assert response.status_code == 400 and "external_id" in response.content.decode()
    response = _upload(client, name="list.xls")
    assert response.status_code == 400 and ".xlsx" in response.content.decode()
    assert not ImportRun.objects.exists() and not list((var_dir / "imports").glob("*")) if (var_dir / "imports").exists() else True


@pytest.mark.django_db
def test_it_shows_an_import_only_to_editors_of_its_organisation(cast: Any, var_dir: Path) -> None:
    response = _upload(signed_in(cast.amal))
    run_url = response["Location"]
    assert re.fullmatch(r"/work/exchange/imports/[0-9a-f-]{36}/", run_url)
    assert signed_in(cast.bilal).get(run_url).status_code == 200
    for user in (cast.vera, cast.chris, cast.pat):
        assert signed_in(user).get(run_url).status_code == 404
        assert signed_in(user).post(run_url + "confirm/").status_code == 404
    assert ImportRun.objects.get().status == "preview"
    assert signed_in(cast.vera).get("/work/exchange/imports/").status_code == 404
    # Chris imports for Org B only: Org A is not among his choices.
    page = signed_in(cast.chris).get("/work/exchange/imports/").content.decode()
    assert "Org A" not in page and "hengaw" not in page


@pytest.mark.django_db
def test_it_discards_an_import_and_deletes_the_file(cast: Any, var_dir: Path) -> None:
    client = signed_in(cast.amal)
    _upload(client)
    run = ImportRun.objects.get()
    stored = Path(run.stored_path)
    assert client.post(f"/work/exchange/imports/{run.uuid}/discard/").status_code == 302
    run.refresh_from_db()
    assert run.status == "discarded" and not stored.exists()
    client.post(f"/work/exchange/imports/{run.uuid}/confirm/")
    assert not Person.objects.exists()

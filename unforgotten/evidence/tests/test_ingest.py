"""Evidence items (issue 5, item 1-4): upload, custody, download, derivatives, publication, the API."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from PIL import Image

from unforgotten.audit import log
from unforgotten.audit.models import AuditEvent, LogLeaf
from unforgotten.core import keyring
from unforgotten.evidence import store
from unforgotten.evidence.models import CustodyEvent, EvidenceItem
from unforgotten.evidence.tests.helpers import (
    client_for,
    jpeg_with_exif,
    post_file,
    put_on_team,
    sha,
    stored_files,
)
from unforgotten.registry.testing import make_sample


def _actions(item: EvidenceItem) -> list[str]:
    return list(CustodyEvent.objects.filter(item=item).order_by("id").values_list("action", flat=True))


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.django_db
def test_it_stores_an_upload_encrypted_with_its_hash_and_a_logged_custody_event(cast: Any) -> None:
    sample = make_sample(cast)
    data = jpeg_with_exif("CANARY-exif")
    response = post_file(client_for(cast.amal), sample.person_a, "portrait.jpg", data, sha256=sha(data),
                         title="Photo from the courtroom", source=str(sample.source_a.pk))
    assert response.status_code == 302, response.content.decode()[:2000]
    item = EvidenceItem.objects.get()
    assert response["Location"] == f"/work/evidence/items/{item.uuid}/"
    assert (item.sha256, item.size, item.client_sha256) == (sha(data), len(data), sha(data))
    assert item.media_type == "image/jpeg" and item.role == "original" and item.source == sample.source_a
    files = stored_files()
    assert files == [store.object_path(item.storage_name)]
    ciphertext = files[0].read_bytes()
    assert b"CANARY" not in ciphertext and data[:64] not in ciphertext
    assert files[0].stat().st_mode & 0o077 == 0
    # The store's file is the keyring's stream format: the public decryptor opens it to the same bytes.
    out = io.BytesIO()
    with open(files[0], "rb") as fh:
        assert keyring.decrypt_stream("evidence-files", fh, out, aad=store.aad_for(str(item.uuid))) == (len(data), sha(data))
    assert out.getvalue() == data
    assert _actions(item) == ["ingested"]
    assert AuditEvent.objects.filter(action="evidence.ingest", object_id=str(item.pk)).exists()
    event = CustodyEvent.objects.get(item=item)
    assert LogLeaf.objects.filter(kind="custody", ref=str(event.pk)).exists()
    assert log.verify().size == LogLeaf.objects.count()


@pytest.mark.django_db
def test_it_records_each_view_and_download_once_and_serves_bytes_as_an_attachment(cast: Any) -> None:
    sample = make_sample(cast)
    put_on_team(sample.person_a, cast.amal, cast)
    data = jpeg_with_exif("CANARY-exif")
    post_file(client_for(cast.amal), sample.person_a, "portrait.jpg", data)
    item = EvidenceItem.objects.get()
    url = f"/work/evidence/items/{item.uuid}/"
    page = client_for(cast.vera).get(url)
    assert page.status_code == 200 and "portrait.jpg" not in page.content.decode()  # the name is restricted
    amal = client_for(cast.amal, sudo=True)
    assert "portrait.jpg" in amal.get(url).content.decode()
    assert _actions(item) == ["ingested", "viewed", "viewed"]
    # Vera reads the page but may not open the original; nor may Chris (Org B) see anything.
    assert client_for(cast.vera).post(url + "download/", {"reason": "x"}).status_code == 404
    assert client_for(cast.chris).get(url).status_code == 404
    assert client_for(cast.amal).post(url + "download/", {"reason": "court filing"})["Location"].startswith(
        "/accounts/reauthenticate/")
    response = amal.post(url + "download/", {"reason": "court filing"})
    assert response.status_code == 200
    assert _body(response) == data
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["X-Content-SHA256"] == sha(data)
    assert _actions(item) == ["ingested", "viewed", "viewed", "downloaded"]
    assert amal.post(url + "download/", {"reason": ""}).status_code == 400
    assert _actions(item)[-1] == "downloaded" and len(_actions(item)) == 4


@pytest.mark.django_db
def test_it_makes_a_derivative_without_metadata_and_only_a_derivative_is_publishable(cast: Any) -> None:
    sample = make_sample(cast)
    put_on_team(sample.person_a, cast.amal, cast)
    data = jpeg_with_exif("CANARY-exif", size=(80, 60))
    post_file(client_for(cast.amal), sample.person_a, "CANARY-name.jpg", data)
    original = EvidenceItem.objects.get()
    amal = client_for(cast.amal)
    assert client_for(cast.vera).post(f"/work/evidence/items/{original.uuid}/derive/", {"reason": "x"}).status_code == 404
    response = amal.post(f"/work/evidence/items/{original.uuid}/derive/", {"reason": "for the public page"})
    assert response.status_code == 302
    child = EvidenceItem.objects.get(parent=original)
    assert child.role == "redacted" and child.sha256 != original.sha256
    assert [e for e in _actions(original)] == ["ingested", "redacted"]
    assert _actions(child) == ["ingested"]
    # Vera (not on the case team) may download the derivative; it holds no EXIF, no comment, no name.
    vera = client_for(cast.vera)
    got = _body(vera.post(f"/work/evidence/items/{child.uuid}/download/", {"reason": "check the redaction"}))
    assert b"CANARY" not in got
    with Image.open(io.BytesIO(got)) as image:
        assert image.size == (80, 60) and not image.getexif() and "comment" not in image.info
    assert "CANARY-name" not in vera.get(f"/work/evidence/items/{child.uuid}/").content.decode()
    # Publishing: reviewers (Bilal) only, derivatives only.
    bilal = client_for(cast.bilal)
    bilal.post(f"/work/evidence/items/{original.uuid}/publishable/", {"publishable": "on", "reason": "x"})
    assert not EvidenceItem.objects.get(pk=original.pk).publishable
    assert amal.post(f"/work/evidence/items/{child.uuid}/publishable/", {"publishable": "on", "reason": "x"}).status_code == 404
    bilal.post(f"/work/evidence/items/{child.uuid}/publishable/", {"publishable": "on", "reason": "approved"})
    assert EvidenceItem.objects.get(pk=child.pk).publishable
    assert _actions(child)[-1] == "marked_publishable"
    assert log.verify().size == LogLeaf.objects.count()


@pytest.mark.django_db
def test_it_refuses_to_edit_or_delete_custody_events(cast: Any) -> None:
    from django.db import DatabaseError, connection, transaction

    sample = make_sample(cast)
    post_file(client_for(cast.amal), sample.person_a, "a.txt", b"hello evidence\n")
    event = CustodyEvent.objects.get()
    for sql in ("UPDATE evidence_custodyevent SET purpose = 'x'", "DELETE FROM evidence_custodyevent"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert CustodyEvent.objects.get().pk == event.pk


@pytest.mark.django_db
def test_it_lists_uploads_and_downloads_through_the_api_with_the_same_policy(cast: Any) -> None:
    sample = make_sample(cast)
    put_on_team(sample.person_a, cast.amal, cast)
    data = b"%PDF-1.4\n% a small document\n" + b"x" * 1000
    amal = client_for(cast.amal, sudo=True)
    url = f"/api/v1/evidence/people/{sample.person_a.uuid}/items"
    response = amal.post(url, {"file": _named(data, "court.pdf"), "title": "Verdict", "collection_method": "received"},
                         headers={"X-Content-SHA256": "0" * 64})
    assert response.status_code == 422 and "does not match" in response.json()["error"]
    assert not stored_files() and not EvidenceItem.objects.exists()
    response = amal.post(url, {"file": _named(data, "court.pdf"), "title": "Verdict", "collection_method": "received"},
                         headers={"X-Content-SHA256": sha(data)})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["sha256"] == sha(data) and body["media_type"] == "application/pdf" and body["display_name"] == "court.pdf"
    item_url = f"/api/v1/evidence/items/{body['uuid']}"
    assert [i["uuid"] for i in client_for(cast.vera).get(url).json()] == [body["uuid"]]
    assert "display_name" not in client_for(cast.vera).get(item_url).json() or \
        client_for(cast.vera).get(item_url).json()["display_name"] is None
    assert client_for(cast.chris).get(url).status_code == 404
    assert client_for(cast.vera).post(url, {"title": "x"}).status_code == 404
    got = amal.post(item_url + "/download", json.dumps({"reason": "filing"}), content_type="application/json")
    assert got.status_code == 200 and _body(got) == data
    assert got["Content-Disposition"].startswith("attachment")
    custody = amal.get(item_url + "/custody").json()
    assert [e["action"] for e in custody] == ["ingested", "viewed", "viewed", "downloaded"]


def _named(data: bytes, name: str) -> io.BytesIO:
    f = io.BytesIO(data)
    f.name = name
    return f


@pytest.mark.django_db
def test_it_checks_fixity_from_the_command_and_passes_verify_log(cast: Any) -> None:
    sample = make_sample(cast)
    post_file(client_for(cast.amal), sample.person_a, "a.txt", b"hello evidence\n")
    call_command("check_fixity")
    item = EvidenceItem.objects.get()
    assert item.last_fixity_ok is True
    assert _actions(item) == ["ingested", "hash_verified"]
    call_command("verify_log")

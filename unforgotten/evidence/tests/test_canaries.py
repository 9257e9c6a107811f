"""T2/T20 for evidence: canaries in file names, capture URLs, EXIF and contents reach only who may see them.

Amal (case team) uploads a picture whose EXIF carries canaries under a name
carrying one, with a capture URL carrying one, and a PDF whose bytes carry one,
and makes a metadata-free derivative of the picture. Then every evidence page
and API answer is fetched as every persona. The policy: the file name and the
capture URL are restricted (case team: Amal only); the description is internal
(staff of Org A); EXIF and contents appear in no page or API answer at all,
only in the bytes of an original downloaded by the case team, never in a
derivative. None of them may reach the logs, the store folder's bytes or the
audit, custody and log tables.
"""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from unforgotten.audit.models import AuditEvent, LogLeaf
from unforgotten.evidence.models import CustodyEvent, EvidenceItem
from unforgotten.evidence.tests.helpers import client_for, jpeg_with_exif, post_file, put_on_team
from unforgotten.registry.testing import make_sample

NAME = "CANARYNAMEq7"  # in the uploaded file names (restricted)
URL = "CANARYURLq7"  # in the capture URL (restricted)
DESC = "CANARYDESCq7"  # in the description (internal)
EXIF = "CANARYEXIFq7"  # in the picture's EXIF, GPS block and comment
CONTENT = "CANARYCONTENTq7"  # in the PDF's bytes
ALL = (NAME, URL, DESC, EXIF, CONTENT)
PERSONAS = ("anonymous", "amal", "bilal", "dana", "vera", "chris", "pat")
ORG_A_STAFF = {"amal", "bilal", "dana", "vera"}


def _text(response: Any) -> str:
    if getattr(response, "streaming", False):
        return str(b"".join(response.streaming_content).decode("utf-8", "replace"))
    return str(response.content.decode("utf-8", "replace"))


def _found(text: str) -> set[str]:
    return {c for c in ALL if c in text}


def _logged(caplog: pytest.LogCaptureFixture) -> str:
    """Every log line of the test, its setup (the uploads) included: ``caplog.text`` holds only one phase."""
    records = [*caplog.get_records("setup"), *caplog.get_records("call")]
    return "\n".join(f"{r.name} {r.getMessage()} {r.args!r}" for r in records)


@pytest.fixture
def scene(cast: Any, caplog: pytest.LogCaptureFixture) -> dict[str, Any]:
    picture = jpeg_with_exif(EXIF)  # made before logging is captured: the test's own Pillow calls are not the app's
    caplog.set_level(logging.DEBUG)
    sample = make_sample(cast)
    put_on_team(sample.person_a, cast.amal, cast)
    amal = client_for(cast.amal, sudo=True)
    assert EXIF.encode() in picture
    response = post_file(amal, sample.person_a, f"{NAME}-witness.jpg", picture, title="Photo",
                         description=f"shows {DESC}", collected_url=f"https://example.org/{URL}")
    assert response.status_code == 302, _text(response)[:1000]
    pdf = b"%PDF-1.4\n1 0 obj << /Title (" + CONTENT.encode() + b") >> endobj\n%%EOF\n"
    assert post_file(amal, sample.person_a, f"{NAME}-statement.pdf", pdf, title="Statement").status_code == 302
    photo = EvidenceItem.objects.get(title="Photo")
    statement = EvidenceItem.objects.get(title="Statement")
    assert amal.post(f"/work/evidence/items/{photo.uuid}/derive/", {"reason": "for the page"}).status_code == 302
    derived = EvidenceItem.objects.get(parent=photo)
    return {"person": sample.person_a, "photo": photo, "statement": statement, "derived": derived,
            "originals": {"photo": picture, "statement": pdf}}


def _urls(scene: dict[str, Any]) -> list[str]:
    p = scene["person"].uuid
    urls = [f"/work/registry/people/{p}/", f"/work/evidence/people/{p}/", f"/work/evidence/people/{p}/add/",
            f"/api/v1/evidence/people/{p}/items"]
    for key in ("photo", "statement", "derived"):
        u = scene[key].uuid
        urls += [f"/work/evidence/items/{u}/", f"/work/evidence/items/{u}/download/", f"/work/evidence/items/{u}/derive/",
                 f"/api/v1/evidence/items/{u}", f"/api/v1/evidence/items/{u}/custody"]
    return urls


@pytest.mark.django_db
def test_it_shows_names_and_urls_to_the_case_team_only_and_contents_to_no_page(
        cast: Any, scene: dict[str, Any], caplog: pytest.LogCaptureFixture) -> None:
    seen: dict[str, set[str]] = {}
    for name in PERSONAS:
        user = cast.persona(name)
        client = client_for(user, sudo=name != "pat") if user is not None else client_for_anonymous()
        found: set[str] = set()
        for url in _urls(scene):
            found |= _found(_text(client.get(url)))
        seen[name] = found
    # Positive control: the case team does see the restricted name and URL, so the scan can fail.
    assert {NAME, URL, DESC} <= seen["amal"]
    for name, found in seen.items():
        assert EXIF not in found and CONTENT not in found, (name, found)
        if name != "amal":
            assert NAME not in found and URL not in found, (name, found)
        if name not in ORG_A_STAFF:
            assert found == set(), (name, found)
    assert _found(_logged(caplog)) == set()


@pytest.mark.django_db
def test_it_hands_contents_only_to_the_case_team_and_never_in_a_derivative(cast: Any, scene: dict[str, Any]) -> None:
    for name in PERSONAS:
        user = cast.persona(name)
        client = client_for(user, sudo=name != "pat") if user is not None else client_for_anonymous()
        for key in ("photo", "statement", "derived"):
            u = scene[key].uuid
            for response in (client.post(f"/work/evidence/items/{u}/download/", {"reason": "check"}),
                             client.post(f"/api/v1/evidence/items/{u}/download", json.dumps({"reason": "check"}),
                                         content_type="application/json")):
                body = _text(response)
                if name == "amal" and key != "derived":
                    assert response.status_code == 200
                    assert body.encode("utf-8", "replace") and (EXIF in body or CONTENT in body)
                else:
                    assert EXIF not in body and CONTENT not in body, (name, key, response.status_code)
                assert NAME not in body or (name == "amal" and response.status_code == 200), (name, key)


@pytest.mark.django_db
def test_it_keeps_every_canary_out_of_the_store_the_logs_and_the_history_tables(
        cast: Any, scene: dict[str, Any], caplog: pytest.LogCaptureFixture) -> None:
    client_for(cast.amal, sudo=True).post(f"/work/evidence/items/{scene['photo'].uuid}/download/", {"reason": "court"})
    files = [p for p in Path(settings.EVIDENCE_ROOT).rglob("*") if p.is_file()]
    assert len(files) == 3
    for path in files:
        raw = path.read_bytes()
        assert not [c for c in ALL if c.encode() in raw], path.name
        assert NAME not in path.name
    tables = [AuditEvent, CustodyEvent, LogLeaf]
    with connection.cursor() as cursor:
        for model in tables:
            cursor.execute(f"SELECT * FROM {model._meta.db_table}")  # noqa: S608  (a model's own table name)
            dump = repr(cursor.fetchall())
            assert _found(dump) == set(), model._meta.label
    assert CustodyEvent.objects.count() >= 5  # the scan looked at real rows
    assert _found(_logged(caplog)) == set()
    assert len(caplog.get_records("setup")) > 0  # logging was captured at DEBUG, so the check can fail


def client_for_anonymous() -> Any:
    from django.test import Client

    return Client()


def test_the_canaries_are_distinct_and_findable() -> None:
    assert len(set(ALL)) == len(ALL)
    assert _found(io.StringIO(" ".join(ALL)).read()) == set(ALL)

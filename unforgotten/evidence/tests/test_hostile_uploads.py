"""T10, the hostile upload corpus (issue 5): each a clear error or a safe, opaque original; nothing partial stored."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.test import Client

from unforgotten.evidence.models import EvidenceItem
from unforgotten.evidence.tests.helpers import (
    client_for,
    nothing_stored,
    post_file,
    sha,
    stored_files,
    upload_url,
)
from unforgotten.registry.testing import make_sample

SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def _refused(response: Any, words: str, status: int = 400) -> None:
    assert response.status_code == status, response.status_code
    assert words in response.content.decode()
    assert nothing_stored(), stored_files()


@pytest.mark.django_db
def test_it_refuses_an_empty_file(cast: Any) -> None:
    sample = make_sample(cast)
    _refused(post_file(client_for(cast.amal), sample.person_a, "empty.jpg", b""), "empty (0 bytes)")


@pytest.mark.django_db
def test_it_refuses_a_file_whose_hash_is_not_the_one_the_client_sent(cast: Any) -> None:
    sample = make_sample(cast)
    data = b"the real bytes\n"
    _refused(post_file(client_for(cast.amal), sample.person_a, "a.txt", data, sha256=sha(b"other bytes")),
             "does not match the SHA-256 you sent")


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "data"), [("holiday.jpg", HTML), ("photo.jpg", SVG), ("scan.png", b"\n  " + HTML)])
def test_it_refuses_html_and_svg_disguised_as_pictures(cast: Any, name: str, data: bytes) -> None:
    sample = make_sample(cast)
    _refused(post_file(client_for(cast.amal), sample.person_a, name, data), "disguised web page")


@pytest.mark.django_db
def test_it_keeps_an_honest_svg_but_never_serves_it_as_a_page(cast: Any) -> None:
    sample = make_sample(cast)
    sample.person_a.case_team.add(cast.amal)
    amal = client_for(cast.amal, sudo=True)
    assert post_file(amal, sample.person_a, "drawing.svg", SVG).status_code == 302
    item = EvidenceItem.objects.get()
    assert item.scriptable and item.media_type == "image/svg+xml"
    response = amal.post(f"/work/evidence/items/{item.uuid}/download/", {"reason": "review"})
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff" and "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == SVG  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_it_strips_path_parts_and_direction_overrides_from_names_and_never_uses_them_on_disk(cast: Any) -> None:
    sample = make_sample(cast)
    sample.person_a.case_team.add(cast.amal)
    amal = client_for(cast.amal)
    for name in ("../../etc/passwd.txt", "..\\..\\boot.ini.txt", "invoice\u202etxt.exe", "nul\x00byte.txt", "a" * 300 + ".txt"):
        assert post_file(amal, sample.person_a, name, b"plain text evidence\n").status_code == 302
    names = [item.display_name for item in EvidenceItem.objects.order_by("id")]  # decrypted on read
    assert names[0] == "passwd.txt" and names[1] == "boot.ini.txt"
    assert "\u202e" not in names[2] and "\x00" not in names[3]
    assert len(names[4]) <= 200 and names[4].endswith(".txt")
    for path in stored_files():
        assert path.name.endswith(".ufe") and "passwd" not in str(path) and "invoice" not in str(path)


@pytest.mark.django_db
def test_it_stores_a_zip_bomb_as_opaque_bytes_without_opening_it(cast: Any) -> None:
    sample = make_sample(cast)
    # Nested: an inner archive of 1 GiB of zeros (about 1 MB), stored twelve times in the outer one: over 10 GiB
    # once everything is expanded. The platform must never expand any of it.
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", compression=zipfile.ZIP_DEFLATED) as archive, \
            archive.open("zeros.bin", "w", force_zip64=True) as entry:
        block = bytes(1 << 24)
        for _ in range(64):
            entry.write(block)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as outer:
        for i in range(12):
            outer.writestr(f"../../part-{i}.zip", inner.getvalue())
    data = buffer.getvalue()
    assert len(data) < 20 * 1024 * 1024
    response = post_file(client_for(cast.amal), sample.person_a, "bomb.zip", data, sha256=sha(data))
    assert response.status_code == 302
    item = EvidenceItem.objects.get()
    assert item.size == len(data) and item.media_type == "application/zip"
    # Stored as given: the store holds one file a little larger than the archive, nothing expanded.
    (path,) = stored_files()
    assert len(data) < path.stat().st_size < len(data) + 64 * 1024


@pytest.mark.django_db
def test_it_refuses_a_file_over_the_limit_without_storing_any_of_it(cast: Any, settings: Any) -> None:
    settings.EVIDENCE_MAX_BYTES = 100_000
    sample = make_sample(cast)
    amal = client_for(cast.amal)
    # One byte over: the handler stops at the limit and removes what it had encrypted.
    _refused(post_file(amal, sample.person_a, "big.txt", b"x" * 100_001), "larger than the limit", status=413)
    # Far over: refused from its Content-Length before the body is read.
    _refused(post_file(amal, sample.person_a, "huge.txt", b"x" * 300_000), "larger than the limit", status=413)
    assert post_file(amal, sample.person_a, "fits.txt", b"x" * 100_000).status_code == 302


@pytest.mark.django_db
def test_it_stores_nothing_from_a_truncated_multipart_body(cast: Any) -> None:
    sample = make_sample(cast)
    client = client_for(cast.amal)
    boundary = "BoUnDaRy"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nCut\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"collection_method\"\r\n\r\nreceived\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cut.txt\"\r\n"
            "Content-Type: text/plain\r\n\r\n").encode()
    body = head + b"y" * 500_000  # the closing boundary never comes
    response = _raw_post(client, upload_url(sample.person_a), body, boundary)
    _refused(response, "cut off")


def _raw_post(client: Client, url: str, body: bytes, boundary: str) -> Any:
    return client.generic("POST", url, body, content_type=f"multipart/form-data; boundary={boundary}")


@pytest.mark.django_db
def test_it_answers_the_api_with_clear_errors_for_the_same_corpus(cast: Any, settings: Any) -> None:
    settings.EVIDENCE_MAX_BYTES = 100_000
    sample = make_sample(cast)
    client = client_for(cast.amal)
    url = f"/api/v1/evidence/people/{sample.person_a.uuid}/items"

    def send(name: str, data: bytes, **headers: str) -> Any:
        f = io.BytesIO(data)
        f.name = name
        return client.post(url, {"file": f, "title": "x", "collection_method": "received"}, headers=headers)

    assert send("e.txt", b"").status_code == 422
    assert send("p.jpg", HTML).status_code == 422
    assert send("b.txt", b"x" * 100_001).status_code == 413
    assert send("h.txt", b"abc", **{"X-Content-SHA256": sha(b"abd")}).status_code == 422
    assert send("h.txt", b"abc", **{"X-Content-SHA256": "not-a-hash"}).status_code == 422
    assert nothing_stored()
    assert send("h.txt", b"abc", **{"X-Content-SHA256": sha(b"abc").upper()}).status_code == 201

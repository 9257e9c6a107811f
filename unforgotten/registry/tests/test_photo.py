"""A person's photo (issue 3): metadata stripped, hostile files refused, served only through the projection."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from unforgotten.audit.models import AuditEvent
from unforgotten.registry.testing import make_sample
from unforgotten.testing import signed_in

GPS_CANARY = "CANARY-photo-exif-home-address"


def _jpeg_with_metadata() -> bytes:
    image = Image.new("RGB", (64, 48), "red")
    exif = Image.Exif()
    exif[0x010E] = GPS_CANARY  # ImageDescription
    exif[0x0131] = "CANARY-photo-exif-software"
    gps = {1: "N", 2: (55.0, 45.0, 21.0), 3: "E", 4: (37.0, 37.0, 4.0)}
    exif[0x8825] = gps
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, comment=b"CANARY-photo-comment")
    return out.getvalue()


def _url(sample: Any) -> str:
    return f"/work/registry/people/{sample.person_a.uuid}/photo/"


@pytest.mark.django_db
def test_it_keeps_the_picture_and_drops_every_metadata_block(cast: Any) -> None:
    sample = make_sample(cast)
    original = _jpeg_with_metadata()
    assert GPS_CANARY.encode() in original
    response = signed_in(cast.amal).post(_url(sample), {
        "photo": SimpleUploadedFile("portrait.jpg", original, content_type="image/jpeg"), "reason": "new portrait"})
    assert response.status_code == 302, response.content.decode()[:1500]
    sample.person_a.refresh_from_db()
    stored = Path(settings.MEDIA_ROOT, str(sample.person_a.photo.name)).read_bytes()
    assert b"CANARY" not in stored and b"Exif" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (64, 48) and not image.getexif()
    assert "portrait.jpg" not in str(sample.person_a.photo.name)  # the client's file name is not kept either
    assert AuditEvent.objects.filter(action="registry.set_photo", reason="new portrait").exists()
    served = signed_in(cast.vera).get(_url(sample) + "image/")
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert b"".join(served.streaming_content) == stored  # type: ignore[attr-defined]
    assert signed_in(cast.chris).get(_url(sample) + "image/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name, content", [
    ("face.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    ("face.jpg", b"<html><script>alert(1)</script></html>"),
    ("empty.jpg", b""),
    ("cut.jpg", _jpeg_with_metadata()[:200]),
])
def test_it_refuses_what_is_not_a_whole_picture_and_keeps_the_old_photo(cast: Any, name: str, content: bytes) -> None:
    sample = make_sample(cast)
    client = signed_in(cast.amal)
    good = SimpleUploadedFile("a.png", _jpeg_with_metadata(), content_type="image/jpeg")
    assert client.post(_url(sample), {"photo": good}).status_code == 302
    sample.person_a.refresh_from_db()
    before = sample.person_a.photo.name
    files_before = sorted(Path(settings.MEDIA_ROOT).rglob("*"))
    response = client.post(_url(sample), {"photo": SimpleUploadedFile(name, content, content_type="image/jpeg")})
    assert response.status_code == 400
    sample.person_a.refresh_from_db()
    assert sample.person_a.photo.name == before
    assert sorted(Path(settings.MEDIA_ROOT).rglob("*")) == files_before  # nothing half-written left behind


@pytest.mark.django_db
def test_it_refuses_a_decompression_bomb(cast: Any) -> None:
    sample = make_sample(cast)
    out = io.BytesIO()
    Image.new("1", (20000, 20000)).save(out, format="PNG")  # 400 megapixels, a few kilobytes on disk
    response = signed_in(cast.amal).post(_url(sample), {
        "photo": SimpleUploadedFile("bomb.png", out.getvalue(), content_type="image/png")})
    assert response.status_code == 400
    sample.person_a.refresh_from_db()
    assert not sample.person_a.photo


@pytest.mark.django_db
def test_it_removes_the_photo_and_its_file(cast: Any, django_capture_on_commit_callbacks: Any) -> None:
    sample = make_sample(cast)
    client = signed_in(cast.amal)
    client.post(_url(sample), {"photo": SimpleUploadedFile("a.jpg", _jpeg_with_metadata())})
    sample.person_a.refresh_from_db()
    path = Path(settings.MEDIA_ROOT, str(sample.person_a.photo.name))
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the change is committed
        assert client.post(_url(sample), {"remove": "on", "reason": "family asked"}).status_code == 302
    sample.person_a.refresh_from_db()
    assert not sample.person_a.photo and not path.exists()
    assert client.get(_url(sample) + "image/").status_code == 404


@pytest.mark.django_db
def test_it_keeps_vera_and_chris_from_changing_the_photo(cast: Any) -> None:
    sample = make_sample(cast)
    for user in (cast.vera, cast.chris):
        response = signed_in(user).post(_url(sample), {"photo": SimpleUploadedFile("a.jpg", _jpeg_with_metadata())})
        assert response.status_code == 404
    sample.person_a.refresh_from_db()
    assert not sample.person_a.photo

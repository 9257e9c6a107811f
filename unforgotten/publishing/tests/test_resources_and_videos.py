"""The resource hub (sanitised articles, downloads as attachments, re-encoded infographics) and hosted video stories."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from unforgotten.publishing import actions
from unforgotten.publishing.demo import CAPTIONS_EN, TINY_MP4
from unforgotten.publishing.media import ffmpeg
from unforgotten.publishing.models import Resource, Video
from unforgotten.publishing.tests.conftest import publish_item


def _resource(cast: Any, kind: str = "article", **data: Any) -> Any:
    return actions.do_create_item(model=Resource, organisation=cast.org_a, language="en", data={
        "slug": f"a-{kind}", "title": f"A {kind}", "kind": kind, **data}, acting_user=cast.amal)


@pytest.mark.django_db
def test_it_sanitises_article_html_when_saved_and_when_shown(cast: Any) -> None:
    article = _resource(cast, body='<h2 onclick="steal()">Rights</h2><script>alert(1)</script>'
                                   '<p style="x">Write <a href="javascript:alert(1)">here</a> or '
                                   '<a href="https://example.org/">there</a>.</p><iframe src="https://x"></iframe>')
    assert "<script" not in article.body and "onclick" not in article.body and "javascript:" not in article.body
    assert "<iframe" not in article.body and "style=" not in article.body
    publish_item(article, author=cast.amal, reviewer=cast.bilal)
    # A row written around the action (an import, a migration) is sanitised again on the way out.
    Resource.objects.filter(pk=article.pk).update(body='<p>ok</p><img src=x onerror="alert(1)"><script>1</script>')
    html = Client().get("/en/resources/a-article/").content.decode()
    assert "<p>ok</p>" in html and "onerror" not in html and "<script>1" not in html
    assert "A article" in Client().get("/en/resources/").content.decode()


@pytest.mark.django_db
def test_it_serves_a_download_as_an_attachment_without_its_metadata(cast: Any) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Author": "CANARY-author-name", "/Title": "internal draft"})
    buffer = io.BytesIO()
    writer.write(buffer)
    download = _resource(cast, "download")
    actions.do_attach_file(item=download, upload=SimpleUploadedFile("secret-name.pdf", buffer.getvalue()),
                           acting_user=cast.amal)
    download = publish_item(Resource.objects.get(pk=download.pk), author=cast.amal, reviewer=cast.bilal)
    response = Client().get("/en/resources/a-download/file")
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment") and "a-download.pdf" in response[
        "Content-Disposition"]
    assert b"CANARY-author-name" not in body and not PdfReader(io.BytesIO(body)).metadata
    assert "secret-name" not in download.file.name
    actions.do_unpublish_item(item=download, acting_user=cast.amal)
    assert Client().get("/en/resources/a-download/file").status_code == 404


@pytest.mark.django_db
def test_it_re_encodes_an_infographic_and_refuses_what_is_not_an_image(cast: Any) -> None:
    from PIL import Image

    image = Image.new("RGB", (40, 20), (10, 20, 30))
    exif = Image.Exif()
    exif[0x013B] = "CANARY-photographer"  # Artist
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    assert b"CANARY-photographer" in buffer.getvalue()
    infographic = _resource(cast, "infographic")
    infographic = actions.do_attach_file(item=infographic, upload=SimpleUploadedFile("i.jpg", buffer.getvalue()),
                                         acting_user=cast.amal)
    publish_item(infographic, author=cast.amal, reviewer=cast.bilal)
    response = Client().get("/en/resources/a-infographic/file")
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert response["Content-Type"] == "image/png" and b"CANARY-photographer" not in body
    assert '<img class="infographic"' in Client().get("/en/resources/a-infographic/").content.decode()
    other = _resource(cast, "infographic", slug="not-an-image")
    with pytest.raises(ValidationError) as caught:
        actions.do_attach_file(item=other, upload=SimpleUploadedFile("i.png", b"<svg onload=alert(1)>"),
                               acting_user=cast.amal)
    assert "file" in caught.value.message_dict
    with pytest.raises(ValidationError):
        actions.do_attach_file(item=_resource(cast, "download"), upload=SimpleUploadedFile("x.exe", b"MZ\x90\x00"),
                               acting_user=cast.amal)


@pytest.mark.django_db
def test_it_hosts_a_video_with_captions_and_no_script(cast: Any, settings: Any) -> None:
    video = actions.do_create_item(model=Video, organisation=cast.org_a, language="en", data={
        "slug": "letter", "title": "A letter home"}, acting_user=cast.amal)
    video = actions.do_attach_file(item=video, upload=SimpleUploadedFile("IMG_0042.mp4", TINY_MP4),
                                   acting_user=cast.amal)
    actions.do_set_captions(video=video, language="en", vtt=CAPTIONS_EN, acting_user=cast.amal)
    actions.do_set_captions(video=video, language="ar", vtt="WEBVTT\n\n00:00.000 --> 00:03.000\nكتب أبي.\n",
                            acting_user=cast.amal)
    assert Client().get("/en/videos/letter/").status_code == 404  # a draft is nowhere
    publish_item(Video.objects.get(pk=video.pk), author=cast.amal, reviewer=cast.bilal)
    html = Client().get("/en/videos/letter/").content.decode()
    assert '<video controls preload="metadata"' in html and 'type="video/mp4"' in html
    assert '<track kind="captions" src="/en/videos/letter/captions/en.vtt" srclang="en" label="English" default>' in html
    assert 'srclang="ar"' in html and "<script" not in html
    captions = Client().get("/en/videos/letter/captions/ar.vtt")
    assert captions["Content-Type"].startswith("text/vtt") and "كتب أبي." in captions.content.decode()
    media = Client().get("/en/videos/letter/video")
    assert media["Content-Type"] == "video/mp4" and b"".join(media.streaming_content) == TINY_MP4  # type: ignore[attr-defined]
    assert Client().get("/en/videos/letter/captions/fr.vtt").status_code == 404
    # Bad uploads: not a video, too large, captions that are not WebVTT.
    with pytest.raises(ValidationError, match="MP4 or WebM"):
        actions.do_attach_file(item=_video(cast), upload=SimpleUploadedFile("x.mp4", b"<html>"), acting_user=cast.amal)
    settings.PUBLIC_VIDEO_MAX_BYTES = 10
    with pytest.raises(ValidationError, match="larger than"):
        actions.do_attach_file(item=_video(cast, "big"), upload=SimpleUploadedFile("x.mp4", TINY_MP4),
                               acting_user=cast.amal)
    with pytest.raises(ValidationError, match="WebVTT"):
        actions.do_set_captions(video=_video(cast, "vtt"), language="en", vtt="<script>1</script>",
                                acting_user=cast.amal)
    with pytest.raises(ValidationError, match="not a language"):
        actions.do_set_captions(video=_video(cast, "lang"), language="xx", vtt=CAPTIONS_EN, acting_user=cast.amal)


def _video(cast: Any, slug: str = "other") -> Any:
    return actions.do_create_item(model=Video, organisation=cast.org_a, language="en", data={
        "slug": slug, "title": "Other"}, acting_user=cast.amal)


# --- container metadata (issue 6, decision 0022): a family filmed at home must not publish where home is ---

CANARIES = (b"CANARY-TITLE-7f3", b"CANARY-COMMENT-7f3", b"CANARY-CHAPTER-7f3", b"CANARY-HANDLER-7f3",
            b"CANARY-ARTIST-7f3", b"+48.8584+002.2945", b"48.8584")


def _planted_video(tmp_path: Path, container: str) -> bytes:
    """A real one-second video whose container carries a title, a GPS position, a creation time, an artist,
    a comment, a stream handler name and a chapter, each a canary (made by ffmpeg here, nothing committed)."""
    chapters = tmp_path / "chapters.txt"
    chapters.write_text(";FFMETADATA1\ntitle=CANARY-TITLE-7f3\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=500\n"
                        "title=CANARY-CHAPTER-7f3\n", encoding="utf-8")
    codecs = ["-c:v", "mpeg4", "-c:a", "aac"] if container == "mp4" else ["-c:v", "libvpx", "-c:a", "libopus"]
    target = tmp_path / f"planted.{container}"
    subprocess.run([ffmpeg(), "-nostdin", "-v", "error", "-f", "lavfi", "-i", "color=c=black:s=16x16:d=1:r=5",  # noqa: S603
                    "-f", "lavfi", "-i", "sine=d=1", "-i", str(chapters), "-map", "0", "-map", "1",
                    "-map_metadata", "2", "-map_chapters", "2", *codecs,
                    "-metadata", "location=+48.8584+002.2945/", "-metadata", "creation_time=2019-06-01T08:30:00Z",
                    "-metadata", "comment=CANARY-COMMENT-7f3", "-metadata", "artist=CANARY-ARTIST-7f3",
                    "-metadata:s:v:0", "handler_name=CANARY-HANDLER-7f3", str(target)], check=True)
    data = target.read_bytes()
    assert sum(canary in data for canary in CANARIES) >= 3, "the planted video carries no canary: a vacuous test"
    return data


def _probe(data: bytes, tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "stored"
    path.write_bytes(data)
    out = subprocess.run([shutil.which("ffprobe") or "ffprobe", "-v", "error", "-show_format", "-show_streams",  # noqa: S603
                          "-show_chapters", "-of", "json", str(path)], check=True, capture_output=True).stdout
    return dict(json.loads(out))


@pytest.mark.django_db
@pytest.mark.parametrize("container", ["mp4", "webm"])
def test_it_strips_the_container_metadata_of_an_uploaded_video(cast: Any, tmp_path: Path, container: str) -> None:
    planted = _planted_video(tmp_path, container)
    video = actions.do_attach_file(item=_video(cast, f"home-{container}"),
                                   upload=SimpleUploadedFile(f"IMG_0042.{container}", planted), acting_user=cast.amal)
    stored = video.file.read()
    for canary in CANARIES:
        assert canary not in stored, canary
    probed = _probe(stored, tmp_path)
    assert probed["chapters"] == []
    tags = {k.lower(): v for k, v in probed["format"].get("tags", {}).items()}
    assert not {"title", "location", "creation_time", "comment", "artist", "com.apple.quicktime.location.iso6709"} & set(tags)
    for stream in probed["streams"]:
        stream_tags = {k.lower() for k in stream.get("tags", {})}
        assert not {"creation_time", "title", "location"} & stream_tags
        assert "CANARY" not in json.dumps(stream)
    # Still a playable video with its sound: the streams were copied, not dropped.
    assert {s["codec_type"] for s in probed["streams"]} == {"video", "audio"}
    assert video.file_size == len(stored) and video.file_type == f"video/{container}"


@pytest.mark.django_db
def test_it_refuses_a_video_ffmpeg_cannot_read_and_writes_nothing(cast: Any) -> None:
    video = _video(cast, "broken")
    revision = video.revision
    broken = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64  # the magic number, no film
    with pytest.raises(ValidationError, match="could not be read as a video"):
        actions.do_attach_file(item=video, upload=SimpleUploadedFile("x.mp4", broken), acting_user=cast.amal)
    video.refresh_from_db()
    assert not video.file and video.revision == revision
    from unforgotten.audit.models import AuditEvent

    assert not AuditEvent.objects.filter(action="publishing.attach_video_file").exists()

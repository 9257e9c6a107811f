"""The workspace for stories, campaigns, resources and videos: forms that say what to fix, the same workflow buttons."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from unforgotten.publishing.demo import TINY_MP4
from unforgotten.publishing.models import Campaign, State, Story, Video
from unforgotten.registry.testing import make_sample
from unforgotten.testing import signed_in

pytestmark = pytest.mark.django_db


def test_it_writes_a_story_submits_it_and_a_reviewer_approves_it(cast: Any) -> None:
    sample = make_sample(cast)
    amal = signed_in(cast.amal)
    response = amal.post("/work/publishing/stories/new/", {
        "organisation": cast.org_a.slug, "language": "en", "slug": "chair", "title": "The chair",
        "body": "Her mother waits.", "person": str(sample.person_a.uuid), "position": "0"})
    assert response.status_code == 302, response.content.decode()[:2000]
    story = Story.objects.get()
    assert amal.post(f"/work/publishing/stories/{story.uuid}/submit/").status_code == 302
    # Approving needs fresh credentials (a redirect to re-authenticate), then publishes.
    assert signed_in(cast.bilal).post(f"/work/publishing/stories/{story.uuid}/approve/").status_code == 302
    assert Story.objects.get().state == State.IN_REVIEW
    signed_in(cast.bilal, sudo=True).post(f"/work/publishing/stories/{story.uuid}/approve/")
    assert Story.objects.get().state == State.PUBLISHED
    assert Client().get("/en/stories/chair/").status_code == 200
    page = amal.get(f"/work/publishing/stories/{story.uuid}/").content.decode()
    assert "Unpublish now" in page and "?translation_of=" in page


def test_it_says_what_to_fix_and_saves_nothing(cast: Any) -> None:
    sample = make_sample(cast)
    amal = signed_in(cast.amal)
    response = amal.post("/work/publishing/stories/new/", {
        "organisation": cast.org_a.slug, "language": "en", "slug": "Bad Slug", "title": "<script>x</script>",
        "body": "", "person": str(sample.person_b.uuid), "position": "-3"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "<script>x</script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    response = amal.post("/work/publishing/campaigns/new/", {
        "organisation": cast.org_a.slug, "language": "en", "slug": "c", "title": "C", "hashtag": "#C",
        "people": f"{sample.person_b.uuid}\nnot-an-id", "share_x": "x" * 300})
    assert response.status_code == 400
    assert not Story.objects.exists() and not Campaign.objects.exists()
    assert amal.get("/work/publishing/nonsense/").status_code == 404


def test_it_uploads_a_video_and_captions_and_refuses_a_bad_file(cast: Any) -> None:
    amal = signed_in(cast.amal)
    amal.post("/work/publishing/videos/new/", {"organisation": cast.org_a.slug, "language": "en", "slug": "v",
                                               "title": "V"})
    video = Video.objects.get()
    amal.post(f"/work/publishing/videos/{video.uuid}/file/", {"file": SimpleUploadedFile("a.mp4", TINY_MP4)})
    amal.post(f"/work/publishing/videos/{video.uuid}/captions/", {
        "language": "fr", "captions": SimpleUploadedFile("a.vtt", b"WEBVTT\n\n00:00.000 --> 00:01.000\nBonjour\n")})
    video.refresh_from_db()
    assert video.file_type == "video/mp4" and list(video.captions.values_list("language", flat=True)) == ["fr"]
    response = amal.post(f"/work/publishing/videos/{video.uuid}/file/",
                         {"file": SimpleUploadedFile("a.mp4", b"#!/bin/sh\nrm -rf /")}, follow=True)
    assert "Upload an MP4 or WebM video." in response.content.decode()
    video.refresh_from_db()
    assert video.file_type == "video/mp4"


def test_it_shows_org_b_nothing_of_org_a(cast: Any) -> None:
    sample = make_sample(cast)
    amal = signed_in(cast.amal)
    amal.post("/work/publishing/stories/new/", {
        "organisation": cast.org_a.slug, "language": "en", "slug": "chair", "title": "The chair",
        "body": "Her mother waits.", "person": str(sample.person_a.uuid), "position": "0"})
    story = Story.objects.get()
    chris = signed_in(cast.chris)
    assert "The chair" not in chris.get("/work/publishing/stories/").content.decode()
    assert chris.get(f"/work/publishing/stories/{story.uuid}/").status_code == 404
    assert chris.post(f"/work/publishing/stories/{story.uuid}/unpublish/").status_code == 404

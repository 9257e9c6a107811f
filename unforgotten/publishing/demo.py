"""Sample stories, a series, a campaign, a resource and a video: for ``demo-data`` and the route tests.

Everything goes through the action functions (draft → review → approved by a
second person), never by writing rows; running it twice changes nothing.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import time, timedelta
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from unforgotten.publishing import actions
from unforgotten.publishing.models import Campaign, Resource, State, Story, StorySeries, Video

CAPTIONS_EN = "WEBVTT\n\n00:00.000 --> 00:03.000\nMy father wrote to us every week.\n"
# A real (one black frame, 841 bytes) MP4: uploads go through ffmpeg, which refuses anything it cannot read.
# Made by fixtures/generate.py, already without metadata, so an upload stores these very bytes.
TINY_MP4 = (Path(__file__).resolve().parent / "fixtures" / "tiny.mp4").read_bytes()


def sample_png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (320, 180), (138, 28, 28)).save(buffer, format="PNG")
    return buffer.getvalue()


def _live(item: Any, author: Any, reviewer: Any) -> Any:
    if item.state == State.PUBLISHED:
        return item
    if item.state == State.DRAFT:
        item = actions.do_submit_item(item=item, acting_user=author)
    return actions.do_approve_item(item=item, acting_user=reviewer)


def _get_or_create(model: type[Any], organisation: Any, slug: str, language: str, data: dict[str, Any],
                   author: Any) -> Any:
    existing = model.objects.filter(slug=slug, language=language).first()
    if existing is not None:
        return existing
    return actions.do_create_item(model=model, organisation=organisation, language=language,
                                  data={"slug": slug, **data}, acting_user=author, reason="demo")


def sample_items(organisation: Any, person: Any, *, author: Any, reviewer: Any,
                 with_video: bool = True) -> dict[str, Any]:
    series = StorySeries.objects.filter(slug="free-to-be-home").first() or actions.do_create_series(
        organisation=organisation, acting_user=author,
        data={"slug": "free-to-be-home", "hashtag": "#FreeToBeHome", "daily_at": time(9, 0)})
    now = timezone.now() - timedelta(minutes=1)
    story = _live(_get_or_create(Story, organisation, "the-empty-chair", "en", {
        "title": "The empty chair", "person": person, "series": series, "show_photo": True, "publish_at": now,
        "body": "Every evening her mother sets the table for four.\n\nThe fourth chair has waited since 2020."},
        author), author, reviewer)
    campaign = _live(_get_or_create(Campaign, organisation, "set-them-free", "en", {
        "title": "Set them free", "hashtag": "#SetThemFree", "people": [person],
        "summary": "Each of them is in prison for words, songs or a ribbon.",
        "share_texts": {"x": "They are in prison for what they said. #SetThemFree"}}, author), author, reviewer)
    resource = _get_or_create(Resource, organisation, "how-to-write", "en", {
        "title": "How to write to a prisoner", "kind": "infographic",
        "summary": "What to write, what to avoid, and how to address the envelope."}, author)
    if not resource.file:
        resource = actions.do_attach_file(item=resource, upload=SimpleUploadedFile("x.png", sample_png()),
                                          acting_user=author)
    resource = _live(resource, author, reviewer)
    out = {"series": series, "story": story, "campaign": campaign, "resource": resource}
    if with_video:
        video = _get_or_create(Video, organisation, "a-letter-home", "en", {
            "title": "A letter home", "description": "A daughter reads her father's letter."}, author)
        if not video.file:
            video = actions.do_attach_file(item=video, upload=SimpleUploadedFile("v.mp4", TINY_MP4),
                                           acting_user=author)
            actions.do_set_captions(video=video, language="en", vtt=CAPTIONS_EN, acting_user=author)
        out["video"] = _live(Video.objects.get(pk=video.pk), author, reviewer)
        out["draft_video"] = _get_or_create(Video, organisation, "draft-video", "en", {"title": "Draft"}, author)
    out["draft_story"] = _get_or_create(Story, organisation, "draft-story", "en", {
        "title": "Draft", "body": "Not yet.", "person": person}, author)
    out["draft_resource"] = _get_or_create(Resource, organisation, "draft-download", "en", {
        "title": "Draft", "kind": "download"}, author)
    return out


def write(users: dict[str, Any], progress: Callable[[str], Any]) -> None:
    """The demo's stories, series, campaign and infographic (no video: the demo ships no film)."""
    from unforgotten.publishing.models import PublicProfile

    writer, reviewer = users.get("farah@example.org"), users.get("bilal@example.org")
    # A family story needs the family's consent to tell it: only someone whose story consent is recorded.
    profile = next((p for p in PublicProfile.objects.live().filter(language="en").select_related("person")
                    if p.person.has_public_consent("story")), None)
    if writer is None or reviewer is None or profile is None or Story.objects.exists():
        return
    sample_items(profile.person.organisation, profile.person, author=writer, reviewer=reviewer, with_video=False)
    progress("Demo public site: a family story, a series, a campaign and an infographic published.")

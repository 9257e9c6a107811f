"""Every change to publication records, one function each, audited in the same transaction.

Each change that can alter what the public site shows purges the page store
twice: at once (inside the transaction, so renders already under way cannot
store what they read) and again after commit (so a render that read the old
rows between the first purge and the commit cannot leave its page behind).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from unforgotten import policy
from unforgotten.audit.actions import record
from unforgotten.policy.projection import PUBLIC, project
from unforgotten.publishing import cache
from unforgotten.publishing.models import LANGUAGE_CODES, STORY_MAX_CHARS, PublicProfile, State
from unforgotten.registry.models import Person

EDITABLE = ("story", "featured", "publish_at")


def purge_public_pages() -> None:
    """Remove every stored public page now and once more when the current transaction commits."""
    cache.purge_all()
    transaction.on_commit(cache.purge_all)


def _snapshot(profile: PublicProfile) -> dict[str, Any]:
    return {"language": profile.language, "state": profile.state, "story_chars": len(profile.story),
            "featured": profile.featured, "publish_at": profile.publish_at.isoformat() if profile.publish_at else None,
            "revision": profile.revision}


def _changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    # The story itself is public-bound text, but an audit row needs only that it changed (and how long it is).
    return {k: [before.get(k), after.get(k)] for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k)}


def _clean_data(data: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(data) - set(EDITABLE)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: f"'{sorted(unknown)[0]}' cannot be set here."})
    out = dict(data)
    if "story" in out:
        story = str(out["story"] or "").replace("\r\n", "\n").strip()
        if len(story) > STORY_MAX_CHARS:
            raise ValidationError({"story": f"The story is longer than {STORY_MAX_CHARS} characters."})
        out["story"] = story
    publish_at = out.get("publish_at")
    if publish_at is not None and not isinstance(publish_at, datetime):
        raise ValidationError({"publish_at": "Give a date and time."})
    return out


def publication_problems(person: Person) -> list[str]:
    """Why this person cannot go on the public site now (empty when they can)."""
    problems = []
    if person.merged_into_id is not None:
        problems.append("This record was merged into another person; publish that person instead.")
    shown = project(person, PUBLIC, ["display_name", "slug"])
    if "display_name" not in shown or "slug" not in shown:
        problems.append("There is no recorded, unwithdrawn consent to publish this person's name"
                        " (or the record is raised above public).")
    return problems


@transaction.atomic(durable=True)
def do_create_profile(*, person: Person, language: str, data: Mapping[str, Any], acting_user: Any,
                      reason: str = "") -> PublicProfile:
    if language not in LANGUAGE_CODES:
        raise ValidationError({"language": f"'{language}' is not a language of the site."})
    if PublicProfile.objects.filter(person=person, language=language).exists():
        raise ValidationError({"language": "This person already has a profile in this language."})
    sister = PublicProfile.objects.filter(person=person).values_list("translation_key", flat=True).first()
    profile = PublicProfile(organisation_id=person.organisation_id, person=person, language=language,
                            translation_key=sister or uuid.uuid4())
    for key, value in _clean_data(data).items():
        setattr(profile, key, value)
    profile.full_clean()
    profile.save()
    record("publishing.create_profile", actor=acting_user, obj=profile, reason=reason,
           changes=_changes({}, _snapshot(profile)))
    return profile


@transaction.atomic(durable=True)
def do_update_profile(*, profile: PublicProfile, data: Mapping[str, Any], acting_user: Any,
                      reason: str = "") -> PublicProfile:
    """Edit a draft or a profile in review (which goes back to draft: the reviewer must read the new text)."""
    cleaned = _clean_data(data)
    profile = PublicProfile.objects.select_for_update().get(pk=profile.pk)
    if profile.state == State.PUBLISHED:
        raise ValidationError("A published profile cannot be edited: unpublish it first, then submit it again.")
    before = _snapshot(profile)
    changed = {k: v for k, v in cleaned.items() if getattr(profile, k) != v}
    if not changed:
        return profile
    for key, value in changed.items():
        setattr(profile, key, value)
    profile.revision += 1
    profile.state = State.DRAFT
    profile.full_clean()
    profile.save()
    record("publishing.update_profile", actor=acting_user, obj=profile, reason=reason,
           changes=_changes(before, _snapshot(profile)))
    return profile


@transaction.atomic(durable=True)
def do_submit_for_review(*, profile: PublicProfile, acting_user: Any, reason: str = "") -> PublicProfile:
    profile = PublicProfile.objects.select_for_update().get(pk=profile.pk)
    if profile.state != State.DRAFT:
        raise ValidationError("Only a draft can be submitted for review.")
    before = _snapshot(profile)
    profile.state = State.IN_REVIEW
    profile.submitted_by = acting_user if getattr(acting_user, "is_authenticated", False) else None
    profile.save(update_fields=["state", "submitted_by", "updated_at"])
    record("publishing.submit_for_review", actor=acting_user, obj=profile, reason=reason,
           changes=_changes(before, _snapshot(profile)))
    return profile


def _go_live(profile: PublicProfile) -> None:
    problems = publication_problems(profile.person)
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    profile.state = State.PUBLISHED
    profile.published_at = now
    if profile.publish_at is None:
        profile.publish_at = now
    profile.save(update_fields=["state", "published_at", "publish_at", "approved_by", "approved_revision",
                                "updated_at"])
    purge_public_pages()


@transaction.atomic(durable=True)
def do_approve(*, profile: PublicProfile, acting_user: Any, reason: str = "") -> PublicProfile:
    """A reviewer approves the text they read; it goes live at ``publish_at`` (now when empty).

    Four eyes: whoever submitted the profile cannot approve it.
    """
    profile = PublicProfile.objects.select_for_update().select_related("person").get(pk=profile.pk)
    if not policy.can(acting_user, "publishing.approve", profile):
        raise ValidationError("Only a reviewer of the owning organisation can approve a profile.")
    if profile.state != State.IN_REVIEW:
        raise ValidationError("Only a profile in review can be approved.")
    if profile.submitted_by_id is not None and profile.submitted_by_id == getattr(acting_user, "pk", None):
        raise ValidationError("Someone other than the person who submitted it must approve it.")
    before = _snapshot(profile)
    profile.approved_by = acting_user
    profile.approved_revision = profile.revision
    _go_live(profile)
    record("publishing.approve", actor=acting_user, obj=profile, reason=reason,
           changes=_changes(before, _snapshot(profile)))
    return profile


@transaction.atomic(durable=True)
def do_publish(*, profile: PublicProfile, acting_user: Any, reason: str = "") -> PublicProfile:
    """Put an unpublished profile back up, unchanged since a reviewer approved it."""
    profile = PublicProfile.objects.select_for_update().select_related("person").get(pk=profile.pk)
    if not policy.can(acting_user, "publishing.approve", profile):
        raise ValidationError("Only a reviewer of the owning organisation can publish a profile.")
    if profile.state == State.PUBLISHED:
        raise ValidationError("This profile is already published.")
    if profile.approved_revision != profile.revision:
        raise ValidationError("This text was never approved as it stands: submit it for review.")
    before = _snapshot(profile)
    _go_live(profile)
    record("publishing.publish", actor=acting_user, obj=profile, reason=reason,
           changes=_changes(before, _snapshot(profile)))
    return profile


@transaction.atomic(durable=True)
def do_unpublish(*, profile: PublicProfile, acting_user: Any, reason: str = "") -> PublicProfile:
    """Take a profile off the site at once (back to draft); every stored public page is purged."""
    profile = PublicProfile.objects.select_for_update().get(pk=profile.pk)
    if profile.state != State.PUBLISHED:
        raise ValidationError("This profile is not published.")
    before = _snapshot(profile)
    profile.state = State.DRAFT
    profile.save(update_fields=["state", "updated_at"])
    purge_public_pages()
    record("publishing.unpublish", actor=acting_user, obj=profile, reason=reason,
           changes=_changes(before, _snapshot(profile)))
    return profile


# --- stories, campaigns, resources and videos (issue 6, decision 0017) ---
#
# One workflow for every editorial kind, the same as a profile's: a draft is
# edited (each edit bumps the revision and sends it back to draft), submitted,
# approved by a second person with "publish" (the approval pins the revision),
# live at ``publish_at``; unpublishing is immediate and empties the page store.

NETWORKS = {"x": 280, "mastodon": 500, "bluesky": 300, "facebook": 2000, "telegram": 2000, "whatsapp": 2000}
HASHTAG = re.compile(r"^#?[^\s#<>&\"']{1,59}$")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FIELDS: dict[str, tuple[str, ...]] = {
    "story": ("slug", "title", "body", "person", "series", "position", "show_photo", "publish_at"),
    "campaign": ("slug", "title", "hashtag", "summary", "share_texts", "people", "publish_at", "audience_timezones"),
    "resource": ("slug", "title", "kind", "summary", "body", "publish_at"),
    "video": ("slug", "title", "description", "publish_at"),
}
# Tags and attributes an article may keep; everything else (scripts, styles, frames, event handlers) is removed.
ARTICLE_TAGS = {"p", "br", "h2", "h3", "h4", "ul", "ol", "li", "a", "em", "strong", "blockquote", "q", "cite",
                "abbr", "bdi", "code", "pre", "hr", "figure", "figcaption", "table", "thead", "tbody", "tr", "th", "td"}
ARTICLE_ATTRIBUTES = {"a": {"href", "hreflang"}, "abbr": {"title"}, "bdi": {"dir"}, "th": {"scope"}}
VIDEO_TYPES = {b"ftyp": "video/mp4", b"\x1aE\xdf\xa3": "video/webm"}
DOWNLOAD_TYPES = {b"%PDF-": ("application/pdf", "pdf"), b"PK\x03\x04": ("application/zip", "zip")}


def clean_html(html: str) -> str:
    """An article's HTML, sanitised by ammonia (nh3): only the tags above, links with safe schemes, no JS."""
    import nh3

    return str(nh3.clean(html, tags=ARTICLE_TAGS, attributes=ARTICLE_ATTRIBUTES, url_schemes={"http", "https", "mailto"},
                         link_rel="noopener noreferrer nofollow", strip_comments=True)).strip()


def _text(data: Mapping[str, Any], key: str, limit: int, *, required: bool = False) -> str:
    value = data.get(key)
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError({key: "Give text."})
    text = value.replace("\r\n", "\n").replace("\x00", "").strip()
    if len(text) > limit:
        raise ValidationError({key: f"At most {limit} characters."})
    if required and not text:
        raise ValidationError({key: "This field is required."})
    return text


def _clean_editorial(item: Any, data: Mapping[str, Any]) -> tuple[dict[str, Any], list[Any] | None]:
    """Checked values of ``data`` for ``item``'s kind, and the new people of a campaign (None: unchanged)."""
    from unforgotten.publishing.models import BODY_MAX_CHARS, TITLE_MAX, ResourceKind, StorySeries

    allowed = FIELDS[item.KIND]
    unknown = set(data) - set(allowed)
    if unknown:
        field = sorted(unknown)[0]
        raise ValidationError({field: f"'{field}' cannot be set here."})
    out: dict[str, Any] = {}
    people: list[Any] | None = None
    for key, value in data.items():
        if key == "slug":
            slug = _text(data, key, 80, required=True)
            if not SLUG.match(slug):
                raise ValidationError({"slug": "Use lowercase letters, digits and single hyphens."})
            out[key] = slug
        elif key == "title":
            out[key] = _text(data, key, TITLE_MAX, required=True)
        elif key in ("body",) and item.KIND == "resource":
            out[key] = clean_html(_text(data, key, BODY_MAX_CHARS))
        elif key == "body":
            out[key] = _text(data, key, BODY_MAX_CHARS, required=True)
        elif key in ("summary", "description"):
            out[key] = _text(data, key, 4000 if key == "description" or item.KIND == "campaign" else 2000)
        elif key == "hashtag":
            tag = _text(data, key, 60, required=True)
            if not HASHTAG.match(tag):
                raise ValidationError({"hashtag": "One word, without spaces, e.g. #SetThemFree."})
            out[key] = tag if tag.startswith("#") else f"#{tag}"
        elif key == "kind":
            if value not in ResourceKind.values:
                raise ValidationError({"kind": f"Choose one of {', '.join(ResourceKind.values)}."})
            out[key] = value
        elif key in ("position",):
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 1_000_000:
                raise ValidationError({key: "Give a whole number from 0."})
            out[key] = value
        elif key == "show_photo":
            out[key] = bool(value)
        elif key == "publish_at":
            if value is not None and not isinstance(value, datetime):
                raise ValidationError({"publish_at": "Give a date and time."})
            out[key] = value
        elif key == "person":
            if not isinstance(value, Person) or value.organisation_id != item.organisation_id:
                raise ValidationError({"person": "No person with this ID in this organisation's registry."})
            out[key] = value
        elif key == "series":
            if value is not None and (not isinstance(value, StorySeries)
                                      or value.organisation_id != item.organisation_id):
                raise ValidationError({"series": "No such series in this organisation."})
            out[key] = value
        elif key == "people":
            people = list(value or [])
            if len(people) > 500 or any(not isinstance(p, Person) or p.organisation_id != item.organisation_id
                                        for p in people):
                raise ValidationError({"people": "Only people of this organisation's registry (at most 500)."})
        elif key == "share_texts":
            if not isinstance(value, Mapping):
                raise ValidationError({"share_texts": "Give one text per network."})
            texts = {}
            for network, text in value.items():
                if network not in NETWORKS:
                    raise ValidationError({"share_texts": f"Unknown network '{str(network)[:20]}'; use "
                                                          f"{', '.join(NETWORKS)}."})
                cleaned = _text({network: text}, network, NETWORKS[network])
                if cleaned:
                    texts[network] = cleaned
            out[key] = texts
        elif key == "audience_timezones":
            out[key] = _zones(value)
    return out, people


AUDIENCE_ZONES_MAX = 12


def _zones(value: Any) -> list[str]:
    """Audience time zones: IANA names this machine knows, each once, in the order given (decision 0028)."""
    from unforgotten.publishing.posting_times import is_zone

    if value is None:
        return []
    if not isinstance(value, (list, tuple)) or len(value) > AUDIENCE_ZONES_MAX:
        raise ValidationError({"audience_timezones": f"Give a list of at most {AUDIENCE_ZONES_MAX} time zones."})
    zones: list[str] = []
    for name in value:
        if not is_zone(name):
            raise ValidationError({"audience_timezones": f"'{str(name)[:40]}' is not an IANA time zone "
                                                         "(e.g. Europe/Moscow, Asia/Tehran, America/New_York)."})
        if name not in zones:
            zones.append(name)
    return zones


def _editorial_snapshot(item: Any) -> dict[str, Any]:
    snap = {"language": item.language, "state": item.state, "slug": item.slug, "title_chars": len(item.title),
            "publish_at": item.publish_at.isoformat() if item.publish_at else None, "revision": item.revision}
    for key in ("body", "summary", "description"):
        if hasattr(item, key):
            snap[f"{key}_chars"] = len(getattr(item, key))
    if item.KIND == "story":
        snap.update(person=item.person_id, series=item.series_id, position=item.position, show_photo=item.show_photo)
    if item.KIND == "campaign" and item.pk:
        snap.update(hashtag=item.hashtag, people=sorted(item.people.values_list("pk", flat=True)),
                    networks=sorted(item.share_texts), audience_timezones=list(item.audience_timezones))
    if item.KIND in ("resource", "video"):
        snap.update(file_type=item.file_type, file_size=item.file_size)
    return snap


def _lock(item: Any) -> Any:
    return type(item).objects.select_for_update().get(pk=item.pk)


def _save_editorial(item: Any, cleaned: Mapping[str, Any], people: list[Any] | None) -> None:
    for key, value in cleaned.items():
        setattr(item, key, value)
    try:
        item.full_clean(exclude=["organisation", "person", "series"])
    except ValidationError as exc:
        if "__all__" in getattr(exc, "error_dict", {}):
            raise ValidationError({"slug": "This address is taken in this language."}) from exc
        raise
    item.save()
    if people is not None:
        item.people.set(people)


@transaction.atomic(durable=True)
def do_create_item(*, model: type[Any], organisation: Any, language: str, data: Mapping[str, Any],
                   acting_user: Any, translation_of: Any = None, reason: str = "") -> Any:
    """A new draft of a story, campaign, resource or video; ``translation_of`` makes it a sister translation."""
    if language not in LANGUAGE_CODES:
        raise ValidationError({"language": f"'{language}' is not a language of the site."})
    item = model(organisation=organisation, language=language)
    if translation_of is not None:
        if type(translation_of) is not model or translation_of.organisation_id != organisation.pk:
            raise ValidationError({"translation_of": "No such item in this organisation."})
        if model.objects.filter(translation_key=translation_of.translation_key, language=language).exists():
            raise ValidationError({"language": "There is already a translation in this language."})
        item.translation_key = translation_of.translation_key
        # A translation starts from its sister's address and links (its text is its own).
        item.slug = translation_of.slug
        for key in ("person_id", "series_id", "position", "show_photo", "hashtag", "kind"):
            if hasattr(translation_of, key):
                setattr(item, key, getattr(translation_of, key))
    cleaned, people = _clean_editorial(item, data)
    if item.KIND == "story" and "person" not in cleaned and not item.person_id:
        raise ValidationError({"person": "Say whose story this is."})
    if translation_of is not None and item.KIND == "campaign" and people is None:
        people = list(translation_of.people.all())
    _save_editorial(item, cleaned, people)
    record(f"publishing.create_{item.KIND}", actor=acting_user, obj=item, reason=reason,
           changes=_changes({}, _editorial_snapshot(item)))
    return item


@transaction.atomic(durable=True)
def do_update_item(*, item: Any, data: Mapping[str, Any], acting_user: Any, reason: str = "") -> Any:
    """Edit a draft or an item in review (which goes back to draft: the reviewer must read the new text)."""
    item = _lock(item)
    if item.state == State.PUBLISHED:
        raise ValidationError("A published item cannot be edited: unpublish it first, then submit it again.")
    cleaned, people = _clean_editorial(item, data)
    before = _editorial_snapshot(item)
    changed = {k: v for k, v in cleaned.items() if getattr(item, k) != v}
    if people is not None and item.KIND == "campaign" and set(item.people.all()) == set(people):
        people = None
    if not changed and people is None:
        return item
    item.revision += 1
    item.state = State.DRAFT
    _save_editorial(item, changed, people)
    record(f"publishing.update_{item.KIND}", actor=acting_user, obj=item, reason=reason,
           changes=_changes(before, _editorial_snapshot(item)))
    return item


def _draft_for_file(item: Any) -> Any:
    item = _lock(item)
    if item.state == State.PUBLISHED:
        raise ValidationError("A published item cannot be changed: unpublish it first.")
    return item


def _read_upload(upload: Any, limit: int) -> bytes:
    size = getattr(upload, "size", None)
    if size is None or size > limit:
        raise ValidationError({"file": f"The file is larger than {limit // (1024 * 1024)} MB."})
    data: bytes = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError({"file": f"The file is larger than {limit // (1024 * 1024)} MB."})
    if not data:
        raise ValidationError({"file": "The file is empty."})
    return data


def _image_without_metadata(data: bytes) -> bytes:
    import io

    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > 40_000_000:
                raise ValidationError({"file": "The image is too large (at most 40 megapixels)."})
            image.load()
            clean = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ValidationError({"file": "This is not a PNG, JPEG or WebP image."}) from exc
    out = io.BytesIO()
    clean.save(out, format="PNG", optimize=True)  # a fresh file: EXIF, XMP and text chunks are not carried over
    return out.getvalue()


@transaction.atomic(durable=True)
def do_attach_file(*, item: Any, upload: Any, acting_user: Any, reason: str = "") -> Any:
    """Attach the file of a download (PDF or ZIP), an infographic (image, re-encoded) or a video (MP4/WebM)."""
    from django.conf import settings
    from django.core.files.base import ContentFile

    item = _draft_for_file(item)
    before = _editorial_snapshot(item)
    if item.KIND == "video":
        data = _read_upload(upload, settings.PUBLIC_VIDEO_MAX_BYTES)
        kind = VIDEO_TYPES.get(data[4:8]) or VIDEO_TYPES.get(data[:4])
        if kind is None:
            raise ValidationError({"file": "Upload an MP4 or WebM video."})
        extension = "mp4" if kind == "video/mp4" else "webm"
        from unforgotten.publishing.media import strip_video

        # Title, GPS position, encoder, creation time, chapters: the container's metadata stays behind.
        data = strip_video(data, kind)
    elif item.KIND == "resource" and item.kind == "infographic":
        data = _image_without_metadata(_read_upload(upload, settings.PUBLIC_DOWNLOAD_MAX_BYTES))
        kind, extension = "image/png", "png"
    elif item.KIND == "resource":
        data = _read_upload(upload, settings.PUBLIC_DOWNLOAD_MAX_BYTES)
        found = next((v for magic, v in DOWNLOAD_TYPES.items() if data.startswith(magic)), None)
        if found is None:
            raise ValidationError({"file": "Upload a PDF or a ZIP file."})
        kind, extension = found
        if kind == "application/pdf":
            from unforgotten.evidence.derivatives import strip_pdf

            try:
                data = strip_pdf(data)  # the document information and XMP of the author's copy stay behind
            except ValidationError as exc:
                raise ValidationError({"file": exc.messages}) from None
    else:
        raise ValidationError({"file": "This kind of item has no file."})
    if item.file:
        item.file.delete(save=False)
    # Named by a fresh random id: the uploader's file name never reaches the site.
    item.file.save(f"{uuid.uuid4().hex}.{extension}", ContentFile(data), save=False)
    item.file_type, item.file_size = kind, len(data)
    if hasattr(item, "file_extension"):
        item.file_extension = extension
    item.revision += 1
    item.state = State.DRAFT
    item.save()
    record(f"publishing.attach_{item.KIND}_file", actor=acting_user, obj=item, reason=reason,
           changes=_changes(before, _editorial_snapshot(item)))
    return item


def check_webvtt(text: str) -> str:
    """WebVTT captions as plain text; anything that is not WebVTT is refused (no HTML rides along)."""
    text = text.replace("\r\n", "\n").replace("\x00", "").lstrip("\ufeff")
    if not text.startswith("WEBVTT") or (len(text) > 6 and text[6] not in " \t\n"):
        raise ValidationError({"captions": "Captions must be a WebVTT file (it starts with WEBVTT)."})
    if "-->" not in text:
        raise ValidationError({"captions": "The captions have no cue (a line with -->)."})
    if len(text) > 500_000:
        raise ValidationError({"captions": "The captions are longer than 500,000 characters."})
    return text


@transaction.atomic(durable=True)
def do_set_captions(*, video: Any, language: str, vtt: str, acting_user: Any, reason: str = "") -> Any:
    from unforgotten.publishing.models import VideoCaption

    if language not in LANGUAGE_CODES:
        raise ValidationError({"language": f"'{language}' is not a language of the site."})
    text = check_webvtt(vtt)
    video = _draft_for_file(video)
    caption, created = VideoCaption.objects.get_or_create(
        video=video, language=language, defaults={"organisation_id": video.organisation_id, "vtt": text})
    if not created:
        caption.vtt = text
        caption.save(update_fields=["vtt", "updated_at"])
    video.revision += 1
    video.state = State.DRAFT
    video.save(update_fields=["revision", "state", "updated_at"])
    record("publishing.set_video_captions", actor=acting_user, obj=video, reason=reason,
           changes={"captions": [None, language], "chars": [None, len(text)]})
    return caption


def item_problems(item: Any) -> list[str]:
    """Why this item cannot go on the public site now (empty when it can)."""
    problems = []
    if item.KIND == "story":
        if not project(item, PUBLIC, ["body"]).get("body"):
            problems.append("There is no recorded, unwithdrawn consent to tell this person's story.")
        problems += publication_problems(item.person)
    elif item.KIND == "resource":
        if item.kind == "article" and not item.body:
            problems.append("An article needs its text.")
        if item.kind != "article" and not item.file:
            problems.append("Attach the file first.")
    elif item.KIND == "video" and not item.file:
        problems.append("Upload the video first.")
    return problems


@transaction.atomic(durable=True)
def do_submit_item(*, item: Any, acting_user: Any, reason: str = "") -> Any:
    item = _lock(item)
    if item.state != State.DRAFT:
        raise ValidationError("Only a draft can be submitted for review.")
    before = _editorial_snapshot(item)
    item.state = State.IN_REVIEW
    item.submitted_by = acting_user if getattr(acting_user, "is_authenticated", False) else None
    item.save(update_fields=["state", "submitted_by", "updated_at"])
    record(f"publishing.submit_{item.KIND}", actor=acting_user, obj=item, reason=reason,
           changes=_changes(before, _editorial_snapshot(item)))
    return item


def _item_go_live(item: Any) -> None:
    problems = item_problems(item)
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    item.state = State.PUBLISHED
    item.published_at = now
    # A story in a series waits for its day (the daily job gives it one); everything else goes up now.
    if item.publish_at is None and not (item.KIND == "story" and item.series_id is not None):
        item.publish_at = now
    item.save(update_fields=["state", "published_at", "publish_at", "approved_by", "approved_revision",
                             "updated_at"])
    purge_public_pages()


@transaction.atomic(durable=True)
def do_approve_item(*, item: Any, acting_user: Any, reason: str = "") -> Any:
    """A reviewer approves the revision they read (four eyes: never the submitter)."""
    item = _lock(item)
    if not policy.can(acting_user, "publishing.approve", item):
        raise ValidationError("Only a reviewer of the owning organisation can approve.")
    if item.state != State.IN_REVIEW:
        raise ValidationError("Only an item in review can be approved.")
    if item.submitted_by_id is not None and item.submitted_by_id == getattr(acting_user, "pk", None):
        raise ValidationError("Someone other than the person who submitted it must approve it.")
    before = _editorial_snapshot(item)
    item.approved_by = acting_user
    item.approved_revision = item.revision
    _item_go_live(item)
    record(f"publishing.approve_{item.KIND}", actor=acting_user, obj=item, reason=reason,
           changes=_changes(before, _editorial_snapshot(item)))
    return item


@transaction.atomic(durable=True)
def do_publish_item(*, item: Any, acting_user: Any, reason: str = "") -> Any:
    """Put an unpublished item back up, unchanged since a reviewer approved it."""
    item = _lock(item)
    if not policy.can(acting_user, "publishing.approve", item):
        raise ValidationError("Only a reviewer of the owning organisation can publish.")
    if item.state == State.PUBLISHED:
        raise ValidationError("This is already published.")
    if item.approved_revision != item.revision:
        raise ValidationError("This text was never approved as it stands: submit it for review.")
    before = _editorial_snapshot(item)
    _item_go_live(item)
    record(f"publishing.publish_{item.KIND}", actor=acting_user, obj=item, reason=reason,
           changes=_changes(before, _editorial_snapshot(item)))
    return item


@transaction.atomic(durable=True)
def do_unpublish_item(*, item: Any, acting_user: Any, reason: str = "") -> Any:
    """Take an item off the site at once (back to draft); every stored page and share image is purged."""
    item = _lock(item)
    if item.state != State.PUBLISHED:
        raise ValidationError("This is not published.")
    before = _editorial_snapshot(item)
    item.state = State.DRAFT
    if item.KIND == "story" and item.series_id is not None and item.publish_at and item.publish_at <= timezone.now():
        item.publish_at = None  # its day is over; put back up, it waits in line again
    item.save(update_fields=["state", "publish_at", "updated_at"])
    purge_public_pages()
    record(f"publishing.unpublish_{item.KIND}", actor=acting_user, obj=item, reason=reason,
           changes=_changes(before, _editorial_snapshot(item)))
    return item


@transaction.atomic(durable=True)
def do_create_series(*, organisation: Any, data: Mapping[str, Any], acting_user: Any, reason: str = "") -> Any:
    from datetime import time, timedelta

    from unforgotten.publishing.models import StorySeries

    slug = _text(data, "slug", 80, required=True)
    if not SLUG.match(slug):
        raise ValidationError({"slug": "Use lowercase letters, digits and single hyphens."})
    if StorySeries.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": "This address is taken."})
    tag = _text(data, "hashtag", 60, required=True)
    if not HASHTAG.match(tag):
        raise ValidationError({"hashtag": "One word, without spaces, e.g. #FreeToBeHome."})
    daily_at = data.get("daily_at")
    if not isinstance(daily_at, time):
        raise ValidationError({"daily_at": "Give a time of day (UTC)."})
    if daily_at.tzinfo is not None:
        if daily_at.utcoffset() != timedelta(0):
            raise ValidationError({"daily_at": "Give the time in UTC, without another time zone."})
        daily_at = daily_at.replace(tzinfo=None)
    series = StorySeries.objects.create(organisation=organisation, slug=slug, daily_at=daily_at,
                                        hashtag=tag if tag.startswith("#") else f"#{tag}")
    record("publishing.create_series", actor=acting_user, obj=series, reason=reason,
           changes={"slug": [None, slug], "hashtag": [None, series.hashtag], "daily_at": [None, str(daily_at)]})
    return series


@transaction.atomic(durable=True)
def do_release_series_stories(*, now: datetime | None = None) -> list[Any]:
    """Give today's story of each series and language its day, once the daily slot has come.

    Run by the periodic job ``publishing.release_stories``. At most one story a
    day per series and language: if one came out since today's slot (released
    here or scheduled by hand), nothing else does. A waiting story whose
    family's consent is no longer recorded is passed over, never shown.
    """
    from unforgotten.publishing.models import Story, StorySeries

    now = now or timezone.now()
    released = []
    for series in StorySeries.objects.filter(is_active=True):
        slot = datetime.combine(now.date(), series.daily_at, tzinfo=UTC)
        if now < slot:
            continue
        stories = Story.objects.filter(series=series, state=State.PUBLISHED)
        for language in LANGUAGE_CODES:
            if stories.filter(language=language, publish_at__gte=slot, publish_at__lte=now).exists():
                continue
            waiting = (stories.filter(language=language, publish_at__isnull=True)
                       .select_related("person").prefetch_related("person__consents")
                       .order_by("position", "published_at", "pk"))
            story = next((s for s in waiting.select_for_update(of=("self",))
                          if not item_problems(s)), None)
            if story is None:
                continue
            story.publish_at = now
            story.save(update_fields=["publish_at", "updated_at"])
            record("publishing.release_story", actor="scheduler", obj=story,
                   changes={"publish_at": [None, now.isoformat()], "series": [None, series.slug]})
            released.append(story)
    if released:
        purge_public_pages()
    return released

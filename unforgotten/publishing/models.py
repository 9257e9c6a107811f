"""Publication records: a person is public only through an explicit, reviewed, per-language profile.

A person is never public because they exist in a registry. Each language of a
profile is its own row (its own story, its own review), linked to its sister
translations by ``translation_key`` (one key per person). Everything a public
page shows is read through ``project(obj, PUBLIC)``: the story here is bound to
the person's "story" consent, exactly like the registry's own public summary.
"""

from __future__ import annotations

from typing import Any, ClassVar
from uuid import uuid4

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unforgotten.policy.sensitivity import Sensitivity
from unforgotten.registry.models import Owned, Person

P = Sensitivity.PUBLIC

STORY_MAX_CHARS = 20_000
LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")


class PublicProfileQuerySet(models.QuerySet["PublicProfile"]):
    def live(self) -> PublicProfileQuerySet:
        """Published, due (``publish_at`` passed) and about a person who was not merged away."""
        return self.filter(state=State.PUBLISHED, publish_at__lte=timezone.now(), person__merged_into__isnull=True)


class PublicProfile(Owned):
    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="public_profiles")
    language = models.CharField(_("language"), max_length=12, choices=settings.LANGUAGES)
    translation_key = models.UUIDField(_("translation key"), default=uuid4, db_index=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    story = models.TextField(_("story"), blank=True, max_length=STORY_MAX_CHARS,
                             help_text=_("Plain text; blank lines separate paragraphs. Shown only with story consent."))
    featured = models.BooleanField(_("featured on the home page"), default=False)
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True,
                                      help_text=_("Leave empty to publish as soon as it is approved."))
    # Every edit bumps the revision; approval pins the revision a reviewer read,
    # so an unpublished profile may go back up only if nobody changed it since.
    revision = models.PositiveIntegerField(default=1, editable=False)
    approved_revision = models.PositiveIntegerField(null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", editable=False)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PublicProfileQuerySet.as_manager()

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {
        "language": P, "story": P, "featured": P, "publish_at": P, "translation_key": P}
    CONSENT: ClassVar[dict[str, str]] = {"story": "story"}

    class Meta:
        ordering = ["person_id", "language"]
        constraints = [
            models.UniqueConstraint(fields=["person", "language"], name="one_profile_per_person_language"),
            models.UniqueConstraint(fields=["translation_key", "language"], name="one_translation_per_language"),
        ]
        indexes = [models.Index(fields=["language", "state", "publish_at"], name="profile_live")]

    def __str__(self) -> str:
        return f"profile {self.uuid} ({self.language}, {self.state})"

    def has_public_consent(self, scope: str) -> bool:
        return self.person.has_public_consent(scope)

    @property
    def is_scheduled(self) -> bool:
        return self.state == State.PUBLISHED and self.publish_at is not None and self.publish_at > timezone.now()


# --- issue 6, the rest of the campaign site: stories, campaigns, resources, videos (decision 0017) ---
#
# Each of these is, like a profile, one row per language linked to its sister
# translations by ``translation_key``, with its own review (four eyes), its own
# revision pin and its own ``publish_at``. The workflow is the same code for
# all of them (``editorial.py``); what differs is listed in ``kinds.py``.

TITLE_MAX = 200
BODY_MAX_CHARS = 40_000
SLUG_HELP = _("Lowercase letters, digits and hyphens; the same for every translation.")


class EditorialQuerySet(models.QuerySet[Any]):
    def live(self) -> EditorialQuerySet:
        return self.filter(state=State.PUBLISHED, publish_at__lte=timezone.now())


class Editorial(Owned):
    """What every translated, reviewed public item shares."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    language = models.CharField(_("language"), max_length=12, choices=settings.LANGUAGES)
    translation_key = models.UUIDField(_("translation key"), default=uuid4, db_index=True, editable=False)
    slug = models.SlugField(_("address"), max_length=80, help_text=SLUG_HELP)
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT, editable=False)
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True,
                                      help_text=_("Leave empty to publish as soon as it is approved."))
    revision = models.PositiveIntegerField(default=1, editable=False)
    approved_revision = models.PositiveIntegerField(null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", editable=False)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = EditorialQuerySet.as_manager()

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {
        "language": P, "slug": P, "title": P, "publish_at": P, "translation_key": P, "published_at": P}
    KIND: ClassVar[str] = ""

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.KIND} {self.uuid} ({self.language}, {self.state})"

    def has_public_consent(self, scope: str) -> bool:
        return False

    @property
    def is_scheduled(self) -> bool:
        return self.state == State.PUBLISHED and (self.publish_at is None or self.publish_at > timezone.now())


class StorySeries(Owned):
    """A named series (#FreeToBeHome): one approved story a day, released at ``daily_at`` (UTC) by itself."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    slug = models.SlugField(_("address"), max_length=80, unique=True, help_text=SLUG_HELP)
    hashtag = models.CharField(_("hashtag"), max_length=60, help_text=_("Without spaces, e.g. #FreeToBeHome."))
    daily_at = models.TimeField(_("daily release time (UTC)"))
    is_active = models.BooleanField(_("releasing"), default=True)

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {"slug": P, "hashtag": P}

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.hashtag


class Story(Editorial):
    """One family's story, about one person, told with the family's consent (the person's "story" scope).

    In a series and approved without ``publish_at``, a story waits in line
    (published, no ``publish_at``) until the daily job gives it its day.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="family_stories",
                               verbose_name=_("about"))
    series = models.ForeignKey(StorySeries, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="stories", verbose_name=_("series"))
    position = models.PositiveIntegerField(_("place in the series"), default=0,
                                           help_text=_("Lower numbers come out first."))
    body = models.TextField(_("story"), max_length=BODY_MAX_CHARS,
                            help_text=_("Plain text; blank lines separate paragraphs."))
    show_photo = models.BooleanField(_("show the portrait"), default=False,
                                     help_text=_("Only ever shown while the photo consent stands."))

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {**Editorial.SENSITIVITY, "body": P, "show_photo": P}
    # A family's story is public only while the family's consent to tell it stands.
    CONSENT: ClassVar[dict[str, str]] = {"title": "story", "body": "story"}
    KIND = "story"

    class Meta:
        ordering = ["series_id", "language", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "language"], name="one_story_slug_per_language"),
            models.UniqueConstraint(fields=["translation_key", "language"], name="one_story_translation_per_language"),
        ]

    def has_public_consent(self, scope: str) -> bool:
        return self.person.has_public_consent(scope)


class Campaign(Editorial):
    """#SetThemFree: a curated set of people with a hashtag and a share kit."""

    hashtag = models.CharField(_("hashtag"), max_length=60)
    summary = models.TextField(_("summary"), max_length=4000, blank=True)
    people = models.ManyToManyField(Person, related_name="+", blank=True, verbose_name=_("people"))
    # {"x": "…", "facebook": "…", …}: the ready texts of the share kit, per network, in this row's language.
    share_texts = models.JSONField(_("share texts"), default=dict, blank=True)
    # ["Europe/Moscow", "Asia/Tehran"]: IANA zones of the audience, for the share kit's posting windows (0028).
    audience_timezones = models.JSONField(_("audience time zones"), default=list, blank=True)

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {
        **Editorial.SENSITIVITY, "hashtag": P, "summary": P, "share_texts": P, "audience_timezones": P}
    KIND = "campaign"

    class Meta:
        ordering = ["language", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "language"], name="one_campaign_slug_per_language"),
            models.UniqueConstraint(fields=["translation_key", "language"],
                                    name="one_campaign_translation_per_language"),
        ]


class ResourceKind(models.TextChoices):
    ARTICLE = "article", _("Article")
    DOWNLOAD = "download", _("Download")
    INFOGRAPHIC = "infographic", _("Infographic")


class Resource(Editorial):
    """An article (sanitised HTML), a download (served as an attachment) or an infographic (re-encoded image)."""

    kind = models.CharField(_("kind"), max_length=12, choices=ResourceKind.choices, default=ResourceKind.ARTICLE)
    summary = models.TextField(_("summary"), max_length=2000, blank=True)
    # Stored already sanitised (editorial.clean_html): what is saved is exactly what is shown.
    body = models.TextField(_("text"), max_length=BODY_MAX_CHARS, blank=True,
                            help_text=_("HTML: paragraphs, headings, lists, links, emphasis; anything else is removed."))
    file = models.FileField(upload_to="publishing/resources/", blank=True, editable=False)
    file_type = models.CharField(max_length=100, blank=True, editable=False)
    file_size = models.PositiveBigIntegerField(default=0, editable=False)
    file_extension = models.CharField(max_length=8, blank=True, editable=False)

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {
        **Editorial.SENSITIVITY, "kind": P, "summary": P, "body": P, "file": P, "file_type": P, "file_size": P,
        "file_extension": P}
    KIND = "resource"

    class Meta:
        ordering = ["language", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "language"], name="one_resource_slug_per_language"),
            models.UniqueConstraint(fields=["translation_key", "language"],
                                    name="one_resource_translation_per_language"),
        ]


class Video(Editorial):
    """A video story hosted here (MP4 or WebM), with WebVTT captions per language."""

    description = models.TextField(_("description"), max_length=4000, blank=True)
    file = models.FileField(upload_to="publishing/videos/", blank=True, editable=False)
    file_type = models.CharField(max_length=20, blank=True, editable=False)
    file_size = models.PositiveBigIntegerField(default=0, editable=False)

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {
        **Editorial.SENSITIVITY, "description": P, "file": P, "file_type": P, "file_size": P}
    KIND = "video"

    class Meta:
        ordering = ["language", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "language"], name="one_video_slug_per_language"),
            models.UniqueConstraint(fields=["translation_key", "language"], name="one_video_translation_per_language"),
        ]


class VideoCaption(Owned):
    """One language's captions of a video, as WebVTT text (checked on upload; shown only with the video)."""

    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="captions")
    language = models.CharField(_("language"), max_length=12, choices=settings.LANGUAGES)
    vtt = models.TextField(max_length=500_000, editable=False)

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {"language": P, "vtt": P}

    class Meta:
        ordering = ["video_id", "language"]
        constraints = [models.UniqueConstraint(fields=["video", "language"], name="one_caption_per_language")]

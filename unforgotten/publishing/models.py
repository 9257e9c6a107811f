"""Publication records: a person is public only through an explicit, reviewed, per-language profile.

A person is never public because they exist in a registry. Each language of a
profile is its own row (its own story, its own review), linked to its sister
translations by ``translation_key`` (one key per person). Everything a public
page shows is read through ``project(obj, PUBLIC)``: the story here is bound to
the person's "story" consent, exactly like the registry's own public summary.
"""

from __future__ import annotations

from typing import ClassVar
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

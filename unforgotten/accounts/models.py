from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a member of an organisation does there. One person may hold several roles.

    Every role can see the organisation's internal data, which is why every role
    needs a second factor. Restricted data needs a place on the case team as
    well; sealed data needs an explicit, audited unsealing.
    """

    VIEWER = "viewer", _("Viewer")
    CASEWORKER = "caseworker", _("Caseworker")
    # Reviewers decide recognition and approve what goes public: the second pair of eyes.
    REVIEWER = "reviewer", _("Reviewer")
    CAMPAIGNER = "campaigner", _("Campaigner")
    ADVOCATE = "advocate", _("Advocate")
    # Coordinators keep the organisation's response going (issue 9, decision 0026): they hear of urgent alerts
    # and escalations, take on-call shifts, move alerts along and get the radar's weekly digest. They read what
    # every member reads and edit no case: the caseworkers do that.
    COORDINATOR = "coordinator", _("Coordinator")
    FINANCE_OFFICER = "finance_officer", _("Finance officer")
    ORG_ADMIN = "org_admin", _("Organisation admin")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person who logs in to the workspace. Supporters who sign petitions are not users."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(_("name"), max_length=150, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects = UserManager()  # type: ignore[misc, assignment]

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.display_name or self.email

    @property
    def is_platform_admin(self) -> bool:
        return bool(self.is_active and self.is_superuser)


class Organisation(models.Model):
    """A rights group, a lawyers' network, a family association: the unit of isolation.

    Nothing an organisation records is visible to another unless it is shared
    deliberately at an agreed sensitivity (coalition sharing, later issues).
    """

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    roles = models.JSONField(_("roles"), default=list)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique")]
        ordering = ["organisation__name", "user__email"]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"

    def has_role(self, *roles: str) -> bool:
        return any(r in self.roles for r in roles)

from __future__ import annotations

import hashlib

from django.db import models
from django.utils.translation import gettext_lazy as _

from unforgotten.accounts.models import Organisation


class Scope(models.TextChoices):
    """What a token may do. A token never holds more than the capabilities its scopes map to."""

    READ = "read", _("Read the organisation's records")
    WRITE = "write", _("Create and change records")
    EXPORT = "export", _("Export lists and files")
    AUDIT = "audit", _("Read the audit trail")
    # advocacy (issue 8): record stakeholders, interventions, legal actions (never export a dossier: that needs a person)
    ADVOCACY = "advocacy", _("Record advocacy and legal support")
    CAMPAIGN = "campaign", _("Run petitions and record signatures")  # actions (issue 7)


# Scope → policy capabilities (see unforgotten.policy.ROLE_CAPABILITIES).
SCOPE_CAPABILITIES: dict[str, frozenset[str]] = {
    Scope.READ: frozenset({"view"}),
    Scope.WRITE: frozenset({"view", "edit_cases"}),
    Scope.EXPORT: frozenset({"view", "export"}),
    Scope.AUDIT: frozenset({"view", "view_audit"}),
    Scope.ADVOCACY: frozenset({"view", "advocacy"}),  # advocacy (issue 8)
    Scope.CAMPAIGN: frozenset({"view", "campaign"}),  # actions (issue 7)
}


def token_digest(raw: str) -> str:
    # Tokens are long random strings, so a fast unkeyed hash is enough to make a
    # stolen database useless for calling the API; only the digest is stored.
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class APIToken(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=16, help_text="The first characters, shown so people can tell tokens apart.")
    digest = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    created_by_id = models.BigIntegerField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def capabilities(self) -> frozenset[str]:
        caps: set[str] = set()
        for scope in self.scopes:
            caps |= SCOPE_CAPABILITIES.get(scope, frozenset())
        return frozenset(caps)

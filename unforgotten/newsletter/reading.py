"""Who reads the newsletter list, through the one projection."""

from __future__ import annotations

from typing import Any

from unforgotten import policy
from unforgotten.accounts.models import Organisation
from unforgotten.policy.projection import PUBLIC, Audience


def campaign_audience(user: Any, organisation: Organisation) -> Audience:
    """The list's own team is its campaigners: they read the restricted address; anyone else is the public."""
    if not policy.can(user, "newsletter.export", organisation):
        return PUBLIC
    return Audience(kind="case_team", organisation_id=organisation.pk, roles=policy.roles_in(user, organisation.pk),
                    user_id=int(user.pk))

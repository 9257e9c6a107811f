from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from unforgotten import policy


def workspace(request: HttpRequest) -> dict[str, Any]:
    """The organisations the signed-in person works in, for the workspace navigation."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    org_ids = policy.organisation_ids(user, "view")
    labels = policy.organisation_labels(user)
    mine = sorted(({"name": labels[i][0], "slug": labels[i][1]} for i in org_ids if i in labels),
                  key=lambda o: o["name"])
    return {
        "my_organisations": mine,
        "is_platform_admin": policy.can(user, "platform.administer"),
    }

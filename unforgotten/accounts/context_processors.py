from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from unforgotten import policy


def workspace(request: HttpRequest) -> dict[str, Any]:
    """The organisations the signed-in person works in, for the workspace navigation."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from unforgotten.accounts.models import Organisation

    org_ids = policy.organisation_ids(user, "view")
    return {
        "my_organisations": Organisation.objects.filter(pk__in=org_ids).order_by("name") if org_ids else [],
        "is_platform_admin": policy.can(user, "platform.administer"),
    }

"""Which organisation runs the public site: it receives suggestions and owns the newsletter list (decision 0021).

A setting (``PUBLIC_SITE_ORGANISATION``, a slug) rather than a flag on the
organisation: one deployment runs one public site, an operator sets it once,
and no organisation admin can take over what the public sends by ticking a
box. Left empty, a deployment with exactly one active organisation uses it;
with several, the public forms say they are closed until it is set.
"""

from __future__ import annotations

from django.conf import settings

from unforgotten.accounts.models import Organisation


def public_site_organisation() -> Organisation | None:
    slug = settings.PUBLIC_SITE_ORGANISATION
    active = Organisation.objects.filter(is_active=True)
    if slug:
        return active.filter(slug=slug).first()
    only = list(active[:2])
    return only[0] if len(only) == 1 else None

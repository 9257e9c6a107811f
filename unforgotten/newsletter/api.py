"""The newsletter's JSON API at /api/v1/newsletter/, for campaigners: how the list stands.

Addresses never leave through the API: exporting them is a dangerous act that
needs a person to re-enter a credential (the workspace's CSV export), which a
token cannot do. Refusals are "not found".
"""

# No postponed annotations here: ninja reads the endpoint signatures at import time.
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from unforgotten.api.schemas import organisation_or_404, responses
from unforgotten.newsletter.views import summary
from unforgotten.registry.api import gated

router = Router(tags=["newsletter"])


class NewsletterSummaryOut(Schema):
    organisation: str
    pending: int
    confirmed: int
    unsubscribed: int


@router.get("/{slug}/summary", response=responses(NewsletterSummaryOut),
            auth=gated(lambda request, kw: organisation_or_404(request, kw.get("slug"), "newsletter.view")),
            summary="How many people wait for confirmation, are subscribed, and left", url_name="newsletter_summary")
def list_summary(request: HttpRequest, slug: str) -> Any:
    org = organisation_or_404(request, slug, "newsletter.view")
    return {"organisation": org.slug, **summary(org)}

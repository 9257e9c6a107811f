"""The newsletter's JSON API at /api/v1/newsletter/, for campaigners: how the list stands.

Addresses never leave through the API: exporting them is a dangerous act that
needs a person to re-enter a credential (the workspace's CSV export), which a
token cannot do. Refusals are "not found".
"""

# No postponed annotations here: ninja reads the endpoint signatures at import time.
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from unforgotten import policy
from unforgotten.accounts.models import Organisation
from unforgotten.api.schemas import responses
from unforgotten.newsletter.views import summary
from unforgotten.registry.api import gated

router = Router(tags=["newsletter"])


class NewsletterSummaryOut(Schema):
    organisation: str
    pending: int
    confirmed: int
    unsubscribed: int


def _organisation(request: HttpRequest, slug: object) -> Organisation:
    org = Organisation.objects.filter(slug=str(slug), is_active=True).first()
    if org is None or not policy.can(request.user, "newsletter.view", org):
        raise Http404()
    return org


@router.get("/{slug}/summary", response=responses(NewsletterSummaryOut),
            auth=gated(lambda request, kw: _organisation(request, kw.get("slug"))),
            summary="How many people wait for confirmation, are subscribed, and left", url_name="newsletter_summary")
def list_summary(request: HttpRequest, slug: str) -> Any:
    org = _organisation(request, slug)
    return {"organisation": org.slug, **summary(org)}

"""What the public site may show of advocacy: adopters named with their own and the family's consent.

The public site (``publishing``) sits above the domain apps and asks here; every
value is ``project(adoption, PUBLIC)``, which is empty unless the adopter agreed
to be listed and the prisoner's name may be published (``Adoption.has_public_consent``).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from unforgotten.advocacy.models import Adoption
from unforgotten.policy.projection import PUBLIC, project
from unforgotten.registry.models import Person


def public_adopters(person: Person) -> list[dict[str, Any]]:
    """The adoptions under way that may be named in public: name and kind (translated label)."""
    today = timezone.localdate()
    out = []
    for adoption in Adoption.objects.filter(person=person).select_related("person").order_by("started_on", "id"):
        if adoption.ended_on is not None and adoption.ended_on <= today:
            continue
        shown = project(adoption, PUBLIC, ("adopter_kind", "adopter_name"))
        if shown.get("adopter_name"):
            out.append({"name": shown["adopter_name"], "kind": adoption.get_adopter_kind_display()})
    return out

"""demo-data's evidence (issue 5 item 8): items with a chain of custody, a derivative, checks that pass."""

from __future__ import annotations

from typing import Any

import pytest

from unforgotten.audit import log
from unforgotten.evidence import demo
from unforgotten.evidence.models import CustodyEvent, EvidenceItem
from unforgotten.registry.testing import make_sample


@pytest.mark.django_db
def test_it_writes_demo_evidence_once_with_custody_events_that_verify(cast: Any) -> None:
    make_sample(cast)
    users = {u.email: u for u in (cast.amal, cast.bilal, cast.dana)}
    lines: list[str] = []
    created = demo.write(users, lines.append, org_slug=cast.org_a.slug)
    assert created == EvidenceItem.objects.count() >= 4
    actions = set(CustodyEvent.objects.values_list("action", flat=True))
    assert {"ingested", "viewed", "downloaded", "redacted", "marked_publishable", "hash_verified"} <= actions
    assert EvidenceItem.objects.filter(role="redacted", publishable=True).exists()
    assert not EvidenceItem.objects.filter(last_fixity_ok=False).exists()
    from unforgotten.registry.models import Person

    assert Person.objects.filter(organisation=cast.org_a, erase_after__isnull=False).count() == 1  # a retention date
    assert demo.write(users, lines.append, org_slug=cast.org_a.slug) == 0  # a second run adds nothing
    assert log.verify().size > 0

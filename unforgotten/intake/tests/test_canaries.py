"""T2 for intake and newsletter: a suggester's sealed contact and a subscriber's address reach no output they may not.

Every GET route of both apps (from the authorization matrix's rows), as every
persona, plus the audit trail, the outbox and the log records: the sealed
canaries never appear; the internal canary (the suggestion's "why") appears
only to Org A's triaging staff.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from unforgotten.intake.testing import (
    CONTACT_CANARY,
    CONTACT_NAME_CANARY,
    REASON_CANARY,
    make_suggestion,
)

pytestmark = pytest.mark.django_db
SEALED = (CONTACT_CANARY, CONTACT_NAME_CANARY)


def _urls(values: dict[str, str]) -> list[str]:
    from tests import authz_matrix, authz_rows_intake

    urls = []
    for name in authz_rows_intake.ROWS:
        row = authz_matrix.ROWS[name]
        if "GET" in row.methods:
            urls.append(reverse(name, kwargs={k: v.format(**values) for k, v in row.kwargs.items()}))
    return sorted(set(urls))


def test_it_shows_the_sealed_contact_nowhere_and_the_reason_only_to_triaging_staff(cast: Any, caplog: Any) -> None:
    from tests import authz_matrix  # noqa: F401  (loads the row modules in order)

    caplog.set_level(logging.DEBUG)
    suggestion = make_suggestion(cast)
    values = {"intake_suggestion_a": str(suggestion.uuid), "org_a": "org-a"}
    urls = _urls(values) + [f"/api/v1/intake/suggestions/{suggestion.uuid}", "/api/v1/intake/suggestions"]
    assert len(urls) >= 10
    saw_reason = set()
    for persona in ("anonymous", "amal", "bilal", "dana", "vera", "chris", "pat", "ada", "cora"):
        client = Client()
        user = cast.persona(persona)
        if user is not None:
            client.force_login(user)
        for url in urls:
            body = client.get(url).content.decode()
            assert not any(c in body for c in SEALED), (persona, url)
            if REASON_CANARY in body:
                saw_reason.add(persona)
    assert saw_reason == {"amal", "bilal", "dana"}
    from unforgotten.audit.models import AuditEvent
    from unforgotten.core.models import OutboxMessage

    trail = "".join(f"{e.changes}{e.reason}{e.actor_label}" for e in AuditEvent.objects.all())
    assert not any(c in trail for c in SEALED)
    assert not OutboxMessage.objects.exists()
    assert not any(c in caplog.text for c in SEALED)

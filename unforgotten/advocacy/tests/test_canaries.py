"""T2 for advocacy: every page and API answer, as every reader, shows no canary above the reader's ceiling.

The canaries of the registry's and advocacy's samples end with the class they
were planted at (``CANARY-…-restricted``), so a body is checked by reading
that class back. Every GET route of the app (from the authorization matrix's
rows) is crawled as a staff reader (Vera), the case team (Amal), the admin
(Dana) and a member of another organisation (Chris); log records are checked too.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from unforgotten.policy.sensitivity import Sensitivity

pytestmark = pytest.mark.django_db

CANARY = re.compile(r"CANARY-[A-Za-z0-9-]*?-(public|coalition|internal|restricted|sealed)\b")


def _leaks(text: str, ceiling: Sensitivity) -> list[str]:
    return sorted({m.group(0) for m in CANARY.finditer(text) if Sensitivity.parse(m.group(1)) > ceiling})


def _routes(values: dict[str, str]) -> list[str]:
    # The matrix module loads every app's row module; advocacy's are read back from it (no import cycle).
    from tests import authz_matrix, authz_rows_advocacy

    urls = []
    for name in authz_rows_advocacy.ROWS:
        row = authz_matrix.ROWS[name]
        if "GET" in row.methods:
            urls.append(reverse(name, kwargs={k: v.format(**values) for k, v in row.kwargs.items()}))
    return sorted(set(urls))


def test_it_shows_no_reader_a_canary_above_their_class(cast: Any, caplog: Any) -> None:
    from tests import authz_matrix  # noqa: F401  (loads the row modules in order)
    from tests.authz_rows_advocacy import placeholders

    values = placeholders(cast)  # the registry's and advocacy's samples; Amal on the prisoner's case team
    urls = _routes(values)
    assert len(urls) >= 15
    readers = {cast.vera: Sensitivity.INTERNAL, cast.dana: Sensitivity.INTERNAL, cast.amal: Sensitivity.RESTRICTED,
               cast.ada: Sensitivity.INTERNAL}
    seen_internal = False
    caplog.set_level(logging.DEBUG)
    for user, ceiling in readers.items():
        client = Client()
        client.force_login(user)
        for url in urls:
            body = client.get(url).content.decode()
            assert _leaks(body, ceiling) == [], (user.email, url)
            seen_internal |= bool(_leaks(body, Sensitivity.COALITION))
    assert seen_internal  # staff do read internal values: the scan can see a canary when one is there
    chris = Client()
    chris.force_login(cast.chris)
    for url in urls:
        assert "CANARY" not in chris.get(url).content.decode(), url
    assert "CANARY" not in "\n".join(r.getMessage() for r in caplog.records)


def test_it_leaks_nothing_into_the_audit_trail_beyond_digests(cast: Any, sample: Any, adv: Any) -> None:
    from unforgotten.audit.models import AuditEvent

    changes = "\n".join(str(e.changes) for e in AuditEvent.objects.filter(action__startswith="advocacy."))
    # Restricted and sealed values are kept as keyed digests only (decision 0004, issue 5 item 7).
    assert _leaks(changes, Sensitivity.INTERNAL) == []
    assert "CANARY-adv-asked-internal" in changes  # internal values are kept, as everywhere else

"""The API contract is a snapshot; schemathesis checks every operation answers without a server error."""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from unforgotten.api.management.commands.openapi_snapshot import SNAPSHOT, current_schema


def test_it_matches_the_committed_openapi_snapshot() -> None:
    # A deliberate change is committed with `make openapi-snapshot`; an accidental one fails here.
    assert current_schema() == SNAPSHOT.read_text(encoding="utf-8"), "API changed: run `make openapi-snapshot` and review"


def _wsgi() -> Any:
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()


schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", _wsgi())
# A schema cannot state every rule a record obeys (a date that does not exist or lies
# in the future, an end before its start, a well-formed country code no country has):
# a schema-valid body may still be refused, with the documented 422. Never with a 5xx.
_accepts = schema.config.checks.positive_data_acceptance
schema.config.checks.positive_data_acceptance = type(_accepts)(expected_statuses=[*_accepts.expected_statuses, "422"])
# Negative-data rejection is off: a query string cannot tell a one-element array from
# a string (``q=0.0`` is both), so schemathesis reports valid requests as accepted
# negative data (seen on /registry/officials). Bad input is covered by the 422 tests
# of each app (registry/tests/test_api_input.py and the like).
schema.config.checks.negative_data_rejection.enabled = False
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "100"))


@pytest.fixture
def keep_test_connection() -> Any:
    # schemathesis calls the WSGI app directly; like Django's test client, stop
    # the request signals from closing the test's connection (PostgreSQL would
    # lose the test transaction).
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(cast: Any, keep_test_connection: Any) -> str:
    from unforgotten.api.actions import do_create_api_token
    from unforgotten.registry.testing import make_sample

    # Records to read, page and write against (Org A's and Org B's), not an empty registry.
    sample = make_sample(cast)
    # advocacy (issue 8): stakeholders, interventions, legal actions… to read and write, and the scope that writes them.
    from unforgotten.advocacy.testing import make_advocacy_sample

    make_advocacy_sample(cast, sample)
    from unforgotten.intake.testing import (
        make_suggestion,  # intake (issue 6): suggestions in Org A's queue
    )

    make_suggestion(cast)  # intake (issue 6)
    # radar (issue 9): a media mention and a case only its team may see
    from unforgotten.radar.testing import make_radar_sample

    make_radar_sample(cast, sample)  # radar (issue 9)
    # publishing (issue 6): stories, campaigns, resources, videos to read and edit
    from unforgotten.publishing.demo import sample_items

    sample_items(cast.org_a, sample.person_a, author=cast.amal, reviewer=cast.bilal)  # publishing (issue 6)
    # alerts (issue 9): alerts (one public), a shift on the roster and a webhook subscription.
    from unforgotten.alerts.testing import make_alerts_sample

    make_alerts_sample(cast, sample)
    from unforgotten.actions.testing import (
        make_petition_sample,  # actions (issue 7): a petition with a signer
    )

    make_petition_sample(cast)  # actions (issue 7)
    from unforgotten.letters.testing import make_letters_sample  # letters (issue 7 items 4, 5)

    make_letters_sample(cast, sample.person_a)  # letters (issue 7 items 4, 5): letters, a batch-ready box, a campaign
    _token, raw = do_create_api_token(
        organisation=cast.org_a, name="fuzz", scopes=["read", "write", "export", "audit", "advocacy", "campaign"],
        acting_user=cast.dana
    )
    return raw


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_it_never_answers_with_a_server_error(case: Any, token: str) -> None:
    # Negative cases add arbitrary headers, "Host" among them. Host names the server, not an
    # API input: Django refuses a host outside ALLOWED_HOSTS with a 400 before any API code
    # runs (CI saw `host: Ts<`), which says nothing about the contract under test.
    for name in [name for name in (case.headers or {}) if name.lower() == "host"]:
        del case.headers[name]
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"})

"""Signals other apps feed the radar (issue 9): a logged contact moves the ledger and a recompute agrees."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
import time_machine

from unforgotten.radar import engine
from unforgotten.radar.models import Attention

pytestmark = pytest.mark.django_db


def test_it_counts_a_contact_monitoring_logs_and_recomputes_it_from_the_contacts_table(cast: Any,
                                                                                      sample: Any) -> None:
    from unforgotten.monitoring import actions as monitoring

    with time_machine.travel(datetime(2030, 5, 2, 12, tzinfo=UTC), tick=False):
        monitoring.do_log_contact(case=sample.case_a, data={"kind": "family_visit", "occurred_on": "2030-04-28"},
                                  acting_user=cast.amal)
    assert Attention.objects.get(pk=sample.case_a.pk).last_contact == date(2030, 4, 28)
    Attention.objects.filter(pk=sample.case_a.pk).update(last_contact=None)
    engine.recompute([sample.case_a.pk])
    # The recompute reads the monitoring table, so the contact is not lost when the ledger is rebuilt.
    assert Attention.objects.get(pk=sample.case_a.pk).last_contact == date(2030, 4, 28)


def test_it_counts_a_published_urgent_action_as_public_action(cast: Any, sample: Any) -> None:
    from unforgotten.alerts.testing import make_alerts_sample

    with time_machine.travel(datetime(2030, 6, 10, 12, tzinfo=UTC), tick=False):
        make_alerts_sample(cast, sample)  # publishes one urgent action about Maryia's case
    assert Attention.objects.get(pk=sample.case_a.pk).last_public_action == date(2030, 6, 10)

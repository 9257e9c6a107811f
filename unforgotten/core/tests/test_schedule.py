"""Periodic jobs: started when due, never twice at once, carried over restarts, released after a dead run."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from unforgotten.core import schedule
from unforgotten.core.models import ScheduledJob

pytestmark = pytest.mark.django_db

RUNS: list[str] = []


@pytest.fixture(autouse=True)
def _a_test_job() -> Any:
    RUNS.clear()

    @schedule.periodic("test.count", every=timedelta(minutes=5), timeout=timedelta(minutes=20))
    def count() -> str:
        RUNS.append("ran")
        return "counted"

    yield
    schedule._JOBS.pop("test.count", None)


def test_it_starts_a_due_job_once_per_period() -> None:
    now = timezone.now()
    assert "test.count" in schedule.tick(now)
    assert RUNS == ["ran"]
    row = ScheduledJob.objects.get(name="test.count")
    assert row.running_until is None and row.last_outcome == "ok: counted" and row.runs == 1
    assert row.next_run_at == now + timedelta(minutes=5)
    # A second tick in the same period starts nothing.
    assert "test.count" not in schedule.tick(now + timedelta(minutes=4))
    assert "test.count" in schedule.tick(now + timedelta(minutes=5))
    assert RUNS == ["ran", "ran"]


def test_it_never_starts_a_job_that_is_still_running() -> None:
    now = timezone.now()
    job = schedule.jobs()["test.count"]
    token = schedule.claim(job, now)  # a run has started in some worker and not finished
    assert token is not None
    # Due again by the clock, but the claim holds: nobody else may start it.
    assert schedule.claim(job, now + timedelta(minutes=6)) is None
    assert "test.count" not in schedule.tick(now + timedelta(minutes=6))
    # The worker died: once the claim's timeout passes, the job may run again.
    assert "test.count" in schedule.tick(now + timedelta(minutes=21))
    assert RUNS == ["ran"]


def test_it_collapses_missed_runs_into_one_after_a_restart() -> None:
    now = timezone.now()
    schedule.tick(now)
    # The scheduler was down for a day: one catch-up run, then the period again.
    later = now + timedelta(days=1)
    assert "test.count" in schedule.tick(later)
    assert "test.count" not in schedule.tick(later + timedelta(seconds=30))
    assert RUNS == ["ran", "ran"]
    assert ScheduledJob.objects.get(name="test.count").next_run_at == later + timedelta(minutes=5)


def test_it_lets_only_one_of_two_schedulers_claim_a_run() -> None:
    now = timezone.now()
    job = schedule.jobs()["test.count"]
    first = schedule.claim(job, now)
    second = schedule.claim(job, now)
    assert first is not None and second is None


def test_it_does_nothing_for_a_run_whose_claim_was_lost() -> None:
    assert schedule.run_job.call("test.count", "not-the-claim") == "claim lost"
    assert RUNS == []


def test_it_records_a_failing_job_and_releases_it() -> None:
    @schedule.periodic("test.fail", every=timedelta(minutes=1))
    def fail() -> None:
        raise RuntimeError("boom")

    try:
        with pytest.raises(RuntimeError):
            schedule.run_now("test.fail")
        row = ScheduledJob.objects.get(name="test.fail")
        assert row.last_outcome == "error: RuntimeError" and row.running_until is None
    finally:
        schedule._JOBS.pop("test.fail", None)


def test_it_knows_the_platform_jobs_and_lists_them() -> None:
    names = set(schedule.jobs())
    assert {"core.deliver_outbox", "audit.sign_tree_head", "evidence.check_fixity"} <= names
    out = StringIO()
    call_command("scheduler", "--list", stdout=out)
    assert "core.deliver_outbox" in out.getvalue()
    call_command("scheduler", "--once", stdout=StringIO())
    assert ScheduledJob.objects.filter(name="core.deliver_outbox", runs=1).exists()

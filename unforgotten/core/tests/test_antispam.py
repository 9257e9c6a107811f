"""Issue 7 (decision 0025, third stage): one rate-limit row per subject holds its burst and sustained windows.

The upsert starts a window afresh when the clock moves into a new one: the burst
window rolls every minute while the sustained one keeps counting through the hour.
Runs on SQLite and on PostgreSQL (DATABASE_URL); the transactional test takes
PostgreSQL's one-statement path (no transaction open), the others its transaction.
"""

from __future__ import annotations

from typing import Any

import pytest

from unforgotten.core import antispam
from unforgotten.core.models import RateWindow

# 2030-03-17 18:00:10 UTC: ten seconds into a minute and an hour, far from midnight (a new day is a new key).
HOUR = 1_900_000_800
T0 = HOUR + 10
LIMITS = {"ip": ((60, 2), (3600, 5))}
SUBJECTS = [("ip", "198.51.100.7")]


def _over(now: float, subjects: list[tuple[str, str]] | None = None, **kwargs: Any) -> str:
    kind, _reused = antispam.over_limit(subjects or SUBJECTS, kwargs.pop("limits", LIMITS), namespace="test",
                                        now=now, **kwargs)
    return kind


def _row() -> RateWindow:
    [row] = RateWindow.objects.all()
    return row


def _rolls_the_burst_window_but_not_the_sustained_one() -> None:
    assert [_over(T0), _over(T0 + 1)] == ["", ""]
    assert _over(T0 + 30) == "ip"  # a third hit in the same minute: over the burst limit
    row = _row()
    assert (row.burst_start, row.burst_hits, row.sustained_start, row.sustained_hits) == (HOUR, 3, HOUR, 3)
    # The next minute: the burst window starts again, the sustained one keeps counting.
    assert _over(T0 + 60) == ""
    row = _row()
    assert (row.burst_start, row.burst_hits, row.sustained_start, row.sustained_hits) == (HOUR + 60, 1, HOUR, 4)
    assert _over(T0 + 61) == ""  # 2 this minute, 5 this hour: at both limits, not over
    assert _over(T0 + 125) == "ip"  # 1 this minute, but 6 this hour: over the sustained limit
    # The next hour: both start again.
    assert _over(T0 + 3600) == ""
    row = _row()
    assert (row.burst_start, row.burst_hits, row.sustained_start, row.sustained_hits) == (HOUR + 3600, 1,
                                                                                          HOUR + 3600, 1)
    assert RateWindow.objects.count() == 1  # one row for the subject, whatever windows passed


@pytest.mark.django_db
def test_it_rolls_the_burst_window_but_not_the_sustained_one() -> None:
    _rolls_the_burst_window_but_not_the_sustained_one()


@pytest.mark.django_db(transaction=True)
def test_it_rolls_the_windows_in_its_own_statement_outside_a_transaction() -> None:
    # On PostgreSQL this is the one statement with an asynchronous commit (core/fastsql), not the transaction.
    from django.db import connection

    assert not connection.in_atomic_block
    _rolls_the_burst_window_but_not_the_sustained_one()


@pytest.mark.django_db
def test_it_counts_a_late_hit_in_the_newer_window() -> None:
    # Another process's clock a second behind must not turn the row back to a window that has passed.
    _over(T0 + 60)
    _over(T0 + 50)
    row = _row()
    assert (row.burst_start, row.burst_hits, row.sustained_hits) == (HOUR + 60, 2, 2)


@pytest.mark.django_db
def test_it_keeps_one_row_per_subject_and_two_windows() -> None:
    # Three subjects of a signature: three rows (not six); a kind with one window, one row; with three, two.
    subjects = [("address", "a@example.org"), ("ip", "198.51.100.7"), ("domain", "example.org")]
    limits = {"address": ((60, 3), (3600, 10)), "ip": ((60, 10),), "domain": ((60, 3), (3600, 10), (86400, 20))}
    assert _over(T0, subjects, limits=limits) == ""
    assert RateWindow.objects.count() == 4
    for _ in range(9):
        _over(T0 + 61, subjects, limits=limits)
    # The address and the domain are over their burst limits; the address, the most telling, is the verdict.
    assert _over(T0 + 62, subjects, limits=limits) == "address"
    assert _over(T0 + 62, [("ip", "198.51.100.7")], limits=limits) == "ip"  # its 11th hit this minute
    # The domain's day window (its second row) counted each of its 11 hits.
    digest = antispam.row_key("domain", "example.org", (86400, 0), namespace="test", now=T0)
    assert RateWindow.objects.get(digest=digest).burst_hits == 11
    assert RateWindow.objects.count() == 4


@pytest.mark.django_db
def test_it_spends_a_single_use_token_once_across_windows() -> None:
    once = [("pow", "salt-1", 7200)]
    assert antispam.over_limit(SUBJECTS, LIMITS, namespace="test", now=T0, once=once)[1] == []
    # Replayed a minute, then an hour later: its window never rolls, so it stays spent.
    assert antispam.over_limit(SUBJECTS, LIMITS, namespace="test", now=T0 + 60, once=once)[1] == ["salt-1"]
    assert antispam.over_limit(SUBJECTS, LIMITS, namespace="test", now=T0 + 3700, once=once)[1] == ["salt-1"]
    # Not namespaced: spent whichever purpose spent it.
    assert antispam.over_limit(SUBJECTS, LIMITS, namespace="other", now=T0 + 3800, once=once)[1] == ["salt-1"]


@pytest.mark.django_db
def test_it_forgets_rows_a_day_after_their_newest_window() -> None:
    import datetime as dt

    _over(T0)
    _over(T0 + 7200, [("ip", "203.0.113.1")])
    antispam.forget_old(dt.datetime.fromtimestamp(T0 + 86400 + 3600, tz=dt.UTC))
    assert list(RateWindow.objects.values_list("burst_start", flat=True)) == [HOUR + 7200]


@pytest.mark.django_db(transaction=True)
def test_it_carries_spent_tokens_over_the_migration_to_one_row_per_subject() -> None:
    # A challenge spent just before the upgrade must stay spent after it (its digest does not change).
    import datetime as dt
    import hashlib
    import hmac

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    RateWindow.objects.create(digest="c" * 64, burst_start=T0, burst_hits=1)  # going back empties the counters
    executor = MigrationExecutor(connection)
    executor.migrate([("core", "0004_rate_window")])
    old = executor.loader.project_state(("core", "0004_rate_window")).apps.get_model("core", "RateWindow")
    token = hmac.new(antispam._day_key("once"), b"pow\0salt-9", hashlib.sha256).hexdigest()  # as over_limit keys it
    old.objects.create(digest=token, hits=1, window_start=dt.datetime.fromtimestamp(T0, tz=dt.UTC))
    executor = MigrationExecutor(connection)
    executor.migrate([("core", "0005_rate_window_both_windows")])
    row = RateWindow.objects.get(digest=token)
    assert (row.burst_start, row.burst_hits, row.sustained_start, row.sustained_hits) == (T0, 1, 0, 1)
    once = [("pow", "salt-9", 7200)]
    assert antispam.over_limit(SUBJECTS, LIMITS, namespace="test", now=T0 + 60, once=once)[1] == ["salt-9"]

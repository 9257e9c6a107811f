"""Retention periods in calendar months (core/months.py): the day clipped, the year crossed, the zone kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from unforgotten.core.months import shifted


def test_it_clips_the_day_to_the_shorter_month() -> None:
    assert shifted(datetime(2026, 8, 31, 9, 30, tzinfo=UTC), -6) == datetime(2026, 2, 28, 9, 30, tzinfo=UTC)
    assert shifted(datetime(2024, 8, 31, tzinfo=UTC), -6) == datetime(2024, 2, 29, tzinfo=UTC)


def test_it_crosses_years_both_ways() -> None:
    assert shifted(datetime(2026, 12, 15, tzinfo=UTC), 1) == datetime(2027, 1, 15, tzinfo=UTC)
    assert shifted(datetime(2026, 1, 15, tzinfo=UTC), -13) == datetime(2024, 12, 15, tzinfo=UTC)
    assert shifted(datetime(2026, 5, 1, tzinfo=UTC), 0) == datetime(2026, 5, 1, tzinfo=UTC)


def test_it_keeps_the_time_of_day_and_the_zone() -> None:
    tehran = timezone(timedelta(hours=3, minutes=30))
    moved = shifted(datetime(2026, 3, 31, 23, 59, tzinfo=tehran), 6)
    assert moved == datetime(2026, 9, 30, 23, 59, tzinfo=tehran) and moved.tzinfo is tehran

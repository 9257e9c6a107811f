"""When an event happens: occurrences of yearly events, and its times shown in a zone.

An all-day event is stored as local midnight to the next local midnight in its
zone (an action day's zone is UTC); it is shown and exported as dates, never as
times, because "30 October" is the same day for everyone who marks it.
"""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from django.utils import timezone

if TYPE_CHECKING:
    from unforgotten.events.models import Event


def _same_day_in(year: int, moment: datetime) -> datetime:
    try:
        return moment.replace(year=year)
    except ValueError:  # 29 February in a common year: the day before
        return moment.replace(year=year, day=28)


def occurrence(event: Event, now: datetime | None = None) -> tuple[datetime, datetime]:
    """The occurrence readers care about: the event's own times, or for a yearly event the next one not yet over."""
    now = now or timezone.now()
    start, end = event.starts_at, event.ends_at
    if not event.recurs_yearly:
        return start, end
    zone = event.zone
    local_start, length = start.astimezone(zone), end - start
    year = max(local_start.year, now.astimezone(zone).year - 1)
    while True:
        candidate = _same_day_in(year, local_start.replace(tzinfo=None)).replace(tzinfo=zone)
        if candidate + length > now:
            return candidate, candidate + length
        year += 1


ONE_DAY = timedelta(days=1)


def local_dates_for(start: datetime, end: datetime, zone_name: str) -> tuple[date, date]:
    """First and last day (inclusive) of an all-day occurrence, in the event's zone."""
    zone = zoneinfo.ZoneInfo(zone_name)
    first = start.astimezone(zone).date()
    last = (end.astimezone(zone) - timedelta(seconds=1)).date()
    return first, max(first, last)


@lru_cache(maxsize=1)
def zone_names() -> tuple[str, ...]:
    """Every IANA zone a reader may choose, sorted (the 'Etc/' and legacy aliases left out)."""
    names = {n for n in zoneinfo.available_timezones() if "/" in n and not n.startswith(("Etc/", "SystemV/", "posix/",
                                                                                            "right/"))}
    return tuple(sorted(names | {"UTC"}))


def parse_zone(name: str) -> zoneinfo.ZoneInfo | None:
    if not name or len(name) > 64 or name not in zone_names():
        return None
    return zoneinfo.ZoneInfo(name)

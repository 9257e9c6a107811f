"""Suggested posting windows per network for a campaign's audience time zones (issue 6 item 5, decision 0028).

These are HEURISTICS, not measurements. We hold no engagement data (and will not collect any: no analytics, no
tracking of readers), so the table below encodes common-sense rules of thumb about when people open each
network: before work, at lunch, in the evening. Each rule says why. A campaigner who knows their audience better
should trust that knowledge over this table.

The windows are wall-clock hours *in the audience's zone* on a given date, converted to UTC through the IANA
database (``zoneinfo``), so daylight-saving changes move the UTC times and never the local ones. ``windows`` is a
pure function of (network, zone, date): no clock, no database.
"""

from __future__ import annotations

import functools
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

WEEKDAYS = frozenset(range(5))  # Monday to Friday (date.weekday())
WEEKEND = frozenset({5, 6})
EVERY_DAY = WEEKDAYS | WEEKEND


@dataclass(frozen=True)
class Rule:
    days: frozenset[int]
    start: time
    end: time


def _rule(days: frozenset[int], start: int, end: int) -> Rule:
    return Rule(days, time(start), time(end))


HEURISTICS: dict[str, tuple[Rule, ...]] = {
    # X: a news-checking network; people scroll it with the morning news and again at lunch.
    "x": (_rule(WEEKDAYS, 8, 10), _rule(WEEKDAYS, 12, 13), _rule(WEEKEND, 10, 12)),
    # Mastodon: a smaller, slower timeline read in order; mid-morning posts stay visible through the day.
    "mastodon": (_rule(WEEKDAYS, 9, 11), _rule(EVERY_DAY, 18, 20)),
    # Bluesky: similar habits to X, with more evening reading.
    "bluesky": (_rule(WEEKDAYS, 8, 10), _rule(EVERY_DAY, 19, 21)),
    # Facebook: family and community news, read at lunch and after work; weekend mornings for longer posts.
    "facebook": (_rule(WEEKDAYS, 12, 14), _rule(EVERY_DAY, 19, 21), _rule(WEEKEND, 9, 11)),
    # Telegram: channels are read like a newspaper, in the morning and late in the evening.
    "telegram": (_rule(EVERY_DAY, 8, 10), _rule(EVERY_DAY, 20, 22)),
    # WhatsApp: forwarded between people, mostly in the evening when families talk.
    "whatsapp": (_rule(EVERY_DAY, 18, 21),),
}


@dataclass(frozen=True)
class Window:
    network: str
    start: datetime  # aware, in the audience's zone
    end: datetime

    @property
    def start_utc(self) -> datetime:
        return self.start.astimezone(UTC)

    @property
    def end_utc(self) -> datetime:
        return self.end.astimezone(UTC)


@functools.cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def is_zone(name: object) -> bool:
    """Whether ``name`` is an IANA time zone this machine knows ("Europe/Moscow", "Asia/Tehran", "UTC")."""
    return isinstance(name, str) and name in _zones()


def _at(day: date, clock: time, zone: zoneinfo.ZoneInfo) -> datetime:
    # Through UTC and back: a wall-clock time skipped by a DST change (02:30 on a spring-forward night) becomes
    # the real instant just after the gap, instead of a time that never happened.
    return datetime.combine(day, clock, tzinfo=zone).astimezone(UTC).astimezone(zone)


def windows(network: str, zone: str, day: date) -> list[Window]:
    """The suggested windows for ``network`` on ``day`` in ``zone``, earliest first; ValueError for an unknown
    network or zone."""
    if network not in HEURISTICS:
        raise ValueError(f"unknown network {network!r}")
    if not is_zone(zone):
        raise ValueError(f"unknown time zone {zone!r}")
    tz = zoneinfo.ZoneInfo(zone)
    found = [Window(network, _at(day, rule.start, tz), _at(day, rule.end, tz))
             for rule in HEURISTICS[network] if day.weekday() in rule.days]
    return sorted(found, key=lambda w: w.start)


def kit(zones: list[str], language: str, day: date) -> list[dict[str, Any]]:
    """The share kit's table: per audience zone and network, today's windows in local time and in UTC, written
    as the reader's locale writes times (Babel). Zones this machine does not know are left out."""
    from babel.dates import format_interval

    from unforgotten.publishing import formatting as fmt
    from unforgotten.publishing.public_items import NETWORK_NAMES, SHARE_ORDER

    locale = fmt.babel_locale(language)
    out = []
    for zone in zones:
        if not is_zone(zone):
            continue
        rows = []
        for network in SHARE_ORDER:
            found = windows(network, zone, day)
            rows.append({"name": NETWORK_NAMES[network], "windows": [{
                "local": format_interval(w.start, w.end, "Hm", tzinfo=w.start.tzinfo, locale=locale),
                "utc": format_interval(w.start_utc, w.end_utc, "Hm", tzinfo=UTC, locale=locale),
                "start_iso": w.start.isoformat()} for w in found]})
        out.append({"zone": zone, "date": fmt.day(day, language), "networks": rows})
    return out

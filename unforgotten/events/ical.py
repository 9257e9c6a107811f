"""A small iCalendar (RFC 5545) writer for what the events app publishes. Plain Python, no Django.

Only what we emit: VCALENDAR with VEVENTs whose times are either UTC
(``DTSTART:20261030T170000Z``: exact, and every calendar program converts it to
the reader's zone, so no VTIMEZONE block is needed) or dates for all-day events
(``DTSTART;VALUE=DATE:20261030``, which have no zone by definition), an optional
yearly rule for dates, TEXT values escaped (backslash, semicolon, comma,
newline) and lines folded at 75 octets without cutting a UTF-8 character.

Why UTC rather than TZID: a TZID needs a VTIMEZONE block with the zone's rules,
which we would have to generate from tzdata for every year an event spans;
UTC is allowed for every time property and cannot disagree with the rules.
The event's own zone still travels, as ``X-WR-TIMEZONE`` on single-event
calendars and in the description, for people who want to know it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

PRODID = "-//Unforgotten//Events//EN"
LINE_OCTETS = 75


@dataclass(frozen=True)
class Entry:
    uid: str
    stamp: datetime
    summary: str
    start: datetime | date
    end: datetime | date
    description: str = ""
    location: str = ""
    url: str = ""
    status: str = "CONFIRMED"  # or CANCELLED
    yearly: bool = False
    categories: tuple[str, ...] = field(default_factory=tuple)
    sequence: int = 0


def escape_text(value: str) -> str:
    """RFC 5545 3.3.11: backslash first, then ; and , escaped, newlines as \\n (CR dropped)."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n"))


def fold(line: str) -> str:
    """Fold one content line at 75 octets (3.1); continuation lines start with one space."""
    data = line.encode("utf-8")
    if len(data) <= LINE_OCTETS:
        return line
    parts: list[str] = []
    current = ""
    size = 0
    limit = LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size = "", 0
            limit = LINE_OCTETS - 1  # the leading space counts
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def _utc(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("calendar times must be aware")
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _when(name: str, value: datetime | date) -> str:
    if isinstance(value, datetime):
        return f"{name}:{_utc(value)}"
    return f"{name};VALUE=DATE:{value.strftime('%Y%m%d')}"


def _event_lines(entry: Entry) -> list[str]:
    if isinstance(entry.start, datetime) != isinstance(entry.end, datetime):
        raise ValueError("start and end must both be times or both be dates")
    lines = ["BEGIN:VEVENT", f"UID:{escape_text(entry.uid)}", f"DTSTAMP:{_utc(entry.stamp)}",
             _when("DTSTART", entry.start), _when("DTEND", entry.end)]
    if entry.yearly:
        if isinstance(entry.start, datetime):
            # A yearly rule on a UTC time would drift by an hour across daylight saving; only dates recur.
            raise ValueError("only all-day events recur yearly")
        lines.append("RRULE:FREQ=YEARLY")
    lines.append(f"SUMMARY:{escape_text(entry.summary)}")
    if entry.description:
        lines.append(f"DESCRIPTION:{escape_text(entry.description)}")
    if entry.location:
        lines.append(f"LOCATION:{escape_text(entry.location)}")
    if entry.url:
        lines.append(f"URL:{entry.url}")
    if entry.categories:
        lines.append("CATEGORIES:" + ",".join(escape_text(c) for c in entry.categories))
    lines += [f"STATUS:{entry.status}", f"SEQUENCE:{entry.sequence}", "TRANSP:TRANSPARENT", "END:VEVENT"]
    return lines


def calendar(entries: Iterable[Entry], *, name: str, timezone_name: str = "") -> bytes:
    """The whole calendar as bytes: CRLF line ends, every line folded."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{escape_text(name)}"]
    if timezone_name:
        lines.append(f"X-WR-TIMEZONE:{timezone_name}")
    for entry in entries:
        lines += _event_lines(entry)
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")

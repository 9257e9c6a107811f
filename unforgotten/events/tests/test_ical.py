"""Issue 7 item 6: the iCalendar feeds (per event, all events, per country, per prisoner) are valid RFC 5545 for what
we emit, and never carry a place or link given only after RSVP.

The ``icalendar`` package is not a dependency of the project, so this file holds a small *strict* parser for the
parts we emit: CRLF line ends, no line over 75 octets, continuation lines unfolded, TEXT unescaped (and any
unknown backslash escape refused), the required properties of VCALENDAR and VEVENT, DTSTART/DTEND either UTC
times or dates, and begin/end nesting.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.test import Client

from unforgotten.events import actions, ical
from unforgotten.events.testing import HIDDEN_LINK, HIDDEN_PLACE, make_vigil
from unforgotten.registry.testing import make_sample

UTC_TIME = re.compile(r"^\d{8}T\d{6}Z$")
DATE = re.compile(r"^\d{8}$")
ESCAPES = {"\\\\": "\\", "\\;": ";", "\\,": ",", "\\n": "\n", "\\N": "\n"}


def _unescape(value: str, *, list_value: bool = False) -> str:
    """TEXT (3.3.11): only the four escapes; a bare ';' or ',' is refused (',' separates a list's items)."""
    out, i = [], 0
    while i < len(value):
        if value[i] == "\\":
            pair = value[i:i + 2]
            assert pair in ESCAPES, f"bad escape {pair!r} in {value!r}"
            out.append(ESCAPES[pair])
            i += 2
        else:
            assert value[i] != ";" and (list_value or value[i] != ","), f"unescaped {value[i]!r} in {value!r}"
            out.append(value[i])
            i += 1
    return "".join(out)


def parse(data: bytes) -> list[dict[str, Any]]:
    """Strictly parse our calendars into a list of VEVENT dicts {NAME: (params, value)}."""
    text = data.decode("utf-8")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", ""), "lines must end in CRLF"
    physical = text[:-2].split("\r\n")
    for line in physical:
        assert len(line.encode("utf-8")) <= 75, f"line over 75 octets: {line!r}"
    logical: list[str] = []
    for line in physical:
        if line.startswith(" "):
            assert logical, "a continuation line cannot come first"
            logical[-1] += line[1:]
        else:
            logical.append(line)
    stack: list[str] = []
    events: list[dict[str, Any]] = []
    calendar_props: dict[str, str] = {}
    current: dict[str, Any] | None = None
    for line in logical:
        name_part, sep, value = line.partition(":")
        assert sep, f"no value in {line!r}"
        name, *params = name_part.split(";")
        assert re.fullmatch(r"[A-Z-]+", name), f"bad property name {name!r}"
        if name == "BEGIN":
            stack.append(value)
            if value == "VEVENT":
                current = {}
            continue
        if name == "END":
            assert stack and stack.pop() == value, f"END:{value} without BEGIN"
            if value == "VEVENT":
                assert current is not None
                events.append(current)
                current = None
            continue
        if current is not None:
            assert name not in current, f"{name} twice in one event"
            is_text = name in {"SUMMARY", "DESCRIPTION", "LOCATION", "UID", "CATEGORIES"}
            current[name] = (params, _unescape(value, list_value=name == "CATEGORIES") if is_text else value)
        else:
            calendar_props[name] = value
    assert stack == [], "unclosed components"
    assert calendar_props.get("VERSION") == "2.0" and calendar_props.get("PRODID")
    for event in events:
        for required in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
            assert required in event, f"{required} missing"
        assert UTC_TIME.match(event["DTSTAMP"][1])
        for key in ("DTSTART", "DTEND"):
            params, value = event[key]
            if params == ["VALUE=DATE"]:
                assert DATE.match(value), value
            else:
                assert params == [] and UTC_TIME.match(value), (params, value)
        assert (event["DTSTART"][0] == []) == (event["DTEND"][0] == []), "start and end of different kinds"
    return events


def _when(prop: tuple[list[str], str]) -> datetime | date:
    params, value = prop
    if params == ["VALUE=DATE"]:
        return datetime.strptime(value, "%Y%m%d").replace(tzinfo=UTC).date()
    return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)


def test_it_escapes_and_folds_as_rfc_5545_says() -> None:
    long_arabic = "وقفة " * 40
    entry = ical.Entry(uid="x@y", stamp=datetime(2026, 1, 1, tzinfo=UTC), summary="a;b,c\\d\nline two",
                       start=datetime(2026, 10, 30, 16, 30, tzinfo=UTC), end=datetime(2026, 10, 30, 18, tzinfo=UTC),
                       description=long_arabic)
    data = ical.calendar([entry], name="test")
    assert b"SUMMARY:a\\;b\\,c\\\\d\\nline two\r\n" in data
    [event] = parse(data)
    assert event["SUMMARY"][1] == "a;b,c\\d\nline two"
    assert event["DESCRIPTION"][1] == long_arabic  # folded without cutting a two-octet letter
    assert max(len(line) for line in data.split(b"\r\n")) <= 75


def test_the_strict_parser_refuses_what_we_must_not_emit() -> None:
    good = ical.calendar([ical.Entry(uid="u", stamp=datetime(2026, 1, 1, tzinfo=UTC), summary="s",
                                     start=date(2026, 10, 30), end=date(2026, 10, 31))], name="n")
    parse(good)
    with pytest.raises(AssertionError):
        parse(good.replace(b"\r\n", b"\n"))
    with pytest.raises(AssertionError):
        parse(good.replace(b"SUMMARY:s", b"SUMMARY:" + b"x" * 80))
    with pytest.raises(AssertionError):
        parse(good.replace(b"SUMMARY:s", b"SUMMARY:bad\\q"))
    with pytest.raises(AssertionError):
        parse(good.replace(b"SUMMARY:s", b"SUMMARY:a,b"))  # a comma left unescaped
    with pytest.raises(AssertionError):
        parse(good.replace(b"DTSTART;VALUE=DATE:20261030", b"DTSTART:20261030T100000"))  # floating time
    with pytest.raises(ValueError, match="aware"):
        ical.calendar([ical.Entry(uid="u", stamp=datetime(2026, 1, 1), summary="s",  # noqa: DTZ001
                                  start=date(2026, 1, 1), end=date(2026, 1, 2))], name="n")


@pytest.mark.django_db
def test_it_publishes_the_event_in_utc_with_a_stable_uid_and_no_hidden_place(cast: Any) -> None:
    sample = make_vigil(cast)
    first = Client().get("/en/events/vigil-for-maryia/event.ics")
    assert first.status_code == 200 and first["Content-Type"] == "text/calendar; charset=utf-8"
    [event] = parse(first.content)
    assert event["SUMMARY"][1] == 'Vigil; candles, songs & names, "together"'
    assert "We read the names at six; friends, families welcome." in event["DESCRIPTION"][1]
    assert _when(event["DTSTART"]) == sample.vigil.starts_at and _when(event["DTEND"]) == sample.vigil.ends_at
    assert "Europe/Berlin" in event["DESCRIPTION"][1]
    assert "LOCATION" not in event
    assert HIDDEN_PLACE.encode() not in first.content and HIDDEN_LINK.encode() not in first.content
    actions.do_update_event(event=sample.vigil, data={"rsvp_open": False}, acting_user=cast.dana)
    [again] = parse(Client().get("/en/events/vigil-for-maryia/event.ics").content)
    assert again["UID"] == event["UID"] and again["UID"][1].startswith(f"event-{sample.vigil.uuid}@")


@pytest.mark.django_db
def test_it_feeds_all_events_per_country_and_per_prisoner(cast: Any) -> None:
    registry = make_sample(cast)
    from unforgotten.publishing import actions as publishing

    profile = publishing.do_create_profile(person=registry.person_a, language="en", data={"story": "x"},
                                           acting_user=cast.amal)
    publishing.do_submit_for_review(profile=profile, acting_user=cast.amal)
    publishing.do_approve(profile=profile, acting_user=cast.bilal)
    make_vigil(cast, persons=[registry.person_a])
    make_vigil(cast, slug="webinar-elsewhere", title="Webinar", arabic=False)
    actions.do_seed_action_days(organisation=cast.org_a, acting_user=cast.dana)
    everything = parse(Client().get("/en/events/calendar.ics").content)
    titles = {e["SUMMARY"][1] for e in everything}
    assert {"International Day of Political Prisoners", "Human Rights Day", "Webinar"} <= titles
    day = next(e for e in everything if e["SUMMARY"][1] == "International Day of Political Prisoners")
    assert day["RRULE"][1] == "FREQ=YEARLY" and day["DTSTART"][0] == ["VALUE=DATE"]
    start = _when(day["DTSTART"])
    assert isinstance(start, date) and (start.month, start.day) == (10, 30)
    assert _when(day["DTEND"]) == start + timedelta(days=1)
    germany = parse(Client().get("/en/events/country/de.ics").content)
    assert len(germany) == 2
    assert Client().get("/en/events/country/zz.ics").status_code == 404
    assert Client().get("/en/events/country/DE.ics").status_code == 404
    person = parse(Client().get(f"/en/events/prisoner/{registry.person_a.slug}.ics").content)
    assert [e["SUMMARY"][1] for e in person] == ['Vigil; candles, songs & names, "together"']
    # A person without a live profile has no public calendar (the same answer as one who does not exist).
    assert Client().get(f"/en/events/prisoner/{registry.person_b.slug}.ics").status_code == 404
    assert Client().get("/en/events/prisoner/nobody.ics").status_code == 404
    for path in ("/en/events/calendar.ics", "/en/events/country/de.ics",
                 f"/en/events/prisoner/{registry.person_a.slug}.ics"):
        body = Client().get(path).content
        assert HIDDEN_PLACE.encode() not in body and HIDDEN_LINK.encode() not in body

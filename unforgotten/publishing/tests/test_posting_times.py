"""Issue 6 item 5 (decision 0028): posting windows per network in the audience's time zone, and in UTC."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from unforgotten.publishing import actions, posting_times
from unforgotten.publishing.models import Campaign


def _utc(network: str, zone: str, day: date) -> list[tuple[time, time]]:
    return [(w.start_utc.time(), w.end_utc.time()) for w in posting_times.windows(network, zone, day)]


def _local(network: str, zone: str, day: date) -> list[tuple[time, time]]:
    return [(w.start.time(), w.end.time()) for w in posting_times.windows(network, zone, day)]


def test_it_keeps_local_hours_and_moves_utc_across_new_york_daylight_saving() -> None:
    # 2025-03-09: New York springs forward (UTC−5 → UTC−4). Friday before and Monday after keep 08:00 local…
    before, after = date(2025, 3, 7), date(2025, 3, 10)
    assert _local("x", "America/New_York", before)[0] == _local("x", "America/New_York", after)[0] == (
        time(8), time(10))
    # …which is 13:00 UTC before the change and 12:00 UTC after it.
    assert _utc("x", "America/New_York", before)[0] == (time(13), time(15))
    assert _utc("x", "America/New_York", after)[0] == (time(12), time(14))
    # And back in November (UTC−4 → UTC−5).
    assert _utc("x", "America/New_York", date(2025, 11, 3))[0] == (time(13), time(15))


def test_it_never_moves_moscow_which_has_no_daylight_saving() -> None:
    for day in (date(2025, 1, 15), date(2025, 3, 10), date(2025, 7, 15), date(2025, 10, 27)):
        assert _utc("telegram", "Europe/Moscow", day) == [(time(5), time(7)), (time(17), time(19))], day


def test_it_handles_a_half_hour_zone_tehran() -> None:
    # Iran has kept UTC+03:30 all year since 2023: 08:00–10:00 local is 04:30–06:30 UTC, winter and summer.
    for day in (date(2025, 1, 15), date(2025, 7, 15)):
        assert _utc("telegram", "Asia/Tehran", day)[0] == (time(4, 30), time(6, 30)), day


def test_it_knows_weekdays_from_weekends_in_the_audience_zone() -> None:
    saturday, monday = date(2025, 6, 7), date(2025, 6, 9)
    assert _local("x", "Europe/Paris", saturday) == [(time(10), time(12))]
    assert _local("x", "Europe/Paris", monday) == [(time(8), time(10)), (time(12), time(13))]


def test_it_lands_a_window_in_a_skipped_hour_on_a_real_instant() -> None:
    from zoneinfo import ZoneInfo

    from unforgotten.publishing.posting_times import _at

    # 02:30 does not exist in New York on 2025-03-09; the window starts at a real instant, 03:30 EDT = 07:30 UTC.
    start = _at(date(2025, 3, 9), time(2, 30), ZoneInfo("America/New_York"))
    assert start.astimezone(UTC) == datetime(2025, 3, 9, 7, 30, tzinfo=UTC)


def test_it_refuses_unknown_zones_and_networks() -> None:
    with pytest.raises(ValueError, match="time zone"):
        posting_times.windows("x", "Mars/Olympus", date(2025, 1, 1))
    with pytest.raises(ValueError, match="network"):
        posting_times.windows("myspace", "UTC", date(2025, 1, 1))
    assert not posting_times.is_zone("../../etc/passwd") and not posting_times.is_zone(None)
    assert posting_times.is_zone("Asia/Tehran")


def test_it_covers_every_network_of_the_share_kit() -> None:
    from unforgotten.publishing.public_items import SHARE_ORDER

    assert set(posting_times.HEURISTICS) == set(SHARE_ORDER)
    for rules in posting_times.HEURISTICS.values():
        assert rules and all(rule.start < rule.end and rule.days for rule in rules)


def test_it_writes_times_as_the_readers_locale_does() -> None:
    rows = posting_times.kit(["Europe/Moscow", "Nowhere/Else"], "ar", date(2025, 6, 9))
    assert [row["zone"] for row in rows] == ["Europe/Moscow"]  # an unknown zone is left out, not an error
    telegram = next(r for r in rows[0]["networks"] if r["name"] == "Telegram")
    assert len(telegram["windows"]) == 2 and rows[0]["date"] == "9 يونيو 2025"
    persian = posting_times.kit(["Asia/Tehran"], "fa", date(2025, 6, 9))[0]["networks"][0]["windows"][0]
    assert persian["local"] == "8:00 تا 10:00" and persian["utc"] == "4:30 تا 6:30"  # Persian writes ranges its way
    english = posting_times.kit(["Europe/Moscow"], "en", date(2025, 6, 9))[0]
    window = next(r for r in english["networks"] if r["name"] == "Telegram")["windows"][0]
    assert window["local"].replace("\u2009", " ") == "08:00 – 10:00"
    assert window["utc"].replace("\u2009", " ") == "05:00 – 07:00"
    assert english["date"] == "June 9, 2025"


@pytest.mark.django_db
def test_it_validates_audience_zones_in_the_action(cast: Any) -> None:
    campaign = actions.do_create_item(model=Campaign, organisation=cast.org_a, language="en", data={
        "slug": "c", "title": "C", "hashtag": "C", "audience_timezones": ["Asia/Tehran", "Europe/Moscow",
                                                                           "Asia/Tehran"]}, acting_user=cast.amal)
    assert campaign.audience_timezones == ["Asia/Tehran", "Europe/Moscow"]
    for bad in (["Moscow"], "Europe/Moscow", [1], ["UTC"] * 13, ["<script>"]):
        with pytest.raises(ValidationError) as caught:
            actions.do_update_item(item=campaign, data={"audience_timezones": bad}, acting_user=cast.amal)
        assert "audience_timezones" in caught.value.message_dict
    assert Campaign.objects.get(pk=campaign.pk).audience_timezones == ["Asia/Tehran", "Europe/Moscow"]


@pytest.mark.django_db
def test_it_reads_and_writes_audience_zones_through_the_api(cast: Any) -> None:
    client = Client()
    client.force_login(cast.amal)
    created = client.post("/api/v1/publishing/items/campaigns", json.dumps({
        "language": "en", "slug": "tz", "title": "TZ", "hashtag": "TZ",
        "audience_timezones": ["America/New_York"]}), content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["audience_timezones"] == ["America/New_York"]
    uuid = created.json()["uuid"]
    bad = client.patch(f"/api/v1/publishing/items/campaigns/{uuid}", json.dumps({"audience_timezones": ["EST5"]}),
                       content_type="application/json")
    assert bad.status_code == 422 and "audience_timezones" in json.dumps(bad.json())
    good = client.patch(f"/api/v1/publishing/items/campaigns/{uuid}",
                        json.dumps({"audience_timezones": ["Asia/Tehran"]}), content_type="application/json")
    assert good.status_code == 200 and good.json()["audience_timezones"] == ["Asia/Tehran"]
    assert client.get(f"/api/v1/publishing/items/campaigns/{uuid}").json()["audience_timezones"] == ["Asia/Tehran"]
    # Other kinds have no audience zones: the field is refused, named.
    story = client.post("/api/v1/publishing/items/stories", json.dumps({
        "language": "en", "slug": "s", "title": "S", "body": "B", "audience_timezones": ["UTC"]}),
        content_type="application/json")
    assert story.status_code == 422


@pytest.mark.django_db
def test_it_sets_audience_zones_in_the_workspace_form(cast: Any) -> None:
    campaign = actions.do_create_item(model=Campaign, organisation=cast.org_a, language="en", data={
        "slug": "ws", "title": "WS", "hashtag": "WS"}, acting_user=cast.amal)
    client = Client()
    client.force_login(cast.amal)
    url = f"/work/publishing/campaigns/{campaign.uuid}/"
    page = client.get(url)
    assert page.status_code == 200 and 'name="audience_timezones"' in page.content.decode()
    form = {"slug": "ws", "title": "WS", "hashtag": "WS", "summary": "", "people": "",
            "audience_timezones": "Europe/Moscow\nNot/AZone"}
    refused = client.post(url, form)
    assert refused.status_code == 400 and "Not/AZone" in refused.content.decode()
    assert Campaign.objects.get(pk=campaign.pk).audience_timezones == []
    form["audience_timezones"] = "Europe/Moscow\r\nAsia/Tehran"
    assert client.post(url, form).status_code == 302
    assert Campaign.objects.get(pk=campaign.pk).audience_timezones == ["Europe/Moscow", "Asia/Tehran"]

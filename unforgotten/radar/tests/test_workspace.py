"""The coordinators' radar at /work/radar/ (issue 9, item 3): sorted by neglect, filtered, paged, each row saying why.

Vera (a viewer of Org A) reads the radar; Ada (an advocate) logs media
mentions; Chris (Org B) sees only Org B's cases; the restricted prisoner of
the radar sample exists only for their case team.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from unforgotten.audit.models import AuditEvent
from unforgotten.core.partialdate import PartialDate
from unforgotten.radar import reading
from unforgotten.radar.models import Attention, MediaMention
from unforgotten.radar.testing import MEDIA_NOTE_CANARY, RESTRICTED_NAME, make_held_case
from unforgotten.testing import signed_in

pytestmark = pytest.mark.django_db


def _names(html: str) -> list[str]:
    return re.findall(r'<a href="/work/radar/cases/\d+/">([^<]+)</a>', html)


def test_it_lists_cases_by_neglect_with_the_reason(cast: Any, sample: Any, radar: Any) -> None:
    old = make_held_case(cast.org_a, "Ihar Oldest", acting_user=cast.dana, detained=PartialDate(2012, 5))
    page = signed_in(cast.vera).get("/work/radar/")
    html = page.content.decode()
    assert page.status_code == 200
    assert _names(html) == ["Ihar Oldest", "Maryia Kalesnikava"]
    assert "never recorded: intervention, contact, public action, media mention (counted since 2012-05-01)" in html
    assert "never recorded: intervention, contact, public action (counted since 2020-09-01)" in html
    assert RESTRICTED_NAME not in html and MEDIA_NOTE_CANARY not in html
    for canary in sample.canaries:
        assert canary not in html
    assert Attention.objects.get(pk=old.pk).active


def test_it_filters_by_country_status_and_missing_signal(cast: Any, sample: Any, radar: Any) -> None:
    make_held_case(cast.org_a, "Aram Armenian", acting_user=cast.dana, country="AM")
    make_held_case(cast.org_a, "Freed Person", acting_user=cast.dana, status="released")
    vera = signed_in(cast.vera)
    assert _names(vera.get("/work/radar/", {"country": "am"}).content.decode()) == ["Aram Armenian"]
    assert _names(vera.get("/work/radar/", {"status": "inactive"}).content.decode()) == ["Freed Person"]
    assert _names(vera.get("/work/radar/", {"status": "released"}).content.decode()) == ["Freed Person"]
    # Maryia was in the press (the sample's mention): she is not among those never mentioned.
    assert _names(vera.get("/work/radar/", {"missing": "media"}).content.decode()) == ["Aram Armenian"]
    assert "Maryia Kalesnikava" in _names(vera.get("/work/radar/", {"missing": "contact"}).content.decode())


def test_it_says_what_is_wrong_with_a_filter(cast: Any, sample: Any) -> None:
    vera = signed_in(cast.vera)
    for params, field, text in (({"country": "XX"}, "country", "not an ISO 3166 country code"),
                                ({"status": "asleep"}, "status", "is not a status"),
                                ({"missing": "tweet"}, "missing", "is not a kind of attention"),
                                ({"after": "abc"}, "after", "is not a page cursor")):
        page = vera.get("/work/radar/", params)
        assert page.status_code == 400, field
        assert text in page.content.decode()


def test_it_pages_by_keyset_without_repeating_or_skipping(cast: Any, sample: Any, monkeypatch: Any) -> None:
    for n in range(4):
        make_held_case(cast.org_a, f"Paged Person{n}", acting_user=cast.dana, detained=PartialDate(2015, n + 1))
    monkeypatch.setattr(reading, "PAGE_SIZE", 2)
    vera = signed_in(cast.vera)
    seen: list[str] = []
    url = "/work/radar/"
    while url:
        html = vera.get(url).content.decode()
        seen += _names(html)
        found = re.search(r'<a href="(\?[^"]*)" rel="next">', html)
        url = "/work/radar/" + found.group(1).replace("&amp;", "&") if found else ""
    assert seen == ["Paged Person0", "Paged Person1", "Paged Person2", "Paged Person3", "Maryia Kalesnikava"]


def test_it_shows_each_organisation_only_its_own_cases(cast: Any, sample: Any) -> None:
    make_held_case(cast.org_b, "Levon Example", acting_user=cast.chris, country="AM")
    assert _names(signed_in(cast.chris).get("/work/radar/").content.decode()) == ["Levon Example"]
    assert signed_in(cast.chris).get(f"/work/radar/cases/{sample.case_a.pk}/").status_code == 404
    assert signed_in(cast.pat).get("/work/radar/").status_code == 404


def test_it_shows_a_restricted_case_to_its_case_team_only(cast: Any, sample: Any, radar: Any) -> None:
    url = f"/work/radar/cases/{radar.hidden_case.pk}/"
    assert signed_in(cast.vera).get(url).status_code == 404
    assert RESTRICTED_NAME not in signed_in(cast.dana).get("/work/radar/").content.decode()
    radar.hidden_case.person.case_team.add(cast.vera)
    assert signed_in(cast.vera).get(url).status_code == 200
    assert _names(signed_in(cast.vera).get("/work/radar/").content.decode())[0] == RESTRICTED_NAME


def test_it_logs_edits_and_removes_media_mentions(cast: Any, sample: Any) -> None:
    ada = signed_in(cast.ada)
    case_url = f"/work/radar/cases/{sample.case_a.pk}/"
    bad = ada.post(f"{case_url}media/new/", {"outlet": "Meduza", "published": "2999-01"})
    assert bad.status_code == 400 and "is in the future" in bad.content.decode()
    assert not MediaMention.objects.exists()
    done = ada.post(f"{case_url}media/new/", {"outlet": "Meduza", "url": "https://meduza.example/a",
                                               "published": "2024-03", "language": "ru", "note": "front page"})
    assert done.status_code == 302
    mention = MediaMention.objects.get()
    assert str(mention.published_on) == "2024-03-01" and mention.recorded_by == cast.ada
    assert str(Attention.objects.get(pk=sample.case_a.pk).last_media) == "2024-03-01"
    assert AuditEvent.objects.filter(action="radar.log_media_mention", object_id=str(mention.pk)).exists()
    assert "Meduza" in ada.get(case_url).content.decode()
    edit = f"/work/radar/media/{mention.uuid}/edit/"
    assert ada.post(edit, {"outlet": "Meduza", "published": "2023"}).status_code == 302
    assert str(Attention.objects.get(pk=sample.case_a.pk).last_media) == "2023-01-01"  # moved back exactly
    assert ada.post(edit, {"remove": "1"}).status_code == 302
    assert not MediaMention.objects.exists()
    assert Attention.objects.get(pk=sample.case_a.pk).last_media is None
    # Vera reads, she does not log.
    assert signed_in(cast.vera).get(f"{case_url}media/new/").status_code == 404

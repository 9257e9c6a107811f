"""The radar API at /api/v1/radar/ (issue 9, item 3): the same policy, projection and actions as the workspace."""

from __future__ import annotations

from typing import Any

import pytest

from unforgotten.core.partialdate import PartialDate
from unforgotten.radar.models import MediaMention
from unforgotten.radar.testing import MEDIA_NOTE_CANARY, RESTRICTED_NAME, make_held_case
from unforgotten.testing import signed_in

pytestmark = pytest.mark.django_db


def test_it_lists_cases_by_neglect_with_keyset_pages(cast: Any, sample: Any, radar: Any, monkeypatch: Any) -> None:
    from unforgotten.radar import reading

    make_held_case(cast.org_a, "Ihar Oldest", acting_user=cast.dana, detained=PartialDate(2012, 5))
    monkeypatch.setattr(reading, "PAGE_SIZE", 1)
    vera = signed_in(cast.vera)
    first = vera.get("/api/v1/radar/cases").json()
    assert [i["name"] for i in first["items"]] == ["Ihar Oldest"] and first["next"]
    item = first["items"][0]
    assert item["missing"] == ["intervention", "contact", "public_action", "media"]
    assert item["baseline"] == "2012-05-01" and item["held"] is True
    second = vera.get("/api/v1/radar/cases", {"after": first["next"]}).json()
    assert [i["name"] for i in second["items"]] == ["Maryia Kalesnikava"] and second["next"] == ""
    assert RESTRICTED_NAME not in str(first) + str(second)


def test_it_refuses_bad_filters_naming_the_field(cast: Any, sample: Any) -> None:
    answer = signed_in(cast.vera).get("/api/v1/radar/cases", {"country": "XX"})
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["where"] == "query.country"


def test_it_answers_one_case_and_hides_what_the_caller_may_not_see(cast: Any, sample: Any, radar: Any) -> None:
    vera = signed_in(cast.vera)
    body = vera.get(f"/api/v1/radar/cases/{sample.case_a.pk}").json()
    assert body["oldest"] == "intervention" and "media" not in body["missing"]
    assert [s["kind"] for s in body["signals"]] == ["intervention", "contact", "public_action", "media"]
    assert vera.get(f"/api/v1/radar/cases/{radar.hidden_case.pk}").status_code == 404
    assert signed_in(cast.chris).get(f"/api/v1/radar/cases/{sample.case_a.pk}").status_code == 404


def test_it_logs_changes_and_removes_media_mentions(cast: Any, sample: Any) -> None:
    ada = signed_in(cast.ada)
    url = f"/api/v1/radar/cases/{sample.case_a.pk}/media"
    bad = ada.post(url, {"outlet": "Meduza", "published": "2021-13"}, content_type="application/json")
    assert bad.status_code == 422 and "published" in str(bad.json())
    future = ada.post(url, {"outlet": "Meduza", "published": "2999"}, content_type="application/json")
    assert future.status_code == 422 and future.json()["errors"][0]["where"] == "body.payload.published"
    assert not MediaMention.objects.exists()
    made = ada.post(url, {"outlet": "Meduza", "published": "2024-03-05", "note": MEDIA_NOTE_CANARY},
                    content_type="application/json")
    assert made.status_code == 201, made.content
    uuid = made.json()["uuid"]
    assert made.json()["published"] == "2024-03-05"
    listed = signed_in(cast.vera).get(url).json()
    assert [m["outlet"] for m in listed["items"]] == ["Meduza"]
    changed = ada.patch(f"/api/v1/radar/media/{uuid}", {"outlet": "Meduza (EN)"}, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["outlet"] == "Meduza (EN)"
    assert signed_in(cast.vera).patch(f"/api/v1/radar/media/{uuid}", {"outlet": "x"},
                                    content_type="application/json").status_code == 404
    assert signed_in(cast.chris).get(f"/api/v1/radar/media/{uuid}").status_code == 404
    assert ada.delete(f"/api/v1/radar/media/{uuid}").status_code == 204
    assert not MediaMention.objects.exists()

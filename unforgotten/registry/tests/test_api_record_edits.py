"""Changing charges, hearings, sentences, detentions and the case team through the API (issue 3: what the UI does, the API does)."""

from __future__ import annotations

from typing import Any

import pytest

from unforgotten.audit.models import AuditEvent
from unforgotten.registry import actions
from unforgotten.registry.testing import make_sample
from unforgotten.registry.tests.test_api_people import NOT_FOUND, Caller, token_for
from unforgotten.testing import PASSWORD


@pytest.mark.django_db
def test_it_patches_a_charge_and_audits_it(cast: Any) -> None:
    sample = make_sample(cast)
    charge = sample.case_a.charges.order_by("id")[0]
    response = Caller(user=cast.amal).patch(f"/charges/{charge.pk}", {"status": "dropped", "brought_on": "2020"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "dropped" and response.json()["brought_on"] == "2020"
    assert AuditEvent.objects.filter(action="registry.update_charge", object_id=str(charge.pk)).exists()


@pytest.mark.django_db
def test_it_refuses_an_impossible_date_and_changes_nothing(cast: Any) -> None:
    sample = make_sample(cast)
    sentence = sample.case_a.sentences.order_by("id")[0]
    before = (sentence.years, str(sentence.handed_down_on))
    response = Caller(user=cast.amal).patch(f"/sentences/{sentence.pk}", {"years": 3, "handed_down_on": "2021-02-30"})
    assert response.status_code == 422 and "handed_down_on" in response.content.decode()
    sentence.refresh_from_db()
    assert (sentence.years, str(sentence.handed_down_on)) == before


@pytest.mark.django_db
def test_it_replaces_the_bench_only_when_judge_ids_is_given(cast: Any) -> None:
    sample = make_sample(cast)
    hearing = sample.case_a.hearings.order_by("id")[0]
    seated = sorted(hearing.judges.values_list("id", flat=True))
    caller = Caller(user=cast.bilal)
    assert caller.patch(f"/hearings/{hearing.pk}", {"outcome": "adjourned"}).status_code == 200
    assert sorted(hearing.judges.values_list("id", flat=True)) == seated
    judge = actions.do_add_official(organisation=cast.org_a, data={"name": "Judge New", "role": "judge"},
                                    acting_user=cast.dana)
    response = caller.patch(f"/hearings/{hearing.pk}", {"judge_ids": [judge.pk]})
    assert response.status_code == 200, response.content
    assert list(hearing.judges.values_list("id", flat=True)) == [judge.pk]
    foreign = actions.do_add_official(organisation=cast.org_b, data={"name": "Judge B", "role": "judge"},
                                      acting_user=cast.chris)
    assert caller.patch(f"/hearings/{hearing.pk}", {"judge_ids": [foreign.pk]}).status_code == 422


@pytest.mark.django_db
def test_it_records_the_end_of_a_detention_and_refuses_an_end_before_the_start(cast: Any) -> None:
    sample = make_sample(cast)
    caller = Caller(user=cast.amal)
    response = caller.patch(f"/detentions/{sample.detention_a.pk}", {"end": "2019"})
    assert response.status_code == 422
    response = caller.patch(f"/detentions/{sample.detention_a.pk}", {"end": "2024-06-01", "facility_id": None})
    assert response.status_code == 200, response.content
    sample.detention_a.refresh_from_db()
    assert str(sample.detention_a.end) == "2024-06-01" and sample.detention_a.facility_id is None


@pytest.mark.django_db
def test_it_answers_chris_and_vera_not_found(cast: Any) -> None:
    sample = make_sample(cast)
    charge = sample.case_a.charges.order_by("id")[0]
    for user in (cast.chris, cast.vera):
        response = Caller(user=user).patch(f"/charges/{charge.pk}", {"status": "dropped"})
        assert response.status_code == 404 and response.content == NOT_FOUND


@pytest.mark.django_db
def test_it_changes_the_case_team_only_in_a_fresh_session_of_a_reviewer(cast: Any) -> None:
    sample = make_sample(cast)
    sample.person_a.case_team.clear()
    body = {"user_id": cast.amal.pk, "reason": "lead caseworker"}
    stale = Caller(user=cast.bilal)
    assert stale.post(f"/people/{sample.person_a.uuid}/case-team", body).status_code == 401
    fresh = Caller(user=cast.bilal)
    assert fresh.client.post("/accounts/reauthenticate/", {"password": PASSWORD}).status_code == 302
    response = fresh.post(f"/people/{sample.person_a.uuid}/case-team", body)
    assert response.status_code == 200, response.content
    assert [m["email"] for m in response.json()] == [cast.amal.email]
    # A token never changes the case team (no scope grants the review capability).
    token = Caller(token=token_for(cast, cast.org_a, "read", "write", "audit", "export"))
    assert token.post(f"/people/{sample.person_a.uuid}/case-team/remove", body).status_code in (401, 404)
    assert sample.person_a.case_team.filter(pk=cast.amal.pk).exists()
    # Vera sees who is on it; Chris gets nothing.
    assert Caller(user=cast.vera).get(f"/people/{sample.person_a.uuid}/case-team").json()[0]["email"] == cast.amal.email
    assert Caller(user=cast.chris).get(f"/people/{sample.person_a.uuid}/case-team").status_code == 404
    response = fresh.post(f"/people/{sample.person_a.uuid}/case-team/remove", body)
    assert response.status_code == 200 and response.json() == []


@pytest.mark.django_db
def test_it_uploads_reads_and_removes_a_photo_through_the_api(cast: Any) -> None:
    import io

    from PIL import Image

    sample = make_sample(cast)
    raw = io.BytesIO()
    exif = Image.Exif()
    exif[0x010E] = "CANARY-api-photo-exif"
    Image.new("RGB", (30, 20), "blue").save(raw, format="JPEG", exif=exif)
    caller = Caller(user=cast.amal)
    url = f"/api/v1/registry/people/{sample.person_a.uuid}/photo"
    response = caller.client.post(url, {"photo": io.BytesIO(raw.getvalue())})
    assert response.status_code == 200, response.content
    image = caller.client.get(url)
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    body = b"".join(image.streaming_content)  # type: ignore[attr-defined]
    assert b"CANARY" not in body
    assert Caller(user=cast.chris).client.get(url).status_code == 404
    bad = caller.client.post(url, {"photo": io.BytesIO(b"<svg onload=alert(1)>")})
    assert bad.status_code == 422 and "photo" in bad.content.decode()
    assert caller.client.delete(url).status_code == 200
    assert caller.client.get(url).status_code == 404

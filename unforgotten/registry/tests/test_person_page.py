"""The person page: names in every script, prosecution, detention, timeline, history, for Org A only."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import timezone

from unforgotten.core.partialdate import PartialDate, days_between
from unforgotten.registry import actions
from unforgotten.registry.testing import Sample, make_sample
from unforgotten.testing import signed_in


def _url(sample: Sample) -> str:
    return f"/work/registry/people/{sample.person_a.uuid}/"


def _section(body: str, anchor: str) -> str:
    start = body.index(f'<section id="{anchor}"')
    return body[start:body.index("</section>", start)]


@pytest.mark.django_db
def test_it_shows_names_in_every_script_with_their_language_and_direction(cast: Any) -> None:
    sample = make_sample(cast)
    body = signed_in(cast.vera).get(_url(sample)).content.decode()
    names = _section(body, "names")
    assert '<bdi dir="auto" lang="en">Maryia Kalesnikava</bdi>' in names
    assert '<bdi dir="auto" lang="be">Марыя Калеснікава</bdi>' in names
    assert "Cyrl" in names and "primary" in names


@pytest.mark.django_db
def test_it_shows_the_prosecution_with_the_derived_release_date(cast: Any) -> None:
    sample = make_sample(cast)
    body = signed_in(cast.amal).get(_url(sample)).content.decode()
    cases = _section(body, "cases")
    assert "Criminal Code, art. 342 part 1 — Convicted" in cases
    assert "Criminal Code, art. 361-1 — Convicted" in cases
    assert "Minsk Regional Court" in cases and "closed to the public" in cases
    assert "11 years, 0 months, 0 days" in cases
    # 11 years counted from 7 September 2020.
    assert 'Expected release (derived): <time datetime="2031-09-07">' in cases


@pytest.mark.django_db
def test_it_counts_days_in_detention_as_at_least_when_the_start_is_partial(cast: Any) -> None:
    sample = make_sample(cast)
    body = signed_in(cast.amal).get(_url(sample)).content.decode()
    detention = _section(body, "detention")
    # Detained "in September 2020" and still held: the honest figure is a minimum.
    minimum = days_between(PartialDate(2020, 9), timezone.localdate()).minimum
    assert f"at least {minimum:,} days" in detention
    assert "ongoing" in detention and "Penal Colony No. 3 (Vitebsk region)" in detention


@pytest.mark.django_db
def test_it_merges_the_timeline_in_date_order_with_partial_dates_first(cast: Any) -> None:
    sample = make_sample(cast)
    actions.do_update_detention(detention=sample.detention_a, data={"end": PartialDate(2024)}, acting_user=cast.amal)
    actions.do_record_status(person=sample.person_a, status="released", effective=PartialDate(2024, 2, 14),
                             acting_user=cast.amal)
    body = signed_in(cast.amal).get(_url(sample)).content.decode()
    timeline = _section(body, "timeline")
    dates = re.findall(r'<span class="when"><time datetime="([0-9-]+)">', timeline)
    kinds = re.findall(r'<span class="kind">([^<]+)</span>', timeline)
    assert dates == ["2020-09", "2020-09-07", "2021-09-06", "2021-09-06", "2021-09-06", "2021-10-01", "2024",
                     "2024-02-14"]
    assert kinds == ["Detention began", "Status", "Status", "Hearing", "Sentence", "Recognition", "Detention ended",
                     "Status"]


@pytest.mark.django_db
def test_it_shows_who_changed_what_and_when(cast: Any) -> None:
    sample = make_sample(cast)
    client = signed_in(cast.amal)
    response = client.post(f"{_url(sample)}edit/", {"country": "BY", "gender": "female", "occupation": "artist_writer",
                                                     "reason": "corrected"})
    assert response.status_code == 302, response.content.decode()[-2000:]
    history = _section(client.get(_url(sample)).content.decode(), "history")
    body_start = history.index("<tbody>")
    first_row = history[body_start:history.index("</tr>", body_start)]
    assert "Amal" in first_row and "Person changed" in first_row
    assert "occupation → <span dir=\"auto\">Artist or writer</span>" in first_row


@pytest.mark.django_db
def test_it_shows_audit_events_only_to_readers_of_the_audit_trail(cast: Any) -> None:
    sample = make_sample(cast)
    # Bilal and Dana read the audit trail; Amal and Vera do not.
    for user, sees in ((cast.bilal, True), (cast.dana, True), (cast.amal, False), (cast.vera, False)):
        history = _section(signed_in(user).get(_url(sample)).content.decode(), "history")
        assert ("registry.create_person" in history) is sees, user
        assert ("Audit events" in history) is sees, user


@pytest.mark.django_db
def test_it_shows_sealed_values_as_sealed_and_offers_reveal_only_to_the_case_team(cast: Any) -> None:
    sample = make_sample(cast)
    sample.person_a.case_team.add(cast.amal)
    amal = signed_in(cast.amal).get(_url(sample)).content.decode()
    vera = signed_in(cast.vera).get(_url(sample)).content.decode()
    for body in (amal, vera):
        assert "sealed" in _section(body, "people") and "sealed" in _section(body, "sources")
        assert "CANARY-family-contact-sealed" not in body and "CANARY-source-identity-sealed" not in body
    assert f"relationships/{sample.relationship_a.uuid}/reveal/" in amal
    assert f"sources/{sample.source_a.uuid}/reveal/" in amal
    assert "/reveal/" not in vera
    # The case team reads restricted values; other staff do not.
    assert "CANARY-legal-strategy-restricted" in amal and "CANARY-legal-strategy-restricted" not in vera


@pytest.mark.django_db
def test_it_offers_edit_links_to_editors_only(cast: Any) -> None:
    sample = make_sample(cast)
    assert "Edit the facts" in signed_in(cast.amal).get(_url(sample)).content.decode()
    vera = signed_in(cast.vera).get(_url(sample)).content.decode()
    assert "Edit the facts" not in vera and "Add a case" not in vera
    assert "Record a recognition decision" not in signed_in(cast.amal).get(_url(sample)).content.decode()
    assert "Record a recognition decision" in signed_in(cast.bilal).get(_url(sample)).content.decode()


@pytest.mark.django_db
def test_it_answers_not_found_to_chris_pat_and_for_a_person_who_does_not_exist(cast: Any) -> None:
    sample = make_sample(cast)
    ghost = signed_in(cast.chris).get("/work/registry/people/00000000-0000-4000-8000-000000000000/")
    for user in (cast.chris, cast.pat):
        response = signed_in(user).get(_url(sample))
        assert response.status_code == 404
        assert "Kalesnikava" not in response.content.decode()
    real = signed_in(cast.chris).get(_url(sample))
    # Same page, same length (only the masked CSRF token of the menu differs).
    assert (real.status_code, len(real.content)) == (ghost.status_code, len(ghost.content))
    # Chris reads his own organisation's prisoner.
    own = signed_in(cast.chris).get(f"/work/registry/people/{sample.person_b.uuid}/")
    assert own.status_code == 200 and "Ales Bialiatski" in own.content.decode()


@pytest.mark.django_db
def test_it_hides_a_record_raised_above_the_readers_class(cast: Any) -> None:
    sample = make_sample(cast)
    from unforgotten.registry.models import Person

    # A whole record raised to restricted: only its case team may know it exists.
    Person.objects.filter(pk=sample.person_a.pk).update(sensitivity_floor=3)
    assert signed_in(cast.vera).get(_url(sample)).status_code == 404
    assert "Kalesnikava" not in signed_in(cast.vera).get("/work/registry/people/").content.decode()
    sample.person_a.case_team.add(cast.vera)
    assert signed_in(cast.vera).get(_url(sample)).status_code == 200
    assert "Kalesnikava" in signed_in(cast.vera).get("/work/registry/people/").content.decode()

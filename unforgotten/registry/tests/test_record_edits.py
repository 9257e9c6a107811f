"""Editing charges, hearings and sentences (issue 3): through the action, audited, never half-saved."""

from __future__ import annotations

from typing import Any

import pytest

from unforgotten.audit.models import AuditEvent
from unforgotten.registry import actions
from unforgotten.registry.models import Charge, Hearing, LawArticle, Official, Sentence
from unforgotten.registry.testing import make_sample
from unforgotten.testing import signed_in


def _url(sample: Any, kind: str, pk: int) -> str:
    return f"/work/registry/people/{sample.person_a.uuid}/{kind}/{pk}/edit/"


@pytest.mark.django_db
def test_it_lets_amal_change_a_charge_status_and_article(cast: Any) -> None:
    sample = make_sample(cast)
    charge = sample.case_a.charges.order_by("pk")[0]
    other = LawArticle.objects.exclude(pk=charge.law_article_id)[0]
    client = signed_in(cast.amal)
    page = client.get(_url(sample, "charges", charge.pk))
    assert page.status_code == 200 and "Edit the charge" in page.content.decode()
    response = client.post(_url(sample, "charges", charge.pk), {
        "law_article": other.pk, "status": "acquitted", "brought_on": "2020-09", "reason": "verdict overturned"})
    assert response.status_code == 302
    charge.refresh_from_db()
    assert (charge.status, charge.law_article_id) == ("acquitted", other.pk)
    event = AuditEvent.objects.filter(action="registry.update_charge").latest("id")
    assert event.reason == "verdict overturned" and "status" in event.changes


@pytest.mark.django_db
def test_it_refuses_an_impossible_charge_date_and_saves_nothing(cast: Any) -> None:
    sample = make_sample(cast)
    charge = sample.case_a.charges.order_by("pk")[0]
    client = signed_in(cast.amal)  # logging in is an audit event of its own: count after it
    before = (charge.status, str(charge.brought_on), AuditEvent.objects.count())
    response = client.post(_url(sample, "charges", charge.pk), {
        "law_article": charge.law_article_id, "status": "dropped", "brought_on": "2021-02-31"})
    assert response.status_code == 400
    charge.refresh_from_db()
    assert (charge.status, str(charge.brought_on), AuditEvent.objects.count()) == before


@pytest.mark.django_db
def test_it_replaces_the_bench_of_a_hearing(cast: Any) -> None:
    sample = make_sample(cast)
    hearing = sample.case_a.hearings.order_by("pk")[0]
    judge = actions.do_add_official(organisation=cast.org_a, data={"name": "Judge Ulla Test", "role": "judge"},
                                    acting_user=cast.dana)
    response = signed_in(cast.bilal).post(_url(sample, "hearings", hearing.pk), {
        "court": "Supreme Court", "court_kind": "civilian", "held_on": "2021-03-01", "defence_access": "full",
        "judges": [str(judge.pk)], "new_judge": "Judge Viktor Added", "reason": "appeal"})
    assert response.status_code == 302, response.content.decode()[:2000]
    hearing.refresh_from_db()
    assert hearing.court == "Supreme Court"
    assert sorted(hearing.judges.values_list("name", flat=True)) == ["Judge Ulla Test", "Judge Viktor Added"]
    assert Official.objects.filter(name="Judge Viktor Added", organisation=cast.org_a).exists()


@pytest.mark.django_db
def test_it_edits_a_sentence_and_keeps_the_release_date_derived(cast: Any) -> None:
    sample = make_sample(cast)
    sentence = sample.case_a.sentences.order_by("pk")[0]
    response = signed_in(cast.amal).post(_url(sample, "sentences", sentence.pk), {
        "sentence_type": "imprisonment", "handed_down_on": "2021-05-20", "years": "5", "months": "6", "days": "0",
        "appeal_status": "upheld", "counts_from": str(sentence.counts_from or ""), "regime": "general regime"})
    assert response.status_code == 302, response.content.decode()[:2000]
    sentence.refresh_from_db()
    assert (sentence.years, sentence.months, sentence.appeal_status) == (5, 6, "upheld")
    page = signed_in(cast.amal).get(f"/work/registry/people/{sample.person_a.uuid}/").content.decode()
    assert f"/sentences/{sentence.pk}/edit/" in page


@pytest.mark.django_db
def test_it_shows_vera_and_chris_no_edit_forms(cast: Any) -> None:
    # Vera reads Org A's registry but does not edit it; Chris (Org B) may not know the record exists.
    sample = make_sample(cast)
    charge = Charge.objects.filter(case=sample.case_a)[0]
    hearing = Hearing.objects.filter(case=sample.case_a)[0]
    sentence = Sentence.objects.filter(case=sample.case_a)[0]
    for user in (cast.vera, cast.chris):
        client = signed_in(user)
        for kind, pk in (("charges", charge.pk), ("hearings", hearing.pk), ("sentences", sentence.pk)):
            assert client.get(_url(sample, kind, pk)).status_code == 404
    # Another person's charge is not reachable under this person's address.
    other = actions.do_add_case(person=sample.person_b, data={"jurisdiction": "BY"}, acting_user=cast.chris)
    foreign = actions.do_add_charge(case=other, data={"law_article": sample.article}, acting_user=cast.chris)
    assert signed_in(cast.amal).get(_url(sample, "charges", foreign.pk)).status_code == 404

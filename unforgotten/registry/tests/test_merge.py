"""Merging two records of one person (every record moves, history kept) and undoing it."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from unforgotten.audit.models import AuditEvent
from unforgotten.core.partialdate import PartialDate
from unforgotten.registry import actions, search
from unforgotten.registry.actions import NameInput
from unforgotten.registry.models import (
    Citation,
    DuplicateCandidate,
    ExternalId,
    Person,
    PersonMerge,
    PersonName,
)
from unforgotten.registry.testing import make_sample
from unforgotten.testing import signed_in


@pytest.fixture(autouse=True)
def _fresh_index(settings: Any, tmp_path: Path) -> Any:
    settings.NAMES_INDEX_PATH = tmp_path / "names-index"
    search.reset_service()
    yield
    search.reset_service()


def _duplicate(cast: Any, sample: Any) -> Person:
    """A second record of Maryia Kalesnikava, with records of its own hanging off it."""
    dup = actions.do_create_person(organisation=cast.org_a, names=[NameInput("Мария Колесникова", "Cyrl", "ru"),
                                                                   NameInput("Maria Kolesnikova")],
                                   data={"country": "BY"}, acting_user=cast.amal)
    case = actions.do_add_case(person=dup, data={"jurisdiction": "BY", "theme": "assembly"}, acting_user=cast.amal)
    actions.do_add_detention(person=dup, data={"kind": "pre_trial", "case": case, "start": PartialDate(2020, 9, 8)},
                             acting_user=cast.amal)
    actions.do_record_status(person=dup, status="released", effective=PartialDate(2025, 12, 13), acting_user=cast.amal)
    actions.do_record_consent(person=dup, data={"scope": "photo", "given_by": "sister", "given_on": date(2022, 1, 1)},
                              acting_user=cast.amal)
    actions.do_add_relationship(person=dup, kind="lawyer", name="Lawyer One", acting_user=cast.amal)
    ExternalId.objects.create(person=dup, organisation=cast.org_a, source="cpj", value="42")
    actions.do_cite(source=sample.source_a, target=dup, note="seen in court", acting_user=cast.amal)
    dup.case_team.add(cast.bilal)
    return dup


def _records(person: Person) -> dict[str, set[int]]:
    return {
        "names": set(person.names.values_list("pk", flat=True)),
        "cases": set(person.cases.values_list("pk", flat=True)),
        "detentions": set(person.detentions.values_list("pk", flat=True)),
        "status": set(person.status_changes.values_list("pk", flat=True)),
        "consents": set(person.consents.values_list("pk", flat=True)),
        "relationships": set(person.relationships.values_list("pk", flat=True)),
        "decisions": set(person.decisions.values_list("pk", flat=True)),
        "external_ids": set(person.external_ids.values_list("pk", flat=True)),
        "citations": set(Citation.objects.filter(target_type="registry.person", target_id=person.pk)
                         .values_list("pk", flat=True)),
        "team": set(person.case_team.values_list("pk", flat=True)),
    }


@pytest.mark.django_db
def test_it_moves_every_record_to_the_kept_person_and_retires_the_other(cast: Any) -> None:
    sample = make_sample(cast)
    keep = sample.person_a
    dup = _duplicate(cast, sample)
    before_keep, before_dup = _records(keep), _records(dup)
    history_before = PersonName.history.filter(person_id=dup.pk).count()
    merge = actions.do_merge_people(keep=keep, merge=dup, acting_user=cast.amal, reason="Same woman, Russian spelling")
    keep.refresh_from_db()
    dup.refresh_from_db()
    after = _records(keep)
    for kind in before_keep:
        assert after[kind] == before_keep[kind] | before_dup[kind], kind
    assert all(not ids for kind, ids in _records(dup).items() if kind != "team")
    # Retired, never deleted; the kept primary name stays primary; status follows the latest change.
    assert dup.merged_into_id == keep.pk and Person.objects.filter(pk=dup.pk).exists()
    assert keep.names.get(is_primary=True).text == "Maryia Kalesnikava"
    assert keep.current_status == "released"
    # What moved is written down, record by record; history shows the move.
    assert set(merge.moved["registry.personname.person_id"]) == before_dup["names"]
    assert set(merge.moved["registry.case.person_id"]) == before_dup["cases"]
    assert merge.moved["case_team"] == [cast.bilal.pk]
    assert PersonName.history.filter(person_id=dup.pk).count() == history_before
    assert PersonName.history.filter(person_id=keep.pk, id__in=before_dup["names"]).exists()
    event = AuditEvent.objects.get(action="registry.merge_people")
    assert event.object_id == str(keep.pk) and event.reason == "Same woman, Russian spelling"
    # The retired page leads to the kept one; lists and search know only the kept one.
    client = signed_in(cast.amal)
    response = client.get(f"/work/registry/people/{dup.uuid}/")
    assert response.status_code == 302 and response["Location"] == f"/work/registry/people/{keep.uuid}/"
    assert [h.person_id for h in search.find_people(cast.amal, "Мария Колесникова")] == [keep.pk]
    body = client.get("/work/registry/people/").content.decode()
    assert str(dup.uuid) not in body and str(keep.uuid) in body
    assert str(dup.uuid) not in signed_in(cast.amal).get("/api/v1/registry/people").content.decode()
    # Chris still gets "not found" for both.
    assert signed_in(cast.chris).get(f"/work/registry/people/{dup.uuid}/").status_code == 404


@pytest.mark.django_db
def test_it_undoes_a_merge_exactly(cast: Any) -> None:
    sample = make_sample(cast)
    keep = sample.person_a
    dup = _duplicate(cast, sample)
    before_keep, before_dup = _records(keep), _records(dup)
    merge = actions.do_merge_people(keep=keep, merge=dup, acting_user=cast.amal, reason="Same woman")
    restored = actions.do_unmerge_people(merge_record=merge, acting_user=cast.dana, reason="Two different women")
    keep.refresh_from_db()
    assert restored.pk == dup.pk and restored.merged_into_id is None
    assert _records(keep) == before_keep
    assert _records(restored) == before_dup
    assert restored.names.get(is_primary=True).text == "Мария Колесникова"
    assert keep.current_status == "imprisoned" and restored.current_status == "released"
    merge.refresh_from_db()
    assert merge.undone_at is not None and merge.undone_by == cast.dana
    assert AuditEvent.objects.filter(action="registry.unmerge_people", reason="Two different women").exists()
    assert [h.person_id for h in search.find_people(cast.amal, "Мария Колесникова")][0] == dup.pk
    with pytest.raises(ValidationError):
        actions.do_unmerge_people(merge_record=merge, acting_user=cast.dana, reason="again")


@pytest.mark.django_db
def test_it_refuses_merges_it_must_not_make(cast: Any) -> None:
    sample = make_sample(cast)
    dup = _duplicate(cast, sample)
    with pytest.raises(ValidationError):
        actions.do_merge_people(keep=sample.person_a, merge=sample.person_a, acting_user=cast.amal, reason="x")
    with pytest.raises(ValidationError):
        actions.do_merge_people(keep=sample.person_a, merge=dup, acting_user=cast.amal, reason="  ")
    # Across organisations: nobody may edit both, and the rule holds even for someone who could.
    with pytest.raises(PermissionDenied):
        actions.do_merge_people(keep=sample.person_a, merge=sample.person_b, acting_user=cast.amal, reason="x")
    with pytest.raises(PermissionDenied):
        actions.do_merge_people(keep=sample.person_a, merge=dup, acting_user=cast.vera, reason="x")
    with pytest.raises(PermissionDenied):
        actions.do_merge_people(keep=sample.person_a, merge=dup, acting_user=cast.chris, reason="x")
    assert not PersonMerge.objects.exists() and Person.objects.get(pk=dup.pk).merged_into_id is None
    actions.do_merge_people(keep=sample.person_a, merge=dup, acting_user=cast.amal, reason="same")
    with pytest.raises(ValidationError):
        actions.do_merge_people(keep=Person.objects.get(pk=dup.pk), merge=sample.person_a, acting_user=cast.amal,
                                reason="again")


@pytest.mark.django_db
def test_it_merges_from_the_review_page_only_after_reauthentication(cast: Any) -> None:
    sample = make_sample(cast)
    dup = _duplicate(cast, sample)
    first, second = sorted((sample.person_a.pk, dup.pk))
    pair = DuplicateCandidate.objects.create(organisation=cast.org_a, first_id=first, second_id=second, score=0.93)
    url = f"/work/registry/duplicates/{pair.pk}/"
    keep = "first" if first == sample.person_a.pk else "second"
    response = signed_in(cast.amal).post(url, {"action": "merge", "keep": keep, "reason": "same"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/reauthenticate/")
    assert not PersonMerge.objects.exists()
    client = signed_in(cast.amal, sudo=True)
    assert client.get(url).status_code == 200
    assert client.post(url, {"action": "merge", "keep": keep, "reason": ""}).status_code == 400
    response = client.post(url, {"action": "merge", "keep": keep, "reason": "same"})
    assert response.status_code == 302 and response["Location"] == f"/work/registry/people/{sample.person_a.uuid}/"
    merge = PersonMerge.objects.get()
    pair.refresh_from_db()
    assert merge.merged_id == dup.pk and pair.status == "merged"
    # Undo: Vera may not, Amal may after re-authenticating.
    undo = f"/work/registry/merges/{merge.pk}/undo/"
    assert signed_in(cast.vera, sudo=True).get(undo).status_code == 404
    assert signed_in(cast.chris, sudo=True).post(undo, {"reason": "x"}).status_code == 404
    assert f"/work/registry/merges/{merge.pk}/undo/" in client.get("/work/registry/duplicates/").content.decode()
    response = signed_in(cast.amal).post(undo, {"reason": "different"})
    assert response["Location"].startswith("/accounts/reauthenticate/")
    response = client.post(undo, {"reason": "different"})
    assert response.status_code == 302 and response["Location"] == f"/work/registry/people/{dup.uuid}/"
    assert Person.objects.get(pk=dup.pk).merged_into_id is None

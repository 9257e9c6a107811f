"""Issue 5 item 7 for evidence: erasing a case deletes its evidence files (derivatives too); the log still verifies."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from unforgotten.audit import log
from unforgotten.evidence import store
from unforgotten.evidence.models import CustodyEvent, EvidenceItem
from unforgotten.evidence.tests.helpers import (
    client_for,
    jpeg_with_exif,
    post_file,
    put_on_team,
    stored_files,
)
from unforgotten.registry import erasure
from unforgotten.registry.testing import make_sample

NAME = "CANARYERASEDNAME"


@pytest.mark.django_db
def test_it_deletes_the_ciphertext_of_an_erased_cases_evidence_and_keeps_the_log_verifiable(
        cast: Any, django_capture_on_commit_callbacks: Any) -> None:
    sample = make_sample(cast)
    put_on_team(sample.person_a, cast.amal, cast)
    amal = client_for(cast.amal, sudo=True)
    about_case = post_file(amal, sample.person_a, f"{NAME}.jpg", jpeg_with_exif("x"), title="Hearing photo",
                           case=str(sample.case_a.pk), collected_url=f"https://example.org/{NAME}")
    assert about_case.status_code == 302
    other = post_file(amal, sample.person_a, "other.pdf", b"%PDF-1.4\nkept\n", title="Not about the case")
    assert other.status_code == 302
    photo = EvidenceItem.objects.get(title="Hearing photo")
    assert photo.target_type == "registry.case" and photo.target_id == sample.case_a.pk
    assert amal.post(f"/work/evidence/items/{photo.uuid}/derive/", {"reason": "page"}).status_code == 302
    derived = EvidenceItem.objects.get(parent=photo)
    kept = EvidenceItem.objects.get(title="Not about the case")
    erased_paths = [store.object_path(photo.storage_name), store.object_path(derived.storage_name)]
    assert all(p.exists() for p in erased_paths) and len(stored_files()) == 3

    with django_capture_on_commit_callbacks(execute=True):
        erasure.do_erase_case(case=sample.case_a, acting_user=cast.dana, reason="Retention period over")

    assert not any(p.exists() for p in erased_paths)
    assert stored_files() == [store.object_path(kept.storage_name)]
    # Tombstones: hidden everywhere, nothing restricted left in the row, the chain of custody closed.
    assert list(EvidenceItem.objects.values_list("pk", flat=True)) == [kept.pk]
    for item in (photo, derived):
        row = EvidenceItem._base_manager.get(pk=item.pk)
        assert row.erased_at is not None and row.display_name == "" and row.collected_url == ""
        assert row.target_id is None
        assert CustodyEvent.objects.filter(item=item).order_by("id").last().action == "erased"  # type: ignore[union-attr]
        assert amal.get(f"/work/evidence/items/{item.uuid}/").status_code == 404
        assert amal.get(f"/api/v1/evidence/items/{item.uuid}").status_code == 404
    listing = amal.get(f"/work/evidence/people/{sample.person_a.uuid}/").content.decode()
    assert "Hearing photo" not in listing and "Not about the case" in listing
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM evidence_evidenceitem")
        assert NAME not in repr(cursor.fetchall())
    call_command("verify_log")  # exits non-zero on any problem
    assert log.verify().size > 0
    # The fixity job no longer checks (or alerts about) the erased items' missing files.
    from unforgotten.evidence import fixity

    report = fixity.check_all()
    assert report.checked == 1 and report.failed == []


@pytest.mark.django_db
def test_it_keeps_an_erased_cases_evidence_whole_when_the_erasure_rolls_back(
        cast: Any, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    sample = make_sample(cast)
    put_on_team(sample.person_a, cast.amal, cast)
    amal = client_for(cast.amal, sudo=True)
    assert post_file(amal, sample.person_a, "hearing.pdf", b"%PDF-1.4\nx\n", title="About the case",
                     case=str(sample.case_a.pk)).status_code == 302
    item = EvidenceItem.objects.get()

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the disk is gone")

    monkeypatch.setattr(erasure, "_forget_caches", refuse)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        erasure.do_erase_case(case=sample.case_a, acting_user=cast.dana, reason="Retention period over")
    assert store.object_path(item.storage_name).exists()


@pytest.mark.django_db
def test_it_unlinks_an_erased_source_from_the_evidence_it_provided(cast: Any) -> None:
    sample = make_sample(cast)
    amal = client_for(cast.amal, sudo=True)
    assert post_file(amal, sample.person_a, "letter.pdf", b"%PDF-1.4\nletter\n", title="Letter",
                     source=str(sample.source_a.pk)).status_code == 302
    erasure.do_erase_source(source=sample.source_a, acting_user=cast.dana, reason="Source asked to be forgotten")
    item = EvidenceItem.objects.get()
    assert item.source_id is None and store.object_path(item.storage_name).exists()
    call_command("verify_log")

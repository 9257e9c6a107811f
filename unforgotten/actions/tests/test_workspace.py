"""The campaigners' workspace: petitions, targets, texts, review, bulk invalidation, delivery, export (issue 7).

Personas: Cora is a campaigner of Org A (changes petitions, exports nothing);
Dana is Org A's admin (campaigns and exports); Vera reads Org A; Chris (Org B)
sees nothing of Org A.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client

from unforgotten.actions import actions
from unforgotten.actions.models import (
    CounterShard,
    Delivery,
    Petition,
    PetitionStatus,
    QuarantineReason,
    Signature,
    Target,
)
from unforgotten.actions.testing import CANARY_COMMENT, CANARY_EMAIL, CANARY_NAME, token_for
from unforgotten.audit.models import AuditEvent
from unforgotten.testing import signed_in

pytestmark = pytest.mark.django_db


def test_it_lets_a_campaigner_create_a_target_a_petition_its_texts_and_open_it(cast: Any) -> None:
    cora = signed_in(cast.cora)
    answer = cora.post("/work/actions/org-a/targets/new/", {"kind": "institution", "name": "Supreme Court",
                                                            "country": "BY"})
    assert answer.status_code == 302
    target = Target.objects.get(name="Supreme Court")
    answer = cora.post("/work/actions/org-a/petitions/new/", {
        "name": "Court petition", "slug": "court", "default_language": "fr", "goal": "500",
        "targets": [str(target.pk)]})
    assert answer.status_code == 302
    petition = Petition.objects.get(slug="court")
    assert list(petition.targets.all()) == [target] and petition.shards.count() == 16
    assert cora.post(f"/work/actions/petitions/{petition.uuid}/text/fr/", {
        "title": "Libérez-les", "summary": "", "body": "Nous demandons."}).status_code == 302
    assert cora.post(f"/work/actions/petitions/{petition.uuid}/status/", {"do": "open"}).status_code == 302
    assert Petition.objects.get(pk=petition.pk).status == PetitionStatus.OPEN
    assert Client().get("/fr/petitions/court/").status_code == 200
    actions_logged = set(AuditEvent.objects.filter(organisation_id=cast.org_a.pk).values_list("action", flat=True))
    assert {"actions.add_target", "actions.create_petition", "actions.set_petition_text",
            "actions.open_petition"} <= actions_logged


def test_it_refuses_bad_workspace_input_with_the_field_named(cast: Any) -> None:
    answer = signed_in(cast.cora).post("/work/actions/org-a/targets/new/", {"kind": "office", "name": "X",
                                                                          "country": "ZZ"})
    assert answer.status_code == 400 and "is not an ISO 3166 country code" in answer.content.decode()
    assert not Target.objects.exists()


def test_it_reuses_one_target_across_petitions(cast: Any, pet: Any) -> None:
    other = actions.do_create_petition(organisation=cast.org_a, acting_user=cast.dana, targets=[pet.target],
                                       data={"name": "Second", "slug": "second"})
    actions.do_update_target(target=pet.target, data={"name": "New Minister of Justice"}, acting_user=cast.dana)
    assert {p.name for p in Target.objects.get(pk=pet.target.pk).petitions.all()} == {pet.petition.name, other.name}
    html = Client().get("/en/petitions/free-them-all/").content.decode()
    assert "New Minister of Justice" in html


def test_it_hides_org_a_petitions_from_org_b(cast: Any, pet: Any) -> None:
    chris = signed_in(cast.chris)
    assert chris.get(f"/work/actions/petitions/{pet.petition.uuid}/").status_code == 404
    assert "Free them all" not in chris.get("/work/actions/").content.decode()


def _pending(pet: Any, email: str, quarantine: str = "") -> Signature:
    return actions.do_sign_petition(petition=pet.petition, email=email, quarantine=quarantine,
                                    comment=f"comment number {abs(hash(email)) % 1000}").signature


def test_it_reviews_the_quarantine_release_counts_and_bulk_invalidation_uncounts(cast: Any, pet: Any) -> None:
    held = _pending(pet, "held@example.com", QuarantineReason.RATE_IP)
    flood = [_pending(pet, f"flood{i}@bots.example", QuarantineReason.RATE_DOMAIN) for i in range(5)]
    for s in [held, *flood]:
        actions.do_confirm_signature(token=token_for(s), keep_informed=False)
    assert Signature.objects.filter(counted=True).count() == 1  # only the sample signer
    cora = signed_in(cast.cora)
    page = cora.get(f"/work/actions/petitions/{pet.petition.uuid}/quarantine/").content.decode()
    assert "many signatures from one network address" in page
    assert "held@example.com" not in page and CANARY_EMAIL not in page
    cora.post(f"/work/actions/petitions/{pet.petition.uuid}/quarantine/", {"do": "release",
                                                                          "signature": [str(held.pk)]})
    assert Signature.objects.get(pk=held.pk).counted
    # A second release of the same row changes nothing (no double count).
    actions.do_release_signatures(petition=pet.petition, signature_ids=[held.pk], acting_user=cast.cora)
    answer = cora.post(f"/work/actions/petitions/{pet.petition.uuid}/invalidate/",
                       {"quarantine": QuarantineReason.RATE_DOMAIN, "reason": "a bot farm"})
    assert answer.status_code == 302
    assert Signature.objects.filter(invalidated_at__isnull=False).count() == 5
    actions.do_refresh_counts()
    assert Petition.objects.get(pk=pet.petition.pk).count_shown == 2 == sum(
        CounterShard.objects.filter(petition=pet.petition).values_list("counted", flat=True))
    # Bulk invalidation of counted signatures takes them off the count.
    actions.do_invalidate_signatures(petition=pet.petition, acting_user=cast.cora, signature_ids=[held.pk],
                                     reason="duplicate person")
    actions.do_refresh_counts()
    assert Petition.objects.get(pk=pet.petition.pk).count_shown == 1
    event = AuditEvent.objects.filter(action="actions.invalidate_signatures").order_by("id").first()
    assert event is not None and event.reason == "a bot farm"


def test_it_closes_and_delivers_a_pdf_without_any_signer_address(cast: Any, pet: Any) -> None:
    from unforgotten.advocacy.tests.conftest import pdf_text

    second = _pending(pet, "second@example.com")
    actions.do_confirm_signature(token=token_for(second), keep_informed=False)
    actions.do_choose_comments(petition=pet.petition, signature_ids=[second.pk], acting_user=cast.cora)
    cora = signed_in(cast.cora)
    assert cora.post(f"/work/actions/petitions/{pet.petition.uuid}/status/", {"do": "close"}).status_code == 302
    answer = cora.post(f"/work/actions/petitions/{pet.petition.uuid}/deliver/", {"language": "en"})
    assert answer.status_code == 302
    delivery = Delivery.objects.get(petition=pet.petition)
    pdf = cora.get(answer["Location"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "Free them all" in text and "Minister of Justice" in text and Signature.objects.get(
        pk=second.pk).comment in text
    assert delivery.count == 2 and "2" in text
    for canary in (CANARY_EMAIL, CANARY_NAME, CANARY_COMMENT, "minister-canary@example.gov"):
        assert canary not in text
    assert "second@example.com" not in text
    assert Petition.objects.get(pk=pet.petition.pk).status == PetitionStatus.DELIVERED


def test_it_refuses_to_deliver_an_open_petition(cast: Any, pet: Any) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        actions.do_deliver_petition(petition=pet.petition, language="en", acting_user=cast.cora)
    assert not Delivery.objects.exists()


TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\x00")


def test_it_exports_signers_formula_safe_with_addresses_only_for_those_kept_informed(cast: Any, pet: Any) -> None:
    """T11a: a cell starting with =, +, -, @, TAB, CR or NUL always gets the ' prefix."""
    from django.db import connection

    from unforgotten.actions.models import Supporter
    from unforgotten.actions.views import signer_csv, signer_rows

    # PostgreSQL text cannot hold NUL at all; on SQLite it can, so it is exported (and guarded) there.
    triggers = TRIGGERS if connection.vendor == "sqlite" else TRIGGERS[:-1]
    for i, trigger in enumerate(triggers):
        s = actions.do_sign_petition(petition=pet.petition, email=f"t{i}@example.com", given_name="",
                                     comment=f"{trigger}cmd|calc!A0" if trigger not in ("\x00", "\r") else "x").signature
        actions.do_confirm_signature(token=token_for(s), keep_informed=i % 2 == 0)
        # Names and comments reach the export as typed (the form refuses control characters; an import might not).
        Supporter.objects.filter(signatures=s).update(given_name=f"{trigger}HYPERLINK(\"http://evil\")")
        Signature.objects.filter(pk=s.pk).update(comment=f"{trigger}SUM(1+1)")
    body = b"".join(signer_csv(signer_rows(Petition.objects.get(pk=pet.petition.pk), cast.dana))).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == len(triggers) + 1
    for row in rows:
        for value in row.values():
            assert not value.startswith(TRIGGERS), repr(value)
    by_mail = {r["email"] for r in rows if r["email"]}
    assert by_mail == {CANARY_EMAIL, *(f"t{i}@example.com" for i in range(0, len(triggers), 2))}
    # And a NUL that reaches the writer from anywhere is prefixed too.
    [line] = list(signer_csv(iter([{"comment": "\x00=1+1"}])))[1:]
    assert line.decode().split(",")[6] == "'\x00=1+1"


def test_it_asks_to_reauthenticate_before_exporting_and_never_lets_a_campaigner_export(cast: Any, pet: Any) -> None:
    assert signed_in(cast.cora).post(f"/work/actions/petitions/{pet.petition.uuid}/signers.csv").status_code == 404
    answer = signed_in(cast.dana).post(f"/work/actions/petitions/{pet.petition.uuid}/signers.csv")
    assert answer.status_code == 302 and "reauthenticate" in answer["Location"]


def test_it_writes_demo_petitions_once(cast: Any) -> None:
    from unforgotten.accounts.models import Membership, Organisation
    from unforgotten.actions import demo

    org = Organisation.objects.create(name="Rights Watch", slug="rights-watch", country="GB")
    Membership.objects.create(user=cast.dana, organisation=org, roles=["org_admin"])
    demo.write({"dana@example.org": cast.dana}, lambda _line: None)
    demo.write({"dana@example.org": cast.dana}, lambda _line: None)
    petition = Petition.objects.get(organisation=org)
    assert petition.count_shown == 12 and petition.status == PetitionStatus.OPEN
    assert Client().get("/ar/petitions/release-the-journalists/").status_code == 200

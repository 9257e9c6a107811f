"""The projection fails closed, only ever raises a field's class, and honours consent."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import pytest

from unforgotten import policy
from unforgotten.policy.projection import PUBLIC, Audience, audience_for, field_sensitivity, project
from unforgotten.policy.sensitivity import Sensitivity


@dataclass
class Dossier:
    """A stand-in record with every class of field and a consent-bound name."""

    SENSITIVITY: ClassVar[dict[str, Sensitivity]] = {
        "name": Sensitivity.PUBLIC,
        "country": Sensitivity.PUBLIC,
        "shared_note": Sensitivity.COALITION,
        "strategy": Sensitivity.RESTRICTED,
        "family_phone": Sensitivity.SEALED,
    }
    CONSENT: ClassVar[dict[str, str]] = {"name": "name"}
    organisation_id: int
    name: str = "CANARY-name"
    country: str = "IR"
    shared_note: str = "CANARY-coalition"
    internal_note: str = "CANARY-internal"  # undeclared: internal by default
    strategy: str = "CANARY-restricted"
    family_phone: str = "CANARY-sealed"
    consents: set[str] = field(default_factory=set)
    sensitivity_overrides: dict[str, str] = field(default_factory=dict)
    sensitivity_floor: int | None = None

    def has_public_consent(self, scope: str) -> bool:
        return scope in self.consents


FIELDS = ["name", "country", "shared_note", "internal_note", "strategy", "family_phone"]


def test_it_gives_the_public_only_public_fields_with_consent() -> None:
    record = Dossier(organisation_id=1)
    assert project(record, PUBLIC, FIELDS) == {"country": "IR"}
    record.consents.add("name")
    assert project(record, PUBLIC, FIELDS) == {"country": "IR", "name": "CANARY-name"}


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("partner", {"name", "country", "shared_note"}),
        ("staff", {"name", "country", "shared_note", "internal_note"}),
        ("case_team", {"name", "country", "shared_note", "internal_note", "strategy"}),
    ],
)
def test_it_widens_by_audience_but_never_reaches_sealed(kind: Any, expected: set[str]) -> None:
    seen = project(Dossier(organisation_id=1), Audience(kind=kind, organisation_id=1), FIELDS)
    assert set(seen) == expected
    assert "CANARY-sealed" not in repr(seen)


def test_it_reaches_sealed_only_for_an_unsealed_case_team() -> None:
    assert "family_phone" in project(Dossier(organisation_id=1), Audience(kind="case_team", unsealed=True), FIELDS)
    assert "family_phone" not in project(Dossier(organisation_id=1), Audience(kind="staff", unsealed=True), FIELDS)


def test_it_lets_a_record_raise_but_never_lower_a_class() -> None:
    record = Dossier(organisation_id=1, sensitivity_overrides={"country": "restricted", "family_phone": "public"})
    assert field_sensitivity(record, "country") == Sensitivity.RESTRICTED
    assert field_sensitivity(record, "family_phone") == Sensitivity.SEALED
    assert project(record, PUBLIC, FIELDS) == {}


def test_it_hides_a_whole_record_above_the_audience() -> None:
    record = Dossier(organisation_id=1, sensitivity_floor=int(Sensitivity.INTERNAL), consents={"name"})
    assert project(record, PUBLIC, FIELDS) == {}
    assert project(record, Audience(kind="partner"), FIELDS) == {}
    assert set(project(record, Audience(kind="staff"), FIELDS)) == {"name", "country", "shared_note", "internal_note"}


@dataclass
class SealedNote(Dossier):
    """A record whose sealed field has a reader (a model decrypting its value supplies one)."""

    def project_family_phone(self) -> str:
        return "read:" + self.family_phone


@pytest.mark.parametrize("record", [Dossier(organisation_id=1), SealedNote(organisation_id=1)])
@pytest.mark.parametrize("audience", [Audience(kind="partner"), Audience(kind="staff"), Audience(kind="case_team"),
                                      Audience(kind="case_team", unsealed=True)])
@pytest.mark.parametrize("fields", [FIELDS, FIELDS[::-1], ["strategy"], ["family_phone", "country"], []])
def test_it_gives_the_same_fields_in_the_same_order_as_the_rule_field_by_field(
        record: Dossier, audience: Audience, fields: list[str]) -> None:
    # The records without a raise take a per-model plan (many records of one page); it must say
    # exactly what asking each field's class and consent says.
    from unforgotten.policy.projection import _value, visible

    expected = {name: _value(record, name) for name in fields if visible(record, name, audience)}
    seen = project(record, audience, fields)
    assert list(seen.items()) == list(expected.items())
    assert ("family_phone" in seen) == ("family_phone" in fields and audience.kind == "case_team" and audience.unsealed)


def test_it_treats_undeclared_fields_as_internal() -> None:
    assert field_sensitivity(Dossier(organisation_id=1), "anything_new") == Sensitivity.INTERNAL


@pytest.mark.django_db
def test_it_places_each_persona_in_the_right_audience(cast: Any) -> None:
    record = Dossier(organisation_id=cast.org_a.pk)
    assert audience_for(None, record) == PUBLIC
    assert audience_for(cast.amal, record).kind == "staff"
    assert audience_for(cast.amal, record, case_team_user_ids=[cast.amal.pk]).kind == "case_team"
    assert audience_for(cast.chris, record) == PUBLIC
    assert audience_for(cast.chris, record, partner_org_ids=[cast.org_b.pk]).kind == "partner"
    # Platform admins administer the platform; their flag gives them no case data.
    assert audience_for(cast.pat, record) == PUBLIC
    # A deactivated account is nobody.
    assert audience_for(cast.dmitri, record) == PUBLIC


@pytest.mark.django_db
def test_it_answers_permissions_from_one_table(cast: Any) -> None:
    assert policy.can(cast.dana, "accounts.manage_members", cast.org_a)
    assert not policy.can(cast.amal, "accounts.manage_members", cast.org_a)
    assert policy.can(cast.bilal, "audit.view_events", cast.org_a)
    assert not policy.can(cast.chris, "audit.view_events", cast.org_a)
    assert policy.can(cast.pat, "platform.administer")
    assert not policy.can(cast.pat, "accounts.view_organisation", cast.org_a)
    assert cast.amal.has_perm("accounts.view_organisation", cast.org_a)  # the same answer through rules
    with pytest.raises(KeyError, match="no such permission"):
        policy.can(cast.amal, "accounts.do_anything", cast.org_a)

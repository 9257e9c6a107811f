"""Restricted fields encrypted at rest (core/encrypted.py): transparent to code, opaque to the database."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import FieldError
from django.db import connection, transaction

from unforgotten.core.crypto import DecryptionError
from unforgotten.core.encrypted import Ciphertext, EncryptedTextField, encrypt_existing_values
from unforgotten.registry.models import Case, Relationship
from unforgotten.registry.testing import make_sample

STRATEGY = "CANARY-legal-strategy-restricted"


def _raw(table: str, column: str, pk: int, *, key: str = "id") -> str:
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {qn(column)} FROM {qn(table)} WHERE {qn(key)} = %s", [pk])  # noqa: S608
        return str(cursor.fetchone()[0])


@pytest.mark.django_db
def test_it_stores_a_token_and_gives_the_plaintext_back_to_code(cast: Any) -> None:
    sample = make_sample(cast)
    stored = _raw("registry_case", "legal_strategy", sample.case_a.pk)
    assert stored.startswith("uf1:") and "CANARY" not in stored
    case = Case.objects.get(pk=sample.case_a.pk)
    assert case.legal_strategy == STRATEGY
    history = Case.history.filter(id=case.pk).order_by("history_id").last()
    assert history is not None and history.legal_strategy == STRATEGY
    # A history row is found by its history_id: its id is the case's, shared by all its versions (looking it
    # up by id only worked while the two sequences happened to agree, as in a fresh database).
    assert "CANARY" not in _raw("registry_historicalcase", "legal_strategy", history.history_id, key="history_id")
    # values_list moves the token, closed: backups and restores copy it byte for byte.
    token = Case.objects.filter(pk=case.pk).values_list("legal_strategy", flat=True).get()
    assert isinstance(token, Ciphertext) and token == stored


@pytest.mark.django_db
def test_it_writes_back_an_unchanged_value_as_the_same_token_and_a_changed_one_anew(cast: Any) -> None:
    sample = make_sample(cast)
    case = Case.objects.get(pk=sample.case_a.pk)
    before = _raw("registry_case", "legal_strategy", case.pk)
    assert case.legal_strategy == STRATEGY
    case.save()
    assert _raw("registry_case", "legal_strategy", case.pk) == before
    case.legal_strategy = "Appeal to the Supreme Court"
    case.save()
    after = _raw("registry_case", "legal_strategy", case.pk)
    assert after != before and after.startswith("uf1:")
    assert Case.objects.get(pk=case.pk).legal_strategy == "Appeal to the Supreme Court"


@pytest.mark.django_db
def test_it_refuses_a_token_moved_to_another_row_or_column(cast: Any) -> None:
    sample = make_sample(cast)
    rel = Relationship.objects.get(pk=sample.relationship_a.pk)
    other = Relationship.objects.create(organisation=rel.organisation, person=rel.person, kind="parent",
                                        notes="Mother, lives abroad")
    token = _raw("registry_relationship", "notes", rel.pk)
    with connection.cursor() as cursor:  # an attacker with write access to the database moves it
        cursor.execute("UPDATE registry_relationship SET notes = %s WHERE id = %s", [token, other.pk])
        cursor.execute("UPDATE registry_case SET legal_strategy = %s WHERE id = %s", [token, sample.case_a.pk])
    with pytest.raises(DecryptionError):
        _ = Relationship.objects.get(pk=other.pk).notes
    with pytest.raises(DecryptionError):
        _ = Case.objects.get(pk=sample.case_a.pk).legal_strategy
    assert Relationship.objects.get(pk=rel.pk).notes == "CANARY-family-notes-restricted"


@pytest.mark.django_db
def test_it_refuses_plaintext_updates_and_filters_instead_of_finding_nothing(cast: Any) -> None:
    sample = make_sample(cast)
    with pytest.raises(ValueError, match="encrypted field registry.case.legal_strategy"), transaction.atomic():
        Case.objects.filter(pk=sample.case_a.pk).update(legal_strategy="leaked in clear")
    with pytest.raises(ValueError, match="cannot be filtered on"), transaction.atomic():
        list(Case.objects.filter(legal_strategy="CANARY-legal-strategy-restricted"))
    with pytest.raises(FieldError, match="Unsupported lookup 'icontains'"):
        list(Case.objects.filter(legal_strategy__icontains="CANARY"))
    assert Case.objects.filter(legal_strategy="").count() == Case.objects.count() - 1  # emptiness stays countable


@pytest.mark.django_db
def test_it_encrypts_values_written_before_the_field_in_place_and_only_once(cast: Any) -> None:
    sample = make_sample(cast)
    with connection.cursor() as cursor:  # as a row looked before the data migration
        cursor.execute("UPDATE registry_case SET legal_strategy = %s WHERE id = %s",
                       ["Old plaintext strategy", sample.case_a.pk])
    assert encrypt_existing_values(Case, "legal_strategy") == 1
    stored = _raw("registry_case", "legal_strategy", sample.case_a.pk)
    assert stored.startswith("uf1:") and "plaintext" not in stored
    assert Case.objects.get(pk=sample.case_a.pk).legal_strategy == "Old plaintext strategy"
    assert encrypt_existing_values(Case, "legal_strategy") == 0
    assert _raw("registry_case", "legal_strategy", sample.case_a.pk) == stored


def test_it_keeps_its_context_in_history_tables_and_migrations() -> None:
    field = Case._meta.get_field("legal_strategy")
    history_field = Case.history.model._meta.get_field("legal_strategy")
    assert isinstance(field, EncryptedTextField) and isinstance(history_field, EncryptedTextField)
    assert field.context == history_field.context == "registry.case.legal_strategy"
    assert field.deconstruct()[3]["context"] == "registry.case.legal_strategy"


@pytest.mark.django_db
def test_it_reencrypts_restricted_values_and_their_history_under_a_new_data_key(cast: Any) -> None:
    import io

    from django.core.management import call_command

    from unforgotten.core import keyring

    sample = make_sample(cast)
    old = keyring.active_key_id("restricted-fields")
    history_before = Case.history.filter(id=sample.case_a.pk).count()
    call_command("rotate_keys", data_keys=True, purpose=["restricted-fields"], reencrypt=True, batch=2,
                 stdout=io.StringIO())
    new = keyring.active_key_id("restricted-fields")
    assert new != old
    stored = _raw("registry_case", "legal_strategy", sample.case_a.pk)
    assert keyring.token_key_id(stored) == new
    tokens = [str(t) for t in Case.history.filter(id=sample.case_a.pk).values_list("legal_strategy", flat=True) if t]
    assert tokens and all(keyring.token_key_id(t) == new for t in tokens)
    assert Case.history.filter(id=sample.case_a.pk).count() == history_before  # no new history rows
    assert Case.objects.get(pk=sample.case_a.pk).legal_strategy == STRATEGY
    out = io.StringIO()
    call_command("rotate_keys", reencrypt=True, stdout=out)
    assert "0 re-encrypted" in out.getvalue()

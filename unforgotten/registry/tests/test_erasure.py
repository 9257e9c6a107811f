"""T18 (retention and erasure): erasing a case or a source leaves none of its protected values in the
database (rows, history tables, audit payloads), and the tamper-evident log still verifies."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection

from unforgotten.audit import log
from unforgotten.audit.models import AuditEvent
from unforgotten.registry import erasure
from unforgotten.registry.models import Case, Citation, Hearing, Source
from unforgotten.registry.testing import make_sample

CASE_PROTECTED = ["CANARY-legal-strategy-restricted", "CANARY-monitor-notes-restricted"]
CASE_INTERNAL = "CANARY-case-number-internal"


def _logical_dump() -> dict[str, str]:
    """Every row of every table as text, table by table (what pg_dump or `.dump` would show)."""
    qn = connection.ops.quote_name
    out = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if connection.vendor == "postgresql":
                cursor.execute(f"SELECT t::text FROM {qn(table)} t")  # noqa: S608
            else:
                cursor.execute(f"SELECT * FROM {qn(table)}")  # noqa: S608
            out[table] = "\n".join(str(row) for row in cursor.fetchall())
    return out


def _raw_sqlite() -> bytes:
    connection.ensure_connection()
    return bytes(connection.connection.serialize())


def _found(canary: str, dump: dict[str, str]) -> list[str]:
    return [t for t, text in dump.items() if canary in text]


@pytest.mark.django_db
def test_it_purges_an_erased_case_from_rows_history_and_audit_and_the_log_still_verifies(cast: Any) -> None:
    sample = make_sample(cast)
    log.sign_tree_head()
    before = _logical_dump()
    assert _found(CASE_INTERNAL, before)  # the control: it was there
    for canary in CASE_PROTECTED:
        # Restricted values are encrypted at rest (core/encrypted.py): not even before the erasure.
        assert _found(canary, before) == [], canary
    case_before = Case.objects.get(pk=sample.case_a.pk)
    assert case_before.legal_strategy == CASE_PROTECTED[0]  # ...yet the case team reads them
    tokens = [t for t in Case.objects.filter(pk=sample.case_a.pk).values_list("legal_strategy", flat=True)]
    assert tokens[0].startswith("uf1:") and _found(tokens[0], before)
    case = Case.objects.get(pk=sample.case_a.pk)
    hearing_ids = list(Hearing.objects.filter(case=case).values_list("pk", flat=True))
    counts = erasure.do_erase_case(case=case, acting_user=cast.dana, reason="Retention period over")
    assert counts["registry.case"] >= 2 and counts["registry.hearing"] >= 2

    after = _logical_dump()
    for canary in [*CASE_PROTECTED, tokens[0]]:
        assert _found(canary, after) == [], canary
    assert [t for t in _found(CASE_INTERNAL, after) if t != "audit_auditevent"] == []
    assert not Case.history.model.objects.filter(id=sample.case_a.pk).exists()
    assert not Hearing.history.model.objects.filter(id__in=hearing_ids).exists()
    assert not Citation.objects.filter(target_type="registry.case", target_id=sample.case_a.pk).exists()
    if connection.vendor == "sqlite":
        raw = _raw_sqlite()
        assert [c for c in CASE_PROTECTED if c.encode() in raw] == []
    event = AuditEvent.objects.filter(action="registry.erase_case").get()
    assert event.reason == "Retention period over" and "CANARY" not in str(event.changes)

    log.sign_tree_head()
    call_command("verify_log")  # exits non-zero (SystemExit) on any problem
    assert log.verify().heads_checked >= 2


@pytest.mark.django_db
def test_it_purges_an_erased_source_and_its_sealed_identity(cast: Any) -> None:
    sample = make_sample(cast)
    source = Source.objects.get(pk=sample.source_a.pk)
    token = source.identity_sealed
    assert token.startswith("uf1:") and _found(token, _logical_dump())
    erasure.do_erase_source(source=source, acting_user=cast.dana, reason="Source asked to be forgotten")
    after = _logical_dump()
    assert _found(token, after) == []
    assert _found("CANARY-source-identity", after) == []
    assert not Source.history.model.objects.filter(id=sample.source_a.pk).exists()
    assert not Citation.objects.filter(source_id=sample.source_a.pk).exists()
    if connection.vendor == "sqlite":
        assert token.encode() not in _raw_sqlite()
    call_command("verify_log")


@pytest.mark.django_db
def test_it_refuses_an_erasure_without_a_reason(cast: Any) -> None:
    sample = make_sample(cast)
    with pytest.raises(ValidationError):
        erasure.do_erase_case(case=sample.case_a, acting_user=cast.dana, reason="  ")
    assert Case.objects.filter(pk=sample.case_a.pk).exists()

"""The data migrations that encrypt restricted values written before the encrypted field (issue 5)."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from unforgotten.advocacy.models import Intervention
from unforgotten.advocacy.testing import make_advocacy_sample
from unforgotten.evidence.models import EvidenceItem
from unforgotten.evidence.tests.helpers import client_for, post_file, put_on_team
from unforgotten.registry.models import Case
from unforgotten.registry.testing import make_sample

MIGRATIONS = [("registry", "0007_evidence_encrypt_restricted"), ("advocacy", "0002_evidence_encrypt_restricted"),
              ("evidence", "0004_encrypt_restricted")]


def _set_raw(table: str, column: str, pk: int, value: str) -> None:
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {qn(table)} SET {qn(column)} = %s WHERE id = %s", [value, pk])  # noqa: S608


def _raw(table: str, column: str, pk: int) -> str:
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {qn(column)} FROM {qn(table)} WHERE id = %s", [pk])  # noqa: S608
        return str(cursor.fetchone()[0])


@pytest.mark.django_db
def test_it_encrypts_plaintext_rows_with_the_migration_state_models(cast: Any, tmp_path: Any, settings: Any) -> None:
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    sample = make_sample(cast)
    adv = make_advocacy_sample(cast, sample)
    put_on_team(sample.person_a, cast.amal, cast)
    assert post_file(client_for(cast.amal), sample.person_a, "witness.txt", b"x\n").status_code == 302
    item = EvidenceItem.objects.get()
    # The rows as an installation upgraded from before the field holds them: plaintext.
    _set_raw("registry_case", "legal_strategy", sample.case_a.pk, "Old strategy")
    _set_raw("advocacy_intervention", "notes", adv.intervention.pk, "Old notes")
    _set_raw("evidence_evidenceitem", "display_name", item.pk, "old-name.txt")
    loader = MigrationLoader(connection)
    for app, name in MIGRATIONS:
        state_apps = loader.project_state((app, name)).apps
        module = importlib.import_module(f"unforgotten.{app}.migrations.{name}")
        module.encrypt_values(state_apps, None)
        module.encrypt_values(state_apps, None)  # a re-run changes nothing
    for table, column, pk in (("registry_case", "legal_strategy", sample.case_a.pk),
                              ("advocacy_intervention", "notes", adv.intervention.pk),
                              ("evidence_evidenceitem", "display_name", item.pk)):
        assert _raw(table, column, pk).startswith("uf1:"), table
    # ...and the running code reads them back under the same contexts.
    assert Case.objects.get(pk=sample.case_a.pk).legal_strategy == "Old strategy"
    assert Intervention.objects.get(pk=adv.intervention.pk).notes == "Old notes"
    assert EvidenceItem.objects.get(pk=item.pk).display_name == "old-name.txt"

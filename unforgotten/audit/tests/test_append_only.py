"""Audit events are append-only in the database itself, and written in the action's transaction."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from unforgotten.accounts import actions
from unforgotten.audit.actions import diff, record, sealed_digest
from unforgotten.audit.models import AuditEvent
from unforgotten.policy.sensitivity import Sensitivity


@pytest.mark.django_db
def test_it_refuses_update_and_delete_of_audit_rows_through_the_orm(cast: Any) -> None:
    with transaction.atomic():
        event = record("test.event", actor=cast.amal, organisation_id=cast.org_a.pk)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(reason="rewritten")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


@pytest.mark.django_db
def test_it_refuses_update_and_delete_in_raw_sql_as_the_application_role(cast: Any) -> None:
    # The application's own connection (its database role on PostgreSQL) is the one refused.
    with transaction.atomic():
        event = record("test.event", actor=cast.amal)
    for sql in ("UPDATE audit_auditevent SET action = 'x' WHERE id = %s", "DELETE FROM audit_auditevent WHERE id = %s"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, action="test.event").exists()


@pytest.mark.django_db
def test_it_writes_the_audit_event_in_the_same_transaction_as_the_change(cast: Any) -> None:
    before = AuditEvent.objects.count()
    membership = cast.org_a.memberships.get(user=cast.vera)
    actions.do_change_roles(membership=membership, roles=["viewer", "campaigner"], acting_user=cast.dana, reason="new campaign")
    event = AuditEvent.objects.latest("id")
    assert AuditEvent.objects.count() == before + 1
    assert (event.action, event.actor_id, event.organisation_id, event.reason) == (
        "accounts.change_roles", cast.dana.pk, cast.org_a.pk, "new campaign")
    assert event.changes == {"roles": [["viewer"], ["campaigner", "viewer"]]}


@pytest.mark.django_db(transaction=True)
def test_it_leaves_neither_change_nor_audit_when_the_action_fails(cast: Any) -> None:
    from django.core.exceptions import ValidationError

    before = AuditEvent.objects.count()
    dana_membership = cast.org_a.memberships.get(user=cast.dana)
    with pytest.raises(ValidationError, match="last admin"):
        actions.do_change_roles(membership=dana_membership, roles=["viewer"], acting_user=cast.dana)
    dana_membership.refresh_from_db()
    assert dana_membership.roles == ["org_admin"]
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_record_outside_a_transaction() -> None:
    with pytest.raises(RuntimeError, match="inside the action's transaction"):
        record("test.event")


def test_it_stores_sealed_values_only_as_keyed_hashes() -> None:
    changes = diff({"contact": "+7 900 000-00-00", "note": "a"}, {"contact": "+7 911 111-11-11", "note": "b"},
                   {"contact": Sensitivity.SEALED, "note": Sensitivity.INTERNAL})
    assert changes["note"] == ["a", "b"]
    assert changes["contact"] == [sealed_digest("+7 900 000-00-00"), sealed_digest("+7 911 111-11-11")]
    assert "+7 900 000-00-00" not in str(changes) and "900 000" not in str(changes)

"""Writing audit events. Only action functions call ``record``, inside their transaction."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from unforgotten.audit import log
from unforgotten.audit.models import AuditEvent
from unforgotten.core import context
from unforgotten.policy.sensitivity import Sensitivity

SEALED_MARK = "hmac-sha256:"


def sealed_digest(value: Any) -> str:
    """A keyed hash of a sealed value: proves a change without revealing the value.

    Keyed (HMAC) rather than a plain hash so that a short value (a phone number,
    a name) cannot be recovered by hashing guesses without the key.
    """
    key = hashlib.sha256(b"unforgotten.audit.sealed:" + settings.AUDIT_HASH_SECRET.encode()).digest()
    text = "" if value is None else str(value)
    return SEALED_MARK + hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)


def diff(
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    classes: Mapping[str, Sensitivity] | None = None,
) -> dict[str, list[Any]]:
    """{field: [before, after]} for the fields that changed; sealed fields hashed."""
    classes = classes or {}
    out: dict[str, list[Any]] = {}
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        # Restricted values too (helper "backup", issue 5 item 7): audit rows cannot be erased,
        # so they keep only keyed digests of anything an erasure must be able to purge.
        if classes.get(name, Sensitivity.INTERNAL) >= Sensitivity.RESTRICTED:
            out[name] = [sealed_digest(old) if old is not None else None, sealed_digest(new) if new is not None else None]
        else:
            out[name] = [_jsonable(old), _jsonable(new)]
    return out


def record(
    action: str,
    *,
    actor: Any = None,
    organisation_id: int | None = None,
    obj: Any = None,
    object_type: str = "",
    object_id: str | int = "",
    reason: str = "",
    changes: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event. Must run inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must run inside the action's transaction")
    if obj is not None:
        object_type = object_type or f"{obj._meta.app_label}.{obj._meta.model_name}"
        object_id = object_id or obj.pk
        if organisation_id is None:
            organisation_id = getattr(obj, "organisation_id", None)
    actor_id = None
    actor_label = ""
    if actor is not None and getattr(actor, "is_authenticated", False):
        actor_id = actor.pk
        actor_label = getattr(actor, "email", "") or str(actor)
    elif isinstance(actor, str):
        actor_label = actor
    # Tamper-evident log: lock first, so this event's id follows the log's order.
    log.lock_for_append()
    event = AuditEvent.objects.create(
        at=timezone.now(),
        actor_id=actor_id,
        actor_label=actor_label[:254],
        organisation_id=organisation_id,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        request_id=context.request_id.get(),
        reason=reason,
        changes=_jsonable(dict(changes or {})),
    )
    log.append_leaf("audit", log.audit_entry(event), ref=str(event.pk))
    return event


@transaction.atomic
def record_read(what: str, *, actor: Any, obj: Any, fields: list[str] | tuple[str, ...], reason: str = "") -> AuditEvent:
    """Reading restricted or sealed data is an event too: who read which fields of which record.

    Only field names are kept, never the values. Not ``durable``: a view may
    call it while rendering inside a request-wide transaction.
    """
    return record(what, actor=actor, obj=obj, reason=reason, changes={"read": [None, sorted(fields)]})

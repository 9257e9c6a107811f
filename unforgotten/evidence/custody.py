"""Custody events as leaves of the tamper-evident log (docs/decisions/0010-merkle-log.md).

Each event is written by :func:`append` inside the act's own transaction: the
log lock first (so the row's id follows log order), then the row, then its leaf
(the SHA-256 of the canonical JSON below). ``verify-log`` re-serialises the
rows through :func:`leaf_source` and names the first altered, removed or
reordered one. The leaf format is frozen at version 1.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC
from typing import Any

from django.db import transaction
from django.utils import timezone

from unforgotten.audit import log
from unforgotten.core import context
from unforgotten.evidence.models import CustodyEvent, EvidenceItem

LEAF_KIND = "custody"
ENTRY_VERSION = 1
_FIELDS = ("id", "at", "item__uuid", "organisation_id", "actor_id", "actor_label", "action", "purpose",
           "resulting_sha256", "detail", "request_id")


def entry_from_values(values: Sequence[Any]) -> bytes:
    """Leaf bytes of a custody row from its values in ``_FIELDS`` order (format v1: never change it)."""
    obj = dict(zip(_FIELDS, values, strict=True))
    obj["item"] = str(obj.pop("item__uuid"))
    obj["at"] = obj["at"].astimezone(UTC).isoformat(timespec="microseconds")
    obj["kind"] = LEAF_KIND
    obj["v"] = ENTRY_VERSION
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False).encode("ascii")


def leaf_source() -> Iterator[tuple[str, bytes]]:
    rows = CustodyEvent.objects.order_by("id").values_list(*_FIELDS).iterator(chunk_size=5000)
    for values in rows:
        yield str(values[0]), entry_from_values(values)


def append(item: EvidenceItem, action: str, *, actor: Any, purpose: str = "", resulting_sha256: str = "",
           detail: Mapping[str, Any] | None = None) -> CustodyEvent:
    """Write one custody event and its log leaf; must run inside the act's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("a custody event is written inside the act's transaction")
    actor_id = None
    label = ""
    if actor is not None and getattr(actor, "is_authenticated", False):
        actor_id = actor.pk if int(actor.pk) > 0 else None  # an API token has no user row
        label = getattr(actor, "email", "") or str(actor)
    elif isinstance(actor, str):
        label = actor
    log.lock_for_append()
    event = CustodyEvent.objects.create(
        item=item, organisation_id=item.organisation_id, at=timezone.now(), actor_id=actor_id,
        actor_label=label[:254], action=action, purpose=purpose, resulting_sha256=resulting_sha256,
        detail=dict(detail or {}), request_id=context.request_id.get() or "",
    )
    values = [getattr(event, name) if name != "item__uuid" else item.uuid for name in _FIELDS]
    log.append_leaf(LEAF_KIND, entry_from_values(values), ref=str(event.pk))
    return event

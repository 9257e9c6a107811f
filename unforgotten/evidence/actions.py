"""Every change to evidence: one action function each, its audit event and custody event in one transaction.

Files and rows: an upload is already encrypted and fsync'd in the store's
``tmp/`` when :func:`ingest` runs. ``ingest`` checks it (size, the client's
hash, what the content is) and either discards it or hands it to
:func:`do_ingest_evidence`, which writes the rows and, last inside the
transaction, renames the file into ``objects/``. If the transaction fails, the
file is removed again, so no row ever points to a missing file and no
committed file lacks a row (a crash between the rename and the commit can leave
an orphan ciphertext, never a row without its file).
"""

from __future__ import annotations

import io
import logging
import re
import uuid as uuid_mod
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction

from unforgotten.audit.actions import record
from unforgotten.evidence import custody, derivatives, sniff, store
from unforgotten.evidence.models import CollectionMethod, CustodyAction, EvidenceItem, Role
from unforgotten.registry.models import Case, Person, Source

logger = logging.getLogger(__name__)
HEX64 = re.compile(r"[0-9a-f]{64}")
# Records of a person an item may also be about (a generic target, like registry.Citation).
TARGETS: dict[str, type[models.Model]] = {"registry.case": Case}


def normalise_client_hash(value: str | None) -> str:
    """The client's SHA-256 as 64 lower-case hex digits, or "" when none was sent."""
    text = (value or "").strip().lower()
    if text.startswith("sha-256="):
        text = text[len("sha-256="):]
    if not text:
        return ""
    if not HEX64.fullmatch(text):
        raise ValidationError({"sha256": "The SHA-256 must be 64 hexadecimal digits."})
    return text


@dataclass(frozen=True)
class Metadata:
    title: str
    description: str = ""
    source: Source | None = None
    target: models.Model | None = None
    collection_method: str = CollectionMethod.RECEIVED
    collected_url: str = ""
    collected_on: date | None = None
    purpose: str = ""


def check_upload(sealed: store.SealedFile, *, file_name: str, client_sha256: str) -> sniff.Kind:
    """Refuse what must not be stored; the kind of file otherwise. Raises ValidationError."""
    if sealed.size == 0:
        raise ValidationError({"file": "The file is empty (0 bytes): nothing was stored."})
    limit = settings.EVIDENCE_MAX_BYTES
    if sealed.size > limit:
        raise ValidationError({"file": f"The file is larger than the limit of {limit:,} bytes: nothing was stored."})
    if client_sha256 and client_sha256 != sealed.sha256:
        raise ValidationError({"sha256": "The file that arrived does not match the SHA-256 you sent: it was changed "
                                         "or cut off on the way. Nothing was stored; send it again."})
    kind = sniff.sniff(sealed.head)
    if sniff.extension_contradicts(file_name, kind):
        raise ValidationError({"file": f"The file's content is {kind.label.split(' (')[0]}, but its name "
                                       f"“{file_name}” says otherwise. A disguised web page or drawing is not "
                                       "stored; upload it under its real name if it is evidence."})
    return kind


def _check_links(person: Person, meta: Metadata) -> tuple[str, int | None]:
    if meta.source is not None and meta.source.organisation_id != person.organisation_id:
        raise ValidationError({"source": "That source belongs to another organisation."})
    if meta.target is None:
        return "", None
    label = f"{meta.target._meta.app_label}.{meta.target._meta.model_name}"
    if label not in TARGETS or getattr(meta.target, "person_id", None) != person.pk:
        raise ValidationError({"target": "Evidence can be linked only to a case of the same person."})
    return label, int(meta.target.pk)


def ingest(*, person: Person, sealed: store.SealedFile, item_uuid: str, file_name: str, client_sha256: str,
           meta: Metadata, acting_user: Any) -> EvidenceItem:
    """Check an encrypted upload and store it as an original, or discard it with a clear error."""
    try:
        kind = check_upload(sealed, file_name=file_name, client_sha256=client_sha256)
        return do_ingest_evidence(person=person, sealed=sealed, item_uuid=item_uuid, kind=kind,
                                  display_name=sniff.display_name(file_name), client_sha256=client_sha256,
                                  meta=meta, acting_user=acting_user)
    except BaseException:
        sealed.discard()
        with suppress(ValueError, OSError):
            store.discard(sealed.storage_name)
        raise


@transaction.atomic(durable=True)
def do_ingest_evidence(*, person: Person, sealed: store.SealedFile, item_uuid: str, kind: sniff.Kind,
                       display_name: str, client_sha256: str, meta: Metadata, acting_user: Any) -> EvidenceItem:
    target_type, target_id = _check_links(person, meta)
    if not meta.title.strip():
        raise ValidationError({"title": "Give the item a title."})
    item = EvidenceItem(
        uuid=uuid_mod.UUID(item_uuid), organisation_id=person.organisation_id, person=person, source=meta.source,
        target_type=target_type, target_id=target_id, role=Role.ORIGINAL, title=meta.title.strip()[:200],
        description=meta.description, display_name=display_name, media_type=kind.media_type,
        kind_label=kind.label, scriptable=kind.scriptable, size=sealed.size, sha256=sealed.sha256,
        client_sha256=client_sha256, storage_name=sealed.storage_name, key_id=sealed.key_id,
        collection_method=meta.collection_method, collected_url=meta.collected_url, collected_on=meta.collected_on,
        created_by=acting_user if getattr(acting_user, "pk", 0) and int(acting_user.pk) > 0 else None,
    )
    item.full_clean(exclude=["created_by", "person", "source", "parent", "organisation"])
    item.save()
    record("evidence.ingest", actor=acting_user, obj=item, reason=meta.purpose,
           changes={"item": [None, str(item.uuid)], "sha256": [None, sealed.sha256], "size": [None, sealed.size],
                    "media_type": [None, kind.media_type]})
    custody.append(item, CustodyAction.INGESTED, actor=acting_user, purpose=meta.purpose,
                   resulting_sha256=sealed.sha256,
                   detail={"size": sealed.size, "media_type": kind.media_type,
                           "client_hash_checked": bool(client_sha256), "source": meta.source.label if meta.source else ""})
    sealed.commit()  # last: a failure above leaves no file in objects/
    return item


@transaction.atomic(durable=True)
def do_view_evidence(*, item: EvidenceItem, acting_user: Any) -> None:
    """Reading an item's page (its metadata and history) is a custody event."""
    custody.append(item, CustodyAction.VIEWED, actor=acting_user)


@transaction.atomic(durable=True)
def do_download_evidence(*, item: EvidenceItem, acting_user: Any, reason: str) -> None:
    """Handing out the bytes: audited with the reason, before the first byte leaves."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why you need the file."})
    record("evidence.download", actor=acting_user, obj=item, reason=reason,
           changes={"item": [None, str(item.uuid)], "role": [None, item.role]})
    custody.append(item, CustodyAction.DOWNLOADED, actor=acting_user, purpose=reason, resulting_sha256=item.sha256)


@transaction.atomic(durable=True)
def do_record_custody(*, item: EvidenceItem, action: str, acting_user: Any, purpose: str,
                      detail: Mapping[str, Any] | None = None) -> None:
    """For other apps: an export of the item or a share with a partner, in the exporter's words."""
    if action not in (CustodyAction.EXPORTED, CustodyAction.SHARED):
        raise ValueError("other apps record exports and shares only")
    record(f"evidence.{action}", actor=acting_user, obj=item, reason=purpose, changes={"item": [None, str(item.uuid)]})
    custody.append(item, action, actor=acting_user, purpose=purpose, resulting_sha256=item.sha256, detail=detail)


def make_derivative(*, item: EvidenceItem, acting_user: Any, reason: str) -> EvidenceItem:
    """Decrypt an original picture, strip its metadata, store the result encrypted as a linked derivative."""
    if not item.is_original:
        raise ValidationError("Derivatives are made from originals.")
    if not derivatives.can_derive(item.media_type):
        raise ValidationError("Derivatives can be made of JPEG, PNG, GIF, WebP and TIFF pictures and PDFs only.")
    if item.size > derivatives.MAX_SOURCE_BYTES:
        raise ValidationError("This file is too large to make a derivative of here.")
    buffer = io.BytesIO()
    for piece in store.iter_plaintext(item.storage_name, str(item.uuid)):
        buffer.write(piece)
    clean, media_type, ext, removed = derivatives.strip(buffer.getvalue(), item.media_type)
    del buffer
    child_uuid = str(uuid_mod.uuid4())
    sealed = store.seal_bytes(child_uuid, clean)
    try:
        return do_make_derivative(item=item, sealed=sealed, child_uuid=child_uuid, media_type=media_type, ext=ext,
                                  acting_user=acting_user, reason=reason, removed=removed)
    except BaseException:
        sealed.discard()
        with suppress(ValueError, OSError):
            store.discard(sealed.storage_name)
        raise


@transaction.atomic(durable=True)
def do_make_derivative(*, item: EvidenceItem, sealed: store.SealedFile, child_uuid: str, media_type: str, ext: str,
                       acting_user: Any, reason: str,
                       removed: str = derivatives.REMOVED_PICTURE) -> EvidenceItem:
    kind = sniff.sniff(sealed.head)
    stem = item.display_name.rsplit(".", 1)[0] if "." in item.display_name else item.display_name
    child = EvidenceItem.objects.create(
        uuid=uuid_mod.UUID(child_uuid), organisation_id=item.organisation_id, person_id=item.person_id,
        source_id=item.source_id, target_type=item.target_type, target_id=item.target_id, role=Role.REDACTED,
        parent=item, title=f"{item.title} (metadata removed)"[:200], description=item.description,
        display_name=sniff.display_name(f"{stem}-redacted{ext}"), media_type=media_type, kind_label=kind.label,
        scriptable=False, size=sealed.size, sha256=sealed.sha256, storage_name=sealed.storage_name,
        key_id=sealed.key_id, collection_method=item.collection_method, collected_on=item.collected_on,
        created_by=acting_user if getattr(acting_user, "pk", 0) and int(acting_user.pk) > 0 else None,
    )
    record("evidence.derive", actor=acting_user, obj=item, reason=reason,
           changes={"original": [None, str(item.uuid)], "derivative": [None, child_uuid],
                    "sha256": [None, sealed.sha256]})
    custody.append(item, CustodyAction.REDACTED, actor=acting_user, purpose=reason, resulting_sha256=sealed.sha256,
                   detail={"derivative": child_uuid, "removed": removed})
    custody.append(child, CustodyAction.INGESTED, actor=acting_user, purpose=reason, resulting_sha256=sealed.sha256,
                   detail={"derived_from": str(item.uuid), "size": sealed.size, "media_type": media_type})
    sealed.commit()
    return child


@transaction.atomic(durable=True)
def do_set_publishable(*, item: EvidenceItem, publishable: bool, acting_user: Any, reason: str) -> EvidenceItem:
    if item.is_original and publishable:
        raise ValidationError("An original is never published: make a redacted derivative and publish that.")
    if item.publishable == publishable:
        return item
    record("evidence.set_publishable", actor=acting_user, obj=item, reason=reason,
           changes={"publishable": [item.publishable, publishable]})
    EvidenceItem.objects.filter(pk=item.pk).update(publishable=publishable)
    item.publishable = publishable
    if publishable:
        custody.append(item, CustodyAction.MARKED_PUBLISHABLE, actor=acting_user, purpose=reason,
                       resulting_sha256=item.sha256)
    return item


@transaction.atomic(durable=True)
def do_record_fixity(*, item: EvidenceItem, ok: bool, found_sha256: str, problem: str, acting_user: Any) -> None:
    """One fixity check of one file, with its result; a failure is also an audit event and an alert."""
    from django.utils import timezone

    now = timezone.now()
    EvidenceItem.objects.filter(pk=item.pk).update(last_fixity_at=now, last_fixity_ok=ok)
    item.last_fixity_at, item.last_fixity_ok = now, ok
    action = CustodyAction.HASH_VERIFIED if ok else CustodyAction.HASH_FAILED
    custody.append(item, action, actor=acting_user, purpose="scheduled fixity check", resulting_sha256=found_sha256,
                   detail={"expected": item.sha256} if ok else {"expected": item.sha256, "problem": problem})
    if not ok:
        report_fixity_failure(item=item, found_sha256=found_sha256, problem=problem, acting_user=acting_user)


def report_fixity_failure(*, item: EvidenceItem, found_sha256: str, problem: str, acting_user: Any) -> None:
    """The alert for a failed fixity check: an audit event and an e-mail to the organisation's admins.

    Runs in the caller's transaction (the e-mail is queued in the outbox and
    leaves only if the failure is committed). One e-mail per item per day: a
    file that stays damaged is reported again by the next day's run, not by
    every re-run of the same day. The alerts app, when it arrives, is wired here.
    """
    from django.utils import timezone

    from unforgotten.core import outbox
    from unforgotten.evidence import alerts

    record("evidence.fixity_failed", actor=acting_user, obj=item, reason=problem,
           changes={"item": [None, str(item.uuid)], "expected": [None, item.sha256], "found": [None, found_sha256]})
    recipients = alerts.admin_addresses(item.organisation_id)
    if not recipients:
        logger.error("evidence fixity failed for item %s and the organisation has no coordinator to tell", item.uuid)
        return
    outbox.enqueue_email(kind="evidence.fixity_failed", to=recipients, subject=alerts.SUBJECT,
                         body=alerts.fixity_body(str(item.uuid), problem), organisation_id=item.organisation_id,
                         dedupe_key=f"evidence.fixity_failed:{item.uuid}:{timezone.localdate().isoformat()}")

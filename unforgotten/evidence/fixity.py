"""The fixity job: re-hash every stored file (decrypting it) and record each check as a custody event.

A file passes when it decrypts (every chunk authenticates under the item's
id), its plaintext SHA-256 and size equal the item's record, and that record
still equals the hash written into the tamper-evident log at ingest (the
item's first custody event). So a flipped byte in the stored ciphertext and an
edited hash in the database are both caught. A failure is an audit event
``evidence.fixity_failed`` and an e-mail to the organisation's admins.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from unforgotten.core.crypto import DecryptionError
from unforgotten.evidence import actions, store
from unforgotten.evidence.models import CustodyAction, CustodyEvent, EvidenceItem

ACTOR = "fixity-job"


@dataclass
class Report:
    checked: int = 0
    failed: list[str] = field(default_factory=list)  # item uuids
    swept: int = 0


def check_item(item: EvidenceItem) -> tuple[bool, str, str]:
    """(ok, SHA-256 found, problem) for one item; reads the whole file once."""
    ingested = (CustodyEvent.objects.filter(item=item, action=CustodyAction.INGESTED)
                .order_by("id").values_list("resulting_sha256", flat=True).first())
    try:
        size, found = store.rehash(item.storage_name, str(item.uuid))
    except FileNotFoundError:
        return False, "", "the stored file is missing"
    except (DecryptionError, ValueError) as exc:
        return False, "", f"the stored file cannot be decrypted: it was altered or truncated ({exc})"
    if ingested is not None and ingested != item.sha256:
        return False, found, "the item's recorded SHA-256 differs from the one logged at ingest (the record was edited)"
    if found != item.sha256 or size != item.size:
        return False, found, "the file's SHA-256 or size differs from the one recorded at ingest"
    return True, found, ""


def check_all(*, progress: Callable[[str], None] | None = None, sweep: bool = True) -> Report:
    report = Report()
    for pk in EvidenceItem.objects.order_by("id").values_list("pk", flat=True).iterator(chunk_size=1000):
        item = EvidenceItem.objects.get(pk=pk)
        ok, found, problem = check_item(item)
        actions.do_record_fixity(item=item, ok=ok, found_sha256=found, problem=problem, acting_user=ACTOR)
        report.checked += 1
        if not ok:
            report.failed.append(str(item.uuid))
            if progress is not None:
                progress(f"FAILED {item.uuid}: {problem}")
    if sweep:
        from unforgotten.evidence.erasure import delete_orphans

        report.swept = store.sweep_temporary() + delete_orphans()
    return report

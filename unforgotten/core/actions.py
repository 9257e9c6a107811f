"""Key management changes: every one audited, in the same transaction as the change."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from unforgotten.audit.actions import record
from unforgotten.core import keyring


@transaction.atomic(durable=True)
def do_rotate_keys(*, data_keys: tuple[str, ...] = (), acting_user: Any) -> dict[str, Any]:
    """Adopt pre-keyring keys, optionally replace data keys, and re-wrap every data key under the current KEK.

    Only the small wrapped keys change; no value or file is rewritten, so the
    platform keeps serving throughout (docs/decisions/0009-keyring.md).
    """
    adopted = keyring.adopt_legacy_keys()
    new_keys = keyring.rotate_data_keys(data_keys) if data_keys else {}
    rewrapped = keyring.rewrap_data_keys()
    kek = keyring.check_kek()
    record("core.rotate_keys", actor=acting_user, object_type="core.datakey",
           changes={"kek": [None, kek], "rewrapped": [None, rewrapped], "adopted": [None, adopted],
                    "new_data_keys": [None, new_keys]})
    return {"kek": kek, "rewrapped": rewrapped, "adopted": adopted, "new_data_keys": new_keys}


def do_reencrypt_sealed_fields(*, batch_size: int, acting_user: Any, progress: Any = None) -> keyring.ReencryptReport:
    """Re-seal old sealed values under the active key, batch by batch, then record what was done.

    Not one transaction: each batch commits on its own so live traffic is never
    blocked for long; a crash half-way leaves every value readable (old or new).
    """
    from unforgotten.core.encrypted import reencrypt_restricted_fields

    report = keyring.reencrypt_sealed_fields(batch_size=batch_size, progress=progress)
    # Restricted values too (decision 0019).
    restricted = reencrypt_restricted_fields(batch_size=batch_size, progress=progress)
    report.changed += restricted.changed
    report.current += restricted.current
    report.skipped += restricted.skipped
    with transaction.atomic(durable=True):
        record("core.reencrypt_sealed_fields", actor=acting_user, object_type="core.datakey",
               changes={"changed": [None, report.changed], "already_current": [None, report.current],
                        "skipped": [None, len(report.skipped)]})
    return report

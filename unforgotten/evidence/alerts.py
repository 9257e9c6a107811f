"""Who hears about a failed fixity check, and what the message says.

The organisation's coordinators are its admins (role ``org_admin``): the people
who answer for its records. The message leaves through the outbox
(``core/outbox.py``), queued in the fixity action's transaction, and names the
item by its id and the problem only — no file name, title or person, since mail
leaves the server. ``evidence.actions.report_fixity_failure`` is the one place
that raises the alert; when the alerts app arrives it points there.
"""

from __future__ import annotations

from unforgotten.accounts.models import Membership, Role

SUBJECT = "[Unforgotten] Evidence fixity check FAILED"


def coordinator_addresses(organisation_id: int) -> list[str]:
    rows = Membership.objects.filter(organisation_id=organisation_id, is_active=True, user__is_active=True)
    return sorted({m.user.email for m in rows.select_related("user")
                   if Role.ORG_ADMIN.value in (m.roles or []) and m.user.email})


def fixity_body(item_uuid: str, problem: str) -> str:
    return (
        "An evidence file failed its scheduled fixity check: the stored file no longer matches the SHA-256\n"
        "recorded when it was ingested, or cannot be decrypted.\n\n"
        f"Item: {item_uuid}\nProblem: {problem}\n\n"
        "Open the item in the workspace to see its custody history, and restore the file from a backup.\n"
    )

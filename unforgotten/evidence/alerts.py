"""Who hears about a failed fixity check, and what the message says.

It goes to the organisation's admins (``manage_members``): the people who
answer for its records and can restore them. (Coordinators, decision 0026, hear
about urgent alerts and neglected cases; a damaged file is a records matter.) The message leaves through the outbox
(``core/outbox.py``), queued in the fixity action's transaction, and names the
item by its id and the problem only — no file name, title or person, since mail
leaves the server. ``evidence.actions.report_fixity_failure`` is the one place
that raises the alert; when the alerts app arrives it points there.
"""

from __future__ import annotations

from unforgotten import policy

SUBJECT = "[Unforgotten] Evidence fixity check FAILED"


def admin_addresses(organisation_id: int) -> list[str]:
    return sorted({u.email for u in policy.members_holding(organisation_id, "manage_members") if u.email})


def fixity_body(item_uuid: str, problem: str) -> str:
    return (
        "An evidence file failed its scheduled fixity check: the stored file no longer matches the SHA-256\n"
        "recorded when it was ingested, or cannot be decrypted.\n\n"
        f"Item: {item_uuid}\nProblem: {problem}\n\n"
        "Open the item in the workspace to see its custody history, and restore the file from a backup.\n"
    )

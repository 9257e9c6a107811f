"""Telling an organisation's admins that an evidence file failed its fixity check.

By e-mail through Django's mail (the alerts app does not exist yet; when it
does, this becomes one of its channels). The message names the item by its id
and the problem only: no file name, title or person, since mail leaves the server.
"""

from __future__ import annotations

import logging

from django.core.mail import send_mail

from unforgotten.accounts.models import Membership

logger = logging.getLogger(__name__)


def admin_addresses(organisation_id: int) -> list[str]:
    rows = Membership.objects.filter(organisation_id=organisation_id, is_active=True, user__is_active=True)
    return sorted({m.user.email for m in rows.select_related("user") if "org_admin" in (m.roles or []) and m.user.email})


def mail_admins_about(organisation_id: int, item_uuid: str, problem: str) -> int:
    recipients = admin_addresses(organisation_id)
    if not recipients:
        logger.error("evidence fixity failed for item %s and the organisation has no admin to tell", item_uuid)
        return 0
    body = (
        "An evidence file failed its scheduled fixity check: the stored file no longer matches the SHA-256\n"
        "recorded when it was ingested, or cannot be decrypted.\n\n"
        f"Item: {item_uuid}\nProblem: {problem}\n\n"
        "Open the item in the workspace to see its custody history, and restore the file from a backup.\n"
    )
    try:
        return send_mail("[Unforgotten] Evidence fixity check FAILED", body, None, recipients)
    except OSError:
        logger.exception("could not send the fixity alert for item %s", item_uuid)
        return 0

"""Background work of the registry (Django's tasks framework)."""

from __future__ import annotations

from django.tasks import task


@task()
def find_duplicates_task(organisation_id: int | None = None) -> dict[str, int]:
    """``find-duplicates`` as a background task (one organisation, or all)."""
    from unforgotten.accounts.models import Organisation
    from unforgotten.registry.duplicates import find_duplicates

    orgs = Organisation.objects.filter(is_active=True)
    if organisation_id is not None:
        orgs = orgs.filter(pk=organisation_id)
    return find_duplicates(orgs)


# --- retention (issue 5, helper "evidence") ---------------------------------------------------------
from datetime import timedelta  # noqa: E402

from unforgotten.core import schedule  # noqa: E402


@schedule.periodic("registry.retention", every=timedelta(days=1), timeout=timedelta(hours=2))
def erase_past_retention_daily() -> str:
    """Erase every person whose retention date has passed (registry/erasure.py), each in its own transaction."""
    from unforgotten.registry.erasure import erase_past_retention

    erased, problems = erase_past_retention()
    return f"erased {erased} people past their retention date" + (f"; not erased: {problems}" if problems else "")

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

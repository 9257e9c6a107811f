"""Demo alerts and monitoring for ``unforgotten demo-data``: open alerts, a roster, contacts, an urgent action.

Fictional, written through the action functions as Dana, the admin of Rights Watch, so the
demo's board at /work/alerts/, the monitoring list and /en/urgent/ have something to show.
Runs once: skipped when Rights Watch already has alerts.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone

from unforgotten.accounts.models import Organisation
from unforgotten.alerts import actions
from unforgotten.alerts.models import Alert
from unforgotten.monitoring import actions as monitoring
from unforgotten.registry.models import Case
from unforgotten.registry.vocabularies import DETAINED_STATUSES


def write(users: dict[str, Any], progress: Callable[[str], object]) -> None:
    org = Organisation.objects.filter(slug="rights-watch").first()
    dana = users.get("dana@example.org")
    if org is None or dana is None or Alert.objects.filter(organisation=org).exists():
        return
    now = timezone.now()
    today = timezone.localdate()
    actions.do_add_shift(organisation=org, user=dana, starts_at=now - timedelta(hours=2),
                         ends_at=now + timedelta(days=7), note="demo week", acting_user=dana)
    cases = list(Case.objects.filter(organisation=org, person__merged_into__isnull=True,
                                     person__current_status__in=list(DETAINED_STATUSES))
                 .select_related("person").order_by("id")[:5])
    for n, case in enumerate(cases):
        monitoring.do_log_contact(case=case, data={"kind": ("family_visit", "letter_received", "call")[n % 3],
                                                   "occurred_on": today - timedelta(days=7 + 12 * n),
                                                   "summary": "Demo contact: in reasonable spirits."},
                                  acting_user=dana)
    if cases:
        first = cases[0]
        actions.do_raise_alert(case=first, data={"kind": "hunger_strike", "severity": "critical",
                                                 "summary": "Demo: on hunger strike since Monday."}, acting_user=dana)
        transfer = actions.do_raise_alert(case=cases[-1], data={
            "kind": "transfer", "severity": "high", "occurred_on": today - timedelta(days=1),
            "summary": "Demo: moved at night; the family was not told where."}, acting_user=dana)
        actions.do_move_alert(alert=transfer, to="verified", acting_user=dana)
        actions.do_save_public_text(alert=transfer, language="en", data={
            "title": "Demo: activist moved to an unknown place",
            "situation": "Moved from the pre-trial prison at night; the family was not told where.",
            "what_to_do": "Write to the prosecutor's office and ask where she is held.\n"
                          "Share this page with your representatives."}, acting_user=dana)
        actions.do_publish_alert(alert=transfer, acting_user=dana)
    progress(f"Demo alerts: {Alert.objects.filter(organisation=org).count()} alerts, contacts on {len(cases)} cases.")

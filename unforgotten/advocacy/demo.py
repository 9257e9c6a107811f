"""Demo advocacy for ``unforgotten demo-data``: stakeholders, interventions (some overdue), a deadline, a UN case.

Fictional, written through the action functions as Dana, the admin of Rights
Watch, so the demo's dashboard at /work/advocacy/ has something to show. Runs
once: skipped when Rights Watch already has stakeholders.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone

from unforgotten.accounts.models import Organisation
from unforgotten.advocacy import actions
from unforgotten.advocacy.models import Stakeholder
from unforgotten.registry.models import Case

STAKEHOLDERS = (
    {"kind": "embassy", "name": "Embassy of Norway (demo)", "country": "NO", "role": "Human rights officer",
     "email": "human-rights@embassy.example.org"},
    {"kind": "un_mechanism", "name": "Working Group on Arbitrary Detention (demo)", "email": "wgad@un.example.org"},
    {"kind": "parliamentarian", "name": "Ingrid Example MP (demo)", "country": "DE"},
    {"kind": "journalist", "name": "A foreign correspondent (demo)", "country": "FR"},
)


def write(users: dict[str, Any], progress: Callable[[str], object]) -> None:
    org = Organisation.objects.filter(slug="rights-watch").first()
    dana = users.get("dana@example.org")
    if org is None or dana is None or Stakeholder.objects.filter(organisation=org).exists():
        return
    today = timezone.localdate()
    stakeholders = [actions.do_add_stakeholder(organisation=org, data=data, acting_user=dana) for data in STAKEHOLDERS]
    embassy, wgad, mp = stakeholders[0], stakeholders[1], stakeholders[2]
    cases = list(Case.objects.filter(organisation=org, person__merged_into__isnull=True).select_related("person")
                 .order_by("id")[:6])
    for n, case in enumerate(cases):
        actions.do_record_intervention(case=case, stakeholder=embassy, data={
            "occurred": str(today - timedelta(days=30 + 25 * n)), "method": "bilateral_meeting",
            "asked": "Raise the case with the authorities and ask for consular access.", "outcome": "raised"},
            acting_user=dana)
        actions.do_set_cadence_rule(case=case, stakeholder=embassy, every_days=60, acting_user=dana)
    if cases:
        first = cases[0]
        actions.do_add_legal_action(case=first, data={
            "kind": "appeal", "forum": "Supreme Court (demo)", "deadline": today + timedelta(days=10),
            "status": "preparing", "responsible": dana}, acting_user=dana)
        actions.do_add_un_communication(case=first, data={
            "mechanism": "wgad", "submitted_on": today - timedelta(days=75), "reference": "DEMO-WGAD-1"},
            acting_user=dana)
        actions.do_adopt(person=first.person, data={"adopter_kind": "parliamentarian", "adopter_name": mp.name,
                                                    "stakeholder": mp, "started_on": today - timedelta(days=20)},
                         acting_user=dana)
        actions.do_record_intervention(case=first, stakeholder=wgad, data={
            "occurred": str(today - timedelta(days=75)), "method": "letter", "outcome": "acknowledged"},
            acting_user=dana)
    progress(f"Demo advocacy: {len(stakeholders)} stakeholders, cadence rules on {len(cases)} cases.")

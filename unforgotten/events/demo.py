"""Demo events for ``unforgotten demo-data``: the seeded action days, a vigil with its address given after RSVP,
and trial-monitoring events from the demo's open hearings. Written through the action functions; runs once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone

from unforgotten.accounts.models import Organisation
from unforgotten.events import actions
from unforgotten.events.models import Event


def write(users: dict[str, Any], progress: Callable[[str], object]) -> None:
    org = Organisation.objects.filter(slug="rights-watch").first()
    dana = users.get("dana@example.org")
    reviewer = users.get("bilal@example.org") or next((u for k, u in users.items() if u is not dana), None)
    if org is None or dana is None or Event.objects.filter(organisation=org).exists():
        return
    actions.do_seed_action_days(organisation=org, acting_user=dana)
    start = (timezone.now() + timedelta(days=14)).replace(hour=18, minute=0, second=0, microsecond=0)
    vigil = actions.do_create_event(organisation=org, acting_user=dana, data={
        "slug": "candle-vigil-demo", "kind": "vigil", "starts_at": start, "ends_at": start + timedelta(hours=2),
        "timezone": "Europe/London", "country": "GB", "details_after_rsvp": True,
        "hidden_location": "Opposite the embassy, 1 Demo Street (fictional)"})
    actions.do_set_text(event=vigil, language="en", title="Candle vigil for the journalists (demo)",
                        description="Bring a candle; we read their names at seven.", acting_user=dana)
    actions.do_submit_event(event=vigil, acting_user=dana)
    if reviewer is not None:
        actions.do_publish_event(event=vigil, acting_user=reviewer)
    made = actions.do_sync_hearings(organisation=org, acting_user=dana)
    progress(f"demo events: 2 action days, 1 vigil, {made} hearing(s) to monitor")

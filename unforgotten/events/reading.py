"""Counts and audiences: what the public and the organisers read about RSVPs (never an address)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from unforgotten import policy
from unforgotten.events import timing
from unforgotten.events.models import Attendance, AttendanceState, Event, Role
from unforgotten.policy.projection import PUBLIC, Audience


def going(slug: str, now: datetime | None = None) -> tuple[int, datetime] | None:
    """Confirmed RSVPs to the coming occurrence and the moment they were counted ("as of"); None without RSVP.

    A COUNT over one event's rows for its next occurrence (an index covers it): an
    event gathers hundreds, not the millions a petition may, and the page that shows
    it is stored for everyone, so the count runs once per store period, not per reader.
    """
    now = now or timezone.now()
    event = Event.objects.filter(slug=slug).first()
    if event is None or not event.rsvp_open:
        return None
    start, _end = timing.occurrence(event, now)
    count = Attendance.objects.filter(event=event, occurrence_starts_at=start, state=AttendanceState.CONFIRMED).count()
    return count, now


def counts(event: Event, now: datetime | None = None) -> dict[str, Any]:
    """For the organisers: pending, confirmed, cancelled and monitors, for the coming occurrence and in all."""
    now = now or timezone.now()
    start, _end = timing.occurrence(event, now)
    rows = Attendance.objects.filter(event=event)
    totals = rows.aggregate(
        pending=Count("pk", filter=Q(state=AttendanceState.PENDING, occurrence_starts_at=start)),
        confirmed=Count("pk", filter=Q(state=AttendanceState.CONFIRMED, occurrence_starts_at=start)),
        cancelled=Count("pk", filter=Q(state=AttendanceState.CANCELLED, occurrence_starts_at=start)),
        monitors=Count("pk", filter=Q(state=AttendanceState.CONFIRMED, occurrence_starts_at=start,
                                      role=Role.MONITOR)),
        confirmed_all_time=Count("pk", filter=Q(state=AttendanceState.CONFIRMED)),
    )
    return {**{k: int(v or 0) for k, v in totals.items()}, "occurrence": start, "as_of": now}


def organiser_audience(user: Any, event: Event) -> Audience:
    """Campaigners of the owning organisation read the hidden place and link (they wrote them); others see less."""
    if policy.can(user, "events.edit", event):
        return Audience(kind="case_team", organisation_id=event.organisation_id,
                        roles=policy.roles_in(user, event.organisation_id), user_id=int(user.pk))
    if policy.can(user, "events.view", event):
        return Audience(kind="staff", organisation_id=event.organisation_id,
                        roles=policy.roles_in(user, event.organisation_id), user_id=int(user.pk))
    return PUBLIC

"""Test helpers of events: a published vigil whose place and link are given only after RSVP, and link helpers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import timezone

from unforgotten.events import actions
from unforgotten.events.models import Event

HIDDEN_PLACE = "CANARY-hidden-place-7f3a"
HIDDEN_LINK = "https://meet.example.org/CANARY-hidden-link-91c2"
CONFIRM_LINK = re.compile(r"https?://[^\s]+/rsvp/confirm/[^\s/]+/")
MANAGE_LINK = re.compile(r"https?://[^\s]+/rsvp/manage/[^\s/]+/")


@dataclass
class EventSample:
    vigil: Event


def make_vigil(cast: Any, *, slug: str = "vigil-for-maryia", days: int = 10, persons: list[Any] | None = None,
               title: str = "Vigil; candles, songs & names, \"together\"", arabic: bool = True) -> EventSample:
    """Org A's vigil in Berlin, written by Dana (campaign), published by Bilal (publish): address after RSVP."""
    start = (timezone.now() + timedelta(days=days)).replace(hour=17, minute=30, second=0, microsecond=0)
    vigil = actions.do_create_event(organisation=cast.org_a, acting_user=cast.dana, persons=persons, data={
        "slug": slug, "kind": "vigil", "starts_at": start, "ends_at": start + timedelta(hours=2),
        "timezone": "Europe/Berlin", "country": "DE", "details_after_rsvp": True,
        "hidden_location": HIDDEN_PLACE, "hidden_link": HIDDEN_LINK})
    actions.do_set_text(event=vigil, language="en", title=title,
                        description="Bring a candle.\nWe read the names at six; friends, families welcome.", acting_user=cast.dana)
    if arabic:
        actions.do_set_text(event=vigil, language="ar", title="وقفة بالشموع", description="أحضروا شمعة.",
                            acting_user=cast.dana)
    actions.do_submit_event(event=vigil, acting_user=cast.dana)
    actions.do_publish_event(event=vigil, acting_user=cast.bilal)
    vigil.refresh_from_db()
    return EventSample(vigil)


def links_in(body: str, pattern: re.Pattern[str]) -> list[str]:
    return pattern.findall(body)

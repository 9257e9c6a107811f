"""What the events app keeps about a supporter's address, for their "my data" link (``core.personal_data``).

An RSVP keeps the address encrypted and the supporters' keyed digest (``Attendance.email_key``). Erasure
deletes RSVPs never confirmed and anonymises the others exactly as retention does (``actions._anonymise``):
the address, the digest and the links go, the count of attendees stays.
"""

from __future__ import annotations

from typing import Any

from unforgotten.core.personal_data import Holder, Keys, register
from unforgotten.events.models import Attendance, AttendanceState


def _iso(moment: Any) -> str | None:
    return moment.isoformat() if moment else None


def _rows(keys: Keys) -> Any:
    return Attendance.objects.filter(email_key=keys.email_key)


def export(keys: Keys) -> list[dict[str, Any]]:
    out = []
    for attendance in _rows(keys).select_related("event").prefetch_related("event__texts").order_by(
            "requested_at", "id"):
        text = attendance.event.text_for(attendance.language)
        out.append({"event": attendance.event.slug, "title": text.title if text else "",
                    "occurrence_starts_at": _iso(attendance.occurrence_starts_at), "role": attendance.role,
                    "state": attendance.state, "email": attendance.email, "language": attendance.language,
                    "requested_at": _iso(attendance.requested_at), "confirmed_at": _iso(attendance.confirmed_at),
                    "cancelled_at": _iso(attendance.cancelled_at), "consent_text": attendance.consent_text})
    return out


def erase(keys: Keys) -> int:
    # Imported here: this module is loaded by the app's ready(), before settings are final in tests, and the
    # outbox's task binds its backend when it is defined.
    from unforgotten.core import outbox
    from unforgotten.events.actions import _anonymise

    # Mail still queued for the address goes with it (events.actions._mail keys every mail by attendance).
    outbox.cancel_unsent(f"events.attendance:{pk}" for pk in _rows(keys).values_list("pk", flat=True))
    deleted, _rows_by_model = _rows(keys).filter(state=AttendanceState.PENDING).delete()
    kept = 0
    for attendance in _rows(keys).select_for_update():
        _anonymise(attendance)
        attendance.save()
        kept += 1
    return int(deleted) + kept


def register_holders() -> None:
    register(Holder(name="event_rsvps", holds=lambda k: _rows(k).exists(), export=export, erase=erase))

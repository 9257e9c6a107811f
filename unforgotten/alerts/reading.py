"""Reading alerts through the policy and the projection: the board, the report, the detail.

Every value a page or the API shows comes from ``Reader.show`` (the advocacy reader: the
caller's projection with the case teams loaded in batches).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from unforgotten import policy
from unforgotten.advocacy.reading import Reader, visible_cases
from unforgotten.alerts import vocabularies as v
from unforgotten.alerts.models import Alert, EscalationLimits


def visible_alerts(user: Any) -> QuerySet[Alert]:
    """Alerts of cases the caller may know exist, in organisations where the caller reads."""
    return (Alert.objects.filter(case__in=visible_cases(user), organisation_id__in=list(
        policy.organisation_ids(user, "view"))).select_related("case__person", "organisation"))


@dataclass(frozen=True)
class BoardRow:
    alert: Alert
    shown: dict[str, Any]
    person: dict[str, Any]
    age: timedelta
    overdue: str  # "" | "verify" | "action"


def limits_for(organisation_ids: Iterable[int]) -> dict[int, EscalationLimits]:
    """{organisation id: its escalation limits}; an organisation that never set its own gets the defaults.

    The defaults are an unsaved row (the model's field defaults), so the job, the board and the
    proof-of-life rule read one shape and the defaults live in one place.
    """
    ids = sorted({int(i) for i in organisation_ids})
    found = {row.organisation_id: row for row in EscalationLimits.objects.filter(organisation_id__in=ids)}
    return {i: found.get(i) or EscalationLimits(organisation_id=i) for i in ids}


def limits_of(organisation_id: int) -> EscalationLimits:
    return limits_for([organisation_id])[int(organisation_id)]


def overdue_step(alert: Alert, now: datetime, limits: EscalationLimits | None = None) -> str:
    limits = limits or limits_of(alert.organisation_id)
    verify_within, act_within = limits.windows(alert.severity)
    age = now - alert.raised_at
    if alert.state == v.State.RAISED and age >= verify_within:
        return "verify"
    if alert.state in (v.State.RAISED, v.State.VERIFIED) and age >= act_within:
        return "action"
    return ""


def board(user: Any, now: datetime | None = None) -> list[BoardRow]:
    """Open alerts, most severe first, then oldest first: what needs someone now is at the top."""
    now = now or timezone.now()
    alerts = list(visible_alerts(user).filter(state__in=list(v.OPEN_STATES)))
    reader = Reader(user)
    reader.load_teams(a.case.person_id for a in alerts)
    alerts.sort(key=lambda a: (v.SEVERITY_ORDER[v.Severity(a.severity)], a.raised_at))
    limits = limits_for(a.organisation_id for a in alerts)
    return [BoardRow(a, reader.show(a, None, a.case.person_id),
                     reader.show(a.case.person, ("uuid", "display_name", "country")), now - a.raised_at,
                     overdue_step(a, now, limits[a.organisation_id])) for a in alerts]


@dataclass(frozen=True)
class Report:
    """Time to verify and time to first action over alerts raised in a window."""

    since: datetime
    raised: int
    verified: int
    actioned: int
    median_to_verify: timedelta | None
    median_to_action: timedelta | None
    worst_to_verify: timedelta | None
    worst_to_action: timedelta | None


def _median(values: list[timedelta]) -> timedelta | None:
    # statistics.median wants numbers; durations are medianed as seconds.
    return timedelta(seconds=median(d.total_seconds() for d in values)) if values else None


def report(alerts: Iterable[Alert], since: datetime) -> Report:
    rows = [a for a in alerts if a.raised_at >= since]
    to_verify = [d for a in rows if (d := a.time_to_verify) is not None]
    to_action = [d for a in rows if (d := a.time_to_first_action) is not None]
    return Report(since=since, raised=len(rows), verified=len(to_verify), actioned=len(to_action),
                  median_to_verify=_median(to_verify), median_to_action=_median(to_action),
                  worst_to_verify=max(to_verify) if to_verify else None,
                  worst_to_action=max(to_action) if to_action else None)


def report_for(user: Any, days: int = 90, now: datetime | None = None) -> Report:
    since = (now or timezone.now()) - timedelta(days=days)
    return report(visible_alerts(user).filter(raised_at__gte=since).exclude(state=v.State.WITHDRAWN), since)


def duration_text(value: timedelta | None) -> str:
    """"3 h 05 min", "2 d 4 h": short, unambiguous, the same in every language's digits."""
    if value is None:
        return "—"
    minutes = int(value.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {mins:02d} min"
    return f"{mins} min"

"""Reading the radar through the policy and the projection, for the page, the API and the digest.

Which ledger rows a caller may list is decided in SQL on the ledger alone (the
organisations where they read records, and the whole-record class copied from
the case and its person: internal for all staff, restricted for the person's
case team), so a page at a million cases is one index range. Every row shown is
then checked again against the case and person themselves (``Reader.case_visible``)
and its name and country come from the caller's projection.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from unforgotten import policy
from unforgotten.accounts.models import Organisation
from unforgotten.advocacy.reading import Reader, real_user_id
from unforgotten.policy.sensitivity import Sensitivity
from unforgotten.radar import engine
from unforgotten.radar.models import COLUMNS, Attention, Signal
from unforgotten.registry.models import Case, Person
from unforgotten.registry.vocabularies import Status

PAGE_SIZE = 50
# The statuses the radar lists apart (people no longer held, or dead): "not held" in the filter.
INACTIVE = "inactive"


class BadFilter(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Filters:
    organisations: tuple[int, ...]
    country: str = ""
    status: str = ""  # "" = held now; "inactive" = everyone else; or one status
    missing: str = ""  # a signal never recorded
    after: tuple[int, int] | None = None  # keyset: (weighted, case id) of the last row of the previous page


@dataclass(frozen=True)
class RadarRow:
    case_id: int
    person_uuid: Any
    name: str
    country: str
    status: str
    status_label: str
    active: bool
    index: int
    oldest: str
    baseline: date
    days: dict[str, date | None]
    weighted: int

    @property
    def missing(self) -> list[str]:
        return [k for k in engine.TIE_ORDER if self.days.get(k) is None]

    def days_since(self, kind: str, today: date) -> int | None:
        day = self.days.get(kind)
        return None if day is None else (today - day).days

    def cursor(self) -> str:
        return f"{self.weighted}.{self.case_id}"


def signal_label(kind: str) -> str:
    return str(dict(Signal.choices).get(kind, kind))


def parse_cursor(text: str) -> tuple[int, int] | None:
    if not text:
        return None
    parts = text.split(".")
    if len(parts) != 2 or not all(p.lstrip("-").isdigit() and len(p) <= 19 for p in parts):
        raise BadFilter("after", f"'{text[:40]}' is not a page cursor from this list.")
    return int(parts[0]), int(parts[1])


def check_filters(country: str, status: str, missing: str) -> tuple[str, str, str]:
    from unforgotten.core.countries import is_country

    country = (country or "").strip().upper()
    if country and not is_country(country):
        raise BadFilter("country", f"'{country[:10]}' is not an ISO 3166 country code.")
    if status and status != INACTIVE and status not in Status.values:
        raise BadFilter("status", f"'{status[:30]}' is not a status.")
    if missing and missing not in COLUMNS:
        raise BadFilter("missing", f"'{missing[:30]}' is not a kind of attention ({', '.join(COLUMNS)}).")
    return country, status, missing


def visible_ledger(user: Any, organisations: Sequence[int]) -> QuerySet[Attention]:
    """Ledger rows of ``organisations`` (already checked to be the caller's) the caller may know exist."""
    q = Q(floor__lte=Sensitivity.INTERNAL)
    uid = real_user_id(user)
    if uid is not None:
        teams = Person.case_team.through.objects.filter(user_id=uid).values("person_id")
        q |= Q(floor__lte=Sensitivity.RESTRICTED, person_id__in=teams)
    return Attention.objects.filter(q, organisation_id__in=list(organisations))


def ledger_page(user: Any, f: Filters, limit: int = PAGE_SIZE) -> QuerySet[Attention]:
    qs = visible_ledger(user, f.organisations)
    if f.status == INACTIVE:
        qs = qs.filter(active=False)
    elif f.status:
        from unforgotten.registry.vocabularies import DETAINED_STATUSES

        # "active" first, so the page reads the (organisation, active, weighted) index range.
        qs = qs.filter(active=f.status in DETAINED_STATUSES, status=f.status)
    else:
        qs = qs.filter(active=True)
    if f.country:
        qs = qs.filter(country=f.country)
    if f.missing:
        qs = qs.filter(**{f"{COLUMNS[f.missing]}__isnull": True})
    if f.after is not None:
        w, c = f.after
        # The redundant "weighted >= w" gives the database the start of the index range.
        qs = qs.filter(Q(weighted__gt=w) | Q(weighted=w, case_id__gt=c), weighted__gte=w)
    return qs.order_by("weighted", "case_id")[:limit]


def rows_for(user: Any, ledger: Sequence[Attention], today: date) -> list[RadarRow]:
    """The ledger rows as the caller may see them (a row the caller may not see is dropped)."""
    cases = {c.pk: c for c in Case.objects.filter(pk__in=[a.case_id for a in ledger]).select_related("person")}
    reader = Reader(user)
    reader.load_teams(c.person_id for c in cases.values())
    out = []
    labels = dict(Status.choices)
    for a in ledger:
        case = cases.get(a.case_id)
        if case is None or not policy.can(user, "radar.view", case) or not reader.case_visible(case):
            continue
        shown = reader.show(case.person, ("display_name", "country", "current_status"), case.person_id)
        out.append(RadarRow(
            case_id=a.case_id, person_uuid=case.person.uuid,
            name=shown.get("display_name") or _("(name not shown)"), country=shown.get("country", ""),
            status=shown.get("current_status", ""), status_label=str(labels.get(shown.get("current_status", ""), "")),
            active=a.active, index=engine.index_on(a.weighted, today), oldest=a.oldest, baseline=a.baseline,
            days={k: getattr(a, COLUMNS[k]) for k in engine.TIE_ORDER}, weighted=a.weighted))
    return out


def page(user: Any, f: Filters, today: date, limit: int = PAGE_SIZE) -> tuple[list[RadarRow], str]:
    """One page of the radar, most neglected first, and the cursor of the next page ("" when this is the last)."""
    ledger = list(ledger_page(user, f, limit + 1))
    more = len(ledger) > limit
    ledger = ledger[:limit]
    rows = rows_for(user, ledger, today)
    next_cursor = f"{ledger[-1].weighted}.{ledger[-1].case_id}" if more and ledger else ""
    return rows, next_cursor


def one(user: Any, case: Case, today: date) -> RadarRow | None:
    a = Attention.objects.filter(pk=case.pk).first()
    if a is None:
        engine.recompute([case.pk])
        a = Attention.objects.filter(pk=case.pk).first()
    rows = rows_for(user, [a], today) if a is not None else []
    return rows[0] if rows else None


def ten_most_neglected(user: Any, org: Organisation, today: date, n: int = 10) -> list[RadarRow]:
    """The digest's list: the ``n`` most neglected cases of ``org`` held today that ``user`` may see."""
    rows: list[RadarRow] = []
    f = Filters(organisations=(org.pk,))
    # Rows the recipient may not see are dropped after the SQL's coarse filter: read on until n are found.
    while len(rows) < n:
        ledger = list(ledger_page(user, f, n))
        if not ledger:
            break
        rows += rows_for(user, ledger, today)
        f = Filters(organisations=(org.pk,), after=(ledger[-1].weighted, ledger[-1].case_id))
    return rows[:n]


def why_text(row: RadarRow, today: date) -> str:
    """The row's "why", in words: what was never recorded, and the oldest signal."""
    parts = []
    missing = row.missing
    if missing:
        parts.append(_("never recorded: %(kinds)s (counted since %(day)s)") % {
            "kinds": ", ".join(signal_label(k) for k in missing), "day": row.baseline.isoformat()})
    oldest_day = row.days.get(row.oldest)
    if row.oldest and oldest_day is not None:
        days = (today - oldest_day).days
        parts.append(ngettext("oldest: %(kind)s, %(days)s day ago", "oldest: %(kind)s, %(days)s days ago", days) % {
            "kind": signal_label(row.oldest), "days": days})
    elif row.oldest and not missing:
        parts.append(_("oldest: %(kind)s") % {"kind": signal_label(row.oldest)})
    return "; ".join(parts)


def organisations_of(user: Any) -> list[Organisation]:
    ids = policy.organisation_ids(user, "view")
    return [o for o in Organisation.objects.filter(pk__in=list(ids), is_active=True).order_by("name")
            if policy.can(user, "radar.view", o)]

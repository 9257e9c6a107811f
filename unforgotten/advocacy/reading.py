"""Reading advocacy records through the policy and the projection, for pages, the API, PDFs and e-mails.

``Reader`` is one caller with the case teams of the people it looks at (loaded
in batches, one query per page). Every value any output shows comes from
``Reader.show`` (the projection for the caller's audience) or, for documents
made for someone outside, from ``project(obj, audience)`` with the audience the
document is for.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from unforgotten import policy
from unforgotten.advocacy.models import CadenceRule, Intervention, LegalAction, UNCommunication
from unforgotten.advocacy.vocabularies import CLOSED_LEGAL_STATUSES
from unforgotten.policy.projection import Audience, audience_for, project, record_sensitivity
from unforgotten.policy.sensitivity import Sensitivity
from unforgotten.registry.models import Case, Charge, LawArticle, Person


def person_id_of(obj: Any) -> int | None:
    """The person a record hangs off (directly, or through its case); None for organisation-level records."""
    if isinstance(obj, Person):
        return int(obj.pk)
    if hasattr(obj, "person_id"):
        return obj.person_id  # type: ignore[no-any-return]
    case = getattr(obj, "case", None)
    if isinstance(case, Case):
        return case.person_id
    return None


class Reader:
    """The caller, with the case teams of the people it has looked at."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self._teams: dict[int, frozenset[int]] = {}

    def load_teams(self, person_ids: Iterable[int | None]) -> None:
        missing = {pk for pk in person_ids if pk is not None and pk not in self._teams}
        if not missing:
            return
        teams: dict[int, set[int]] = {pk: set() for pk in missing}
        for person_id, user_id in Person.case_team.through.objects.filter(person_id__in=missing).values_list(
                "person_id", "user_id"):
            teams[person_id].add(user_id)
        self._teams.update({pk: frozenset(ids) for pk, ids in teams.items()})

    def team(self, person_id: int | None) -> frozenset[int]:
        if person_id is None:
            return frozenset()
        self.load_teams([person_id])
        return self._teams[person_id]

    def audience(self, obj: Any, person_id: int | None = None, *, extra_team: Iterable[int] = ()) -> Audience:
        pid = person_id if person_id is not None else person_id_of(obj)
        return audience_for(self.user, obj, case_team_user_ids=self.team(pid) | frozenset(extra_team))

    def sees(self, obj: Any, person_id: int | None = None) -> bool:
        return self.audience(obj, person_id).may_see(record_sensitivity(obj))

    def show(self, obj: Any, fields: Sequence[str] | None = None, person_id: int | None = None) -> dict[str, Any]:
        """The projection for the caller; {} when the caller may not know the record exists."""
        if obj is None or not self.sees(obj, person_id):
            return {}
        return project(obj, self.audience(obj, person_id), fields)

    def case_visible(self, case: Case) -> bool:
        return (policy.can(self.user, "advocacy.view", case) and case.person.merged_into_id is None
                and self.sees(case.person, case.person_id) and self.sees(case, case.person_id))


def visible_record(prefix: str = "", user_id: int | None = None, person_path: str = "person") -> Q:
    """Rows whose whole-record class a staff reader reaches (internal), or restricted ones of their case teams."""
    floor = f"{prefix}sensitivity_floor"
    q = Q(**{f"{floor}__isnull": True}) | Q(**{f"{floor}__lte": Sensitivity.INTERNAL})
    if user_id is not None:
        teams = Person.case_team.through.objects.filter(user_id=user_id).values("person_id")
        q |= Q(**{f"{floor}__lte": Sensitivity.RESTRICTED, f"{person_path}__in": teams})
    return q


def real_user_id(user: Any) -> int | None:
    if getattr(user, "uf_token", None) is not None or not getattr(user, "is_authenticated", False):
        return None
    return int(user.pk)


def visible_cases(user: Any, capability: str = "view") -> QuerySet[Case]:
    """Cases of the caller's organisations that the caller may know exist (case and person both)."""
    orgs = policy.organisation_ids(user, capability)
    uid = real_user_id(user)
    return Case.objects.filter(
        visible_record("", uid, "person"), visible_record("person__", uid, "person"),
        organisation_id__in=list(orgs), person__merged_into__isnull=True)


# --- the overdue dashboard -----------------------------------------------------------------------


@dataclass(frozen=True)
class CadenceStatus:
    rule: CadenceRule
    last: date | None
    due: date
    days_overdue: int

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0


def cadence_statuses(rules: QuerySet[CadenceRule], today: date | None = None) -> list[CadenceStatus]:
    """Each rule with the day of the last intervention it counts, when the next is due, how late it is.

    A rule never met counts from the day it was made. Interventions without a
    known date count for nothing (they cannot show the case was raised lately).
    """
    today = today or timezone.localdate()
    last = Intervention.objects.filter(case_id=OuterRef("case_id"), stakeholder_id=OuterRef("stakeholder_id"),
                                       occurred_on__isnull=False).order_by("-occurred_on").values("occurred_on")[:1]
    out = []
    for rule in rules.annotate(last_on=Subquery(last)).select_related("case__person", "stakeholder"):
        from datetime import timedelta

        start = rule.last_on or timezone.localtime(rule.created_at).date()
        due = start + timedelta(days=rule.every_days)
        out.append(CadenceStatus(rule, rule.last_on, due, (today - due).days))
    return out


def overdue(user: Any, today: date | None = None) -> list[CadenceStatus]:
    """Active cadence rules the caller may see whose next intervention is late, latest first."""
    cases = visible_cases(user).values("pk")
    rules = CadenceRule.objects.filter(active=True, case_id__in=cases,
                                       organisation_id__in=list(policy.organisation_ids(user, "view")))
    late = [s for s in cadence_statuses(rules, today) if s.overdue]
    return sorted(late, key=lambda s: (-s.days_overdue, s.rule.pk))


def upcoming_deadlines(user: Any, today: date, days: int = 30) -> QuerySet[LegalAction]:
    from datetime import timedelta

    return (LegalAction.objects.filter(case_id__in=visible_cases(user).values("pk"), deadline__isnull=False,
                                       deadline__lte=today + timedelta(days=days))
            .exclude(status__in=list(CLOSED_LEGAL_STATUSES)).select_related("case__person").order_by("deadline", "id"))


def replies_due(user: Any) -> QuerySet[UNCommunication]:
    # Awaited while nothing has come back: no reply, no opinion, no outcome.
    return (UNCommunication.objects.filter(case_id__in=visible_cases(user).values("pk"), replied_on__isnull=True,
                                           reply_due_on__isnull=False, opinion_adopted_on__isnull=True,
                                           outcome="pending")
            .select_related("case__person").order_by("reply_due_on", "id"))


def follow_ups_due(user: Any, today: date) -> QuerySet[Intervention]:
    return (Intervention.objects.filter(case_id__in=visible_cases(user).values("pk"), follow_up_on__isnull=False,
                                        follow_up_on__lte=today, outcome="pending")
            .select_related("case__person", "stakeholder").order_by("follow_up_on", "id"))


def last_intervention_per_case(case_ids: Iterable[int]) -> dict[int, date]:
    """The day of the latest dated intervention of each case: the radar's question, one index range per case."""
    rows = (Intervention.objects.filter(case_id__in=list(case_ids), occurred_on__isnull=False)
            .values("case_id").annotate(last=Max("occurred_on")))
    return {r["case_id"]: r["last"] for r in rows}


# --- the laws catalogue --------------------------------------------------------------------------


@dataclass(frozen=True)
class LawCount:
    article: dict[str, Any]
    cases: int
    people: int


def law_counts(user: Any, country: str | None = None) -> list[LawCount]:
    """Law articles used against people, with how many of the caller's cases and people cite each.

    Counts only records the caller may know exist, in the caller's own
    organisations: another organisation's cases never change a figure.
    """
    cases = visible_cases(user)
    uid = real_user_id(user)
    charges = Charge.objects.filter(visible_record("", uid, "case__person"), case__in=cases,
                                    sensitivity_overrides__has_key="law_article_id").values("pk")
    rows = (Charge.objects.filter(visible_record("", uid, "case__person"), case__in=cases)
            .exclude(pk__in=charges)
            .values("law_article_id")
            .annotate(cases=Count("case_id", distinct=True), people=Count("case__person_id", distinct=True))
            .order_by())
    if country:
        rows = rows.filter(law_article__country=country)
    by_id = {r["law_article_id"]: r for r in rows}
    articles = LawArticle.objects.filter(pk__in=list(by_id))
    out = []
    from unforgotten.policy.projection import PUBLIC

    for article in articles:
        r = by_id[article.pk]
        out.append(LawCount(project(article, PUBLIC), r["cases"], r["people"]))
    return sorted(out, key=lambda c: (-c.cases, c.article["country"], c.article["code"], c.article["article"]))


def not_found_unless(condition: bool) -> None:
    if not condition:
        raise Http404()



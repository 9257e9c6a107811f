"""The person page, built from projections only: facts, prosecution, detention, people, timeline, history."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.db import models
from django.db.models import Prefetch, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from unforgotten import policy
from unforgotten.audit.models import AuditEvent
from unforgotten.core.partialdate import PartialDate, UnknownPartialDate, days_between
from unforgotten.policy.projection import field_sensitivity
from unforgotten.policy.sensitivity import Sensitivity
from unforgotten.registry import vocabularies as v
from unforgotten.registry.models import (
    Case,
    Charge,
    Citation,
    Consent,
    CriterionAssessment,
    DetentionPeriod,
    Hearing,
    Person,
    PersonName,
    RecognitionDecision,
    Relationship,
    Sentence,
    Source,
    StatusChange,
)
from unforgotten.registry.views._common import Reader

HISTORY_LIMIT = 100


def article_text(article: dict[str, Any] | None) -> str:
    if not article:
        return ""
    part = _(" part %(part)s") % {"part": article["part"]} if article.get("part") else ""
    return _("%(code)s, art. %(article)s%(part)s") % {"code": article.get("code", ""),
                                                      "article": article.get("article", ""), "part": part}


def facility_text(facility: dict[str, Any] | None) -> str:
    if not facility:
        return ""
    where = facility.get("place") or facility.get("country") or ""
    return f"{facility.get('name', '')} ({where})" if where else str(facility.get("name", ""))


def days_text(start: PartialDate, end: PartialDate | date) -> str:
    """ "1,234 days", "at least 1,200 days" or "at most 30 days": the honest count for partial dates."""
    try:
        days = days_between(start, end)
    except UnknownPartialDate:
        return _("unknown number of days")
    except ValueError:
        return _("the dates are in an impossible order")
    n = f"{days.figure:,}"
    if days.qualifier == "exact":
        return ngettext("%(n)s day", "%(n)s days", days.figure) % {"n": n}
    if days.qualifier == "at_least":
        return ngettext("at least %(n)s day", "at least %(n)s days", days.figure) % {"n": n}
    return ngettext("at most %(n)s day", "at most %(n)s days", days.figure) % {"n": n}


def sealed_fields(obj: models.Model) -> list[str]:
    """The fields of this record that are sealed (declared, or raised to sealed on this record)."""
    return [f.attname for f in obj._meta.concrete_fields if field_sensitivity(obj, f.attname) >= Sensitivity.SEALED]


def citation_targets(person: Person, **ids: Iterable[int]) -> Q:
    """Citations on the person or on any of their records (the sources of this person's file)."""
    q = Q(target_type="registry.person", target_id=person.pk)
    for model_name, pks in ids.items():
        pks = list(pks)
        if pks:
            q |= Q(target_type=f"registry.{model_name}", target_id__in=pks)
    return q


def person_sources(person: Person) -> models.QuerySet[Source]:
    """Sources cited anywhere in the person's file; used by the page and by the reveal view."""
    case_ids = list(person.cases.values_list("id", flat=True))
    q = citation_targets(
        person,
        case=case_ids,
        charge=Charge.objects.filter(case_id__in=case_ids).values_list("id", flat=True),
        hearing=Hearing.objects.filter(case_id__in=case_ids).values_list("id", flat=True),
        sentence=Sentence.objects.filter(case_id__in=case_ids).values_list("id", flat=True),
        detentionperiod=person.detentions.values_list("id", flat=True),
        statuschange=person.status_changes.values_list("id", flat=True),
        relationship=person.relationships.values_list("id", flat=True),
        recognitiondecision=person.decisions.values_list("id", flat=True),
    )
    source_ids = Citation.objects.filter(q, organisation_id=person.organisation_id).values("source_id")
    return Source.objects.filter(pk__in=source_ids, organisation_id=person.organisation_id)


def _expected_release(sentence: Sentence, data: dict[str, Any]) -> PartialDate | None:
    """Derived, never stored: shown only when every value it is derived from is visible."""
    needed = {"sentence_type", "years", "months", "days", "counts_from", "handed_down_on"}
    if not needed <= data.keys():
        return None
    return sentence.expected_release


def person_page_context(request: HttpRequest, person: Person, reader: Reader) -> dict[str, Any]:
    user = request.user
    today = timezone.localdate()
    p = reader.show(person) or {}
    audience = reader.audience(person)
    on_team = audience.kind == "case_team"
    can_edit = policy.can(user, "registry.edit", person)

    names = [n for n in (reader.show(x) for x in person.names.all()) if n and "text" in n]

    cases_qs = person.cases.prefetch_related(
        Prefetch("charges", queryset=Charge.objects.select_related("law_article")),
        Prefetch("hearings", queryset=Hearing.objects.prefetch_related("judges")),
        "sentences",
    )
    cases: list[dict[str, Any]] = []
    timeline: list[tuple[tuple[int, int, int, int], int, dict[str, Any]]] = []
    case_ids: list[int] = []
    record_ids: dict[str, list[int]] = defaultdict(list)
    for case in cases_qs:
        c = reader.show(case)
        if c is None:
            continue
        case_ids.append(case.pk)
        c["charges"] = []
        for charge in case.charges.all():
            ch = reader.show(charge)
            if ch is None:
                continue
            record_ids["charge"].append(charge.pk)
            ch["article"] = article_text(reader.show(charge.law_article)) if "law_article_id" in ch else ""
            c["charges"].append(ch)
        c["hearings"] = []
        for hearing in case.hearings.all():
            h = reader.show(hearing)
            if h is None:
                continue
            record_ids["hearing"].append(hearing.pk)
            judges = (reader.show(j, ("name",)) for j in hearing.judges.all())
            h["judges"] = [j["name"] for j in judges if j and "name" in j]
            c["hearings"].append(h)
            if "held_on" in h:
                text = _("Hearing at %(court)s") % {"court": h.get("court", _("a court"))}
                if h.get("outcome_label"):
                    text += f" — {h['outcome_label']}"
                timeline.append((h["held_on"].sort_key(), 3, {"date": h["held_on"], "kind": _("Hearing"), "text": text}))
        c["sentences"] = []
        for sentence in case.sentences.all():
            s = reader.show(sentence)
            if s is None:
                continue
            record_ids["sentence"].append(sentence.pk)
            s["expected_release"] = _expected_release(sentence, s)
            c["sentences"].append(s)
            if "handed_down_on" in s:
                text = _("Sentenced: %(type)s") % {"type": s.get("sentence_type_label", "")}
                if s.get("years") or s.get("months") or s.get("days"):
                    text += " " + _("(%(y)s y, %(m)s m, %(d)s d)") % {"y": s.get("years", 0), "m": s.get("months", 0),
                                                                      "d": s.get("days", 0)}
                timeline.append((s["handed_down_on"].sort_key(), 4, {"date": s["handed_down_on"], "kind": _("Sentence"),
                                                                      "text": text}))
        cases.append(c)

    detentions = []
    for detention in person.detentions.select_related("facility"):
        d = reader.show(detention)
        if d is None:
            continue
        record_ids["detentionperiod"].append(detention.pk)
        d["facility"] = facility_text(reader.show(detention.facility)) if detention.facility and "facility_id" in d else ""
        start: PartialDate | None = d.get("start")
        end: PartialDate | None = d.get("end")
        # An empty end means the detention goes on: count up to today.
        d["ongoing"] = end is not None and end.is_unknown
        if start is not None and end is not None:
            d["days"] = days_text(start, today if end.is_unknown else end)
        detentions.append(d)
        if start is not None and not start.is_unknown:
            text = _("Detained: %(kind)s") % {"kind": d.get("kind_label", "")}
            if d["facility"]:
                text += f", {d['facility']}"
            timeline.append((start.sort_key(), 1, {"date": start, "kind": _("Detention began"), "text": text}))
        if end is not None and not end.is_unknown:
            timeline.append((end.sort_key(), 5, {"date": end, "kind": _("Detention ended"),
                                                 "text": d.get("kind_label", "")}))

    statuses = []
    for change in person.status_changes.all():
        s = reader.show(change)
        if s is None:
            continue
        record_ids["statuschange"].append(change.pk)
        statuses.append(s)
        if "effective" in s:
            timeline.append((s["effective"].sort_key(), 2, {"date": s["effective"], "kind": _("Status"),
                                                            "text": s.get("status_label", "")}))

    relationships = []
    for rel in person.relationships.select_related("related_person"):
        r = reader.show(rel)
        if r is None:
            continue
        record_ids["relationship"].append(rel.pk)
        r["sealed"] = sealed_fields(rel)
        if rel.related_person is not None and "related_person_id" in r:
            linked_reader = Reader(user, frozenset())
            linked = linked_reader.show(rel.related_person, ("uuid", "display_name"))
            r["related"] = linked if linked and "uuid" in linked else None
        relationships.append(r)

    consents = []
    for consent in person.consents.all():
        c = reader.show(consent)
        if c is None:
            continue
        c["is_active"] = consent.is_active if {"given_on", "withdrawn_on"} <= c.keys() else None
        consents.append(c)

    decisions = []
    criteria_labels = {fw: dict(items) for fw, items in v.CRITERIA.items()}
    exclusion_labels = dict(v.EXCLUSIONS)
    for decision in person.decisions.prefetch_related("criteria", "reviewers"):
        dd = reader.show(decision)
        if dd is None:
            continue
        record_ids["recognitiondecision"].append(decision.pk)
        dd["reviewers"] = [str(u.display_name or u.email) for u in decision.reviewers.all()]
        checklist = []
        for crit in decision.criteria.all():
            cc = reader.show(crit)
            if cc is None or "code" not in cc:
                continue
            labels = exclusion_labels if cc.get("is_exclusion") else criteria_labels.get(dd.get("framework", ""), {})
            cc["label"] = labels.get(cc["code"], "")
            checklist.append(cc)
        dd["checklist"] = checklist
        decisions.append(dd)
        if "decided_on" in dd:
            text = _("Recognition (%(framework)s): %(outcome)s") % {"framework": dd.get("framework_label", ""),
                                                                     "outcome": dd.get("outcome_label", "")}
            timeline.append((PartialDate.from_date(dd["decided_on"]).sort_key(), 6,
                             {"date": PartialDate.from_date(dd["decided_on"]), "kind": _("Recognition"), "text": text}))

    citations = Citation.objects.filter(
        citation_targets(person, case=case_ids, **record_ids), organisation_id=person.organisation_id)
    source_ids = {c.source_id for c in citations}
    sources = []
    for source in Source.objects.filter(pk__in=source_ids, organisation_id=person.organisation_id):
        s = reader.show(source)
        if s is None:
            continue
        s["sealed"] = sealed_fields(source)
        sources.append(s)

    timeline.sort(key=lambda item: (item[0], item[1]))
    history = history_entries(person, reader, case_ids=case_ids, record_ids=record_ids,
                              decision_ids=record_ids["recognitiondecision"], source_ids=sorted(source_ids))
    events = None
    if policy.can(user, "audit.view_events", person):
        events = audit_events(person, case_ids=case_ids, record_ids=record_ids, source_ids=sorted(source_ids))

    return {
        "person": p,
        "names": names,
        "cases": cases,
        "detentions": detentions,
        "statuses": statuses,
        "relationships": relationships,
        "consents": consents,
        "decisions": decisions,
        "sources": sources,
        "timeline": [entry for _key, _order, entry in timeline],
        "history": history,
        "events": events,
        "on_team": on_team,
        "can_edit": can_edit,
        "can_review": policy.can(user, "registry.review", person),
        # Campaigners and reviewers start a public profile from here (the publishing app).
        "can_publish": policy.can(user, "publishing.edit", person),
        "today": today,
    }


# --- history -------------------------------------------------------------------------------------

_NOT_COMPARED = {"id", "created_at", "updated_at", "search_key", "sort_name", "display_name", "start_earliest",
                 "start_latest"}


def _history_sources(person: Person, case_ids: Sequence[int], record_ids: dict[str, list[int]],
                     decision_ids: Sequence[int], source_ids: Sequence[int]) -> list[tuple[type[models.Model], Q]]:
    return [
        (Person, Q(id=person.pk)),
        (PersonName, Q(person_id=person.pk)),
        (Case, Q(person_id=person.pk)),
        (Charge, Q(case_id__in=case_ids)),
        (Hearing, Q(case_id__in=case_ids)),
        (Sentence, Q(case_id__in=case_ids)),
        (DetentionPeriod, Q(person_id=person.pk)),
        (StatusChange, Q(person_id=person.pk)),
        (Relationship, Q(person_id=person.pk)),
        (Consent, Q(person_id=person.pk)),
        (RecognitionDecision, Q(person_id=person.pk)),
        (CriterionAssessment, Q(decision_id__in=decision_ids)),
        (Source, Q(id__in=source_ids)),
    ]


def history_entries(person: Person, reader: Reader, *, case_ids: Sequence[int], record_ids: dict[str, list[int]],
                    decision_ids: Sequence[int], source_ids: Sequence[int]) -> list[dict[str, Any]]:
    """Who changed what, when: django-simple-history rows of the person and their records, newest first.

    Changed values are read through the projection of the historical version
    (same classes as the record), so restricted and sealed values stay hidden.
    """
    entries: list[tuple[Any, int, dict[str, Any]]] = []
    for model, q in _history_sources(person, case_ids, record_ids, decision_ids, source_ids):
        history_model = model.history.model  # type: ignore[attr-defined]
        rows = list(history_model.objects.filter(q).select_related("history_user")
                    .order_by("-history_date", "-history_id")[:HISTORY_LIMIT])
        fields = [f for f in model._meta.concrete_fields if f.attname not in _NOT_COMPARED
                  and hasattr(history_model, f.attname)]
        by_object: dict[Any, list[Any]] = defaultdict(list)
        for row in rows:
            by_object[row.id].append(row)
        for versions in by_object.values():
            versions.sort(key=lambda r: r.history_id)
            previous = None
            for row in versions:
                entry = _history_entry(model, row, previous, fields, reader)
                # A save that changed only derived columns (sort name) says nothing to a reader.
                if row.history_type != "~" or entry["changes"] or entry["unknown_changes"]:
                    entries.append((row.history_date, row.history_id, entry))
                previous = row
    entries.sort(key=lambda e: (e[0], e[1]), reverse=True)
    return [e for _when, _id, e in entries[:HISTORY_LIMIT]]


def _history_entry(model: type[models.Model], row: Any, previous: Any, fields: list[Any], reader: Reader) -> dict[str, Any]:
    kind = {"+": _("created"), "~": _("changed"), "-": _("deleted")}.get(row.history_type, row.history_type)
    user = row.history_user
    entry: dict[str, Any] = {
        "when": row.history_date,
        "who": (user.display_name or user.email) if user is not None else _("the system"),
        "what": kind,
        "record": str(model._meta.verbose_name),
        "changes": [],
        "unknown_changes": row.history_type == "~" and previous is None,
    }
    if row.history_type != "~" or previous is None:
        return entry
    changed = [f for f in fields if getattr(row, f.attname) != getattr(previous, f.attname)]
    if not changed:
        return entry
    instance = row.instance
    shown = reader.show(instance, [f.attname for f in changed]) or {}
    for f in changed:
        value: Any = None
        if f.attname in shown and not f.is_relation:
            value = shown.get(f"{f.attname}_label") or shown[f.attname]
            if isinstance(value, (PartialDate, date)):
                value = str(value)
            if isinstance(value, list):
                value = ", ".join(str(x) for x in value)
        entry["changes"].append({"label": str(f.verbose_name), "value": value,
                                 "hidden": f.attname not in shown})
    return entry


def audit_events(person: Person, *, case_ids: Sequence[int], record_ids: dict[str, list[int]],
                 source_ids: Sequence[int]) -> list[AuditEvent]:
    """The audit events about this person's file (for those who may read the audit trail)."""
    q = Q(object_type="registry.person", object_id=str(person.pk))
    groups = {"case": case_ids, "source": source_ids, **record_ids}
    for name, pks in groups.items():
        if pks:
            q |= Q(object_type=f"registry.{name}", object_id__in=[str(pk) for pk in pks])
    return list(AuditEvent.objects.filter(q, organisation_id=person.organisation_id)
                .only("at", "actor_label", "action", "object_type", "reason").order_by("-id")[:HISTORY_LIMIT])

"""A complete registry record for tests, with a canary planted in every field above public.

``make_sample(cast)`` records, for Org A, one prisoner with names in two
scripts, a case with two charges, a hearing, a sentence, a detention in a
facility, status history, family with sealed contacts, consent, a source and a
recognition decision; and for Org B one prisoner of its own. Every internal,
restricted and sealed value carries a distinct ``CANARY-…`` token so leak tests
can search any output for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from unforgotten.core.partialdate import PartialDate
from unforgotten.policy.sensitivity import Sensitivity
from unforgotten.registry import actions
from unforgotten.registry.actions import CriterionInput, NameInput
from unforgotten.registry.models import (
    Case,
    DetentionPeriod,
    Facility,
    LawArticle,
    Person,
    Relationship,
    Source,
)


@dataclass
class Sample:
    person_a: Person
    case_a: Case
    detention_a: DetentionPeriod
    relationship_a: Relationship
    source_a: Source
    person_b: Person
    facility: Facility
    article: LawArticle
    # canary → the most protected class it was planted at
    canaries: dict[str, Sensitivity] = field(default_factory=dict)

    def forbidden_for(self, ceiling: Sensitivity) -> list[str]:
        """The canaries an audience with this ceiling must never see."""
        return [c for c, level in self.canaries.items() if level > ceiling]


def make_sample(cast: Any) -> Sample:
    canaries: dict[str, Sensitivity] = {}

    def canary(name: str, level: Sensitivity) -> str:
        token = f"CANARY-{name}-{level.name.lower()}"
        canaries[token] = level
        return token

    dana = cast.dana
    article = actions.do_add_law_article(data={"country": "BY", "code": "Criminal Code", "article": "342",
                                               "part": "1", "title": "Organisation of actions grossly violating public order"},
                                         acting_user=dana)
    article2 = actions.do_add_law_article(data={"country": "BY", "code": "Criminal Code", "article": "361-1",
                                                "title": "Creation of an extremist formation"}, acting_user=dana)
    facility = actions.do_add_facility(data={"name": "Penal Colony No. 3", "kind": "colony", "country": "BY",
                                             "place": "Vitebsk region", "postal_address": "PO Box 3, Vitebsk"},
                                       acting_user=dana)
    person = actions.do_create_person(
        organisation=cast.org_a,
        names=[NameInput("Maryia Kalesnikava", "Latn", "en", "legal", True),
               NameInput("Марыя Калеснікава", "Cyrl", "be", "legal")],
        data={"gender": "female", "country": "BY", "citizenships": ["BY"], "occupation": "opposition_politician",
              "birth_date": PartialDate(1982), "birth_place": canary("birthplace", Sensitivity.INTERNAL),
              "internal_notes": canary("internal-notes", Sensitivity.INTERNAL),
              "religion": canary("religion", Sensitivity.INTERNAL),
              "public_summary": "Musician and campaigner, jailed for leading peaceful protests."},
        acting_user=dana)
    case = actions.do_add_case(person=person, data={
        "jurisdiction": "BY", "case_number": canary("case-number", Sensitivity.INTERNAL), "theme": "assembly",
        "opened_on": PartialDate(2020, 9), "case_group": "Coordination Council case",
        "legal_strategy": canary("legal-strategy", Sensitivity.RESTRICTED), "procedural_stage": "sentenced"},
        acting_user=dana)
    actions.do_add_charge(case=case, data={"law_article": article, "status": "convicted", "brought_on": PartialDate(2020, 9)},
                          acting_user=dana)
    actions.do_add_charge(case=case, data={"law_article": article2, "status": "convicted"}, acting_user=dana)
    judge = actions.do_add_official(organisation=cast.org_a, data={"name": canary("judge-name", Sensitivity.INTERNAL),
                                                                   "role": "judge"}, acting_user=dana)
    actions.do_add_hearing(case=case, data={"court": "Minsk Regional Court", "court_kind": "civilian",
                                            "held_on": PartialDate(2021, 9, 6), "is_open": False,
                                            "defence_access": "limited", "outcome": "convicted",
                                            "monitor_notes": canary("monitor-notes", Sensitivity.RESTRICTED)},
                           judges=[judge], acting_user=dana)
    actions.do_add_sentence(case=case, data={"sentence_type": "imprisonment", "years": 11,
                                             "handed_down_on": PartialDate(2021, 9, 6),
                                             "counts_from": PartialDate(2020, 9, 7), "regime": "general regime"},
                            acting_user=dana)
    detention = actions.do_add_detention(person=person, data={
        "kind": "serving_sentence", "case": case, "start": PartialDate(2020, 9), "facility": facility,
        "conditions_notes": canary("health", Sensitivity.RESTRICTED)}, acting_user=dana)
    actions.do_record_status(person=person, status="awaiting_trial", effective=PartialDate(2020, 9, 7), acting_user=dana)
    actions.do_record_status(person=person, status="imprisoned", effective=PartialDate(2021, 9, 6), acting_user=dana)
    relationship = actions.do_add_relationship(
        person=person, kind="sibling", name=canary("family-name", Sensitivity.SEALED),
        contact=canary("family-contact", Sensitivity.SEALED), notes=canary("family-notes", Sensitivity.RESTRICTED),
        acting_user=dana)
    actions.do_record_consent(person=person, data={"scope": "name", "given_by": "sister", "given_on": date(2021, 1, 1)},
                              acting_user=dana)
    actions.do_record_consent(person=person, data={"scope": "story", "given_by": "sister", "given_on": date(2021, 1, 1)},
                              acting_user=dana)
    source = actions.do_add_source(organisation=cast.org_a, data={"label": "Source 1", "connection": "relative",
                                                                  "reliability": "B", "credibility": "2"},
                                   identity=canary("source-identity", Sensitivity.SEALED), acting_user=dana)
    actions.do_cite(source=source, target=detention, field="start", acting_user=dana)
    actions.do_record_decision(
        person=person,
        data={"framework": "pace_1900", "outcome": "political_prisoner", "decided_on": date(2021, 10, 1),
              "public_rationale": "Detained for peaceful assembly.", "case": case,
              "deliberations": canary("deliberations", Sensitivity.INTERNAL)},
        criteria=[CriterionInput("a", "met", "Peaceful assembly"), CriterionInput("e", "met", "Closed trial"),
                  CriterionInput("violence", "not_met", is_exclusion=True)],
        reviewers=[cast.bilal], acting_user=dana)
    person_b = actions.do_create_person(
        organisation=cast.org_b, names=[NameInput("Ales Bialiatski"), NameInput("Алесь Бяляцкі")],
        data={"country": "BY", "occupation": "hr_defender", "internal_notes": canary("org-b-notes", Sensitivity.INTERNAL)},
        acting_user=cast.chris)
    person.refresh_from_db()
    return Sample(person, case, detention, relationship, source, person_b, facility, article, canaries)

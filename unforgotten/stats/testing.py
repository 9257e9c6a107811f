"""A small registry with partial dates whose statistics are computed by hand (``tests/test_asof_fixture.py``).

``make_fixture(cast)`` records, through the registry's action functions, six
people of Org A and one of Org B. Each person's history is chosen to exercise
one part of the counting rule (decision 0015); the expected figures are written
out beside each person, so the test reads as the hand computation it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from unforgotten.core.partialdate import PartialDate
from unforgotten.policy.sensitivity import Sensitivity
from unforgotten.registry import actions
from unforgotten.registry.actions import CriterionInput, NameInput
from unforgotten.registry.models import Facility, LawArticle, Person

PD = PartialDate


@dataclass
class Fixture:
    anna: Person
    boris: Person
    chen: Person
    dilnoza: Person
    emil: Person
    hidden: Person
    org_b_person: Person
    colony: Facility
    sizo: Facility
    article: LawArticle


def _person(cast: Any, org: Any, name: str, **data: Any) -> Person:
    return actions.do_create_person(organisation=org, names=[NameInput(name)], data=data, acting_user=cast.dana
                                    if org == cast.org_a else cast.chris)


def _decide(cast: Any, person: Person, outcome: str, on: date) -> None:
    met = outcome in ("political_prisoner", "prisoner_of_conscience")
    actions.do_record_decision(person=person, data={"framework": "pace_1900", "outcome": outcome, "decided_on": on},
                               criteria=[CriterionInput("a", "met" if met else "unclear")], acting_user=cast.dana)


def make_fixture(cast: Any) -> Fixture:
    dana = cast.dana
    article = actions.do_add_law_article(data={"country": "BY", "code": "Criminal Code", "article": "342"},
                                         acting_user=dana)
    colony = actions.do_add_facility(data={"name": "Penal Colony No. 4", "kind": "colony", "country": "BY"},
                                     acting_user=dana)
    sizo = actions.do_add_facility(data={"name": "SIZO-1", "kind": "pre_trial_centre", "country": "RU"},
                                   acting_user=dana)

    # Anna: imprisoned "in 2021" (counts from 31 Dec 2021); detained from "March 2021" in the colony;
    # recognised on 1 June 2021; a case opened "February 2021" with one charge brought 15 Feb 2021.
    anna = _person(cast, cast.org_a, "Anna Test", country="BY", gender="female", occupation="journalist")
    actions.do_record_status(person=anna, status="imprisoned", effective=PD(2021), acting_user=dana)
    actions.do_add_detention(person=anna, data={"kind": "serving_sentence", "start": PD(2021, 3), "facility": colony},
                             acting_user=dana)
    _decide(cast, anna, "political_prisoner", date(2021, 6, 1))
    case = actions.do_add_case(person=anna, data={"jurisdiction": "BY", "theme": "expression",
                                                  "opened_on": PD(2021, 2)}, acting_user=dana)
    actions.do_add_charge(case=case, data={"law_article": article, "brought_on": PD(2021, 2, 15)}, acting_user=dana)

    # Boris: awaiting trial from 10 May 2020 (exact), released "in July 2021" (counts from 31 July 2021);
    # held in the SIZO from 10 May 2020 until "July 2021".
    boris = _person(cast, cast.org_a, "Boris Test", country="RU", gender="male", occupation="lawyer")
    actions.do_record_status(person=boris, status="awaiting_trial", effective=PD(2020, 5, 10), acting_user=dana)
    actions.do_record_status(person=boris, status="released", effective=PD(2021, 7), acting_user=dana)
    actions.do_add_detention(person=boris, data={"kind": "pre_trial", "start": PD(2020, 5, 10), "end": PD(2021, 7),
                                                 "facility": sizo}, acting_user=dana)

    # Chen: imprisoned, date unknown: date uncertain on every day.
    chen = _person(cast, cast.org_a, "Chen Test", country="CN", gender="male", occupation="blogger")
    actions.do_record_status(person=chen, status="imprisoned", effective=PD(), acting_user=dana)

    # Dilnoza: no status history at all: date uncertain on every day.
    dilnoza = _person(cast, cast.org_a, "Dilnoza Test", country="RU", gender="female", occupation="hr_defender")

    # Emil: awaiting trial "in 2019" (from 31 Dec 2019), imprisoned on 5 March 2020;
    # under review from 10 Jan 2020, recognised on 1 Aug 2020.
    emil = _person(cast, cast.org_a, "Emil Test", country="BY", gender="male", occupation="student")
    actions.do_record_status(person=emil, status="awaiting_trial", effective=PD(2019), acting_user=dana)
    actions.do_record_status(person=emil, status="imprisoned", effective=PD(2020, 3, 5), acting_user=dana)
    _decide(cast, emil, "under_review", date(2020, 1, 10))
    _decide(cast, emil, "political_prisoner", date(2020, 8, 1))

    # A record of Org A raised to restricted as a whole: its staff may not know it exists, so it is not counted.
    hidden = _person(cast, cast.org_a, "Hidden Test", country="BY", gender="male", occupation="student",
                     sensitivity_floor=Sensitivity.RESTRICTED)
    actions.do_record_status(person=hidden, status="imprisoned", effective=PD(2020, 1, 1), acting_user=dana)

    # Org B's prisoner: never in Org A's figures.
    org_b_person = _person(cast, cast.org_b, "Other Org Test", country="BY", gender="male", occupation="student")
    actions.do_record_status(person=org_b_person, status="imprisoned", effective=PD(2020, 1, 1),
                             acting_user=cast.chris)
    for person in (anna, boris, chen, dilnoza, emil, hidden, org_b_person):
        person.refresh_from_db()
    return Fixture(anna, boris, chen, dilnoza, emil, hidden, org_b_person, colony, sizo, article)

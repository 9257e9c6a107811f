"""Radar records for tests and the fuzz: held people with cases, and media mentions, written through the actions.

``make_held_case`` creates a person held since ``detained`` (a partial date:
the radar counts missing signals from its earliest day) with one case;
``make_radar_sample`` adds to the registry's sample a media mention whose note
is an internal canary, and a second prisoner of Org A whose whole record is
restricted and whose name is a canary (``RESTRICTED_NAME``): only the person's
case team may learn that case exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from unforgotten.core.partialdate import PartialDate
from unforgotten.policy.sensitivity import Sensitivity
from unforgotten.radar import actions as radar_actions
from unforgotten.radar.models import MediaMention
from unforgotten.registry import actions
from unforgotten.registry.actions import NameInput
from unforgotten.registry.models import Case

MEDIA_NOTE_CANARY = "CANARY-radar-media-note-internal"
RESTRICTED_NAME = "CANARY-radar-restricted-name"


def make_held_case(org: Any, name: str, *, acting_user: Any, country: str = "BY",
                   detained: PartialDate | None = None, status: str = "imprisoned",
                   floor: Sensitivity | None = None) -> Case:
    detained = detained or PartialDate(2021, 1, 10)
    data: dict[str, Any] = {"country": country}
    if floor is not None:
        data["sensitivity_floor"] = int(floor)
    person = actions.do_create_person(organisation=org, names=[NameInput(name, "Latn", "en", "legal", True)],
                                      data=data, acting_user=acting_user)
    case = actions.do_add_case(person=person, data={"jurisdiction": country, "opened_on": detained},
                               acting_user=acting_user)
    actions.do_add_detention(person=person, data={"kind": "pre_trial", "case": case, "start": detained},
                             acting_user=acting_user)
    actions.do_record_status(person=person, status=status, effective=detained, acting_user=acting_user)
    case.refresh_from_db()
    return case


@dataclass
class RadarSample:
    mention: MediaMention
    hidden_case: Case


def make_radar_sample(cast: Any, sample: Any) -> RadarSample:
    mention = radar_actions.do_log_media_mention(case=sample.case_a, data={
        "outlet": "Radio Liberty", "url": "https://example.org/article", "published": "2024-05",
        "language": "ru", "note": MEDIA_NOTE_CANARY}, acting_user=cast.dana)
    hidden = make_held_case(cast.org_a, RESTRICTED_NAME, acting_user=cast.dana, detained=PartialDate(2010),
                            floor=Sensitivity.RESTRICTED)
    return RadarSample(mention, hidden)

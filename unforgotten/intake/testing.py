"""Sample builders for intake and newsletter tests: records made through the action functions.

Canaries end with the class they were planted at (``CANARY-…-sealed``), like the registry's sample.
"""

from __future__ import annotations

from typing import Any

from unforgotten.intake import actions
from unforgotten.intake.models import Suggestion

CONTACT_CANARY = "CANARY-suggester-contact-sealed"
CONTACT_NAME_CANARY = "CANARY-suggester-name-sealed"
REASON_CANARY = "CANARY-suggestion-reason-internal"


def make_suggestion(cast: Any, name: str = "Ilgar Mammadov", **data: Any) -> Suggestion:
    values: dict[str, Any] = {"person_name": name, "country": "AZ", "place_held": "Prison 14", "held_since": "2021-03",
              "reason": f"Arrested after a speech. {REASON_CANARY}", "sources": "https://example.org/report"}
    values.update(data)
    from unforgotten.core.partialdate import PartialDate

    values["held_since"] = PartialDate.parse(str(values["held_since"]))
    return actions.do_receive_suggestion(organisation=cast.org_a, data=values, language="en",
                                         contact_name=CONTACT_NAME_CANARY, contact=CONTACT_CANARY)

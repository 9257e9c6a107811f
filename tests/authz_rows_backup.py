"""Authorization rows of erasure (issue 5, helper "backup"): the person page's erase forms and the API's DELETEs.

Erasing is a senior decision: reviewer Bilal and admin Dana of Org A. Everyone
else gets "not found" (Vera reads but may not erase, Amal edits but may not,
Chris and Pat see nothing of Org A). The forms are POST-only (GET answers 405)
and, for those allowed, first send the person to re-enter a credential (302) —
so the matrix never erases the sample. The API's DELETE without ?reason= is
bad input (422) for those allowed, 404 for the others, 401 signed out.
"""

from __future__ import annotations

from typing import Any

from tests.authz_matrix import Expect, Row, page, registry_sample

REVIEW_A = frozenset({"bilal", "dana"})
PERSON = {"person": "{person_a}"}
NOWHERE = "00000000-0000-4000-8000-000000000000"

ROWS: dict[str, Row] = {
    "registry:case_erase": Row({"POST": page(REVIEW_A, 302)}, kwargs={**PERSON, "case": "{case_a}"},
                               probe={**PERSON, "case": "999999"}),
    "registry:source_erase": Row({"POST": page(REVIEW_A, 302)}, kwargs={**PERSON, "source": "{source_a}"},
                                 probe={**PERSON, "source": NOWHERE}),
    # A whole person and its retention date (issue 5, helper "evidence"): the same people, the same answers.
    "registry:person_erase": Row({"POST": page(REVIEW_A, 302)}, kwargs=PERSON, probe={"person": NOWHERE}),
    "registry:person_retention": Row({"POST": page(REVIEW_A, 302)}, kwargs=PERSON, probe={"person": NOWHERE}),
    "api:erase_source": Row({"DELETE": Expect(REVIEW_A, 422, signed_out=401)}, kwargs={"uuid": "{api_source_a}"},
                            probe={"uuid": NOWHERE}),
}


def placeholders(cast: Any) -> dict[str, str]:
    return {"api_source_a": str(registry_sample(cast).source_a.uuid)}

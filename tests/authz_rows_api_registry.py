"""Matrix rows for the registry's JSON API (/api/v1/registry/), written from the persona sentences.

API conventions: signed-out callers get 401; anyone the policy refuses gets 404,
the same bytes as for a record that does not exist. The matrix sends no body, so
a write by an allowed persona answers 422 (the body is missing) while a refused
persona is answered 404 before the body is read.
"""

from __future__ import annotations

from typing import Any

from tests.authz_matrix import MEMBERS, VIEW_A, Expect, Row, api, registry_sample

# Edit Org A's cases: caseworker Amal, reviewer Bilal, admin Dana (not viewer Vera).
EDIT_A = frozenset({"amal", "bilal", "dana"})
# Decide recognition in Org A: reviewer Bilal and admin Dana.
REVIEW_A = frozenset({"bilal", "dana"})
# Edit cases in some organisation: Org A's editors and Chris, a caseworker of Org B.
# They may add to the shared catalogues and record people, sources and officials for their own organisation.
WRITERS = EDIT_A | {"chris"}


def write(allowed: frozenset[str]) -> Expect:
    return Expect(allowed, 422, signed_out=401)


PERSON = {"uuid": "{api_person_a}"}
NO_PERSON = {"uuid": "00000000-0000-4000-8000-000000000000"}
CASE = {"case_id": "{api_case_a}"}
NO_CASE = {"case_id": "999999"}
CONSENT = {"consent_id": "{api_consent_a}"}
NO_CONSENT = {"consent_id": "999999"}

_people = {"GET": api(MEMBERS), "POST": write(WRITERS)}
_person = {"GET": api(VIEW_A), "PATCH": write(EDIT_A), "DELETE": write(REVIEW_A)}  # DELETE: evidence, issue 5
_catalogue = {"GET": api(MEMBERS), "POST": write(WRITERS)}


def _person_write(allowed: frozenset[str] = EDIT_A) -> Row:
    return Row({"POST": write(allowed)}, kwargs=PERSON, probe=NO_PERSON)


def _case_write() -> Row:
    return Row({"POST": write(EDIT_A)}, kwargs=CASE, probe=NO_CASE)


ROWS: dict[str, Row] = {
    # One URL serves two routes (list and create; read and change): each name states both methods.
    "api:list_people": Row(_people),
    "api:create_person": Row(_people),
    "api:get_person": Row(_person, kwargs=PERSON, probe=NO_PERSON),
    "api:update_person": Row(_person, kwargs=PERSON, probe=NO_PERSON),
    "api:erase_person": Row(_person, kwargs=PERSON, probe=NO_PERSON),  # evidence, issue 5
    "api:set_person_names": Row({"PUT": write(EDIT_A)}, kwargs=PERSON, probe=NO_PERSON),
    "api:add_case": _person_write(),
    # DELETE erases the case (issue 5, helper "backup"): reviewers and the admin; 422 without ?reason=.
    "api:update_case": Row({"PATCH": write(EDIT_A), "DELETE": write(REVIEW_A)}, kwargs=CASE, probe=NO_CASE),
    "api:erase_case": Row({"PATCH": write(EDIT_A), "DELETE": write(REVIEW_A)}, kwargs=CASE, probe=NO_CASE),
    "api:add_charge": _case_write(),
    "api:add_hearing": _case_write(),
    "api:add_sentence": _case_write(),
    "api:add_detention": _person_write(),
    "api:update_charge": Row({"PATCH": write(EDIT_A)}, kwargs={"charge_id": "{api_charge_a}"},
                             probe={"charge_id": "999999"}),
    "api:update_hearing": Row({"PATCH": write(EDIT_A)}, kwargs={"hearing_id": "{api_hearing_a}"},
                              probe={"hearing_id": "999999"}),
    "api:update_sentence": Row({"PATCH": write(EDIT_A)}, kwargs={"sentence_id": "{api_sentence_a}"},
                               probe={"sentence_id": "999999"}),
    # One URL, three routes: read by Org A's readers, changed by its editors. The
    # matrix sends no file: an allowed upload answers 422; a DELETE succeeds (200).
    "api:get_photo": Row({"GET": api(VIEW_A), "POST": write(EDIT_A), "DELETE": api(EDIT_A)},
                         kwargs=PERSON, probe=NO_PERSON),
    "api:set_photo": Row({"GET": api(VIEW_A), "POST": write(EDIT_A), "DELETE": api(EDIT_A)},
                         kwargs=PERSON, probe=NO_PERSON),
    "api:remove_photo": Row({"GET": api(VIEW_A), "POST": write(EDIT_A), "DELETE": api(EDIT_A)},
                            kwargs=PERSON, probe=NO_PERSON),
    "api:update_detention": Row({"PATCH": write(EDIT_A)}, kwargs={"detention_id": "{api_detention_a}"},
                                probe={"detention_id": "999999"}),
    # Everyone reading the record sees its case team; reviewers and the admin change it
    # (in a session only: no token scope grants the review capability).
    "api:get_case_team": Row({"GET": api(VIEW_A), "POST": write(REVIEW_A)}, kwargs=PERSON, probe=NO_PERSON),
    "api:add_to_case_team": Row({"GET": api(VIEW_A), "POST": write(REVIEW_A)}, kwargs=PERSON, probe=NO_PERSON),
    "api:remove_from_case_team": Row({"POST": write(REVIEW_A)}, kwargs=PERSON, probe=NO_PERSON),
    "api:add_status_change": _person_write(),
    "api:add_relationship": _person_write(),
    "api:add_consent": _person_write(),
    "api:withdraw_consent": Row({"POST": write(EDIT_A)}, kwargs=CONSENT, probe=NO_CONSENT),
    "api:add_source": Row({"POST": write(WRITERS)}),
    # Recognition needs the review capability (no token scope grants it).
    "api:add_decision": _person_write(REVIEW_A),
    "api:list_law_articles": Row(_catalogue),
    "api:create_law_article": Row(_catalogue),
    "api:list_facilities": Row(_catalogue),
    "api:create_facility": Row(_catalogue),
    "api:list_officials": Row(_catalogue),
    "api:create_official": Row(_catalogue),
}


def placeholders(cast: Any) -> dict[str, str]:
    sample: Any = registry_sample(cast)
    return {
        "api_person_a": str(sample.person_a.uuid),
        "api_case_a": str(sample.case_a.pk),
        "api_charge_a": str(sample.case_a.charges.order_by("id").first().pk),
        "api_hearing_a": str(sample.case_a.hearings.order_by("id").first().pk),
        "api_sentence_a": str(sample.case_a.sentences.order_by("id").first().pk),
        "api_detention_a": str(sample.detention_a.pk),
        "api_consent_a": str(sample.person_a.consents.order_by("id").first().pk),
    }

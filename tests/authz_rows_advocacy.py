"""Matrix rows for advocacy (/work/advocacy/ and /api/v1/advocacy/), written from the persona sentences.

Readers of Org A (Amal, Bilal, Dana, Vera) see its stakeholders, a prisoner's
interventions, rules, legal actions, UN communications, adoptions and the WGAD
draft; members of any organisation (Chris too, for his own) see the dashboard,
the lists and the laws catalogue. Recording and changing is for advocates and
organisation admins: of the matrix's personas only Dana (Ada, the advocate, is
tested in the app's own files). Handing a dossier or a WGAD draft outside
needs advocacy and export and a fresh re-authentication: Dana's POST is sent to
re-authenticate (302). Revealing a lawyer's sealed contact is for the case team
of one of the lawyer's clients: Amal, who is put on the prisoner's team here;
her POST is sent to re-authenticate. The matrix sends no body: an allowed form
answers 400 (pages) or 422 (API); the brief, whose every field may be empty, saves.
"""

from __future__ import annotations

from typing import Any

from tests.authz_matrix import VIEW_A, Expect, Row, api, page, safe

MEMBERS = frozenset({"amal", "bilal", "dana", "vera", "chris", "cleo"})
ADVOCACY_A = frozenset({"dana"})
TEAM_A = frozenset({"amal"})
GHOST_UUID = "00000000-0000-4000-8000-000000000000"
GHOST_ID = "999999999"

PERSON = {"person": "{person_a}"}
NO_PERSON = {"person": GHOST_UUID}
CASE = {"case": "{case_a}"}
NO_CASE = {"case": GHOST_ID}
STAKEHOLDER = {"stakeholder": "{adv_stakeholder_a}"}
NO_STAKEHOLDER = {"stakeholder": GHOST_UUID}


def _form(allowed: frozenset[str] = ADVOCACY_A, post: int = 400) -> dict[str, Expect]:
    return {"GET": page(allowed), "POST": page(allowed, post)}


def _api_write(allowed: frozenset[str] = ADVOCACY_A) -> Expect:
    return Expect(allowed, 422, signed_out=401)


ROWS: dict[str, Row] = {
    "advocacy:home": Row(safe(page(MEMBERS))),
    "advocacy:laws": Row(safe(page(MEMBERS))),
    "advocacy:stakeholder_list": Row(safe(page(MEMBERS))),
    "advocacy:stakeholder_create": Row(_form()),
    "advocacy:stakeholder_detail": Row(safe(page(VIEW_A)), kwargs=STAKEHOLDER, probe=NO_STAKEHOLDER),
    "advocacy:stakeholder_edit": Row(_form(), kwargs=STAKEHOLDER, probe=NO_STAKEHOLDER),
    "advocacy:stakeholder_write": Row(_form(), kwargs=STAKEHOLDER, probe=NO_STAKEHOLDER),
    "advocacy:person": Row(safe(page(VIEW_A)), kwargs=PERSON, probe=NO_PERSON),
    "advocacy:dossier": Row(_form(post=302), kwargs=PERSON, probe=NO_PERSON),
    "advocacy:adoption_create": Row(_form(), kwargs=PERSON, probe=NO_PERSON),
    "advocacy:brief": Row(_form(post=302), kwargs=CASE, probe=NO_CASE),
    "advocacy:intervention_create": Row(_form(), kwargs=CASE, probe=NO_CASE),
    "advocacy:cadence_create": Row(_form(), kwargs=CASE, probe=NO_CASE),
    "advocacy:legal_action_create": Row(_form(), kwargs=CASE, probe=NO_CASE),
    "advocacy:un_create": Row(_form(), kwargs=CASE, probe=NO_CASE),
    "advocacy:wgad": Row({**safe(page(VIEW_A)), "POST": page(ADVOCACY_A, 400)}, kwargs=CASE, probe=NO_CASE),
    "advocacy:wgad_export": Row({"POST": page(ADVOCACY_A, 302)}, kwargs=CASE, probe=NO_CASE),
    "advocacy:intervention_edit": Row(_form(), kwargs={"intervention": "{adv_intervention_a}"},
                                      probe={"intervention": GHOST_UUID}),
    "advocacy:cadence_edit": Row(_form(), kwargs={"rule": "{adv_rule_a}"}, probe={"rule": GHOST_ID}),
    "advocacy:adoption_edit": Row({**safe(page(VIEW_A)), "POST": page(ADVOCACY_A, 400)},
                                  kwargs={"adoption": "{adv_adoption_a}"}, probe={"adoption": GHOST_UUID}),
    "advocacy:activity_create": Row(_form(), kwargs={"adoption": "{adv_adoption_a}"},
                                    probe={"adoption": GHOST_UUID}),
    "advocacy:toolkit": Row(_form(), kwargs={"adoption": "{adv_adoption_a}"}, probe={"adoption": GHOST_UUID}),
    "advocacy:lawyer_list": Row(safe(page(MEMBERS))),
    "advocacy:lawyer_create": Row(_form()),
    "advocacy:lawyer_reveal": Row(_form(TEAM_A, post=302), kwargs={"lawyer": "{adv_lawyer_a}"},
                                  probe={"lawyer": GHOST_UUID}),
    "advocacy:legal_action_edit": Row(_form(), kwargs={"action": "{adv_legal_action_a}"},
                                      probe={"action": GHOST_UUID}),
    "advocacy:un_edit": Row(_form(), kwargs={"communication": "{adv_communication_a}"},
                            probe={"communication": GHOST_UUID}),
}

API_STAKEHOLDER = {"uuid": "{adv_stakeholder_a}"}
API_PERSON = {"uuid": "{person_a}"}
API_CASE = {"case_id": "{case_a}"}
API_NO_CASE = {"case_id": GHOST_ID}
NO_UUID = {"uuid": GHOST_UUID}
WRITE = _api_write()
_stakeholders = {"GET": api(MEMBERS), "POST": WRITE}
_stakeholder = {"GET": api(VIEW_A), "PATCH": WRITE}
_adoptions = {"GET": api(VIEW_A), "POST": WRITE}
_lawyers = {"GET": api(MEMBERS), "POST": WRITE}
_wgad = {"GET": api(VIEW_A), "PUT": WRITE}

ROWS.update({
    # One URL, several routes (list and create): each name states every method of the URL.
    "api:list_stakeholders": Row(_stakeholders),
    "api:create_stakeholder": Row(_stakeholders),
    "api:get_stakeholder": Row(_stakeholder, kwargs=API_STAKEHOLDER, probe=NO_UUID),
    "api:update_stakeholder": Row(_stakeholder, kwargs=API_STAKEHOLDER, probe=NO_UUID),
    "api:send_letter": Row({"POST": WRITE}, kwargs=API_STAKEHOLDER, probe=NO_UUID),
    "api:list_overdue": Row({"GET": api(MEMBERS)}),
    "api:list_deadlines": Row({"GET": api(MEMBERS)}),
    "api:list_laws": Row({"GET": api(MEMBERS)}),
    "api:get_case": Row({"GET": api(VIEW_A)}, kwargs=API_CASE, probe=API_NO_CASE),
    "api:create_intervention": Row({"POST": WRITE}, kwargs=API_CASE, probe=API_NO_CASE),
    "api:update_intervention": Row({"PATCH": WRITE}, kwargs={"uuid": "{adv_intervention_a}"}, probe=NO_UUID),
    "api:set_cadence": Row({"PUT": WRITE}, kwargs=API_CASE, probe=API_NO_CASE),
    # No body to refuse: the allowed DELETE removes the rule.
    "api:delete_cadence": Row({"DELETE": Expect(ADVOCACY_A, 204, signed_out=401)}, kwargs={"rule_id": "{adv_rule_a}"},
                              probe={"rule_id": GHOST_ID}),
    "api:set_brief": Row({"PUT": WRITE}, kwargs=API_CASE, probe=API_NO_CASE),
    "api:create_legal_action": Row({"POST": WRITE}, kwargs=API_CASE, probe=API_NO_CASE),
    "api:update_legal_action": Row({"PATCH": WRITE}, kwargs={"uuid": "{adv_legal_action_a}"}, probe=NO_UUID),
    "api:create_communication": Row({"POST": WRITE}, kwargs=API_CASE, probe=API_NO_CASE),
    "api:update_communication": Row({"PATCH": WRITE}, kwargs={"uuid": "{adv_communication_a}"}, probe=NO_UUID),
    "api:get_wgad": Row(_wgad, kwargs=API_CASE, probe=API_NO_CASE),
    "api:set_wgad": Row(_wgad, kwargs=API_CASE, probe=API_NO_CASE),
    "api:export_wgad": Row({"POST": WRITE}, kwargs=API_CASE, probe=API_NO_CASE),
    "api:make_dossier": Row({"POST": WRITE}, kwargs=API_PERSON, probe=NO_UUID),
    "api:list_adoptions": Row(_adoptions, kwargs=API_PERSON, probe=NO_UUID),
    "api:create_adoption": Row(_adoptions, kwargs=API_PERSON, probe=NO_UUID),
    "api:update_adoption": Row({"PATCH": WRITE}, kwargs={"uuid": "{adv_adoption_a}"}, probe=NO_UUID),
    "api:log_activity": Row({"POST": WRITE}, kwargs={"uuid": "{adv_adoption_a}"}, probe=NO_UUID),
    "api:get_toolkit": Row({"GET": api(ADVOCACY_A)}, kwargs={"uuid": "{adv_adoption_a}"}, probe=NO_UUID),
    # The sample's adopter has no e-mail address: the toolkit cannot be sent (422).
    "api:send_toolkit": Row({"POST": WRITE}, kwargs={"uuid": "{adv_adoption_a}"}, probe=NO_UUID),
    "api:list_lawyers": Row(_lawyers),
    "api:create_lawyer": Row(_lawyers),
})


def placeholders(cast: Any) -> dict[str, str]:
    from tests import authz_matrix
    from unforgotten.advocacy.models import Stakeholder
    from unforgotten.advocacy.testing import make_advocacy_sample

    sample: Any = authz_matrix.registry_sample(cast)
    # Amal is on the prisoner's case team (as the registry's rows also make her), so the lawyer's reveal row
    # has someone who may use it.
    sample.person_a.case_team.add(cast.amal)
    if not Stakeholder.objects.filter(organisation=cast.org_a).exists():
        make_advocacy_sample(cast, sample)
    from unforgotten.advocacy.models import (
        Adoption,
        CadenceRule,
        Intervention,
        Lawyer,
        LegalAction,
        UNCommunication,
    )

    return {
        "person_a": str(sample.person_a.uuid),
        "case_a": str(sample.case_a.pk),
        "adv_stakeholder_a": str(Stakeholder.objects.filter(organisation=cast.org_a, email__gt="").first().uuid),  # type: ignore[union-attr]
        "adv_intervention_a": str(Intervention.objects.filter(case=sample.case_a).first().uuid),  # type: ignore[union-attr]
        "adv_rule_a": str(CadenceRule.objects.filter(case=sample.case_a).first().pk),  # type: ignore[union-attr]
        "adv_adoption_a": str(Adoption.objects.filter(person=sample.person_a).first().uuid),  # type: ignore[union-attr]
        "adv_lawyer_a": str(Lawyer.objects.filter(organisation=cast.org_a).first().uuid),  # type: ignore[union-attr]
        "adv_legal_action_a": str(LegalAction.objects.filter(case=sample.case_a).first().uuid),  # type: ignore[union-attr]
        "adv_communication_a": str(UNCommunication.objects.filter(case=sample.case_a).first().uuid),  # type: ignore[union-attr]
    }

"""Advocacy records for tests, on top of the registry's sample, with a canary in every field above public.

``make_advocacy_sample(cast, sample)`` adds, for Org A's prisoner: two
stakeholders (one without an e-mail address), an intervention, a cadence rule,
the dossier texts (English and Arabic), an adoption with an activity, a lawyer
with sealed contact details, a legal action with a deadline, a UN communication
and a WGAD draft. Every internal, restricted and sealed value carries a
distinct ``CANARY-adv-…`` token (``canaries`` maps each to its class), and the
health text, public only with a consent the sample never gives, carries one too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from unforgotten.advocacy import actions
from unforgotten.advocacy.models import (
    Adoption,
    CadenceRule,
    Intervention,
    Lawyer,
    LegalAction,
    Stakeholder,
    UNCommunication,
    WGADDraft,
)
from unforgotten.policy.sensitivity import Sensitivity

ARABIC_SUMMARY = "اعتقلت لأنها قادت احتجاجات سلمية في مينسك"
ARABIC_ASK = "نطالب بالإفراج الفوري وغير المشروط عنها"


@dataclass
class AdvocacySample:
    stakeholder: Stakeholder
    silent_stakeholder: Stakeholder
    intervention: Intervention
    rule: CadenceRule
    adoption: Adoption
    lawyer: Lawyer
    legal_action: LegalAction
    communication: UNCommunication
    draft: WGADDraft
    canaries: dict[str, Sensitivity] = field(default_factory=dict)
    # Public-class values a media reader may see only with a consent the sample never gives.
    consent_canaries: list[str] = field(default_factory=list)

    def forbidden_for(self, ceiling: Sensitivity) -> list[str]:
        return [c for c, level in self.canaries.items() if level > ceiling]


def make_advocacy_sample(cast: Any, sample: Any) -> AdvocacySample:
    canaries: dict[str, Sensitivity] = {}

    def canary(name: str, level: Sensitivity) -> str:
        token = f"CANARY-adv-{name}-{level.name.lower()}"
        canaries[token] = level
        return token

    dana, case, person = cast.dana, sample.case_a, sample.person_a
    today = timezone.localdate()
    stakeholder = actions.do_add_stakeholder(organisation=cast.org_a, data={
        "kind": "embassy", "name": "Embassy of Norway in Minsk", "institution": "Ministry of Foreign Affairs",
        "role": "Human rights officer", "country": "NO", "language": "en",
        "email": "hr-officer@embassy.example.org", "phone": canary("stakeholder-phone", Sensitivity.INTERNAL),
        "postal_address": canary("stakeholder-address", Sensitivity.INTERNAL),
        "notes": canary("stakeholder-notes", Sensitivity.INTERNAL)}, acting_user=dana)
    silent = actions.do_add_stakeholder(organisation=cast.org_a, data={
        "kind": "parliamentarian", "name": "A member of parliament", "country": "DE"}, acting_user=dana)
    intervention = actions.do_record_intervention(case=case, stakeholder=stakeholder, data={
        "occurred": str(today - timedelta(days=90)), "method": "bilateral_meeting",
        "raised_by": canary("raised-by", Sensitivity.INTERNAL), "asked": canary("asked", Sensitivity.INTERNAL),
        "response": canary("response", Sensitivity.INTERNAL), "outcome": "raised",
        "notes": canary("intervention-notes", Sensitivity.RESTRICTED)}, acting_user=dana)
    rule = actions.do_set_cadence_rule(case=case, stakeholder=stakeholder, every_days=60, acting_user=dana)
    health = "CANARY-adv-health-needs-consent"
    actions.do_save_brief(case=case, data={
        "summary": "Maryia Kalesnikava led peaceful protests in Minsk and was jailed for it.",
        "asks": "Release Maryia Kalesnikava immediately and unconditionally.",
        "health": health, "translation_language": "ar", "summary_translation": ARABIC_SUMMARY,
        "asks_translation": ARABIC_ASK, "health_translation": health + "-ar"}, acting_user=dana)
    adoption = actions.do_adopt(person=person, data={
        "adopter_kind": "parliamentarian", "adopter_name": "Ingrid Example MP", "stakeholder": silent,
        "started_on": today - timedelta(days=30), "notes": canary("adoption-notes", Sensitivity.INTERNAL)},
        acting_user=dana)
    actions.do_log_adoption_activity(adoption=adoption, data={
        "occurred": str(today - timedelta(days=10)), "kind": "parliamentary_question",
        "description": canary("activity", Sensitivity.INTERNAL)}, acting_user=dana)
    lawyer = actions.do_add_lawyer(organisation=cast.org_a, name="Defence lawyer Example", country="BY",
                                   contact=canary("lawyer-contact", Sensitivity.SEALED),
                                   notes=canary("lawyer-notes", Sensitivity.RESTRICTED), acting_user=dana)
    legal_action = actions.do_add_legal_action(case=case, data={
        "kind": "appeal", "forum": "Supreme Court of Belarus", "lawyer": lawyer, "responsible": cast.ada,
        "filed_on": "2021-10", "deadline": today + timedelta(days=20), "status": "filed",
        "reference": canary("court-reference", Sensitivity.INTERNAL),
        "arguments": canary("arguments", Sensitivity.RESTRICTED)}, acting_user=dana)
    communication = actions.do_add_un_communication(case=case, data={
        "mechanism": "wgad", "kind": "regular", "submitted_on": date(2022, 1, 10), "transmitted_on": date(2022, 2, 1),
        "reference": canary("un-reference", Sensitivity.INTERNAL), "outcome": "arbitrary", "categories": ["II", "III"],
        "opinion_number": "No. 27/2023", "notes": canary("un-notes", Sensitivity.RESTRICTED)}, acting_user=dana)
    draft = actions.do_save_wgad_draft(case=case, data={
        "family_name": "Kalesnikava", "given_names": "Maryia",
        "id_document": canary("id-document", Sensitivity.RESTRICTED),
        "residence": canary("residence", Sensitivity.RESTRICTED),
        "circumstances": canary("circumstances", Sensitivity.INTERNAL)}, acting_user=dana)
    return AdvocacySample(stakeholder, silent, intervention, rule, adoption, lawyer, legal_action, communication,
                          draft, canaries, [health])

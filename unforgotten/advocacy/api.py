"""The advocacy JSON API, mounted at /api/v1/advocacy/: the same policy, projection and actions as the workspace.

- Who may: ``advocacy.view`` to read (a token's read scope), ``advocacy.edit``
  to record (a person's advocate or admin role; a token's advocacy scope),
  ``advocacy.export`` plus a session that re-authenticated within 15 minutes to
  make a dossier or export a WGAD draft (a token never may: exporting is a
  dangerous act that needs a person to re-enter a credential). Refusals are
  "not found", asked before the body is read.
- What they see: ``project(obj, audience)`` for the caller; a lawyer's contact
  is accepted and never returned.
- How it changes: one ``do_*`` action per write; a refused change is a 422
  naming the field, with nothing saved.
"""

# No postponed annotations here: ninja reads the endpoint signatures at import time.
import hashlib
import uuid as uuid_module
from collections.abc import Callable, Mapping
from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.errors import ValidationError
from ninja.pagination import PageNumberPagination, paginate

from unforgotten import policy
from unforgotten.advocacy import actions, dossier, reading, toolkit, wgad
from unforgotten.advocacy import schemas as s
from unforgotten.advocacy.models import (
    Adoption,
    Brief,
    CadenceRule,
    Intervention,
    Lawyer,
    LegalAction,
    Stakeholder,
    UNCommunication,
)
from unforgotten.advocacy.reading import Reader
from unforgotten.advocacy.views import (
    _adoption,
    _attachment,
    _case,
    _on_case,
    _person,
    _stakeholder,
)
from unforgotten.advocacy.vocabularies import StakeholderKind
from unforgotten.api import schemas
from unforgotten.api.schemas import organisation_named_or_only, responses
from unforgotten.core.partialdate import PartialDate
from unforgotten.registry.api import gated
from unforgotten.registry.models import Case
from unforgotten.registry.schemas import Country, In, Text

router = Router(tags=["advocacy"])

VIEW, EDIT, EXPORT = "advocacy.view", "advocacy.edit", "advocacy.export"

STAKEHOLDER_FIELDS = ("uuid", "kind", "name", "institution", "role", "country", "language", "email", "phone",
                      "postal_address", "notes")
INTERVENTION_FIELDS = ("uuid", "case_id", "stakeholder_id", "occurred", "method", "raised_by", "asked", "response",
                       "follow_up_on", "outcome", "notes")
LEGAL_FIELDS = ("uuid", "case_id", "kind", "forum", "lawyer_id", "filed_on", "deadline", "status", "reference",
                "decided_on", "outcome", "arguments")
COMMUNICATION_FIELDS = ("uuid", "case_id", "mechanism", "kind", "submitted_on", "transmitted_on", "reference",
                        "reply_due_on", "replied_on", "opinion_number", "opinion_adopted_on", "outcome", "categories",
                        "notes")
BRIEF_FIELDS = ("summary", "asks", "health", "translation_language", "summary_translation", "asks_translation",
                "health_translation")
ADOPTION_FIELDS = ("uuid", "adopter_kind", "adopter_name", "stakeholder_id", "started_on", "ended_on",
                   "listing_consent_on", "listing_withdrawn_on", "notes")
# Model field names in action errors → the request field that carries them.
ERROR_FIELDS = {"case": "case_id"}


# --- rendering --------------------------------------------------------------------------------------------


def _json(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: (str(v) if isinstance(v, PartialDate) else v) for k, v in values.items()}


def _ref(out: dict[str, Any], attname: str, key: str, model: Any, reader: Reader) -> None:
    """Turn a visible foreign key into the related record's uuid (if the caller may see it)."""
    if attname not in out:
        return
    pk = out.pop(attname)
    related = model._default_manager.filter(pk=pk).first() if pk is not None else None
    out[key] = related.uuid if related is not None and reader.sees(related) else None


def _stakeholder_out(reader: Reader, obj: Stakeholder) -> dict[str, Any]:
    out = reader.show(obj, STAKEHOLDER_FIELDS)
    if "email" in out:
        out["can_be_sent_to"] = obj.can_be_sent_to
    return out


def _intervention_out(reader: Reader, obj: Intervention) -> dict[str, Any]:
    out = _json(reader.show(obj, INTERVENTION_FIELDS))
    _ref(out, "stakeholder_id", "stakeholder", Stakeholder, reader)
    return out


def _legal_out(reader: Reader, obj: LegalAction) -> dict[str, Any]:
    out = _json(reader.show(obj, LEGAL_FIELDS))
    _ref(out, "lawyer_id", "lawyer", Lawyer, reader)
    return out


def _communication_out(reader: Reader, obj: UNCommunication) -> dict[str, Any]:
    return _json(reader.show(obj, COMMUNICATION_FIELDS))


def _adoption_out(reader: Reader, obj: Adoption) -> dict[str, Any]:
    out = _json(reader.show(obj, ADOPTION_FIELDS))
    _ref(out, "stakeholder_id", "stakeholder", Stakeholder, reader)
    out["listed_publicly"] = obj.has_public_consent("listing")
    out["activities"] = [_json(reader.show(a, ("occurred", "kind", "description", "url"), obj.person_id))
                         for a in obj.activities.all()]
    return out


def _cadence_out(reader: Reader, status: reading.CadenceStatus) -> dict[str, Any]:
    rule = status.rule
    return {"id": rule.pk, "case_id": rule.case_id, "stakeholder": rule.stakeholder.uuid
            if reader.sees(rule.stakeholder) else None, "every_days": rule.every_days, "active": rule.active,
            "note": rule.note, "last": status.last, "due": status.due, "days_overdue": status.days_overdue}


def _case_out(reader: Reader, case: Case) -> dict[str, Any]:
    brief = Brief.objects.filter(case=case).select_related("case__person").first()
    last = reading.last_intervention_per_case([case.pk]).get(case.pk)
    return {
        "case_id": case.pk, "person": case.person.uuid,
        "interventions": [_intervention_out(reader, i) for i in case.interventions.all() if reader.sees(i)],
        "cadence_rules": [_cadence_out(reader, x) for x in reading.cadence_statuses(case.cadence_rules.all())],
        "legal_actions": [_legal_out(reader, a) for a in case.legal_actions.all() if reader.sees(a)],
        "un_communications": [_communication_out(reader, c) for c in case.un_communications.all() if reader.sees(c)],
        "brief": reader.show(brief, BRIEF_FIELDS) if brief is not None else None,
        "last_intervention_on": last,
    }


def _wgad_out(draft: wgad.Draft) -> dict[str, Any]:
    return {"case_id": draft.case.pk, "complete": draft.complete, "missing": draft.missing,
            "parts": [{"number": p.number, "title": p.title,
                       "answers": [{"label": a.label, "value": a.value, "missing": a.missing} for a in p.answers]}
                      for p in draft.parts]}


# --- gates: the policy's answer before the body is read ---------------------------------------------------


def _id(raw: object) -> int:
    text = str(raw)
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        raise Http404()
    return int(text)


def _uuid(raw: object) -> UUID:
    try:
        return raw if isinstance(raw, UUID) else UUID(str(raw))
    except ValueError:
        raise Http404() from None


def _gate(find: Callable[[HttpRequest, Mapping[str, Any]], object]) -> list[Any]:
    return gated(find)


def _g_case(permission: str) -> list[Any]:
    return _gate(lambda request, kw: _case(request, _id(kw.get("case_id")), permission))


def _g_person(permission: str) -> list[Any]:
    return _gate(lambda request, kw: _person(request, _uuid(kw.get("uuid")), permission))


def _g_stakeholder(permission: str) -> list[Any]:
    return _gate(lambda request, kw: _stakeholder(request, _uuid(kw.get("uuid")), permission))


def _g_on_case(model: Any, key: str, permission: str, *, by: str = "uuid") -> list[Any]:
    def find(request: HttpRequest, kw: Mapping[str, Any]) -> object:
        value = _id(kw.get(key)) if by == "pk" else _uuid(kw.get(key))
        return _on_case(model, request, permission, **{by: value})
    return _gate(find)


def _g_adoption(permission: str) -> list[Any]:
    return _gate(lambda request, kw: _adoption(request, _uuid(kw.get("uuid")), permission))


def _g_somewhere(capability: str) -> list[Any]:
    def find(request: HttpRequest, kw: Mapping[str, Any]) -> object:
        if not policy.organisation_ids(request.user, capability):
            raise Http404()
        return None
    return _gate(find)


# --- acting ----------------------------------------------------------------------------------------------


def _act[T](action: Callable[..., T], **kwargs: Any) -> T:
    result: T = schemas.act(action, api_fields=ERROR_FIELDS, **kwargs)
    return result


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError([{"loc": ("body", "payload", field), "msg": message}])


def _data(payload: In, *, exclude: set[str] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = payload.model_dump(exclude_unset=True, exclude=exclude or set())
    return data


def _stakeholder_ref(org_id: int, key: UUID | None, field: str = "stakeholder") -> Stakeholder | None:
    if key is None:
        return None
    found = Stakeholder.objects.filter(organisation_id=org_id, uuid=key).first()
    if found is None:
        raise _refuse(field, "Choose a stakeholder your organisation works with (GET /advocacy/stakeholders).")
    return found


def _lawyer_ref(org_id: int, key: UUID | None) -> Lawyer | None:
    if key is None:
        return None
    found = Lawyer.objects.filter(organisation_id=org_id, uuid=key).first()
    if found is None:
        raise _refuse("lawyer", "Choose a lawyer your organisation works with (GET /advocacy/lawyers).")
    return found


def _require_fresh_session(request: HttpRequest) -> HttpResponse | None:
    from unforgotten.accounts.sudo import recently_reauthenticated

    if getattr(request.user, "uf_token", None) is not None or not recently_reauthenticated(request):
        return Status(401, {"error": "Re-enter your credentials (/accounts/reauthenticate/) before handing a "  # type: ignore[return-value]
                                     "document outside; a token never may."})
    return None


# --- stakeholders ----------------------------------------------------------------------------------------


@router.get("/stakeholders", response=responses(list[s.StakeholderOut]), exclude_unset=True,
            summary="Stakeholders of the caller's organisations")
@paginate(PageNumberPagination)
def list_stakeholders(request: HttpRequest, kind: StakeholderKind | None = None) -> Any:
    orgs = policy.organisation_ids(request.user, "view")
    if not orgs:
        raise Http404()
    reader = Reader(request.user)
    qs = Stakeholder.objects.filter(organisation_id__in=list(orgs))
    if kind is not None:
        qs = qs.filter(kind=kind)
    return [o for x in qs if (o := _stakeholder_out(reader, x))]


@router.post("/stakeholders", response=responses(s.StakeholderOut, 201), exclude_unset=True,
             auth=_g_somewhere("advocacy"), summary="Record a stakeholder",
             description="For the caller's organisation (name it with ?organisation=<slug> when several).")
def create_stakeholder(request: HttpRequest, payload: s.StakeholderIn, organisation: Text | None = None) -> Any:
    org = organisation_named_or_only(request, organisation, "advocacy")
    obj = _act(actions.do_add_stakeholder, organisation=org, data=_data(payload), acting_user=request.user)
    return Status(201, _stakeholder_out(Reader(request.user), obj))


@router.get("/stakeholders/{uuid}", response=responses(s.StakeholderOut), exclude_unset=True,
            summary="A stakeholder")
def get_stakeholder(request: HttpRequest, uuid: UUID) -> Any:
    obj, reader = _stakeholder(request, uuid, VIEW)
    return _stakeholder_out(reader, obj)


@router.patch("/stakeholders/{uuid}", response=responses(s.StakeholderOut), exclude_unset=True,
              auth=_g_stakeholder(EDIT), summary="Change a stakeholder")
def update_stakeholder(request: HttpRequest, uuid: UUID, payload: s.StakeholderPatch) -> Any:
    obj, reader = _stakeholder(request, uuid, EDIT)
    _act(actions.do_update_stakeholder, stakeholder=obj, data=_data(payload), acting_user=request.user)
    return _stakeholder_out(reader, obj)


@router.post("/stakeholders/{uuid}/letters", response=responses(s.InterventionOut, 201), exclude_unset=True,
             auth=_g_stakeholder(EDIT), summary="E-mail a letter about a case to a stakeholder",
             description="Sent through the outbox and recorded as an intervention. A stakeholder without an e-mail "
                         "address cannot be sent to (422).")
def send_letter(request: HttpRequest, uuid: UUID, payload: s.LetterIn) -> Any:
    obj, reader = _stakeholder(request, uuid, EDIT)
    case = Case.objects.filter(pk=payload.case_id, organisation_id=obj.organisation_id).select_related("person").first()
    if case is None or not reader.case_visible(case) or not policy.can(request.user, EDIT, case):
        raise _refuse("case_id", "Choose a case of the stakeholder's organisation.")
    intervention = _act(actions.do_send_letter, stakeholder=obj, case=case, subject=payload.subject,
                        body=payload.body, acting_user=request.user)
    return Status(201, _intervention_out(reader, intervention))


# --- dashboard, deadlines, laws ------------------------------------------------------------------------------


@router.get("/overdue", response=responses(list[s.OverdueOut]), summary="Cadence rules whose next intervention is late",
            description="The overdue dashboard: active rules the caller may see, latest first.")
def list_overdue(request: HttpRequest) -> Any:
    if not policy.organisation_ids(request.user, "view"):
        raise Http404()
    reader = Reader(request.user)
    out = []
    for status in reading.overdue(request.user, timezone.localdate()):
        person = status.rule.case.person
        out.append({**_cadence_out(reader, status), "person": person.uuid,
                    "person_name": reader.show(person, ("display_name",)).get("display_name"),
                    "stakeholder_name": reader.show(status.rule.stakeholder, ("name",)).get("name")})
    return out


@router.get("/deadlines", response=responses(list[s.LegalActionOut]), exclude_unset=True,
            summary="Open legal actions with a deadline in the next N days (default 30)")
def list_deadlines(request: HttpRequest, days: int = Query(30, ge=0, le=366)) -> Any:  # type: ignore[type-arg]
    if not policy.organisation_ids(request.user, "view"):
        raise Http404()
    reader = Reader(request.user)
    return [_legal_out(reader, a) for a in reading.upcoming_deadlines(request.user, timezone.localdate(), days)]


@router.get("/laws", response=responses(list[s.LawCountOut]), summary="Laws used against people, with counts",
            description="Each law article with how many of the caller's cases and people are charged under it.")
def list_laws(request: HttpRequest, country: Country | None = None) -> Any:
    if not policy.organisation_ids(request.user, "view"):
        raise Http404()
    return [{"article": c.article, "cases": c.cases, "people": c.people}
            for c in reading.law_counts(request.user, country)]


# --- a case's advocacy -----------------------------------------------------------------------------------------


@router.get("/cases/{case_id}", response=responses(s.CaseAdvocacyOut), exclude_unset=True,
            summary="A case's interventions, cadence rules, legal actions, UN communications and dossier texts")
def get_case(request: HttpRequest, case_id: int) -> Any:
    case, reader = _case(request, _id(case_id), VIEW)
    return _case_out(reader, case)


@router.post("/cases/{case_id}/interventions", response=responses(s.InterventionOut, 201), exclude_unset=True,
             auth=_g_case(EDIT), summary="Record an intervention")
def create_intervention(request: HttpRequest, case_id: int, payload: s.InterventionIn) -> Any:
    case, reader = _case(request, _id(case_id), EDIT)
    stakeholder = _stakeholder_ref(case.organisation_id, payload.stakeholder)
    obj = _act(actions.do_record_intervention, case=case, stakeholder=stakeholder,
               data=_data(payload, exclude={"stakeholder"}), acting_user=request.user)
    return Status(201, _intervention_out(reader, obj))


@router.patch("/interventions/{uuid}", response=responses(s.InterventionOut), exclude_unset=True,
              auth=_g_on_case(Intervention, "uuid", EDIT), summary="Change an intervention (record the response)")
def update_intervention(request: HttpRequest, uuid: UUID, payload: s.InterventionPatch) -> Any:
    obj, reader = _on_case(Intervention, request, EDIT, uuid=uuid)
    data = _data(payload, exclude={"stakeholder"})
    if "stakeholder" in payload.model_fields_set:
        data["stakeholder"] = _stakeholder_ref(obj.organisation_id, payload.stakeholder)
    _act(actions.do_update_intervention, intervention=obj, data=data, acting_user=request.user)
    return _intervention_out(reader, obj)


@router.put("/cases/{case_id}/cadence-rules", response=responses(s.CadenceOut), auth=_g_case(EDIT),
            summary="Set the cadence rule for this case and a stakeholder",
            description="One rule per case and stakeholder: created, or changed when it exists.")
def set_cadence(request: HttpRequest, case_id: int, payload: s.CadenceIn) -> Any:
    case, reader = _case(request, _id(case_id), EDIT)
    stakeholder = _stakeholder_ref(case.organisation_id, payload.stakeholder)
    rule = _act(actions.do_set_cadence_rule, case=case, stakeholder=stakeholder, every_days=payload.every_days,
                active=payload.active, note=payload.note, acting_user=request.user)
    return _cadence_out(reader, reading.cadence_statuses(CadenceRule.objects.filter(pk=rule.pk))[0])


@router.delete("/cadence-rules/{rule_id}", response=responses(None, 204),
               auth=_g_on_case(CadenceRule, "rule_id", EDIT, by="pk"), summary="Remove a cadence rule")
def delete_cadence(request: HttpRequest, rule_id: int) -> Any:
    rule, _reader = _on_case(CadenceRule, request, EDIT, pk=_id(rule_id))
    actions.do_remove_cadence_rule(rule=rule, acting_user=request.user)
    return Status(204, None)


@router.put("/cases/{case_id}/brief", response=responses(s.BriefOut), exclude_unset=True, auth=_g_case(EDIT),
            summary="Set the dossier texts of a case (summary, request, health; English and one translation)")
def set_brief(request: HttpRequest, case_id: int, payload: s.BriefIn) -> Any:
    case, reader = _case(request, _id(case_id), EDIT)
    brief = _act(actions.do_save_brief, case=case, data=payload.model_dump(), acting_user=request.user)
    return reader.show(brief, BRIEF_FIELDS)


@router.post("/cases/{case_id}/legal-actions", response=responses(s.LegalActionOut, 201), exclude_unset=True,
             auth=_g_case(EDIT), summary="Record a legal action (appeal, cassation, habeas corpus, …)")
def create_legal_action(request: HttpRequest, case_id: int, payload: s.LegalActionIn) -> Any:
    case, reader = _case(request, _id(case_id), EDIT)
    data = {**_data(payload, exclude={"lawyer"}), "lawyer": _lawyer_ref(case.organisation_id, payload.lawyer)}
    obj = _act(actions.do_add_legal_action, case=case, data=data, acting_user=request.user)
    return Status(201, _legal_out(reader, obj))


@router.patch("/legal-actions/{uuid}", response=responses(s.LegalActionOut), exclude_unset=True,
              auth=_g_on_case(LegalAction, "uuid", EDIT), summary="Change a legal action")
def update_legal_action(request: HttpRequest, uuid: UUID, payload: s.LegalActionPatch) -> Any:
    obj, reader = _on_case(LegalAction, request, EDIT, uuid=uuid)
    data = _data(payload, exclude={"lawyer"})
    if "lawyer" in payload.model_fields_set:
        data["lawyer"] = _lawyer_ref(obj.organisation_id, payload.lawyer)
    _act(actions.do_update_legal_action, legal_action=obj, data=data, acting_user=request.user)
    return _legal_out(reader, obj)


@router.post("/cases/{case_id}/un-communications", response=responses(s.CommunicationOut, 201),
             exclude_unset=True, auth=_g_case(EDIT), summary="Record a UN communication or urgent appeal",
             description="The government's reply falls due 60 days after transmission (or submission).")
def create_communication(request: HttpRequest, case_id: int, payload: s.CommunicationIn) -> Any:
    case, reader = _case(request, _id(case_id), EDIT)
    obj = _act(actions.do_add_un_communication, case=case, data=_data(payload), acting_user=request.user)
    return Status(201, _communication_out(reader, obj))


@router.patch("/un-communications/{uuid}", response=responses(s.CommunicationOut), exclude_unset=True,
              auth=_g_on_case(UNCommunication, "uuid", EDIT), summary="Change a UN communication (reply, opinion)")
def update_communication(request: HttpRequest, uuid: UUID, payload: s.CommunicationPatch) -> Any:
    obj, reader = _on_case(UNCommunication, request, EDIT, uuid=uuid)
    _act(actions.do_update_un_communication, communication=obj, data=_data(payload), acting_user=request.user)
    return _communication_out(reader, obj)


@router.get("/cases/{case_id}/wgad-draft", response=responses(s.WgadOut),
            summary="The draft WGAD communication with its admissibility checklist")
def get_wgad(request: HttpRequest, case_id: int) -> Any:
    case, reader = _case(request, _id(case_id), VIEW)
    return _wgad_out(wgad.build(case, reader.audience(case), timezone.localdate()))


@router.put("/cases/{case_id}/wgad-draft", response=responses(s.WgadOut), auth=_g_case(EDIT),
            summary="Set the answers the registry does not hold",
            description="Identity document and residence are the case team's: others may not set them.")
def set_wgad(request: HttpRequest, case_id: int, payload: s.WgadDraftIn) -> Any:
    case, reader = _case(request, _id(case_id), EDIT)
    data = payload.model_dump()
    if reader.audience(case).kind != "case_team":
        for name in ("id_document", "residence"):
            if data.pop(name):
                raise _refuse(name, "Only the person's case team records this.")
    _act(actions.do_save_wgad_draft, case=case, data=data, acting_user=request.user)
    return _wgad_out(wgad.build(case, reader.audience(case), timezone.localdate()))


@router.post("/cases/{case_id}/wgad-draft/export", response=responses(None), auth=_g_case(EXPORT),
             summary="Export the WGAD draft as PDF or DOCX (re-authenticated session; audited)")
def export_wgad(request: HttpRequest, case_id: int, payload: s.WgadExportIn) -> Any:
    case, reader = _case(request, _id(case_id), EXPORT)
    refused = _require_fresh_session(request)
    if refused is not None:
        return refused
    copy_uuid = uuid_module.uuid4()
    draft = wgad.build(case, reader.audience(case), timezone.localdate())
    tag = str(copy_uuid)[:8]
    content = (wgad.to_pdf(draft, recipient=payload.recipient, copy=tag) if payload.format == "pdf"
               else wgad.to_docx(draft, recipient=payload.recipient, copy=tag))
    _act(actions.do_export_dossier, person=case.person, case=case, kind=f"wgad-{payload.format}", audience="un",
         language="en", recipient=payload.recipient, stakeholder=None, reason=payload.reason,
         sha256=hashlib.sha256(content).hexdigest(), size=len(content), copy_uuid=copy_uuid, acting_user=request.user)
    media = "application/pdf" if payload.format == "pdf" else \
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return _attachment(content, media, f"wgad-draft-{tag}.{payload.format}")


# --- dossiers and adoption ----------------------------------------------------------------------------------


@router.post("/people/{uuid}/dossiers", response=responses(None), auth=_g_person(EXPORT),
             summary="Make a bilingual dossier PDF for an audience (re-authenticated session; audited)",
             description="media → the public projection and consent; diplomat → what partners may see; un → what "
                         "staff may see. Watermarked with the recipient on every page.")
def make_dossier(request: HttpRequest, uuid: UUID, payload: s.DossierIn) -> Any:
    person, reader = _person(request, uuid, EXPORT)
    case = None
    if payload.case_id is not None:
        case = Case.objects.filter(pk=payload.case_id, person=person).first()
        if case is None or not reader.case_visible(case):
            raise _refuse("case_id", "Choose one of this person's cases.")
    stakeholder = _stakeholder_ref(person.organisation_id, payload.stakeholder)
    refused = _require_fresh_session(request)
    if refused is not None:
        return refused
    copy_uuid = uuid_module.uuid4()
    req = dossier.DossierRequest(person, case, payload.audience, payload.language, payload.recipient, copy_uuid,
                                 timezone.localdate(), person.organisation.name)
    pdf = dossier.build_pdf(req)
    _act(actions.do_export_dossier, person=person, case=case, kind="dossier", audience=payload.audience,
         language=payload.language, recipient=payload.recipient, stakeholder=stakeholder, reason=payload.reason,
         sha256=hashlib.sha256(pdf).hexdigest(), size=len(pdf), copy_uuid=copy_uuid, acting_user=request.user)
    return _attachment(pdf, "application/pdf", f"dossier-{payload.audience}-{str(copy_uuid)[:8]}.pdf")


@router.get("/people/{uuid}/adoptions", response=responses(list[s.AdoptionOut]), exclude_unset=True,
            summary="Who adopted this prisoner, and what they did")
def list_adoptions(request: HttpRequest, uuid: UUID) -> Any:
    person, reader = _person(request, uuid, VIEW)
    return [_adoption_out(reader, a) for a in person.adoptions.all() if reader.sees(a)]


@router.post("/people/{uuid}/adoptions", response=responses(s.AdoptionOut, 201), exclude_unset=True,
             auth=_g_person(EDIT), summary="Record an adoption")
def create_adoption(request: HttpRequest, uuid: UUID, payload: s.AdoptionIn) -> Any:
    person, reader = _person(request, uuid, EDIT)
    data = {**_data(payload, exclude={"stakeholder"}),
            "stakeholder": _stakeholder_ref(person.organisation_id, payload.stakeholder)}
    obj = _act(actions.do_adopt, person=person, data=data, acting_user=request.user)
    return Status(201, _adoption_out(reader, obj))


@router.patch("/adoptions/{uuid}", response=responses(s.AdoptionOut), exclude_unset=True,
              auth=_g_adoption(EDIT), summary="Change an adoption (end it, record the adopter's listing consent)")
def update_adoption(request: HttpRequest, uuid: UUID, payload: s.AdoptionPatch) -> Any:
    obj, reader = _adoption(request, uuid, EDIT)
    data = _data(payload, exclude={"stakeholder"})
    if "stakeholder" in payload.model_fields_set:
        data["stakeholder"] = _stakeholder_ref(obj.organisation_id, payload.stakeholder)
    _act(actions.do_update_adoption, adoption=obj, data=data, acting_user=request.user)
    return _adoption_out(reader, obj)


@router.post("/adoptions/{uuid}/activities", response=responses(s.AdoptionOut, 201), exclude_unset=True,
             auth=_g_adoption(EDIT), summary="Log what the adopter did")
def log_activity(request: HttpRequest, uuid: UUID, payload: s.ActivityIn) -> Any:
    obj, reader = _adoption(request, uuid, EDIT)
    _act(actions.do_log_adoption_activity, adoption=obj, data=_data(payload), acting_user=request.user)
    return Status(201, _adoption_out(reader, obj))


@router.get("/adoptions/{uuid}/toolkit", response=responses(s.ToolkitOut), summary="The adopter's toolkit (text)")
def get_toolkit(request: HttpRequest, uuid: UUID) -> Any:
    obj, _reader = _adoption(request, uuid, EDIT)
    kit = toolkit.build(obj, timezone.localdate())
    return {"subject": kit.subject, "text": kit.text}


@router.post("/adoptions/{uuid}/toolkit/send", response=responses(s.ToolkitOut), auth=_g_adoption(EDIT),
             summary="E-mail the toolkit to the adopter",
             description="Through the outbox to the adopter's stakeholder record; without an e-mail address, 422.")
def send_toolkit(request: HttpRequest, uuid: UUID) -> Any:
    obj, _reader = _adoption(request, uuid, EDIT)
    kit = toolkit.build(obj, timezone.localdate())
    _act(actions.do_send_toolkit, adoption=obj, subject=kit.subject, body=kit.text, acting_user=request.user)
    return {"subject": kit.subject, "text": kit.text}


# --- lawyers --------------------------------------------------------------------------------------------------


@router.get("/lawyers", response=responses(list[s.LawyerOut]), exclude_unset=True,
            summary="Lawyers of the caller's organisations (contacts are sealed and never returned)")
def list_lawyers(request: HttpRequest) -> Any:
    orgs = policy.organisation_ids(request.user, "view")
    if not orgs:
        raise Http404()
    reader = Reader(request.user)
    out = []
    for lawyer in Lawyer.objects.filter(organisation_id__in=list(orgs)):
        shown = reader.show(lawyer, ("uuid", "name", "country", "notes"))
        if shown:
            out.append({**shown, "has_contact": bool(lawyer.contact_sealed)})
    return out


@router.post("/lawyers", response=responses(s.LawyerOut, 201), exclude_unset=True, auth=_g_somewhere("advocacy"),
             summary="Record a lawyer; the contact is sealed on arrival")
def create_lawyer(request: HttpRequest, payload: s.LawyerIn, organisation: Text | None = None) -> Any:
    org = organisation_named_or_only(request, organisation, "advocacy")
    obj = _act(actions.do_add_lawyer, organisation=org, name=payload.name, contact=payload.contact,
               country=payload.country, notes=payload.notes, acting_user=request.user)
    shown = Reader(request.user).show(obj, ("uuid", "name", "country", "notes"))
    return Status(201, {**shown, "has_contact": bool(obj.contact_sealed)})

"""Every change advocacy makes, one function each, audited in the same transaction.

Validation happens before anything is written (``full_clean``: field rules and
each model's ``clean``), so a refused change saves nothing. Other apps record
an intervention through ``do_record_intervention`` (the alerts issue, say, when
an urgent appeal goes out); nothing else here is meant for them.
"""

from __future__ import annotations

import uuid as uuid_module
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from unforgotten.accounts.models import Organisation
from unforgotten.advocacy import vocabularies as v
from unforgotten.advocacy.models import (
    Adoption,
    AdoptionActivity,
    Brief,
    CadenceRule,
    DossierCopy,
    Intervention,
    Lawyer,
    LegalAction,
    Stakeholder,
    UNCommunication,
    WGADDraft,
)
from unforgotten.audit.actions import diff, record
from unforgotten.core import outbox
from unforgotten.core.models import OutboxMessage
from unforgotten.core.sealing import seal
from unforgotten.policy.projection import field_sensitivity
from unforgotten.registry.models import Case, Person

M = TypeVar("M", bound=models.Model)

# Never set from a form or a request body: ownership, classes and what the platform derives.
PROTECTED = frozenset({"id", "organisation", "organisation_id", "uuid", "created_at", "updated_at",
                       "sensitivity_floor", "sensitivity_overrides", "occurred_on", "reply_due_on", "recorded_by",
                       "recorded_by_id", "case", "case_id", "person", "person_id", "contact_sealed", "adoption",
                       "adoption_id"})

# Days before a legal deadline on which a reminder goes out (the most urgent one due is sent, once).
REMINDER_DAYS = (14, 7, 3, 1, 0)


# --- shared helpers ------------------------------------------------------------------------------


def _snapshot(obj: models.Model) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields
            if f.attname not in {"created_at", "updated_at"}}


def _classes(obj: models.Model) -> dict[str, Any]:
    return {f.attname: field_sensitivity(obj, f.attname) for f in obj._meta.concrete_fields}


def _assign(obj: models.Model, data: Mapping[str, Any]) -> None:
    names = {f.name for f in obj._meta.concrete_fields} | {f.attname for f in obj._meta.concrete_fields}
    for key, value in data.items():
        if key not in names or key in PROTECTED:
            # Mass assignment of ownership, classes or derived fields is refused outright.
            raise ValidationError({key: f"'{key}' cannot be set here."})
        setattr(obj, key, value)


def _create[M: models.Model](obj: M, data: Mapping[str, Any], *, acting_user: Any, action: str,
                             reason: str = "") -> M:
    _assign(obj, data)
    obj.full_clean()
    obj.save()
    record(action, actor=acting_user, obj=obj, reason=reason, changes=diff({}, _snapshot(obj), _classes(obj)))
    return obj


def _update[M: models.Model](obj: M, data: Mapping[str, Any], *, acting_user: Any, action: str,
                             reason: str = "") -> M:
    before = _snapshot(obj)
    _assign(obj, data)
    obj.full_clean()
    changes = diff(before, _snapshot(obj), _classes(obj))
    if changes:
        obj.save()
        record(action, actor=acting_user, obj=obj, reason=reason, changes=changes)
    return obj


def _same_owner(obj: Any, other: Any, field: str, message: str) -> None:
    if other is not None and other.organisation_id != obj.organisation_id:
        raise ValidationError({field: message})


def _user_or_none(user: Any) -> Any:
    return user if getattr(user, "pk", None) and getattr(user, "uf_token", None) is None else None


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


# --- stakeholders ---------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def do_add_stakeholder(*, organisation: Organisation, data: Mapping[str, Any], acting_user: Any) -> Stakeholder:
    return _create(Stakeholder(organisation=organisation), data, acting_user=acting_user,
                   action="advocacy.add_stakeholder")


@transaction.atomic(durable=True)
def do_update_stakeholder(*, stakeholder: Stakeholder, data: Mapping[str, Any], acting_user: Any) -> Stakeholder:
    return _update(stakeholder, data, acting_user=acting_user, action="advocacy.update_stakeholder")


# --- interventions and cadence --------------------------------------------------------------------


def _record_intervention(case: Case, stakeholder: Stakeholder, data: Mapping[str, Any], acting_user: Any,
                         reason: str = "") -> Intervention:
    if stakeholder.organisation_id != case.organisation_id:
        raise ValidationError({"stakeholder": "Choose a stakeholder your organisation works with."})
    obj = Intervention(organisation_id=case.organisation_id, case=case, stakeholder=stakeholder,
                       recorded_by=_user_or_none(acting_user))
    obj = _create(obj, data, acting_user=acting_user, action="advocacy.record_intervention", reason=reason)
    _note_radar(obj)  # radar (issue 9)
    return obj


def _note_radar(obj: Intervention) -> None:  # radar (issue 9): the forgotten-case radar counts interventions
    if obj.occurred_on is not None and (obj.sensitivity_floor or 0) <= 2:  # radar (issue 9): staff-visible only
        from unforgotten.radar.actions import note_attention  # radar (issue 9)

        note_attention(case_id=obj.case_id, kind="intervention", when=obj.occurred_on)  # radar (issue 9)


@transaction.atomic(durable=True)
def do_record_intervention(*, case: Case, stakeholder: Stakeholder, data: Mapping[str, Any], acting_user: Any,
                           reason: str = "") -> Intervention:
    """Record that ``case`` was raised with ``stakeholder``: ``data`` holds occurred, method, asked, response,
    follow_up_on, outcome, raised_by, notes. The one door for every app that raises a case."""
    return _record_intervention(case, stakeholder, data, acting_user, reason)


@transaction.atomic(durable=True)
def do_update_intervention(*, intervention: Intervention, data: Mapping[str, Any], acting_user: Any) -> Intervention:
    stakeholder = data.get("stakeholder")
    _same_owner(intervention, stakeholder, "stakeholder", "Choose a stakeholder your organisation works with.")
    obj = _update(intervention, data, acting_user=acting_user, action="advocacy.update_intervention")
    _note_radar(obj)  # radar (issue 9)
    return obj


@transaction.atomic(durable=True)
def do_set_cadence_rule(*, case: Case, stakeholder: Stakeholder, every_days: int, active: bool = True,
                        note: str = "", acting_user: Any) -> CadenceRule:
    """Create or change the rule for this case and stakeholder (one rule per pair)."""
    if stakeholder.organisation_id != case.organisation_id:
        raise ValidationError({"stakeholder": "Choose a stakeholder your organisation works with."})
    rule = CadenceRule.objects.filter(case=case, stakeholder=stakeholder).first()
    data = {"every_days": every_days, "active": active, "note": note}
    if rule is None:
        return _create(CadenceRule(organisation_id=case.organisation_id, case=case, stakeholder=stakeholder), data,
                       acting_user=acting_user, action="advocacy.add_cadence_rule")
    return _update(rule, data, acting_user=acting_user, action="advocacy.update_cadence_rule")


@transaction.atomic(durable=True)
def do_remove_cadence_rule(*, rule: CadenceRule, acting_user: Any) -> None:
    record("advocacy.remove_cadence_rule", actor=acting_user, obj=rule,
           changes=diff(_snapshot(rule), {}, _classes(rule)))
    rule.delete()


# --- the brief -----------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def do_save_brief(*, case: Case, data: Mapping[str, Any], acting_user: Any) -> Brief:
    brief = Brief.objects.filter(case=case).first()
    if brief is None:
        return _create(Brief(organisation_id=case.organisation_id, case=case), data, acting_user=acting_user,
                       action="advocacy.save_brief")
    return _update(brief, data, acting_user=acting_user, action="advocacy.save_brief")


# --- adoption ------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def do_adopt(*, person: Person, data: Mapping[str, Any], acting_user: Any) -> Adoption:
    _same_owner(person, data.get("stakeholder"), "stakeholder", "Choose a stakeholder your organisation works with.")
    return _create(Adoption(organisation_id=person.organisation_id, person=person), data, acting_user=acting_user,
                   action="advocacy.adopt")


@transaction.atomic(durable=True)
def do_update_adoption(*, adoption: Adoption, data: Mapping[str, Any], acting_user: Any) -> Adoption:
    _same_owner(adoption, data.get("stakeholder"), "stakeholder", "Choose a stakeholder your organisation works with.")
    return _update(adoption, data, acting_user=acting_user, action="advocacy.update_adoption")


@transaction.atomic(durable=True)
def do_log_adoption_activity(*, adoption: Adoption, data: Mapping[str, Any], acting_user: Any) -> AdoptionActivity:
    return _create(AdoptionActivity(organisation_id=adoption.organisation_id, adoption=adoption), data,
                   acting_user=acting_user, action="advocacy.log_adoption_activity")


def _recipient(stakeholder: Stakeholder | None, field: str = "stakeholder") -> str:
    if stakeholder is None or not stakeholder.can_be_sent_to:
        raise ValidationError({field: "This stakeholder has no e-mail address: nothing can be sent to them."})
    return stakeholder.email


@transaction.atomic(durable=True)
def do_send_toolkit(*, adoption: Adoption, subject: str, body: str, acting_user: Any) -> Any:
    """E-mail the advocacy toolkit (built by the caller from the public projection) to the adopter."""
    address = _recipient(adoption.stakeholder)
    message = outbox.enqueue_email(kind="advocacy.toolkit", to=[address], subject=subject, body=body,
                                   organisation_id=adoption.organisation_id)
    record("advocacy.send_toolkit", actor=acting_user, obj=adoption,
           changes={"sent_to_stakeholder": [None, str(adoption.stakeholder.uuid) if adoption.stakeholder else None]})
    return message


@transaction.atomic(durable=True)
def do_send_letter(*, stakeholder: Stakeholder, case: Case, subject: str, body: str, asked: str = "",
                   acting_user: Any) -> Intervention:
    """E-mail a letter about ``case`` to ``stakeholder`` and record it as an intervention, in one transaction."""
    address = _recipient(stakeholder)
    if not subject.strip() or not body.strip():
        raise ValidationError({"body" if subject.strip() else "subject": "Write the subject and the letter."})
    intervention = _record_intervention(case, stakeholder, {
        "occurred": str(timezone.localdate()), "method": v.InterventionMethod.EMAIL,
        "asked": asked or subject.strip(), "outcome": v.InterventionOutcome.PENDING}, acting_user)
    outbox.enqueue_email(kind="advocacy.letter", to=[address], subject=subject.strip(), body=body.strip(),
                         organisation_id=case.organisation_id)
    return intervention


# --- legal support -------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def do_add_lawyer(*, organisation: Organisation, name: str, contact: str = "", country: str = "", notes: str = "",
                  acting_user: Any) -> Lawyer:
    lawyer = Lawyer(organisation=organisation, name=name, country=country, notes=notes)
    # Sealed before the first save: the plaintext never reaches the database.
    lawyer.contact_sealed = seal(contact, lawyer.sealed_context()) if contact else ""
    lawyer.full_clean()
    lawyer.save()
    record("advocacy.add_lawyer", actor=acting_user, obj=lawyer,
           changes=diff({}, {**_snapshot(lawyer), "contact_sealed": contact or None}, _classes(lawyer)))
    return lawyer


@transaction.atomic(durable=True)
def do_record_lawyer_unseal(*, lawyer: Lawyer, acting_user: Any, reason: str) -> None:
    """Reading a lawyer's sealed contact is itself an event: who, which lawyer, why. Never the value."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why you need to see this; the reason is kept in the audit trail."})
    record("advocacy.unseal_lawyer", actor=acting_user, obj=lawyer, reason=reason.strip(),
           changes={"unsealed": [None, ["contact_sealed"]]})


@transaction.atomic(durable=True)
def do_add_legal_action(*, case: Case, data: Mapping[str, Any], acting_user: Any) -> LegalAction:
    return _create(LegalAction(organisation_id=case.organisation_id, case=case), data, acting_user=acting_user,
                   action="advocacy.add_legal_action")


@transaction.atomic(durable=True)
def do_update_legal_action(*, legal_action: LegalAction, data: Mapping[str, Any], acting_user: Any) -> LegalAction:
    return _update(legal_action, data, acting_user=acting_user, action="advocacy.update_legal_action")


# --- UN communications and WGAD drafts ----------------------------------------------------------------


@transaction.atomic(durable=True)
def do_add_un_communication(*, case: Case, data: Mapping[str, Any], acting_user: Any) -> UNCommunication:
    return _create(UNCommunication(organisation_id=case.organisation_id, case=case), data, acting_user=acting_user,
                   action="advocacy.add_un_communication")


@transaction.atomic(durable=True)
def do_update_un_communication(*, communication: UNCommunication, data: Mapping[str, Any],
                               acting_user: Any) -> UNCommunication:
    return _update(communication, data, acting_user=acting_user, action="advocacy.update_un_communication")


@transaction.atomic(durable=True)
def do_save_wgad_draft(*, case: Case, data: Mapping[str, Any], acting_user: Any) -> WGADDraft:
    draft = WGADDraft.objects.filter(case=case).first()
    if draft is None:
        return _create(WGADDraft(organisation_id=case.organisation_id, case=case), data, acting_user=acting_user,
                       action="advocacy.save_wgad_draft")
    return _update(draft, data, acting_user=acting_user, action="advocacy.save_wgad_draft")


# --- copies handed outside ----------------------------------------------------------------------------


@transaction.atomic(durable=True)
def do_export_dossier(*, person: Person, case: Case | None, kind: str, audience: str, language: str,
                      recipient: str, stakeholder: Stakeholder | None, reason: str, sha256: str, size: int,
                      copy_uuid: uuid_module.UUID, acting_user: Any) -> DossierCopy:
    """Record one copy of a dossier (or WGAD draft, or toolkit) handed to ``recipient``: one row, one audit event.

    The caller has rendered the file (its watermark names the recipient and this
    copy's uuid) and passes its SHA-256, so a copy that surfaces later can be traced.
    """
    if not recipient.strip():
        raise ValidationError({"recipient": "Name who receives this copy; the name is printed on every page."})
    if not reason.strip():
        raise ValidationError({"reason": "Say why this copy is made; the reason is kept in the audit trail."})
    _same_owner(person, stakeholder, "stakeholder", "Choose a stakeholder your organisation works with.")
    copy = DossierCopy(uuid=copy_uuid, organisation_id=person.organisation_id, person=person, case=case, kind=kind,
                       audience=audience, language=language, recipient=recipient.strip()[:300],
                       stakeholder=stakeholder, reason=reason.strip(), sha256=sha256, size=size,
                       made_by=_user_or_none(acting_user))
    copy.full_clean()
    copy.save()
    record(f"advocacy.export_{kind.replace('-', '_')}", actor=acting_user, obj=copy, reason=reason.strip(),
           changes={"person": [None, str(person.uuid)], "case": [None, case.pk if case else None],
                    "audience": [None, audience], "language": [None, language],
                    "recipient": [None, recipient.strip()[:300]], "sha256": [None, sha256]})
    return copy


# --- deadline reminders ---------------------------------------------------------------------------------


def reminder_offset(deadline: date, today: date) -> int | None:
    """The reminder due on ``today`` for ``deadline``: the smallest of REMINDER_DAYS not below the days left.

    None before the first reminder and after the deadline. After downtime only
    the most urgent reminder goes out, never a burst of the ones missed.
    """
    left = (deadline - today).days
    if left < 0:
        return None
    due = [k for k in REMINDER_DAYS if k >= left]
    return min(due) if due else None


def _reminder_recipients(action: LegalAction) -> list[Any]:
    from unforgotten import policy
    from unforgotten.accounts.models import User

    person = action.case.person
    candidates = list(person.case_team.filter(is_active=True))
    if action.responsible is not None and action.responsible.is_active:
        candidates.append(action.responsible)
    if not candidates:
        # Nobody named: the organisation's advocates and admins hear of it.
        candidates = list(User.objects.filter(is_active=True, memberships__organisation_id=action.organisation_id,
                                              memberships__is_active=True).distinct())
        candidates = [u for u in candidates if "advocacy" in policy.capabilities_in(u, action.organisation_id)]
    seen: set[int] = set()
    out = []
    for user in candidates:
        if user.pk in seen or "view" not in policy.capabilities_in(user, action.organisation_id):
            continue
        seen.add(user.pk)
        out.append(user)
    return out


@transaction.atomic(durable=True)
def do_send_deadline_reminders(*, today: date | None = None, acting_user: Any = "scheduler") -> int:
    """Queue one e-mail per recipient for every open legal action whose reminder is due today; returns how many.

    Each reminder is queued once (the outbox's ``dedupe_key`` names the action,
    its deadline, the offset and the recipient), so the job may run as often as
    it likes; a changed deadline gets reminders of its own. The e-mail is built
    from the recipient's own projection of the action, and never carries the
    arguments or anything else restricted.
    """
    from django.utils import translation

    from unforgotten.policy.projection import audience_for, project

    today = today or timezone.localdate()
    horizon = today + timedelta(days=max(REMINDER_DAYS))
    actions = (LegalAction.objects.select_related("case__person", "responsible")
               .filter(deadline__gte=today, deadline__lte=horizon, case__person__merged_into__isnull=True)
               .exclude(status__in=list(v.CLOSED_LEGAL_STATUSES)))
    queued = 0
    for action in actions:
        assert action.deadline is not None  # noqa: S101  (filtered above)
        offset = reminder_offset(action.deadline, today)
        if offset is None:
            continue
        team = frozenset(action.case.person.case_team.values_list("id", flat=True))
        for user in _reminder_recipients(action):
            key = f"advocacy.deadline:{action.uuid}:{action.deadline.isoformat()}:{offset}:{user.pk}"
            audience = audience_for(user, action, case_team_user_ids=team)
            shown = project(action, audience, ("kind", "forum", "deadline", "status"))
            person = project(action.case.person, audience_for(user, action.case.person, case_team_user_ids=team),
                             ("display_name",))
            if "deadline" not in shown:
                continue
            with translation.override(settings.LANGUAGE_CODE):
                subject, body = _reminder_text(action, shown, person, offset)
            if OutboxMessage.objects.filter(dedupe_key=key).exists():
                continue  # sent (or queued) by an earlier run
            outbox.enqueue_email(kind="advocacy.deadline_reminder", to=[user.email], subject=subject, body=body,
                                 organisation_id=action.organisation_id, dedupe_key=key)
            queued += 1
    if queued:
        record("advocacy.deadline_reminders", actor=acting_user, changes={"queued": [None, queued]},
               object_type="advocacy.legalaction", object_id="")
    return queued


def _reminder_text(action: LegalAction, shown: Mapping[str, Any], person: Mapping[str, Any],
                   offset: int) -> tuple[str, str]:
    from django.utils.translation import ngettext

    kind = dict(v.LegalActionKind.choices).get(shown.get("kind", ""), "")
    who = person.get("display_name") or _("a person in your registry")
    deadline = shown["deadline"].isoformat()
    if offset == 0:
        when = _("today")
    else:
        when = ngettext("in %(n)s day", "in %(n)s days", offset) % {"n": offset}
    subject = _("Deadline %(when)s: %(kind)s for %(person)s") % {"when": when, "kind": kind, "person": who}
    lines = [
        _("A legal deadline is coming: %(kind)s for %(person)s.") % {"kind": kind, "person": who},
        _("Deadline: %(date)s (%(when)s).") % {"date": deadline, "when": when},
    ]
    if shown.get("forum"):
        lines.append(_("Court or body: %(forum)s") % {"forum": shown["forum"]})
    url = site_url(reverse("advocacy:person", kwargs={"person": action.case.person.uuid}))
    lines += ["", _("Open the case: %(url)s") % {"url": url}]
    return subject, "\n".join(lines)

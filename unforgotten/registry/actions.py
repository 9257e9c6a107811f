"""Every change to the registry, one function each, audited in the same transaction.

Validation happens before anything is written: model ``full_clean`` (field
rules and the cross-field rules in each model's ``clean``), so a bad request is
refused whole and nothing is half-saved.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.text import slugify

from unforgotten.accounts.models import Organisation
from unforgotten.audit.actions import diff, record
from unforgotten.core.countries import is_country
from unforgotten.core.partialdate import PartialDate
from unforgotten.core.sealing import seal
from unforgotten.policy.projection import field_sensitivity
from unforgotten.registry import vocabularies as v
from unforgotten.registry.models import (
    Case,
    Charge,
    Citation,
    Consent,
    CriterionAssessment,
    DetentionPeriod,
    Facility,
    Hearing,
    LawArticle,
    Official,
    Person,
    PersonName,
    RecognitionDecision,
    Relationship,
    Sentence,
    Source,
    StatusChange,
)
from unforgotten.registry.naming import display_and_sort_name, search_key

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class NameInput:
    text: str
    script: str = ""
    language: str = ""
    kind: str = v.NameKind.LEGAL
    is_primary: bool = False


# --- shared helpers -------------------------------------------------------------


def _snapshot(obj: models.Model) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields
            if f.attname not in {"created_at", "updated_at"}}


def _classes(obj: models.Model) -> dict[str, Any]:
    return {f.attname: field_sensitivity(obj, f.attname) for f in obj._meta.concrete_fields}


def _assign(obj: models.Model, data: Mapping[str, Any]) -> None:
    allowed = {f.name for f in obj._meta.concrete_fields} | {f.attname for f in obj._meta.concrete_fields}
    protected = {"id", "organisation", "organisation_id", "uuid", "created_at", "updated_at", "sort_name",
                 "display_name", "search_key", "start_earliest", "start_latest"}
    for key, value in data.items():
        if key not in allowed or key in protected:
            # Mass assignment of ownership or derived fields is refused outright.
            raise ValidationError({key: f"'{key}' cannot be set here."})
        setattr(obj, key, value)


def _create[M: models.Model](model: type[M], *, organisation: Organisation | None, data: Mapping[str, Any], acting_user: Any,
            action: str, reason: str = "", **fixed: Any) -> M:
    obj = model(**fixed)
    if organisation is not None:
        obj.organisation = organisation  # type: ignore[attr-defined]
    _assign(obj, data)
    obj.full_clean()
    obj.save()
    record(action, actor=acting_user, obj=obj, reason=reason,
           changes=diff({}, _snapshot(obj), _classes(obj)),
           organisation_id=getattr(obj, "organisation_id", None))
    return obj


def _update[M: models.Model](obj: M, *, data: Mapping[str, Any], acting_user: Any, action: str, reason: str = "") -> M:
    before = _snapshot(obj)
    _assign(obj, data)
    obj.full_clean()
    changes = diff(before, _snapshot(obj), _classes(obj))
    if changes:
        obj.save()
        record(action, actor=acting_user, obj=obj, reason=reason, changes=changes,
               organisation_id=getattr(obj, "organisation_id", None))
    return obj


def _delete(obj: models.Model, *, acting_user: Any, action: str, reason: str = "") -> None:
    snapshot = diff(_snapshot(obj), {}, _classes(obj))
    org_id = getattr(obj, "organisation_id", None)
    record(action, actor=acting_user, obj=obj, reason=reason, changes=snapshot, organisation_id=org_id)
    obj.delete()


# --- people and names ---------------------------------------------------------------


def _clean_names(names: Sequence[NameInput]) -> list[NameInput]:
    cleaned = [n for n in names if n.text.strip()]
    if not cleaned:
        raise ValidationError({"names": "Give at least one name."})
    primaries = [n for n in cleaned if n.is_primary]
    if len(primaries) > 1:
        raise ValidationError({"names": "Mark only one name as primary."})
    if not primaries:
        first = cleaned[0]
        cleaned[0] = NameInput(first.text, first.script, first.language, first.kind, True)
    for n in cleaned:
        if n.kind not in v.NameKind.values:
            raise ValidationError({"names": f"Unknown kind of name '{n.kind}'."})
        if len(n.text) > 300:
            raise ValidationError({"names": "A name may be at most 300 characters long."})
    return cleaned


# detect_script names a script in words ("cyrillic"); the column holds an ISO 15924
# code of at most four letters (PostgreSQL refuses longer values). Unlisted: left empty.
_ISO_15924 = {"latin": "Latn", "cyrillic": "Cyrl", "arabic": "Arab", "hebrew": "Hebr", "greek": "Grek",
              "armenian": "Armn", "georgian": "Geor", "han": "Hani", "kana": "Jpan", "hangul": "Hang",
              "devanagari": "Deva", "thai": "Thai", "bengali": "Beng", "ethiopic": "Ethi", "tamil": "Taml"}


def _write_names(person: Person, names: Sequence[NameInput]) -> None:
    from unforgotten.names import detect_script

    person.names.all().delete()
    for n in names:
        text = " ".join(n.text.split())
        PersonName.objects.create(
            organisation_id=person.organisation_id, person=person, text=text,
            script=n.script or _ISO_15924.get(detect_script(text), ""), language=n.language, kind=n.kind,
            is_primary=n.is_primary, search_key=search_key(text),
        )
    primary = next(n for n in names if n.is_primary)
    person.display_name, person.sort_name = display_and_sort_name(primary.text)


def _unique_slug(text: str) -> str:
    from unforgotten.names import transliterate

    base = slugify(transliterate(text))[:80] or "person"
    slug, n = base, 1
    while Person.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic(durable=True)
def do_create_person(*, organisation: Organisation, names: Sequence[NameInput], data: Mapping[str, Any],
                     acting_user: Any, reason: str = "") -> Person:
    cleaned = _clean_names(names)
    person = Person(organisation=organisation)
    _assign(person, data)
    person.slug = _unique_slug(next(n.text for n in cleaned if n.is_primary))
    person.display_name, person.sort_name = display_and_sort_name(next(n.text for n in cleaned if n.is_primary))
    person.full_clean()
    person.save()
    _write_names(person, cleaned)
    person.save(update_fields=["display_name", "sort_name"])
    record("registry.create_person", actor=acting_user, obj=person, reason=reason,
           changes={**diff({}, _snapshot(person), _classes(person)), "names": [None, [n.text for n in cleaned]]})
    return person


@transaction.atomic(durable=True)
def do_update_person(*, person: Person, data: Mapping[str, Any], acting_user: Any, reason: str = "") -> Person:
    return _update(person, data=data, acting_user=acting_user, action="registry.update_person", reason=reason)


@transaction.atomic(durable=True)
def do_set_names(*, person: Person, names: Sequence[NameInput], acting_user: Any, reason: str = "") -> Person:
    cleaned = _clean_names(names)
    before = list(person.names.values_list("text", flat=True))
    _write_names(person, cleaned)
    person.save(update_fields=["display_name", "sort_name", "updated_at"])
    after = [n.text for n in cleaned]
    if before != after:
        record("registry.set_names", actor=acting_user, obj=person, reason=reason, changes={"names": [before, after]})
    return person


# --- cases and what hangs off them ----------------------------------------------------------


@transaction.atomic(durable=True)
def do_add_case(*, person: Person, data: Mapping[str, Any], acting_user: Any, reason: str = "") -> Case:
    return _create(Case, organisation=person.organisation, data=data, acting_user=acting_user,
                   action="registry.add_case", reason=reason, person=person)


@transaction.atomic(durable=True)
def do_update_case(*, case: Case, data: Mapping[str, Any], acting_user: Any, reason: str = "") -> Case:
    return _update(case, data=data, acting_user=acting_user, action="registry.update_case", reason=reason)


@transaction.atomic(durable=True)
def do_add_charge(*, case: Case, data: Mapping[str, Any], acting_user: Any, reason: str = "") -> Charge:
    return _create(Charge, organisation=case.organisation, data=data, acting_user=acting_user,
                   action="registry.add_charge", reason=reason, case=case)


@transaction.atomic(durable=True)
def do_update_charge(*, charge: Charge, data: Mapping[str, Any], acting_user: Any, reason: str = "") -> Charge:
    return _update(charge, data=data, acting_user=acting_user, action="registry.update_charge", reason=reason)


@transaction.atomic(durable=True)
def do_add_hearing(*, case: Case, data: Mapping[str, Any], judges: Iterable[Official] = (), acting_user: Any,
                   reason: str = "") -> Hearing:
    hearing = _create(Hearing, organisation=case.organisation, data=data, acting_user=acting_user,
                      action="registry.add_hearing", reason=reason, case=case)
    judges = list(judges)
    if any(j.organisation_id != case.organisation_id for j in judges):
        raise ValidationError({"judges": "Judges must be recorded by the same organisation."})
    hearing.judges.set(judges)
    return hearing


@transaction.atomic(durable=True)
def do_update_hearing(*, hearing: Hearing, data: Mapping[str, Any], judges: Iterable[Official] | None = None,
                      acting_user: Any, reason: str = "") -> Hearing:
    """Change a hearing; ``judges`` replaces the bench when given (None leaves it as it is)."""
    hearing = _update(hearing, data=data, acting_user=acting_user, action="registry.update_hearing", reason=reason)
    if judges is not None:
        chosen = list(judges)
        if any(j.organisation_id != hearing.organisation_id for j in chosen):
            raise ValidationError({"judges": "Judges must be recorded by the same organisation."})
        before = sorted(hearing.judges.values_list("id", flat=True))
        after = sorted(j.pk for j in chosen)
        if before != after:
            hearing.judges.set(chosen)
            record("registry.update_hearing", actor=acting_user, obj=hearing, reason=reason,
                   changes={"judges": [before, after]}, organisation_id=hearing.organisation_id)
    return hearing


@transaction.atomic(durable=True)
def do_update_sentence(*, sentence: Sentence, data: Mapping[str, Any], acting_user: Any, reason: str = "") -> Sentence:
    return _update(sentence, data=data, acting_user=acting_user, action="registry.update_sentence", reason=reason)


@transaction.atomic(durable=True)
def do_add_sentence(*, case: Case, data: Mapping[str, Any], acting_user: Any, reason: str = "") -> Sentence:
    return _create(Sentence, organisation=case.organisation, data=data, acting_user=acting_user,
                   action="registry.add_sentence", reason=reason, case=case)


@transaction.atomic(durable=True)
def do_add_detention(*, person: Person, data: Mapping[str, Any], acting_user: Any, reason: str = "") -> DetentionPeriod:
    case = data.get("case")
    if case is not None and case.person_id != person.pk:
        raise ValidationError({"case": "That case belongs to someone else."})
    return _create(DetentionPeriod, organisation=person.organisation, data=data, acting_user=acting_user,
                   action="registry.add_detention", reason=reason, person=person)


@transaction.atomic(durable=True)
def do_update_detention(*, detention: DetentionPeriod, data: Mapping[str, Any], acting_user: Any,
                        reason: str = "") -> DetentionPeriod:
    return _update(detention, data=data, acting_user=acting_user, action="registry.update_detention", reason=reason)


@transaction.atomic(durable=True)
def do_record_status(*, person: Person, status: str, effective: PartialDate, note: str = "", acting_user: Any,
                     reason: str = "") -> StatusChange:
    change = _create(StatusChange, organisation=person.organisation,
                     data={"status": status, "effective": effective, "note": note},
                     acting_user=acting_user, action="registry.record_status", reason=reason, person=person)
    _refresh_current_status(person)
    return change


def _refresh_current_status(person: Person) -> None:
    changes = list(person.status_changes.all())
    if not changes:
        return
    latest = max(changes, key=lambda c: (c.effective.sort_key(), c.pk))
    if (person.current_status, str(person.current_status_date)) != (latest.status, str(latest.effective)):
        person.current_status = latest.status
        person.current_status_date = latest.effective
        person.save(update_fields=["current_status", "current_status_date", "updated_at"])


# --- people around the prisoner ---------------------------------------------------------------


# --- the case team ------------------------------------------------------------------


@transaction.atomic(durable=True)
def do_add_to_case_team(*, person: Person, member: Any, acting_user: Any, reason: str) -> None:
    """Put ``member`` on the person's case team: they then read restricted fields and may reveal sealed ones.

    Only an active member of the organisation that owns the record may join,
    and the reason is required: this widens who sees the most dangerous data.
    """
    from unforgotten import policy

    if not reason.strip():
        raise ValidationError({"reason": "Say why this person joins the case team."})
    if not getattr(member, "is_active", False) or person.organisation_id not in policy.active_memberships(member):
        raise ValidationError({"member": "Only an active member of the organisation that owns the record can join."})
    if person.case_team.filter(pk=member.pk).exists():
        return
    person.case_team.add(member)
    record("registry.add_to_case_team", actor=acting_user, obj=person, reason=reason,
           changes={"case_team": [None, member.pk]}, organisation_id=person.organisation_id)


@transaction.atomic(durable=True)
def do_remove_from_case_team(*, person: Person, member: Any, acting_user: Any, reason: str = "") -> None:
    if not person.case_team.filter(pk=member.pk).exists():
        return
    person.case_team.remove(member)
    record("registry.remove_from_case_team", actor=acting_user, obj=person, reason=reason,
           changes={"case_team": [member.pk, None]}, organisation_id=person.organisation_id)


@transaction.atomic(durable=True)
def do_add_relationship(*, person: Person, kind: str, name: str = "", contact: str = "", notes: str = "",
                        related_person: Person | None = None, acting_user: Any, reason: str = "") -> Relationship:
    if related_person is not None and related_person.organisation_id != person.organisation_id:
        raise ValidationError({"related_person": "Link only people your organisation records."})
    rel = Relationship(organisation=person.organisation, person=person, kind=kind, notes=notes,
                       related_person=related_person)
    # Sealed before the first save: the plaintext never reaches the database.
    rel.name_sealed = seal(name, rel.sealed_context("name")) if name else ""
    rel.contact_sealed = seal(contact, rel.sealed_context("contact")) if contact else ""
    rel.full_clean()
    rel.save()
    record("registry.add_relationship", actor=acting_user, obj=rel, reason=reason,
           changes=diff({}, {"kind": kind, "name_sealed": name or None, "contact_sealed": contact or None},
                        _classes(rel)))
    return rel


@transaction.atomic(durable=True)
def do_record_consent(*, person: Person, data: Mapping[str, Any], acting_user: Any, reason: str = "") -> Consent:
    return _create(Consent, organisation=person.organisation, data=data, acting_user=acting_user,
                   action="registry.record_consent", reason=reason, person=person)


@transaction.atomic(durable=True)
def do_withdraw_consent(*, consent: Consent, withdrawn_on: Any, acting_user: Any, reason: str = "") -> Consent:
    return _update(consent, data={"withdrawn_on": withdrawn_on}, acting_user=acting_user,
                   action="registry.withdraw_consent", reason=reason)


@transaction.atomic(durable=True)
def do_add_source(*, organisation: Organisation, data: Mapping[str, Any], identity: str = "", acting_user: Any,
                  reason: str = "") -> Source:
    source = Source(organisation=organisation)
    _assign(source, data)
    source.identity_sealed = seal(identity, f"registry.source.identity:{source.uuid}") if identity else ""
    source.full_clean()
    source.save()
    record("registry.add_source", actor=acting_user, obj=source, reason=reason,
           changes=diff({}, {**_snapshot(source), "identity_sealed": identity or None}, _classes(source)))
    return source


@transaction.atomic(durable=True)
def do_cite(*, source: Source, target: models.Model, field: str = "", note: str = "", acting_user: Any) -> Citation:
    if getattr(target, "organisation_id", None) != source.organisation_id:
        raise ValidationError({"source": "Cite only your organisation's sources on its records."})
    return _create(Citation, organisation=source.organisation,
                   data={"target_type": f"{target._meta.app_label}.{target._meta.model_name}",
                         "target_id": target.pk, "field": field, "note": note},
                   acting_user=acting_user, action="registry.cite", source=source)


# --- catalogues -----------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def do_add_law_article(*, data: Mapping[str, Any], acting_user: Any) -> LawArticle:
    return _create(LawArticle, organisation=None, data=data, acting_user=acting_user, action="registry.add_law_article")


@transaction.atomic(durable=True)
def do_add_facility(*, data: Mapping[str, Any], acting_user: Any) -> Facility:
    return _create(Facility, organisation=None, data=data, acting_user=acting_user, action="registry.add_facility")


@transaction.atomic(durable=True)
def do_add_official(*, organisation: Organisation, data: Mapping[str, Any], acting_user: Any) -> Official:
    return _create(Official, organisation=organisation, data=data, acting_user=acting_user, action="registry.add_official")


# --- recognition ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionInput:
    code: str
    result: str
    rationale: str = ""
    evidence_links: str = ""
    is_exclusion: bool = False


@transaction.atomic(durable=True)
def do_record_decision(*, person: Person, data: Mapping[str, Any], criteria: Sequence[CriterionInput],
                       reviewers: Iterable[Any] = (), acting_user: Any, reason: str = "") -> RecognitionDecision:
    framework = data.get("framework", "")
    valid = v.criterion_codes(framework)
    exclusions = {code for code, _label in v.EXCLUSIONS}
    errors: list[str] = []
    seen: set[tuple[str, bool]] = set()
    for c in criteria:
        pool = exclusions if c.is_exclusion else valid
        if c.code not in pool:
            errors.append(f"'{c.code}' is not a {'exclusion check' if c.is_exclusion else 'criterion'} of {framework or 'this framework'}.")
        if c.result not in v.CriterionResult.values:
            errors.append(f"'{c.result}' is not a result; use met, not_met or unclear.")
        if (c.code, c.is_exclusion) in seen:
            errors.append(f"'{c.code}' is assessed twice.")
        seen.add((c.code, c.is_exclusion))
    recognised = data.get("outcome") in {v.RecognitionOutcome.POLITICAL_PRISONER, v.RecognitionOutcome.PRISONER_OF_CONSCIENCE}
    if recognised and any(c.is_exclusion and c.result == v.CriterionResult.MET for c in criteria) and framework in {
            v.Framework.PACE_1900, v.Framework.GUIDELINES_2013}:
        errors.append("An exclusion check is met: this framework does not recognise the person as a political prisoner.")
    if recognised and not any(not c.is_exclusion and c.result == v.CriterionResult.MET for c in criteria):
        errors.append("Recognition needs at least one criterion marked as met.")
    if errors:
        raise ValidationError({"criteria": errors})
    case = data.get("case")
    if case is not None and case.person_id != person.pk:
        raise ValidationError({"case": "That case belongs to someone else."})
    decision = _create(RecognitionDecision, organisation=person.organisation, data=data, acting_user=acting_user,
                       action="registry.record_decision", reason=reason, person=person)
    for c in criteria:
        CriterionAssessment.objects.create(organisation=person.organisation, decision=decision, code=c.code,
                                           is_exclusion=c.is_exclusion, result=c.result, rationale=c.rationale,
                                           evidence_links=c.evidence_links)
    decision.reviewers.set(list(reviewers))
    latest = person.decisions.order_by("-decided_on", "-id").first()
    if latest is not None and person.recognition_outcome != latest.outcome:
        person.recognition_outcome = latest.outcome
        person.save(update_fields=["recognition_outcome", "updated_at"])
    return decision


def validate_country(value: str, field: str = "country") -> str:
    code = (value or "").strip().upper()
    if not is_country(code):
        raise ValidationError({field: f"'{value}' is not an ISO 3166 country code."})
    return code


# --- reading sealed values ----------------------------------------------------------------------------


@transaction.atomic(durable=True)
def do_record_unseal(*, obj: Relationship | Source, fields: Sequence[str], acting_user: Any, reason: str) -> None:
    """Reading a sealed value is itself an event: who read which fields of which record, and why.

    The caller (a view) has checked the case team and fresh credentials; the
    values themselves never enter the audit row, only the field names.
    """
    if not reason.strip():
        raise ValidationError({"reason": "Say why you need to see this; the reason is kept in the audit trail."})
    record("registry.unseal", actor=acting_user, obj=obj, reason=reason.strip(),
           changes={"unsealed": [None, sorted(fields)]})

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
ISO_15924 = {"latin": "Latn", "cyrillic": "Cyrl", "arabic": "Arab", "hebrew": "Hebr", "greek": "Grek",
              "armenian": "Armn", "georgian": "Geor", "han": "Hani", "kana": "Jpan", "hangul": "Hang",
              "devanagari": "Deva", "thai": "Thai", "bengali": "Beng", "ethiopic": "Ethi", "tamil": "Taml"}


def _write_names(person: Person, names: Sequence[NameInput]) -> None:
    from unforgotten.names import detect_script

    person.names.all().delete()
    for n in names:
        text = " ".join(n.text.split())
        PersonName.objects.create(
            organisation_id=person.organisation_id, person=person, text=text,
            script=n.script or ISO_15924.get(detect_script(text), ""), language=n.language, kind=n.kind,
            is_primary=n.is_primary, search_key=search_key(text),
        )
    primary = next(n for n in names if n.is_primary)
    person.display_name, person.sort_name = display_and_sort_name(primary.text)
    # Names index (issue 4): every process re-reads this person's names before its next search.
    from unforgotten.registry.search import note_names_changed
    note_names_changed(person)


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
    classes = (person.sensitivity_floor, dict(person.sensitivity_overrides or {}))
    person = _update(person, data=data, acting_user=acting_user, action="registry.update_person", reason=reason)
    if (person.sensitivity_floor, dict(person.sensitivity_overrides or {})) != classes:
        # Who may find the person by name follows their class: the name index hears of it.
        from unforgotten.registry.search import note_names_changed

        note_names_changed(person)
    return person


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


# --- the photo ----------------------------------------------------------------------


@transaction.atomic(durable=True)
def do_set_photo(*, person: Person, upload: Any, size: int | None = None, acting_user: Any, reason: str = "") -> Person:
    """Replace the person's photo with a metadata-free copy of ``upload``.

    The file is stored before the row changes; if the transaction fails the
    new file is removed, and the old one is removed only once the change is
    committed, so the record never points at a missing file.
    """
    from unforgotten.registry import photos

    jpeg = photos.clean_photo(upload, size=size)
    name = photos.store_photo(jpeg)
    old = person.photo.name or ""
    transaction.on_commit(lambda: photos.remove_photo_file(old))
    try:
        person.photo.name = name
        person.save(update_fields=["photo", "updated_at"])
        record("registry.set_photo", actor=acting_user, obj=person, reason=reason,
               changes={"photo": [bool(old), True]}, organisation_id=person.organisation_id)
    except Exception:
        photos.remove_photo_file(name)
        raise
    return person


@transaction.atomic(durable=True)
def do_remove_photo(*, person: Person, acting_user: Any, reason: str = "") -> Person:
    from unforgotten.registry import photos

    old = person.photo.name or ""
    if not old:
        return person
    person.photo.name = ""
    person.save(update_fields=["photo", "updated_at"])
    record("registry.remove_photo", actor=acting_user, obj=person, reason=reason,
           changes={"photo": [True, False]}, organisation_id=person.organisation_id)
    transaction.on_commit(lambda: photos.remove_photo_file(old))
    return person


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


# --- deduplication (issue 4, helper "names") ------------------------------------------------------------


def _moving_relations() -> list[tuple[type[models.Model], str]]:
    """Every (model, foreign key attname) pointing at a person whose rows move in a merge.

    Found from the models, so a record kind added later (by any app) moves too.
    History rows stay where they are (they are the record of what was), and
    the merge's own bookkeeping does not move.
    """
    from unforgotten.registry.models import DuplicateCandidate, PersonMerge

    relations: list[tuple[type[models.Model], str]] = []
    for rel in Person._meta.related_objects:
        model = rel.related_model
        if not isinstance(model, type) or rel.many_to_many or model in (Person, PersonMerge, DuplicateCandidate):
            continue
        if any(f.name == "history_id" for f in model._meta.fields):
            continue
        relations.append((model, rel.field.attname))
    return relations


def _relation_key(model: type[models.Model], attname: str) -> str:
    return f"{model._meta.label_lower}.{attname}"


def _refresh_recognition(person: Person) -> None:
    latest = person.decisions.order_by("-decided_on", "-id").first()
    outcome = latest.outcome if latest is not None else ""
    if person.recognition_outcome != outcome:
        person.recognition_outcome = outcome
        person.save(update_fields=["recognition_outcome", "updated_at"])


def _check_may_merge(keep: Person, other: Person, acting_user: Any) -> None:
    from django.core.exceptions import PermissionDenied

    from unforgotten import policy

    if not (policy.can(acting_user, "registry.edit", keep) and policy.can(acting_user, "registry.edit", other)):
        raise PermissionDenied("Merging needs the right to edit both records.")


@transaction.atomic(durable=True)
def do_merge_people(*, keep: Person, merge: Person, acting_user: Any, reason: str) -> Any:
    """Move every record of ``merge`` to ``keep`` and retire ``merge`` (never deleted); returns the PersonMerge.

    What moved is listed in the PersonMerge row, so ``do_unmerge_people`` can
    move exactly that back. Each moved row is saved (not bulk-updated) so its
    history shows the move.
    """
    from django.utils import timezone

    from unforgotten.registry import search
    from unforgotten.registry.models import DuplicateCandidate, PersonMerge

    keep = Person.objects.select_for_update().get(pk=keep.pk)
    merge = Person.objects.select_for_update().get(pk=merge.pk)
    _check_may_merge(keep, merge, acting_user)
    if not reason.strip():
        raise ValidationError({"reason": "Say why these are the same person; the reason is kept in the audit trail."})
    if keep.pk == merge.pk:
        raise ValidationError({"merge": "A person cannot be merged with themselves."})
    if keep.organisation_id != merge.organisation_id:
        raise ValidationError({"merge": "Only records of one organisation can be merged."})
    if keep.merged_into_id is not None or merge.merged_into_id is not None:
        raise ValidationError({"merge": "One of these records was already merged into another."})
    moved: dict[str, Any] = {}
    primary = merge.names.filter(is_primary=True).values_list("pk", flat=True).first()
    for model, attname in _moving_relations():
        rows = list(model._default_manager.filter(**{attname: merge.pk}).order_by("pk"))
        for row in rows:
            setattr(row, attname, keep.pk)
            if isinstance(row, PersonName):
                row.is_primary = False  # the kept person's primary name stays primary
            row.save()
        if rows:
            moved[_relation_key(model, attname)] = [row.pk for row in rows]
    citations = list(Citation.objects.filter(target_type="registry.person", target_id=merge.pk).order_by("pk"))
    for citation in citations:
        citation.target_id = keep.pk
        citation.save()
    if citations:
        moved["citations"] = [c.pk for c in citations]
    team_before = set(keep.case_team.values_list("pk", flat=True))
    added = sorted(set(merge.case_team.values_list("pk", flat=True)) - team_before)
    keep.case_team.add(*added)
    if added:
        moved["case_team"] = added
    if primary is not None:
        moved["primary_name"] = primary
    merge.merged_into = keep
    merge.save(update_fields=["merged_into", "updated_at"])
    _refresh_current_status(keep)
    _refresh_recognition(keep)
    merge_record = PersonMerge.objects.create(organisation_id=keep.organisation_id, kept=keep, merged=merge,
                                              moved=moved, reason=reason.strip(), merged_by=_user_or_none(acting_user))
    first, second = sorted((keep.pk, merge.pk))
    DuplicateCandidate.objects.filter(first_id=first, second_id=second).update(
        status=DuplicateCandidate.Status.MERGED, decided_by=_user_or_none(acting_user), decided_at=timezone.now())
    # Names index: the kept person now has the merged names; the merged one has none.
    search.note_people_changed([(keep.pk, keep.organisation_id), (merge.pk, merge.organisation_id)])
    record("registry.merge_people", actor=acting_user, obj=keep, reason=reason.strip(),
           changes={"merged_person": [None, str(merge.uuid)], "merge_record": [None, merge_record.pk],
                    "moved": [None, {k: (len(v) if isinstance(v, list) else 1) for k, v in moved.items()}]})
    return merge_record


@transaction.atomic(durable=True)
def do_unmerge_people(*, merge_record: Any, acting_user: Any, reason: str) -> Person:
    """Undo a merge: move back exactly what moved, and bring the merged person back. Returns them."""
    from django.apps import apps
    from django.utils import timezone

    from unforgotten.registry import search
    from unforgotten.registry.models import PersonMerge

    merge_record = PersonMerge.objects.select_for_update().get(pk=merge_record.pk)
    keep = Person.objects.select_for_update().get(pk=merge_record.kept_id)
    merged = Person.objects.select_for_update().get(pk=merge_record.merged_id)
    _check_may_merge(keep, merged, acting_user)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the merge was wrong; the reason is kept in the audit trail."})
    if merge_record.undone_at is not None:
        raise ValidationError({"merge": "This merge was already undone."})
    if merged.merged_into_id != keep.pk:
        raise ValidationError({"merge": "The merged record has changed since; it cannot be undone here."})
    moved_back: dict[str, int] = {}
    for key, ids in merge_record.moved.items():
        if key in ("case_team", "primary_name", "citations"):
            continue
        label, attname = key.rsplit(".", 1)
        model = apps.get_model(label)
        # Only rows still with the kept person: anything moved on since stays where it is.
        rows = list(model._default_manager.filter(pk__in=ids, **{attname: keep.pk}).order_by("pk"))
        for row in rows:
            setattr(row, attname, merged.pk)
            row.save()
        moved_back[key] = len(rows)
    citations = list(Citation.objects.filter(pk__in=merge_record.moved.get("citations", []),
                                             target_type="registry.person", target_id=keep.pk))
    for citation in citations:
        citation.target_id = merged.pk
        citation.save()
    primary = merge_record.moved.get("primary_name")
    if primary is not None and not merged.names.filter(is_primary=True).exists():
        name = merged.names.filter(pk=primary).first()
        if name is not None:
            name.is_primary = True
            name.save()
    if merge_record.moved.get("case_team"):
        keep.case_team.remove(*merge_record.moved["case_team"])
    merged.merged_into = None
    merged.save(update_fields=["merged_into", "updated_at"])
    for person in (keep, merged):
        _refresh_current_status(person)
        _refresh_recognition(person)
    merge_record.undone_at = timezone.now()
    merge_record.undone_by = _user_or_none(acting_user)
    merge_record.undo_reason = reason.strip()
    merge_record.save(update_fields=["undone_at", "undone_by", "undo_reason", "updated_at"])
    search.note_people_changed([(keep.pk, keep.organisation_id), (merged.pk, merged.organisation_id)])
    record("registry.unmerge_people", actor=acting_user, obj=keep, reason=reason.strip(),
           changes={"restored_person": [None, str(merged.uuid)], "merge_record": [None, merge_record.pk],
                    "moved_back": [None, moved_back]})
    return merged


@transaction.atomic(durable=True)
def do_dismiss_duplicate(*, candidate: Any, acting_user: Any) -> Any:
    """"Not the same person": remembered, so the pair is never proposed again."""
    from django.utils import timezone

    from unforgotten.registry.models import DuplicateCandidate

    candidate = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
    _check_may_merge(candidate.first, candidate.second, acting_user)
    if candidate.status != DuplicateCandidate.Status.OPEN:
        raise ValidationError({"candidate": "This pair was already decided."})
    candidate.status = DuplicateCandidate.Status.NOT_SAME
    candidate.decided_by = _user_or_none(acting_user)
    candidate.decided_at = timezone.now()
    candidate.save()
    record("registry.dismiss_duplicate", actor=acting_user, obj=candidate,
           changes={"status": [DuplicateCandidate.Status.OPEN.value, candidate.status]})
    return candidate


@transaction.atomic(durable=True)
def do_record_duplicates(*, organisation: Organisation, pairs: Sequence[tuple[int, int, float]],
                         acting_user: Any = None) -> int:
    """Store probable duplicate pairs (person id, person id, score) for review; returns how many are new.

    Pairs already known keep their status (a "not the same person" stays
    dismissed); an open pair's score is refreshed. Nothing is ever merged here.
    """
    from unforgotten.registry.models import DuplicateCandidate

    ordered = {(min(a, b), max(a, b)): s for a, b, s in pairs if a != b}
    known = {(f, s): pk for pk, f, s in DuplicateCandidate.objects.filter(organisation=organisation).filter(
        first_id__in={a for a, _b in ordered}).values_list("pk", "first_id", "second_id")}
    live = set(Person.objects.filter(organisation=organisation, merged_into__isnull=True,
                                     pk__in={p for pair in ordered for p in pair}).values_list("pk", flat=True))
    new = [DuplicateCandidate(organisation=organisation, first_id=a, second_id=b, score=s)
           for (a, b), s in ordered.items() if (a, b) not in known and a in live and b in live]
    DuplicateCandidate.objects.bulk_create(new, batch_size=1000)
    for (a, b), s in ordered.items():
        if (a, b) in known:
            DuplicateCandidate.objects.filter(pk=known[(a, b)], status=DuplicateCandidate.Status.OPEN).update(score=s)
    record("registry.find_duplicates", actor=acting_user, obj=organisation, organisation_id=organisation.pk,
           changes={"new_pairs": [None, len(new)]})
    return len(new)


def _user_or_none(user: Any) -> Any:
    return user if getattr(user, "pk", None) and getattr(user, "uf_token", None) is None else None

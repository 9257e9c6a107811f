"""``unforgotten demo-data``: the seeded demo registry and the bulk scale data.

The scale tests read the real name lists in ../shared/data/names (when present;
the built-in syllable fallback is tested on its own).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from unforgotten.accounts.models import Organisation
from unforgotten.audit.models import AuditEvent
from unforgotten.core.partialdate import PartialDate
from unforgotten.registry import actions, demo, scale
from unforgotten.registry import vocabularies as v
from unforgotten.registry.actions import NameInput
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

REGISTRY_MODELS = (Person, PersonName, Case, Charge, Hearing, Sentence, DetentionPeriod, StatusChange, Relationship,
                   Consent, Source, Citation, RecognitionDecision, CriterionAssessment, Official, LawArticle, Facility)
NAMES_DIR = Path(settings.BASE_DIR).parent / "shared" / "data" / "names"


def _run(*args: str) -> str:
    out = StringIO()
    # The registry's own demo: demo evidence (its own test in unforgotten/evidence/tests/test_demo.py)
    # holds on to its people through custody records that are never deleted, so these tests could not wipe them.
    call_command("demo_data", *args, "--no-evidence", stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in REGISTRY_MODELS}


def _fingerprint() -> list[Any]:
    """Everything the demo wrote that a reader sees, without ids, uuids, timestamps or ciphertext."""
    out: list[Any] = []
    for p in Person.objects.order_by("organisation__slug", "display_name").select_related("organisation"):
        cases = []
        for c in p.cases.order_by("id"):
            cases.append((
                c.theme, c.procedural_stage, str(c.opened_on), c.case_group, c.case_number,
                [(str(ch.law_article), ch.status, str(ch.brought_on)) for ch in c.charges.order_by("id")],
                [(h.court, str(h.held_on), h.outcome, h.in_absentia, sorted(j.name for j in h.judges.all()))
                 for h in c.hearings.order_by("id")],
                [(s.sentence_type, s.years, s.months, s.appeal_status, str(s.counts_from)) for s in c.sentences.all()],
            ))
        out.append((
            p.organisation.slug, p.display_name, p.slug, p.country, p.gender, str(p.birth_date), p.occupation,
            p.current_status, str(p.current_status_date), p.recognition_outcome, str(p.death_date),
            [(n.text, n.script, n.kind, n.is_primary) for n in p.names.order_by("id")], cases,
            [(d.kind, str(d.start), str(d.end), d.facility.name if d.facility else None, d.whereabouts)
             for d in p.detentions.order_by("id")],
            [(s.status, str(s.effective)) for s in p.status_changes.order_by("id")],
            [(r.kind, r.project_name_sealed(), r.project_contact_sealed(),
              r.related_person.display_name if r.related_person else None) for r in p.relationships.order_by("id")],
            [(c.scope, c.given_by, c.given_on, c.withdrawn_on) for c in p.consents.order_by("id")],
            [(d.framework, d.outcome, d.decided_on,
              [(a.code, a.is_exclusion, a.result) for a in d.criteria.order_by("id")])
             for d in p.decisions.order_by("id")],
            sorted(u.email for u in p.case_team.all()),
        ))
    return out


def _latest(changes: list[StatusChange]) -> StatusChange:
    return max(changes, key=lambda c: (c.effective.sort_key(), c.pk))


# --- the seeded demo -------------------------------------------------------------------------------------


def test_the_plan_is_a_function_of_the_seed() -> None:
    assert repr(demo.plan(1)) == repr(demo.plan(1))
    assert repr(demo.plan(1)) != repr(demo.plan(2))


@pytest.mark.slow
@pytest.mark.django_db
def test_the_seeded_demo_is_deterministic_and_idempotent() -> None:
    _run("--seed", "1")
    first, counts, events = _fingerprint(), _counts(), AuditEvent.objects.count()
    assert counts["Person"] == 50

    output = _run("--seed", "1")
    assert "0 people written, 50 already there" in output
    assert _counts() == counts
    assert AuditEvent.objects.count() == events, "a second run must not even add audit events"

    # Wipe the registry and write it again from the same seed: the same records.
    Person.objects.all().delete()
    for model in (Official, Source, LawArticle, Facility):
        model.objects.all().delete()
    _run("--seed", "1")
    assert _fingerprint() == first


@pytest.mark.slow
@pytest.mark.django_db
def test_the_seeded_demo_covers_the_vocabularies_and_keeps_status_consistent() -> None:
    out = _run("--seed", "1")
    assert "amal@example.org" in out and "Demo data ready" in out
    people = list(Person.objects.select_related("organisation").prefetch_related("status_changes", "decisions",
                                                                                   "case_team"))
    assert {p.current_status for p in people} == set(v.Status.values)
    assert {p.occupation for p in people} == set(v.Occupation.values)
    assert set(Case.objects.values_list("theme", flat=True)) == set(v.Theme.values)
    assert len({p.country for p in people}) == 10
    scripts = set(PersonName.objects.values_list("script", flat=True))
    assert len(scripts) >= 4 and {"Latn", "Cyrl", "Arab", "Hans"} <= scripts

    for p in people:
        changes = list(p.status_changes.all())
        assert changes, f"{p} has no status history"
        latest = _latest(changes)
        assert (p.current_status, str(p.current_status_date)) == (latest.status, str(latest.effective)), p
        decisions = sorted(p.decisions.all(), key=lambda d: (d.decided_on, d.pk))
        assert p.recognition_outcome == (decisions[-1].outcome if decisions else "")
        assert p.cases.exists() and 1 <= Charge.objects.filter(case__person=p).count() <= 3
        if p.current_status in (v.Status.DIED_IN_CUSTODY, v.Status.EXECUTED):
            assert p.death_circumstances == p.current_status and not p.death_date.is_unknown

    by_org = Counter(p.organisation.slug for p in people)
    assert by_org[demo.MAIN_ORG] > by_org[demo.SECOND_ORG] > 0
    team = Counter(u.email for p in people for u in p.case_team.all())
    assert team["amal@example.org"] > 0 and team["bilal@example.org"] > 0
    precisions = Counter(d.start.precision for d in DetentionPeriod.objects.all())
    assert precisions["year"] and precisions["month"] and precisions["day"]
    assert Hearing.objects.filter(judges__isnull=False).exists() and Sentence.objects.exists()
    assert len(set(RecognitionDecision.objects.values_list("framework", flat=True))) >= 3
    assert CriterionAssessment.objects.filter(is_exclusion=True).exists()
    assert {c for c in Consent.objects.values_list("scope", flat=True)} >= {"name", "story", "photo"}
    family = Relationship.objects.exclude(contact_sealed="").exclude(kind=v.RelationshipKind.LAWYER).first()
    assert family is not None and "fictional" in family.project_contact_sealed()
    assert "fictional" not in family.contact_sealed, "contacts are sealed, never stored in plaintext"
    assert AuditEvent.objects.filter(action="registry.create_person").count() == 50


# --- scale data ---------------------------------------------------------------------------------------------


def _scale_args(*extra: str) -> list[str]:
    args = ["--people", "2000", "--batch", "700", *extra]
    if connection.vendor == "sqlite":
        args.append("--force")
    return args


def _check_scale_rows(org: Organisation, expected: int) -> None:
    people = {p.pk: p for p in Person.objects.filter(organisation=org, internal_notes=scale.SCALE_MARK)}
    assert len(people) == expected
    names: dict[int, list[PersonName]] = defaultdict(list)
    for n in PersonName.objects.filter(person_id__in=people):
        names[n.person_id].append(n)
    statuses: dict[int, list[StatusChange]] = defaultdict(list)
    for s in StatusChange.objects.filter(person_id__in=people):
        statuses[s.person_id].append(s)
    cases = {c.person_id: c for c in Case.objects.filter(person_id__in=people)}
    charges = Counter(Charge.objects.filter(case__person_id__in=people).values_list("case_id", flat=True))
    detentions = Counter(DetentionPeriod.objects.filter(person_id__in=people).values_list("person_id", flat=True))
    decisions: dict[int, list[RecognitionDecision]] = defaultdict(list)
    for d in RecognitionDecision.objects.filter(person_id__in=people):
        decisions[d.person_id].append(d)

    assert len(cases) == expected and Case.objects.filter(person_id__in=people).count() == expected
    assert set(detentions.values()) == {1} and len(detentions) == expected
    assert set(charges.values()) <= {1, 2} and len(charges) == expected
    assert 0.2 < len(decisions) / expected < 0.4
    assert 0.2 < sum(1 for s in statuses.values() if len(s) == 2) / expected < 0.8
    for pid, p in people.items():
        primary = [n for n in names[pid] if n.is_primary]
        assert len(primary) == 1 and 1 <= len(names[pid]) <= 2
        assert (p.display_name, p.sort_name) == display_and_sort_name(primary[0].text)
        assert all(n.search_key == search_key(n.text) for n in names[pid])
        assert 1 <= len(statuses[pid]) <= 2
        latest = _latest(statuses[pid])
        assert (p.current_status, str(p.current_status_date)) == (latest.status, str(latest.effective))
        outcome = max(decisions[pid], key=lambda d: (d.decided_on, d.pk)).outcome if decisions[pid] else ""
        assert p.recognition_outcome == outcome
        assert p.country == cases[pid].jurisdiction and p.citizenships == [p.country]
        assert p.current_status in v.Status.values and p.occupation in v.Occupation.values
    for det in DetentionPeriod.objects.filter(person_id__in=people)[:300]:
        assert (det.start_earliest, det.start_latest) == (det.start.earliest(), det.start.latest())
        assert not det.end.definitely_before(det.start)
    for c in CriterionAssessment.objects.filter(decision__person_id__in=people)[:300]:
        assert c.code in v.criterion_codes(c.decision.framework) | {"violence"}


@pytest.mark.slow
@pytest.mark.django_db(transaction=False)
def test_people_fills_consistent_rows_and_tops_up() -> None:
    out = _run(*_scale_args())
    assert "no per-row audit events" in out
    org = Organisation.objects.get(slug="rights-watch")
    _check_scale_rows(org, 2000)
    assert not AuditEvent.objects.filter(action="registry.create_person").exists()
    countries = Counter(Person.objects.filter(organisation=org).values_list("country", flat=True))
    assert set(countries) == set(scale.PROFILES) and countries["RU"] > countries["NI"]
    if NAMES_DIR.exists():
        assert len(set(PersonName.objects.values_list("script", flat=True))) >= 4

    # Running again tops up to N: nothing twice; a larger N adds only the difference.
    before = _counts()
    assert "nothing to do" in _run(*_scale_args())
    assert _counts() == before
    _run(*[a if a != "2000" else "2300" for a in _scale_args()])
    _check_scale_rows(org, 2300)

    # The id sequences moved past the bulk rows: the action functions still work.
    person = actions.do_create_person(organisation=org, names=[NameInput("Testa Persona")],
                                      data={"country": "BY"}, acting_user="test")
    actions.do_record_status(person=person, status="imprisoned", effective=PartialDate(2024), acting_user="test")
    assert Person.objects.get(pk=person.pk).current_status == "imprisoned"


@pytest.mark.django_db
def test_scale_data_is_a_function_of_the_seed() -> None:
    force = ["--force"] if connection.vendor == "sqlite" else []
    for slug in ("rights-watch", "lawyers-network"):
        call_command("demo_data", "--people", "300", "--org", slug, "--seed", "7", *force, stdout=StringIO())
    generated = [
        list(Person.objects.filter(organisation__slug=slug, internal_notes=scale.SCALE_MARK).order_by("id")
             .values_list("display_name", "current_status", "current_status_date", "occupation"))
        for slug in ("rights-watch", "lawyers-network")
    ]
    assert generated[0] == generated[1] and len(generated[0]) == 300


@pytest.mark.django_db
def test_without_name_lists_it_falls_back_to_generated_syllables(tmp_path: Path) -> None:
    force = ["--force"] if connection.vendor == "sqlite" else []
    call_command("demo_data", "--people", "200", "--names-dir", str(tmp_path / "absent"), *force, stdout=StringIO())
    org = Organisation.objects.get(slug="rights-watch")
    _check_scale_rows(org, 200)
    assert set(PersonName.objects.values_list("script", flat=True)) == {"Latn"}


@pytest.mark.django_db
def test_a_large_load_rebuilds_the_indexes_it_dropped() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite loads with its indexes in place")

    def index_definitions() -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename LIKE 'registry_%%'")
            return {row[0] for row in cursor.fetchall()}

    call_command("demo_data", "--people", "0", stdout=StringIO())
    before = index_definitions()
    org = Organisation.objects.get(slug="rights-watch")
    messages: list[str] = []
    scale.fill(people=400, organisation=org, names_dir=NAMES_DIR, batch=150, progress=messages.append,
               rebuild_indexes=True)
    assert any("dropped" in m for m in messages) and any("rebuilt" in m for m in messages)
    assert index_definitions() == before
    _check_scale_rows(org, 400)


@pytest.mark.django_db
def test_people_refuses_sqlite_without_force() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with pytest.raises(CommandError, match="--force"):
        call_command("demo_data", "--people", "10", stdout=StringIO())
    assert not Person.objects.exists()

"""Importing lists: mapping, partial dates, re-import updates, all-or-nothing, dry run, provenance, the command."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from unforgotten.audit.models import AuditEvent
from unforgotten.core.partialdate import PartialDate
from unforgotten.exchange.actions import ImportRefused, do_import_people
from unforgotten.exchange.mapping import MappingError, load_mapping
from unforgotten.exchange.readers import ReadError
from unforgotten.registry import actions as registry
from unforgotten.registry.models import (
    Citation,
    DetentionPeriod,
    ExternalId,
    Person,
    PersonName,
    Sentence,
    Source,
    StatusChange,
)

MAPPING = """
date_format = "%d/%m/%Y"
list_separator = ";"

[fields]
names = ["name_en", "name_ru"]
external_id = "id"
gender = "sex"
birth_date = "born"
status = "status"
status_date = "since"
detention_start = "arrested"
facility = "prison"
charges = "articles"
sentence = "sentence"
notes = "notes"
source_url = "url"

[defaults]
country = "BY"

[values.gender]
"M" = "male"
"F" = "female"

[values.status]
"jailed" = "imprisoned"
"""
HEADER = ["id", "name_en", "name_ru", "sex", "born", "status", "since", "arrested", "prison", "articles", "sentence",
          "notes", "url"]


def _csv(path: Path, rows: list[list[str]]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def _row(**values: str) -> list[str]:
    return [values.get(column, "") for column in HEADER]


def _catalogue(cast: Any) -> None:
    registry.do_add_facility(data={"name": "Penal Colony No. 3", "kind": "colony", "country": "BY"}, acting_user=cast.dana)
    registry.do_add_law_article(data={"country": "BY", "code": "Criminal Code", "article": "342", "part": "1"},
                                acting_user=cast.dana)
    registry.do_add_law_article(data={"country": "BY", "code": "Criminal Code", "article": "361-1"},
                                acting_user=cast.dana)


def _import(cast: Any, path: Path, mapping: str = MAPPING, **kwargs: Any) -> Any:
    return do_import_people(organisation=cast.org_a, path=path, mapping_text=mapping, source_name="viasna",
                            acting_user=cast.amal, **kwargs)


MARYIA = _row(id="101", name_en="Maryia Kalesnikava", name_ru="Мария Колесникова", sex="F", born="1982",
              status="jailed", since="06/09/2021", arrested="2020-09", prison="Penal Colony No. 3",
              articles="342 part 1; Criminal Code 361-1", sentence="11 years", notes="Flautist", url="https://example.org/101")


@pytest.mark.django_db
def test_it_records_a_row_as_registry_records_with_partial_dates(cast: Any, tmp_path: Path) -> None:
    _catalogue(cast)
    report = _import(cast, _csv(tmp_path / "l.csv", [MARYIA]))
    assert (report.created, report.updated, report.skipped) == (1, 0, 0)
    person = Person.objects.get(external_ids__source="viasna", external_ids__value="101")
    assert person.organisation_id == cast.org_a.pk and person.country == "BY" and person.gender == "female"
    # A bare year stays a year; a month stays a month; the mapping's format reads the full date.
    assert person.birth_date == PartialDate(1982)
    assert person.current_status == "imprisoned" and person.current_status_date == PartialDate(2021, 9, 6)
    assert person.display_name == "Maryia Kalesnikava" and person.internal_notes == "Flautist"
    names = {n.text: n for n in person.names.all()}
    assert set(names) == {"Maryia Kalesnikava", "Мария Колесникова"}
    assert names["Maryia Kalesnikava"].is_primary and names["Мария Колесникова"].script == "Cyrl"
    assert "mariia" in names["Мария Колесникова"].search_key or "mariya" in names["Мария Колесникова"].search_key
    detention = DetentionPeriod.objects.get(person=person)
    assert detention.start == PartialDate(2020, 9) and detention.facility is not None
    assert str(detention.start_earliest) == "2020-09-01" and str(detention.start_latest) == "2020-09-30"
    case = person.cases.get()
    assert sorted(c.law_article.article for c in case.charges.all()) == ["342", "361-1"]
    assert Sentence.objects.get(case=case).years == 11
    assert StatusChange.objects.filter(person=person).count() == 1
    # The person shows up through the list's name search (search keys filled), and the name index hears of them.
    assert PersonName.objects.filter(search_key__icontains="kolesnikova").exists()
    from unforgotten.registry.models import NameIndexChange

    assert NameIndexChange.objects.filter(person_id=person.pk, organisation_id=cast.org_a.pk).exists()


@pytest.mark.django_db
def test_it_records_the_source_of_every_imported_record(cast: Any, tmp_path: Path) -> None:
    _catalogue(cast)
    _import(cast, _csv(tmp_path / "l.csv", [MARYIA]))
    source = Source.objects.get(organisation=cast.org_a, label="viasna")
    person = Person.objects.get()
    cited = set(Citation.objects.filter(source=source).values_list("target_type", "target_id"))
    assert ("registry.person", person.pk) in cited
    assert ("registry.statuschange", person.status_changes.get().pk) in cited
    assert ("registry.detentionperiod", person.detentions.get().pk) in cited
    assert ("registry.case", person.cases.get().pk) in cited
    note = Citation.objects.get(source=source, target_type="registry.person").note
    assert "line 2" in note and "https://example.org/101" in note
    # One audit event for the run: counts, never a value from the file.
    events = AuditEvent.objects.filter(action="exchange.import_people")
    assert events.count() == 1
    assert events[0].changes["created"] == [None, 1]
    assert "Kalesnikava" not in str(events[0].changes) and "Flautist" not in str(events[0].changes)


@pytest.mark.django_db
def test_it_updates_on_reimport_and_never_duplicates(cast: Any, tmp_path: Path) -> None:
    _catalogue(cast)
    path = _csv(tmp_path / "l.csv", [MARYIA, _row(id="102", name_en="Ales Bialiatski")])
    _import(cast, path)
    again = _import(cast, path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Person.objects.count() == 2 and ExternalId.objects.count() == 2
    changed = list(MARYIA)
    changed[HEADER.index("status")] = "released"
    changed[HEADER.index("since")] = "2024"
    changed[HEADER.index("name_ru")] = "Марыя Калеснікава"
    third = _import(cast, _csv(tmp_path / "l2.csv", [changed]))
    assert (third.created, third.updated) == (0, 1)
    person = Person.objects.get(external_ids__value="101")
    assert person.current_status == "released" and person.current_status_date == PartialDate(2024)
    assert person.names.count() == 3 and person.status_changes.count() == 2
    assert Person.objects.count() == 2
    # The update went through the ORM: the registry's history has the person's previous status.
    assert "imprisoned" in set(person.history.values_list("current_status", flat=True))


@pytest.mark.django_db
def test_it_treats_the_same_id_twice_in_one_file_as_one_person(cast: Any, tmp_path: Path) -> None:
    report = _import(cast, _csv(tmp_path / "l.csv", [_row(id="7", name_en="Ilgar Mammadov", status="jailed", since="2013"),
                                                      _row(id="7", name_en="Ilgar Mammadov", status="released", since="2018")]))
    assert (report.created, report.updated) == (1, 1)
    person = Person.objects.get()
    assert person.current_status == "released" and person.status_changes.count() == 2


@pytest.mark.django_db
def test_it_reports_bad_rows_with_their_line_and_commits_the_rest(cast: Any, tmp_path: Path) -> None:
    _catalogue(cast)
    rows = [MARYIA, _row(id="2", name_en=""), _row(id="3", name_en="X", born="2999"),
            _row(id="4", name_en="Y", status="asleep"), _row(id="5", name_en="Z", articles="999"),
            _row(id="6", name_en="W", since="31/02/2020", status="jailed"), _row(id="", name_en="V")]
    report = _import(cast, _csv(tmp_path / "l.csv", rows))
    assert report.created == 1 and report.skipped == 6
    reasons = dict(report.errors)
    assert set(reasons) == {3, 4, 5, 6, 7, 8}
    assert "no name" in reasons[3]
    assert "future" in reasons[4]
    assert "'asleep'" in reasons[5] and "[values.status]" in reasons[5]
    assert "999" in reasons[6] and "law article" in reasons[6]
    assert "31/02/2020" in reasons[7]
    assert "external id" in reasons[8]


@pytest.mark.django_db
def test_it_writes_nothing_for_a_strict_run_with_bad_rows(cast: Any, tmp_path: Path) -> None:
    with pytest.raises(ImportRefused):
        _import(cast, _csv(tmp_path / "l.csv", [_row(id="1", name_en="A"), _row(id="2", name_en="")]), strict=True)
    assert not Person.objects.exists() and not Source.objects.exists()


@pytest.mark.django_db
def test_it_writes_nothing_when_the_file_breaks_midway(cast: Any, tmp_path: Path) -> None:
    path = tmp_path / "l.csv"
    good = "".join(f"{i},Person {i}\n" for i in range(1, 6000))  # more than one batch is written first
    path.write_bytes(b"id,name_en\n" + good.encode() + "6000,Jos\u00e9\n".encode("latin-1"))
    mapping = '[fields]\nnames = "name_en"\nexternal_id = "id"\n[defaults]\ncountry = "AM"\n'
    with pytest.raises(ReadError) as err:
        _import(cast, path, mapping)
    assert err.value.line == 6001
    assert not Person.objects.exists() and not PersonName.objects.exists() and not ExternalId.objects.exists()
    assert not Source.objects.exists() and not AuditEvent.objects.filter(action="exchange.import_people").exists()


@pytest.mark.django_db
def test_it_writes_nothing_on_a_dry_run(cast: Any, tmp_path: Path) -> None:
    report = _import(cast, _csv(tmp_path / "l.csv", [MARYIA[:8] + [""] * 5, _row(id="9", name_en="B")]), dry_run=True)
    assert report.created == 2
    assert not Person.objects.exists() and not Source.objects.exists() and not Citation.objects.exists()
    assert not AuditEvent.objects.filter(action="exchange.import_people").exists()


@pytest.mark.django_db
def test_it_refuses_a_mapping_naming_a_missing_column(cast: Any, tmp_path: Path) -> None:
    mapping = MAPPING.replace('"sex"', '"gender_column"')
    with pytest.raises(MappingError, match="gender_column"):
        _import(cast, _csv(tmp_path / "l.csv", [MARYIA]), mapping)
    assert not Person.objects.exists() and not Source.objects.exists()


@pytest.mark.parametrize(("text", "message"), [
    ("[fields]\nnames = 'n'\n", "external_id"),
    ("[fields]\nexternal_id = 'id'\n", "names"),
    ("[fields]\nnames = 'n'\nexternal_id = 'id'\nshoe_size = 's'\n", "shoe_size"),
    ("[fields]\nnames = 'n'\nexternal_id = 'id'\n[defaults]\nstatus = 'asleep'\n", "asleep"),
    ("[fields]\nnames = 'n'\nexternal_id = 'id'\n[defaults]\ncountry = 'Atlantis'\n", "Atlantis"),
    ("[fields]\nnames = 'n'\nexternal_id = 'id'\ndate_format = '%y'\n", "date_format"),
    ("[fields\n", "TOML"),
])
def test_it_explains_what_is_wrong_with_a_mapping(text: str, message: str) -> None:
    with pytest.raises(MappingError, match=message):
        load_mapping(text)


CPJ_HEADER = ("year,fullName,primaryNationality,secondaryNationality,tertiaryNationality,gender,photoUrl,photoCredit,"
              "typeOfDeath,status,employedAs,organizations,jobs,coverage,mediums,country,location,region,state,"
              "locality,province,localOrForeign,sourcesOfFire,motiveConfirmed,impunityMurder,tortured,captive,"
              "threatened,charges,lengthOfSentence,healthProblems,sentence,locationImprisoned")


def _cpj_row(year: str, name: str, gender: str, status: str, country: str) -> str:
    cells = dict.fromkeys(CPJ_HEADER.split(","), "")
    cells.update({"year": year, "fullName": name, "gender": gender, "status": status, "country": country,
                  "jobs": "Print Reporter,Editor", "employedAs": "Staff"})
    buffer = io.StringIO()
    csv.writer(buffer).writerow(cells.values())
    return buffer.getvalue()


@pytest.mark.django_db
def test_it_imports_a_cpj_shaped_file_with_the_example_mapping(cast: Any, tmp_path: Path) -> None:
    # A small synthetic file shaped like the CPJ sample (no real data is copied into the repository).
    path = tmp_path / "cpj.csv"
    path.write_text(CPJ_HEADER + "\n" + "".join([
        _cpj_row("2015", "Łukasz Testowy", "Male", "Killed", "Poland"),
        _cpj_row("2012", "Ана Тестова", "Female", "Missing", "Russia"),
        _cpj_row("2013", "Ана Тестова", "Female", "Missing", "Russia"),
        _cpj_row("2003", "Someone Else", "Unknown", "Killed", "Serbia and Montenegro"),
    ]), encoding="utf-8")
    mapping = (Path(__file__).resolve().parents[3] / "docs" / "examples" / "cpj-mapping.toml").read_text(encoding="utf-8")
    report = do_import_people(organisation=cast.org_a, path=path, mapping_text=mapping, source_name="cpj",
                              acting_user=cast.amal)
    assert (report.created, report.skipped) == (3, 0), report.errors
    killed = Person.objects.get(display_name="Łukasz Testowy")
    assert killed.country == "PL" and killed.occupation == "journalist" and killed.death_date == PartialDate(2015)
    assert killed.status_changes.count() == 0
    missing = Person.objects.get(display_name="Ана Тестова")
    # One person, disappeared since the first year listed; no date of death for the missing.
    assert missing.current_status == "disappeared" and missing.current_status_date == PartialDate(2012)
    assert missing.death_date == PartialDate() and missing.status_changes.count() == 1
    assert Person.objects.get(display_name="Someone Else").country == "RS"


@pytest.mark.django_db
def test_it_runs_from_the_command_line(cast: Any, tmp_path: Path) -> None:
    path = _csv(tmp_path / "l.csv", [_row(id="1", name_en="A B"), _row(id="2", name_en="")])
    mapping = tmp_path / "m.toml"
    mapping.write_text(MAPPING, encoding="utf-8")
    errors = tmp_path / "errors.csv"
    out, err = io.StringIO(), io.StringIO()
    call_command("import_people", str(path), mapping=str(mapping), source="viasna", organisation="org-a",
                 dry_run=True, stdout=out, stderr=err)
    assert "would import 2 rows" in out.getvalue() and not Person.objects.exists()
    call_command("import_people", str(path), mapping=str(mapping), source="viasna", organisation="org-a",
                 errors=str(errors), stdout=out, stderr=err)
    assert Person.objects.count() == 1
    assert "line 3: no name" in err.getvalue()
    assert "100.0%" in err.getvalue()  # the progress bar reached the end
    assert errors.read_text(encoding="utf-8").splitlines()[1].startswith("3,")
    broken = tmp_path / "broken.csv"
    broken.write_bytes((",".join(HEADER) + "\n1,Jos\xe9" + "," * (len(HEADER) - 2) + "\n").encode("latin-1"))
    with pytest.raises(CommandError, match="line 2.*nothing was written"):
        call_command("import_people", str(broken), mapping=str(mapping), source="viasna", organisation="org-a",
                     stdout=out, stderr=err)


@pytest.mark.parametrize("name", ["Ilgar Mammadov", "İlqar Məmmədov", "Ильгар Мамедов", "نرگس محمدی", "刘晓波"])
def test_it_derives_name_keys_exactly_as_the_registry_does(name: str) -> None:
    from unforgotten.exchange.importer import name_keys
    from unforgotten.registry.naming import display_and_sort_name, search_key

    key, latin = name_keys(name)
    assert key == search_key(name)
    assert latin[:300] == display_and_sort_name(name)[1]

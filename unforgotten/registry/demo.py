"""The seeded demo registry: fifty fictional people in ten countries, written through the action functions.

``plan(seed)`` is pure: it turns a seed into the records to write (the same
seed gives the same plan, byte for byte). ``write(plan, ...)`` writes them
through ``unforgotten.registry.actions`` so the demo has audit events and
history like real work, and skips what is already there (a person is
recognised by organisation and primary name; catalogues by their natural
keys), so running it twice duplicates nothing.

Every name is invented by combining common forenames and surnames of each
country; no record describes a real prisoner.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import transaction

from unforgotten.accounts.models import Organisation
from unforgotten.audit.actions import record
from unforgotten.core.partialdate import PartialDate
from unforgotten.registry import actions
from unforgotten.registry import vocabularies as v
from unforgotten.registry.actions import CriterionInput, NameInput
from unforgotten.registry.demo_catalogue import COUNTRIES
from unforgotten.registry.models import Facility, LawArticle, Official, Person, Source

# Nothing the demo records happens after this day, whatever today is.
LAST_DAY = date(2025, 10, 31)
PEOPLE_PER_COUNTRY = 5
MAIN_ORG = "rights-watch"
SECOND_ORG = "lawyers-network"
# The last two people of these countries are recorded by the second organisation.
SECOND_ORG_COUNTRIES = ("RU", "AZ", "TR", "NI")

Pair = tuple[str, str]  # (as written natively, Latin)
Surname = tuple[str, str, str, str]  # (native male, native female, Latin male, Latin female)


@dataclass(frozen=True)
class NameStock:
    male: tuple[Pair, ...]
    female: tuple[Pair, ...]
    surnames: tuple[Surname, ...]
    family_first: bool = False
    joiner: str = " "  # between family and given name in the native form
    two_surnames: bool = False
    places: tuple[str, ...] = ()


def _same(*names: str) -> tuple[Surname, ...]:
    return tuple((n, n, n, n) for n in names)


def _plain(*pairs: str) -> tuple[Pair, ...]:
    """"Native|Latin" strings (or one form when both are the same) as pairs."""
    out = []
    for p in pairs:
        native, _, latin = p.partition("|")
        out.append((native, latin or native))
    return tuple(out)


STOCK: dict[str, NameStock] = {
    "BY": NameStock(
        _plain("Андрэй|Andrei", "Сяргей|Siarhei", "Мікалай|Mikalai", "Уладзімір|Uladzimir", "Павел|Pavel"),
        _plain("Вольга|Volha", "Таццяна|Tatsiana", "Ганна|Hanna", "Алена|Alena", "Ірына|Iryna"),
        (("Каваленка", "Каваленка", "Kavalenka", "Kavalenka"), ("Шаўчук", "Шаўчук", "Shauchuk", "Shauchuk"),
         ("Жук", "Жук", "Zhuk", "Zhuk"), ("Бабровіч", "Бабровіч", "Babrovich", "Babrovich"),
         ("Лісоўскі", "Лісоўская", "Lisouski", "Lisouskaya"), ("Сарока", "Сарока", "Saroka", "Saroka")),
        places=("Minsk", "Homiel", "Hrodna", "Mahiliou", "Brest"),
    ),
    "RU": NameStock(
        _plain("Григорий|Grigory", "Илья|Ilya", "Олег|Oleg", "Кирилл|Kirill", "Тимур|Timur"),
        _plain("Дарья|Darya", "Ксения|Ksenia", "Вера|Vera", "Светлана|Svetlana", "Полина|Polina"),
        (("Сорокин", "Сорокина", "Sorokin", "Sorokina"), ("Белов", "Белова", "Belov", "Belova"),
         ("Тихонов", "Тихонова", "Tikhonov", "Tikhonova"), ("Журавлёв", "Журавлёва", "Zhuravlyov", "Zhuravlyova"),
         ("Крылов", "Крылова", "Krylov", "Krylova"), ("Ермаков", "Ермакова", "Yermakov", "Yermakova")),
        places=("Moscow", "Saint Petersburg", "Yekaterinburg", "Kazan", "Krasnodar"),
    ),
    "AZ": NameStock(
        _plain("Rəşad|Rashad", "Tural", "Elvin", "Nicat|Nijat", "Orxan|Orkhan"),
        _plain("Günel|Gunel", "Aytən|Aytan", "Səbinə|Sabina", "Nərmin|Narmin", "Lalə|Lala"),
        (("Hüseynov", "Hüseynova", "Huseynov", "Huseynova"), ("Qasımov", "Qasımova", "Gasimov", "Gasimova"),
         ("Rzayev", "Rzayeva", "Rzayev", "Rzayeva"), ("Süleymanlı", "Süleymanlı", "Suleymanli", "Suleymanli"),
         ("Babayev", "Babayeva", "Babayev", "Babayeva")),
        places=("Baku", "Ganja", "Sumqayit", "Lankaran"),
    ),
    "IR": NameStock(
        _plain("رضا|Reza", "امید|Omid", "بهنام|Behnam", "کاوه|Kaveh", "آرش|Arash"),
        _plain("شیرین|Shirin", "لیلا|Leila", "پریسا|Parisa", "سپیده|Sepideh", "ژیلا|Zhila"),
        (("رحیمی", "رحیمی", "Rahimi", "Rahimi"), ("کریمی", "کریمی", "Karimi", "Karimi"),
         ("صادقی", "صادقی", "Sadeghi", "Sadeghi"), ("نوری", "نوری", "Nouri", "Nouri"),
         ("افشار", "افشار", "Afshar", "Afshar"), ("تهرانی", "تهرانی", "Tehrani", "Tehrani")),
        places=("Tehran", "Tabriz", "Mashhad", "Sanandaj", "Isfahan"),
    ),
    "EG": NameStock(
        _plain("أحمد|Ahmed", "محمود|Mahmoud", "يوسف|Youssef", "كريم|Karim", "عمرو|Amr"),
        _plain("منى|Mona", "نور|Nour", "سلمى|Salma", "هبة|Heba", "دينا|Dina"),
        (("عبد الله", "عبد الله", "Abdallah", "Abdallah"), ("السيد", "السيد", "El-Sayed", "El-Sayed"),
         ("فتحي", "فتحي", "Fathy", "Fathy"), ("شاكر", "شاكر", "Shaker", "Shaker"),
         ("منصور", "منصور", "Mansour", "Mansour"), ("الشريف", "الشريف", "El-Sherif", "El-Sherif")),
        places=("Cairo", "Alexandria", "Giza", "Mansoura"),
    ),
    "SA": NameStock(
        _plain("تركي|Turki", "ماجد|Majed", "عبد العزيز|Abdulaziz", "خالد|Khaled", "سعود|Saud"),
        _plain("نورة|Noura", "هيفاء|Haifa", "لمى|Lama", "ريم|Reem", "أسماء|Asma"),
        (("الغامدي", "الغامدي", "Al-Ghamdi", "Al-Ghamdi"), ("العتيبي", "العتيبي", "Al-Otaibi", "Al-Otaibi"),
         ("الشمري", "الشمري", "Al-Shammari", "Al-Shammari"), ("الحربي", "الحربي", "Al-Harbi", "Al-Harbi"),
         ("القحطاني", "القحطاني", "Al-Qahtani", "Al-Qahtani")),
        places=("Riyadh", "Jeddah", "Qatif", "Buraydah"),
    ),
    "CN": NameStock(
        _plain("志强|Zhiqiang", "建国|Jianguo", "伟|Wei", "晓东|Xiaodong", "海涛|Haitao"),
        _plain("丽华|Lihua", "静|Jing", "雪梅|Xuemei", "敏|Min", "晓燕|Xiaoyan"),
        (("王", "王", "Wang", "Wang"), ("刘", "刘", "Liu", "Liu"), ("陈", "陈", "Chen", "Chen"),
         ("许", "许", "Xu", "Xu"), ("高", "高", "Gao", "Gao"), ("郑", "郑", "Zheng", "Zheng")),
        family_first=True, joiner="",
        places=("Chengdu", "Beijing", "Wuhan", "Guangzhou", "Kashgar"),
    ),
    "VN": NameStock(
        _plain("Văn Minh|Van Minh", "Đức Anh|Duc Anh", "Quốc Bảo|Quoc Bao", "Thanh Tùng|Thanh Tung",
               "Hữu Phúc|Huu Phuc"),
        _plain("Thị Lan|Thi Lan", "Thu Hà|Thu Ha", "Ngọc Ánh|Ngoc Anh", "Bích Thủy|Bich Thuy", "Thị Hồng|Thi Hong"),
        (("Nguyễn", "Nguyễn", "Nguyen", "Nguyen"), ("Trần", "Trần", "Tran", "Tran"), ("Phạm", "Phạm", "Pham", "Pham"),
         ("Lê", "Lê", "Le", "Le"), ("Hoàng", "Hoàng", "Hoang", "Hoang"), ("Đỗ", "Đỗ", "Do", "Do")),
        family_first=True,
        places=("Hanoi", "Ho Chi Minh City", "Vinh", "Da Nang"),
    ),
    "TR": NameStock(
        _plain("Mehmet", "Emre", "Onur", "Barış|Baris", "Serkan"),
        _plain("Zeynep", "Elif", "Gülşen|Gulsen", "Ayşe|Ayse", "Derya"),
        (("Yıldız", "Yıldız", "Yildiz", "Yildiz"), *_same("Kaya"), ("Aydın", "Aydın", "Aydin", "Aydin"),
         ("Şahin", "Şahin", "Sahin", "Sahin"), *_same("Korkmaz"), ("Özgür", "Özgür", "Ozgur", "Ozgur")),
        places=("Istanbul", "Ankara", "Diyarbakır", "İzmir"),
    ),
    "NI": NameStock(
        _plain("José Luis|Jose Luis", "Félix|Felix", "Álvaro|Alvaro", "Marvin", "Bayardo"),
        _plain("María José|Maria Jose", "Ana Lucía|Ana Lucia", "Claudia", "Martha", "Karla"),
        (*_same("Rivas"), ("Pérez", "Pérez", "Perez", "Perez"), *_same("Mendoza"),
         ("Gutiérrez", "Gutiérrez", "Gutierrez", "Gutierrez"), ("Aráuz", "Aráuz", "Arauz", "Arauz"),
         ("Blandón", "Blandón", "Blandon", "Blandon"), *_same("Sequeira")),
        two_surnames=True,
        places=("Managua", "León", "Masaya", "Matagalpa"),
    ),
}

_STATUS_WEIGHTS = {
    v.Status.IMPRISONED: 30, v.Status.AWAITING_TRIAL: 14, v.Status.RELEASED: 12, v.Status.AT_LARGE: 6,
    v.Status.HOUSE_ARREST: 5, v.Status.IN_EXILE: 8, v.Status.DISAPPEARED: 5, v.Status.DIED_IN_CUSTODY: 2,
    v.Status.EXECUTED: 1,
}
_OCCUPATION_DETAIL = {
    v.Occupation.JOURNALIST: "Reporter for an independent news site",
    v.Occupation.HUMAN_RIGHTS_DEFENDER: "Monitors trials for a human-rights group",
    v.Occupation.LAWYER: "Defence lawyer in political cases",
    v.Occupation.OPPOSITION_POLITICIAN: "Regional coordinator of an opposition party",
    v.Occupation.CIVIL_SOCIETY_ACTIVIST: "Volunteer with a neighbourhood initiative",
    v.Occupation.RELIGIOUS_FIGURE: "Leads a small congregation",
    v.Occupation.ARTIST_OR_WRITER: "Poet and translator",
    v.Occupation.BLOGGER: "Runs a popular channel about local politics",
    v.Occupation.STUDENT: "University student",
    v.Occupation.LABOUR_ACTIVIST: "Organiser in an independent trade union",
    v.Occupation.ORDINARY_CITIZEN: "Shop assistant",
    v.Occupation.OTHER: "Engineer",
}
_THEME_PHRASE = {
    v.Theme.EXPRESSION: "for what {p} wrote and said in public",
    v.Theme.ASSEMBLY: "for taking part in peaceful protests",
    v.Theme.ASSOCIATION: "for {q} work in an independent organisation",
    v.Theme.RELIGION: "for practising {q} faith with others",
    v.Theme.ETHNICITY_IDENTITY: "for defending the rights of {q} community",
    v.Theme.OTHER: "on charges widely seen as retaliation for {q} activism",
}
_RELATIVES = (v.RelationshipKind.SPOUSE, v.RelationshipKind.PARENT, v.RelationshipKind.SIBLING,
              v.RelationshipKind.CHILD)
_GIVEN_BY = {v.RelationshipKind.SPOUSE: "spouse", v.RelationshipKind.PARENT: "parent",
             v.RelationshipKind.SIBLING: "sibling", v.RelationshipKind.CHILD: "adult child"}
_SENTENCED = {v.Status.IMPRISONED, v.Status.RELEASED, v.Status.DIED_IN_CUSTODY, v.Status.EXECUTED}
_RECOGNISED = {v.RecognitionOutcome.POLITICAL_PRISONER, v.RecognitionOutcome.PRISONER_OF_CONSCIENCE,
               v.RecognitionOutcome.FORMER, v.RecognitionOutcome.POLITICALLY_MOTIVATED}

# --- the plan -----------------------------------------------------------------------------------


@dataclass
class CaseSpec:
    data: dict[str, Any]
    charges: list[tuple[int, dict[str, Any]]]  # index into the country's articles, charge data
    hearings: list[tuple[dict[str, Any], list[int]]]  # hearing data, judge indexes
    sentence: dict[str, Any] | None


@dataclass
class DetentionSpec:
    data: dict[str, Any]
    facility: int | None  # index into the country's facilities


@dataclass
class DecisionSpec:
    data: dict[str, Any]
    criteria: list[CriterionInput]


@dataclass
class PersonSpec:
    key: str
    org: str
    country: str
    names: list[NameInput]
    data: dict[str, Any]
    case: CaseSpec
    detentions: list[DetentionSpec]
    statuses: list[tuple[str, PartialDate]]
    relationships: list[dict[str, str]]
    consents: list[dict[str, Any]]
    decisions: list[DecisionSpec]
    case_team: list[str]  # persona e-mails
    citations: list[tuple[int, str, str]]  # source index, target ("detention"/"case"/"status"), field
    co_defendant_of: str | None = None  # key of a person recorded earlier

    @property
    def display_name(self) -> str:
        return next(n.text for n in self.names if n.is_primary)


@dataclass(frozen=True)
class OfficialSpec:
    org: str
    country: str
    name: str
    role: str
    agency: str


@dataclass(frozen=True)
class SourceSpec:
    org: str
    label: str
    connection: str
    reliability: str
    credibility: str
    identity: str
    url: str = ""


@dataclass
class DemoPlan:
    seed: int
    people: list[PersonSpec]
    officials: list[OfficialSpec]
    sources: list[SourceSpec]
    # (org, country) → indexes into officials of that org and country, judges first
    judges: dict[tuple[str, str], list[int]] = field(default_factory=dict)


def _weighted(rng: random.Random, weights: dict[Any, int]) -> Any:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _covering(rng: random.Random, every: Sequence[Any], n: int, weights: dict[Any, int] | None = None) -> list[Any]:
    """n values that include every value at least once, the rest drawn by weight, shuffled."""
    out = list(every)
    while len(out) < n:
        out.append(_weighted(rng, weights) if weights else rng.choice(list(every)))
    rng.shuffle(out)
    return out


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _partial(d: date, precision: str) -> PartialDate:
    if precision == "year":
        return PartialDate(d.year)
    if precision == "month":
        return PartialDate(d.year, d.month)
    return PartialDate.from_date(d)


def _precision(rng: random.Random, day: int, month: int, year: int) -> str:
    return rng.choices(("day", "month", "year"), weights=(day, month, year))[0]


_RELIGIOUS_TITLES_M: dict[str, tuple[str, str, str, bool]] = {
    "RU": ("отец {}", "Cyrl", "ru", True), "BY": ("айцец {}", "Cyrl", "be", True), "CN": ("释{}", "Hans", "zh", True),
    "VN": ("Thích {}", "Latn", "vi", True), "NI": ("Padre {}", "Latn", "es", True), "": ("Sheikh {}", "Latn", "en", False),
}
_RELIGIOUS_TITLES_F: dict[str, tuple[str, str, str, bool]] = {
    "RU": ("сестра {}", "Cyrl", "ru", True), "BY": ("сястра {}", "Cyrl", "be", True), "CN": ("释{}", "Hans", "zh", True),
    "VN": ("Sư cô {}", "Latn", "vi", True), "NI": ("Sor {}", "Latn", "es", True), "": ("Sister {}", "Latn", "en", False),
}


def _names(rng: random.Random, country: str, gender: str, used: set[str],
           occupation: str) -> tuple[list[NameInput], str]:
    """The person's names, primary first, and the family name as written natively."""
    stock, spec = STOCK[country], COUNTRIES[country]
    female = gender == v.Gender.FEMALE
    for _attempt in range(200):
        given = rng.choice(stock.female if female else stock.male)
        surnames = rng.sample(stock.surnames, 2 if stock.two_surnames else 1)
        fam_native = " ".join(s[1] if female else s[0] for s in surnames)
        fam_latin = " ".join(s[3] if female else s[2] for s in surnames)
        if stock.family_first:
            native = f"{fam_native}{stock.joiner}{given[0]}"
            latin = f"{fam_latin} {given[1]}"
        else:
            native = f"{given[0]} {fam_native}"
            latin = f"{given[1]} {fam_latin}"
        if native not in used:
            used.add(native)
            break
    else:  # pragma: no cover  (the stock has far more combinations than people)
        raise RuntimeError(f"ran out of demo names for {country}")
    names = [NameInput(native, spec.script, spec.language, v.NameKind.LEGAL, True)]
    if latin != native:
        names.append(NameInput(latin, "Latn", "en", v.NameKind.TRANSLITERATION))
    if occupation == v.Occupation.RELIGIOUS_FIGURE:
        # (pattern, script, language, use the native given name)
        titles = _RELIGIOUS_TITLES_F if female else _RELIGIOUS_TITLES_M
        pattern, script, language, native_given = titles.get(country, titles[""])
        text = pattern.format((given[0] if native_given else given[1]).split()[-1])
        names.append(NameInput(text, script, language, v.NameKind.RELIGIOUS))
    elif occupation in (v.Occupation.BLOGGER, v.Occupation.ARTIST_OR_WRITER):
        pen = f"{given[1]} {rng.choice(('the Free', 'of the Square', 'Speaks', 'Unbowed'))}"
        names.append(NameInput(pen, "Latn", "en", v.NameKind.ALIAS))
    return names, fam_native


def _sentence_length(rng: random.Random, low: int, high: int) -> dict[str, int]:
    years = rng.randint(low, high)
    return {"years": years, "months": rng.choice((0, 0, 6, 3))}


def _person(rng: random.Random, key: str, country: str, org: str, status: str, occupation: str, theme: str,
            used: set[str], idx: int) -> PersonSpec:
    spec, stock = COUNTRIES[country], STOCK[country]
    gender = rng.choice((v.Gender.FEMALE, v.Gender.MALE, v.Gender.MALE))
    names, family = _names(rng, country, gender, used, occupation)
    place = rng.choice(stock.places)
    birth = _day(rng, date(1956, 1, 1), date(2003, 12, 31))
    pronoun = {"female": ("she", "her"), "male": ("he", "his")}[gender]
    summary = (f"{v.Occupation(occupation).label} from {place}, prosecuted "
               f"{_THEME_PHRASE[v.Theme(theme)].format(p=pronoun[0], q=pronoun[1])}.")
    data: dict[str, Any] = {
        "gender": gender, "country": country, "citizenships": [country], "occupation": occupation,
        "occupation_detail": _OCCUPATION_DETAIL[v.Occupation(occupation)],
        "birth_date": _partial(birth, rng.choice(("year", "day"))), "birth_place": place,
        "public_summary": summary,
        "internal_notes": f"Fictional demo record {key}. Family prefers contact through the case lawyer.",
    }
    if rng.random() < 0.15:
        data["citizenships"] = sorted({country, rng.choice(("DE", "FR", "GB", "SE", "US"))})
    if occupation == v.Occupation.RELIGIOUS_FIGURE or theme == v.Theme.RELIGION:
        data["religion"] = rng.choice(("Protestant", "Orthodox Christian", "Muslim", "Buddhist", "Bahá'í"))

    # --- a timeline that fits the status ---------------------------------------------------
    if status == v.Status.AWAITING_TRIAL:
        arrest = _day(rng, date(2024, 6, 1), date(2025, 6, 30))
    elif status == v.Status.HOUSE_ARREST:
        arrest = _day(rng, date(2023, 3, 1), date(2025, 1, 31))
    elif status == v.Status.AT_LARGE:
        arrest = _day(rng, date(2019, 1, 1), date(2025, 3, 31))
    elif status == v.Status.IMPRISONED:
        arrest = _day(rng, date(2017, 3, 1), date(2023, 12, 31))
    else:
        arrest = _day(rng, date(2017, 3, 1), date(2021, 12, 31))
    opened = arrest - timedelta(days=rng.randint(0, 45))
    verdict = arrest + timedelta(days=rng.randint(150, 420))
    appeal = verdict + timedelta(days=rng.randint(60, 150))
    exile_path = "absentia" if status == v.Status.IN_EXILE and rng.random() < 0.5 else "prison"
    start_precision = _precision(rng, 40, 35, 25)
    arrest_pd = _partial(arrest, start_precision)
    opened_pd = _partial(opened, _precision(rng, 5, 3, 2))
    sentenced = status in _SENTENCED or (status == v.Status.IN_EXILE and exile_path == "prison")

    facilities = spec.facilities
    pre_trial_fac = next((i for i, f in enumerate(facilities) if f.kind in (
        v.FacilityKind.PRE_TRIAL_CENTRE, v.FacilityKind.POLICE_STATION)), 0)
    prisons = [i for i, f in enumerate(facilities) if f.kind in (
        v.FacilityKind.PRISON, v.FacilityKind.COLONY, v.FacilityKind.CAMP)] or [0]
    prison_fac = rng.choice(prisons)
    secret_fac = next((i for i, f in enumerate(facilities) if f.kind == v.FacilityKind.UNOFFICIAL), None)

    detentions: list[DetentionSpec] = []
    statuses: list[tuple[str, PartialDate]] = []
    hearings: list[tuple[dict[str, Any], list[int]]] = []
    sentence: dict[str, Any] | None = None
    end_of_custody: date | None = None
    judges = [0] if rng.random() < 0.6 else [0, 1, 2]
    court = spec.courts[0]
    appeal_court = spec.courts[-1]

    def exact(d: date) -> PartialDate:
        return _partial(d, rng.choices(("day", "month"), weights=(8, 2))[0])

    if status == v.Status.AT_LARGE:
        statuses.append((v.Status.AT_LARGE, opened_pd))
        if rng.random() < 0.5:
            start = opened + timedelta(days=rng.randint(0, 20))
            detentions.append(DetentionSpec({"kind": v.DetentionKind.ADMINISTRATIVE, "start": PartialDate.from_date(start),
                                             "end": PartialDate.from_date(start + timedelta(days=rng.randint(10, 30)))},
                                            pre_trial_fac))
        stage = rng.choice((v.ProceduralStage.INVESTIGATION, v.ProceduralStage.TRIAL, v.ProceduralStage.SENTENCED))
        if stage != v.ProceduralStage.INVESTIGATION and verdict <= LAST_DAY:
            hearings.append(({"court": court, "court_kind": spec.court_kind, "held_on": PartialDate.from_date(verdict),
                              "is_open": True, "defence_access": v.DefenceAccess.FULL,
                              "outcome": v.HearingOutcome.CONVICTED if stage == v.ProceduralStage.SENTENCED
                              else v.HearingOutcome.ADJOURNED}, judges[:1]))
            if stage == v.ProceduralStage.SENTENCED:
                kind = rng.choice((v.SentenceType.RESTRICTION, v.SentenceType.SUSPENDED, v.SentenceType.FINE))
                sentence = {"sentence_type": kind, "handed_down_on": PartialDate.from_date(verdict),
                            **(_sentence_length(rng, 1, 3) if kind != v.SentenceType.FINE else {})}
        else:
            stage = v.ProceduralStage.INVESTIGATION
    elif status in (v.Status.AWAITING_TRIAL, v.Status.HOUSE_ARREST, v.Status.DISAPPEARED):
        statuses.append((v.Status.AWAITING_TRIAL, arrest_pd))
        stage = rng.choice((v.ProceduralStage.INVESTIGATION, v.ProceduralStage.PRE_TRIAL, v.ProceduralStage.TRIAL))
        extension = min(arrest + timedelta(days=rng.randint(25, 60)), LAST_DAY)
        hearings.append(({"court": court, "court_kind": spec.court_kind, "held_on": PartialDate.from_date(extension),
                          "is_open": False, "defence_access": rng.choice((v.DefenceAccess.LIMITED, v.DefenceAccess.STATE_APPOINTED)),
                          "outcome": v.HearingOutcome.DETENTION_EXTENDED}, judges[:1]))
        if status == v.Status.AWAITING_TRIAL:
            detentions.append(DetentionSpec({"kind": v.DetentionKind.PRE_TRIAL, "start": arrest_pd}, pre_trial_fac))
        elif status == v.Status.HOUSE_ARREST:
            moved = min(arrest + timedelta(days=rng.randint(70, 200)), LAST_DAY)
            detentions.append(DetentionSpec({"kind": v.DetentionKind.PRE_TRIAL, "start": arrest_pd,
                                             "end": PartialDate.from_date(moved)}, pre_trial_fac))
            detentions.append(DetentionSpec({"kind": v.DetentionKind.HOUSE_ARREST, "start": PartialDate.from_date(moved)}, None))
            statuses.append((v.Status.HOUSE_ARREST, PartialDate.from_date(moved)))
        else:
            gone = min(arrest + timedelta(days=rng.randint(70, 400)), LAST_DAY)
            detentions.append(DetentionSpec({"kind": v.DetentionKind.PRE_TRIAL, "start": arrest_pd,
                                             "end": _partial(gone, "month")}, pre_trial_fac))
            detentions.append(DetentionSpec({
                "kind": v.DetentionKind.ENFORCED_DISAPPEARANCE, "start": _partial(gone, "month"),
                "whereabouts": rng.choice((v.Whereabouts.UNDISCLOSED, v.Whereabouts.DENIED)), "incommunicado": True,
                "conditions_notes": "No contact with family or lawyer since the transfer."}, secret_fac))
            statuses.append((v.Status.DISAPPEARED, _partial(gone, "month")))
            stage = v.ProceduralStage.INVESTIGATION
    elif status == v.Status.IN_EXILE and exile_path == "absentia":
        statuses.append((v.Status.AT_LARGE, opened_pd))
        verdict = opened + timedelta(days=rng.randint(200, 500))
        exile = verdict - timedelta(days=rng.randint(40, 120))
        statuses.append((v.Status.IN_EXILE, exact(exile)))
        hearings.append(({"court": court, "court_kind": spec.court_kind, "held_on": PartialDate.from_date(verdict),
                          "in_absentia": True, "is_open": False, "defence_access": v.DefenceAccess.STATE_APPOINTED,
                          "outcome": v.HearingOutcome.CONVICTED}, judges))
        sentence = {"sentence_type": v.SentenceType.IMPRISONMENT, "handed_down_on": PartialDate.from_date(verdict),
                    **_sentence_length(rng, 3, 12)}
        stage = v.ProceduralStage.SENTENCED
    else:  # sentenced: imprisoned, released, exiled after prison, died in custody, executed
        statuses.append((v.Status.AWAITING_TRIAL, arrest_pd))
        statuses.append((v.Status.IMPRISONED, PartialDate.from_date(verdict)))
        hearings.append(({"court": court, "court_kind": spec.court_kind, "held_on": PartialDate.from_date(verdict),
                          "is_open": rng.random() < 0.3,
                          "defence_access": rng.choice((v.DefenceAccess.LIMITED, v.DefenceAccess.FULL, v.DefenceAccess.DENIED)),
                          "outcome": v.HearingOutcome.CONVICTED,
                          "monitor_notes": "Observers were kept outside; the defendant was held in a glass cage."}, judges))
        appealed = rng.random() < 0.6 and appeal <= LAST_DAY
        if appealed:
            hearings.append(({"court": appeal_court, "court_kind": spec.court_kind, "held_on": PartialDate.from_date(appeal),
                              "is_open": False, "defence_access": v.DefenceAccess.LIMITED,
                              "outcome": rng.choice((v.HearingOutcome.UPHELD, v.HearingOutcome.UPHELD, v.HearingOutcome.REDUCED))},
                             [j for j in (1, 2) if j not in judges[:1]][:1]))
        transfer = verdict + timedelta(days=rng.randint(30, 90))
        if status == v.Status.EXECUTED:
            sentence = {"sentence_type": v.SentenceType.DEATH, "handed_down_on": PartialDate.from_date(verdict)}
        else:
            length = (1, 3) if status in (v.Status.RELEASED, v.Status.IN_EXILE) else (4, 14)
            sentence = {"sentence_type": v.SentenceType.IMPRISONMENT, "handed_down_on": PartialDate.from_date(verdict),
                        "counts_from": arrest_pd, "regime": rng.choice(("general regime", "strict regime", "")),
                        **_sentence_length(rng, *length)}
        if appealed:
            sentence["appeal_status"] = v.AppealStatus.UPHELD if hearings[-1][0]["outcome"] == v.HearingOutcome.UPHELD \
                else v.AppealStatus.REDUCED
        else:
            sentence["appeal_status"] = rng.choice((v.AppealStatus.NONE, v.AppealStatus.PENDING))
        stage = v.ProceduralStage.APPEAL if sentence["appeal_status"] == v.AppealStatus.PENDING else v.ProceduralStage.SENTENCED
        if status == v.Status.RELEASED or status == v.Status.IN_EXILE:
            end_of_custody = min(verdict + timedelta(days=rng.randint(200, 600 if status == v.Status.IN_EXILE else 900)),
                                 LAST_DAY - timedelta(days=30))
            statuses.append((v.Status.RELEASED, exact(end_of_custody)))
            stage = v.ProceduralStage.CLOSED
            if status == v.Status.IN_EXILE:
                statuses.append((v.Status.IN_EXILE, exact(min(end_of_custody + timedelta(days=rng.randint(40, 240)), LAST_DAY))))
        elif status in (v.Status.DIED_IN_CUSTODY, v.Status.EXECUTED):
            end_of_custody = min(max(transfer + timedelta(days=rng.randint(60, 800)), appeal + timedelta(days=40)), LAST_DAY)
            statuses.append((status, PartialDate.from_date(end_of_custody)))
            data["death_date"] = PartialDate.from_date(end_of_custody)
            data["death_circumstances"] = status
            stage = v.ProceduralStage.CLOSED
        detentions.append(DetentionSpec({"kind": v.DetentionKind.PRE_TRIAL, "start": arrest_pd,
                                         "end": _partial(transfer, "month")}, pre_trial_fac))
        serving: dict[str, Any] = {"kind": v.DetentionKind.SERVING_SENTENCE, "start": _partial(transfer, "month")}
        if end_of_custody is not None:
            serving["end"] = PartialDate.from_date(end_of_custody)
        if status == v.Status.IMPRISONED and rng.random() < 0.4:
            serving["conditions_notes"] = "Chronic illness; treatment refused twice in the last year."
        detentions.append(DetentionSpec(serving, prison_fac))

    articles = rng.sample(range(len(spec.articles)), rng.randint(1, min(3, len(spec.articles))))
    charge_status = v.ChargeStatus.CONVICTED if (sentenced or sentence) else v.ChargeStatus.CHARGED
    charges = []
    for n, article in enumerate(articles):
        status_n = v.ChargeStatus.DROPPED if n == 2 and rng.random() < 0.5 else charge_status
        charges.append((article, {"status": status_n, "brought_on": opened_pd,
                                  "wording": f"Charged under article {spec.articles[article].article}."}))
    case = CaseSpec(
        data={"jurisdiction": country, "case_number": f"{country}-{opened.year}-{rng.randint(1000, 99999)}",
              "opened_on": opened_pd, "investigating_agency": spec.agency, "theme": theme,
              "case_group": rng.choice(spec.case_groups) if rng.random() < 0.6 else "",
              "impugned_activity": summary, "procedural_stage": stage,
              "legal_strategy": "Apply to the UN Working Group; request medical examination." if rng.random() < 0.5 else ""},
        charges=charges, hearings=hearings, sentence=sentence)

    # --- family, consent, recognition ------------------------------------------------------------
    relationships: list[dict[str, str]] = []
    if rng.random() < 0.45:
        relative_kind = rng.choice(_RELATIVES)
        given = rng.choice(stock.female if gender == v.Gender.FEMALE else stock.male)[0]
        relative = f"{family}{stock.joiner}{given}" if stock.family_first else f"{given} {family}"
        relationships.append({"kind": relative_kind, "name": relative,
                              "contact": f"Signal +00 555 {rng.randint(100, 999)} {rng.randint(1000, 9999)} (fictional)",
                              "notes": "Visits monthly; under pressure from the local police."})
    if rng.random() < 0.25:
        relationships.append({"kind": v.RelationshipKind.LAWYER, "name": "Defence counsel (fictional)",
                              "contact": f"office {rng.randint(10, 99)}, fictional bar association", "notes": ""})
    consents: list[dict[str, Any]] = []
    if rng.random() < 0.65:
        given_by = "the person" if status in (v.Status.AT_LARGE, v.Status.IN_EXILE, v.Status.RELEASED) else \
            _GIVEN_BY[rng.choice(_RELATIVES)]
        given_on = _day(rng, max(opened, date(2020, 1, 1)), LAST_DAY)
        consents.append({"scope": v.ConsentScope.NAME, "given_by": given_by, "given_on": given_on})
        if rng.random() < 0.7:
            consents.append({"scope": v.ConsentScope.STORY, "given_by": given_by, "given_on": given_on})
        if rng.random() < 0.4:
            photo: dict[str, Any] = {"scope": v.ConsentScope.PHOTO, "given_by": given_by, "given_on": given_on}
            if rng.random() < 0.25 and given_on < LAST_DAY - timedelta(days=30):
                photo["withdrawn_on"] = _day(rng, given_on + timedelta(days=1), LAST_DAY)
                photo["note"] = "Withdrawn after threats to the family."
            consents.append(photo)

    decisions: list[DecisionSpec] = []
    if rng.random() < 0.8 or status in (v.Status.EXECUTED, v.Status.DIED_IN_CUSTODY):
        first_day = min(arrest + timedelta(days=rng.randint(40, 300)), LAST_DAY - timedelta(days=20))
        if status == v.Status.AT_LARGE or (exile_path == "absentia" and status == v.Status.IN_EXILE):
            outcome = rng.choice((v.RecognitionOutcome.POLITICALLY_MOTIVATED, v.RecognitionOutcome.UNDER_REVIEW))
        else:
            outcome = _weighted(rng, {v.RecognitionOutcome.POLITICAL_PRISONER: 12,
                                      v.RecognitionOutcome.PRISONER_OF_CONSCIENCE: 3,
                                      v.RecognitionOutcome.UNDER_REVIEW: 3, v.RecognitionOutcome.NOT_RECOGNISED: 1})
        frameworks = list(v.CRITERIA)
        framework = frameworks[idx % len(frameworks)]
        decisions.append(_decision(rng, framework, outcome, first_day, theme))
        if end_of_custody is not None and status in (v.Status.RELEASED, v.Status.IN_EXILE) and \
                outcome in _RECOGNISED and end_of_custody + timedelta(days=10) <= LAST_DAY:
            decisions.append(_decision(rng, framework, v.RecognitionOutcome.FORMER,
                                       end_of_custody + timedelta(days=rng.randint(10, 25)), theme))
        elif rng.random() < 0.3 and first_day + timedelta(days=60) <= LAST_DAY:
            other = frameworks[(idx + 1) % len(frameworks)]
            decisions.append(_decision(rng, other, outcome, first_day + timedelta(days=rng.randint(30, 60)), theme))

    team = []
    if org == MAIN_ORG:
        if idx % 3 == 0:
            team.append("amal@example.org")
        if idx % 4 == 1:
            team.append("bilal@example.org")
    else:
        team.append("chris@example.org")
    citations = []
    if detentions and rng.random() < 0.6:
        citations.append((rng.randrange(3), "detention", "start"))
    if rng.random() < 0.4:
        citations.append((rng.randrange(3), "case", "theme"))
    return PersonSpec(key, org, country, names, data, case, detentions, statuses, relationships, consents, decisions,
                      team, citations)


def _decision(rng: random.Random, framework: str, outcome: str, decided_on: date, theme: str) -> DecisionSpec:
    codes = [code for code, _label in v.CRITERIA[framework]]
    recognised = outcome in _RECOGNISED
    criteria: list[CriterionInput] = []
    met = set(rng.sample(codes, min(len(codes), rng.randint(1, 2)))) if recognised else set()
    for code in codes:
        if code in met:
            criteria.append(CriterionInput(code, v.CriterionResult.MET, f"Prosecuted for {v.Theme(theme).label.lower()}.",
                                           "Verdict text; trial-monitor report."))
        elif outcome == v.RecognitionOutcome.UNDER_REVIEW:
            criteria.append(CriterionInput(code, v.CriterionResult.UNCLEAR, "Awaiting the case file."))
        else:
            criteria.append(CriterionInput(code, v.CriterionResult.NOT_MET))
    if framework in (v.Framework.PACE_1900, v.Framework.GUIDELINES_2013):
        violent = outcome == v.RecognitionOutcome.NOT_RECOGNISED and rng.random() < 0.5
        criteria.append(CriterionInput("violence", v.CriterionResult.MET if violent else v.CriterionResult.NOT_MET,
                                       "Video evidence shows a scuffle with police." if violent else "",
                                       is_exclusion=True))
        criteria.append(CriterionInput("hate", v.CriterionResult.NOT_MET, is_exclusion=True))
    rationale = {
        v.RecognitionOutcome.POLITICAL_PRISONER: "Deprived of liberty for exercising fundamental rights.",
        v.RecognitionOutcome.PRISONER_OF_CONSCIENCE: "Held solely for peaceful expression of their views.",
        v.RecognitionOutcome.POLITICALLY_MOTIVATED: "Prosecuted for political motives, not in custody.",
        v.RecognitionOutcome.UNDER_REVIEW: "",
        v.RecognitionOutcome.NOT_RECOGNISED: "The criteria are not met on the information available.",
        v.RecognitionOutcome.FORMER: "Recognised while in custody; now released.",
    }[v.RecognitionOutcome(outcome)]
    return DecisionSpec({"framework": framework, "outcome": outcome, "decided_on": decided_on,
                         "public_rationale": rationale,
                         "deliberations": "Two reviewers agreed; the case file was read in full."}, criteria)


def plan(seed: int) -> DemoPlan:
    """The demo as data: same seed, same plan."""
    rng = random.Random(seed)  # noqa: S311  (reproducible fiction, not security)
    countries = list(COUNTRIES)
    n = len(countries) * PEOPLE_PER_COUNTRY
    statuses = _covering(rng, list(v.Status), n, dict(_STATUS_WEIGHTS))
    occupations = _covering(rng, list(v.Occupation), n)
    themes = _covering(rng, list(v.Theme), n, {t: w for t, w in zip(v.Theme, (8, 6, 3, 3, 2, 1), strict=True)})
    used: set[str] = set()
    people: list[PersonSpec] = []
    idx = 0
    for country in countries:
        for k in range(PEOPLE_PER_COUNTRY):
            org = SECOND_ORG if country in SECOND_ORG_COUNTRIES and k >= PEOPLE_PER_COUNTRY - 2 else MAIN_ORG
            people.append(_person(rng, f"{country}{k + 1}", country, org, statuses[idx], occupations[idx],
                                  themes[idx], used, idx))
            idx += 1
    # Co-defendants: a few pairs of people in one organisation and country share a case group.
    by_group: dict[tuple[str, str], list[PersonSpec]] = {}
    for p in people:
        by_group.setdefault((p.org, p.country), []).append(p)
    for group in by_group.values():
        if len(group) >= 2 and rng.random() < 0.5:
            first, second = group[0], group[1]
            second.co_defendant_of = first.key
            second.case.data["case_group"] = first.case.data["case_group"] or COUNTRIES[first.country].case_groups[0]
            first.case.data["case_group"] = second.case.data["case_group"]
    officials: list[OfficialSpec] = []
    judges: dict[tuple[str, str], list[int]] = {}
    for org in (MAIN_ORG, SECOND_ORG):
        for country in countries:
            if not any(p.org == org and p.country == country for p in people):
                continue
            stock, spec = STOCK[country], COUNTRIES[country]
            idxs = []
            for role in (v.OfficialRole.JUDGE, v.OfficialRole.JUDGE, v.OfficialRole.JUDGE, v.OfficialRole.PROSECUTOR):
                while True:
                    given = rng.choice(stock.male + stock.female)[1]
                    surname = rng.choice(stock.surnames)[2]
                    name = f"{surname} {given}" if stock.family_first else f"{given} {surname}"
                    if all(o.name != name for o in officials):
                        break
                agency = rng.choice(spec.courts) if role == v.OfficialRole.JUDGE else f"Prosecutor's office ({country})"
                idxs.append(len(officials))
                officials.append(OfficialSpec(org, country, name, role, agency))
            judges[(org, country)] = idxs
    sources = [
        SourceSpec(MAIN_ORG, "Source 1", v.SourceConnection.RELATIVE, "B", "2", "Sister of a detainee (fictional)"),
        SourceSpec(MAIN_ORG, "Source 2", v.SourceConnection.LAWYER, "A", "1", "Defence lawyer (fictional)"),
        SourceSpec(MAIN_ORG, "Source 3", v.SourceConnection.MEDIA, "C", "3", "",
                   "https://news.example.org/2024/trial-report"),
        SourceSpec(MAIN_ORG, "Source 4", v.SourceConnection.WITNESS, "D", "4", "Former cellmate (fictional)"),
        SourceSpec(SECOND_ORG, "Source 1", v.SourceConnection.LAWYER, "B", "2", "Network member (fictional)"),
        SourceSpec(SECOND_ORG, "Source 2", v.SourceConnection.OFFICIAL, "A", "1", "",
                   "https://court.example.org/verdicts/2023"),
        SourceSpec(SECOND_ORG, "Source 3", v.SourceConnection.NGO, "C", "2", "Partner NGO (fictional)"),
    ]
    return DemoPlan(seed, people, officials, sources, judges)


# --- writing ------------------------------------------------------------------------------------


@dataclass
class WriteResult:
    created: int = 0
    skipped: int = 0


def _set_case_team(person: Person, users: Sequence[Any], acting_user: Any) -> None:
    """No action function manages case teams yet: this one writes and audits it the same way."""
    before = sorted(person.case_team.values_list("email", flat=True))
    after = sorted({*before, *(u.email for u in users)})
    if before == after:
        return
    with transaction.atomic():
        person.case_team.add(*users)
        record("registry.set_case_team", actor=acting_user, obj=person, changes={"case_team": [before, after]})


def write(demo: DemoPlan, *, orgs: dict[str, Organisation], users: dict[str, Any],
          progress: Callable[[str], None] | None = None) -> WriteResult:
    """Write the plan through the action functions; what exists already is left alone."""
    admin = users["dana@example.org"]
    writer = {MAIN_ORG: users["amal@example.org"], SECOND_ORG: users["chris@example.org"]}
    reviewer = {MAIN_ORG: users["bilal@example.org"], SECOND_ORG: users["chris@example.org"]}

    articles: dict[tuple[str, int], LawArticle] = {}
    facilities: dict[tuple[str, int], Facility] = {}
    for code, spec in COUNTRIES.items():
        for i, a in enumerate(spec.articles):
            found = LawArticle.objects.filter(country=code, code=a.code, article=a.article, part=a.part).first()
            articles[(code, i)] = found or actions.do_add_law_article(
                data={"country": code, "code": a.code, "article": a.article, "part": a.part, "title": a.title},
                acting_user=admin)
        for i, f in enumerate(spec.facilities):
            found_f = Facility.objects.filter(country=code, name=f.name).first()
            facilities[(code, i)] = found_f or actions.do_add_facility(
                data={"name": f.name, "kind": f.kind, "country": code, "place": f.place,
                      "postal_address": f.postal_address}, acting_user=admin)
    officials: list[Official] = []
    for o in demo.officials:
        found_o = Official.objects.filter(organisation=orgs[o.org], name=o.name, role=o.role).first()
        officials.append(found_o or actions.do_add_official(
            organisation=orgs[o.org], data={"name": o.name, "role": o.role, "agency": o.agency,
                                            "alleged_involvement": "Presided over political trials (alleged)."
                                            if o.role == v.OfficialRole.JUDGE else ""},
            acting_user=users["dana@example.org"] if o.org == MAIN_ORG else writer[o.org]))
    sources: dict[tuple[str, int], Source] = {}
    for s in demo.sources:
        org_sources = [x for x in demo.sources if x.org == s.org]
        found_s = Source.objects.filter(organisation=orgs[s.org], label=s.label).first()
        sources[(s.org, org_sources.index(s))] = found_s or actions.do_add_source(
            organisation=orgs[s.org], identity=s.identity, acting_user=writer[s.org],
            data={"label": s.label, "connection": s.connection, "reliability": s.reliability,
                  "credibility": s.credibility, "url": s.url})

    result = WriteResult()
    recorded: dict[str, Person] = {}
    for person_spec in demo.people:
        org = orgs[person_spec.org]
        existing = Person.objects.filter(organisation=org, display_name=person_spec.display_name).first()
        if existing is not None:
            recorded[person_spec.key] = existing
            result.skipped += 1
            continue
        recorded[person_spec.key] = _write_person(person_spec, org, articles, facilities, officials, demo, sources, recorded,
                                           writer[person_spec.org], reviewer[person_spec.org], users)
        result.created += 1
        if progress is not None and result.created % 10 == 0:
            progress(f"  {result.created} demo people written")
    return result


def _write_person(spec: PersonSpec, org: Organisation, articles: dict[tuple[str, int], LawArticle],
                  facilities: dict[tuple[str, int], Facility], officials: list[Official], demo: DemoPlan,
                  sources: dict[tuple[str, int], Source], recorded: dict[str, Person], user: Any, reviewer: Any,
                  users: dict[str, Any]) -> Person:
    c = spec.country
    person = actions.do_create_person(organisation=org, names=spec.names, data=spec.data, acting_user=user,
                                      reason="Demo data")
    case = actions.do_add_case(person=person, data=spec.case.data, acting_user=user)
    for article, data in spec.case.charges:
        actions.do_add_charge(case=case, data={**data, "law_article": articles[(c, article)]}, acting_user=user)
    judge_pool = demo.judges[(spec.org, c)]
    for data, judge_idxs in spec.case.hearings:
        actions.do_add_hearing(case=case, data=data, judges=[officials[judge_pool[j]] for j in judge_idxs],
                               acting_user=user)
    if spec.case.sentence is not None:
        actions.do_add_sentence(case=case, data=spec.case.sentence, acting_user=user)
    detentions = []
    for d in spec.detentions:
        data = dict(d.data)
        if d.facility is not None:
            data["facility"] = facilities[(c, d.facility)]
        data["case"] = case
        detentions.append(actions.do_add_detention(person=person, data=data, acting_user=user))
    changes = [actions.do_record_status(person=person, status=s, effective=eff, acting_user=user)
               for s, eff in spec.statuses]
    for rel in spec.relationships:
        actions.do_add_relationship(person=person, kind=rel["kind"], name=rel["name"], contact=rel["contact"],
                                    notes=rel["notes"], acting_user=user)
    if spec.co_defendant_of is not None:
        actions.do_add_relationship(person=person, kind=v.RelationshipKind.CO_DEFENDANT,
                                    related_person=recorded[spec.co_defendant_of], acting_user=user)
    for consent in spec.consents:
        actions.do_record_consent(person=person, data=consent, acting_user=user)
    for decision in spec.decisions:
        actions.do_record_decision(person=person, data={**decision.data, "case": case}, criteria=decision.criteria,
                                   reviewers=[reviewer], acting_user=reviewer)
    for source_idx, target, field_name in spec.citations:
        obj: Any = {"detention": detentions[0] if detentions else None, "case": case,
                    "status": changes[-1]}[target]
        if obj is not None:
            actions.do_cite(source=sources[(spec.org, source_idx)], target=obj, field=field_name, acting_user=user)
    if spec.case_team:
        _set_case_team(person, [users[e] for e in spec.case_team], user)
    return person

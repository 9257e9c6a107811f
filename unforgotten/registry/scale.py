"""Scale data for benchmarks: a million generated people, bulk-loaded (``demo-data --people N``).

This path bypasses the action functions on purpose: it writes rows with
PostgreSQL ``COPY`` (``executemany`` on SQLite, for tests) in large batches,
and therefore writes NO per-row audit events and NO history rows. It is scale
data for measuring the registry, not a record of anyone's work; never run it
against a database that holds real cases. Only the shared catalogue (law
articles and facilities, a few dozen rows) goes through the action functions.

What it fills, per person: the person (with the denormalised list columns
``current_status``, ``current_status_date``, ``recognition_outcome``,
``sort_name``, ``display_name`` and ``country``), one or two names (with
``search_key``), one case with one or two charges, one detention, one or two
status changes (the latest is the current status) and, for about 30 % of
people, a recognition decision with its criteria.

Names are built from the forename and surname lists in ``names_dir``
(``../shared/data/names`` by default, read at run time and never copied into
the repository) by country: native script for some people, romanised for
others. Countries without lists borrow a neighbour's, and with no lists at all
a small built-in syllable generator stands in.

Distributions (countries, statuses, occupations, themes, outcomes) are weighted
to look like a real national registry. Same seed, same data. Running it again
tops up to N: people already generated (marked by ``SCALE_MARK`` in their
internal notes) are counted, not duplicated.
"""

from __future__ import annotations

import calendar
import csv
import difflib
import json
import random
import time
import unicodedata
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils.text import slugify

from unforgotten.accounts.models import Organisation
from unforgotten.names import detect_script, transliterate
from unforgotten.registry import actions
from unforgotten.registry import vocabularies as v
from unforgotten.registry.demo_catalogue import COUNTRIES
from unforgotten.registry.models import (
    Case,
    Charge,
    CriterionAssessment,
    DetentionPeriod,
    Facility,
    LawArticle,
    Person,
    PersonName,
    RecognitionDecision,
    StatusChange,
)
from unforgotten.registry.naming import display_and_sort_name, search_key

SCALE_MARK = "Generated scale data (demo-data --people): no audit trail, not a real record."
VERSION = 1  # bump when the generated data changes shape (benchmarks refill on a change)

# --- distributions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    """How one country's people are named, and how many of them there are."""

    weight: int
    forenames: tuple[str, ...]  # countries whose forename lists to use, best first
    surnames: tuple[str, ...]
    style: str  # slavic | east_asian | vietnamese | arabic | persian | hispanic | western
    native_share: float = 0.0  # share written in the native script (when the lists have it)


PROFILES: dict[str, Profile] = {
    "RU": Profile(24, ("RU",), ("RU",), "slavic", 0.85),
    "BY": Profile(14, ("BY", "RU"), ("BY",), "slavic", 0.7),
    "IR": Profile(12, ("IR",), (), "persian", 0.5),
    "CN": Profile(11, ("CN",), ("CN",), "east_asian", 0.9),
    "EG": Profile(9, ("EG",), (), "arabic", 0.5),
    "TR": Profile(8, ("TR",), ("TR",), "western"),
    "AZ": Profile(7, ("AZ",), ("AZ",), "slavic"),
    "VN": Profile(6, (), ("VN",), "vietnamese"),
    "SA": Profile(5, ("SA",), (), "arabic", 0.5),
    "NI": Profile(4, ("NI", "SV", "PA", "MX"), ("NI", "CR", "SV", "GT", "MX", "CU"), "hispanic"),
}
STATUS_WEIGHTS: dict[str, int] = {
    v.Status.IMPRISONED: 38, v.Status.AWAITING_TRIAL: 14, v.Status.RELEASED: 20, v.Status.AT_LARGE: 6,
    v.Status.HOUSE_ARREST: 4, v.Status.IN_EXILE: 10, v.Status.DISAPPEARED: 5, v.Status.DIED_IN_CUSTODY: 2,
    v.Status.EXECUTED: 1,
}
OCCUPATION_WEIGHTS: dict[str, int] = {
    v.Occupation.ORDINARY_CITIZEN: 22, v.Occupation.CIVIL_SOCIETY_ACTIVIST: 14, v.Occupation.JOURNALIST: 10,
    v.Occupation.BLOGGER: 10, v.Occupation.RELIGIOUS_FIGURE: 8, v.Occupation.HUMAN_RIGHTS_DEFENDER: 7,
    v.Occupation.OPPOSITION_POLITICIAN: 7, v.Occupation.STUDENT: 6, v.Occupation.ARTIST_OR_WRITER: 5,
    v.Occupation.LAWYER: 4, v.Occupation.LABOUR_ACTIVIST: 4, v.Occupation.OTHER: 3,
}
THEME_WEIGHTS: dict[str, int] = {
    v.Theme.EXPRESSION: 35, v.Theme.ASSEMBLY: 25, v.Theme.ASSOCIATION: 15, v.Theme.RELIGION: 12,
    v.Theme.ETHNICITY_IDENTITY: 8, v.Theme.OTHER: 5,
}
FRAMEWORK_WEIGHTS: dict[str, int] = {
    v.Framework.PACE_1900: 60, v.Framework.GUIDELINES_2013: 25, v.Framework.WGAD: 10, v.Framework.ORG_POLICY: 5,
}
DECISION_SHARE = 0.3
_LAST_DAY = date(2025, 10, 31)  # nothing generated happens after this day
_STAGE: dict[str, str] = {
    v.Status.AT_LARGE: v.ProceduralStage.INVESTIGATION, v.Status.AWAITING_TRIAL: v.ProceduralStage.PRE_TRIAL,
    v.Status.IMPRISONED: v.ProceduralStage.SENTENCED, v.Status.HOUSE_ARREST: v.ProceduralStage.TRIAL,
    v.Status.RELEASED: v.ProceduralStage.CLOSED, v.Status.IN_EXILE: v.ProceduralStage.SENTENCED,
    v.Status.DISAPPEARED: v.ProceduralStage.INVESTIGATION, v.Status.DIED_IN_CUSTODY: v.ProceduralStage.CLOSED,
    v.Status.EXECUTED: v.ProceduralStage.CLOSED,
}
# status → (kind of detention, still going on)
_DETENTION: dict[str, tuple[str, bool]] = {
    v.Status.AT_LARGE: (v.DetentionKind.ADMINISTRATIVE, False),
    v.Status.AWAITING_TRIAL: (v.DetentionKind.PRE_TRIAL, True),
    v.Status.IMPRISONED: (v.DetentionKind.SERVING_SENTENCE, True),
    v.Status.HOUSE_ARREST: (v.DetentionKind.HOUSE_ARREST, True),
    v.Status.RELEASED: (v.DetentionKind.SERVING_SENTENCE, False),
    v.Status.IN_EXILE: (v.DetentionKind.PRE_TRIAL, False),
    v.Status.DISAPPEARED: (v.DetentionKind.ENFORCED_DISAPPEARANCE, True),
    v.Status.DIED_IN_CUSTODY: (v.DetentionKind.SERVING_SENTENCE, False),
    v.Status.EXECUTED: (v.DetentionKind.SERVING_SENTENCE, False),
}
_PREVIOUS: dict[str, str] = {  # the status before the current one, when there was one
    v.Status.IMPRISONED: v.Status.AWAITING_TRIAL, v.Status.HOUSE_ARREST: v.Status.AWAITING_TRIAL,
    v.Status.RELEASED: v.Status.IMPRISONED, v.Status.IN_EXILE: v.Status.AWAITING_TRIAL,
    v.Status.DISAPPEARED: v.Status.AWAITING_TRIAL, v.Status.DIED_IN_CUSTODY: v.Status.IMPRISONED,
    v.Status.EXECUTED: v.Status.IMPRISONED,
}

# --- names ------------------------------------------------------------------------------------------

Pair = tuple[str, str]  # (as written natively, romanised)

_POOL_PER_WEIGHT = 400  # distinct names per unit of country weight (the weights sum to 100)
_SYLLABLES = ("ka", "ri", "lo", "me", "sa", "tu", "na", "vi", "da", "ro", "le", "mi", "ta", "no", "be", "si",
              "ga", "ru", "ze", "ko")
_VN_SYLLABLES = ("Minh", "Anh", "Tuấn", "Hải", "Lan", "Phương", "Dũng", "Hùng", "Trang", "Linh", "Quang", "Thảo",
                 "Hiếu", "Nam", "Hà", "Bảo", "Khánh", "Vy", "Long", "Yến")
_VN_MIDDLE_M = ("Văn", "Đức", "Hữu", "Quốc", "Thanh", "Minh")
_VN_MIDDLE_F = ("Thị", "Ngọc", "Thu", "Bích", "Thanh", "Minh")
_PERSIAN_SUFFIX = (("i", "ی"), ("zadeh", "زاده"), ("pour", "پور"), ("nejad", "نژاد"), ("far", "فر"))


def _clean(text: str) -> str:
    # Some lists mark stress (Смирно́в): drop combining acute accents on Cyrillic.
    if "\u0301" in text:
        text = unicodedata.normalize("NFC", unicodedata.normalize("NFD", text).replace("\u0301", ""))
    # One line, single spaces, no backslash: safe to send as COPY text unescaped.
    return " ".join(text.replace("\\", " ").split())


def _is_latin(text: str) -> bool:
    return detect_script(text) in ("latin", "")


def _romanise(text: str) -> str:
    return " ".join(w.capitalize() for w in transliterate(text).split())


@dataclass
class _Lists:
    forenames: dict[tuple[str, str], list[Pair]] = field(default_factory=lambda: defaultdict(list))  # (country, F/M)
    surnames: dict[str, list[Pair]] = field(default_factory=lambda: defaultdict(list))
    arabic: dict[str, str] = field(default_factory=dict)  # romanised token (lower) → Arabic script
    source: str = "built-in syllables"


def _load_lists(names_dir: Path | None) -> _Lists:
    lists = _Lists()
    if names_dir is None:
        return lists
    fore_file = names_dir / "common-forenames-by-country.csv"
    sur_file = names_dir / "common-surnames-by-country.csv"
    if not fore_file.exists() or not sur_file.exists():
        return lists
    seen: set[tuple[str, str, str]] = set()
    with fore_file.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            native, roman = _clean(row["Localized Name"]), _clean(row["Romanized Name"])
            if not (native or roman) or row["Gender"] not in ("F", "M"):
                continue
            native = native or roman
            roman = roman if roman and _is_latin(roman) else _romanise(native)
            key = (row["Country"], row["Gender"], native)
            if key not in seen:
                seen.add(key)
                lists.forenames[(row["Country"], row["Gender"])].append((native, roman))
    ranks: set[tuple[str, str]] = set()
    with sur_file.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            native, roman = _clean(row["Localized Name"]), _clean(row["Romanized Name"])
            # Rows of one rank repeat a name in another form (traditional characters, Belarusian
            # spelling): the first form of each rank is kept.
            if not native or (row["Country"], row["Rank"]) in ranks:
                continue
            ranks.add((row["Country"], row["Rank"]))
            roman = roman.split("/")[0] if roman and _is_latin(roman) else _romanise(native)
            lists.surnames[row["Country"]].append((native, roman))
    lists.source = str(names_dir)
    arabic_file = names_dir / "arabic_to_english_name_token_dictionary.csv"
    if arabic_file.exists():
        lists.arabic = _arabic_spellings(arabic_file)
    return lists


def _arabic_spellings(path: Path) -> dict[str, str]:
    """Romanised token → the Arabic spelling whose transliteration is closest to it."""
    candidates: dict[str, set[str]] = defaultdict(set)
    with path.open(encoding="utf-8") as f:
        for row in csv.reader(f):
            if len(row) == 2 and row[0] and row[1] and row[0] != "ar" and "(" not in row[0]:
                candidates[row[1].strip().lower()].add(row[0].strip())
    out = {}
    for roman, spellings in candidates.items():
        best = max(sorted(spellings), key=lambda s: (
            difflib.SequenceMatcher(None, transliterate(s), roman).ratio(), -len(s)))
        out[roman] = best
    return out


def _feminine(surname: str) -> str:
    for male, female in (("ский", "ская"), ("ski", "skaya"), ("оў", "ова"), ("ёў", "ёва"), ("еў", "ева"),
                         ("oŭ", "ova"), ("eŭ", "eva")):
        if surname.endswith(male):
            return surname[: -len(male)] + female
    if surname.endswith(("ов", "ев", "ёв", "ин", "ov", "ev", "in")):
        return surname + ("а" if not _is_latin(surname) else "a")
    return surname


_IRREGULAR_PATRONYMIC = {"Михаил": ("Михайлович", "Михайловна"), "Лев": ("Львович", "Львовна"),
                         "Павел": ("Павлович", "Павловна"), "Пётр": ("Петрович", "Петровна"),
                         "Mikhail": ("Mikhaylovich", "Mikhaylovna"), "Lev": ("Lvovich", "Lvovna"),
                         "Pavel": ("Pavlovich", "Pavlovna")}


def _patronymic(father: str, female: bool) -> str | None:
    """The patronymic from a father's forename (Russian rules; None where there is no simple one)."""
    if father in _IRREGULAR_PATRONYMIC:
        return _IRREGULAR_PATRONYMIC[father][1 if female else 0]
    if not _is_latin(father):
        if father.endswith(("а", "я")):
            return None
        if father.endswith(("й", "ь")):
            return father[:-1] + ("евна" if female else "евич")
        return father + ("овна" if female else "ович")
    if father.endswith(("a", "ya", "ia")):
        return None
    male, fem = "evich", "evna"
    if father.endswith("iy"):  # Dmitriy → Dmitri-evich
        stem = father[:-1]
    elif father.endswith(("ey", "ei", "ai")):  # Sergey, Andrei, Nikolai → Serge-evich
        stem = father[:-1]
    elif father.endswith("y"):  # Dmitry → Dmitri-evich
        stem = father[:-1] + "i"
    else:
        stem, male, fem = father, "ovich", "ovna"
    return stem + (fem if female else male)


@dataclass(frozen=True)
class NameRow:
    text: str
    script: str
    language: str
    kind: str
    is_primary: bool
    search_key: str


@dataclass(frozen=True)
class Naming:
    display_name: str
    sort_name: str
    slug_base: str
    rows: tuple[NameRow, ...]


class NameMaker:
    """Draws names for a country; derived forms (sort, search, slug) are computed once per distinct name."""

    def __init__(self, lists: _Lists, seed: int = 1) -> None:
        self.lists = lists
        self.seed = seed
        self._pool: dict[tuple[str, bool, int], Naming] = {}
        self._cache: dict[tuple[Any, ...], Naming] = {}
        self._pools: dict[tuple[str, str], tuple[list[Pair], list[Pair]]] = {}
        self._arabic_cache: dict[str, str | None] = {}
        self._native_sur: dict[str, list[Pair]] = {}

    def _syllable_name(self, rng: random.Random, parts: int) -> Pair:
        text = "".join(rng.choice(_SYLLABLES) for _ in range(parts)).capitalize()
        return text, text

    def _given_pools(self, country: str, gender: str) -> tuple[list[Pair], list[Pair]]:
        """(native-script pairs, all pairs) for a country's forenames of one gender."""
        key = (country, gender)
        if key not in self._pools:
            pool: list[Pair] = []
            for c in PROFILES[country].forenames:
                pool.extend(self.lists.forenames.get((c, gender), []))
            native = [p for p in pool if not _is_latin(p[0])]
            self._pools[key] = (native, pool)
        return self._pools[key]

    def _native_surnames(self, country: str) -> list[Pair]:
        if country not in self._native_sur:
            self._native_sur[country] = [s for s in self._surnames(country) if not _is_latin(s[0])]
        return self._native_sur[country]

    def _surnames(self, country: str) -> list[Pair]:
        for c in PROFILES[country].surnames:
            pool = self.lists.surnames.get(c)
            if pool:
                return pool
        return []

    def pooled(self, rng: random.Random, country: str, female: bool) -> Naming:
        """One of a fixed pool of names per country and gender (about 40,000 in all).

        A million people then share a bounded number of distinct names, so the
        costly derived forms are computed once per name, not once per person.
        Entry i of a pool depends only on the seed, country, gender and i.
        """
        share = 0.3 if female else 0.7
        i = rng.randrange(max(20, round(_POOL_PER_WEIGHT * PROFILES[country].weight * share)))
        key = (country, female, i)
        naming = self._pool.get(key)
        if naming is None:
            entry_rng = random.Random(f"{self.seed}:{country}:{int(female)}:{i}")  # noqa: S311
            naming = self._pool[key] = self.draw(entry_rng, country, female)
        return naming

    def draw(self, rng: random.Random, country: str, female: bool) -> Naming:
        profile, spec = PROFILES[country], COUNTRIES[country]
        gender = "F" if female else "M"
        natives, given_pool = self._given_pools(country, gender)
        # Latin-script countries write names natively (with their diacritics); for the
        # others, native_share of people have a native-script primary name.
        latin_country = spec.script == "Latn"
        native_wanted = bool(natives) and rng.random() < profile.native_share
        style = profile.style
        surnames = self._surnames(country)

        def given() -> Pair:
            if native_wanted:
                return rng.choice(natives)
            return rng.choice(given_pool) if given_pool else self._syllable_name(rng, rng.randint(2, 3))

        def family() -> Pair:
            if surnames:
                if native_wanted:
                    native_sur = self._native_surnames(country)
                    if native_sur:
                        return rng.choice(native_sur)
                return rng.choice(surnames)
            return self._syllable_name(rng, rng.randint(2, 3))

        if style == "east_asian":
            g, s = given(), family()
            key: tuple[Any, ...] = (country, native_wanted, s, g)
            native, roman = f"{s[0]}{g[0]}", f"{s[1]} {g[1]}"
            if not native_wanted:
                native = roman
        elif style == "vietnamese":
            s = family()
            middle = rng.choice(_VN_MIDDLE_F if female else _VN_MIDDLE_M)
            native = roman = f"{s[1]} {middle} {rng.choice(_VN_SYLLABLES)}"
            key = (country, native)
        elif style in ("arabic", "persian"):
            g = rng.choice(given_pool) if given_pool else self._syllable_name(rng, 2)
            fathers = self._given_pools(country, "M")[1] or [self._syllable_name(rng, 2)]
            father = rng.choice(fathers)
            if style == "arabic":
                # Given name and father's name; sometimes the grandfather's too.
                tokens = [g[1], father[1]] + ([rng.choice(fathers)[1]] if rng.random() < 0.4 else [])
            else:
                suffix = rng.choice(_PERSIAN_SUFFIX)
                base = father[1].split("-")[0]
                if suffix[0] == "i" and base[-1:] in "aeiou":
                    suffix = _PERSIAN_SUFFIX[1]
                tokens = [g[1], base + suffix[0]]
            roman = " ".join(tokens)
            native = roman
            if native_wanted or (profile.native_share and rng.random() < profile.native_share):
                native = self._arabic_script(tokens, style) or roman
            key = (country, native, roman)
        else:
            g, s = given(), family()
            if style == "hispanic":
                s2 = family()
                while s2 == s and len(surnames) > 1:
                    s2 = family()
                native, roman = f"{g[0]} {s[0]} {s2[0]}", f"{g[1]} {s[1]} {s2[1]}"
            elif style == "slavic":
                sur = (_feminine(s[0]), _feminine(s[1])) if female else s
                native, roman = f"{g[0]} {sur[0]}", f"{g[1]} {sur[1]}"
                if country == "RU" and rng.random() < 0.5:
                    father = rng.choice(self._given_pools(country, "M")[0 if native_wanted else 1] or [("", "")])
                    pn = _patronymic(father[0], female)
                    # Romanised from the Cyrillic patronymic when there is one (Aleksandrovich, not
                    # the list's "Alexander" + ovich).
                    pr = _romanise(pn) if pn and not _is_latin(pn) else _patronymic(father[1], female)
                    if pn and pr:
                        native, roman = f"{g[0]} {pn} {sur[0]}", f"{g[1]} {pr} {sur[1]}"
            else:
                native, roman = f"{g[0]} {s[0]}", f"{g[1]} {s[1]}"
            if not latin_country and not native_wanted:
                native = roman
            key = (country, native, roman)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._cache[key] = self._naming(native, roman, spec.language, spec.script)
        return cached

    def _arabic_script(self, tokens: Sequence[str], style: str) -> str | None:
        out = []
        for i, token in enumerate(tokens):
            lower = token.lower()
            if style == "persian" and i == len(tokens) - 1:
                for suffix, written in _PERSIAN_SUFFIX:
                    stem_written = self._arabic_token(lower[: -len(suffix)]) if lower.endswith(suffix) else None
                    if stem_written:
                        out.append(stem_written + ("" if suffix == "i" else "\u200c") + written)
                        break
                else:
                    return None
                continue
            found = self._arabic_token(lower)
            if found is None:
                return None
            out.append(found)
        text = " ".join(out)
        if style == "persian":  # Persian letters for yeh and kaf
            text = text.replace("ي", "ی").replace("ك", "ک")
        return text

    def _arabic_token(self, token: str) -> str | None:
        """The Arabic spelling of a romanised token, allowing for spelling variants (Mohammad, Mohammed)."""
        if token in self._arabic_cache:
            return self._arabic_cache[token]
        found = self.lists.arabic.get(token)
        if found is None and self.lists.arabic:
            close = difflib.get_close_matches(token, list(self.lists.arabic), n=1, cutoff=0.8)
            found = self.lists.arabic[close[0]] if close else None
        self._arabic_cache[token] = found
        return found

    def _naming(self, native: str, roman: str, language: str, script: str) -> Naming:
        native, roman = native[:300], roman[:300]
        native_script = script if not _is_latin(native) else "Latn"
        rows = [NameRow(native, native_script, language, v.NameKind.LEGAL, True, search_key(native))]
        if roman != native:
            rows.append(NameRow(roman, "Latn", "", v.NameKind.TRANSLITERATION, False, search_key(roman)))
        display, sort = display_and_sort_name(native)
        slug_base = slugify(transliterate(roman))[:80] or "person"
        return Naming(display, sort, slug_base, tuple(rows))


# --- writing rows -------------------------------------------------------------------------------------


NULL, TRUE, FALSE = "\\N", "t", "f"  # COPY text for None and booleans


class _Table:
    """Rows of one model as PostgreSQL COPY text lines: the columns given per row, then constants.

    Generating text straight away is several times cheaper than building tuples
    and formatting them later; SQLite (tests) parses the lines back into tuples.
    Values given to ``add`` must already be COPY-safe: ``NULL``, ``TRUE``/``FALSE``,
    numbers, dates, or strings without tabs, newlines or backslashes.
    """

    def __init__(self, model: type[models.Model], varying: Sequence[str], now: Any) -> None:
        self.model = model
        self.table = model._meta.db_table
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        unknown = [a for a in varying if a not in by_attname]
        if unknown:
            raise RuntimeError(f"{model.__name__} has no field(s) {unknown}")
        constants = [f for a, f in by_attname.items() if a not in varying]
        fields = [by_attname[a] for a in varying] + constants
        self.columns: list[str] = [str(f.column) for f in fields]
        self.booleans = [i for i, f in enumerate(fields) if isinstance(f, models.BooleanField)]
        tail = "".join("\t" + _copy_text(self._default(model, f, now)) for f in constants)
        self.fmt = "\t".join(["%s"] * len(varying)) + tail + "\n"
        self.lines: list[str] = []

    @staticmethod
    def _default(model: type[models.Model], f: Any, now: Any) -> Any:
        if f.attname in ("created_at", "updated_at"):
            return now
        if f.unique and not f.primary_key:
            raise RuntimeError(f"{model.__name__}.{f.attname} is unique: generate it per row")
        if f.has_default():
            value = f.get_default()
            if isinstance(f, models.JSONField):
                return json.dumps(value)
            if isinstance(value, bool | int | str) or value is None:
                return value
            return str(f.get_prep_value(value))
        if f.null:
            return None
        if isinstance(f, models.CharField | models.TextField | models.FileField) and f.blank:
            return ""
        raise RuntimeError(f"{model.__name__}.{f.attname} needs a value: the scale generator does not know it")

    def add(self, *values: Any) -> None:
        self.lines.append(self.fmt % values)

    def take_text(self) -> bytes:
        data = "".join(self.lines).encode()
        self.lines.clear()
        return data

    def take_rows(self) -> list[list[Any]]:
        rows = []
        for line in self.lines:
            row: list[Any] = [None if x == NULL else x for x in line[:-1].split("\t")]
            for i in self.booleans:
                row[i] = row[i] == TRUE
            rows.append(row)
        self.lines.clear()
        return rows


def _copy_text(value: Any) -> str:
    if value is None:
        return NULL
    if value is True:
        return TRUE
    if value is False:
        return FALSE
    return str(value)


# --- the generator ------------------------------------------------------------------------------------


@dataclass
class FillResult:
    created: int
    existing: int
    names_source: str
    seconds: float


def _next_id(model: type[models.Model]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
        row = cursor.fetchone()
    return int(row[0]) + 1 if row else 1


def _partial(rng: random.Random, d: date, weights: tuple[int, int, int]) -> tuple[str, date, date]:
    """A partial date around ``d`` (day, month or year precision) and its earliest and latest day."""
    precision = rng.choices((0, 1, 2), weights=weights)[0]
    if precision == 0:
        return d.isoformat(), d, d
    if precision == 1:
        last = calendar.monthrange(d.year, d.month)[1]
        return f"{d.year:04d}-{d.month:02d}", d.replace(day=1), d.replace(day=last)
    return f"{d.year:04d}", date(d.year, 1, 1), date(d.year, 12, 31)


def _catalogue() -> tuple[dict[str, list[int]], dict[str, dict[str, list[int]]]]:
    """Law article ids by country and facility ids by country and kind (created through the actions if missing)."""
    articles: dict[str, list[int]] = defaultdict(list)
    facilities: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for code, spec in COUNTRIES.items():
        for a in spec.articles:
            found = LawArticle.objects.filter(country=code, code=a.code, article=a.article, part=a.part).first()
            if found is None:
                found = actions.do_add_law_article(
                    data={"country": code, "code": a.code, "article": a.article, "part": a.part, "title": a.title},
                    acting_user="demo-data")
            articles[code].append(found.pk)
        for fs in spec.facilities:
            found_f = Facility.objects.filter(country=code, name=fs.name).first()
            if found_f is None:
                found_f = actions.do_add_facility(data={"name": fs.name, "kind": fs.kind, "country": code,
                                                        "place": fs.place}, acting_user="demo-data")
            facilities[code][fs.kind].append(found_f.pk)
    return articles, facilities


def _facility_for(kind: str, by_kind: dict[str, list[int]], rng: random.Random) -> int | None:
    if kind == v.DetentionKind.HOUSE_ARREST:
        return None
    wanted: tuple[str, ...] = _FACILITY_KINDS.get(kind, (v.FacilityKind.COLONY, v.FacilityKind.PRISON,
                                                        v.FacilityKind.CAMP))
    for k in wanted:
        if by_kind.get(k):
            return rng.choice(by_kind[k])
    return None


_FACILITY_KINDS: dict[str, tuple[str, ...]] = {
        v.DetentionKind.PRE_TRIAL: (v.FacilityKind.PRE_TRIAL_CENTRE, v.FacilityKind.POLICE_STATION, v.FacilityKind.PRISON),
        v.DetentionKind.ADMINISTRATIVE: (v.FacilityKind.POLICE_STATION, v.FacilityKind.PRE_TRIAL_CENTRE,
                                         v.FacilityKind.PRISON),
        v.DetentionKind.ENFORCED_DISAPPEARANCE: (v.FacilityKind.UNOFFICIAL,),
}


_ORDER = ("person", "name", "case", "charge", "detention", "status", "decision", "criterion")


def _tables(now: Any) -> dict[str, _Table]:
    return {
        "person": _Table(Person, ("id", "organisation_id", "uuid", "slug", "gender", "birth_date", "citizenships",
                                  "country", "occupation", "death_date", "death_circumstances", "internal_notes",
                                  "current_status", "current_status_date", "recognition_outcome", "sort_name",
                                  "display_name"), now),
        "name": _Table(PersonName, ("id", "organisation_id", "person_id", "text", "script", "language", "kind",
                                    "is_primary", "search_key"), now),
        "case": _Table(Case, ("id", "organisation_id", "person_id", "jurisdiction", "opened_on", "investigating_agency",
                              "theme", "procedural_stage"), now),
        "charge": _Table(Charge, ("id", "organisation_id", "case_id", "law_article_id", "brought_on", "status"), now),
        "detention": _Table(DetentionPeriod, ("id", "organisation_id", "person_id", "case_id", "kind", "start", "end",
                                              "start_earliest", "start_latest", "facility_id", "whereabouts",
                                              "incommunicado"), now),
        "status": _Table(StatusChange, ("id", "organisation_id", "person_id", "status", "effective"), now),
        "decision": _Table(RecognitionDecision, ("id", "organisation_id", "person_id", "case_id", "framework",
                                                 "outcome", "decided_on"), now),
        "criterion": _Table(CriterionAssessment, ("id", "organisation_id", "decision_id", "code", "is_exclusion",
                                                  "result"), now),
    }


@dataclass
class _Generator:
    """Everything a batch needs, plain data only (it may run in a forked process)."""

    org_id: int
    seed: int
    tables: dict[str, _Table]
    ids: dict[str, int]
    articles: dict[str, list[int]]
    facilities: dict[str, dict[str, list[int]]]
    maker: NameMaker

    def batch(self, start: int, n: int) -> None:
        """Rows for people ``start`` … ``start + n - 1`` into ``self.tables``; same seed and start, same rows."""
        rng = random.Random(f"{self.seed}:{start}")  # noqa: S311  (reproducible scale data, not security)
        org_id, ids, tables, maker = self.org_id, self.ids, self.tables, self.maker
        add_person, add_name, add_case = tables["person"].add, tables["name"].add, tables["case"].add
        add_charge, add_detention, add_status = tables["charge"].add, tables["detention"].add, tables["status"].add
        add_decision, add_criterion = tables["decision"].add, tables["criterion"].add
        countries = list(PROFILES)
        statuses, occupations, themes, frameworks = (list(STATUS_WEIGHTS), list(OCCUPATION_WEIGHTS),
                                                     list(THEME_WEIGHTS), list(FRAMEWORK_WEIGHTS))
        batch_countries = rng.choices(countries, cum_weights=_cumulative(PROFILES[c].weight for c in countries), k=n)
        batch_statuses = rng.choices(statuses, cum_weights=_cumulative(STATUS_WEIGHTS.values()), k=n)
        batch_occupations = rng.choices(occupations, cum_weights=_cumulative(OCCUPATION_WEIGHTS.values()), k=n)
        batch_themes = rng.choices(themes, cum_weights=_cumulative(THEME_WEIGHTS.values()), k=n)
        framework_cum = _cumulative(FRAMEWORK_WEIGHTS.values())
        citizenships = {c: json.dumps([c]) for c in countries}
        criteria_codes = {f: [code for code, _label in v.CRITERIA[f]] for f in frameworks}
        first_day, last_day = date(2008, 1, 1).toordinal(), _LAST_DAY.toordinal()
        recent_day = date(2023, 6, 1).toordinal()
        for i in range(n):
            country, status = batch_countries[i], batch_statuses[i]
            female = rng.random() < 0.3
            naming = maker.pooled(rng, country, female)
            pid = ids["person"]
            ids["person"] += 1
            for row in naming.rows:
                add_name(ids["name"], org_id, pid, row.text, row.script, row.language, row.kind,
                         TRUE if row.is_primary else FALSE, row.search_key)
                ids["name"] += 1

            # A timeline: case opened, arrest, then the current status some time later.
            recent = status in (v.Status.AWAITING_TRIAL, v.Status.HOUSE_ARREST)
            arrest_ord = rng.randint(recent_day if recent else first_day, last_day - (60 if recent else 400))
            arrest = date.fromordinal(arrest_ord)
            opened_text = _partial(rng, date.fromordinal(arrest_ord - rng.randint(0, 60)), (5, 3, 2))[0]
            later = date.fromordinal(arrest_ord + rng.randint(35, min(last_day - arrest_ord, 200 if recent else 1500)))
            start_text, start_lo, start_hi = _partial(rng, arrest, (4, 4, 2))

            case_id = ids["case"]
            ids["case"] += 1
            add_case(case_id, org_id, pid, country, opened_text, COUNTRIES[country].agency, batch_themes[i],
                     _STAGE[status])
            sentenced = status not in (v.Status.AT_LARGE, v.Status.AWAITING_TRIAL, v.Status.HOUSE_ARREST,
                                       v.Status.DISAPPEARED)
            charge_status = v.ChargeStatus.CONVICTED if sentenced else v.ChargeStatus.CHARGED
            for article in rng.sample(self.articles[country], 1 if rng.random() < 0.6 else 2):
                add_charge(ids["charge"], org_id, case_id, article, opened_text, charge_status)
                ids["charge"] += 1

            kind, ongoing = _DETENTION[status]
            if status == v.Status.AT_LARGE:
                end_text = date.fromordinal(arrest_ord + rng.randint(3, 30)).isoformat()
            else:
                end_text = "" if ongoing else later.isoformat()
            disappeared = kind == v.DetentionKind.ENFORCED_DISAPPEARANCE
            add_detention(ids["detention"], org_id, pid, case_id, kind, start_text, end_text, start_lo, start_hi,
                          _facility_for(kind, self.facilities[country], rng) or NULL,
                          v.Whereabouts.UNDISCLOSED if disappeared else v.Whereabouts.ACKNOWLEDGED,
                          TRUE if disappeared else FALSE)
            ids["detention"] += 1

            # Status history: sometimes the status before, always the current one (the latest).
            if status == v.Status.AT_LARGE:
                current_date = opened_text
            elif status == v.Status.AWAITING_TRIAL:
                current_date = start_text
            else:
                current_date = later.isoformat() if rng.random() < 0.8 else f"{later.year:04d}-{later.month:02d}"
                previous = _PREVIOUS.get(status)
                if previous is not None and rng.random() < 0.7:
                    add_status(ids["status"], org_id, pid, previous, start_text)
                    ids["status"] += 1
            add_status(ids["status"], org_id, pid, status, current_date)
            ids["status"] += 1

            outcome = ""
            if rng.random() < DECISION_SHARE:
                outcome = _outcome(rng, status)
                framework = rng.choices(frameworks, cum_weights=framework_cum)[0]
                decided = date.fromordinal(min(last_day, arrest_ord + rng.randint(30, 700)))
                decision_id = ids["decision"]
                ids["decision"] += 1
                add_decision(decision_id, org_id, pid, case_id, framework, outcome, decided)
                codes = criteria_codes[framework]
                recognised = outcome not in (v.RecognitionOutcome.UNDER_REVIEW, v.RecognitionOutcome.NOT_RECOGNISED)
                met = rng.choice(codes)
                for code in codes[:3] if met in codes[:3] else [met, *codes[:2]]:
                    result = (v.CriterionResult.MET if recognised and code == met else
                              v.CriterionResult.UNCLEAR if outcome == v.RecognitionOutcome.UNDER_REVIEW
                              else v.CriterionResult.NOT_MET)
                    add_criterion(ids["criterion"], org_id, decision_id, code, FALSE, result)
                    ids["criterion"] += 1
                if framework in (v.Framework.PACE_1900, v.Framework.GUIDELINES_2013):
                    add_criterion(ids["criterion"], org_id, decision_id, "violence", TRUE, v.CriterionResult.NOT_MET)
                    ids["criterion"] += 1

            dead = status in (v.Status.DIED_IN_CUSTODY, v.Status.EXECUTED)
            birth = rng.randint(1950, 2004)
            add_person(
                # Random but reproducible; the low 32 bits are the id, so no two people share one.
                pid, org_id, uuid.UUID(int=rng.getrandbits(96) << 32 | pid & 0xFFFFFFFF, version=4).hex,
                f"{naming.slug_base}-s{pid}",
                v.Gender.FEMALE if female else v.Gender.MALE,
                f"{birth:04d}" if rng.random() < 0.6 else date(birth, rng.randint(1, 12), rng.randint(1, 28)).isoformat(),
                citizenships[country], country, batch_occupations[i],
                later.isoformat() if dead else "", status if dead else "", SCALE_MARK,
                status, current_date, outcome, naming.sort_name, naming.display_name)


def _produce(gen: _Generator, start: int, people: int, batch: int, queue: Any) -> None:
    """Forked producer: generates batches and hands them over as COPY text (the parent only streams)."""
    try:
        done = start
        while done < people:
            n = min(batch, people - done)
            t0 = time.perf_counter()
            gen.batch(done, n)
            payload = {key: t.take_text() for key, t in gen.tables.items()}
            queue.put(("batch", n, payload, time.perf_counter() - t0))
            done += n
        queue.put(("done", 0, {}, 0.0))
    except BaseException:  # noqa: BLE001  (reported to the parent, which raises it)
        import traceback

        queue.put(("error", 0, {"traceback": traceback.format_exc().encode()}, 0.0))


def _batches(gen: _Generator, start: int, people: int, batch: int) -> Iterable[tuple[int, dict[str, Any], float]]:
    """(people in the batch, rows or COPY text per table, seconds spent generating), batch by batch.

    On PostgreSQL under Linux a forked process generates the next batch while this
    one streams the previous one to the server: generation and loading overlap.
    """
    import multiprocessing

    if connection.vendor == "postgresql" and "fork" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("fork")
        queue = ctx.Queue(maxsize=2)
        worker = ctx.Process(target=_produce, args=(gen, start, people, batch, queue), daemon=True)
        worker.start()
        try:
            while True:
                kind, n, payload, seconds = queue.get()
                if kind == "error":
                    raise RuntimeError("scale data generator failed:\n" + payload["traceback"].decode())
                if kind == "done":
                    break
                yield n, payload, seconds
        finally:
            worker.join(timeout=5)
            if worker.is_alive():
                worker.terminate()
        return
    done = start
    while done < people:
        n = min(batch, people - done)
        t0 = time.perf_counter()
        gen.batch(done, n)
        data: dict[str, Any] = {key: t.take_rows() if connection.vendor == "sqlite" else t.take_text()
                                for key, t in gen.tables.items()}
        yield n, data, time.perf_counter() - t0
        done += n


def _write(table: _Table, data: Any) -> None:
    """COPY text (PostgreSQL) or rows (SQLite) into the table."""
    if not data:
        return
    quote = connection.ops.quote_name
    cols = ", ".join(quote(c) for c in table.columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(table.table)} ({cols}) FROM STDIN") as copy:
                copy.write(data)
        else:
            marks = ", ".join(["%s"] * len(table.columns))
            cursor.executemany(f"INSERT INTO {quote(table.table)} ({cols}) VALUES ({marks})", data)  # noqa: S608


# Loads at least this large (and at least as large as the table) rebuild the secondary indexes
# once at the end instead of updating them row by row.
REBUILD_INDEXES_FROM = 100_000


def fill(*, people: int, organisation: Organisation, seed: int = 1, names_dir: Path | None = None,
         batch: int | None = None, progress: Callable[[str], None] | None = None,
         rebuild_indexes: bool | None = None) -> FillResult:
    """Top the organisation's generated people up to ``people``; bulk writes, no audit events.

    ``rebuild_indexes`` (PostgreSQL; default: for loads of at least
    ``REBUILD_INDEXES_FROM`` people that at least double the table) drops the
    registry tables' secondary indexes, loads, and builds them again, all in one
    transaction: a failure rolls everything back, indexes included. The tables
    are locked meanwhile, which is fine for the benchmark database it is for.
    """
    say = progress or (lambda _msg: None)
    started = time.perf_counter()
    existing = Person.objects.filter(organisation=organisation, internal_notes=SCALE_MARK).count()
    lists = _load_lists(names_dir)
    if existing >= people:
        say(f"{existing:,} generated people already there: nothing to do.")
        return FillResult(0, existing, lists.source, time.perf_counter() - started)
    batch = batch or (50_000 if connection.vendor == "postgresql" else 2_000)
    articles, facilities = _catalogue()
    now = connection.ops.adapt_datetimefield_value(datetime.now(UTC).replace(microsecond=0))
    tables = _tables(now)
    gen = _Generator(organisation.pk, seed, tables, {key: _next_id(t.model) for key, t in tables.items()},
                     dict(articles), {c: dict(k) for c, k in facilities.items()}, NameMaker(lists, seed))
    if rebuild_indexes is None:
        adding = people - existing
        rebuild_indexes = adding >= REBUILD_INDEXES_FROM and adding >= Person.objects.count()
    rebuild_indexes = rebuild_indexes and connection.vendor == "postgresql"
    say(f"Generating {people - existing:,} people for {organisation.slug} (names: {lists.source}; "
        f"{connection.vendor}; batches of {batch:,}{'; indexes rebuilt at the end' if rebuild_indexes else ''}).")
    done = existing
    timing: dict[str, float] = defaultdict(float)
    models_written = [t.model for t in tables.values()]
    with transaction.atomic() if rebuild_indexes else nullcontext():
        dropped = drop_secondary_indexes(models_written) if rebuild_indexes else []
        if dropped:
            say(f"  dropped {len(dropped)} secondary indexes of the registry tables for the load")
        for n, data, generating in _batches(gen, existing, people, batch):
            timing["generate"] += generating
            t0 = time.perf_counter()
            with transaction.atomic():
                skip_fk_checks = _bulk_session(True)
                for key in _ORDER:
                    _write(tables[key], data[key])
                if skip_fk_checks:
                    _bulk_session(False)
            timing["load"] += time.perf_counter() - t0
            done += n
            elapsed = time.perf_counter() - started
            say(f"  {done:,} / {people:,} people ({elapsed:.0f} s, {(done - existing) / max(elapsed, 1e-9):,.0f} "
                f"people/s; generating {timing['generate']:.0f} s, loading {timing['load']:.0f} s)")
        if dropped:
            t0 = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL maintenance_work_mem TO '256MB'")
                for _name, definition in dropped:
                    cursor.execute(definition)
            say(f"  rebuilt {len(dropped)} indexes in {time.perf_counter() - t0:.0f} s")
    _finish(models_written)
    # Written past the action functions: the name index is told that much changed
    # at once, so every process rebuilds (or loads `names-reindex`'s snapshot).
    from unforgotten.registry.search import note_bulk_change

    with transaction.atomic():
        note_bulk_change()
    elapsed = time.perf_counter() - started
    say(f"Scale data: {people - existing:,} people in {elapsed:.0f} s; statistics refreshed.")
    return FillResult(people - existing, existing, lists.source, elapsed)


def drop_secondary_indexes(written: list[type[models.Model]]) -> list[tuple[str, str]]:
    """Drop the indexes of these tables that back no constraint; return (name, CREATE INDEX …) to rebuild them.

    Primary keys and unique constraints stay (and keep checking); everything
    else, the partial unique index of primary names included, is rebuilt from
    its own definition (a rebuilt unique index checks the loaded rows).
    """
    tables = [m._meta.db_table for m in written]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace "
            "WHERE n.nspname = current_schema() AND t.relname = ANY(%s) "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) "
            "ORDER BY 1", [tables])
        found = [(str(name), str(definition)) for name, definition in cursor.fetchall()]
        for name, _definition in found:
            cursor.execute(f"DROP INDEX {name}")
    return found


def _bulk_session(on: bool) -> bool:
    """PostgreSQL, inside the batch's transaction: no synchronous commit and no per-row foreign-key triggers.

    Every id is allocated here and every parent is written in the same
    transaction, so the foreign keys hold by construction; skipping their
    triggers (``session_replication_role = replica``, as ``pg_restore
    --disable-triggers`` does) halves the load time. It needs a superuser;
    without one the checks simply run. Returns whether the triggers are off.
    """
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        if not on:
            cursor.execute("SET LOCAL session_replication_role TO DEFAULT")
            return False
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
        if not (row and row[0]):
            return False
        cursor.execute("SET LOCAL session_replication_role TO replica")
        return True


def _cumulative(weights: Iterable[int]) -> list[int]:
    out, total = [], 0
    for w in weights:
        total += w
        out.append(total)
    return out


def _outcome(rng: random.Random, status: str) -> str:
    o = v.RecognitionOutcome
    if status in (v.Status.RELEASED, v.Status.IN_EXILE):
        return rng.choices((o.FORMER, o.POLITICALLY_MOTIVATED, o.UNDER_REVIEW), weights=(7, 2, 1))[0]
    if status == v.Status.AT_LARGE:
        return rng.choices((o.POLITICALLY_MOTIVATED, o.UNDER_REVIEW), weights=(3, 1))[0]
    return rng.choices((o.POLITICAL_PRISONER, o.PRISONER_OF_CONSCIENCE, o.UNDER_REVIEW, o.NOT_RECOGNISED),
                       weights=(70, 10, 15, 5))[0]


def _finish(written: list[type[models.Model]]) -> None:
    """Move the id sequences past the ids written, and refresh the planner's statistics."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), written):
            cursor.execute(sql)
        if connection.vendor == "postgresql":
            names = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in written)
            # VACUUM also sets the visibility map (index-only scans); it cannot run in a transaction.
            cursor.execute(f"{'ANALYZE' if connection.in_atomic_block else 'VACUUM (ANALYZE)'} {names}")
        else:
            cursor.execute("ANALYZE")

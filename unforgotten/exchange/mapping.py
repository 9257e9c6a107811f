"""The import mapping (TOML): which source column feeds which registry field, and how values translate.

A mapping looks like this::

    date_format = "%d/%m/%Y"     # optional; ISO dates (2021, 2021-03, 2021-03-05) are always read
    list_separator = ";"         # optional; splits cells holding several names or charges

    [fields]                     # target field = a source column, or a list of columns
    names = ["name_en", "name_fa"]
    external_id = "id"
    status = "fate"

    [defaults]                   # used when the row gives nothing
    country = "IR"
    status = "executed"

    [values.status]              # source text (any case) = registry value ("" = no value)
    "Killed" = "executed"

A field may be taken only when another column holds certain values:
``death_date = { column = "year", when = { status = ["Killed"] } }``.

The converted row (:class:`PersonRow`) still names facilities and charges as
text: the importer looks them up in the shared catalogues.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation

from unforgotten.core.countries import UnknownCountry, normalize_country
from unforgotten.core.partialdate import InvalidPartialDate, PartialDate
from unforgotten.exchange.readers import Row
from unforgotten.registry import vocabularies as v

# Target fields and what they hold. Names and charges take several values.
TARGETS: dict[str, str] = {
    "names": "names (several columns, e.g. one per script; the first filled one is the primary name)",
    "gender": "gender (vocabulary)",
    "birth_date": "birth date (partial date)",
    "birth_place": "birth place (text)",
    "country": "country of the case (ISO code or country name)",
    "occupation": "occupation (vocabulary; other words are kept as 'other' with the words)",
    "status": "current status (vocabulary)",
    "status_date": "status since (partial date)",
    "detention_start": "start of the detention (partial date)",
    "detention_kind": "kind of detention (vocabulary; default from the status)",
    "facility": "place of detention (a facility name from the catalogue)",
    "charges": "charges (law articles of the country, e.g. '342' or 'Criminal Code 342')",
    "sentence": "sentence ('10 years', '5 years 6 months', 'life', 'death', 'fine')",
    "death_date": "date of death (partial date)",
    "notes": "internal notes (text)",
    "source_url": "URL of the source page for this person (kept on the citation)",
    "external_id": "the person's identifier in the source (what makes a re-import update, never duplicate)",
}
DATE_FIELDS = frozenset({"birth_date", "status_date", "detention_start", "death_date"})
LIST_FIELDS = frozenset({"names", "charges"})
VOCABULARIES: dict[str, type[Any]] = {
    "gender": v.Gender, "occupation": v.Occupation, "status": v.Status, "detention_kind": v.DetentionKind,
}
MAX_TEXT = {"birth_place": 200, "notes": 20_000, "source_url": 1000, "external_id": 200, "facility": 300,
            "sentence": 100}
# A detention's kind when the mapping gives none: what the status says about it.
KIND_FOR_STATUS: dict[str, str] = {
    v.Status.AWAITING_TRIAL: v.DetentionKind.PRE_TRIAL, v.Status.IMPRISONED: v.DetentionKind.SERVING_SENTENCE,
    v.Status.HOUSE_ARREST: v.DetentionKind.HOUSE_ARREST, v.Status.DISAPPEARED: v.DetentionKind.ENFORCED_DISAPPEARANCE,
    v.Status.DIED_IN_CUSTODY: v.DetentionKind.SERVING_SENTENCE, v.Status.EXECUTED: v.DetentionKind.SERVING_SENTENCE,
}


class MappingError(ValueError):
    """The mapping itself is wrong: nothing is imported."""


class RowError(ValueError):
    """One row cannot be imported; the message says why (the importer adds the line)."""


@dataclass(frozen=True)
class SentenceSpec:
    sentence_type: str
    years: int = 0
    months: int = 0
    days: int = 0


@dataclass
class PersonRow:
    line: int
    external_id: str
    names: list[str]
    gender: str = ""
    birth_date: PartialDate = field(default_factory=PartialDate)
    birth_place: str = ""
    country: str = ""
    occupation: str = ""
    occupation_detail: str = ""
    status: str = ""
    status_date: PartialDate = field(default_factory=PartialDate)
    detention_start: PartialDate = field(default_factory=PartialDate)
    detention_kind: str = ""
    facility: str = ""
    charges: list[str] = field(default_factory=list)
    sentence: SentenceSpec | None = None
    death_date: PartialDate = field(default_factory=PartialDate)
    notes: str = ""
    source_url: str = ""

    @property
    def has_detention(self) -> bool:
        return not self.detention_start.is_unknown or bool(self.facility)


@dataclass(frozen=True)
class Mapping:
    fields: dict[str, list[str]]
    defaults: dict[str, str]
    values: dict[str, dict[str, str]]
    date_format: str = ""
    list_separator: str = ""
    # target → {source column: folded values}: the target is read only when each column holds one of them.
    when: dict[str, dict[str, frozenset[str]]] = field(default_factory=dict)

    def columns(self) -> list[str]:
        used = {c for cols in self.fields.values() for c in cols}
        used |= {c for conditions in self.when.values() for c in conditions}
        return sorted(used)

    def check_columns(self, columns: Sequence[str]) -> None:
        """Every mapped column must exist in the file (a typo would otherwise import empty values)."""
        present = set(columns)
        missing = [c for c in self.columns() if c not in present]
        if missing:
            raise MappingError(
                f"the file has no column {', '.join(repr(c) for c in missing)} named in [fields]; "
                f"its columns are: {', '.join(repr(c) for c in columns) or '(none)'}")

    # --- one row ---------------------------------------------------------------------------------------

    def _raw(self, row: Row, target: str) -> list[str]:
        out: list[str] = []
        if target not in self.fields:
            return out  # most targets are unmapped: skip the conditions (a row is read a million times)
        for column, wanted in self.when.get(target, {}).items():
            cell = row.get(column, "")
            if _fold(cell if isinstance(cell, str) else " ".join(cell)) not in wanted:
                return out
        for column in self.fields.get(target, []):
            cell = row.get(column, "")
            parts = cell if isinstance(cell, list) else [cell]
            for part in parts:
                pieces = part.split(self.list_separator) if self.list_separator and target in LIST_FIELDS else [part]
                out.extend(" ".join(p.split()) for p in pieces if p.strip())
        return out

    def _translate(self, target: str, text: str) -> str:
        table = self.values.get(target)
        if table:
            key = _fold(text)
            if key in table:
                return table[key]
        return text

    def _one(self, row: Row, target: str) -> str:
        if target not in self.fields:
            text = self.defaults.get(target, "")
            limit = MAX_TEXT.get(target)
            if limit and len(text) > limit:
                raise RowError(f"{target} is longer than {limit} characters")
            return text
        raw = self._raw(row, target)
        if target == "external_id":
            text = " | ".join(raw)
        else:
            text = raw[0] if raw else ""
        text = self._translate(target, text) if text else ""
        if not text:
            text = self.defaults.get(target, "")
        limit = MAX_TEXT.get(target)
        if limit and len(text) > limit:
            raise RowError(f"{target} is longer than {limit} characters")
        return text

    def _date(self, row: Row, target: str) -> PartialDate:
        text = self._one(row, target)
        return parse_date(text, self.date_format, target)

    def _vocab(self, row: Row, target: str) -> str:
        text = self._one(row, target)
        return vocabulary_value(target, text) if text else ""

    def convert(self, line: int, row: Row) -> PersonRow:
        """The registry values of one source row, or RowError."""
        names = [self._translate("names", n) for n in self._raw(row, "names")]
        names = list(dict.fromkeys(n for n in names if n))
        if not names:
            raise RowError("no name: every mapped name column is empty")
        for name in names:
            if len(name) > 300:
                raise RowError("a name is longer than 300 characters")
        external_id = self._one(row, "external_id")
        if not external_id:
            raise RowError("no external id: the column mapped to external_id is empty")
        country_text = self._one(row, "country")
        if not country_text:
            raise RowError("no country: map a column to country or give [defaults] country")
        try:
            country = normalize_country(country_text)
        except UnknownCountry:
            raise RowError(f"{country_text!r} is not a country; map it in [values.country]") from None
        occupation_text = self._one(row, "occupation")
        occupation, detail = "", ""
        if occupation_text:
            try:
                occupation = vocabulary_value("occupation", occupation_text)
            except RowError:
                occupation, detail = v.Occupation.OTHER, occupation_text[:200]
        status = self._vocab(row, "status")
        result = PersonRow(
            line=line, external_id=external_id, names=names, gender=self._vocab(row, "gender"),
            birth_date=self._date(row, "birth_date"), birth_place=self._one(row, "birth_place"), country=country,
            occupation=occupation, occupation_detail=detail, status=status,
            status_date=self._date(row, "status_date"), detention_start=self._date(row, "detention_start"),
            detention_kind=self._vocab(row, "detention_kind"), facility=self._one(row, "facility"),
            charges=[c for c in (self._translate("charges", x) for x in self._raw(row, "charges")) if c]
            or ([self.defaults["charges"]] if self.defaults.get("charges") else []),
            sentence=parse_sentence(self._one(row, "sentence")), death_date=self._date(row, "death_date"),
            notes=self._one(row, "notes"), source_url=self._one(row, "source_url"),
        )
        if result.has_detention and not result.detention_kind:
            result.detention_kind = KIND_FOR_STATUS.get(status, v.DetentionKind.PRE_TRIAL)
        return result

    def external_id(self, row: Row) -> str:
        """The row's external id as ``convert`` reads it, or "" when it has none (or none that convert accepts)."""
        try:
            return self._one(row, "external_id")
        except RowError:
            return ""


# Targets whose value a row converts from a few cells with few distinct values (vocabularies, dates,
# countries, sentences, catalogue names): a bulk import converts each distinct value once (RowConverter).
# In the order Mapping.convert converts them, which decides the error reported for a row with several.
MEMO_TARGETS = ("country", "occupation", "status", "gender", "birth_date", "birth_place", "status_date",
                "detention_start", "detention_kind", "facility", "charges", "sentence", "death_date", "notes",
                "source_url")
# Distinct values kept per target; past this many the target's memo starts again (free text, not a vocabulary).
MEMO_MAX = 20_000


class RowConverter:
    """``Mapping.convert`` for a bulk import: the same results and the same errors, each distinct value converted once.

    A target's value (or its error) depends only on the cells of the columns
    that feed it (its ``[fields]`` columns and the columns of its ``when``
    condition) and on the mapping, which a run does not change: so it is
    computed by ``Mapping`` itself the first time those cells are met and
    looked up afterwards. A million rows hold a few dozen statuses, countries
    and dates. Names and external ids differ on every row and are read
    directly; targets the mapping does not map are constants. Conversions run
    in ``convert``'s order, so a row with several problems reports the same one.
    """

    def __init__(self, mapping: Mapping) -> None:
        self.mapping = mapping
        self._feeds = {t: (*mapping.when.get(t, {}), *mapping.fields.get(t, [])) for t in MEMO_TARGETS}
        self._memos: dict[str, dict[Any, tuple[bool, Any]]] = {t: {} for t in MEMO_TARGETS}
        self._readers: dict[str, Any] = {
            "country": self._country, "occupation": self._occupation, "sentence": self._sentence,
            "charges": self._charges,
            **{t: functools.partial(mapping._vocab, target=t) for t in ("status", "gender", "detention_kind")},
            **{t: functools.partial(mapping._date, target=t) for t in DATE_FIELDS},
            **{t: functools.partial(mapping._one, target=t) for t in ("birth_place", "facility", "notes",
                                                                      "source_url")},
        }
        # Targets the mapping does not map have one value for every row: found once. Those whose value is an
        # error stay with the mapped ones, so that errors are raised in convert's order.
        self._fixed: dict[str, Any] = {}
        for target in MEMO_TARGETS:
            if not self._feeds[target]:
                try:
                    self._fixed[target] = self._get({}, target)
                except RowError:
                    pass
        self._varying = [t for t in MEMO_TARGETS if t not in self._fixed]

    def _country(self, row: Row) -> str:
        country_text = self.mapping._one(row, "country")
        if not country_text:
            raise RowError("no country: map a column to country or give [defaults] country")
        try:
            return normalize_country(country_text)
        except UnknownCountry:
            raise RowError(f"{country_text!r} is not a country; map it in [values.country]") from None

    def _occupation(self, row: Row) -> tuple[str, str]:
        occupation_text = self.mapping._one(row, "occupation")
        if not occupation_text:
            return "", ""
        try:
            return vocabulary_value("occupation", occupation_text), ""
        except RowError:
            return v.Occupation.OTHER, occupation_text[:200]

    def _sentence(self, row: Row) -> SentenceSpec | None:
        return parse_sentence(self.mapping._one(row, "sentence"))

    def _charges(self, row: Row) -> tuple[str, ...]:
        m = self.mapping
        return tuple([c for c in (m._translate("charges", x) for x in m._raw(row, "charges")) if c]
                     or ([m.defaults["charges"]] if m.defaults.get("charges") else []))

    def _get(self, row: Row, target: str) -> Any:
        feeds = self._feeds[target]
        if not feeds:
            key: Any = None  # not mapped: the default, the same for every row
        elif len(feeds) == 1:
            key = row.get(feeds[0], "")
            if isinstance(key, list):
                key = (tuple(key),)
        else:
            key = tuple(tuple(c) if isinstance(c, list) else c for c in (row.get(f, "") for f in feeds))
        memo = self._memos[target]
        found = memo.get(key)
        if found is None:
            try:
                found = (True, self._readers[target](row))
            except RowError as exc:
                found = (False, str(exc))
            if len(memo) >= MEMO_MAX:
                memo.clear()
            memo[key] = found
        if found[0]:
            return found[1]
        raise RowError(found[1])

    def convert(self, line: int, row: Row) -> PersonRow:
        """The registry values of one source row, or RowError: exactly ``Mapping.convert``."""
        m, get = self.mapping, self._get
        names = [m._translate("names", n) for n in m._raw(row, "names")]
        names = list(dict.fromkeys(n for n in names if n))
        if not names:
            raise RowError("no name: every mapped name column is empty")
        for name in names:
            if len(name) > 300:
                raise RowError("a name is longer than 300 characters")
        external_id = m._one(row, "external_id")
        if not external_id:
            raise RowError("no external id: the column mapped to external_id is empty")
        values = dict(self._fixed)
        for target in self._varying:  # convert's order (MEMO_TARGETS)
            values[target] = get(row, target)
        occupation, detail = values.pop("occupation")
        values["charges"] = list(values["charges"])
        result = PersonRow(line=line, external_id=external_id, names=names, occupation=occupation,
                           occupation_detail=detail, **values)
        if result.has_detention and not result.detention_kind:
            result.detention_kind = KIND_FOR_STATUS.get(result.status, v.DetentionKind.PRE_TRIAL)
        return result


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


@functools.lru_cache(maxsize=64)
def _vocabulary(target: str, language: str | None) -> dict[str, str]:
    """{folded code or label: code}, built once per vocabulary and language (labels are lazy translations)."""
    table: dict[str, str] = {}
    for value, label in VOCABULARIES[target].choices:
        table.setdefault(_fold(str(label)), str(value))
        table[_fold(str(value))] = str(value)
    return table


def vocabulary_value(target: str, text: str) -> str:
    """The stored code for ``text`` (a code or a label, any case), or RowError naming the choices."""
    found = _vocabulary(target, translation.get_language()).get(_fold(text))
    if found is not None:
        return found
    allowed = ", ".join(str(c) for c in VOCABULARIES[target].values)
    raise RowError(f"{target} {text!r} is not one of {allowed}; map it in [values.{target}]")


_NO_DATE = PartialDate()  # immutable: one for every missing date


def parse_date(text: str, fmt: str, target: str) -> PartialDate:
    """A partial date: the mapping's format first, then ISO (a bare year stays a year)."""
    if not text:
        return _NO_DATE
    if fmt:
        try:
            return PartialDate.parse_with_format(text, fmt)
        except InvalidPartialDate:
            pass
    try:
        return PartialDate.parse(text)
    except InvalidPartialDate as exc:
        hint = f" or {fmt}" if fmt else ""
        raise RowError(f"{target} {text!r} is not a date (YYYY, YYYY-MM, YYYY-MM-DD{hint}): {exc}") from None


_SENTENCE_PART = re.compile(r"(\d{1,3})\s*(years?|yrs?|y|months?|mos?|m|days?|d)\b", re.IGNORECASE)
_WORD_TYPES = {"life": v.SentenceType.LIFE, "life imprisonment": v.SentenceType.LIFE,
               "death": v.SentenceType.DEATH, "death sentence": v.SentenceType.DEATH, "fine": v.SentenceType.FINE,
               "suspended": v.SentenceType.SUSPENDED}


def parse_sentence(text: str) -> SentenceSpec | None:
    """'10 years', '5 years 6 months', '2y 3m', '8' (years), 'life', 'death', 'fine'; '' is none."""
    text = " ".join(text.split())
    if not text:
        return None
    folded = text.casefold()
    if folded in _WORD_TYPES:
        return SentenceSpec(_WORD_TYPES[folded])
    if folded.isdigit():
        return SentenceSpec(v.SentenceType.IMPRISONMENT, years=int(folded))
    parts = _SENTENCE_PART.findall(text)
    leftover = _SENTENCE_PART.sub("", text).replace(",", "").replace("and", "").strip()
    if not parts or leftover:
        raise RowError(f"sentence {text!r} is not understood: write e.g. '10 years', '5 years 6 months', 'life'")
    years = months = days = 0
    for number, unit in parts:
        u = unit.casefold()
        if u.startswith("y"):
            years += int(number)
        elif u.startswith("m"):
            months += int(number)
        else:
            days += int(number)
    if months > 11 and years:
        years, months = years + months // 12, months % 12
    return SentenceSpec(v.SentenceType.IMPRISONMENT, years, months, days)


def load_mapping(text: str) -> Mapping:
    """Parse and check a TOML mapping; MappingError says what is wrong and where."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(f"the mapping is not valid TOML: {exc}") from None
    unknown = sorted(set(data) - {"fields", "defaults", "values", "date_format", "list_separator"})
    if unknown:
        raise MappingError(f"unknown top-level key(s) {', '.join(unknown)}: use [fields], [defaults], [values.<field>], "
                           "date_format and list_separator")
    raw_fields = data.get("fields")
    if not isinstance(raw_fields, dict) or not raw_fields:
        raise MappingError("the mapping needs a [fields] table: target field = source column (or a list of columns)")
    fields: dict[str, list[str]] = {}
    when: dict[str, dict[str, frozenset[str]]] = {}
    for target, columns in raw_fields.items():
        _known(target, "[fields]")
        if isinstance(columns, dict):
            columns, when[target] = _conditional(target, columns)
        cols = [columns] if isinstance(columns, str) else columns
        if not isinstance(cols, list) or not cols or not all(isinstance(c, str) and c.strip() for c in cols):
            raise MappingError(f"[fields] {target} must be a column name or a list of column names")
        fields[target] = [c.strip() for c in cols]
    if "names" not in fields:
        raise MappingError("[fields] must map names: at least one column holding the person's name")
    if "external_id" not in fields:
        raise MappingError("[fields] must map external_id: the source's identifier for the person is what makes a "
                           "re-import update instead of duplicating (a list of columns is joined)")
    defaults: dict[str, str] = {}
    for target, value in (data.get("defaults") or {}).items():
        _known(target, "[defaults]")
        if target in ("names", "external_id"):
            raise MappingError(f"[defaults] cannot give {target}: it differs for every person")
        if not isinstance(value, (str, int)):
            raise MappingError(f"[defaults] {target} must be text")
        defaults[target] = str(value)
    values: dict[str, dict[str, str]] = {}
    for target, table in (data.get("values") or {}).items():
        _known(target, "[values]")
        if not isinstance(table, dict) or not all(isinstance(x, str) for x in table.values()):
            raise MappingError(f"[values.{target}] must map source text to registry text")
        values[target] = {_fold(k): str(x) for k, x in table.items()}
    date_format = data.get("date_format", "")
    if not isinstance(date_format, str):
        raise MappingError("date_format must be text such as \"%d/%m/%Y\"")
    if date_format:
        try:
            PartialDate.parse_with_format("", date_format)
        except ValueError as exc:
            raise MappingError(f"date_format: {exc}") from None
    separator = data.get("list_separator", "")
    if not isinstance(separator, str):
        raise MappingError("list_separator must be text such as \";\"")
    mapping = Mapping(fields, defaults, values, date_format, separator, when)
    _check_values(mapping)
    return mapping


def _conditional(target: str, spec: dict[str, Any]) -> tuple[Any, dict[str, frozenset[str]]]:
    """``{ column = "year", when = { status = ["Killed"] } }`` → ("year", {"status": {"killed"}})."""
    extra = set(spec) - {"column", "when"}
    condition = spec.get("when")
    if extra or "column" not in spec or not isinstance(condition, dict) or not condition:
        raise MappingError(f"[fields] {target}: write {{ column = \"…\", when = {{ other_column = [\"value\", …] }} }}")
    out: dict[str, frozenset[str]] = {}
    for column, wanted in condition.items():
        items = [wanted] if isinstance(wanted, str) else wanted
        if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
            raise MappingError(f"[fields] {target}: when.{column} must be a value or a list of values")
        out[column] = frozenset(_fold(x) for x in items)
    return spec["column"], out


def _known(target: str, where: str) -> None:
    if target not in TARGETS:
        raise MappingError(f"{where}: unknown target field {target!r}; the fields are: {', '.join(TARGETS)}")


def _check_values(mapping: Mapping) -> None:
    """Defaults and value maps must name registry values that exist: checked once, not on every row."""
    for target in VOCABULARIES:
        candidates = [mapping.defaults.get(target, "")] + list(mapping.values.get(target, {}).values())
        for text in candidates:
            if text and not (target == "occupation"):
                try:
                    vocabulary_value(target, text)
                except RowError as exc:
                    raise MappingError(f"[defaults]/[values.{target}]: {exc}") from None
    for text in [mapping.defaults.get("country", ""), *mapping.values.get("country", {}).values()]:
        if text:
            try:
                normalize_country(text)
            except UnknownCountry as exc:
                raise MappingError(f"[defaults]/[values.country]: {exc}") from None
    for target in DATE_FIELDS:
        if mapping.defaults.get(target):
            try:
                parse_date(mapping.defaults[target], mapping.date_format, target)
            except RowError as exc:
                raise MappingError(f"[defaults]: {exc}") from None
    if mapping.defaults.get("sentence"):
        try:
            parse_sentence(mapping.defaults["sentence"])
        except RowError as exc:
            raise MappingError(f"[defaults]: {exc}") from None

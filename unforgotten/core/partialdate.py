"""Partial dates: "in 2021", "in March 2021", "on 5 March 2021" or unknown.

Records about political prisoners rarely come with exact dates.  A relative
may remember only the year of an arrest; a court record may give the month of
a verdict.  This module keeps such dates partial instead of guessing a day:

* a :class:`PartialDate` stores a year, a month and a day, each of which may be
  missing (a day needs a month and a month needs a year);
* every question asked of a partial date either has an answer that holds for
  every day the date could be, or says that it is uncertain;
* nothing here ever invents a day: "2021" is never silently 1 January 2021.

Statistics rule (conservative "as of" counting)
-----------------------------------------------
A partial date counts as having happened by a given day only once *every* day
it could stand for has passed: a detention that started "in 2021" counts as
started from 31 December 2021, one that started "in March 2021" from 31 March
2021 (see :meth:`PartialDate.counts_as_started_by`).  A completely unknown date
is never counted in or out; it goes to a separate "date uncertain" bucket.  So
an as-of figure can be late, but it is never inflated.

The module is plain Python (no Django) so that importers, the command line and
the web application share one definition.
"""

from __future__ import annotations

import calendar
import enum
import functools
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final, Literal

__all__ = [
    "DaysRange",
    "InvalidPartialDate",
    "PartialDate",
    "Precision",
    "UnknownPartialDate",
    "add_duration",
    "days_between",
    "describe_days_in_detention",
    "parse_with_format",
    "validate_order",
]

MIN_YEAR: Final = 1
MAX_YEAR: Final = 9999

_MONTH_NAMES: Final = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

_UNKNOWN_WORDS: Final = frozenset({"", "unknown"})


class InvalidPartialDate(ValueError):
    """A partial date that cannot exist, or two dates in an impossible order."""


class UnknownPartialDate(ValueError):
    """A computation needs a date that is completely unknown."""


class Precision(enum.StrEnum):
    """How much of a date is known, from nothing to the exact day."""

    UNKNOWN = "unknown"
    YEAR = "year"
    MONTH = "month"
    DAY = "day"


def _month_name(month: int) -> str:
    return _MONTH_NAMES[month - 1]


def _check_whole_number(name: str, value: object) -> None:
    # bool is a subclass of int, but True is not a year.
    if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
        raise InvalidPartialDate(f"{name} must be a whole number or None, got {value!r}")


def _reject_datetime(value: date, what: str) -> None:
    if isinstance(value, datetime):
        raise TypeError(
            f"{what} must be a date, not a datetime: convert it to a date in the "
            "organisation's time zone first"
        )


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date of which the year, the month and the day may each be unknown.

    ``PartialDate()`` is unknown, ``PartialDate(2021)`` is "in 2021",
    ``PartialDate(2021, 3)`` is "in March 2021" and ``PartialDate(2021, 3, 5)``
    is 5 March 2021.  Instances are immutable and hashable; equality is
    structural, so "2021" and "2021-03" are different values.

    There is deliberately no ``<``: whether "2021" is before "2021-03" has no
    single answer.  Sort with ``key=PartialDate.sort_key`` and ask questions
    with :meth:`definitely_before`, :meth:`possibly_before` and friends.
    """

    year: int | None = None
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        year, month, day = self.year, self.month, self.day
        _check_whole_number("year", year)
        _check_whole_number("month", month)
        _check_whole_number("day", day)
        if day is not None and month is None:
            raise InvalidPartialDate(f"day {day} was given without a month: a day needs a month")
        if month is not None and year is None:
            raise InvalidPartialDate(
                f"month {month} was given without a year: a month needs a year"
            )
        if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
            raise InvalidPartialDate(
                f"year {year} is outside the supported range {MIN_YEAR} to {MAX_YEAR}"
            )
        if month is not None and not 1 <= month <= 12:
            raise InvalidPartialDate(f"month {month} does not exist: months run from 1 to 12")
        if day is not None and year is not None and month is not None:
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                message = f"day {day} does not exist in {_month_name(month)} {year}"
                if month == 2 and day == 29:
                    message += f" ({year} is not a leap year)"
                raise InvalidPartialDate(message)

    # -- construction -----------------------------------------------------------

    @classmethod
    def unknown(cls) -> PartialDate:
        """The completely unknown date."""
        return cls()

    @classmethod
    def from_date(cls, value: date) -> PartialDate:
        """An exact (day-precision) partial date; datetimes are refused."""
        _reject_datetime(value, "from_date()")
        return cls(value.year, value.month, value.day)

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse the canonical form: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

        ``""`` and ``"unknown"`` (any case) give the unknown date.  Surrounding
        whitespace is ignored; nothing else is guessed.  Other layouts belong to
        :meth:`parse_with_format`.
        """
        if not isinstance(text, str):
            raise InvalidPartialDate(f"expected text to parse as a partial date, got {text!r}")
        stripped = text.strip()
        if stripped.casefold() in _UNKNOWN_WORDS:
            return cls()
        match = _ISO_PATTERN.fullmatch(stripped)
        if match is None:
            raise InvalidPartialDate(
                f"{text!r} is not a partial date: expected YYYY, YYYY-MM or YYYY-MM-DD "
                "(for example 2021, 2021-03 or 2021-03-05), or an empty value for unknown"
            )
        year, month, day = (int(part) if part else None for part in match.groups())
        try:
            return cls(year, month, day)
        except InvalidPartialDate as error:
            raise InvalidPartialDate(f"{text!r} is not a valid date: {error}") from None

    @classmethod
    def parse_with_format(cls, text: str, fmt: str) -> PartialDate:
        """Parse ``text`` laid out as ``fmt``; parts missing from ``fmt`` stay missing.

        Supported directives: ``%Y`` (four-digit year), ``%m`` (month, 1 or 2
        digits), ``%d`` (day, 1 or 2 digits), ``%B`` / ``%b`` (English month
        name or three-letter abbreviation, any case) and ``%%``.  Any run of
        whitespace in ``fmt`` matches any run of whitespace in ``text``; other
        characters must appear as they are.  ``%y`` is refused: a two-digit year
        would mean inventing a century.  Empty text or ``"unknown"`` gives the
        unknown date, as in :meth:`parse`.

        >>> str(PartialDate.parse_with_format("03/2021", "%m/%Y"))
        '2021-03'

        A malformed ``fmt`` raises plain :class:`ValueError` (a programming
        error); text that does not fit raises :class:`InvalidPartialDate`.
        """
        if not isinstance(text, str):
            raise InvalidPartialDate(f"expected text to parse as a partial date, got {text!r}")
        pattern = _compile_format(fmt)
        stripped = text.strip()
        if stripped.casefold() in _UNKNOWN_WORDS:
            return cls()
        match = pattern.fullmatch(stripped)
        if match is None:
            raise InvalidPartialDate(f"{text!r} does not match the date format {fmt!r}")
        parts = match.groupdict()
        year = int(parts["year"]) if parts.get("year") else None
        month: int | None = None
        if parts.get("month"):
            month = int(parts["month"])
        elif parts.get("month_name"):
            month = _MONTHS_BY_NAME[parts["month_name"].casefold()]
        day = int(parts["day"]) if parts.get("day") else None
        try:
            return cls(year, month, day)
        except InvalidPartialDate as error:
            raise InvalidPartialDate(f"{text!r} is not a valid date: {error}") from None

    # -- what is known ----------------------------------------------------------

    @property
    def precision(self) -> Precision:
        if self.year is None:
            return Precision.UNKNOWN
        if self.month is None:
            return Precision.YEAR
        if self.day is None:
            return Precision.MONTH
        return Precision.DAY

    @property
    def is_unknown(self) -> bool:
        return self.year is None

    @property
    def is_exact(self) -> bool:
        """True when the day is known."""
        return self.day is not None

    def as_date(self) -> date | None:
        """The date itself when the day is known, else None (never a guess)."""
        if self.year is None or self.month is None or self.day is None:
            return None
        return date(self.year, self.month, self.day)

    def earliest(self) -> date | None:
        """The first day this date could be ("2021" -> 2021-01-01); None if unknown."""
        if self.year is None:
            return None
        return date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> date | None:
        """The last day this date could be ("2021-02" -> 2021-02-28); None if unknown."""
        if self.year is None:
            return None
        if self.month is None:
            return date(self.year, 12, 31)
        if self.day is None:
            return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return date(self.year, self.month, self.day)

    def bounds(self) -> tuple[date, date] | None:
        """``(earliest(), latest())``, or None if unknown."""
        earliest, latest = self.earliest(), self.latest()
        if earliest is None or latest is None:
            return None
        return earliest, latest

    def __str__(self) -> str:
        """The canonical form: "2021", "2021-03", "2021-03-05", or "" if unknown."""
        if self.year is None:
            return ""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    # -- ordering ----------------------------------------------------------------

    def sort_key(self) -> tuple[int, int, int, int]:
        """A total order for sorting lists: chronological, coarse before fine.

        "2021" sorts before "2021-01", which sorts before "2021-01-01"; unknown
        dates sort after every known one.  For known dates this is the order of
        their canonical strings (``str()``).  The empty string of an unknown date
        sorts *first* as text, so code that sorts the stored strings must put
        empty values last itself.  Sorting is not a claim about what happened
        first: use :meth:`definitely_before` for that.
        """
        if self.year is None:
            return (1, 0, 0, 0)
        return (0, self.year, self.month or 0, self.day or 0)

    def definitely_before(self, other: PartialDate | date) -> bool:
        """True when every day this could be is before every day ``other`` could be."""
        mine, theirs = self.bounds(), _coerce(other, "other").bounds()
        if mine is None or theirs is None:
            return False
        return mine[1] < theirs[0]

    def possibly_before(self, other: PartialDate | date) -> bool:
        """True when some day this could be is before some day ``other`` could be.

        Unknown dates are possibly before (and possibly after) anything.
        """
        mine, theirs = self.bounds(), _coerce(other, "other").bounds()
        if mine is None or theirs is None:
            return True
        return mine[0] < theirs[1]

    def definitely_after(self, other: PartialDate | date) -> bool:
        """True when every day this could be is after every day ``other`` could be."""
        return _coerce(other, "other").definitely_before(self)

    def possibly_after(self, other: PartialDate | date) -> bool:
        """True when some day this could be is after some day ``other`` could be."""
        return _coerce(other, "other").possibly_before(self)

    def is_before(self, other: PartialDate | date) -> bool | None:
        """Three-valued "before": True if definitely, False if definitely not, else None."""
        if self.definitely_before(other):
            return True
        if not self.possibly_before(other):
            return False
        return None

    def overlaps(self, other: PartialDate | date) -> bool:
        """True when both dates could be the same day (an unknown date overlaps anything).

        For any two dates exactly one holds: ``a.definitely_before(b)``,
        ``b.definitely_before(a)`` or ``a.overlaps(b)``.
        """
        mine, theirs = self.bounds(), _coerce(other, "other").bounds()
        if mine is None or theirs is None:
            return True
        return mine[0] <= theirs[1] and theirs[0] <= mine[1]

    # -- "as of" questions ---------------------------------------------------------

    def known_on_or_before(self, as_of: date) -> bool | None:
        """Was this date on or before ``as_of``?

        True when even the latest possible day is on or before ``as_of``, False
        when even the earliest possible day is after it, None when it depends
        on the unknown part (or the date is unknown).
        """
        _reject_datetime(as_of, "as_of")
        bounds = self.bounds()
        if bounds is None:
            return None
        if bounds[1] <= as_of:
            return True
        if bounds[0] > as_of:
            return False
        return None

    def counts_as_started_by(self, as_of: date) -> bool | None:
        """The statistics rule: does something that started on this date count by ``as_of``?

        A partial date counts only once its *latest* possible day has come: a
        detention "in 2021" counts as started from 31 December 2021, so as-of
        counts are never inflated.  Returns None for an unknown date, which
        belongs in a separate "date uncertain" bucket rather than being guessed
        in or out.
        """
        _reject_datetime(as_of, "as_of")
        latest = self.latest()
        if latest is None:
            return None
        return latest <= as_of

    # -- arithmetic ------------------------------------------------------------------

    def shifted_bounds(
        self, years: int = 0, months: int = 0, days: int = 0
    ) -> tuple[date, date] | None:
        """The first and last day that this date plus the duration could be.

        Uses the calendar arithmetic of :func:`add_duration`, which never moves
        a later start to an earlier result, so every possible outcome lies
        between the two bounds.  None for an unknown date.
        """
        bounds = self.bounds()
        if bounds is None:
            return None
        return (
            add_duration(bounds[0], years, months, days),
            add_duration(bounds[1], years, months, days),
        )

    def add_duration(self, years: int = 0, months: int = 0, days: int = 0) -> PartialDate:
        """This date plus a duration, at the same precision when that is honest.

        "2021" + 5 years is "2026", "2021-03" + 2 years 6 months is "2023-09",
        and an exact date gives an exact date.  When the duration is finer than
        what is known, the possible outcomes can straddle a boundary ("2021-03"
        + 20 days may end in March or April); the result is then the finest
        period that contains them all ("2021"), or unknown, never a guess.
        Use :meth:`shifted_bounds` for the exact range.  An unknown date stays
        unknown.
        """
        shifted = self.shifted_bounds(years, months, days)
        if shifted is None:
            return PartialDate()
        first, last = shifted
        precision = self.precision
        if precision is Precision.DAY:
            return PartialDate.from_date(first)
        if precision is Precision.MONTH and (first.year, first.month) == (last.year, last.month):
            return PartialDate(first.year, first.month)
        if first.year == last.year:
            return PartialDate(first.year)
        return PartialDate()


_ISO_PATTERN: Final = re.compile(
    r"(?P<year>[0-9]{4})(?:-(?P<month>[0-9]{2})(?:-(?P<day>[0-9]{2}))?)?", re.ASCII
)

_MONTHS_BY_NAME: Final[dict[str, int]] = {
    **{name.casefold(): number for number, name in enumerate(_MONTH_NAMES, start=1)},
    **{name[:3].casefold(): number for number, name in enumerate(_MONTH_NAMES, start=1)},
}

_FORMAT_DIRECTIVES: Final[dict[str, tuple[str, str]]] = {
    # directive: (group name, pattern)
    "Y": ("year", r"[0-9]{4}"),
    "m": ("month", r"[0-9]{1,2}"),
    "d": ("day", r"[0-9]{1,2}"),
    "B": ("month_name", "|".join(sorted(_MONTHS_BY_NAME, key=len, reverse=True))),
    "b": ("month_name", "|".join(sorted(_MONTHS_BY_NAME, key=len, reverse=True))),
}


@functools.lru_cache(maxsize=64)
def _compile_format(fmt: str) -> re.Pattern[str]:
    if not isinstance(fmt, str) or not fmt:
        raise ValueError(f"a date format must be non-empty text, got {fmt!r}")
    pieces: list[str] = []
    seen: set[str] = set()
    index = 0
    while index < len(fmt):
        char = fmt[index]
        if char == "%":
            if index + 1 >= len(fmt):
                raise ValueError(f"date format {fmt!r} ends with a lone '%'")
            directive = fmt[index + 1]
            index += 2
            if directive == "%":
                pieces.append("%")
                continue
            if directive == "y":
                raise ValueError(
                    f"date format {fmt!r} uses %y: two-digit years are refused because "
                    "the century would be a guess; use %Y"
                )
            if directive not in _FORMAT_DIRECTIVES:
                raise ValueError(
                    f"date format {fmt!r} uses %{directive}, which is not supported: "
                    "use %Y, %m, %d, %B, %b or %%"
                )
            group, pattern = _FORMAT_DIRECTIVES[directive]
            if group in seen:
                raise ValueError(f"date format {fmt!r} gives the {group.split('_')[0]} twice")
            seen.add(group)
            pieces.append(f"(?P<{group}>{pattern})")
        elif char.isspace():
            while index < len(fmt) and fmt[index].isspace():
                index += 1
            pieces.append(r"\s+")
        else:
            pieces.append(re.escape(char))
            index += 1
    has_month = "month" in seen or "month_name" in seen
    if "month" in seen and "month_name" in seen:
        raise ValueError(f"date format {fmt!r} gives the month twice")
    if "day" in seen and not has_month:
        raise ValueError(f"date format {fmt!r} has a day (%d) but no month")
    if has_month and "year" not in seen:
        raise ValueError(f"date format {fmt!r} has a month but no year (%Y)")
    if not seen:
        raise ValueError(f"date format {fmt!r} has no date directive (%Y, %m, %d, %B, %b)")
    return re.compile("".join(pieces), re.IGNORECASE | re.ASCII)


parse_with_format = PartialDate.parse_with_format


def _coerce(value: PartialDate | date, what: str) -> PartialDate:
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, date):
        _reject_datetime(value, what)
        return PartialDate.from_date(value)
    raise TypeError(f"{what} must be a PartialDate or a date, got {value!r}")


def add_duration(start: date, years: int = 0, months: int = 0, days: int = 0) -> date:
    """Calendar arithmetic for sentence lengths: add years and months, then days.

    A day that does not exist in the target month is moved back to the month's
    last day: 29 February 2020 + 1 year is 28 February 2021 and 31 January +
    1 month is the last day of February.  Raises :class:`InvalidPartialDate` when
    the result falls outside years 1 to 9999.
    """
    _reject_datetime(start, "start")
    month_index = start.year * 12 + (start.month - 1) + years * 12 + months
    year, month0 = divmod(month_index, 12)
    month = month0 + 1
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidPartialDate(
            f"{start.isoformat()} plus {years} years and {months} months falls outside "
            f"the years {MIN_YEAR} to {MAX_YEAR}"
        )
    day = min(start.day, calendar.monthrange(year, month)[1])
    try:
        return date(year, month, day) + timedelta(days=days)
    except OverflowError:
        raise InvalidPartialDate(
            f"{start.isoformat()} plus {years} years, {months} months and {days} days "
            f"falls outside the years {MIN_YEAR} to {MAX_YEAR}"
        ) from None


def validate_order(
    start: PartialDate | date,
    end: PartialDate | date,
    *,
    start_label: str = "start date",
    end_label: str = "end date",
) -> None:
    """Refuse an end that is definitely before its start; allow anything uncertain.

    ``validate_order(arrest, release, start_label="arrest date",
    end_label="release date")`` raises "release date 2020 is before arrest date
    2021-03".  An end on the same day as the start, overlapping partial dates and
    unknown dates are all accepted.
    """
    first, second = _coerce(start, start_label), _coerce(end, end_label)
    if second.definitely_before(first):
        raise InvalidPartialDate(f"{end_label} {second} is before {start_label} {first}")


@dataclass(frozen=True, slots=True)
class DaysRange:
    """The number of days between two dates, as a range when a date is partial.

    ``minimum`` is the figure that is safe to publish ("at least"), ``maximum``
    the most it could be; ``exact`` is True when only one count is possible
    (always when both dates are exact days).
    """

    minimum: int
    maximum: int
    exact: bool

    def __post_init__(self) -> None:
        if self.minimum > self.maximum:
            raise ValueError(f"minimum {self.minimum} is more than maximum {self.maximum}")
        if self.exact and self.minimum != self.maximum:
            raise ValueError("an exact range must have minimum == maximum")

    @property
    def qualifier(self) -> Literal["exact", "at_least", "at_most"]:
        """How to word :attr:`figure`: "exact", "at_least" or "at_most".

        "at_most" is used only when the minimum is 0 (the dates overlap), where
        "at least 0 days" would say nothing.
        """
        if self.exact:
            return "exact"
        if self.minimum > 0:
            return "at_least"
        return "at_most"

    @property
    def figure(self) -> int:
        """The number to show with :attr:`qualifier`."""
        return self.maximum if self.qualifier == "at_most" else self.minimum


def days_between(start: PartialDate | date, end: PartialDate | date) -> DaysRange:
    """Days from ``start`` to ``end``; a range when either is partial.

    The minimum runs from the latest possible start to the earliest possible
    end, the maximum from the earliest start to the latest end.  An end cannot
    come before its start, so when the two dates overlap the minimum is 0, and
    an end definitely before the start raises :class:`InvalidPartialDate`.  An
    unknown date raises :class:`UnknownPartialDate`.
    """
    first, second = _coerce(start, "start"), _coerce(end, "end")
    first_bounds, second_bounds = first.bounds(), second.bounds()
    if first_bounds is None:
        raise UnknownPartialDate("cannot count days: the start date is unknown")
    if second_bounds is None:
        raise UnknownPartialDate("cannot count days: the end date is unknown")
    validate_order(first, second)
    minimum = max(0, (second_bounds[0] - first_bounds[1]).days)
    maximum = (second_bounds[1] - first_bounds[0]).days
    # Exact when only one count is possible: both days known, or a partial start
    # pinned down by the end ("2000" ending on 2000-01-01 can only be 0 days).
    return DaysRange(minimum=minimum, maximum=maximum, exact=minimum == maximum)


def _days(count: int) -> str:
    return f"{count:,} day" if count == 1 else f"{count:,} days"


def describe_days_in_detention(start: PartialDate | date, end_or_today: PartialDate | date) -> str:
    """Plain English for tests and logs: "1,234 days", "at least 1,200 days".

    "at most N days" when the dates overlap, "unknown number of days" when a
    date is unknown.  The interface translates its own wording from
    :func:`days_between` (``qualifier`` and ``figure``).
    """
    try:
        days = days_between(start, end_or_today)
    except UnknownPartialDate:
        return "unknown number of days"
    if days.qualifier == "exact":
        return _days(days.figure)
    if days.qualifier == "at_least":
        return f"at least {_days(days.figure)}"
    return f"at most {_days(days.figure)}"

"""Tests for partial dates: round trips, ordering, honesty of every figure."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from unforgotten.core.partialdate import (
    DaysRange,
    InvalidPartialDate,
    PartialDate,
    Precision,
    UnknownPartialDate,
    add_duration,
    days_between,
    describe_days_in_detention,
    parse_with_format,
    validate_order,
)

# No example database on disk, and no deadline: CI machines are slow and shared.
quick = settings(database=None, deadline=None)

PRECISIONS = [Precision.YEAR, Precision.MONTH, Precision.DAY]


@st.composite
def known_dates(draw: st.DrawFn) -> PartialDate:
    day = draw(st.dates())
    precision = draw(st.sampled_from(PRECISIONS))
    if precision is Precision.YEAR:
        return PartialDate(day.year)
    if precision is Precision.MONTH:
        return PartialDate(day.year, day.month)
    return PartialDate.from_date(day)


partial_dates = st.one_of(st.just(PartialDate()), known_dates())


def a_day_within(data: st.DataObject, value: PartialDate) -> date:
    bounds = value.bounds()
    assert bounds is not None
    return data.draw(st.dates(min_value=bounds[0], max_value=bounds[1]))


# -- construction and validation -----------------------------------------------


def test_it_builds_each_precision() -> None:
    assert PartialDate().precision is Precision.UNKNOWN
    assert PartialDate(2021).precision is Precision.YEAR
    assert PartialDate(2021, 3).precision is Precision.MONTH
    assert PartialDate(2021, 3, 5).precision is Precision.DAY
    assert PartialDate().is_unknown
    assert not PartialDate(2021).is_unknown
    assert PartialDate.unknown() == PartialDate()


def test_it_is_hashable_and_frozen() -> None:
    assert {PartialDate(2021), PartialDate(2021), PartialDate(2021, 3)} == {
        PartialDate(2021),
        PartialDate(2021, 3),
    }
    with pytest.raises(AttributeError):
        PartialDate(2021).year = 2022  # type: ignore[misc]


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ((2021, 2, 31), "day 31 does not exist in February 2021"),
        ((2021, 2, 29), "day 29 does not exist in February 2021 (2021 is not a leap year)"),
        ((2021, 4, 31), "day 31 does not exist in April 2021"),
        ((2021, 3, 0), "day 0 does not exist in March 2021"),
        ((2021, 13, None), "month 13 does not exist"),
        ((2021, 0, None), "month 0 does not exist"),
        ((2021, None, 5), "day 5 was given without a month"),
        ((None, 3, None), "month 3 was given without a year"),
        ((None, None, 5), "day 5 was given without a month"),
        ((0, None, None), "year 0 is outside the supported range 1 to 9999"),
        ((10000, None, None), "year 10000 is outside"),
        ((True, None, None), "year must be a whole number"),
        (("2021", None, None), "year must be a whole number"),
    ],
)
def test_it_refuses_impossible_dates_with_a_clear_message(
    parts: tuple[object, object, object], message: str
) -> None:
    with pytest.raises(InvalidPartialDate) as error:
        PartialDate(*parts)  # type: ignore[arg-type]
    assert message in str(error.value)
    assert isinstance(error.value, ValueError)


def test_it_accepts_29_february_in_leap_years_only() -> None:
    assert PartialDate(2020, 2, 29).latest() == date(2020, 2, 29)
    assert PartialDate(2000, 2, 29).is_exact
    with pytest.raises(InvalidPartialDate):
        PartialDate(1900, 2, 29)


@quick
@given(st.integers(1, 9999), st.integers(1, 12), st.integers(-5, 40))
def test_it_validates_days_like_the_calendar(year: int, month: int, day: int) -> None:
    last = calendar.monthrange(year, month)[1]
    if 1 <= day <= last:
        assert PartialDate(year, month, day).as_date() == date(year, month, day)
    else:
        with pytest.raises(InvalidPartialDate, match=f"day {day} does not exist"):
            PartialDate(year, month, day)


@quick
@given(st.integers(1, 9999), st.one_of(st.integers(max_value=0), st.integers(min_value=13)))
def test_it_refuses_months_outside_1_to_12(year: int, month: int) -> None:
    with pytest.raises(InvalidPartialDate, match=f"month {month} does not exist"):
        PartialDate(year, month)


def test_it_builds_from_a_date_but_not_a_datetime() -> None:
    assert PartialDate.from_date(date(2021, 3, 5)) == PartialDate(2021, 3, 5)
    with pytest.raises(TypeError, match="not a datetime"):
        PartialDate.from_date(datetime(2021, 3, 5, 12, 0))


# -- parsing and the canonical string -----------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", PartialDate()),
        ("   ", PartialDate()),
        ("unknown", PartialDate()),
        (" Unknown ", PartialDate()),
        ("2021", PartialDate(2021)),
        ("2021-03", PartialDate(2021, 3)),
        ("2021-03-05", PartialDate(2021, 3, 5)),
        ("  2021-03-05\n", PartialDate(2021, 3, 5)),
        ("0044", PartialDate(44)),
    ],
)
def test_it_parses_the_canonical_forms(text: str, expected: PartialDate) -> None:
    assert PartialDate.parse(text) == expected


@pytest.mark.parametrize(
    "text", ["03/2021", "5.3.2021", "2021-3", "2021-03-5", "21", "20210305", "2021-", "٢٠٢١"]
)
def test_it_refuses_other_layouts(text: str) -> None:
    with pytest.raises(InvalidPartialDate, match="expected YYYY, YYYY-MM or YYYY-MM-DD"):
        PartialDate.parse(text)


def test_it_names_the_problem_when_a_canonical_string_is_impossible() -> None:
    with pytest.raises(InvalidPartialDate) as error:
        PartialDate.parse("2021-02-31")
    assert (
        str(error.value)
        == "'2021-02-31' is not a valid date: day 31 does not exist in February 2021"
    )
    with pytest.raises(InvalidPartialDate, match="month 13 does not exist"):
        PartialDate.parse("2021-13")
    with pytest.raises(InvalidPartialDate, match="year 0 is outside"):
        PartialDate.parse("0000")


def test_it_writes_the_canonical_form() -> None:
    assert str(PartialDate()) == ""
    assert str(PartialDate(2021)) == "2021"
    assert str(PartialDate(2021, 3)) == "2021-03"
    assert str(PartialDate(2021, 3, 5)) == "2021-03-05"
    assert str(PartialDate(44, 1, 2)) == "0044-01-02"


@quick
@given(partial_dates)
def test_it_round_trips_through_the_canonical_string(value: PartialDate) -> None:
    assert PartialDate.parse(str(value)) == value


@pytest.mark.parametrize(
    ("text", "fmt", "expected"),
    [
        ("05/03/2021", "%d/%m/%Y", PartialDate(2021, 3, 5)),
        ("5/3/2021", "%d/%m/%Y", PartialDate(2021, 3, 5)),
        ("2021", "%Y", PartialDate(2021)),
        ("03/2021", "%m/%Y", PartialDate(2021, 3)),
        ("March 2021", "%B %Y", PartialDate(2021, 3)),
        ("5  mar   2021", "%d %b %Y", PartialDate(2021, 3, 5)),
        ("2021.03", "%Y.%m", PartialDate(2021, 3)),
        ("100% 2021", "100%% %Y", PartialDate(2021)),
        ("", "%d/%m/%Y", PartialDate()),
        ("unknown", "%Y", PartialDate()),
    ],
)
def test_it_parses_importer_formats_keeping_missing_parts_missing(
    text: str, fmt: str, expected: PartialDate
) -> None:
    assert parse_with_format(text, fmt) == expected
    assert PartialDate.parse_with_format(text, fmt) == expected


def test_it_refuses_text_that_does_not_fit_the_format() -> None:
    with pytest.raises(InvalidPartialDate, match="does not match the date format '%d/%m/%Y'"):
        parse_with_format("2021-03-05", "%d/%m/%Y")
    with pytest.raises(InvalidPartialDate, match="day 31 does not exist in February 2021"):
        parse_with_format("31/02/2021", "%d/%m/%Y")
    with pytest.raises(InvalidPartialDate, match="does not match"):
        parse_with_format("21", "%Y")


@pytest.mark.parametrize(
    ("fmt", "message"),
    [
        ("%d/%m/%y", "two-digit years are refused"),
        ("%d/%Y", "has a day"),
        ("%m", "has a month but no year"),
        ("%Y-%j", "%j, which is not supported"),
        ("%Y %Y", "gives the year twice"),
        ("%m %B %Y", "gives the month twice"),
        ("%Y%", "lone '%'"),
        ("//", "no date directive"),
        ("", "non-empty"),
    ],
)
def test_it_refuses_malformed_formats(fmt: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as error:
        parse_with_format("2021", fmt)
    assert not isinstance(error.value, InvalidPartialDate)


# -- bounds ---------------------------------------------------------------------------


def test_it_gives_the_first_and_last_possible_day() -> None:
    assert PartialDate(2021).earliest() == date(2021, 1, 1)
    assert PartialDate(2021).latest() == date(2021, 12, 31)
    assert PartialDate(2021, 2).earliest() == date(2021, 2, 1)
    assert PartialDate(2021, 2).latest() == date(2021, 2, 28)
    assert PartialDate(2020, 2).latest() == date(2020, 2, 29)
    assert PartialDate(2021, 3, 5).bounds() == (date(2021, 3, 5), date(2021, 3, 5))
    assert PartialDate().earliest() is None
    assert PartialDate().latest() is None
    assert PartialDate().bounds() is None


def test_it_never_invents_a_day() -> None:
    assert PartialDate(2021, 3).as_date() is None
    assert PartialDate(2021).as_date() is None
    assert PartialDate().as_date() is None
    assert PartialDate(2021, 3, 5).as_date() == date(2021, 3, 5)


@quick
@given(known_dates())
def test_it_keeps_earliest_on_or_before_latest(value: PartialDate) -> None:
    earliest, latest = value.earliest(), value.latest()
    assert earliest is not None and latest is not None
    assert earliest <= latest
    assert (earliest == latest) == (value.precision is Precision.DAY)
    assert PartialDate.parse(str(value)[:4]) == PartialDate(earliest.year)


# -- ordering -----------------------------------------------------------------------------


def test_it_sorts_years_before_their_months_and_unknown_last() -> None:
    dates = [
        PartialDate(),
        PartialDate(2021, 3, 5),
        PartialDate(2021, 3),
        PartialDate(2020, 12, 31),
        PartialDate(2021),
        PartialDate(2021, 1),
    ]
    assert [str(d) for d in sorted(dates, key=PartialDate.sort_key)] == [
        "2020-12-31",
        "2021",
        "2021-01",
        "2021-03",
        "2021-03-05",
        "",
    ]


def test_it_offers_no_less_than_operator() -> None:
    with pytest.raises(TypeError):
        _ = PartialDate(2021) < PartialDate(2022)  # type: ignore[operator]


@quick
@given(known_dates(), known_dates())
def test_it_sorts_known_dates_like_their_strings(a: PartialDate, b: PartialDate) -> None:
    assert (a.sort_key() < b.sort_key()) == (str(a) < str(b))
    assert (a.sort_key() == b.sort_key()) == (str(a) == str(b)) == (a == b)


@quick
@given(known_dates(), known_dates())
def test_it_sorts_consistently_with_earliest(a: PartialDate, b: PartialDate) -> None:
    first, second = sorted([a, b], key=PartialDate.sort_key)
    first_earliest, second_earliest = first.earliest(), second.earliest()
    assert first_earliest is not None and second_earliest is not None
    assert first_earliest <= second_earliest


@quick
@given(known_dates())
def test_it_sorts_unknown_after_every_known_date(value: PartialDate) -> None:
    assert value.sort_key() < PartialDate().sort_key()


def test_it_answers_before_questions_in_three_values() -> None:
    year, march, fifth = PartialDate(2021), PartialDate(2021, 3), PartialDate(2021, 3, 5)
    assert PartialDate(2020).definitely_before(march)
    assert not year.definitely_before(march)
    assert year.possibly_before(march)
    assert march.possibly_before(year)
    assert march.overlaps(fifth)
    assert not PartialDate(2021, 2).overlaps(fifth)
    assert PartialDate(2021, 4).definitely_after(fifth)
    assert fifth.definitely_before(date(2021, 3, 6))
    assert not fifth.possibly_before(fifth)
    assert fifth.is_before(date(2021, 3, 6)) is True
    assert fifth.is_before(date(2021, 3, 5)) is False
    assert year.is_before(fifth) is None
    unknown = PartialDate()
    assert not unknown.definitely_before(year)
    assert unknown.possibly_before(year)
    assert unknown.possibly_after(year)
    assert unknown.overlaps(year)
    assert unknown.is_before(year) is None


@quick
@given(partial_dates, partial_dates)
def test_it_keeps_the_three_valued_comparisons_consistent(a: PartialDate, b: PartialDate) -> None:
    if a.definitely_before(b):
        assert a.possibly_before(b)
        assert not a.possibly_after(b)
        assert b.definitely_after(a)
        assert a.is_before(b) is True
    # Exactly one of: a before b, b before a, they could be the same day.
    assert [a.definitely_before(b), b.definitely_before(a), a.overlaps(b)].count(True) == 1
    assert a.overlaps(b) == b.overlaps(a)


@quick
@given(known_dates(), known_dates(), st.data())
def test_it_only_says_definitely_when_every_possible_day_agrees(
    a: PartialDate, b: PartialDate, data: st.DataObject
) -> None:
    day_a, day_b = a_day_within(data, a), a_day_within(data, b)
    if a.definitely_before(b):
        assert day_a < day_b
    if not a.possibly_before(b):
        assert not day_a < day_b
    if not a.overlaps(b):
        assert day_a != day_b


# -- as of --------------------------------------------------------------------------------


def test_it_knows_what_had_happened_as_of_a_day() -> None:
    arrest = PartialDate(2021, 3)
    assert arrest.known_on_or_before(date(2021, 3, 31)) is True
    assert arrest.known_on_or_before(date(2021, 2, 28)) is False
    assert arrest.known_on_or_before(date(2021, 3, 15)) is None
    assert PartialDate().known_on_or_before(date(2021, 3, 15)) is None


def test_it_counts_a_partial_start_only_from_the_end_of_its_period() -> None:
    detained_in_2021 = PartialDate(2021)
    assert detained_in_2021.counts_as_started_by(date(2021, 6, 30)) is False
    assert detained_in_2021.counts_as_started_by(date(2021, 12, 30)) is False
    assert detained_in_2021.counts_as_started_by(date(2021, 12, 31)) is True
    assert detained_in_2021.counts_as_started_by(date(2022, 1, 1)) is True
    assert PartialDate(2021, 3).counts_as_started_by(date(2021, 3, 31)) is True
    assert PartialDate(2021, 3, 5).counts_as_started_by(date(2021, 3, 5)) is True
    assert PartialDate(2021, 3, 5).counts_as_started_by(date(2021, 3, 4)) is False
    # Unknown starts go to the "date uncertain" bucket.
    assert PartialDate().counts_as_started_by(date(2021, 3, 5)) is None


def test_it_refuses_a_datetime_as_of() -> None:
    with pytest.raises(TypeError, match="not a datetime"):
        PartialDate(2021).counts_as_started_by(datetime(2022, 1, 1))
    with pytest.raises(TypeError, match="not a datetime"):
        PartialDate(2021).known_on_or_before(datetime(2022, 1, 1))


@quick
@given(partial_dates, st.dates())
def test_it_never_counts_a_start_that_may_not_have_happened(
    value: PartialDate, as_of: date
) -> None:
    counted = value.counts_as_started_by(as_of)
    known = value.known_on_or_before(as_of)
    if value.is_unknown:
        assert counted is None and known is None
        return
    assert counted is (known is True)
    if counted:
        latest = value.latest()
        assert latest is not None and latest <= as_of


# -- durations -------------------------------------------------------------------------------


def test_it_counts_days_exactly_between_exact_dates() -> None:
    assert days_between(date(2021, 1, 1), date(2024, 5, 19)) == DaysRange(1234, 1234, True)
    assert describe_days_in_detention(date(2021, 1, 1), date(2024, 5, 19)) == "1,234 days"
    assert describe_days_in_detention(date(2021, 1, 1), date(2021, 1, 2)) == "1 day"
    assert describe_days_in_detention(date(2021, 1, 1), date(2021, 1, 1)) == "0 days"


def test_it_says_at_least_when_the_start_is_partial() -> None:
    today = date(2024, 6, 1)
    days = days_between(PartialDate(2021), today)
    # From the latest possible start (31 Dec 2021) to today, and from the earliest.
    assert days == DaysRange(minimum=883, maximum=1247, exact=False)
    assert (days.qualifier, days.figure) == ("at_least", 883)
    assert describe_days_in_detention(PartialDate(2021), today) == "at least 883 days"
    assert (
        describe_days_in_detention(PartialDate(2020, 9), date(2024, 1, 13)) == "at least 1,200 days"
    )


def test_it_uses_the_earliest_possible_end_for_the_minimum() -> None:
    days = days_between(PartialDate(2021, 3, 5), PartialDate(2022, 3))
    assert days == DaysRange(minimum=361, maximum=391, exact=False)
    assert describe_days_in_detention(PartialDate(2021, 3, 5), PartialDate(2022, 3)) == (
        "at least 361 days"
    )


def test_it_says_at_most_when_the_dates_overlap() -> None:
    days = days_between(PartialDate(2024), date(2024, 6, 1))
    assert days == DaysRange(minimum=0, maximum=152, exact=False)
    assert (days.qualifier, days.figure) == ("at_most", 152)
    assert describe_days_in_detention(PartialDate(2024), date(2024, 6, 1)) == "at most 152 days"


def test_it_says_when_the_number_of_days_is_unknown() -> None:
    assert describe_days_in_detention(PartialDate(), date(2024, 6, 1)) == "unknown number of days"
    assert describe_days_in_detention(PartialDate(2021), PartialDate()) == "unknown number of days"
    with pytest.raises(UnknownPartialDate, match="start date is unknown"):
        days_between(PartialDate(), date(2024, 6, 1))
    with pytest.raises(UnknownPartialDate, match="end date is unknown"):
        days_between(PartialDate(2021), PartialDate())


def test_it_refuses_to_count_backwards() -> None:
    with pytest.raises(InvalidPartialDate, match="end date 2020 is before start date 2021-03"):
        days_between(PartialDate(2021, 3), PartialDate(2020))
    with pytest.raises(InvalidPartialDate):
        describe_days_in_detention(date(2021, 3, 5), date(2021, 3, 4))


@quick
@given(known_dates(), known_dates(), st.data())
def test_it_keeps_every_possible_duration_within_the_range(
    start: PartialDate, end: PartialDate, data: st.DataObject
) -> None:
    if end.definitely_before(start):
        with pytest.raises(InvalidPartialDate):
            days_between(start, end)
        return
    days = days_between(start, end)
    assert 0 <= days.minimum <= days.maximum
    if start.is_exact and end.is_exact:
        assert days.exact
    assert days.exact == (days.minimum == days.maximum)
    day_start, day_end = a_day_within(data, start), a_day_within(data, end)
    assume(day_start <= day_end)
    assert days.minimum <= (day_end - day_start).days <= days.maximum


@pytest.mark.parametrize(
    ("start", "years", "months", "days", "expected"),
    [
        (date(2020, 2, 29), 1, 0, 0, date(2021, 2, 28)),
        (date(2020, 2, 29), 4, 0, 0, date(2024, 2, 29)),
        (date(2021, 1, 31), 0, 1, 0, date(2021, 2, 28)),
        (date(2020, 1, 31), 0, 1, 0, date(2020, 2, 29)),
        (date(2021, 3, 5), 5, 6, 0, date(2026, 9, 5)),
        (date(2021, 11, 30), 0, 3, 0, date(2022, 2, 28)),
        (date(2021, 3, 5), 0, 0, 30, date(2021, 4, 4)),
        (date(2021, 1, 31), 0, 1, 1, date(2021, 3, 1)),
        (date(2021, 3, 5), 0, -3, 0, date(2020, 12, 5)),
    ],
)
def test_it_adds_sentence_lengths_in_calendar_terms(
    start: date, years: int, months: int, days: int, expected: date
) -> None:
    assert add_duration(start, years, months, days) == expected


def test_it_refuses_results_outside_the_calendar() -> None:
    with pytest.raises(InvalidPartialDate, match="outside the years 1 to 9999"):
        add_duration(date(9990, 1, 1), years=20)
    with pytest.raises(InvalidPartialDate, match="outside the years 1 to 9999"):
        add_duration(date(9999, 12, 1), days=40)


def test_it_adds_durations_to_partial_dates_at_the_same_precision() -> None:
    assert PartialDate(2021).add_duration(years=5) == PartialDate(2026)
    assert PartialDate(2021, 3).add_duration(years=2, months=6) == PartialDate(2023, 9)
    assert PartialDate(2021, 3).add_duration(months=11) == PartialDate(2022, 2)
    assert PartialDate(2020, 2, 29).add_duration(years=1) == PartialDate(2021, 2, 28)
    assert PartialDate().add_duration(years=5) == PartialDate()


def test_it_widens_rather_than_guesses_when_the_duration_is_finer_than_the_date() -> None:
    # Twenty days after "some day in March 2021" may be in March or in April.
    assert PartialDate(2021, 3).add_duration(days=20) == PartialDate(2021)
    assert PartialDate(2021, 3).shifted_bounds(days=20) == (date(2021, 3, 21), date(2021, 4, 20))
    # Six months after "some day in 2021" may be in 2021 or in 2022.
    assert PartialDate(2021).add_duration(years=5, months=6) == PartialDate()
    assert PartialDate(2021).shifted_bounds(years=5, months=6) == (
        date(2026, 7, 1),
        date(2027, 6, 30),
    )
    assert PartialDate().shifted_bounds(years=1) is None


@quick
@given(
    known_dates(),
    st.integers(0, 30),
    st.integers(0, 24),
    st.integers(0, 400),
    st.data(),
)
def test_it_adds_durations_honestly(
    value: PartialDate, years: int, months: int, days: int, data: st.DataObject
) -> None:
    day = a_day_within(data, value)
    try:
        result = value.add_duration(years, months, days)
        exact = add_duration(day, years, months, days)
    except InvalidPartialDate:
        return
    bounds = result.bounds()
    # Every day the start could be lands inside the (possibly coarser) result.
    if bounds is not None:
        assert bounds[0] <= exact <= bounds[1]
    if days == 0 and (value.precision is not Precision.YEAR or months == 0):
        assert result.precision is value.precision
    if value.is_exact:
        assert result == PartialDate.from_date(exact)


def test_it_refuses_an_end_definitely_before_its_start() -> None:
    with pytest.raises(InvalidPartialDate) as error:
        validate_order(
            PartialDate(2021, 3),
            PartialDate(2020),
            start_label="arrest date",
            end_label="release date",
        )
    assert str(error.value) == "release date 2020 is before arrest date 2021-03"
    with pytest.raises(InvalidPartialDate, match="end date 2021-03-04 is before start date"):
        validate_order(date(2021, 3, 5), date(2021, 3, 4))


def test_it_allows_uncertain_and_same_day_orders() -> None:
    validate_order(PartialDate(2021, 3), PartialDate(2021))
    validate_order(PartialDate(2021), PartialDate(2021, 1, 1))
    validate_order(PartialDate(2021, 3, 5), date(2021, 3, 5))
    validate_order(PartialDate(), PartialDate(2020))
    validate_order(PartialDate(2021), PartialDate())


def test_it_exposes_whole_days_for_translation() -> None:
    days = days_between(PartialDate(2021, 3, 5), date(2021, 3, 5) + timedelta(days=1234))
    assert (days.qualifier, days.figure, days.exact) == ("exact", 1234, True)
    with pytest.raises(ValueError):
        DaysRange(minimum=3, maximum=2, exact=False)


def test_it_calls_a_count_exact_when_the_end_pins_down_a_partial_start() -> None:
    # Found by hypothesis: "in 2000" ending on 1 January 2000 can only be 0 days.
    days = days_between(PartialDate(2000), PartialDate(2000, 1, 1))
    assert (days.minimum, days.maximum, days.exact) == (0, 0, True)

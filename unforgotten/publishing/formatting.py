"""Dates and numbers in the reader's locale, through Babel (CLDR); partial dates stay partial."""

from __future__ import annotations

import functools
from datetime import date

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal

from unforgotten.core.partialdate import PartialDate, Precision

# Scripts written right to left (ISO 15924), for names shown in their own script.
RTL_SCRIPTS = frozenset({"Arab", "Hebr", "Syrc", "Thaa", "Nkoo", "Adlm", "Rohg", "Mand", "Samr"})
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "ckb", "dv", "yi"})


@functools.lru_cache(maxsize=16)
def babel_locale(language: str) -> Locale:
    """Django's language code ("zh-hans") as a Babel locale (zh_Hans)."""
    if language == "zh-hans":
        return Locale.parse("zh_Hans")
    return Locale.parse(language.replace("-", "_"))


def number(value: int, language: str) -> str:
    return format_decimal(value, locale=babel_locale(language))


def day(value: date, language: str) -> str:
    return format_date(value, format="long", locale=babel_locale(language))


def partial(value: PartialDate, language: str) -> str:
    """"5 March 2021", "March 2021" or "2021" in the reader's locale; "" when unknown."""
    locale = babel_locale(language)
    if value.precision == Precision.DAY:
        exact = value.as_date()
        return format_date(exact, format="long", locale=locale) if exact else ""
    if value.precision == Precision.MONTH and value.year is not None and value.month is not None:
        return format_skeleton("yMMMM", date(value.year, value.month, 1), locale=locale)
    if value.precision == Precision.YEAR and value.year is not None:
        return format_skeleton("y", date(value.year, 1, 1), locale=locale)
    return ""


def direction(script: str, language: str = "") -> str:
    """The writing direction of a name: from its script, else its language, else left to the browser."""
    if script:
        return "rtl" if script in RTL_SCRIPTS else "ltr"
    if language:
        return "rtl" if language.split("-")[0] in RTL_LANGUAGES else "ltr"
    return "auto"

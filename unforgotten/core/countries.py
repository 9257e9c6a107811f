"""Countries: ISO 3166-1 alpha-2 codes with names from CLDR (through Babel).

Records name a country by its two-letter code ("IR", "RU"); names are shown in
the reader's language from the Unicode CLDR data that Babel ships, so no list
of countries is maintained here by hand.  Importers can hand in a code or a
name in one of the languages the defenders work in: "Iran", "Россия" and
"ایران" all normalise to a code.

Plain Python (no Django), so importers and the command line can use it too.
"""

from __future__ import annotations

import functools
import unicodedata
from typing import Final

from babel import Locale, UnknownLocaleError

__all__ = [
    "COUNTRY_CODES",
    "NAME_LOCALES",
    "UnknownCountry",
    "country_choices",
    "country_name",
    "is_country",
    "normalize_country",
]

DEFAULT_LOCALE: Final = "en"

# CLDR lists some two-letter territories that are not countries of ISO 3166-1.
_NOT_COUNTRIES: Final = frozenset(
    {
        # Groupings and placeholders: European Union, Eurozone, United Nations,
        # Outlying Oceania, Unknown Region.
        "EU",
        "EZ",
        "UN",
        "QO",
        "ZZ",
        # CLDR's pseudo-locale regions (Pseudo-Accents, Pseudo-Bidi).
        "XA",
        "XB",
        # Codes that ISO only reserves, for parts of countries that CLDR lists on
        # their own: Ascension Island, Clipperton Island, Sark, Diego Garcia,
        # Ceuta & Melilla, Canary Islands, Tristan da Cunha.
        "AC",
        "CP",
        "CQ",
        "DG",
        "EA",
        "IC",
        "TA",
    }
)


def _cldr_country_codes() -> frozenset[str]:
    territories = Locale.parse(DEFAULT_LOCALE).territories
    return frozenset(
        code
        for code in territories
        if isinstance(code, str)
        and len(code) == 2
        and code.isascii()
        and code.isalpha()
        and code not in _NOT_COUNTRIES
    )


#: The ISO 3166-1 alpha-2 codes, upper case, plus XK.  XK (Kosovo) is a
#: user-assigned code rather than an ISO one, but CLDR, the European Union and
#: most international bodies use it, and a registry of prisoners must be able to
#: say that someone is held in Kosovo or is a Kosovar citizen.
COUNTRY_CODES: Final[frozenset[str]] = _cldr_country_codes()

#: The languages whose CLDR country names :func:`normalize_country` understands.
NAME_LOCALES: Final = ("en", "ru", "ar", "fa", "fr", "es", "zh_Hans", "tr", "az", "uk")

# Common English names that CLDR's main names do not cover (CLDR keeps some of
# them as alternative forms, which Babel does not expose).
_EXTRA_ENGLISH_NAMES: Final[dict[str, str]] = {
    "Turkey": "TR",
    "Czech Republic": "CZ",
    "Ivory Coast": "CI",
    "UK": "GB",
    "Great Britain": "GB",
    "Britain": "GB",
    "USA": "US",
    "United States of America": "US",
    "Burma": "MM",
    "Swaziland": "SZ",
    "Macedonia": "MK",
    "Cape Verde": "CV",
    "East Timor": "TL",
    "Palestine": "PS",
    "Vatican": "VA",
    "Russian Federation": "RU",
    "Democratic Republic of the Congo": "CD",
    "DR Congo": "CD",
    "Republic of the Congo": "CG",
}

# Letters that Arabic and Persian keyboards write differently for one name.
_LETTER_VARIANTS: Final = str.maketrans(
    {
        "\u064a": "\u06cc",  # Arabic yeh -> Farsi yeh
        "\u0649": "\u06cc",  # alef maksura -> Farsi yeh
        "\u0643": "\u06a9",  # Arabic kaf -> keheh
        "&": " and ",
    }
)

# Joiners and the Arabic tatweel carry no meaning for matching.
_IGNORED: Final = frozenset({"\u200c", "\u200d", "\u0640"})


class UnknownCountry(ValueError):
    """A value that names no country this module knows."""


def _fold(text: str) -> str:
    """Reduce a name for matching: case, accents, punctuation and spacing removed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LETTER_VARIANTS))
    kept: list[str] = []
    for char in decomposed:
        category = unicodedata.category(char)
        if category == "Mn" or char in _IGNORED:
            continue
        # Punctuation, symbols and separators all count as one space, so that
        # "Guinea-Bissau", "Guinea Bissau" and "St. Kitts" match as people type.
        kept.append(" " if category[0] in "PSZ" else char)
    return " ".join("".join(kept).split())


def _sort_key(name: str) -> tuple[str, str]:
    return (_fold(name), name)


def _locale(locale: str) -> Locale | None:
    try:
        return Locale.parse(locale.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return None


@functools.lru_cache(maxsize=32)
def _names(locale: str) -> dict[str, str]:
    """Code -> name in ``locale``, falling back to English for missing names."""
    english = Locale.parse(DEFAULT_LOCALE).territories
    parsed = _locale(locale)
    local = parsed.territories if parsed is not None else {}
    return {code: local.get(code) or english[code] for code in COUNTRY_CODES}


@functools.cache
def _name_lookup() -> dict[str, str]:
    """Folded name -> code over :data:`NAME_LOCALES`; ambiguous names are left out."""
    found: dict[str, set[str]] = {}
    for locale in NAME_LOCALES:
        territories = Locale.parse(locale).territories
        for code in COUNTRY_CODES:
            name = territories.get(code)
            if name:
                found.setdefault(_fold(name), set()).add(code)
    for name, code in _EXTRA_ENGLISH_NAMES.items():
        found.setdefault(_fold(name), set()).add(code)
    return {key: next(iter(codes)) for key, codes in found.items() if len(codes) == 1}


def is_country(code: str) -> bool:
    """True for an ISO 3166-1 alpha-2 code (or XK), in any case."""
    return isinstance(code, str) and code.strip().upper() in COUNTRY_CODES


def country_name(code: str, locale: str = DEFAULT_LOCALE) -> str:
    """The CLDR name of ``code`` in ``locale`` ("ru", "zh_Hans", "pt-BR").

    Falls back to English for an unknown locale or a missing name; raises
    :class:`UnknownCountry` for a code that is not a country.
    """
    if not is_country(code):
        raise UnknownCountry(f"{code!r} is not an ISO 3166-1 alpha-2 country code")
    return _names(locale)[code.strip().upper()]


def normalize_country(value: str) -> str:
    """The upper-case code for a country code or name, or :class:`UnknownCountry`.

    Accepts a code in any case ("ir"), or a CLDR name in one of
    :data:`NAME_LOCALES`, ignoring case, accents and punctuation ("Iran",
    "Россия", "ایران", "cote d'ivoire"), plus a few common English names that
    differ from CLDR's ("Turkey", "Czech Republic", "UK").
    """
    if not isinstance(value, str):
        raise UnknownCountry(f"expected a country code or name as text, got {value!r}")
    stripped = value.strip()
    if not stripped:
        raise UnknownCountry("no country was given")
    if is_country(stripped):
        return stripped.upper()
    code = _name_lookup().get(_fold(stripped))
    if code is not None:
        return code
    if len(stripped) == 2 and stripped.isascii() and stripped.isalpha():
        raise UnknownCountry(f"{value!r} is not an ISO 3166-1 alpha-2 country code")
    raise UnknownCountry(
        f"unknown country {value!r}: expected an ISO 3166-1 alpha-2 code such as 'IR' "
        "or a country name"
    )


def country_choices(locale: str = DEFAULT_LOCALE) -> list[tuple[str, str]]:
    """``(code, name)`` pairs for a form, sorted by the name in ``locale``.

    The order ignores case and accents; it is not full linguistic collation
    (Chinese names, for instance, sort by code point).
    """
    names = _names(locale)
    return sorted(names.items(), key=lambda item: _sort_key(item[1]))

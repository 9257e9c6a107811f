"""Tests for ISO 3166-1 countries with CLDR names."""

from __future__ import annotations

import pytest
from babel import Locale

from unforgotten.core.countries import (
    COUNTRY_CODES,
    NAME_LOCALES,
    UnknownCountry,
    country_choices,
    country_name,
    is_country,
    normalize_country,
)


def test_it_lists_the_iso_countries_plus_kosovo() -> None:
    # 249 ISO 3166-1 codes and XK.  A change here means CLDR changed: check
    # that a new two-letter territory really is a country before accepting it.
    assert len(COUNTRY_CODES) == 250
    assert {"IR", "RU", "BY", "AZ", "TR", "CN", "UA", "XK", "PS", "TW", "EH"} <= COUNTRY_CODES
    assert all(len(code) == 2 and code.isascii() and code.isupper() for code in COUNTRY_CODES)


@pytest.mark.parametrize(
    "code", ["EU", "EZ", "UN", "QO", "ZZ", "XA", "XB", "AC", "CP", "CQ", "DG", "EA", "IC", "TA"]
)
def test_it_leaves_out_groupings_and_pseudo_regions(code: str) -> None:
    # Each exclusion still exists in CLDR, so the list of exclusions is not stale.
    assert code in Locale("en").territories
    assert code not in COUNTRY_CODES
    assert not is_country(code)


def test_it_recognises_codes_in_any_case() -> None:
    assert is_country("IR")
    assert is_country("ir")
    assert is_country(" ru ")
    assert not is_country("")
    assert not is_country("IRN")
    assert not is_country("001")
    assert not is_country(None)  # type: ignore[arg-type]


def test_it_names_countries_in_the_readers_language() -> None:
    assert country_name("IR") == "Iran"
    assert country_name("ru", "ru") == "Россия"
    assert country_name("IR", "fa") == "ایران"
    assert country_name("CN", "zh_Hans") == "中国"
    assert country_name("CN", "zh-Hans") == "中国"
    assert country_name("DE", "pt_BR") == "Alemanha"
    assert country_name("XK", "en") == "Kosovo"


def test_it_falls_back_to_english_for_an_unknown_locale() -> None:
    assert country_name("RU", "xx") == "Russia"
    assert country_name("RU", "not a locale!") == "Russia"
    assert country_name("RU", "") == "Russia"


def test_it_refuses_to_name_what_is_not_a_country() -> None:
    with pytest.raises(UnknownCountry, match="'EU' is not an ISO 3166-1 alpha-2 country code"):
        country_name("EU")
    with pytest.raises(ValueError):
        country_name("Iran")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("IR", "IR"),
        ("ir", "IR"),
        (" ru ", "RU"),
        ("Iran", "IR"),
        ("iran", "IR"),
        ("Russia", "RU"),
        ("Россия", "RU"),
        ("россия", "RU"),
        ("ایران", "IR"),
        ("إيران", "IR"),  # Arabic spelling, Arabic yeh
        ("روسيا", "RU"),
        ("伊朗", "IR"),
        ("Russie", "RU"),
        ("Rusia", "RU"),
        ("Rusya", "RU"),
        ("İran", "IR"),
        ("Rusiya", "RU"),
        ("Росія", "RU"),
        ("Türkiye", "TR"),
        ("turkiye", "TR"),
        ("Turkey", "TR"),
        ("Belarus", "BY"),
        ("Беларусь", "BY"),
        ("Côte d’Ivoire", "CI"),
        ("cote d'ivoire", "CI"),
        ("Bosnia and Herzegovina", "BA"),
        ("Bosnia & Herzegovina", "BA"),
        ("Guinea Bissau", "GW"),
        ("Kosovo", "XK"),
        ("UK", "GB"),
        ("Czech Republic", "CZ"),
    ],
)
def test_it_normalises_codes_and_names(value: str, code: str) -> None:
    assert normalize_country(value) == code


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "no country was given"),
        ("   ", "no country was given"),
        ("EU", "'EU' is not an ISO 3166-1 alpha-2 country code"),
        ("QQ", "'QQ' is not an ISO 3166-1 alpha-2 country code"),
        ("Atlantis", "unknown country 'Atlantis'"),
        ("Soviet Union", "unknown country"),
        ("European Union", "unknown country"),
    ],
)
def test_it_refuses_unknown_countries_clearly(value: str, message: str) -> None:
    with pytest.raises(UnknownCountry, match=message) as error:
        normalize_country(value)
    assert isinstance(error.value, ValueError)


def test_it_refuses_values_that_are_not_text() -> None:
    with pytest.raises(UnknownCountry, match="as text"):
        normalize_country(98)  # type: ignore[arg-type]


def test_it_understands_every_cldr_name_in_the_supported_languages() -> None:
    for locale in NAME_LOCALES:
        for code in COUNTRY_CODES:
            assert normalize_country(country_name(code, locale)) == code, (locale, code)


def test_it_offers_choices_sorted_by_localised_name() -> None:
    english = country_choices()
    assert len(english) == len(COUNTRY_CODES)
    assert {code for code, _ in english} == COUNTRY_CODES
    assert english[0] == ("AF", "Afghanistan")
    # Åland sorts with the A's, not after Z.
    assert [code for code, _ in english[:3]] == ["AF", "AX", "AL"]
    assert english[-1] == ("ZW", "Zimbabwe")

    russian = country_choices("ru")
    assert russian[0] == ("AU", "Австралия")
    names = [name for _, name in russian]
    assert names.index("Россия") < names.index("Сирия")
    assert dict(russian)["IR"] == "Иран"


def test_it_falls_back_to_english_choices() -> None:
    assert country_choices("xx") == country_choices("en")

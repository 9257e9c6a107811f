"""The radar speaks the platform's seven languages (issue 9, item 3): every string translated, plurals complete."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.utils import translation

from unforgotten.radar import reading

LOCALE = Path(__file__).resolve().parent.parent / "locale"
LANGUAGES = ("ar", "es", "fa", "fr", "ru", "zh_Hans")


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_translates_every_string_with_every_plural_form(language: str) -> None:
    path = LOCALE / language / "LC_MESSAGES" / "django.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    assert len(catalog) > 50
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"{language}: {message.id!r} is not translated"
        if message.pluralizable:
            assert len(strings) == catalog.num_plurals, f"{language}: {message.id!r} lacks plural forms"
    checked = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


def test_it_explains_a_row_in_the_reader_s_language() -> None:
    row = reading.RadarRow(case_id=1, person_uuid=None, name="X", country="BY", status="imprisoned", status_label="",
                           active=True, index=10, oldest="media", baseline=date(2020, 1, 1),
                           days={"intervention": date(2024, 1, 1), "contact": date(2024, 1, 1),
                                 "public_action": None, "media": date(2023, 1, 1)}, weighted=0)
    with translation.override("ru"):
        text = reading.why_text(row, date(2024, 1, 2))
    assert text == "ни разу не записано: публичная акция (отсчёт с 2020-01-01); давнее всего: упоминание в СМИ, 366 дней назад"

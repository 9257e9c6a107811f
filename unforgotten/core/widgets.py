"""Form widgets that the standard ones make slow.

Django renders every ``<option>`` of a select through a template: a filter form
with a few hundred catalogue entries (law articles, places of detention) spent
more time rendering options than the database spent finding the page. Plain
string building gives the same markup, escaped the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language


@lru_cache(maxsize=64)
def _options(language: str, choices: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    # Keyed on the language too: labels such as "Any" are translated.
    del language
    return tuple(f'<option value="{escape(value)}">{escape(label)}</option>' for value, label in choices)


class QuickSelect(forms.Select):
    """A single-choice ``<select>`` rendered without a template per option (same HTML as ``Select``)."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None,
               renderer: Any = None) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        pairs = tuple(_flat(self.choices))
        chosen = "" if value is None else str(value[0] if isinstance(value, (list, tuple)) and value else value)
        options = _options(get_language() or "", pairs)
        parts: list[str] = [format_html("<select name=\"{}\"{}>", name, flatatt(final))]
        for (option_value, label), html in zip(pairs, options, strict=True):
            if option_value == chosen:
                parts.append(f'<option value="{escape(option_value)}" selected>{escape(label)}</option>')
                chosen = "\0"  # only the first match is selected, as Select does
            else:
                parts.append(html)
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308  (every value and label above is escaped)


def _flat(choices: Iterable[Any]) -> Iterable[tuple[str, str]]:
    for value, label in choices:
        if isinstance(label, (list, tuple)):  # an optgroup: its options, flattened (none of ours has groups)
            yield from _flat(label)
        else:
            yield ("" if value is None else str(value), str(label))

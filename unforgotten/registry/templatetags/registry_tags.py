"""Display helpers for registry pages: partial dates and countries, in the reader's language."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from html import escape
from typing import Any
from uuid import UUID

from django import template
from django.utils import formats, translation
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from unforgotten.core.countries import UnknownCountry, country_name
from unforgotten.core.partialdate import PartialDate, Precision

register = template.Library()


def partial_date_text(value: Any) -> str:
    """ "6 Sept. 2021", "September 2021", "2021", or "date unknown"; never a guessed day."""
    if isinstance(value, (date, PartialDate)):
        return _date_text(translation.get_language() or "", value)
    return _partial_date_text(value)


@lru_cache(maxsize=4096)
def _date_text(language: str, value: date | PartialDate) -> str:
    # Locale-aware formatting is slow and a list shows the same dates again and again.
    del language  # the cache key only: formatting below uses the active language
    return _partial_date_text(value)


def _partial_date_text(value: Any) -> str:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return str(formats.date_format(value, "DATE_FORMAT"))
    if not isinstance(value, PartialDate) or value.is_unknown:
        return _("date unknown")
    if value.precision is Precision.YEAR:
        return str(value.year)
    if value.precision is Precision.MONTH:
        return str(formats.date_format(date(value.year or 1, value.month or 1, 1), "YEAR_MONTH_FORMAT"))
    exact = value.as_date()
    return str(formats.date_format(exact, "DATE_FORMAT")) if exact else str(value)


@register.filter
def pdate(value: Any) -> SafeString:
    """A <time> element for a partial or exact date, with the machine-readable form it stands for."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return format_html('<time datetime="{}">{}</time>', value.isoformat(), partial_date_text(value))
    if isinstance(value, PartialDate) and not value.is_unknown:
        return format_html('<time datetime="{}">{}</time>', str(value), partial_date_text(value))
    return format_html("<span class=\"muted\">{}</span>", partial_date_text(value))


@register.filter
def country(code: Any) -> str:
    if not code:
        return ""
    try:
        return country_name(str(code), translation.get_language() or "en")
    except UnknownCountry:
        return str(code)


@register.filter
def countries(codes: Any) -> str:
    return ", ".join(country(c) for c in codes or [])


@register.simple_tag
def person_rows(rows: list[dict[str, Any]]) -> SafeString:
    """The person list's table body, built in Python.

    The same markup a template loop would give, at a fraction of the cost: fifty
    rows of ten lookups each were most of the list's time through the template
    engine, and then ``format_html``'s lazy-aware escaping was. Every value goes
    through ``html.escape`` (quotes included) before it is placed in the markup.
    """
    from django.urls import reverse

    language = translation.get_language() or "en"
    # One reverse() for the page: the link differs only by the uuid.
    sample = "00000000-0000-4000-8000-000000000000"
    link_start, _sample, link_end = escape(reverse("registry:person_detail", args=[sample])).partition(sample)
    unnamed = escape(_("(name not shown)"))
    matched_label, why_label = escape(_("matched:")), escape(_("why:"))
    out: list[str] = []
    for row in rows:
        uuid = row["uuid"]
        # A UUID's text is hexadecimal digits and hyphens: nothing in it to escape.
        link = f"{link_start}{uuid if isinstance(uuid, UUID) else escape(str(uuid))}{link_end}"
        name = row.get("display_name")
        cell = f'<a href="{link}" dir="auto">{escape(str(name)) if name else unnamed}</a>'
        match = row.get("matched")
        if match:
            lang = f' lang="{escape(str(match["language"]))}"' if match.get("language") else ""
            cell += (f'<br><span class="matched">{matched_label} <bdi{lang}>'
                     f'{escape(str(match.get("text", "")))}</bdi></span>')
            if match.get("why"):
                cell += f'<br><span class="why">{why_label} <bdi>{escape(str(match["why"]))}</bdi></span>'
        code = row.get("country")
        cells = (language, str(code) if code else "", str(row.get("current_status_label", "")),
                 row.get("current_status_date"), str(row.get("occupation_label", "")),
                 str(row.get("recognition_outcome_label") or "—"))
        when = cells[3]
        # The cells after the name repeat from row to row and page to page: built once per set of values.
        end = _row_end_kept(*cells) if when is None or isinstance(when, (date, PartialDate)) else _row_end(*cells)
        out.append(f"<tr>\n  <td>{cell}{end}")
    return SafeString("".join(out))


def _row_end(language: str, code: str, status: str, when: Any, occupation: str, recognition: str) -> str:
    """A person row after its name cell, from the name cell's end to the row's."""
    return (f"</td>\n  <td>{_country_cell(code, language) if code else ''}</td>\n"
            f"  <td>{_label_cell(status)}</td>\n"
            f"  <td>{_date_cell(language, when)}</td>\n"
            f"  <td>{_label_cell(occupation)}</td>\n"
            f"  <td>{_label_cell(recognition)}</td>\n</tr>\n")


_row_end_kept = lru_cache(maxsize=4096)(_row_end)


# Countries and vocabulary labels are a few hundred texts per language, repeated on
# every row: escaped once each, not fifty times a page.
@lru_cache(maxsize=4096)
def _country_cell(code: str, language: str) -> str:
    try:
        return escape(country_name(code, language))
    except UnknownCountry:
        return escape(code)


@lru_cache(maxsize=4096)
def _label_cell(label: str) -> str:
    return escape(label)


def _date_cell(language: str, value: Any) -> str:
    """``pdate`` for the list: the same markup, remembered per language and value."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, (date, PartialDate)):
        return _date_cell_cached(language, value)
    return str(pdate(value))


@lru_cache(maxsize=4096)
def _date_cell_cached(language: str, value: date | PartialDate) -> str:
    del language  # the cache key only: ``pdate`` formats in the active language
    return str(pdate(value))

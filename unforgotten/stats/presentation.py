"""Turning figures into what pages, reports and open data show: labels, numbers, tables and charts.

Labels come from the registry's vocabularies and the shared catalogues (law
articles, facilities: public knowledge), read through the public projection;
country names from CLDR. Everything is in the active language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from babel.dates import format_skeleton
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from unforgotten.core.countries import country_name, is_country
from unforgotten.policy.projection import PUBLIC, project
from unforgotten.publishing import formatting as fmt
from unforgotten.registry import vocabularies as v
from unforgotten.registry.models import Facility, LawArticle
from unforgotten.stats import charts
from unforgotten.stats import timeline as tl
from unforgotten.stats.queries import (
    STATUS,
    Breakdown,
    Series,
    Source,
    breakdown,
    months_between,
    series,
)

# What each dimension is called, in the order the pages show them.
DIMENSION_ORDER = (STATUS, "country", "occupation", "gender", "recognition", "theme", "article", "facility")


def dimension_title(dimension: str) -> str:
    titles = {
        STATUS: _("By status"), "country": _("By country"), "occupation": _("By occupation"),
        "gender": _("By gender"), "recognition": _("By recognition"), "theme": _("By theme of the case"),
        "article": _("By law article charged"), "facility": _("By place of detention"),
    }
    return titles[dimension]


_VOCABULARIES: dict[str, Any] = {STATUS: v.Status, "gender": v.Gender, "occupation": v.Occupation,
                                 "recognition": v.RecognitionOutcome, "theme": v.Theme}


class Labeller:
    """Value → label for every dimension, in one language; catalogue rows are read once."""

    def __init__(self, language: str) -> None:
        self.language = language
        self._articles: dict[str, str] | None = None
        self._facilities: dict[str, str] | None = None

    def special(self, dimension: str, value: str) -> str | None:
        if value == tl.UNCERTAIN:
            return _("Date uncertain")
        if value == tl.UNDISCLOSED:
            return _("Not disclosed")
        if value == tl.UNRECORDED:
            return _("Place not recorded")
        if value == tl.NONE:
            return {
                "recognition": _("No decision yet"), "facility": _("Not in detention"),
                "theme": _("No case recorded yet"), "article": _("No charge recorded yet"),
            }.get(dimension, pgettext("statistics bucket", "None"))
        return None

    def __call__(self, dimension: str, value: str) -> str:
        special = self.special(dimension, value)
        if special is not None:
            return special
        if dimension == "country":
            return country_name(value, str(fmt.babel_locale(self.language))) if is_country(value) else value
        if dimension in _VOCABULARIES:
            try:
                return str(_VOCABULARIES[dimension](value).label)
            except ValueError:
                return value
        if dimension == "article":
            return self.articles().get(value, value)
        if dimension == "facility":
            return self.facilities().get(value, value)
        return value

    def articles(self) -> dict[str, str]:
        if self._articles is None:
            self._articles = {}
            for article in LawArticle.objects.all():
                shown = project(article, PUBLIC)
                part = _(", part %(part)s") % {"part": shown["part"]} if shown.get("part") else ""
                self._articles[str(article.pk)] = _("%(code)s, art. %(article)s%(part)s (%(country)s)") % {
                    "code": shown.get("code", ""), "article": shown.get("article", ""), "part": part,
                    "country": shown.get("country", "")}
        return self._articles

    def facilities(self) -> dict[str, str]:
        if self._facilities is None:
            self._facilities = {}
            for facility in Facility.objects.all():
                shown = project(facility, PUBLIC)
                self._facilities[str(facility.pk)] = _("%(name)s (%(place)s)") % {
                    "name": shown.get("name", ""), "place": shown.get("place") or shown.get("country", "")}
        return self._facilities


@dataclass(frozen=True)
class TableRow:
    value: str
    label: str
    detained: int
    counted: int
    uncertain: int
    detained_text: str
    counted_text: str
    uncertain_text: str


def table(result: Breakdown, labeller: Labeller) -> list[TableRow]:
    n = labeller.language
    return [TableRow(r.value, labeller(result.dimension, r.value), r.detained, r.counted, r.uncertain,
                     fmt.number(r.detained, n), fmt.number(r.counted, n), fmt.number(r.uncertain, n))
            for r in result.rows]


def month_label(month: date, language: str) -> str:
    return format_skeleton("yMMM", month, locale=fmt.babel_locale(language))


def rtl(language: str) -> bool:
    return fmt.direction("", language) == "rtl"


def dimension_section(source: Source, day: date, dimension: str, labeller: Labeller, prefix: str) -> dict[str, Any]:
    result = breakdown(source, day, dimension)
    rows = table(result, labeller)
    language = labeller.language
    if dimension == STATUS:
        bars = [charts.Bar(r.label, r.counted or r.uncertain, r.counted_text if r.counted else r.uncertain_text)
                for r in rows]
        chart_title = _("People by status on %(date)s") % {"date": fmt.day(day, language)}
        colour = charts.HELD
    else:
        bars = [charts.Bar(r.label, r.detained, r.detained_text) for r in rows if r.detained]
        chart_title = _("People held on %(date)s: %(dimension)s") % {
            "date": fmt.day(day, language), "dimension": dimension_title(dimension)}
        colour = charts.HELD
    chart_id = f"{prefix}-{dimension}"
    desc = _("Bar chart; the table that follows gives every figure, including people whose dates are uncertain.")
    return {
        "dimension": dimension, "title": dimension_title(dimension), "rows": rows, "id": chart_id,
        "chart": charts.bar_chart(chart_id, chart_title, desc, bars, rtl=rtl(language), colour=colour),
        "detained": fmt.number(result.detained, language), "counted": fmt.number(result.counted, language),
        "uncertain": fmt.number(result.uncertain, language), "uncertain_n": result.uncertain,
        "multi": dimension in tl.TAG_DIMENSIONS,
    }


def series_section(source: Source, last: date, months: int, language: str, prefix: str) -> dict[str, Any]:
    first = date(last.year, last.month, 1)
    for _i in range(months - 1):
        first = date(first.year - (first.month == 1), 12 if first.month == 1 else first.month - 1, 1)
    result: Series = series(source, first, last)
    n = language
    rows = [{"month": m.month, "label": month_label(m.month, n), "detentions": fmt.number(m.detentions, n),
             "releases": fmt.number(m.releases, n), "deaths": fmt.number(m.deaths, n)} for m in result.months]
    columns = [charts.Column(month_label(m.month, n), (m.detentions, m.releases)) for m in result.months]
    chart_id = f"{prefix}-series"
    title = _("Detentions and releases per month, %(first)s to %(last)s") % {
        "first": month_label(first, n), "last": month_label(last.replace(day=1), n)}
    desc = _("Column chart; the table that follows gives every month.")
    year_only = [{"year": year, "detentions": fmt.number(m.detentions, n), "releases": fmt.number(m.releases, n),
                  "deaths": fmt.number(m.deaths, n)} for year, m in sorted(result.year_only.items())]
    return {"rows": rows, "id": chart_id, "year_only": year_only,
            "chart": charts.column_chart(chart_id, title, desc, columns, [_("Detentions"), _("Releases")],
                                         rtl=rtl(n)),
            "first": first, "months": len(months_between(first, last))}


def map_section(source: Source, day: date, labeller: Labeller, prefix: str) -> dict[str, Any]:
    result = breakdown(source, day, "country")
    language = labeller.language
    counts = {r.value: r.detained for r in result.rows if r.detained and is_country(r.value)}
    names = {code: labeller("country", code) for code in counts}
    texts = {code: fmt.number(n, language) for code, n in counts.items()}
    ranges = charts.map_legend(max(counts.values(), default=0))
    legend = [_("none counted")] + [
        (fmt.number(low, language) if low == high else _("%(low)s to %(high)s") % {
            "low": fmt.number(low, language), "high": fmt.number(high, language)}) for low, high in ranges]
    chart_id = f"{prefix}-map"
    title = _("World map of people held on %(date)s") % {"date": fmt.day(day, language)}
    desc = _("Countries shaded by the number of people held; the table by country gives every figure.")
    return {"id": chart_id, "svg": charts.world_map(chart_id, title, desc, counts, names, texts, legend[:1 + len(ranges)])}


def overview(source: Source, day: date, language: str, prefix: str, *, months: int = 24,
             dimensions: tuple[str, ...] = DIMENSION_ORDER) -> dict[str, Any]:
    """Everything a statistics page shows for one source on one day."""
    labeller = Labeller(language)
    sections = [dimension_section(source, day, d, labeller, prefix) for d in dimensions]
    status = sections[0] if sections and sections[0]["dimension"] == STATUS else dimension_section(
        source, day, STATUS, labeller, prefix)
    return {
        "day": day, "day_text": fmt.day(day, language), "day_iso": day.isoformat(),
        "held": status["detained"], "counted": status["counted"], "uncertain": status["uncertain"],
        "uncertain_n": status["uncertain_n"],
        "sections": sections, "series": series_section(source, day, months, language, prefix),
        "map": map_section(source, day, labeller, prefix),
    }

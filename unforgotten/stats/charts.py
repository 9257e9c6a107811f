"""Server-rendered SVG charts and the world map: no script, no tiles, nothing from another host.

Every chart is an ``<svg role="img">`` named by its own ``<title>`` and
``<desc>``; the page puts a data table beside it, which is the accessible
fallback and the place to read exact figures. Right-to-left pages get mirrored
charts (bars grow from the right, time runs from the right), with labels in
the reader's language. Colours are SVG presentation attributes (the CSP allows
no inline styles); every text is escaped through ``format_html``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

INK, MUTED, LINE = "#1b1b1b", "#4a4a4a", "#d9d3c7"
HELD, OTHER, UNCERTAIN = "#8a1c1c", "#c9a27e", "#7a7a7a"
SERIES = ("#8a1c1c", "#2f6f8f", "#555555")
# Five classes for the map, light to dark, and the colour of "none counted".
MAP_CLASSES = ("#f3d9c9", "#e3a98c", "#cc7457", "#a8432f", "#6e1a12")
MAP_EMPTY = "#ece8df"


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    text: str  # the value as the reader's locale writes it


def _frame(chart_id: str, title: str, desc: str, width: int, height: int, body: SafeString) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {} {}" width="100%" '
        'aria-labelledby="{}-t {}-d" preserveAspectRatio="xMinYMin meet" font-family="inherit" font-size="13" '
        # Coordinates are laid out for each direction here; text anchors must not flip with the page's dir.
        'direction="ltr">'
        '<title id="{}-t">{}</title><desc id="{}-d">{}</desc>{}</svg>',
        width, height, chart_id, chart_id, chart_id, title, chart_id, desc, body)


def bar_chart(chart_id: str, title: str, desc: str, bars: Sequence[Bar], *, rtl: bool = False,
              colour: str = HELD) -> SafeString:
    """Horizontal bars, one per row of the data table, longest first."""
    width, label_w, row_h, top = 640, 210, 26, 6
    plot_w = width - label_w - 70
    height = top * 2 + row_h * max(1, len(bars))
    peak = max((b.value for b in bars), default=0) or 1
    parts = []
    for i, bar in enumerate(bars):
        y = top + i * row_h
        length = round(plot_w * bar.value / peak, 1)
        if rtl:
            label_x, anchor, bar_x, value_x, value_anchor = width - 4, "end", width - label_w - length, \
                width - label_w - length - 6, "end"
        else:
            label_x, anchor, bar_x, value_x, value_anchor = 4, "start", label_w, label_w + length + 6, "start"
        parts.append(format_html(
            '<text x="{}" y="{}" text-anchor="{}" fill="{}">{}</text>'
            '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
            '<text x="{}" y="{}" text-anchor="{}" fill="{}">{}</text>',
            label_x, y + 17, anchor, INK, _clip(bar.label, 30), bar_x, y + 4, length, row_h - 8, colour,
            value_x, y + 17, value_anchor, MUTED, bar.text))
    if not bars:
        parts.append(format_html('<text x="{}" y="{}" fill="{}">—</text>', 4, top + 17, MUTED))
    return _frame(chart_id, title, desc, width, height, mark_safe("".join(parts)))  # noqa: S308  (parts escaped)


@dataclass(frozen=True)
class Column:
    label: str  # the month as the reader's locale writes it (shown every few columns)
    values: tuple[int, ...]


def column_chart(chart_id: str, title: str, desc: str, columns: Sequence[Column], legend: Sequence[str], *,
                 rtl: bool = False) -> SafeString:
    """Grouped columns per month (detentions, releases, deaths), time running in the reading direction."""
    width, height, left, bottom, top = 640, 260, 40, 54, 30
    plot_w, plot_h = width - left - 10, height - top - bottom
    peak = max((v for c in columns for v in c.values), default=0) or 1
    step = plot_w / max(1, len(columns))
    group = len(legend) or 1
    bar_w = max(1.0, step * 0.8 / group)
    parts = [format_html('<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>', left, top + plot_h,
                         left + plot_w, top + plot_h, LINE)]
    for fraction in (0.5, 1.0):
        y = round(top + plot_h * (1 - fraction), 1)
        parts.append(format_html('<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-dasharray="3 3"/>'
                                 '<text x="{}" y="{}" text-anchor="end" fill="{}">{}</text>',
                                 left, y, left + plot_w, y, LINE, left - 4, y + 4, MUTED, round(peak * fraction)))
    label_every = max(1, len(columns) // 8)
    for i, column in enumerate(columns):
        slot = (len(columns) - 1 - i) if rtl else i
        x0 = left + slot * step + step * 0.1
        for j, value in enumerate(column.values):
            h = round(plot_h * value / peak, 1)
            parts.append(format_html('<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                                     round(x0 + j * bar_w, 1), round(top + plot_h - h, 1), round(bar_w, 1), h,
                                     SERIES[j % len(SERIES)]))
        if i % label_every == 0:
            parts.append(format_html('<text x="{}" y="{}" text-anchor="middle" fill="{}" font-size="11">{}</text>',
                                     round(left + slot * step + step / 2, 1), top + plot_h + 16, MUTED, column.label))
    for j, name in enumerate(legend):
        x = (width - 10 - 150 * (j + 1)) if rtl else (left + 150 * j)
        parts.append(format_html('<rect x="{}" y="{}" width="12" height="12" fill="{}"/>'
                                 '<text x="{}" y="{}" fill="{}">{}</text>',
                                 x, height - 20, SERIES[j % len(SERIES)], x + 16, height - 10, INK, name))
    return _frame(chart_id, title, desc, width, height, mark_safe("".join(parts)))  # noqa: S308  (parts escaped)


@functools.lru_cache(maxsize=1)
def _world() -> dict[str, object]:
    data: dict[str, object] = json.loads((Path(__file__).parent / "geo" / "world.json").read_text(encoding="utf-8"))
    return data


def map_class(value: int, peak: int) -> int:
    """0–4: the colour class of ``value`` on a scale up to ``peak`` (quantiles would hide small countries)."""
    if value <= 0 or peak <= 0:
        return -1
    return min(4, int(5 * value / (peak + 1)))


def world_map(chart_id: str, title: str, desc: str, counts: dict[str, int], names: dict[str, str],
              texts: dict[str, str], legend: Sequence[str]) -> SafeString:
    """A choropleth of ``counts`` by ISO alpha-2 code; each country says its name and figure on hover."""
    world = _world()
    width, height = int(str(world["width"])), int(str(world["height"]))
    shapes: dict[str, str] = world["countries"]  # type: ignore[assignment]
    peak = max(counts.values(), default=0)
    parts = [format_html_join("", '<path d="{}" fill="{}"/>', ((d, MAP_EMPTY) for d in world["unassigned"]))]  # type: ignore[attr-defined]
    for code, d in shapes.items():
        value = counts.get(code, 0)
        klass = map_class(value, peak)
        fill = MAP_CLASSES[klass] if klass >= 0 else MAP_EMPTY
        if value:
            parts.append(format_html('<path d="{}" fill="{}" stroke="#fff" stroke-width=".4"><title>{}: {}</title></path>',
                                     d, fill, names.get(code, code), texts.get(code, str(value))))
        else:
            parts.append(format_html('<path d="{}" fill="{}" stroke="#fff" stroke-width=".4"/>', d, fill))
    for i, text in enumerate(legend):
        parts.append(format_html('<rect x="{}" y="{}" width="20" height="20" fill="{}" stroke="{}"/>'
                                 '<text x="{}" y="{}" fill="{}" font-size="22">{}</text>',
                                 12, height - 30 * (len(legend) - i) - 6, (MAP_EMPTY, *MAP_CLASSES)[i], LINE,
                                 40, height - 30 * (len(legend) - i) + 11, INK, text))
    return _frame(chart_id, title, desc, width, height, mark_safe("".join(str(p) for p in parts)))  # noqa: S308


def map_legend(peak: int) -> list[tuple[int, int]]:
    """The (from, to) range of each colour class for a given peak (for the legend)."""
    if peak <= 0:
        return []
    ranges = []
    for klass in range(5):
        low = max(1, -(-klass * (peak + 1) // 5))
        high = min(peak, -(-(klass + 1) * (peak + 1) // 5) - 1)
        if low <= high:
            ranges.append((low, high))
    return ranges


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"

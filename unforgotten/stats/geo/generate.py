"""Generate ``world.json``: simplified SVG outlines of the world's countries, keyed by ISO 3166 alpha-2 code.

Origin and licence of the data:

- Shapes: ``countries-110m.json`` of the npm package ``world-atlas`` 2.0.2
  (TopoJSON by Mike Bostock, ISC licence), itself made from Natural Earth's
  1:110m Admin 0 countries, which are in the public domain
  (naturalearthdata.com). The package is a devDependency in package.json, so
  ``npm ci`` (``make node``) puts it in node_modules/ for this script.
- Codes: the features carry ISO 3166-1 numeric codes; the alpha-2 codes come
  from Debian's ``iso-codes`` (``/usr/share/iso-codes/json/iso_3166-1.json``),
  read here only. ISO codes are facts; nothing of the file is copied.

What it does: decodes the TopoJSON arcs, projects longitude and latitude with
the Equal Earth projection (Šavrič, Patterson and Jenny, 2018: equal-area, so
no country looks bigger than it is) into a 1000-unit-wide box, simplifies each
ring (Ramer–Douglas–Peucker, 0.35 units), rounds to one decimal and writes
relative path data. Antarctica is left out (no one is counted there). The
result is about 60 KB; the page inlines only the paths, with a fill per country.

Run from the repository root after ``make node``::

    .venv/bin/python unforgotten/stats/geo/generate.py
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
SOURCE = ROOT / "node_modules" / "world-atlas" / "countries-110m.json"
ISO = Path("/usr/share/iso-codes/json/iso_3166-1.json")
OUT = Path(__file__).resolve().parent / "world.json"
WIDTH = 1000.0
TOLERANCE = 0.35
# Features without an ISO numeric code in Natural Earth, by their name there.
BY_NAME = {"Kosovo": "XK"}
SKIP = {"010"}  # Antarctica

A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2


def equal_earth(lon: float, lat: float) -> tuple[float, float]:
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = 2 * math.sqrt(3) * lam * math.cos(theta) / (3 * (9 * A4 * t6 * t2 + 7 * A3 * t6 + 3 * A2 * t2 + A1))
    y = theta * (A4 * t6 * t2 + A3 * t6 + A2 * t2 + A1)
    return x, y


X_MAX, _ = equal_earth(180, 0)
_, Y_MAX = equal_earth(0, 90)
SCALE = WIDTH / (2 * X_MAX)
HEIGHT = round(2 * Y_MAX * SCALE)


def to_box(lon: float, lat: float) -> tuple[float, float]:
    x, y = equal_earth(lon, lat)
    return (x + X_MAX) * SCALE, (Y_MAX - y) * SCALE


def decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc[1:] if points else arc)
    return points


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy)
        worst, index = 0.0, -1
        for i in range(first + 1, last):
            x, y = points[i]
            # A closed ring starts and ends on the same point: measure from that point instead.
            distance = (abs(dy * (x - x1) - dx * (y - y1)) / length) if length else math.hypot(x - x1, y - y1)
            if distance > worst:
                worst, index = distance, i
        if worst > tolerance and index > 0:
            keep[index] = True
            stack.extend([(first, index), (index, last)])
    return [p for p, k in zip(points, keep, strict=True) if k]


def path(rings: list[list[tuple[float, float]]]) -> str:
    out = []
    for points in rings:
        projected = simplify([to_box(lon, lat) for lon, lat in points], TOLERANCE)
        rounded = [(round(x * 10), round(y * 10)) for x, y in projected]
        deduplicated = [p for i, p in enumerate(rounded) if i == 0 or p != rounded[i - 1]]
        if len(deduplicated) < 3:
            continue
        (x0, y0), parts = deduplicated[0], []
        for (xa, ya), (xb, yb) in zip(deduplicated, deduplicated[1:], strict=False):
            parts.append(f"{_n(xb - xa)}{_n(yb - ya)}")
        out.append(f"M{x0 / 10:g} {y0 / 10:g}l" + "".join(parts).lstrip(" ") + "z")
    return "".join(out)


def _n(tenths: int) -> str:
    text = f"{tenths / 10:g}"
    text = text.replace("0.", ".", 1) if text.startswith("0.") else text.replace("-0.", "-.", 1)
    return text if text.startswith("-") else " " + text


def main() -> None:
    topology = json.loads(SOURCE.read_text(encoding="utf-8"))
    numeric = {row["numeric"]: row["alpha_2"] for row in json.loads(ISO.read_text(encoding="utf-8"))["3166-1"]}
    arcs = decode_arcs(topology)
    countries: dict[str, str] = {}
    unassigned: list[str] = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        code_numeric = geometry.get("id")
        if code_numeric in SKIP or geometry.get("type") is None:
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings = [ring(arcs, r) for polygon in polygons for r in polygon]
        d = path(rings)
        if not d:
            continue
        code = numeric.get(code_numeric or "") or BY_NAME.get(geometry.get("properties", {}).get("name", ""))
        if code is None:
            unassigned.append(d)
        else:
            countries[code] = countries.get(code, "") + d
    OUT.write_text(json.dumps({
        "source": "world-atlas 2.0.2 countries-110m (ISC), from Natural Earth (public domain); see generate.py",
        "width": int(WIDTH), "height": HEIGHT, "countries": dict(sorted(countries.items())),
        "unassigned": unassigned}, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{OUT.name}: {len(countries)} countries, {len(unassigned)} unassigned shapes, "  # noqa: T201
          f"{OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()

"""Names engine: search latency, speed against rapidfuzz and pg_trgm, recall, memory.

People are generated deterministically from the real name lists in
``shared/data/names`` (forenames and surnames of one country, native script
for some, romanised with spelling variants for others). Recall is measured on
the token and full-name pairs of the same folder: for each script, the Latin
side is indexed and the native side is the query.

``BENCH_NAMES_PEOPLE`` sets the number of people (default 1,000,000).
"""

from __future__ import annotations

import csv
import gc
import os
import random
import time
from collections import defaultdict
from functools import partial
from pathlib import Path
from typing import Any

from anyascii import anyascii
from rapidfuzz import fuzz, process

from bench._harness import Report, p95, timings_ms
from unforgotten.names import NameIndex, normalize

GROUP = "names"

_ROOT = Path(__file__).resolve().parent.parent
_DATA_CANDIDATES = (
    _ROOT.parent / "shared" / "data" / "names",
    _ROOT / "shared" / "data" / "names",
    Path("/work/shared/data/names"),
)
_FAMILY_FIRST = {"CN", "TW", "KR", "JP", "VN", "HU"}
_NO_SPACE = {"CN", "TW", "JP", "KR"}
_SEARCH_QUERIES = 300
_SLOW_QUERIES = 30
_RECALL_QUERIES = 1000
_DB = "unforgotten_bench_names"


def _data_dir() -> Path:
    for cand in _DATA_CANDIDATES:
        if (cand / "common-forenames-by-country.csv").exists():
            return cand
    raise SystemExit("names data not found (shared/data/names)")


def _rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return 0.0


# ------------------------------------------------------------------ people

Pair = tuple[str, str]  # (native, romanised)


def _load_lists(folder: Path) -> tuple[dict[str, list[Pair]], dict[str, list[Pair]]]:
    fore: dict[str, list[Pair]] = defaultdict(list)
    sur: dict[str, list[Pair]] = defaultdict(list)
    with open(folder / "common-forenames-by-country.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            native, roman = row["Localized Name"].strip(), row["Romanized Name"].strip()
            if native or roman:
                fore[row["Country"]].append((native or roman, roman or native))
    with open(folder / "common-surnames-by-country.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            native, roman = row["Localized Name"].strip(), row["Romanized Name"].strip()
            if native or roman:
                sur[row["Country"]].append((native or roman, roman or native))
    return fore, sur


_SWAPS = (
    ("ou", "u"), ("u", "ou"), ("y", "i"), ("i", "y"), ("ph", "f"), ("f", "ph"),
    ("ks", "x"), ("x", "ks"), ("ee", "i"), ("e", "a"), ("a", "e"), ("o", "u"),
    ("kh", "h"), ("sh", "sch"), ("ch", "tch"), ("v", "w"), ("j", "y"), ("c", "k"),
)


def _variant(rng: random.Random, name: str) -> str:
    """A plausible other romanisation: a vowel or digraph swapped, a letter doubled or undoubled."""
    text = anyascii(name)
    for _ in range(rng.randint(1, 2)):
        op = rng.random()
        if op < 0.6:
            src, dst = rng.choice(_SWAPS)
            pos = text.lower().find(src, 1)
            if pos > 0:
                text = text[:pos] + dst + text[pos + len(src) :]
        elif op < 0.8 and len(text) > 3:
            k = rng.randrange(1, len(text) - 1)
            if text[k].isalpha():
                text = text[:k] + text[k] + text[k:]
        else:
            for k in range(1, len(text) - 1):
                if text[k] == text[k + 1]:
                    text = text[:k] + text[k + 1 :]
                    break
    return text


def _compose(country: str, given: list[str], family: str, native: bool) -> str:
    if native and country in _NO_SPACE:
        return family + "".join(given)
    if country in _FAMILY_FIRST:
        return " ".join([family, *given])
    return " ".join([*given, family])


def generate_people(n: int, seed: int = 20240601) -> list[list[str]]:
    """``n`` people, each a list of 1–3 name variants."""
    fore, sur = _load_lists(_data_dir())
    countries = sorted(c for c in fore if c in sur and fore[c] and sur[c])
    rng = random.Random(seed)
    people: list[list[str]] = []
    for _ in range(n):
        country = rng.choice(countries)
        given = [rng.choice(fore[country])]
        if rng.random() < 0.2:
            given.append(rng.choice(fore[country]))
        family = rng.choice(sur[country])
        has_native = any(g[0] != g[1] for g in given) or family[0] != family[1]
        names: list[str] = []
        native_form = _compose(country, [g[0] for g in given], family[0], True)
        roman_form = _compose(country, [g[1] for g in given], family[1], False)
        r = rng.random()
        if has_native and r < 0.35:
            names.append(native_form)
        elif has_native and r < 0.7:
            names.extend([native_form, roman_form])
        else:
            names.append(roman_form)
        if rng.random() < 0.3:
            names.append(_variant(rng, roman_form))
        people.append(names)
    return people


def _query_for(rng: random.Random, names: list[str]) -> str:
    """Search the way a caseworker would: another spelling or the other script."""
    base = rng.choice(names)
    if rng.random() < 0.5:
        return _variant(rng, base)
    return base


# ------------------------------------------------------------------ recall


def _recall_sets(folder: Path) -> dict[str, list[Pair]]:
    """Per script: (latin, native) pairs."""
    out: dict[str, list[Pair]] = defaultdict(list)
    names = {"ru": "cyrillic", "ar": "arabic", "zh": "han", "ja": "kana", "he": "hebrew", "ko": "hangul"}
    with open(folder / "wikidata_name_token_pairs_dev.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            out[names.get(row["lang_native"], row["lang_native"])].append(
                (row["latin_token"], row["native_token"])
            )
    with open(folder / "wikidata_en_ko_full_name_pairs_dev.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            out["hangul_fullname"].append((row["name_en"], row["name_ko"]))
    with open(folder / "arabic_to_english_name_token_dictionary.csv", encoding="utf-8") as f:
        for pair in csv.reader(f):
            if len(pair) != 2 or not pair[0].strip() or not pair[1].strip() or pair[0] in ("-", "ar"):
                continue
            ar, en = pair[0].strip("() "), pair[1].strip("() ")
            if ar and en:
                out["arabic_dictionary"].append((en, ar))
    return out


def _recall(pairs: list[Pair], rng: random.Random) -> tuple[float, float]:
    """(ours, rapidfuzz WRatio over anyascii) recall@10 for one script."""
    latin_keys = {normalize(lat): lat for lat, _native in pairs}
    index = NameIndex()
    for key, lat in latin_keys.items():
        index.add(key, [lat])
    keys = list(latin_keys)
    choices = [anyascii(latin_keys[k]).lower() for k in keys]
    sample = pairs if len(pairs) <= _RECALL_QUERIES else rng.sample(pairs, _RECALL_QUERIES)
    ours = base = 0
    for lat, native in sample:
        want = normalize(lat)
        if want in {k for k, _s in index.search(native, 10)}:
            ours += 1
        hits = process.extract(anyascii(native).lower(), choices, scorer=fuzz.WRatio, limit=10)
        if want in {keys[i] for _c, _s, i in hits}:
            base += 1
    return ours / len(sample), base / len(sample)


# ----------------------------------------------------------------- pg_trgm


def _trgm_p95(names: list[str], queries: list[str]) -> float | None:
    try:
        import psycopg
    except ImportError:
        return None
    dsn = "host=127.0.0.1 port=5432 user=postgres"
    try:
        admin = psycopg.connect(dsn + " dbname=postgres", autocommit=True)
    except psycopg.Error as exc:
        print(f"pg_trgm baseline skipped: {exc}")
        return None
    with admin:
        admin.execute(f"DROP DATABASE IF EXISTS {_DB}")
        admin.execute(f"CREATE DATABASE {_DB}")
    try:
        with psycopg.connect(dsn + f" dbname={_DB}", autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            conn.execute("CREATE TABLE people (id integer PRIMARY KEY, name text NOT NULL)")
            with conn.cursor() as cur, cur.copy("COPY people (id, name) FROM STDIN") as copy:
                for i, name in enumerate(names):
                    copy.write_row((i, name))
            conn.execute("CREATE INDEX people_name_trgm ON people USING gin (name gin_trgm_ops)")
            conn.execute("ANALYZE people")
            sql = (
                "SELECT id, similarity(name, %s) AS s FROM people "
                "WHERE name %% %s ORDER BY s DESC LIMIT 10"
            )
            times: list[float] = []
            for q in queries:
                times.extend(timings_ms(partial(_fetch, conn, sql, q), 1, 1))
        return p95(times)
    finally:
        with psycopg.connect(dsn + " dbname=postgres", autocommit=True) as admin2:
            admin2.execute(f"DROP DATABASE IF EXISTS {_DB}")


def _fetch(conn: Any, sql: str, q: str) -> object:
    return conn.execute(sql, (q, q)).fetchall()


# -------------------------------------------------------------------- run


def run(report: Report) -> None:
    n = int(os.environ.get("BENCH_NAMES_PEOPLE", "1000000"))
    folder = _data_dir()
    rng = random.Random(7)

    people = generate_people(n)
    gc.collect()
    rss_before = _rss_mb()
    t0 = time.perf_counter()
    index = NameIndex()
    for i, names in enumerate(people):
        index.add(f"p{i}", names)
    build_s = time.perf_counter() - t0
    gc.collect()
    rss_after = _rss_mb()

    picks = [rng.randrange(n) for _ in range(_SEARCH_QUERIES)]
    queries = [_query_for(rng, people[i]) for i in picks]
    times: list[float] = []
    found = 0
    for pid, q in zip(picks, queries, strict=True):
        t = timings_ms(partial(index.search, q, 10), 1, 0)
        times.extend(t)
        if f"p{pid}" in {k for k, _s in index.search(q, 10)}:
            found += 1
    ours_p95 = p95(times)

    # Brute force: rapidfuzz over one romanised string per person.
    flat = [anyascii(" ".join(names[:1])).lower() for names in people]
    slow_queries = [anyascii(q).lower() for q in queries[:_SLOW_QUERIES]]
    rf_times: list[float] = []
    for q in slow_queries:
        rf_times.extend(
            timings_ms(partial(process.extract, q, flat, scorer=fuzz.WRatio, limit=10), 1, 0)
        )
    rf_p95 = p95(rf_times)

    report("search_p95_ms", ours_p95, "ms", baseline_what="rapidfuzz brute-force p95",
           baseline_value=rf_p95, baseline_unit="ms")
    report("speedup_vs_rapidfuzz", rf_p95 / ours_p95, "x",
           baseline_what=f"rapidfuzz p95, first {_SLOW_QUERIES} queries",
           baseline_value=rf_p95, baseline_unit="ms")
    # pg_trgm answers in tens of milliseconds, so it runs the same 300 queries as ours: a p95 of the
    # first 30 alone is their second slowest, and moved between 93 and 186 ms from one set of 30 to the
    # next in one run (2026-12-05). rapidfuzz's brute force (~0.3 s a query) keeps the first 30.
    trgm = _trgm_p95(flat, [anyascii(q).lower() for q in queries])
    if trgm is not None:
        report("speedup_vs_trgm", trgm / ours_p95, "x", baseline_what="pg_trgm GIN p95, same queries",
               baseline_value=trgm, baseline_unit="ms")
    print(f"(self-recall@10 of the generated queries: {found / len(picks):.3f})")

    sets = _recall_sets(folder)
    results: dict[str, tuple[float, float]] = {}
    for script in sorted(sets):
        results[script] = _recall(sets[script], random.Random(11))
    worst = min(results, key=lambda s: results[s][0])
    report("recall10_min", results[worst][0], "", baseline_what=f"rapidfuzz WRatio+anyascii ({worst})",
           baseline_value=results[worst][1], baseline_unit="")
    for script, (ours, base) in results.items():
        report(f"recall10_{script}", ours, "", baseline_what="rapidfuzz WRatio+anyascii",
               baseline_value=base, baseline_unit="")
    report("index_rss_mb", rss_after, "MB", baseline_what="RSS before building",
           baseline_value=rss_before, baseline_unit="MB")
    report("build_s", build_s, "s", baseline_what="people", baseline_value=n, baseline_unit="")


def main() -> None:
    run(Report(GROUP))


if __name__ == "__main__":
    main()

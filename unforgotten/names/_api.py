"""``score`` and ``explain``: compare two person names across scripts."""

from __future__ import annotations

from functools import lru_cache

from ._match import MatchResult, match_units, units_of
from ._text import normalize
from ._tokens import NameForm, Token, analyse, token_similarity
from ._translit import register_cache_hook


def _units(form: NameForm) -> list[tuple[int, int, Token]]:
    return units_of(form.tokens, [(s.start, s.end, s.token) for s in form.spans])


def _compare(a: str, b: str) -> MatchResult:
    na, nb = normalize(a), normalize(b)
    # A canonical order makes the greedy alignment, hence the score, symmetric.
    if (na, a) > (nb, b):
        a, b = b, a
    fa, fb = analyse(a), analyse(b)
    return match_units(fa.tokens, _units(fa), fb.tokens, _units(fb), token_similarity)


@lru_cache(maxsize=65536)
def score(a: str, b: str) -> float:
    """How likely two person names are the same name, 0..1 (symmetric).

    Identical names score 1.0; names that normalise and romanise to the same
    tokens in the same order score 1.0 too.
    """
    if a == b:
        return 1.0
    result = _compare(a, b)
    fa, fb = analyse(a), analyse(b)
    if (
        result.score >= 0.99
        and [t.lat for t in fa.tokens] == [t.lat for t in fb.tokens]
    ):
        return 1.0
    return min(result.score, 0.999)


register_cache_hook(score.cache_clear)


def _how(a: Token, b: Token, sim: float) -> str:
    if a.lat == b.lat and a.native == b.native:
        return "exact"
    if a.particle and a.particle == b.particle:
        return "particle"
    if a.lat == b.lat:
        return "transliteration"
    if a.script != b.script and a.script != "latin" or (a.script != b.script and b.script != "latin"):
        return "transliteration"
    if a.skel == b.skel:
        return "phonetic"
    return "fuzzy"


def explain(a: str, b: str) -> str:
    """Which parts of two names matched and how, in one line of plain text.

    Example: ``ilgar ~ ильгар (transliteration, 0.93); mammadov ~ мамедов (0.88); order swapped``.
    """
    na, nb = normalize(a), normalize(b)
    swapped_sides = (na, a) > (nb, b)
    result = _compare(a, b)
    parts: list[str] = []
    for p in result.pairs:
        left, right = (p.b, p.a) if swapped_sides else (p.a, p.b)
        how = _how(left, right, p.sim)
        parts.append(f"{left.native} ~ {right.native} ({how}, {p.sim:.2f})")
    a_miss, b_miss = (result.b_unmatched, result.a_unmatched) if swapped_sides else (
        result.a_unmatched,
        result.b_unmatched,
    )
    if a_miss:
        parts.append("only in first: " + " ".join(t.native for t in a_miss))
    if b_miss:
        parts.append("only in second: " + " ".join(t.native for t in b_miss))
    if result.order_swapped:
        parts.append("order swapped")
    if not result.pairs:
        parts.insert(0, "no part matched")
    return "; ".join(parts) + f" => {score(a, b):.2f}"

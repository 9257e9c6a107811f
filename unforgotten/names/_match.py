"""Name-level matching: align the tokens and compounds of two names."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ._tokens import Token, token_similarity

# Token pairs below this similarity are not considered the same part.
MATCH_FLOOR = 0.55
ORDER_PENALTY = 0.03
# A one-word name against a longer one is weak evidence (surname only).
SINGLE_TOKEN_FACTOR = 0.85

Unit = tuple[int, int, Token]
SimFn = Callable[[Token, Token], float]


@dataclass(frozen=True, slots=True)
class Pairing:
    a_start: int
    a_end: int
    b_start: int
    b_end: int
    a: Token
    b: Token
    sim: float


@dataclass(frozen=True, slots=True)
class MatchResult:
    score: float
    pairs: tuple[Pairing, ...]
    order_swapped: bool
    a_unmatched: tuple[Token, ...]
    b_unmatched: tuple[Token, ...]


def units_of(tokens: Sequence[Token], spans: Sequence[tuple[int, int, Token]]) -> list[Unit]:
    out: list[Unit] = [(i, i + 1, t) for i, t in enumerate(tokens)]
    out.extend(spans)
    return out


Chosen = tuple[int, int, int, int, Token, Token, float]


def _align(a_units: Sequence[Unit], b_units: Sequence[Unit], n_a: int, n_b: int, sim: SimFn) -> list[Chosen]:
    """Greedy best alignment: pairs of units, best similarity first."""
    cands: list[tuple[float, int, int, int]] = []
    for ia, (as_, ae, at) in enumerate(a_units):
        a_len = ae - as_
        for ib, (bs, be, bt) in enumerate(b_units):
            b_len = be - bs
            if a_len > 1 and b_len > 1:
                continue
            s = sim(at, bt)
            if s >= MATCH_FLOOR:
                # Prefer higher similarity, then units covering more tokens.
                cands.append((-s, -(a_len + b_len), ia, ib))
    cands.sort()
    used_a = [False] * n_a
    used_b = [False] * n_b
    chosen: list[Chosen] = []
    for neg_s, _cov, ia, ib in cands:
        as_, ae, at = a_units[ia]
        bs, be, bt = b_units[ib]
        if any(used_a[as_:ae]) or any(used_b[bs:be]):
            continue
        for k in range(as_, ae):
            used_a[k] = True
        for k in range(bs, be):
            used_b[k] = True
        chosen.append((as_, ae, bs, be, at, bt, -neg_s))
    return chosen


@dataclass(frozen=True, slots=True)
class Side:
    """What scoring needs of one name, worked out once: a search compares its
    query with dozens of names, and these never change between them."""

    tokens: Sequence[Token]
    units: Sequence[Unit]
    weight: float  # all tokens' weights
    named: int  # tokens that are not particles
    cjk: bool


def side(tokens: Sequence[Token], units: Sequence[Unit]) -> Side:
    return Side(
        tokens,
        units,
        sum(t.weight for t in tokens),
        sum(1 for t in tokens if not t.particle),
        any(t.cjk for t in tokens),
    )


def _span_weight(tokens: Sequence[Token], start: int, end: int) -> float:
    if end - start == 1:
        return tokens[start].weight  # what sum() of one weight gives, without the generator
    return sum(t.weight for t in tokens[start:end])


def _score(a: Side, b: Side, chosen: list[Chosen]) -> tuple[float, bool]:
    """(score, order swapped) of an alignment."""
    a_tokens = a.tokens
    b_tokens = b.tokens
    ma = 0.0
    mb = 0.0
    for as_, ae, bs, be, _at, _bt, s in chosen:
        ma += s * _span_weight(a_tokens, as_, ae)
        mb += s * _span_weight(b_tokens, bs, be)
    cover_a = ma / a.weight if a.weight else 0.0
    cover_b = mb / b.weight if b.weight else 0.0
    hi, lo = max(cover_a, cover_b), min(cover_a, cover_b)
    score = 0.7 * hi + 0.3 * lo
    if min(a.named, b.named) <= 1 < max(a.named, b.named):
        score *= SINGLE_TOKEN_FACTOR
    swapped = False
    if len(chosen) > 1:
        ordered = sorted(chosen, key=lambda c: c[0])
        swapped = any(ordered[k][2] > ordered[k + 1][2] for k in range(len(ordered) - 1))
    if swapped and not (a.cjk or b.cjk):
        score -= ORDER_PENALTY
    return max(0.0, min(1.0, score)), swapped


def match_score(
    a_tokens: Sequence[Token],
    a_units: Sequence[Unit],
    b_tokens: Sequence[Token],
    b_units: Sequence[Unit],
    sim: SimFn = token_similarity,
) -> float:
    """``match_units(...).score`` without the details."""
    return side_score(side(a_tokens, a_units), side(b_tokens, b_units), sim)


def side_score(a: Side, b: Side, sim: SimFn = token_similarity) -> float:
    """``match_score`` of two prepared sides."""
    if not a.tokens or not b.tokens:
        return 0.0
    return _score(a, b, _align(a.units, b.units, len(a.tokens), len(b.tokens), sim))[0]


def match_units(
    a_tokens: Sequence[Token],
    a_units: Sequence[Unit],
    b_tokens: Sequence[Token],
    b_units: Sequence[Unit],
    sim: SimFn = token_similarity,
) -> MatchResult:
    """Greedy best alignment of two names' units (tokens and compounds)."""
    if not a_tokens or not b_tokens:
        return MatchResult(0.0, (), False, tuple(a_tokens), tuple(b_tokens))
    chosen = _align(a_units, b_units, len(a_tokens), len(b_tokens), sim)
    score, swapped = _score(side(a_tokens, a_units), side(b_tokens, b_units), chosen)
    used_a = [False] * len(a_tokens)
    used_b = [False] * len(b_tokens)
    for as_, ae, bs, be, *_rest in chosen:
        used_a[as_:ae] = [True] * (ae - as_)
        used_b[bs:be] = [True] * (be - bs)
    pairs = tuple(
        Pairing(as_, ae, bs, be, at, bt, s)
        for as_, ae, bs, be, at, bt, s in sorted(chosen, key=lambda c: c[0])
    )
    return MatchResult(
        score,
        pairs,
        swapped,
        tuple(t for t, u in zip(a_tokens, used_a, strict=True) if not u),
        tuple(t for t, u in zip(b_tokens, used_b, strict=True) if not u),
    )

"""Name analysis: romanised tokens with their sound keys, and compound spans.

A name becomes a list of ``Token`` (one per word, hyphen part, or Han/Hangul
syllable) plus ``Span`` compounds that glue neighbours back together where
writing systems disagree on word boundaries: Han and Hangul runs written
without spaces (``刘晓波`` ~ ``Liu Xiaobo``), hyphenated given names
(``Jong-un`` ~ ``Jongun``) and particles written attached (``al-Sammak`` ~
``Alsammak``, ``Abd el-Fattah`` ~ ``Abdelfattah``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import Indel

from ._phonetic import is_patronymic, particle_family, phon_skeleton, phonetic
from ._readings import (
    han_readings,
    hangul_readings,
    kana_readings,
    latin_readings,
    letter_readings,
)
from ._text import char_script
from ._translit import (
    Piece,
    han_syllable,
    hangul_syllable,
    kana_morae,
    register_cache_hook,
    split_words,
    transliterate,
)

_nsim = Indel.normalized_similarity
_extract_one = process.extractOne

_ABJAD = frozenset({"arabic", "hebrew", "syriac", "thaana"})

# Weights of token kinds in a name: particles and patronymics may be missing.
WEIGHT_NAME = 1.0
WEIGHT_PATRONYMIC = 0.6
WEIGHT_PARTICLE = 0.35

_PARTICLE_SCRIPTS = frozenset({"latin", "cyrillic", "arabic", "greek"})
_CJK = frozenset({"han", "hangul", "kana"})
_CROSS_READINGS = 3  # readings compared between two non-Latin scripts
# Written attached to the name that follows: the article, abu, abd.
_ARABIC_PREFIXES = ("\u0627\u0644", "\u0627\u0628\u0648", "\u0639\u0628\u062f")


@dataclass(frozen=True, slots=True)
class Token:
    """A romanised name token and the keys it is compared by."""

    lat: str
    native: str
    script: str
    phon: str
    skel: str
    variants: tuple[str, ...]  # sound strings of other likely spellings
    vskels: tuple[str, ...]  # their skeletons
    probes: tuple[str, ...]  # ``phon|skel`` of the token and its variants
    particle: str
    weight: float
    vowels_unreliable: bool
    cjk: bool


@dataclass(frozen=True, slots=True)
class Span:
    """A compound of the tokens ``start``..``end - 1`` read as one token."""

    start: int
    end: int
    token: Token


@dataclass(frozen=True, slots=True)
class NameForm:
    tokens: tuple[Token, ...]
    spans: tuple[Span, ...]

    def all_units(self) -> tuple[Token, ...]:
        return self.tokens + tuple(s.token for s in self.spans)


def _readings(lat: str, native: str, script: str, han: tuple[str, ...]) -> list[str]:
    """Other Latin spellings of a token (see ``_readings``)."""
    if script == "han":
        if not han:
            han = tuple(han_syllable(c) for c in native if char_script(c) == "han")
        return han_readings(tuple(h for h in han if h))
    if script == "hangul":
        return hangul_readings(tuple(hangul_syllable(c) for c in native if char_script(c) == "hangul"))
    if script == "kana":
        return kana_readings(kana_morae(native))
    if script == "latin":
        return latin_readings(lat)
    return letter_readings(lat, script)


def make_probes(phon: str, variants: Sequence[str]) -> tuple[str, ...]:
    """``phon|skel`` strings of a token's readings: Indel similarity of two of
    them weighs consonants twice and vowels once."""
    return tuple(p + "|" + phon_skeleton(p) for p in (phon, *variants))


@lru_cache(maxsize=500_000)
def make_token(
    lat: str,
    native: str = "",
    script: str = "latin",
    *,
    hyphen_attached: bool = False,
    han_syllables: tuple[str, ...] = (),
    position: int = 0,
    count: int = 1,
) -> Token:
    """Build a ``Token`` for a romanised string (``lat`` is lower-case ASCII).

    ``position`` and ``count`` place the token in its name (particles only
    count as particles before or after another part).
    """
    particle = particle_family(lat, hyphen_attached, position, count) if script in _PARTICLE_SCRIPTS else ""
    if particle:
        weight = WEIGHT_PARTICLE
    elif is_patronymic(lat):
        weight = WEIGHT_PATRONYMIC
    else:
        weight = WEIGHT_NAME
    phon = phonetic(lat)
    readings = [] if particle else _readings(lat, native or lat, script, han_syllables)
    variants = [v for v in dict.fromkeys(phonetic(r) for r in readings) if v and v != phon]
    return Token(
        lat=lat,
        native=native or lat,
        script=script,
        phon=phon,
        skel=phon_skeleton(phon),
        variants=tuple(variants),
        vskels=tuple(phon_skeleton(v) for v in variants),
        probes=make_probes(phon, variants),
        particle=particle,
        weight=weight,
        vowels_unreliable=script in _ABJAD,
        cjk=script in _CJK,
    )


register_cache_hook(make_token.cache_clear)


def token_similarity(a: Token, b: Token) -> float:
    """How alike two tokens sound, 0..1 (1.0 only for the same romanisation)."""
    # Called tens of thousands of times per search: attributes are read once
    # and rapidfuzz's scorer is a module global (no class attribute lookup).
    a_lat = a.lat
    b_lat = b.lat
    if a_lat == b_lat:
        return 1.0
    if a.particle or b.particle:
        if a.particle and a.particle == b.particle:
            return 0.95
        return 0.6 * _nsim(a_lat, b_lat)
    r_lat = _nsim(a_lat, b_lat)
    r_phon = _nsim(a.phon, b.phon)
    a_skel = a.skel
    b_skel = b.skel
    # Two vowel-only tokens have no skeleton: their sound strings stand in.
    r_skel = _nsim(a_skel, b_skel) if a_skel or b_skel else r_phon
    if a.vowels_unreliable or b.vowels_unreliable:
        w_lat, w_phon, w_skel = 0.2, 0.4, 0.4
    else:
        w_lat, w_phon, w_skel = 0.3, 0.4, 0.3
    best = w_lat * r_lat + w_phon * r_phon + w_skel * r_skel
    if a.script == b.script or not (a.variants or b.variants):
        # One script, one romanisation: the readings add nothing.
        return best if best < 0.99 else 0.99
    # Across scripts, the best pair of readings (one rapidfuzz call per
    # reading of the side with fewer). A Latin token's readings are how CJK
    # scripts hear it: only for CJK tokens; two non-Latin scripts compare
    # their likeliest readings only.
    pa = _cross_probes(a, b)
    pb = _cross_probes(b, a)
    if len(pa) > len(pb):
        pa, pb = pb, pa
    r = 0.0
    for probe in pa:
        hit = _extract_one(probe, pb, scorer=_nsim, score_cutoff=r)
        if hit is not None and hit[1] > r:
            r = hit[1]
    cross = w_lat * r_lat + (1.0 - w_lat) * r
    return min(max(best, cross), 0.99)


def _cross_probes(a: Token, other: Token) -> tuple[str, ...]:
    if a.script == "latin":
        return a.probes if other.cjk else a.probes[:1]
    if other.script != "latin":
        return a.probes[:_CROSS_READINGS]
    return a.probes


def _join(pieces: list[Piece]) -> Token:
    lat = "".join(p.join for p in pieces)
    script = pieces[0].script
    han = tuple(p.join for p in pieces) if script == "han" else ()
    return make_token(lat, "".join(p.native for p in pieces), script, han_syllables=han)


@lru_cache(maxsize=100_000)
def analyse(name: str) -> NameForm:
    """Tokens and compound spans of a raw name."""
    pieces = list(split_words(name))
    tokens: list[Token] = []
    words = [p.word for p in pieces]
    for i, p in enumerate(pieces):
        attached = p.run < 0 and (
            i + 1 < len(pieces) and words[i + 1] == p.word and pieces[i + 1].run < 0
        )
        tokens.append(
            make_token(
                p.lat, p.native, p.script, hyphen_attached=attached, position=i, count=len(pieces)
            )
        )
    spans: list[Span] = []
    n = len(pieces)
    seen: set[tuple[int, int]] = set()

    def add(start: int, end: int) -> None:
        if end - start < 2 or (start, end) in seen or end > n:
            return
        seen.add((start, end))
        spans.append(Span(start, end, _join(pieces[start:end])))

    i = 0
    while i < n:
        p = pieces[i]
        if p.run >= 0:
            j = i
            while j < n and pieces[j].run == p.run:
                j += 1
            k = j - i
            if k >= 2:
                add(i, j)
                if k >= 3:
                    add(i + 1, j)
                if k == 4:
                    add(i, i + 2)
                    add(i + 2, j)
            i = j
            continue
        i += 1
    # Hyphenated words and short neighbours.
    for i in range(n - 1):
        a, b = pieces[i], pieces[i + 1]
        if a.run >= 0 and a.run == b.run:
            continue
        same_word = a.word == b.word
        if same_word or (len(a.lat) <= 5 and len(b.lat) <= 5 and n <= 5):
            add(i, i + 2)
            if same_word and i + 2 < n and pieces[i + 2].word == a.word:
                add(i, i + 3)
    # Particles glue to what follows (al-Sammak, Abd el-Fattah, van der Berg).
    for i in range(n - 1):
        if tokens[i].particle or tokens[i].lat in ("abd", "abdul", "abdel"):
            j = i + 1
            while j < n - 1 and tokens[j].particle:
                j += 1
            add(i, j + 1)
            if j > i + 1:
                add(i + 1, j + 1)
    # Attached Arabic article and kunya (الفتاح, ابومسعود): the bare stem is an
    # alternative reading.
    for k, t in enumerate(tokens):
        if t.script != "arabic":
            continue
        for prefix in _ARABIC_PREFIXES:
            if t.native.startswith(prefix) and len(t.native) >= len(prefix) + 3:
                stem = t.native[len(prefix) :]
                spans.append(Span(k, k + 1, make_token(transliterate(stem), stem, "arabic")))
                break
    return NameForm(tuple(tokens), tuple(spans))


register_cache_hook(analyse.cache_clear)


def tokens(name: str) -> list[str]:
    """The romanised tokens of ``name`` (words, hyphen parts, Han/Hangul syllables)."""
    return [t.lat for t in analyse(name).tokens]

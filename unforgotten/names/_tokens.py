"""Name analysis: romanised tokens with their sound keys, and compound spans.

A name becomes a list of ``Token`` (one per word, hyphen part, or Han/Hangul
syllable) plus ``Span`` compounds that glue neighbours back together where
writing systems disagree on word boundaries: Han and Hangul runs written
without spaces (``刘晓波`` ~ ``Liu Xiaobo``), hyphenated given names
(``Jong-un`` ~ ``Jongun``) and particles written attached (``al-Sammak`` ~
``Alsammak``, ``Abd el-Fattah`` ~ ``Abdelfattah``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Indel

from ._phonetic import is_patronymic, particle_family, phonetic, skeleton
from ._translit import Piece, register_cache_hook, split_words, transliterate

_ABJAD = frozenset({"arabic", "hebrew", "syriac", "thaana"})

# Weights of token kinds in a name: particles and patronymics may be missing.
WEIGHT_NAME = 1.0
WEIGHT_PATRONYMIC = 0.6
WEIGHT_PARTICLE = 0.35

# Han syllables that transcribe a lone consonant of a foreign name.
_HAN_CONSONANT_SYLLABLES = {
    "si": "s", "ke": "k", "te": "t", "de": "d", "fu": "f", "mu": "m", "bu": "b",
    "pu": "p", "ge": "g", "le": "l", "er": "r", "ci": "ts", "ze": "z", "ku": "k",
    "tu": "t", "du": "d", "he": "h", "zi": "z", "shi": "sh", "qi": "ch", "ji": "j",
    "xi": "s", "nu": "n", "lu": "l", "ru": "r", "ye": "y", "ya": "ya",
}
_KANA_EPENTHETIC = ("u", "o", "i")
_PARTICLE_SCRIPTS = frozenset({"latin", "cyrillic", "arabic", "greek"})
# Pinyin initials as a Western name's sounds (加 jia ~ ga, 肖 xiao ~ sho).
_PINYIN_INITIALS = (("zh", "j"), ("j", "g"), ("q", "ch"), ("x", "sh"), ("w", "v"))


def _pinyin_western(syllable: str) -> str:
    for src, dst in _PINYIN_INITIALS:
        if syllable.startswith(src):
            return dst + syllable[len(src) :]
    return syllable


def _ascii(text: str) -> str:
    return "".join(c for c in text if "a" <= c <= "z")


@dataclass(frozen=True, slots=True)
class Token:
    """A romanised name token and the keys it is compared by."""

    lat: str
    native: str
    script: str
    phon: str
    skel: str
    variants: tuple[str, ...]
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


def _dekana(lat: str) -> str:
    """Drop the vowels kana add after consonants (su, ku, to, do, chi)."""
    out: list[str] = []
    n = len(lat)
    for i, c in enumerate(lat):
        prev = lat[i - 1] if i else ""
        if i > 0 and prev not in "aeiouyn" and c in _KANA_EPENTHETIC:
            nxt = lat[i + 1] if i + 1 < n else ""
            if nxt in "aeiou" and nxt:
                out.append(c)
                continue
            if c == "u" or (c == "o" and prev in "td") or (c == "i" and prev in "hj" and i == n - 1):
                continue
        out.append(c)
    return "".join(out)


def _dehangul(lat: str) -> str:
    """Drop the epenthetic ``eu`` of Hangul transcriptions and fix ``lr``."""
    text = lat.replace("lr", "ll")
    out = []
    i = 0
    while i < len(text):
        if text.startswith("eu", i) and i > 0 and text[i - 1] not in "aeiouy":
            i += 2
            continue
        out.append(text[i])
        i += 1
    return "".join(out)


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
    variants: list[str] = []
    if script == "kana":
        variants.append(phonetic(_dekana(lat)))
        if "\u30fc" in native:
            # The long-vowel mark often stands for an English r (ドーマー Dormer).
            rhotic = _ascii(transliterate(native.replace("\u30fc", "\u30eb")))
            variants.append(phonetic(_dekana(rhotic)))
    elif script == "hangul":
        variants.append(phonetic(_dehangul(lat)))
        if "eo" in lat:
            variants.append(phonetic(_dehangul(lat.replace("eo", "er"))))
            variants.append(phonetic(_dehangul(lat.replace("eo", "u"))))
    elif script == "han" and han_syllables:
        reduced = [han_syllables[0]] + [
            _HAN_CONSONANT_SYLLABLES.get(s, s) for s in han_syllables[1:]
        ]
        variants.append(phonetic("".join(reduced)))
        variants.append(phonetic("".join(_pinyin_western(s) for s in reduced)))
    elif script in ("hebrew", "cyrillic") and lat.startswith("v"):
        variants.append(phonetic("w" + lat[1:]))
    variants = [v for v in dict.fromkeys(variants) if v and v != phon]
    return Token(
        lat=lat,
        native=native or lat,
        script=script,
        phon=phon,
        skel=skeleton(lat),
        variants=tuple(variants),
        particle=particle,
        weight=weight,
        vowels_unreliable=script in _ABJAD,
        cjk=script in ("han", "hangul", "kana"),
    )


register_cache_hook(make_token.cache_clear)


def token_similarity(a: Token, b: Token) -> float:
    """How alike two tokens sound, 0..1 (1.0 only for the same romanisation)."""
    if a.lat == b.lat:
        return 1.0
    if a.particle or b.particle:
        if a.particle and a.particle == b.particle:
            return 0.95
        base = Indel.normalized_similarity(a.lat, b.lat)
        return 0.6 * base
    r_lat = Indel.normalized_similarity(a.lat, b.lat)
    r_phon = Indel.normalized_similarity(a.phon, b.phon)
    if a.variants or b.variants:
        for pa in (a.phon, *a.variants):
            for pb in (b.phon, *b.variants):
                r = Indel.normalized_similarity(pa, pb)
                if r > r_phon:
                    r_phon = r
    if a.skel or b.skel:
        r_skel = Indel.normalized_similarity(a.skel, b.skel)
    else:
        r_skel = r_phon
    if a.vowels_unreliable or b.vowels_unreliable:
        sim = 0.2 * r_lat + 0.4 * r_phon + 0.4 * r_skel
    else:
        sim = 0.3 * r_lat + 0.4 * r_phon + 0.3 * r_skel
    return min(sim, 0.99)


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
    # Attached Arabic article (الفتاح): the bare stem is an alternative reading.
    for k, t in enumerate(tokens):
        if t.script == "arabic" and t.lat.startswith("al") and len(t.lat) >= 5:
            spans.append(Span(k, k + 1, make_token(t.lat[2:], t.native[2:], "arabic")))
    return NameForm(tuple(tokens), tuple(spans))


register_cache_hook(analyse.cache_clear)


def tokens(name: str) -> list[str]:
    """The romanised tokens of ``name`` (words, hyphen parts, Han/Hangul syllables)."""
    return [t.lat for t in analyse(name).tokens]

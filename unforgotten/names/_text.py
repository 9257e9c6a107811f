"""Unicode normalisation and script detection for person names.

``normalize`` keeps the name in its own script: it folds case and compatibility
forms, removes diacritics that carry no letter identity (Latin accents, Hebrew
points, Arabic harakat), unifies the Arabic and Persian letter variants and
digits, and reduces punctuation to single spaces and hyphens. It is idempotent.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Arabic and Persian letter variants → one canonical letter each.
_ARABIC_FOLD = {
    "\u064a": "\u064a",  # ي ARABIC YEH (canonical)
    "\u06cc": "\u064a",  # ی FARSI YEH
    "\u0649": "\u064a",  # ى ALEF MAKSURA
    "\u06d2": "\u064a",  # ے YEH BARREE (Urdu)
    "\u0643": "\u0643",  # ك KAF (canonical)
    "\u06a9": "\u0643",  # ک KEHEH
    "\u06aa": "\u0643",  # ڪ SWASH KAF
    "\u0629": "\u0647",  # ة TEH MARBUTA → ه
    "\u06c0": "\u0647",  # ۀ HEH WITH YEH ABOVE
    "\u06c1": "\u0647",  # ہ HEH GOAL
    "\u06d5": "\u0647",  # ە AE
    "\u0623": "\u0627",  # أ
    "\u0625": "\u0627",  # إ
    "\u0622": "\u0627",  # آ
    "\u0671": "\u0627",  # ٱ ALEF WASLA
    "\u0672": "\u0627",
    "\u0673": "\u0627",
    "\u0624": "\u0648",  # ؤ → و
    "\u0626": "\u064a",  # ئ → ي
    "\u0621": "",  # ء standalone hamza
    "\u0640": "",  # ـ tatweel
    "\u200c": " ",  # ZWNJ separates Persian word parts; a name boundary is safer
    "\u200d": "",
    "\u200e": "",
    "\u200f": "",
    "\ufeff": "",
}

# Combining marks that only decorate a letter: Latin/Greek/Cyrillic accents,
# Hebrew points and cantillation, Arabic harakat and Quranic marks. Marks
# that change the letter (kana voicing, Indic vowel signs) are kept.
_STRIP_MARK_RANGES = (
    (0x0300, 0x036F),
    (0x0483, 0x0489),
    (0x0591, 0x05BD),
    (0x05BF, 0x05BF),
    (0x05C1, 0x05C2),
    (0x05C4, 0x05C5),
    (0x05C7, 0x05C7),
    (0x0610, 0x061A),
    (0x064B, 0x065F),
    (0x0670, 0x0670),
    (0x06D6, 0x06DC),
    (0x06DF, 0x06E4),
    (0x06E7, 0x06E8),
    (0x06EA, 0x06ED),
    (0x1AB0, 0x1AFF),
    (0x1DC0, 0x1DFF),
    (0x20D0, 0x20FF),
    (0xFE20, 0xFE2F),
)

# Letters whose diacritic must survive NFD stripping because it makes a
# different letter in some alphabet, handled by composition exceptions.
_KEEP_COMPOSED = frozenset("йЙёЁїЇўЎ")

_APOSTROPHES = frozenset("'`´ʹʻʼʽʾʿ’‘‛′")
_HEBREW_GERESH = "\u05f3"
_HYPHENS = frozenset("-‐‑‒–—―−﹣－")


def _strip_mark(cp: int) -> bool:
    for lo, hi in _STRIP_MARK_RANGES:
        if lo <= cp <= hi:
            return True
    return False


def _is_hebrew_letter(ch: str) -> bool:
    return "\u05d0" <= ch <= "\u05ea"


@lru_cache(maxsize=65536)
def normalize(name: str) -> str:
    """Fold a name for comparison, keeping its script.

    NFKC, case folding (with Turkish dotted and dotless i folded to ``i``),
    accent stripping, Arabic/Persian letter unification, ASCII digits, and
    punctuation reduced to single spaces; hyphens inside a word are kept.
    """
    text = unicodedata.normalize("NFKC", name)
    # Turkish: İ would casefold to i + combining dot; ı has no case pair.
    text = text.replace("İ", "i").replace("ı", "i").casefold()
    out: list[str] = []
    for ch in text:
        mapped = _ARABIC_FOLD.get(ch)
        if mapped is not None:
            out.append(mapped)
            continue
        if ch in _KEEP_COMPOSED:
            out.append(ch)
            continue
        decomposed = unicodedata.normalize("NFD", ch) if ord(ch) < 0x3000 else ch
        for d in decomposed:
            if _strip_mark(ord(d)):
                continue
            out.append(d)
    text = unicodedata.normalize("NFC", "".join(out))

    # Digits of every script → ASCII; punctuation → separators.
    chars: list[str] = []
    prev = ""
    for i, ch in enumerate(text):
        cat = unicodedata.category(ch)
        if cat == "Nd":
            chars.append(str(unicodedata.digit(ch)))
        elif cat[0] in "LM" or ch == _HEBREW_GERESH:
            chars.append(ch)
        elif ch in _APOSTROPHES:
            # A geresh after a Hebrew letter changes its sound (ג' = j).
            if _is_hebrew_letter(prev):
                chars.append(_HEBREW_GERESH)
            # Elsewhere an apostrophe joins (O'Brien, Ma'soumeh).
        elif ch in _HYPHENS:
            chars.append("-")
        else:
            chars.append(" ")
        prev = text[i]
    # Collapse separators: hyphens only between two word characters.
    words = "".join(chars).split()
    cleaned: list[str] = []
    for word in words:
        parts = [p for p in word.split("-") if p]
        if parts:
            cleaned.append("-".join(parts))
    return " ".join(cleaned)


_SCRIPT_ALIASES = {
    "CJK": "han",
    "HIRAGANA": "kana",
    "KATAKANA": "kana",
    "HANGUL": "hangul",
}


@lru_cache(maxsize=8192)
def char_script(ch: str) -> str:
    """The script of one character, lower case (``latin``, ``cyrillic``…), or ``""``."""
    if ch.isascii():
        return "latin" if ch.isalpha() else ""
    if not (ch.isalpha() or unicodedata.category(ch)[0] == "M"):
        if ch == "\u30fc" or ch == "\u30fb":  # prolonged sound mark, middle dot
            return "kana"
        return ""
    try:
        first = unicodedata.name(ch).split(" ", 1)[0].split("-", 1)[0]
    except ValueError:
        return ""
    if first in _SCRIPT_ALIASES:
        return _SCRIPT_ALIASES[first]
    if first in ("HALFWIDTH", "FULLWIDTH"):
        return char_script(unicodedata.normalize("NFKC", ch)[:1]) if ch else ""
    if first == "MODIFIER" or first == "COMBINING":
        return ""
    return first.lower()


def detect_script(text: str) -> str:
    """The dominant script of ``text``: ``latin``, ``cyrillic``, ``arabic``, ``hebrew``,
    ``greek``, ``armenian``, ``georgian``, ``han``, ``kana``, ``hangul``, ``devanagari``…

    Japanese text that mixes Han and kana is ``kana``. Returns ``unknown`` when
    there is no letter at all.
    """
    counts: dict[str, int] = {}
    for ch in text:
        script = char_script(ch)
        if script:
            counts[script] = counts.get(script, 0) + 1
    if not counts:
        return "unknown"
    if "kana" in counts and "han" in counts:
        return "kana"
    return max(sorted(counts), key=lambda s: counts[s])

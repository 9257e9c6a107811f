"""Transliteration of normalised names to lower-case ASCII Latin.

Scripts whose usual romanisation of names differs from ICU's scholarly
output (Cyrillic, Greek, Arabic/Persian, Hebrew, Hangul, kana) have their own
tables here, written for names. Han and every other script go through
ICU (``Han-Latin`` gives pinyin) and, when PyICU is missing or switched off,
through the pure-Python ``anyascii``.

``split_words`` is the structural step the rest of the engine uses: it cuts a
normalised name into words, hyphen parts and, for Han and Hangul, syllables,
each already romanised.
"""

from __future__ import annotations

import importlib
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from anyascii import anyascii

from ._text import char_script, normalize

# --------------------------------------------------------------------------- ICU


class _Icu:
    """Lazily created ICU transliterators; ``enabled`` can be switched off."""

    def __init__(self) -> None:
        self.enabled = os.environ.get("UNFORGOTTEN_NAMES_NO_ICU", "") not in ("1", "true", "yes")
        self._cache: dict[str, Any] = {}
        self._available: bool | None = None

    def available(self) -> bool:
        if not self.enabled:
            return False
        if self._available is None:
            try:
                importlib.import_module("icu")
            except ImportError:  # pragma: no cover - depends on the machine
                self._available = False
            else:
                self._available = True
        return self._available

    def transliterate(self, rule: str, text: str) -> str | None:
        if not self.available():
            return None
        trans = self._cache.get(rule)
        if trans is None:
            icu: Any = importlib.import_module("icu")
            trans = icu.Transliterator.createInstance(rule)
            self._cache[rule] = trans
        return str(trans.transliterate(text))


_ICU = _Icu()


def use_icu(enabled: bool) -> None:
    """Switch ICU on or off (off forces the ``anyascii`` fallback); clears caches."""
    _ICU.enabled = enabled
    _ICU._available = None
    _clear_caches()


def icu_active() -> bool:
    """Whether transliteration currently goes through ICU."""
    return _ICU.available()


def _clear_caches() -> None:
    _translit_run.cache_clear()
    split_words.cache_clear()
    transliterate.cache_clear()
    for hook in _CACHE_HOOKS:
        hook()


_CACHE_HOOKS: list[Any] = []


def register_cache_hook(hook: Any) -> None:
    """Let other modules clear their caches when the ICU switch changes."""
    _CACHE_HOOKS.append(hook)


# ----------------------------------------------------------------------- Latin

_LATIN_SPECIAL = {
    "ə": "a",
    "ɘ": "e",
    "ø": "o",
    "æ": "ae",
    "œ": "oe",
    "ß": "ss",
    "ł": "l",
    "đ": "dj",
    "ð": "d",
    "þ": "th",
    "ŋ": "ng",
    "ħ": "h",
    "ı": "i",
    "ŀ": "l",
    "ſ": "s",
    "ĸ": "k",
    "ǝ": "e",
    "ɛ": "e",
    "ɔ": "o",
    "ʒ": "zh",
    "ʃ": "sh",
    "ɣ": "gh",
    "ƒ": "f",
    "ɲ": "ny",
}
# Letters whose accent changes the sound enough to spell it out.
_LATIN_ACCENTED = {
    "š": "sh",
    "ş": "sh",
    "ș": "sh",
    "ž": "zh",
    "č": "ch",
    "ç": "ch",
    "ć": "ch",
    "ñ": "ny",
    "ř": "rzh",
    "ő": "o",
    "ű": "u",
    "ğ": "g",
}


def _latin_to_ascii(text: str) -> str:
    out: list[str] = []
    for ch in text:
        if ch.isascii():
            out.append(ch)
            continue
        special = _LATIN_SPECIAL.get(ch) or _LATIN_ACCENTED.get(ch)
        if special is not None:
            out.append(special)
            continue
        base = "".join(
            c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c)
        )
        if base.isascii():
            out.append(base)
        else:
            out.append(anyascii(base).lower())
    return "".join(out)


# -------------------------------------------------------------------- Cyrillic

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo",
    "ж": "zh", "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "",
    "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    # Ukrainian, Belarusian
    "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "w",
    # Serbian, Macedonian
    "ђ": "dj", "ј": "j", "љ": "lj", "њ": "nj", "ћ": "ch", "џ": "dzh",
    "ѓ": "gj", "ќ": "kj", "ѕ": "dz",
    # Kazakh, Kyrgyz, Tajik, Tatar, Bashkir, Mongolian
    "ә": "a", "ғ": "gh", "қ": "q", "ң": "ng", "ө": "o", "ұ": "u", "ү": "u",
    "һ": "h", "ӣ": "i", "ӯ": "u", "ҳ": "h", "ҷ": "j", "ҙ": "z", "ҫ": "s",
    "ӑ": "a", "ӗ": "e", "ӳ": "u", "ҡ": "q", "ӧ": "o", "ӱ": "u", "ӓ": "a",
}
_UKRAINIAN_MARKERS = frozenset("іїєґ")


def _cyrillic(run: str) -> str:
    ukrainian = any(c in _UKRAINIAN_MARKERS for c in run)
    out: list[str] = []
    for ch in run:
        if ukrainian and ch == "г":
            out.append("h")
        elif ukrainian and ch == "и":
            out.append("y")
        else:
            out.append(_CYRILLIC.get(ch, ""))
    return "".join(out)


# ----------------------------------------------------------------------- Greek

_GREEK_DIGRAPHS = {
    "ου": "ou", "αι": "e", "ει": "i", "οι": "i", "υι": "i", "αυ": "av",
    "ευ": "ev", "μπ": "b", "ντ": "d", "γκ": "g", "γγ": "ng", "τσ": "ts", "τζ": "tz",
}
_GREEK = {
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i",
    "θ": "th", "ι": "i", "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x",
    "ο": "o", "π": "p", "ρ": "r", "σ": "s", "ς": "s", "τ": "t", "υ": "y",
    "φ": "f", "χ": "ch", "ψ": "ps", "ω": "o",
}


def _greek(run: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(run):
        pair = run[i : i + 2]
        if pair in _GREEK_DIGRAPHS:
            mapped = _GREEK_DIGRAPHS[pair]
            if pair in ("μπ", "ντ") and i > 0:
                mapped = "mb" if pair == "μπ" else "nd"
            out.append(mapped)
            i += 2
            continue
        out.append(_GREEK.get(run[i], ""))
        i += 1
    return "".join(out)


# ---------------------------------------------------------------------- Arabic

_ARABIC = {
    "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d",
    "ذ": "dh", "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d",
    "ط": "t", "ظ": "z", "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l",
    "م": "m", "ن": "n", "ه": "h",
    # Persian, Urdu, Kurdish, Pashto
    "پ": "p", "چ": "ch", "ژ": "zh", "گ": "g", "ٹ": "t", "ڈ": "d", "ڑ": "r",
    "ں": "n", "ھ": "h", "ڤ": "v", "ۆ": "o", "ێ": "e", "ڵ": "l", "ڕ": "r",
    "ڭ": "ng", "ۇ": "u", "ۈ": "u", "ۋ": "v", "ڠ": "ng", "ڨ": "g", "ڧ": "q",
    "ځ": "dz", "څ": "ts", "ښ": "sh", "ږ": "zh", "ګ": "g", "ڼ": "n",
}
_ARABIC_VOWEL_LETTERS = frozenset("اوي")


def _arabic(run: str) -> str:
    """Consonantal script: long vowels are letters, short vowels are guessed as none."""
    out: list[str] = []
    n = len(run)
    for i, ch in enumerate(run):
        prev = run[i - 1] if i > 0 else ""
        nxt = run[i + 1] if i + 1 < n else ""
        if ch == "ا":
            out.append("a")
        elif ch == "و":
            if i == 0 or nxt in ("ا", "ي") or (prev in ("ا", "و") and nxt):
                out.append("w")
            else:
                out.append("u")
        elif ch == "ي":
            if i == 0 or nxt in ("ا", "و") or (prev in ("ا", "ي") and nxt):
                out.append("y")
            else:
                out.append("i")
        elif ch == "ع":
            # A vowel carrier in most romanisations (Ali, Abd, Saad).
            out.append("" if prev == "ا" or nxt == "ا" else "a")
        elif ch == "ه" and i == n - 1 and i > 0:
            # Final heh: ta marbuta or Persian silent -eh.
            out.append("ah" if prev not in _ARABIC_VOWEL_LETTERS else "h")
        else:
            out.append(_ARABIC.get(ch, ""))
    return "".join(out)


# ---------------------------------------------------------------------- Hebrew

_HEBREW = {
    "ג": "g", "ד": "d", "ה": "h", "ז": "z", "ח": "kh", "ט": "t", "ל": "l",
    "מ": "m", "ם": "m", "נ": "n", "ן": "n", "ס": "s", "ק": "k", "ר": "r",
    "ש": "sh", "ת": "t", "צ": "ts", "ץ": "ts", "ך": "kh", "ף": "f",
}
_HEBREW_GERESH = {"ג": "j", "ז": "zh", "צ": "ch", "ץ": "ch", "ת": "th", "ד": "dh", "ח": "kh", "ט": "t"}
_GERESH = "\u05f3"


def _hebrew(run: str) -> str:
    letters = [c for c in run if c != _GERESH]
    geresh_after = set()
    j = -1
    for c in run:
        if c == _GERESH:
            geresh_after.add(j)
        else:
            j += 1
    out: list[str] = []
    n = len(letters)
    for i, ch in enumerate(letters):
        prev = letters[i - 1] if i > 0 else ""
        nxt = letters[i + 1] if i + 1 < n else ""
        if i in geresh_after and ch in _HEBREW_GERESH:
            out.append(_HEBREW_GERESH[ch])
        elif ch in ("א", "ע"):
            out.append("" if prev in ("א", "ע") else "a")
        elif ch == "ו":
            if prev == "ו":
                continue
            if nxt == "ו" or i == 0:
                out.append("v")
            else:
                out.append("o")
        elif ch == "י":
            if prev == "י":
                continue
            if i == 0 or nxt == "י" or nxt in ("ו", "א"):
                out.append("y")
            else:
                out.append("i")
        elif ch == "ב":
            out.append("b" if i == 0 or prev in ("מ", "ם") else "v")
        elif ch == "כ":
            out.append("k" if i == 0 else "kh")
        elif ch == "פ":
            out.append("p" if i == 0 else "f")
        elif ch == "ה" and i == n - 1 and i > 0:
            out.append("a")
        else:
            out.append(_HEBREW.get(ch, ""))
    return "".join(out)


# ---------------------------------------------------------------------- Hangul

_HANGUL_INITIAL = (
    "g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj",
    "ch", "k", "t", "p", "h",
)
_HANGUL_MEDIAL = (
    "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe",
    "yo", "u", "wo", "we", "wi", "yu", "eu", "ui", "i",
)
_HANGUL_FINAL = (
    "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p",
    "l", "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t",
)


def hangul_syllable(ch: str) -> str:
    """Revised Romanisation of one precomposed Hangul syllable (no sandhi)."""
    code = ord(ch) - 0xAC00
    if not 0 <= code < 11172:
        return anyascii(ch).lower()
    initial, rest = divmod(code, 588)
    medial, final = divmod(rest, 28)
    return _HANGUL_INITIAL[initial] + _HANGUL_MEDIAL[medial] + _HANGUL_FINAL[final]


# Conventional spellings of Korean family names, used for the first syllable
# of a Hangul name when it stands as a family name.
KOREAN_SURNAMES = {
    "이": "lee", "박": "park", "김": "kim", "최": "choi", "정": "jung", "조": "cho",
    "강": "kang", "윤": "yoon", "장": "jang", "임": "lim", "한": "han", "오": "oh",
    "서": "seo", "신": "shin", "권": "kwon", "황": "hwang", "안": "ahn", "송": "song",
    "류": "ryu", "유": "yoo", "전": "jeon", "홍": "hong", "고": "ko", "문": "moon",
    "양": "yang", "손": "son", "배": "bae", "백": "baek", "허": "heo", "남": "nam",
    "심": "shim", "노": "noh", "하": "ha", "곽": "kwak", "성": "sung", "차": "cha",
    "주": "joo", "우": "woo", "구": "koo", "민": "min", "나": "na", "진": "jin",
    "지": "ji", "엄": "eom", "채": "chae", "원": "won", "천": "cheon", "방": "bang",
    "공": "kong", "현": "hyun", "함": "ham", "변": "byun", "염": "yeom", "여": "yeo",
    "추": "choo", "도": "do", "석": "seok", "선": "sun", "설": "seol", "길": "gil",
    "연": "yeon", "위": "wi", "표": "pyo", "명": "myung", "기": "ki", "반": "ban",
    "라": "ra", "왕": "wang", "금": "keum", "옥": "ok", "육": "yook", "인": "in",
    "맹": "maeng", "탁": "tak", "국": "kook", "용": "yong", "경": "kyung",
    "봉": "bong", "태": "tae", "목": "mok", "형": "hyung", "두": "doo", "호": "ho",
    "제갈": "jegal", "남궁": "namgung", "선우": "sunwoo", "황보": "hwangbo",
    "독고": "dokgo", "사공": "sagong", "서문": "seomun",
}
KOREAN_SURNAMES_TWO = frozenset(k for k in KOREAN_SURNAMES if len(k) == 2)

# ------------------------------------------------------------------------ kana

_KANA_BASE = dict(zip(
    "アイウエオカキクケコガギグゲゴサシスセソザジズゼゾタチツテトダヂヅデド"
    "ナニヌネノハヒフヘホバビブベボパピプペポマミムメモヤユヨラリルレロワヰヱヲンヴ",
    ("a i u e o ka ki ku ke ko ga gi gu ge go sa shi su se so za ji zu ze zo "
     "ta chi tsu te to da ji zu de do na ni nu ne no ha hi fu he ho ba bi bu be bo "
     "pa pi pu pe po ma mi mu me mo ya yu yo ra ri ru re ro wa i e o n vu").split(),
    strict=True,
))
_KANA_SMALL_VOWEL = dict(zip("ァィゥェォ", "aiueo", strict=True))
_KANA_SMALL_Y = dict(zip("ャュョ", "auo", strict=True))
_KANA_LONG = "\u30fc"
_KANA_GEMINATE = "\u30c3"


def _kana_fold(ch: str) -> str:
    """Hiragana → katakana (same sounds)."""
    if "\u3041" <= ch <= "\u3096":
        return chr(ord(ch) + 0x60)
    return {"ヮ": "ァ", "ヵ": "カ", "ヶ": "ケ"}.get(ch, ch)


def kana_morae(run: str) -> tuple[tuple[str, bool], ...]:
    """Hepburn romaji of a kana run, one entry per mora: (romaji, followed by ``ー``).

    Small vowels combine with the kana before them the way loanwords use them
    (ファ ``fa``, ティ ``ti``, ヴィ ``vi``, ウィ ``wi``, クァ ``kwa``); a small ッ
    doubles the next consonant; ``ー`` lengthens the vowel and is not spelled.
    """
    morae: list[list[object]] = []
    geminate = False
    for raw in run:
        ch = _kana_fold(raw)
        if ch == _KANA_LONG:
            if morae:
                morae[-1][1] = True
            continue
        if ch == _KANA_GEMINATE:
            geminate = True
            continue
        if ch in _KANA_SMALL_VOWEL and morae:
            v = _KANA_SMALL_VOWEL[ch]
            prev = str(morae[-1][0])
            if prev in ("ku", "gu"):
                prev = prev[0] + "w" + v
            elif prev == "u":
                prev = "w" + v
            elif prev == "i":
                prev = "y" + v
            elif prev in ("shi", "chi", "ji") and v == "e":
                prev = prev[:-1] + v
            elif prev == "tsu" or prev[-1:] in "aeiou":
                prev = prev[:-1] + v
            morae[-1][0] = prev
            continue
        if ch in _KANA_SMALL_Y and morae:
            v = _KANA_SMALL_Y[ch]
            prev = str(morae[-1][0])
            if prev in ("shi", "chi", "ji"):
                prev = prev[:-1] + v
            elif prev.endswith("i"):
                prev = prev[:-1] + "y" + v
            else:
                prev = prev + "y" + v
            morae[-1][0] = prev
            continue
        text = _KANA_BASE.get(ch) or _KANA_SMALL_VOWEL.get(ch) or ""
        if not text:
            text = _ascii_letters(anyascii(ch))
            if not text:
                continue
        if geminate and text[0] not in "aeiou":
            text = ("t" if text.startswith("ch") else text[0]) + text
        geminate = False
        morae.append([text, False])
    return tuple((str(m[0]), bool(m[1])) for m in morae)


def _kana(run: str) -> str:
    return "".join(m for m, _long in kana_morae(run))


# ------------------------------------------------------------------- dispatch


def _icu_or_ascii(rule: str, run: str) -> str:
    out = _ICU.transliterate(rule, run)
    if out is None:
        out = anyascii(run)
    return _latin_to_ascii(out.lower())


@lru_cache(maxsize=200_000)
def _translit_run(script: str, run: str) -> str:
    if script == "latin":
        return _latin_to_ascii(run)
    if script == "cyrillic":
        return _cyrillic(run)
    if script == "greek":
        return _greek(run)
    if script == "arabic":
        return _arabic(run)
    if script == "hebrew":
        return _hebrew(run)
    if script == "hangul":
        return "".join(hangul_syllable(c) for c in run)
    if script == "han":
        return _icu_or_ascii("Han-Latin", run)
    if script == "kana":
        return _kana(run)
    return _icu_or_ascii("Any-Latin", run)


def _ascii_letters(text: str) -> str:
    return "".join(c for c in text.lower() if c.isascii() and c.isalnum())


def han_syllable(ch: str) -> str:
    """Pinyin (no tones) of one Han character."""
    return _ascii_letters(_translit_run("han", ch))


@dataclass(frozen=True, slots=True)
class Piece:
    """One romanised part of a name.

    ``word`` numbers the whitespace-separated words; Han and Hangul runs are
    cut into syllables that share one ``run`` number (``-1`` for other
    scripts). ``join`` is the spelling to use when the piece is glued to its
    neighbours (it differs from ``lat`` for Korean family names).
    """

    lat: str
    native: str
    script: str
    word: int
    run: int
    join: str


def _script_runs(part: str) -> list[tuple[str, str]]:
    runs: list[tuple[str, str]] = []
    for ch in part:
        script = char_script(ch)
        if not script:
            if (ch == _GERESH or unicodedata.category(ch)[0] == "M") and runs:
                runs[-1] = (runs[-1][0], runs[-1][1] + ch)
            elif ch.isdigit():
                script = "latin"
            else:
                continue
        if not script:
            continue
        if runs and runs[-1][0] == script:
            runs[-1] = (script, runs[-1][1] + ch)
        else:
            runs.append((script, ch))
    return runs


def _cjk_syllables(script: str, run: str) -> list[tuple[str, str]]:
    """(romanised, joined spelling) per syllable of a Han or Hangul run."""
    if script == "han":
        out = []
        for c in run:
            lat = _ascii_letters(_translit_run("han", c))
            out.append((lat, lat))
        return out
    syl = [(hangul_syllable(c), hangul_syllable(c)) for c in run]
    if 2 <= len(run) <= 4 and run[0] in KOREAN_SURNAMES and not (
        len(run) >= 3 and run[:2] in KOREAN_SURNAMES_TWO
    ):
        syl[0] = (KOREAN_SURNAMES[run[0]], syl[0][1])
    return syl


def _part_pieces(part: str, word: int, run_id: int, pieces: list[Piece]) -> int:
    """Append the pieces of one hyphen part; returns the next Han/Hangul run number."""
    lat_buf: list[str] = []
    native_buf: list[str] = []
    script_buf = ""
    for script, run in _script_runs(part) + [("", "")]:
        if script in ("han", "hangul", ""):
            lat = "".join(lat_buf)
            if lat:
                pieces.append(Piece(lat, "".join(native_buf), script_buf, word, -1, lat))
            lat_buf.clear()
            native_buf.clear()
            if not script:
                break
            for native, (lat, join) in zip(run, _cjk_syllables(script, run), strict=True):
                if lat:
                    pieces.append(Piece(lat, native, script, word, run_id, join))
            run_id += 1
            continue
        lat = _ascii_letters(_translit_run(script, run))
        if lat:
            if not lat_buf:
                script_buf = script
            lat_buf.append(lat)
            native_buf.append(run)
    return run_id


# A regnal number written "<numeral>세" in Korean or "<numeral>世" in Japanese and Chinese ("루이 14세",
# "ルイ14世") is the Roman numeral of Latin-script names ("Louis XIV"): read it as that numeral, or the
# number and its counter word become two tokens that match nothing on the other side.
_REGNAL = re.compile(r"^(\d{1,2})[\uc138\u4e16]$")
_ROMAN = (("x", 10), ("ix", 9), ("v", 5), ("iv", 4), ("i", 1))


def _roman(number: int) -> str:
    out = ""
    for letters, value in _ROMAN:
        while number >= value:
            out, number = out + letters, number - value
    return out


def _regnal(word: str) -> str:
    match = _REGNAL.match(word)
    if match is None or not 0 < int(match.group(1)) < 40:
        return word
    return _roman(int(match.group(1)))


@lru_cache(maxsize=50_000)
def split_words(name: str) -> tuple[Piece, ...]:
    """Normalise ``name`` and cut it into romanised pieces."""
    pieces: list[Piece] = []
    run_id = 0
    for w, word in enumerate(_regnal(word) for word in normalize(name).split(" ")):
        for part in word.split("-"):
            run_id = _part_pieces(part, w, run_id, pieces)
    return tuple(pieces)


@lru_cache(maxsize=65536)
def transliterate(text: str) -> str:
    """Romanise ``text`` to lower-case ASCII Latin (after ``normalize``).

    Words stay separated by spaces and hyphen parts by hyphens; Han and
    Hangul come out one syllable per word part (``刘晓波`` → ``liu xiao bo``).
    """
    words: list[str] = []
    for word in normalize(text).split(" "):
        parts: list[str] = []
        for part in word.split("-"):
            chunks: list[str] = []
            for script, run in _script_runs(part):
                if script == "hangul":
                    chunks.extend(hangul_syllable(c) for c in run)
                elif script == "han":
                    chunks.extend(_ascii_letters(_translit_run("han", c)) for c in run)
                else:
                    chunks.append(_ascii_letters(_translit_run(script, run)))
            text_part = " ".join(c for c in chunks if c)
            if text_part:
                parts.append(text_part)
        if parts:
            words.append("-".join(parts))
    return " ".join(words)

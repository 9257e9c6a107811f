"""Alternative readings: how a name written in another script may be spelled in Latin.

A romanisation table gives one spelling per native name (``Мамедов`` →
``mamedov``), but the Latin spelling a person actually uses often follows
other conventions, and transcriptions *into* Chinese, Japanese, Korean,
Hebrew or Arabic lose sounds the source language had. This module lists, for
one token, a few plausible Latin spellings besides the table's, most likely
first. ``make_token`` turns each into a sound key (``phonetic``), and token
comparison takes the best pair.

Each script describes a token as a sequence of *units*, each with a few
(spelling, cost) options; the cheapest combinations are kept (``_kbest``).

* Han: per pinyin syllable, the sound it stands for in a foreign name under
  the usual transcription conventions (斯 si → ``s``, 克 ke → ``k``, 尔 er →
  ``r``, 维 wei → ``v``…; the vowel of such a syllable is often not in the
  source), plus the Wade–Giles spelling used for Chinese names in older and
  Taiwanese sources (``hsiao``, ``chou``, ``tzu``).
* Kana: the vowels Japanese adds after consonants (``su``, ``ku``, ``to``),
  ``shi``/``si``, ``ji``/``gi``, ``chi``/``ti`` and the long-vowel mark read
  as an English ``r``.
* Hangul: the ``eu`` Korean adds after consonants, ``eo`` read as ``er``,
  ``u`` or ``o``, ``ae`` as ``a``, ``p``/``f``, ``b``/``v`` and ``r``/``l``.
* Cyrillic, Hebrew, Arabic: letters with more than one usual spelling
  (х ``kh``/``h``, ח ``kh``/``h``, ذ ``dh``/``z``…).
"""

from __future__ import annotations

from functools import lru_cache

from ._phonetic import phonetic

Option = tuple[str, float]
Unit = tuple[Option, ...]

_BEAM = 24
MAX_READINGS = 8


def _kbest(units: list[Unit], k: int = MAX_READINGS) -> list[str]:
    """The ``k`` cheapest spellings of a sequence of units that sound different
    (ties keep input order)."""
    beam: list[tuple[float, str]] = [(0.0, "")]
    for opts in units:
        if len(opts) == 1:
            text = opts[0][0]
            beam = [(p, s + text) for p, s in beam]
            continue
        nxt = [(p + q, s + o) for p, s in beam for o, q in opts]
        nxt.sort(key=lambda x: x[0])
        beam = nxt[:_BEAM]
    out: list[str] = []
    seen: set[str] = set()
    for _p, s in beam:
        key = phonetic(s)
        if s and key not in seen:
            seen.add(key)
            out.append(s)
            if len(out) >= k:
                break
    return out


# ----------------------------------------------------------------------- Han

_PINYIN_INITIALS = ("zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h",
                    "j", "q", "x", "r", "z", "c", "s", "y", "w")


def _pinyin_split(syllable: str) -> tuple[str, str]:
    for ini in _PINYIN_INITIALS:
        if syllable.startswith(ini) and len(syllable) > len(ini):
            return ini, syllable[len(ini):]
    return "", syllable


# How a pinyin initial spells a foreign sound.
_HAN_INITIAL: dict[str, Unit] = {
    "b": (("b", 0.0),), "p": (("p", 0.0),), "m": (("m", 0.0),), "f": (("f", 0.0),),
    "d": (("d", 0.0),), "t": (("t", 0.0),), "n": (("n", 0.0),), "l": (("l", 0.0),),
    "g": (("g", 0.0),), "k": (("k", 0.0),),
    "h": (("h", 0.0), ("", 0.1), ("kh", 0.15)),
    "j": (("j", 0.0), ("g", 0.05)),
    "q": (("ch", 0.0), ("k", 0.1)),
    "x": (("s", 0.0), ("sh", 0.05)),
    "zh": (("j", 0.0), ("zh", 0.1)),
    "ch": (("ch", 0.0),),
    "sh": (("sh", 0.0), ("s", 0.05)),
    "r": (("r", 0.0), ("j", 0.1)),
    "z": (("z", 0.0),), "c": (("ts", 0.0),), "s": (("s", 0.0),),
    "y": (("y", 0.0), ("j", 0.1)),
    "w": (("w", 0.0), ("v", 0.05)),
    "": (("", 0.0),),
}

# How a pinyin final spells a foreign vowel (and coda). ``None`` marks the
# vowels that transcriptions add after a lone consonant (斯 si for s).
_HAN_FINAL: dict[str, Unit] = {
    "a": (("a", 0.0),), "o": (("o", 0.0),), "e": (("e", 0.0),), "i": (("i", 0.0),),
    "u": (("u", 0.0),), "v": (("u", 0.0),), "ai": (("ai", 0.0), ("a", 0.1)),
    "ei": (("ei", 0.0),), "ao": (("o", 0.0), ("ao", 0.05)), "ou": (("ou", 0.0), ("o", 0.05)),
    "an": (("an", 0.0),), "en": (("en", 0.0), ("on", 0.1)), "ang": (("an", 0.0), ("on", 0.1)),
    "eng": (("en", 0.0), ("on", 0.1)), "ong": (("on", 0.0),), "er": (("r", 0.0), ("er", 0.05)),
    "ia": (("ia", 0.0), ("a", 0.05)), "ie": (("ie", 0.0), ("e", 0.05)), "iao": (("io", 0.0),),
    "iu": (("iu", 0.0), ("u", 0.1)), "ian": (("ian", 0.0), ("en", 0.05)),
    "in": (("in", 0.0),), "iang": (("ian", 0.0),), "ing": (("in", 0.0), ("ing", 0.05)),
    "iong": (("ion", 0.0),), "ua": (("ua", 0.0),), "uo": (("o", 0.0),),
    "uai": (("uai", 0.0),), "ui": (("ui", 0.0), ("wi", 0.05)), "uan": (("uan", 0.0), ("an", 0.1)),
    "un": (("un", 0.0), ("on", 0.05)), "uang": (("uan", 0.0),), "ue": (("ue", 0.0), ("o", 0.1)),
    "ve": (("ue", 0.0),), "van": (("uan", 0.0),), "vn": (("un", 0.0),),
}
# Syllables whose vowel is usually not in the source (斯 s, 克 k, 特 t, 尔 r…).
_HAN_EPENTHETIC_FINALS = frozenset({"e", "i", "u"})
_HAN_APICAL = frozenset({"z", "c", "s", "zh", "ch", "sh", "r"})


@lru_cache(maxsize=4096)
def _han_unit(syllable: str, first: bool) -> Unit:
    ini, fin = _pinyin_split(syllable)
    inis = _HAN_INITIAL.get(ini, ((ini, 0.0),))
    fins = _HAN_FINAL.get(fin, ((fin, 0.0),))
    if ini and fin in _HAN_EPENTHETIC_FINALS:
        drop = 0.0 if (fin == "i" and ini in _HAN_APICAL) or fin == "e" else 0.05
        if fin == "i" and ini not in _HAN_APICAL:
            drop = 0.1
        fins = ((fins[0][0], 0.04 if drop == 0.0 else 0.0), ("", drop))
    if ini == "y" and fin in ("i", "in", "ing"):
        inis = (("", 0.0),)
    if ini == "w" and fin == "u":
        inis, fins = (("", 0.0), ("w", 0.05)), (("u", 0.0),)
    opts: dict[str, float] = {}
    for a, pa in inis:
        for b, pb in fins:
            text = a + b
            cost = pa + pb
            if text and (text not in opts or opts[text] > cost):
                opts[text] = cost
    if first and ini == "" and fin == "er":
        opts = {"er": 0.0, "r": 0.05}
    return tuple(sorted(opts.items(), key=lambda kv: kv[1]))


def _wade_giles(syllable: str) -> str:
    ini, fin = _pinyin_split(syllable)
    if fin == "i" and ini in ("z", "c", "s"):
        return {"z": "tzu", "c": "tzu", "s": "ssu"}[ini]
    if fin == "i" and ini in ("zh", "ch", "sh", "r"):
        return {"zh": "chih", "ch": "chih", "sh": "shih", "r": "jih"}[ini]
    ini = {"b": "p", "d": "t", "g": "k", "zh": "ch", "j": "ch", "q": "ch", "x": "hs",
           "z": "ts", "c": "ts", "r": "j"}.get(ini, ini)
    fin = {"ong": "ung", "ian": "ien", "ie": "ieh", "ue": "ueh", "ui": "uei", "iong": "iung",
           "e": "o" if ini in ("k", "h") else "e", "uo": "o" if ini in ("k", "h", "sh", "") else "uo",
           "you": "yu"}.get(fin, fin)
    if ini == "y" and fin == "an":
        fin = "en"
    return ini + fin


def han_readings(syllables: tuple[str, ...]) -> list[str]:
    """Latin spellings of a run of Han syllables (pinyin), most likely first."""
    units = [_han_unit(s, i == 0) for i, s in enumerate(syllables)]
    out = _kbest(units)
    wg = "".join(_wade_giles(s) for s in syllables)
    if wg not in out:
        out.append(wg)
    return out


# ---------------------------------------------------------------------- kana

# Morae whose vowel Japanese adds after a consonant of the source, and other
# morae with a second usual spelling.
_KANA_MORA: dict[str, Unit] = {
    "ku": (("k", 0.0), ("ku", 0.05)), "gu": (("g", 0.0), ("gu", 0.05)),
    "su": (("s", 0.0), ("su", 0.05)), "zu": (("z", 0.0), ("s", 0.05), ("zu", 0.05)),
    "tsu": (("ts", 0.0), ("z", 0.05), ("tsu", 0.05)), "nu": (("nu", 0.0),),
    "fu": (("f", 0.0), ("fu", 0.05)), "bu": (("b", 0.0), ("bu", 0.05)),
    "pu": (("p", 0.0), ("pu", 0.05)), "mu": (("m", 0.0), ("mu", 0.05)),
    "ru": (("r", 0.0), ("ru", 0.05)), "vu": (("v", 0.0), ("vu", 0.05)),
    "to": (("t", 0.0), ("to", 0.03)), "do": (("d", 0.0), ("do", 0.03)),
    "shi": (("shi", 0.0), ("si", 0.05), ("sh", 0.05), ("s", 0.1)),
    "ji": (("ji", 0.0), ("gi", 0.05), ("j", 0.05), ("zi", 0.1)),
    "chi": (("chi", 0.0), ("ch", 0.05), ("ti", 0.1)),
    "je": (("je", 0.0), ("ge", 0.05)), "ja": (("ja", 0.0),), "sha": (("sha", 0.0),),
    "wa": (("wa", 0.0), ("va", 0.1)), "ho": (("ho", 0.0), ("kho", 0.15)),
    "ha": (("ha", 0.0), ("kha", 0.15)),
}
def kana_readings(morae: tuple[tuple[str, bool], ...]) -> list[str]:
    """Latin spellings of a kana token given as (romaji mora, followed by ``ー``);
    the long-vowel mark is also read as an English ``r`` (バート ``bert``)."""
    units: list[Unit] = []
    for k, (mora, long_) in enumerate(morae):
        m = mora
        if len(m) >= 3 and m[0] == m[1] or m.startswith("tch"):
            units.append(((m[0], 0.0),))  # gemination
            m = m[1:]
        opts = _KANA_MORA.get(m)
        if opts is None or k == 0 and m in ("to", "do"):
            opts = ((m, 0.0),)
        units.append(opts)
        if long_:
            units.append((("", 0.0), ("r", 0.04)))
    return _kbest(units)


# -------------------------------------------------------------------- Hangul

_HANGUL_MEDIAL_OPTS: dict[str, Unit] = {
    "eu": (("", 0.0), ("u", 0.05)),
    "eo": (("o", 0.0), ("er", 0.02), ("u", 0.02), ("a", 0.05)),
    "yeo": (("yo", 0.0), ("ye", 0.05)),
    "ae": (("a", 0.0), ("e", 0.02)),
    "e": (("e", 0.0), ("a", 0.08)),
    "oe": (("oe", 0.0), ("we", 0.05)),
    "ui": (("ui", 0.0), ("i", 0.05)),
    "wo": (("wo", 0.0), ("wa", 0.1)),
}
_HANGUL_INITIAL_OPTS: dict[str, Unit] = {
    "j": (("j", 0.0), ("z", 0.05), ("g", 0.08)), "ch": (("ch", 0.0), ("ts", 0.08)),
    "s": (("s", 0.0), ("sh", 0.05), ("th", 0.1)),
    "g": (("g", 0.0), ("k", 0.05)), "h": (("h", 0.0), ("", 0.1)),
}
_HANGUL_INITIALS = ("kk", "tt", "pp", "ss", "jj", "ch", "g", "n", "d", "r", "m", "b", "s",
                    "j", "k", "t", "p", "h")
_HANGUL_MEDIALS = ("yae", "wae", "yeo", "ae", "ya", "eo", "ye", "wa", "oe", "yo", "wo", "we",
                   "wi", "yu", "eu", "ui", "a", "e", "o", "u", "i")


def _hangul_parts(syllable: str) -> tuple[str, str, str]:
    ini = next((c for c in _HANGUL_INITIALS if syllable.startswith(c)), "")
    rest = syllable[len(ini):]
    med = next((v for v in _HANGUL_MEDIALS if rest.startswith(v)), "")
    return ini, med, rest[len(med):]


def hangul_readings(syllables: tuple[str, ...]) -> list[str]:
    """Latin spellings of a run of Hangul syllables (Revised Romanisation each),
    read the way Korean writes foreign names."""
    units: list[Unit] = []
    prev_final = ""
    for k, syl in enumerate(syllables):
        ini, med, fin = _hangul_parts(syl)
        if ini == "r" and prev_final == "l":
            ini_opts: Unit = (("", 0.0),)
        else:
            ini_opts = _HANGUL_INITIAL_OPTS.get(ini, ((ini, 0.0),))
        med_opts = _HANGUL_MEDIAL_OPTS.get(med, ((med, 0.0),))
        if med == "eu" and (fin or k == 0 and not ini):
            med_opts = (("", 0.0), ("u", 0.03), ("o", 0.05))
        if med == "eu" and not ini:
            med_opts = (("", 0.05), ("u", 0.03), ("e", 0.05))
        if med == "eu" and not fin and ini in ("ch", "j"):
            # 츠 ts, 즈 z/ds (Gates 게이츠, Suzuki 스즈키)
            ini_opts = (("ts", 0.0), ("ch", 0.05)) if ini == "ch" else (("z", 0.0), ("ds", 0.03), ("j", 0.05))
        fin_opts: Unit = ((fin, 0.0),)
        if fin == "t":
            fin_opts = (("t", 0.0), ("s", 0.05))
        units.extend((ini_opts, med_opts, fin_opts))
        prev_final = fin
    return _kbest(units)


# ------------------------------------------- letter scripts (lat-level rules)

# Per script: spellings of the table's output with their usual alternatives.
_LETTER_RULES: dict[str, dict[str, Unit]] = {
    "cyrillic": {
        "kh": (("kh", 0.0), ("h", 0.02)),
        "zh": (("zh", 0.0), ("j", 0.05), ("g", 0.08)),
        "dzh": (("j", 0.0), ("dzh", 0.02), ("g", 0.05)),
        "dz": (("dz", 0.0), ("z", 0.03)),
        "ts": (("ts", 0.0), ("c", 0.05), ("z", 0.05), ("tz", 0.05)),
        "iy$": (("iy", 0.0), ("y", 0.02), ("i", 0.02), ("ius", 0.08)),
        "yy": (("y", 0.0), ("yi", 0.02)),
        "yo": (("yo", 0.0), ("o", 0.03), ("e", 0.08)),
        "yu": (("yu", 0.0), ("u", 0.05), ("ju", 0.05)),
        "ya": (("ya", 0.0), ("ja", 0.05), ("ia", 0.05)),
        "y": (("y", 0.0), ("j", 0.05), ("i", 0.05)),
        "v": (("v", 0.0), ("w", 0.03)),
        "e": (("e", 0.0), ("a", 0.08)),
        "si": (("si", 0.0), ("shi", 0.08)),
        "ti": (("ti", 0.0), ("chi", 0.08)),
        "ks": (("ks", 0.0), ("x", 0.02)),
        "sh": (("sh", 0.0), ("sch", 0.05), ("s", 0.08)),
        "shch": (("shch", 0.0), ("sch", 0.05)),
        "ch": (("ch", 0.0), ("tch", 0.05), ("c", 0.08)),
    },
    "hebrew": {
        "kh": (("kh", 0.0), ("h", 0.0), ("ch", 0.02), ("k", 0.05)),
        "^v": (("v", 0.0), ("w", 0.02), ("we", 0.03), ("b", 0.05)),
        "v": (("v", 0.0), ("w", 0.02), ("b", 0.05)),
        "o": (("o", 0.0), ("u", 0.02), ("w", 0.05)),
        "sh": (("sh", 0.0), ("s", 0.05), ("ch", 0.08)),
        "ts": (("ts", 0.0), ("tz", 0.02), ("z", 0.05)),
        "y": (("y", 0.0), ("j", 0.03), ("i", 0.05)),
        "i": (("i", 0.0), ("e", 0.02), ("y", 0.03)),
        "a": (("a", 0.0), ("e", 0.03), ("", 0.05)),
        "zh": (("zh", 0.0), ("j", 0.02), ("g", 0.03)),
        "j": (("j", 0.0), ("g", 0.03)),
        "t": (("t", 0.0), ("th", 0.05)),
        "k": (("k", 0.0), ("c", 0.02), ("q", 0.05)),
    },
    "arabic": {
        "dh": (("dh", 0.0), ("z", 0.02), ("d", 0.03)),
        "th": (("th", 0.0), ("s", 0.03), ("t", 0.03)),
        "q": (("q", 0.0), ("k", 0.02), ("g", 0.05)),
        "j": (("j", 0.0), ("g", 0.05), ("dj", 0.05)),
        "gh": (("gh", 0.0), ("g", 0.02)),
        "kh": (("kh", 0.0), ("h", 0.05)),
        "ah$": (("ah", 0.0), ("a", 0.0), ("eh", 0.03), ("e", 0.03)),
        "ih$": (("ih", 0.0), ("iya", 0.0), ("ia", 0.02), ("iyah", 0.03), ("eh", 0.03)),
        "uh$": (("uh", 0.0), ("wa", 0.0), ("uwa", 0.02), ("wah", 0.03), ("oh", 0.03)),
        "^a": (("a", 0.0), ("o", 0.03), ("u", 0.03), ("i", 0.03), ("e", 0.03)),
        "w": (("w", 0.0), ("v", 0.05), ("o", 0.05)),
        "u": (("u", 0.0), ("o", 0.02), ("ou", 0.02), ("w", 0.05)),
        "i": (("i", 0.0), ("e", 0.02), ("ee", 0.03), ("y", 0.05)),
        "y": (("y", 0.0), ("i", 0.03), ("j", 0.08)),
        "a": (("a", 0.0), ("e", 0.03), ("", 0.05)),
    },
}
# ``^`` marks a spelling that has the alternatives only at the start of a token, ``$`` at the end.
_RULE_KEYS = {
    s: sorted(((k.strip("^$"), k) for k in r), key=lambda kk: -len(kk[0]))
    for s, r in _LETTER_RULES.items()
}


def letter_readings(lat: str, script: str) -> list[str]:
    """Latin spellings of a token of an alphabet or abjad (other usual spellings
    of its letters)."""
    rules = _LETTER_RULES.get(script)
    if not rules:
        return []
    keys = _RULE_KEYS[script]
    units: list[Unit] = []
    i = 0
    n = len(lat)
    while i < n:
        for k, rule in keys:
            if lat.startswith(k, i):
                if rule[0] == "^" and i != 0 or rule[-1] == "$" and i + len(k) != n:
                    continue
                units.append(rules[rule])
                i += len(k)
                break
        else:
            units.append(((lat[i], 0.0),))
            i += 1
    return _kbest(units)


# --------------------------------------------------------------------- Latin

_LATIN_VOWELS = frozenset("aeiouy")


def latin_readings(lat: str) -> list[str]:
    """How a Latin name sounds to a Chinese, Japanese or Korean transcriber.

    Those scripts follow the (English) pronunciation: ``th`` is heard as ``s``
    (スミス Smith), ``gh`` after a vowel and ``l`` in ``alk``/``olk``/``alm``
    are silent (Hughes 휴스, Walker 워커), ``g`` before
    ``e``/``i``/``y`` is soft (Gerald 제럴드). In the non-rhotic reading an
    ``r`` after a vowel and before a consonant or at the end is not written,
    and ``er``/``ir``/``ur`` sound like ``a`` (Turner ターナー, Barnes 巴恩斯),
    and a final ``e`` is silent. Only compared with CJK tokens.
    """
    if len(lat) < 3:
        return []
    out = []
    for rhotic in (False, True):
        text = _english(lat, rhotic)
        if text != lat and text not in out:
            out.append(text)
    if "ch" in lat:
        # Names of Greek and Hebrew origin keep a hard ch (Michael 마이클 マイケル, Christopher, Nicholas).
        text = _english(lat.replace("ch", "k"), False)
        if text != lat and text not in out:
            out.append(text)
    return out


def _english(lat: str, rhotic: bool) -> str:
    n = len(lat)
    out: list[str] = []
    i = 0
    while i < n:
        c = lat[i]
        nxt = lat[i + 1] if i + 1 < n else ""
        if (
            not rhotic
            and c == "r"
            and i > 0
            and lat[i - 1] in _LATIN_VOWELS
            and nxt not in _LATIN_VOWELS
            and nxt != "r"
        ):
            if out and out[-1] in ("e", "i", "u") and (len(out) < 2 or out[-2] not in _LATIN_VOWELS):
                out[-1] = "a"
            i += 1
            continue
        if c == "t" and nxt == "h":
            out.append("s")
            i += 2
            continue
        if c == "l" and i > 0 and lat[i - 1] in ("a", "o") and nxt in ("k", "m"):
            i += 1  # silent in walk, folk, palm
            continue
        if c == "g" and nxt == "h" and i > 0 and lat[i - 1] in _LATIN_VOWELS:
            i += 2
            continue
        if c == "g" and nxt in ("e", "i", "y") and (i == 0 or lat[i - 1] != "g"):
            out.append("j")
            i += 1
            continue
        if not rhotic and c == "e" and i == n - 1 and lat[i - 1] not in _LATIN_VOWELS and n > 3:
            break
        out.append(c)
        i += 1
    return "".join(out)

"""``NameIndex``: an in-memory inverted index of person names.

Layout (no Python object per posting):

* a vocabulary of distinct romanised tokens (``Token``), each with an int id;
* readings: the distinct ``phon|skel`` strings of the vocabulary's sound keys
  (a token's own and, for other scripts, its likeliest alternative readings),
  each with the token ids that have it; spelling variants of one name share a
  reading, so blocks hold far fewer entries than the vocabulary;
* blocking keys → readings: the consonant skeleton of a reading and its
  deletion neighbourhood, so spellings that differ in vowels, doubled letters
  or one consonant share a key. How a Latin token sounds to Chinese, Japanese
  and Korean (non-rhotic, ``th`` as ``s``…) is filed in separate blocks that
  only CJK queries probe;
* token id → person ids, one ``array('I')`` per token;
* token pairs → person ids: every unordered pair of a name's parts is hashed
  into one of 2**20 buckets holding ``pid << 16 | fingerprint`` in an
  ``array('Q')``, so people sharing two parts with a query are found without
  reading the long postings of common names;
* person records as ints in one ``array('I')``: per name, its token ids and
  its compound spans.

Search: every query token and compound is matched against the vocabulary: a
rapidfuzz pass (in C) ranks the readings of each blocking key (exact skeletons
first, the deletion neighbourhood only when they give too few close tokens —
always for a query token of another script than Latin, whose Latin spellings
are further away), and the tokens of the best readings are scored with
``token_similarity``. Pairs of matched tokens select candidate people (single
token postings when a query has one part or pairs fall short), weighted by the
share of the query each part covers; the best candidates are rescored with the
full name alignment that ``score`` uses, each distinct name once.

Removed and replaced people leave stale postings that search skips; they are
purged by compaction (on ``save`` or when dead entries outnumber live ones).
The file format is a magic string, a JSON header and raw little-endian arrays
(no pickle), versioned by ``_FORMAT_VERSION`` and ``ALGORITHM_VERSION``; files
of an older format or algorithm are rebuilt from their names on ``load``.
"""

from __future__ import annotations

import json
import os
import struct
import sys
import threading
from array import array
from collections.abc import Iterable, Sequence
from functools import lru_cache
from heapq import nlargest
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import Indel

from ._match import MATCH_FLOOR, Unit, side, side_score
from ._text import char_script
from ._tokens import NameForm, Token, analyse, make_probes, token_similarity

_MAGIC = b"UFNAMEIX"
_FORMAT_VERSION = 2
_READABLE_FORMATS = (1, 2)  # older ones are rebuilt from their names
# Bump when tokenisation or keys change: old files are rebuilt from their names.
ALGORITHM_VERSION = 3

_TOKEN_MATCHES = 40  # vocabulary tokens kept per query unit
_PAIR_MATCHES = 4  # of which the best few are combined into pair look-ups
_PER_BLOCK = 12  # readings kept per blocking key by the rapidfuzz pre-filter
_PER_BLOCK_OTHER = 24  # the same for query tokens of another script than Latin
_PROBES = 16  # best readings (over all keys of a stage) whose tokens are scored
_PROBES_OTHER = 32  # the same for query tokens of another script than Latin
_PER_PROBE = 4  # tokens scored per reading (those spelled most like the query)
_INDEX_READINGS = 3  # readings a non-Latin token is filed under
_GOOD_MATCH = 0.8  # token matches this close end the blocking search early...
_ENOUGH_GOOD = 5  # ...once there are this many
_RESCORE = 24  # people rescored with the full alignment (20 lost cross-script matches whose pair look-ups fell short)
_SINGLE_CAP = 300  # people read from single-token postings when pairs fall short
_BUCKET_BITS = 20  # pair postings are hashed into 2**20 buckets
_BUCKET_MASK = (1 << _BUCKET_BITS) - 1
_FP_MASK = 0xFFFF


def _pair_hash(a: int, b: int) -> tuple[int, int]:
    """(bucket, fingerprint) of an unordered pair of token ids."""
    h = hash((a, b) if a < b else (b, a)) & 0xFFFFFFFFFFFF
    return h & _BUCKET_MASK, (h >> _BUCKET_BITS) & _FP_MASK


def _skeleton_keys(skel: str) -> list[str]:
    """A skeleton and its deletion neighbourhood (one consonant less; two for
    long ones). One-consonant keys hold one-consonant tokens only: filing every
    two-consonant token under each of its consonants makes blocks of a tenth of
    the vocabulary that say little."""
    keys = [skel]
    if len(skel) >= 3:
        keys.extend(skel[:k] + skel[k + 1 :] for k in range(len(skel)))
    if len(skel) >= 7:
        for k in range(len(skel) - 1):
            keys.append(skel[:k] + skel[k + 2 :])
    return list(dict.fromkeys(keys))


def token_probes(token: Token, probe: bool = False) -> tuple[str, ...]:
    """The readings of a token (``phon|skel``) it is filed under, or probes with.

    Blocks are pre-filtered by Indel similarity of these, which counts
    consonants twice and vowels once, like ``token_similarity``. A token of
    another script than Latin probes with all its readings but is filed
    under its likeliest few (blocks stay small). A Latin token's own
    spelling only: its CJK reading is filed apart (``_cjk_probes``).
    """
    if token.script == "latin":
        return token.probes[:1]
    return token.probes if probe else token.probes[:_INDEX_READINGS]


@lru_cache(maxsize=200_000)
def probe_keys(probe: str) -> tuple[str, ...]:
    """The blocking keys a reading (``phon|skel``) is filed under: its
    skeleton and the skeleton's deletion neighbourhood, or its first vowel
    when it has at most one consonant."""
    phon, _bar, skel = probe.partition("|")
    if not skel:
        return (_vowel_key(phon),)
    keys = _skeleton_keys(skel)
    if len(skel) == 1:
        keys.append(_vowel_key(phon))
    elif len(skel) == 2:
        # For a one-consonant transcription that lost a consonant (바흐 Bach).
        keys.append(skel[0] + "*")
    return tuple(keys)


def blocking_keys(token: Token, probe: bool = False) -> dict[str, str]:
    """The keys a token is filed under (or probes with), each with the reading
    (``phon|skel``) it comes from: a reading's own skeleton first. A probe
    also looks up the one-consonant keys of a two-consonant skeleton (those
    blocks are small; the index files only one-consonant tokens there), and a
    multi-letter token of another script than Latin with one consonant the
    two-consonant readings that start with it (``b*``)."""
    probes = token_probes(token, probe)
    keys: dict[str, str] = {}
    for p in probes:
        keys.setdefault(p.partition("|")[2], p)
    for p in probes:
        for k in probe_keys(p):
            keys.setdefault(k, p)
        skel = p.partition("|")[2]
        if probe and len(skel) == 2:
            keys.setdefault(skel[0], p)
            keys.setdefault(skel[1], p)
        elif probe and len(skel) == 1 and token.script != "latin" and len(token.native) >= 2:
            keys.setdefault(skel + "*", p)
    keys.pop("", None)
    return keys


def _vowel_key(phon: str) -> str:
    """The key of a token with at most one consonant: its first vowel."""
    for ch in phon:
        if ch in "aiu":
            return "~" + ch
    return "~" + phon[:1]


def _unit_pairs(units: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """Unordered pairs of non-overlapping units (token ids) of one name."""
    out: list[tuple[int, int]] = []
    units = units[:12]
    for i, (s1, e1, v1) in enumerate(units):
        for s2, e2, v2 in units[i + 1 :]:
            if e1 <= s2 or e2 <= s1:
                out.append((v1, v2) if v1 < v2 else (v2, v1))
    return out


def _vocab_id(token: Token) -> tuple[str, str, str, tuple[str, ...]]:
    return (token.lat, token.script, token.particle, token.variants)


class NameIndex:
    """People (by key) and all their name variants, searchable across scripts."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._vocab: list[Token] = []
        self._vocab_ids: dict[tuple[str, str, str, tuple[str, ...]], int] = {}
        self._vocab_phon: list[str] = []
        # Distinct readings (``phon|skel``) of the vocabulary, each with the
        # tokens that have it; blocks list the readings filed under a key.
        self._probes: list[str] = []
        self._probe_ids: dict[str, int] = {}
        self._probe_vids: list[array[int]] = []
        self._probe_where = bytearray()  # 1: in the main blocks, 2: in the CJK-reading blocks
        self._blocks: dict[str, array[int]] = {}
        self._block_strs: dict[str, list[str]] = {}
        # The same for how Latin tokens sound to CJK scripts (probed by CJK queries only).
        self._cjk_blocks: dict[str, array[int]] = {}
        self._cjk_block_strs: dict[str, list[str]] = {}
        self._postings: list[array[int]] = []
        # bucket → entries (pid << 16 | fingerprint) of people holding a token pair
        self._pairs: dict[int, array[int]] = {}
        self._keys: list[str | None] = []
        self._pids: dict[str, int] = {}
        self._data: array[int] = array("I")
        self._start: array[int] = array("Q")
        self._dead = 0
        self._match_cache: dict[tuple[str, str, str, tuple[str, ...]], list[tuple[float, int]]] = {}
        # Reading id → the spellings of its tokens, for readings shared by many
        # tokens (built on first use; a search ranks them per probed reading).
        self._spellings: dict[int, list[str]] = {}

    # ------------------------------------------------------------- building

    def __len__(self) -> int:
        return len(self._pids)

    def __contains__(self, key: object) -> bool:
        return key in self._pids

    def _intern(self, token: Token) -> int:
        vid_key = _vocab_id(token)
        vid = self._vocab_ids.get(vid_key)
        if vid is not None:
            return vid
        vid = len(self._vocab)
        self._vocab_ids[vid_key] = vid
        self._vocab.append(token)
        self._vocab_phon.append(token.phon)
        self._postings.append(array("I"))
        for p in token_probes(token):
            self._file(vid, p, 1)
        if token.script == "latin":
            for p in token.probes[1:]:
                self._file(vid, p, 2)
        self._match_cache.clear()
        return vid

    def _file(self, vid: int, p: str, where: int) -> None:
        """File token ``vid`` under reading ``p``, and ``p`` under its keys in
        the main blocks (``where`` 1) or the CJK-reading blocks (2)."""
        pid = self._probe_ids.get(p)
        if pid is None:
            pid = len(self._probes)
            self._probe_ids[p] = pid
            self._probes.append(p)
            self._probe_vids.append(array("I", (vid,)))
            self._probe_where.append(0)
        else:
            self._probe_vids[pid].append(vid)
            self._spellings.pop(pid, None)
        if self._probe_where[pid] & where:
            return
        self._probe_where[pid] |= where
        blocks, strs = (
            (self._blocks, self._block_strs) if where == 1 else (self._cjk_blocks, self._cjk_block_strs)
        )
        for k in probe_keys(p):
            block = blocks.get(k)
            if block is None:
                blocks[k] = array("I", (pid,))
                strs[k] = [p]
            else:
                block.append(pid)
                strs[k].append(p)

    def add(self, key: str, names: Sequence[str]) -> None:
        """Index ``key`` with all its name variants (replaces earlier names of ``key``)."""
        if isinstance(names, str):
            names = [names]
        forms = [analyse(n) for n in dict.fromkeys(names)]
        with self._lock:
            self._add_forms(key, forms)

    def _add_forms(self, key: str, forms: Iterable[NameForm]) -> None:
        if key in self._pids:
            self._remove(key)
        pid = len(self._keys)
        record: list[int] = []
        vids: set[int] = set()
        pairs: set[tuple[int, int]] = set()
        count = 0
        for form in forms:
            if not form.tokens:
                continue
            count += 1
            tids = [self._intern(t) for t in form.tokens]
            record.append(len(tids))
            record.extend(tids)
            record.append(len(form.spans))
            units = [(i, i + 1, v) for i, v in enumerate(tids) if not form.tokens[i].particle]
            for span in form.spans:
                sid = self._intern(span.token)
                record.extend((span.start, span.end, sid))
                vids.add(sid)
                units.append((span.start, span.end, sid))
            vids.update(tids)
            pairs.update(_unit_pairs(units))
        self._keys.append(key)
        self._pids[key] = pid
        self._start.append(len(self._data))
        self._data.append(count)
        self._data.extend(record)
        for vid in vids:
            self._postings[vid].append(pid)
        self._add_pairs(pid, pairs)

    def _add_pairs(self, pid: int, pairs: Iterable[tuple[int, int]]) -> None:
        buckets = self._pairs
        for a, b in pairs:
            bucket, fp = _pair_hash(a, b)
            entry = (pid << 16) | fp
            post = buckets.get(bucket)
            if post is None:
                buckets[bucket] = array("Q", (entry,))
            else:
                post.append(entry)

    def remove(self, key: str) -> None:
        """Forget ``key``; unknown keys are ignored."""
        with self._lock:
            if key in self._pids:
                self._remove(key)
                if self._dead > 50_000 and self._dead > len(self._pids):
                    self._compact()

    def _remove(self, key: str) -> None:
        pid = self._pids.pop(key)
        self._keys[pid] = None
        self._dead += 1

    def _compact(self) -> None:
        """Renumber people and drop the postings of removed or replaced ones."""
        live = [pid for pid, k in enumerate(self._keys) if k is not None]
        remap = array("I", bytes(4 * len(self._keys)))
        for new, old in enumerate(live):
            remap[old] = new
        alive = bytearray(len(self._keys))
        for old in live:
            alive[old] = 1
        data: array[int] = array("I")
        start: array[int] = array("Q")
        keys: list[str | None] = []
        for old in live:
            start.append(len(data))
            data.extend(self._record(old))
            keys.append(self._keys[old])
        for vid, post in enumerate(self._postings):
            self._postings[vid] = array("I", [remap[p] for p in post if alive[p]])
        for bucket, entries in list(self._pairs.items()):
            kept = array(
                "Q", [(remap[e >> 16] << 16) | (e & _FP_MASK) for e in entries if alive[e >> 16]]
            )
            if kept:
                self._pairs[bucket] = kept
            else:
                del self._pairs[bucket]
        self._data, self._start, self._keys = data, start, keys
        self._pids = {k: i for i, k in enumerate(keys) if k is not None}
        self._dead = 0

    def _record(self, pid: int) -> array[int]:
        start = self._start[pid]
        end = self._start[pid + 1] if pid + 1 < len(self._start) else len(self._data)
        return self._data[start:end]

    # --------------------------------------------------------------- search

    def _token_matches(self, token: Token) -> list[tuple[float, int]]:
        """Vocabulary tokens like ``token``: (similarity, id), best first.

        Each blocking key's readings are ranked by a rapidfuzz pass (in C);
        the best readings' tokens are scored with ``token_similarity``.
        """
        cache_key = _vocab_id(token)
        cached = self._match_cache.get(cache_key)
        if cached is not None:
            return cached
        vocab = self._vocab
        probe_vids = self._probe_vids
        keys = blocking_keys(token, probe=True)
        own = {token.skel, *token.vskels}
        # Exact skeletons first; the wider deletion neighbourhood only if they fall short.
        stages = ([k for k in keys if k in own], [k for k in keys if k not in own])
        # Spelling variants of a Latin name are found in its own blocks; a name
        # from another script needs the wider search to reach its Latin forms.
        same_script = token.script == "latin"
        per_block = _PER_BLOCK if same_script else _PER_BLOCK_OTHER
        budget = _PROBES if same_script else _PROBES_OTHER
        scored: list[tuple[float, int]] = []
        done: set[int] = set()
        exact = self._vocab_ids.get(cache_key)
        if exact is not None:
            scored.append((1.0, exact))
            done.add(exact)
        ranked: dict[int, float] = {}
        expanded: set[int] = set()
        maps = [(self._blocks, self._block_strs)]
        if token.cjk:
            maps.append((self._cjk_blocks, self._cjk_block_strs))
        for stage in stages:
            for k in stage:
                for blocks, strs in maps:
                    block = blocks.get(k)
                    if block is None:
                        continue
                    for _c, sc, i in process.extract(
                        keys[k],
                        strs[k],
                        scorer=Indel.normalized_similarity,
                        limit=per_block,
                        score_cutoff=0.4,
                    ):
                        pid = block[i]
                        if ranked.get(pid, 0.0) < sc:
                            ranked[pid] = sc
            fresh = [(sc, pid) for pid, sc in ranked.items() if pid not in expanded]
            for _sc, pid in nlargest(budget, fresh):
                expanded.add(pid)
                vids: Sequence[int] = probe_vids[pid]
                if len(vids) > _PER_PROBE:
                    vids = self._closest_spellings(token, pid, vids)
                for v in vids:
                    if v in done:
                        continue
                    done.add(v)
                    s = token_similarity(token, vocab[v])
                    if s >= MATCH_FLOOR:
                        scored.append((s, v))
            if same_script and sum(1 for s, _v in scored if s >= _GOOD_MATCH) >= _ENOUGH_GOOD:
                break
        out = nlargest(_TOKEN_MATCHES, scored)
        if len(self._match_cache) > 20_000:
            self._match_cache.clear()
        self._match_cache[cache_key] = out
        return out

    def _closest_spellings(self, token: Token, pid: int, vids: Sequence[int]) -> list[int]:
        """The ``_PER_PROBE`` tokens of reading ``pid`` spelled most like ``token``."""
        lats = self._spellings.get(pid)
        if lats is None:
            vocab = self._vocab
            lats = self._spellings[pid] = [vocab[v].lat for v in vids]
        best = process.extract(token.lat, lats, scorer=Indel.normalized_similarity, limit=_PER_PROBE)
        return [vids[i] for _c, _s, i in best]

    def search(self, query: str, limit: int = 10) -> list[tuple[str, float]]:
        """The keys whose names best match ``query``, best first, with scores 0..1."""
        if limit <= 0:
            return []
        form = analyse(query)
        if not form.tokens:
            return []
        with self._lock:
            return self._search(form, limit)

    def _search(self, form: NameForm, limit: int) -> list[tuple[str, float]]:
        q_tokens = list(form.tokens)
        q_units: list[Unit] = [(i, i + 1, t) for i, t in enumerate(q_tokens)]
        q_units.extend((s.start, s.end, s.token) for s in form.spans)
        # A unit's matches count by the share of the query's weight it covers,
        # so a compound matching the whole query outranks one syllable matching.
        total = sum(t.weight for t in q_tokens) or 1.0
        matched: list[tuple[int, int, list[tuple[float, int]], bool, float]] = []
        for start, end, tok in q_units:
            matches = self._token_matches(tok)
            if matches:
                cover = sum(t.weight for t in q_tokens[start:end]) / total
                matched.append((start, end, matches, bool(tok.particle), cover))
        if not matched:
            return []
        est: dict[int, float] = {}
        named = [m for m in matched if not m[3]]
        buckets = self._pairs
        for i, (s1, e1, m1, _p1, c1) in enumerate(named):
            for s2, e2, m2, _p2, c2 in named[i + 1 :]:
                if not (e1 <= s2 or e2 <= s1):
                    continue
                for sa, va in m1[:_PAIR_MATCHES]:
                    for sb, vb in m2[:_PAIR_MATCHES]:
                        bucket, fp = _pair_hash(va, vb)
                        entries = buckets.get(bucket)
                        if entries is None:
                            continue
                        both = sa * c1 + sb * c2
                        for e in entries:
                            if e & _FP_MASK == fp:
                                pid = e >> 16
                                if est.get(pid, 0.0) < both:
                                    est[pid] = both
        want = max(_RESCORE, limit)
        if len(est) < want:
            # Few people share two parts with the query: read single-token postings.
            for _s, _e, matches, _p, cover in sorted(
                named or matched, key=lambda m: -m[2][0][0] * m[4]
            ):
                read = 0
                for sim, v in matches:
                    value = sim * cover
                    for pid in self._postings[v]:
                        if est.get(pid, 0.0) < value:
                            est[pid] = value
                        read += 1
                        if read >= _SINGLE_CAP:
                            break
                    if read >= _SINGLE_CAP:
                        break
        top = nlargest(want, est.items(), key=lambda kv: kv[1])
        return self._rescore(q_tokens, q_units, (pid for pid, _e in top), limit)

    def _rescore(
        self,
        q_tokens: list[Token],
        q_units: list[Unit],
        candidates: Iterable[int],
        limit: int,
    ) -> list[tuple[str, float]]:
        cache: dict[tuple[int, int], float] = {}

        def sim(a: Token, b: Token) -> float:
            k = (id(a), id(b))
            s = cache.get(k)
            if s is None:
                s = token_similarity(a, b)
                cache[k] = s
            return s

        keys = self._keys
        data = self._data
        starts = self._start
        vocab = self._vocab
        query = side(q_tokens, q_units)
        # People often share a name: score each distinct name record once.
        by_name: dict[bytes, float] = {}
        scored: list[tuple[float, int]] = []
        for pid in candidates:
            if keys[pid] is None:
                continue
            pos = starts[pid]
            count = data[pos]
            pos += 1
            best = 0.0
            for _ in range(count):
                n = data[pos]
                m = data[pos + 1 + n]
                end = pos + 2 + n + 3 * m
                name_key = data[pos:end].tobytes()
                r = by_name.get(name_key)
                if r is None:
                    toks = [vocab[v] for v in data[pos + 1 : pos + 1 + n]]
                    units: list[Unit] = [(i, i + 1, t) for i, t in enumerate(toks)]
                    for k in range(pos + 2 + n, end, 3):
                        units.append((data[k], data[k + 1], vocab[data[k + 2]]))
                    r = side_score(query, side(toks, units), sim)
                    by_name[name_key] = r
                if r > best:
                    best = r
                pos = end
            if best > 0.0:
                scored.append((best, -pid))
        top = nlargest(limit, scored)
        return [(str(keys[-neg]), round(s, 4)) for s, neg in top]

    # ---------------------------------------------------------- persistence

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the index to ``path`` (versioned binary format, no pickle)."""
        with self._lock:
            if self._dead:
                self._compact()
            vocab_fields = [
                [t.lat, t.native, t.script, t.phon, t.skel, list(t.variants), list(t.vskels),
                 t.particle, t.weight, t.vowels_unreliable, t.cjk]
                for t in self._vocab
            ]
            keys_blob = "\x00".join(k or "" for k in self._keys).encode("utf-8")
            vocab_blob = json.dumps(vocab_fields, ensure_ascii=False, separators=(",", ":")).encode()
            offsets = array("Q", [0])
            flat: array[int] = array("I")
            for post in self._postings:
                flat.extend(post)
                offsets.append(len(flat))
            pair_buckets = array("I", sorted(self._pairs))
            pair_offsets = array("Q", [0])
            pair_flat: array[int] = array("Q")
            for bucket in pair_buckets:
                pair_flat.extend(self._pairs[bucket])
                pair_offsets.append(len(pair_flat))
            sections = [
                ("keys", keys_blob),
                ("post_offsets", offsets.tobytes()),
                ("postings", flat.tobytes()),
                ("vocab", vocab_blob),
                ("data", self._data.tobytes()),
                ("start", self._start.tobytes()),
                ("pair_buckets", pair_buckets.tobytes()),
                ("pair_offsets", pair_offsets.tobytes()),
                ("pairs", pair_flat.tobytes()),
            ]
            header = {
                "format": _FORMAT_VERSION,
                "algorithm": ALGORITHM_VERSION,
                "people": len(self._keys),
                "sections": [[name, len(blob)] for name, blob in sections],
                "itemsize": {"I": array("I").itemsize, "Q": array("Q").itemsize},
                "byteorder": sys.byteorder,
            }
            head = json.dumps(header).encode()
            tmp = Path(str(path) + ".tmp")
            with open(tmp, "wb") as f:
                f.write(_MAGIC)
                f.write(struct.pack("<I", len(head)))
                f.write(head)
                for _name, blob in sections:
                    f.write(blob)
            os.replace(tmp, path)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> NameIndex:
        """Read an index written by ``save`` (files of older formats or
        algorithms are rebuilt from their names)."""
        with open(path, "rb") as f:
            if f.read(len(_MAGIC)) != _MAGIC:
                raise ValueError("not a names index file")
            (head_len,) = struct.unpack("<I", f.read(4))
            header = json.loads(f.read(head_len))
            fmt = header.get("format")
            if fmt not in _READABLE_FORMATS:
                raise ValueError(f"unsupported names index format {fmt}")
            blobs: dict[str, bytes] = {}
            for name, size in header["sections"]:
                blobs[str(name)] = f.read(int(size))
        swap = header.get("byteorder") != sys.byteorder

        def ints(name: str, code: str) -> array[int]:
            arr = array(code)
            arr.frombytes(blobs.get(name, b""))
            if swap:
                arr.byteswap()
            return arr

        data = ints("data", "I")
        start = ints("start", "Q")
        keys_text = blobs["keys"].decode("utf-8")
        keys: list[str | None] = list(keys_text.split("\x00")) if header["people"] else []
        fields = json.loads(blobs["vocab"])
        if fmt != _FORMAT_VERSION or header.get("algorithm") != ALGORITHM_VERSION:
            # Keys and sounds changed: re-analyse the stored names.
            natives = [str(f[1]) for f in fields]
            return cls._rebuild(keys, natives, data, start)
        vocab = [
            Token(str(f[0]), str(f[1]), str(f[2]), str(f[3]), str(f[4]), tuple(f[5]), tuple(f[6]),
                  make_probes(str(f[3]), f[5]), str(f[7]), float(f[8]), bool(f[9]), bool(f[10]))
            for f in fields
        ]
        index = cls()
        for t in vocab:
            index._intern(t)
        index._data, index._start, index._keys = data, start, keys
        index._pids = {k: i for i, k in enumerate(keys) if k is not None}
        offsets = ints("post_offsets", "Q")
        flat = ints("postings", "I")
        index._postings = [flat[offsets[v] : offsets[v + 1]] for v in range(len(vocab))]
        buckets = ints("pair_buckets", "I")
        pair_offsets = ints("pair_offsets", "Q")
        pairs = ints("pairs", "Q")
        index._pairs = {
            b: pairs[pair_offsets[i] : pair_offsets[i + 1]] for i, b in enumerate(buckets)
        }
        return index

    @classmethod
    def _rebuild(
        cls, keys: list[str | None], natives: list[str], data: array[int], start: array[int]
    ) -> NameIndex:
        index = cls()
        total = len(data)
        for pid, key in enumerate(keys):
            if key is None:
                continue
            pos = start[pid]
            end = start[pid + 1] if pid + 1 < len(start) else total
            names: list[str] = []
            count = data[pos]
            pos += 1
            for _ in range(count):
                n = data[pos]
                names.append(_join_natives([natives[v] for v in data[pos + 1 : pos + 1 + n]]))
                pos += 2 + n + 3 * data[pos + 1 + n]
            if pos != end:
                raise ValueError("corrupt names index record")
            index.add(key, names)
        return index


def _join_natives(parts: list[str]) -> str:
    """A name from its tokens' native spellings: Han and Hangul syllables of a
    run are written together, other tokens apart."""
    out = ""
    prev_cjk = False
    for part in parts:
        cjk = bool(part) and char_script(part[0]) in ("han", "hangul")
        out += part if (cjk and prev_cjk) or not out else " " + part
        prev_cjk = cjk
    return out

"""``NameIndex``: an in-memory inverted index of person names.

Layout (no Python object per posting):

* a vocabulary of distinct romanised tokens (``Token``), each with an int id;
* blocking keys → token ids: the consonant skeleton of a token and its
  one-deletion neighbourhood, so spellings that differ in vowels, doubled
  letters or one consonant share a key;
* token id → person ids, one ``array('I')`` per token;
* token pairs → person ids: every unordered pair of a name's parts is hashed
  into one of 2**20 buckets holding ``pid << 16 | fingerprint`` in an
  ``array('Q')``, so people sharing two parts with a query are found without
  reading the long postings of common names;
* person records as ints in one ``array('I')``: per name, its token ids and
  its compound spans.

Search: every query token and compound is matched against the vocabulary
(exact skeleton blocks first, the deletion neighbourhood only when they give
too few close tokens; a rapidfuzz pre-filter inside large blocks; then
``token_similarity``); pairs of matched tokens select candidate people (single
token postings when a query has one part or pairs fall short); the best
candidates are rescored with the full name alignment that ``score`` uses.

Removed and replaced people leave stale postings that search skips; they are
purged by compaction (on ``save`` or when dead entries outnumber live ones).
The file format is a magic string, a JSON header and raw little-endian arrays
(no pickle), versioned by ``_FORMAT_VERSION`` and ``ALGORITHM_VERSION``.
"""

from __future__ import annotations

import json
import os
import struct
import sys
import threading
from array import array
from collections.abc import Iterable, Sequence
from heapq import nlargest
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import Indel

from ._match import MATCH_FLOOR, Unit, match_units
from ._tokens import NameForm, Token, analyse, token_similarity

_MAGIC = b"UFNAMEIX"
_FORMAT_VERSION = 1
# Bump when tokenisation or keys change: old files are rebuilt from their names.
ALGORITHM_VERSION = 1

_TOKEN_MATCHES = 40  # vocabulary tokens kept per query unit
_PAIR_MATCHES = 4  # of which the best few are combined into pair look-ups
_PER_BLOCK = 12  # candidates kept per blocking key by the rapidfuzz pre-filter
_GOOD_MATCH = 0.8  # token matches this close end the blocking search early...
_ENOUGH_GOOD = 8  # ...once there are this many
_RESCORE = 20  # people rescored with the full alignment
_SINGLE_CAP = 300  # people read from single-token postings when pairs fall short
_BUCKET_BITS = 20  # pair postings are hashed into 2**20 buckets
_BUCKET_MASK = (1 << _BUCKET_BITS) - 1
_FP_MASK = 0xFFFF


def _pair_hash(a: int, b: int) -> tuple[int, int]:
    """(bucket, fingerprint) of an unordered pair of token ids."""
    h = hash((a, b) if a < b else (b, a)) & 0xFFFFFFFFFFFF
    return h & _BUCKET_MASK, (h >> _BUCKET_BITS) & _FP_MASK


def _skeleton_keys(skel: str) -> list[str]:
    keys = [skel]
    if len(skel) >= 2:
        keys.extend(skel[:k] + skel[k + 1 :] for k in range(len(skel)))
    if len(skel) >= 7:
        for k in range(len(skel) - 1):
            keys.append(skel[:k] + skel[k + 2 :])
    return list(dict.fromkeys(keys))


def _phon_skeleton(phon: str) -> str:
    out: list[str] = []
    for ch in phon:
        if ch in "aeiouhw":
            continue
        ch = "n" if ch == "m" else ("s" if ch == "j" else ch)
        if out and out[-1] == ch:
            continue
        out.append(ch)
    return "".join(out)


def blocking_keys(token: Token) -> list[str]:
    """The keys a token is filed under (and probed with)."""
    skels = {token.skel}
    for v in token.variants:
        skels.add(_phon_skeleton(v))
    keys: list[str] = []
    for s in skels:
        if s:
            keys.extend(_skeleton_keys(s))
        else:
            keys.append("~" + token.phon[:3])
    if token.skel and len(token.skel) <= 1:
        # One consonant says little: file by sound prefix too.
        keys.append("~" + token.phon[:3])
    return list(dict.fromkeys(keys))


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
        self._blocks: dict[str, array[int]] = {}
        self._block_phons: dict[str, list[str]] = {}
        self._postings: list[array[int]] = []
        # bucket → entries (pid << 16 | fingerprint) of people holding a token pair
        self._pairs: dict[int, array[int]] = {}
        self._keys: list[str | None] = []
        self._pids: dict[str, int] = {}
        self._data: array[int] = array("I")
        self._start: array[int] = array("Q")
        self._dead = 0
        self._match_cache: dict[tuple[str, str, str, tuple[str, ...]], list[tuple[float, int]]] = {}

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
        for k in blocking_keys(token):
            block = self._blocks.get(k)
            if block is None:
                self._blocks[k] = array("I", (vid,))
                self._block_phons[k] = [token.phon]
            else:
                block.append(vid)
                self._block_phons[k].append(token.phon)
        self._match_cache.clear()
        return vid

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

    def _names_of(self, pid: int) -> list[tuple[list[Token], list[Unit]]]:
        data = self._data
        vocab = self._vocab
        pos = self._start[pid]
        count = data[pos]
        pos += 1
        out: list[tuple[list[Token], list[Unit]]] = []
        for _ in range(count):
            n = data[pos]
            toks = [vocab[v] for v in data[pos + 1 : pos + 1 + n]]
            pos += 1 + n
            m = data[pos]
            pos += 1
            units: list[Unit] = [(i, i + 1, t) for i, t in enumerate(toks)]
            for _s in range(m):
                units.append((data[pos], data[pos + 1], vocab[data[pos + 2]]))
                pos += 3
            out.append((toks, units))
        return out

    def _token_matches(self, token: Token) -> list[tuple[float, int]]:
        """Vocabulary tokens like ``token``: (similarity, id), best first."""
        cache_key = _vocab_id(token)
        cached = self._match_cache.get(cache_key)
        if cached is not None:
            return cached
        exact = self._vocab_ids.get(cache_key)
        picked: set[int] = set()
        if exact is not None:
            picked.add(exact)
        phon = token.phon
        vocab = self._vocab
        keys = blocking_keys(token)
        own = {token.skel, *(_phon_skeleton(v) for v in token.variants)}
        # Exact skeletons first; the wider deletion neighbourhood only if they fall short.
        stages = ([k for k in keys if k in own], [k for k in keys if k not in own])
        scored: list[tuple[float, int]] = []
        done: set[int] = set()
        for stage in stages:
            for k in stage:
                block = self._blocks.get(k)
                if block is None:
                    continue
                if len(block) <= _PER_BLOCK:
                    picked.update(block)
                    continue
                best = process.extract(
                    phon,
                    self._block_phons[k],
                    scorer=Indel.normalized_similarity,
                    limit=_PER_BLOCK,
                    score_cutoff=0.4,
                )
                picked.update(block[i] for _c, _s, i in best)
            for v in picked - done:
                s = token_similarity(token, vocab[v])
                if s >= MATCH_FLOOR:
                    scored.append((s, v))
            done |= picked
            if sum(1 for s, _v in scored if s >= _GOOD_MATCH) >= _ENOUGH_GOOD:
                break
        out = nlargest(_TOKEN_MATCHES, scored)
        if len(self._match_cache) > 20_000:
            self._match_cache.clear()
        self._match_cache[cache_key] = out
        return out

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
        matched: list[tuple[int, int, list[tuple[float, int]], bool]] = []
        for start, end, tok in q_units:
            matches = self._token_matches(tok)
            if matches:
                matched.append((start, end, matches, bool(tok.particle)))
        if not matched:
            return []
        est: dict[int, float] = {}
        named = [m for m in matched if not m[3]]
        buckets = self._pairs
        for i, (s1, e1, m1, _p1) in enumerate(named):
            for s2, e2, m2, _p2 in named[i + 1 :]:
                if not (e1 <= s2 or e2 <= s1):
                    continue
                for sa, va in m1[:_PAIR_MATCHES]:
                    for sb, vb in m2[:_PAIR_MATCHES]:
                        bucket, fp = _pair_hash(va, vb)
                        entries = buckets.get(bucket)
                        if entries is None:
                            continue
                        both = sa + sb
                        for e in entries:
                            if e & _FP_MASK == fp:
                                pid = e >> 16
                                if est.get(pid, 0.0) < both:
                                    est[pid] = both
        want = max(_RESCORE, limit)
        if len(est) < want:
            # Few people share two parts with the query: read single-token postings.
            for _s, _e, matches, _p in sorted(named or matched, key=lambda m: -m[2][0][0]):
                read = 0
                for sim, v in matches:
                    for pid in self._postings[v]:
                        if pid not in est:
                            est[pid] = sim
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
        scored: list[tuple[float, int]] = []
        for pid in candidates:
            if keys[pid] is None:
                continue
            best = 0.0
            for toks, units in self._names_of(pid):
                r = match_units(q_tokens, q_units, toks, units, sim).score
                if r > best:
                    best = r
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
                [t.lat, t.native, t.script, t.phon, t.skel, list(t.variants), t.particle,
                 t.weight, t.vowels_unreliable, t.cjk]
                for t in self._vocab
            ]
            keys_blob = "\x00".join(k or "" for k in self._keys).encode("utf-8")
            vocab_blob = json.dumps(vocab_fields, ensure_ascii=False, separators=(",", ":")).encode()
            offsets = array("Q", [0])
            flat: array[int] = array("I")
            for post in self._postings:
                flat.extend(post)
                offsets.append(len(flat))
            sections = [
                ("keys", keys_blob),
                ("post_offsets", offsets.tobytes()),
                ("postings", flat.tobytes()),
                ("vocab", vocab_blob),
                ("data", self._data.tobytes()),
                ("start", self._start.tobytes()),
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
        """Read an index written by ``save``."""
        with open(path, "rb") as f:
            if f.read(len(_MAGIC)) != _MAGIC:
                raise ValueError("not a names index file")
            (head_len,) = struct.unpack("<I", f.read(4))
            header = json.loads(f.read(head_len))
            if header.get("format") != _FORMAT_VERSION:
                raise ValueError(f"unsupported names index format {header.get('format')}")
            blobs: dict[str, bytes] = {}
            for name, size in header["sections"]:
                blobs[str(name)] = f.read(int(size))
        index = cls()
        swap = header.get("byteorder") != sys.byteorder
        data = array("I")
        data.frombytes(blobs["data"])
        start = array("Q")
        start.frombytes(blobs["start"])
        if swap:
            data.byteswap()
            start.byteswap()
        keys_text = blobs["keys"].decode("utf-8")
        keys: list[str | None] = list(keys_text.split("\x00")) if header["people"] else []
        fields = json.loads(blobs["vocab"])
        vocab = [
            Token(str(f[0]), str(f[1]), str(f[2]), str(f[3]), str(f[4]), tuple(f[5]), str(f[6]),
                  float(f[7]), bool(f[8]), bool(f[9]))
            for f in fields
        ]
        if header.get("algorithm") != ALGORITHM_VERSION:
            # Keys and sounds changed: re-analyse the stored token spellings.
            return cls._rebuild(keys, vocab, data, start)
        for t in vocab:
            index._intern(t)
        index._data, index._start, index._keys = data, start, keys
        index._pids = {k: i for i, k in enumerate(keys) if k is not None}
        offsets = array("Q")
        offsets.frombytes(blobs["post_offsets"])
        flat = array("I")
        flat.frombytes(blobs["postings"])
        if swap:
            offsets.byteswap()
            flat.byteswap()
        index._postings = [flat[offsets[v] : offsets[v + 1]] for v in range(len(vocab))]
        return index

    @classmethod
    def _rebuild(
        cls, keys: list[str | None], vocab: list[Token], data: array[int], start: array[int]
    ) -> NameIndex:
        old = cls()
        old._vocab, old._data, old._start, old._keys = vocab, data, start, keys
        index = cls()
        for pid, key in enumerate(keys):
            if key is None:
                continue
            names = [" ".join(t.native for t in toks) for toks, _u in old._names_of(pid)]
            index.add(key, names)
        return index

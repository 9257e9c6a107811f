"""An append-only Merkle tree log as specified by RFC 6962 (Certificate
Transparency), section 2.1, with the verification algorithms of RFC 9162.

Nothing here imports Django. The audit log feeds its entries' leaf hashes in
order; anyone holding a signed tree head can then check that an entry is in the
log (inclusion proof) and that a later log extends an earlier one without
rewriting it (consistency proof). Editing, deleting, reordering or truncating
stored entries changes the recomputed root, so it no longer matches the signed
tree head that partner organisations keep.

Hashing (RFC 6962 §2.1)::

    leaf hash    SHA-256(0x00 || entry bytes)
    node hash    SHA-256(0x01 || left || right)
    MTH({})      SHA-256("")  = e3b0c442...b855
    MTH(D[n])    node(MTH(D[0:k]), MTH(D[k:n])), k the largest power of two < n

Indices count from zero. Tree sizes and indices are Python ints.

Signed tree heads
-----------------
The signature is Ed25519 over this exact UTF-8 text, four lines each ending
in a line feed (no trailing spaces, no carriage returns)::

    unforgotten-tree-head-v1
    <tree size, decimal, no leading zeros>
    <root hash, 64 lowercase hex digits>
    <timestamp>

where the timestamp is UTC in the form ``YYYY-MM-DDTHH:MM:SSZ`` or
``YYYY-MM-DDTHH:MM:SS.ffffffZ`` (exactly six fraction digits; only these two
forms are accepted, so one instant has one text). The first line separates
these signatures from anything else the key might sign. A text payload is
easy to re-check by hand or from another language.

The key id of an Ed25519 public key is the first 8 bytes of SHA-256 of its raw
32-byte encoding, as 16 hex digits.

JSON export (:meth:`TreeHead.to_json`) is one object with sorted keys::

    {"key_id": "...", "root_hash": "<hex>", "signature": "<base64>",
     "timestamp": "...", "tree_size": 123, "version": 1}
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

__all__ = [
    "EMPTY_ROOT",
    "HASH_SIZE",
    "CompactRange",
    "MerkleAccumulator",
    "MerkleTree",
    "TreeHead",
    "TreeHeadFormatError",
    "consistency_proof",
    "format_timestamp",
    "generate_signing_key",
    "inclusion_proof",
    "leaf_hash",
    "load_private_key",
    "load_public_key",
    "node_hash",
    "public_key_id",
    "root",
    "sign_tree_head",
    "tree_head_payload",
    "verify_consistency",
    "verify_inclusion",
    "verify_tree_head",
]

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()
_LEAF_PREFIX = b"\x00"
_NODE_PREFIX = b"\x01"
_PAYLOAD_MAGIC = "unforgotten-tree-head-v1"
_TIMESTAMP_RE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{6})?Z")
_MAX_TREE_SIZE = (1 << 64) - 1


# --------------------------------------------------------------------------- hashing


def leaf_hash(data: bytes) -> bytes:
    """RFC 6962 leaf hash: SHA-256(0x00 || data)."""
    return hashlib.sha256(_LEAF_PREFIX + bytes(data)).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """RFC 6962 interior node hash: SHA-256(0x01 || left || right)."""
    return hashlib.sha256(_NODE_PREFIX + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two strictly less than n (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def _next_level(level: Sequence[bytes]) -> list[bytes]:
    """Pair neighbours; an unpaired last node moves up unchanged.

    Building levels this way yields exactly the RFC 6962 tree: the last node of
    a level is the root of the incomplete right-most subtree.
    """
    sha = hashlib.sha256
    nxt = [
        sha(_NODE_PREFIX + level[i] + level[i + 1]).digest() for i in range(0, len(level) - 1, 2)
    ]
    if len(level) % 2:
        nxt.append(level[-1])
    return nxt


def _check_hashes(leaf_hashes: Sequence[bytes]) -> list[bytes]:
    hashes_ = [bytes(h) for h in leaf_hashes]
    for i, h in enumerate(hashes_):
        if len(h) != HASH_SIZE:
            raise ValueError(f"leaf hash {i} is {len(h)} bytes, not {HASH_SIZE}")
    return hashes_


def root(leaf_hashes: Sequence[bytes]) -> bytes:
    """Merkle tree hash (MTH) of the given leaf hashes, RFC 6962 §2.1."""
    level = _check_hashes(leaf_hashes)
    if not level:
        return EMPTY_ROOT
    while len(level) > 1:
        level = _next_level(level)
    return level[0]


class MerkleTree:
    """All levels of the tree over a list of leaf hashes, kept in memory, so
    that many proofs (for this size or any smaller one) cost O(log n) each.
    """

    def __init__(self, leaf_hashes: Sequence[bytes]) -> None:
        level = _check_hashes(leaf_hashes)
        self._levels: list[list[bytes]] = [level]
        while len(level) > 1:
            level = _next_level(level)
            self._levels.append(level)

    @property
    def size(self) -> int:
        return len(self._levels[0])

    def leaf(self, index: int) -> bytes:
        return self._levels[0][index]

    def root(self, size: int | None = None) -> bytes:
        """MTH of the first ``size`` leaves (default: all)."""
        size = self.size if size is None else self._check_size(size)
        return EMPTY_ROOT if size == 0 else self._mth(0, size)

    def _check_size(self, size: int) -> int:
        if isinstance(size, bool) or not isinstance(size, int) or not 0 <= size <= self.size:
            raise ValueError(f"tree size must be between 0 and {self.size}, got {size!r}")
        return size

    def _mth(self, start: int, end: int) -> bytes:
        """MTH(D[start:end]) where start is a multiple of the split of the
        enclosing subtree, as in every range the RFC algorithms ask for."""
        width = end - start
        level = (width - 1).bit_length()  # the smallest level whose nodes cover width
        # A cached node covers [j * 2**level, min((j + 1) * 2**level, self.size)).
        if start % (1 << level) == 0 and min(start + (1 << level), self.size) == end:
            return self._levels[level][start >> level]
        k = _split(width)
        return node_hash(self._mth(start, start + k), self._mth(start + k, end))

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """Audit path for leaf ``index`` in the tree of ``size`` leaves
        (RFC 6962 §2.1.1 PATH), nearest sibling first."""
        size = self.size if size is None else self._check_size(size)
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < size:
            raise ValueError(f"leaf index must be between 0 and {size - 1}, got {index!r}")
        path: list[bytes] = []
        start, end, m = 0, size, index
        # Walk down from the root recording siblings, then reverse (bottom-up).
        while end - start > 1:
            k = _split(end - start)
            if m < k:
                path.append(self._mth(start + k, end))
                end = start + k
            else:
                path.append(self._mth(start, start + k))
                start += k
                m -= k
        path.reverse()
        return path

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        """Proof that the tree of ``new_size`` leaves extends the one of
        ``old_size`` (RFC 6962 §2.1.2 PROOF / SUBPROOF).

        Empty when the sizes are equal or ``old_size`` is 0 (an empty log is a
        prefix of every log).
        """
        new_size = self.size if new_size is None else self._check_size(new_size)
        if isinstance(old_size, bool) or not isinstance(old_size, int):
            raise ValueError(f"old size must be an int, got {old_size!r}")
        if not 0 <= old_size <= new_size:
            raise ValueError(f"old size must be between 0 and {new_size}, got {old_size}")
        if old_size in (0, new_size):
            return []
        proof: list[bytes] = []
        start, end, m, complete = 0, new_size, old_size, True
        while m != end - start:
            k = _split(end - start)
            if m <= k:
                proof.append(self._mth(start + k, end))
                end = start + k
            else:
                proof.append(self._mth(start, start + k))
                start += k
                m -= k
                complete = False
        if not complete:
            proof.append(self._mth(start, end))
        proof.reverse()
        return proof


def inclusion_proof(leaf_hashes: Sequence[bytes], index: int) -> list[bytes]:
    """Audit path for ``leaf_hashes[index]`` in the tree of all the leaf hashes."""
    return MerkleTree(leaf_hashes).inclusion_proof(index)


def consistency_proof(leaf_hashes: Sequence[bytes], old_size: int) -> list[bytes]:
    """Consistency proof from the first ``old_size`` leaves to all of them."""
    return MerkleTree(leaf_hashes).consistency_proof(old_size)


# --------------------------------------------------------------------------- verification


def _is_size(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= _MAX_TREE_SIZE


def _is_hash(value: object) -> bool:
    return isinstance(value, bytes | bytearray) and len(value) == HASH_SIZE


def _proof_ok(proof: Sequence[bytes]) -> bool:
    return isinstance(proof, Sequence) and all(_is_hash(p) for p in proof)


def verify_inclusion(
    leaf_hash: bytes, index: int, tree_size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162 §2.1.3.2: does ``proof`` show ``leaf_hash`` at ``index`` in the
    tree of ``tree_size`` leaves whose root is ``root``? Never raises.

    Take ``tree_size`` and ``root`` together from one verified signed tree
    head: a proof checks the leaf against the root, and for some pairs of sizes
    the same path also fits the same root under another size.
    """
    if not (_is_size(index) and _is_size(tree_size) and _is_hash(leaf_hash) and _is_hash(root)):
        return False
    if not _proof_ok(proof) or index >= tree_size:
        return False
    fn, sn = index, tree_size - 1
    r = bytes(leaf_hash)
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(bytes(p), r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, bytes(p))
        fn >>= 1
        sn >>= 1
    return sn == 0 and hmac.compare_digest(r, bytes(root))


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 §2.1.4.2: does ``proof`` show that the tree (``new_size``,
    ``new_root``) extends the tree (``old_size``, ``old_root``)? Never raises.

    Equal sizes need an empty proof and equal roots; old size 0 needs an empty
    proof and the empty-tree root.
    """
    if not (_is_size(old_size) and _is_size(new_size) and _is_hash(old_root)):
        return False
    if not (_is_hash(new_root) and _proof_ok(proof)) or old_size > new_size:
        return False
    old_root, new_root = bytes(old_root), bytes(new_root)
    if old_size == 0:
        return len(proof) == 0 and hmac.compare_digest(old_root, EMPTY_ROOT)
    if old_size == new_size:
        return len(proof) == 0 and hmac.compare_digest(old_root, new_root)
    if len(proof) == 0:
        return False
    path = [bytes(p) for p in proof]
    if old_size & (old_size - 1) == 0:  # an exact power of two
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and hmac.compare_digest(fr, old_root) and hmac.compare_digest(sr, new_root)


# --------------------------------------------------------------------------- accumulator


class CompactRange:
    """Incremental Merkle root over leaves appended one at a time.

    Keeps only the roots of the perfect subtrees that make up the tree (one per
    set bit of the size, largest first), so memory is O(log n), an append is
    amortised O(1) hashes and :meth:`root` costs O(log n). The state
    (``size``, ``peaks``) can be saved and resumed with :meth:`from_state`.
    """

    __slots__ = ("_peaks", "_size")

    def __init__(self) -> None:
        self._size = 0
        self._peaks: list[bytes] = []

    @classmethod
    def from_state(cls, size: int, peaks: Iterable[bytes]) -> CompactRange:
        peak_list = [bytes(p) for p in peaks]
        if not _is_size(size) or len(peak_list) != size.bit_count():
            raise ValueError("a compact range of size n has one peak per set bit of n")
        if not all(len(p) == HASH_SIZE for p in peak_list):
            raise ValueError(f"peaks must be {HASH_SIZE}-byte hashes")
        cr = cls()
        cr._size = size
        cr._peaks = peak_list
        return cr

    @property
    def size(self) -> int:
        return self._size

    @property
    def peaks(self) -> tuple[bytes, ...]:
        """Roots of the perfect subtrees, left (largest) to right."""
        return tuple(self._peaks)

    def append(self, leaf_hash: bytes) -> None:
        """Append one leaf hash (already hashed with :func:`leaf_hash`)."""
        if len(leaf_hash) != HASH_SIZE:
            raise ValueError(f"a leaf hash is {HASH_SIZE} bytes")
        h = bytes(leaf_hash)
        peaks = self._peaks
        n = self._size
        sha = hashlib.sha256
        while n & 1:  # merge equal-sized subtrees, like a binary carry
            h = sha(_NODE_PREFIX + peaks.pop() + h).digest()
            n >>= 1
        peaks.append(h)
        self._size += 1

    def append_data(self, data: bytes) -> None:
        """Append an entry's bytes (hashed here as an RFC 6962 leaf)."""
        self.append(leaf_hash(data))

    def extend(self, leaf_hashes: Iterable[bytes]) -> None:
        """Append many leaf hashes in order (about 1.5 s per million here)."""
        for h in leaf_hashes:
            self.append(h)

    def root(self) -> bytes:
        """MTH of all leaves appended so far: the peaks folded right to left."""
        if not self._peaks:
            return EMPTY_ROOT
        r = self._peaks[-1]
        for peak in reversed(self._peaks[:-1]):
            r = node_hash(peak, r)
        return r


MerkleAccumulator = CompactRange


# --------------------------------------------------------------------------- tree heads


class TreeHeadFormatError(ValueError):
    """A tree head (JSON or fields) is malformed."""


def format_timestamp(moment: datetime | None = None) -> str:
    """Canonical UTC timestamp for a tree head (now, if no moment is given)."""
    moment = datetime.now(UTC) if moment is None else moment
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("tree head timestamps need a timezone-aware datetime")
    moment = moment.astimezone(UTC)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if moment.microsecond:
        text += f".{moment.microsecond:06d}"
    return text + "Z"


def _check_timestamp(timestamp: str) -> str:
    if not isinstance(timestamp, str) or not _TIMESTAMP_RE.fullmatch(timestamp):
        raise TreeHeadFormatError(
            "timestamp must be UTC like 2025-01-31T12:00:00Z or 2025-01-31T12:00:00.123456Z"
        )
    try:
        datetime.strptime(timestamp[:19], "%Y-%m-%dT%H:%M:%S")  # noqa: DTZ007 - 'Z' checked above
    except ValueError:
        raise TreeHeadFormatError(f"timestamp {timestamp!r} is not a real date and time") from None
    return timestamp


def tree_head_payload(tree_size: int, root_hash: bytes, timestamp: str) -> bytes:
    """The exact bytes that are signed (see the module docstring)."""
    if not _is_size(tree_size):
        raise TreeHeadFormatError(f"tree size must be an int from 0 to 2**64-1, got {tree_size!r}")
    if not _is_hash(root_hash):
        raise TreeHeadFormatError(f"root hash must be {HASH_SIZE} bytes")
    _check_timestamp(timestamp)
    text = f"{_PAYLOAD_MAGIC}\n{tree_size}\n{bytes(root_hash).hex()}\n{timestamp}\n"
    return text.encode("ascii")


def public_key_id(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).digest()[:8].hex()


@dataclass(frozen=True)
class TreeHead:
    """A signed statement: the log had ``tree_size`` entries with this root."""

    tree_size: int
    root_hash: bytes
    timestamp: str
    signature: bytes
    key_id: str

    def payload(self) -> bytes:
        return tree_head_payload(self.tree_size, self.root_hash, self.timestamp)

    def to_json(self) -> str:
        return json.dumps(
            {
                "version": 1,
                "tree_size": self.tree_size,
                "root_hash": bytes(self.root_hash).hex(),
                "timestamp": self.timestamp,
                "signature": base64.b64encode(self.signature).decode("ascii"),
                "key_id": self.key_id,
            },
            sort_keys=True,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> TreeHead:
        """Parse :meth:`to_json` output strictly; :class:`TreeHeadFormatError`
        if anything is missing, extra or of the wrong type. (Parsing does not
        check the signature: call :func:`verify_tree_head`.)"""
        try:
            obj = json.loads(text)
        except (ValueError, UnicodeDecodeError) as exc:
            raise TreeHeadFormatError(f"tree head is not valid JSON: {exc}") from None
        fields = {"version", "tree_size", "root_hash", "timestamp", "signature", "key_id"}
        if not isinstance(obj, dict) or set(obj) != fields:
            raise TreeHeadFormatError(f"tree head JSON needs exactly the keys {sorted(fields)}")
        if type(obj["version"]) is not int or obj["version"] != 1:
            raise TreeHeadFormatError(f"unsupported tree head version {obj['version']!r}")
        size, root_hex, ts = obj["tree_size"], obj["root_hash"], obj["timestamp"]
        sig_b64, key_id = obj["signature"], obj["key_id"]
        if not _is_size(size):
            raise TreeHeadFormatError("tree_size must be a non-negative integer")
        if not isinstance(root_hex, str) or not re.fullmatch(r"[0-9a-f]{64}", root_hex):
            raise TreeHeadFormatError("root_hash must be 64 lowercase hex digits")
        if not isinstance(key_id, str) or not re.fullmatch(r"[0-9a-f]{16}", key_id):
            raise TreeHeadFormatError("key_id must be 16 lowercase hex digits")
        if not isinstance(sig_b64, str):
            raise TreeHeadFormatError("signature must be base64 text")
        try:
            signature = base64.b64decode(sig_b64, validate=True)
        except (binascii.Error, ValueError):
            raise TreeHeadFormatError("signature is not valid base64") from None
        if len(signature) != 64:
            raise TreeHeadFormatError("an Ed25519 signature is 64 bytes")
        return cls(
            tree_size=size,
            root_hash=bytes.fromhex(root_hex),
            timestamp=_check_timestamp(ts),
            signature=signature,
            key_id=key_id,
        )


def sign_tree_head(
    private_key: Ed25519PrivateKey,
    tree_size: int,
    root_hash: bytes,
    timestamp: str | datetime | None = None,
) -> TreeHead:
    """Sign (size, root, timestamp); the timestamp defaults to now (UTC)."""
    ts = timestamp if isinstance(timestamp, str) else format_timestamp(timestamp)
    payload = tree_head_payload(tree_size, root_hash, ts)
    return TreeHead(
        tree_size=tree_size,
        root_hash=bytes(root_hash),
        timestamp=ts,
        signature=private_key.sign(payload),
        key_id=public_key_id(private_key.public_key()),
    )


def verify_tree_head(head: TreeHead, public_key: Ed25519PublicKey) -> bool:
    """True iff ``head`` is well formed, names this key and its signature holds."""
    try:
        payload = head.payload()
    except (TreeHeadFormatError, TypeError, AttributeError):
        return False
    if not isinstance(head.key_id, str) or not hmac.compare_digest(
        head.key_id.encode("ascii", "replace"), public_key_id(public_key).encode("ascii")
    ):
        return False
    if not isinstance(head.signature, bytes) or len(head.signature) != 64:
        return False
    try:
        public_key.verify(head.signature, payload)
    except InvalidSignature:
        return False
    return True


# --------------------------------------------------------------------------- key files


def _write_new_file(path: Path, data: bytes, mode: int) -> None:
    """Write ``data`` to a new file atomically: temporary file, fsync, hard link.
    Never overwrites an existing file."""
    if path.exists() or path.is_symlink():
        raise FileExistsError(f"{path} already exists; refusing to overwrite it")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.link(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def generate_signing_key(
    private_path: str | os.PathLike[str],
    public_path: str | os.PathLike[str],
    *,
    passphrase: bytes | None = None,
) -> Ed25519PrivateKey:
    """Create an Ed25519 key pair: the private key as PKCS#8 PEM with mode 0600
    (encrypted with ``passphrase`` if given), the public key as
    SubjectPublicKeyInfo PEM with mode 0644 for partner organisations.
    Existing files are never overwritten."""
    private_key = Ed25519PrivateKey.generate()
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase)
        if passphrase
        else serialization.NoEncryption()
    )
    priv_pem = private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )
    pub_pem = private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    pub = Path(public_path)
    if pub.exists() or pub.is_symlink():
        raise FileExistsError(f"{pub} already exists; refusing to overwrite it")
    _write_new_file(Path(private_path), priv_pem, 0o600)
    _write_new_file(pub, pub_pem, 0o644)
    return private_key


def load_private_key(
    path: str | os.PathLike[str], *, passphrase: bytes | None = None
) -> Ed25519PrivateKey:
    """Load an Ed25519 private key from a PEM file; ValueError if it is another kind."""
    key = serialization.load_pem_private_key(Path(path).read_bytes(), password=passphrase)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} does not hold an Ed25519 private key")
    return key


def load_public_key(path: str | os.PathLike[str]) -> Ed25519PublicKey:
    """Load an Ed25519 public key from a PEM file; ValueError if it is another kind."""
    key = serialization.load_pem_public_key(Path(path).read_bytes())
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError(f"{path} does not hold an Ed25519 public key")
    return key

"""The tamper-evident log: audit (and later custody) events in an append-only RFC 6962 Merkle log.

Writing
-------
``append_leaf(kind, payload, ref=...)`` runs inside the caller's transaction.
It takes the log lock (a transaction-scoped advisory lock on PostgreSQL; on
SQLite every write transaction already holds the database's one write lock,
``transaction_mode=IMMEDIATE``), reads the next dense index and inserts the
leaf. The lock is held until the transaction ends, so:

* the committed leaves are always a gap-free prefix 0..n-1 — an index is
  taken only by a transaction that is about to commit it, and a rollback frees
  it for the next writer;
* a source row inserted after :func:`lock_for_append` (``audit.record`` does
  this) gets a database id in log order, which lets ``verify-log`` walk the
  leaves and the rows side by side.

The price is that transactions that write to the log commit one after another
(docs/decisions/0010-merkle-log.md).

Leaf content for audit events is :func:`audit_entry` — canonical JSON of the
event with a format version. It holds what the audit row holds (sealed values
only as keyed digests); the log keeps only its hash.

Checking
--------
:class:`LogChecker` is the pure verification core: feed it entries in order
(index, kind, ref, stored leaf hash, recomputed payload) and the signed tree
heads; it raises :class:`LogProblem` naming the first bad index. :func:`verify`
drives it from the database in a stream (constant memory).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.utils import timezone

from unforgotten.audit.models import AuditEvent, LogLeaf, SignedTreeHead
from unforgotten.core import merkle

__all__ = [
    "Entry",
    "LogChecker",
    "LogProblem",
    "RetiredKey",
    "VerifyResult",
    "append_leaf",
    "audit_entry",
    "consistency_proof",
    "inclusion_proof",
    "latest_tree_head",
    "lock_for_append",
    "public_key",
    "read_public_keys",
    "retired_keys",
    "rotate_signing_key",
    "register_leaf_source",
    "sign_tree_head",
    "tree_head_of",
    "verify",
]

ENTRY_VERSION = 1
# Any fixed 64-bit number; it names "the log" among PostgreSQL advisory locks.
_PG_LOCK_KEY = 0x75665F6C6F67  # "uf_log"
_BATCH = 10_000


# --------------------------------------------------------------------------- serialisation


def _at(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def _canonical(obj: Mapping[str, Any]) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False).encode("ascii")


_AUDIT_FIELDS = ("id", "at", "actor_id", "actor_label", "organisation_id", "action", "object_type", "object_id",
                 "request_id", "reason", "changes")


def audit_entry_from_values(values: Sequence[Any]) -> bytes:
    """Leaf bytes from an audit row's values in ``_AUDIT_FIELDS`` order (format v1: never change it)."""
    obj = dict(zip(_AUDIT_FIELDS, values, strict=True))
    obj["at"] = _at(obj["at"])
    obj["kind"] = "audit"
    obj["v"] = ENTRY_VERSION
    return _canonical(obj)


def audit_entry(event: AuditEvent) -> bytes:
    """The canonical bytes of an audit event, as hashed into its leaf."""
    return audit_entry_from_values([getattr(event, name) for name in _AUDIT_FIELDS])


def _audit_source() -> Iterator[tuple[str, bytes]]:
    rows = AuditEvent.objects.order_by("id").values_list(*_AUDIT_FIELDS).iterator(chunk_size=_BATCH)
    for values in rows:
        yield str(values[0]), audit_entry_from_values(values)


# A leaf source yields (ref, entry bytes) for every row of its kind, in log order.
LeafSource = Callable[[], Iterator[tuple[str, bytes]]]
_sources: dict[str, LeafSource] = {"audit": _audit_source}


def register_leaf_source(kind: str, source: LeafSource) -> None:
    """Let ``verify-log`` re-serialise the rows of another kind (e.g. custody events).

    The rows must come in log order: insert each row after :func:`lock_for_append`
    in the transaction that appends its leaf, and yield them by id.
    """
    _sources[kind] = source


# --------------------------------------------------------------------------- appending


def lock_for_append() -> None:
    """Take the log lock for the rest of the current transaction (re-entrant)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("the log is appended to only inside the caller's transaction")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])
    # SQLite: the IMMEDIATE transaction already holds the only write lock.


def append_leaf(kind: str, payload: bytes, *, ref: str = "") -> int:
    """Append one entry (its RFC 6962 leaf hash) in the caller's transaction; return its index."""
    if not kind or len(kind) > 20:
        raise ValueError("a leaf kind is 1-20 characters")
    lock_for_append()
    last = LogLeaf.objects.order_by("-index").values_list("index", flat=True).first()
    index = 0 if last is None else last + 1
    LogLeaf.objects.create(index=index, kind=kind, ref=str(ref), leaf_hash=merkle.leaf_hash(bytes(payload)))
    return index


# --------------------------------------------------------------------------- keys and heads


def _signing_path() -> Path:
    return Path(settings.SIGNING_KEY_FILE)


def _public_path() -> Path:
    path = _signing_path()
    return path.with_name(path.name + ".pub")


_loaded: dict[tuple[str, int, int], Ed25519PrivateKey] = {}


def signing_key() -> Ed25519PrivateKey:
    """The current signing key, re-read when the file changes (a rotation by another process)."""
    path = _signing_path()
    if not path.exists():
        if settings.PRODUCTION:
            raise ImproperlyConfigured(f"SIGNING_KEY_FILE {path} does not exist; tree heads cannot be signed")
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            merkle.generate_signing_key(path, _public_path())
        except FileExistsError:
            pass  # another process made it first
    try:
        stat = path.stat()
        stamp = (str(path), stat.st_ino, stat.st_mtime_ns)
        key = _loaded.get(stamp)
        if key is None:
            key = merkle.load_private_key(path)
            _loaded.clear()
            _loaded[stamp] = key
        return key
    except (OSError, ValueError) as exc:
        raise ImproperlyConfigured(f"SIGNING_KEY_FILE {path}: {exc}") from None


def forget_signing_key() -> None:
    """Drop this process's copy of the signing key (the next use re-reads the file)."""
    _loaded.clear()


def public_key() -> Ed25519PublicKey:
    """The public half, from ``<SIGNING_KEY_FILE>.pub`` if present (all a verifier needs)."""
    pub = _public_path()
    if pub.exists():
        return merkle.load_public_key(pub)
    return signing_key().public_key()


def tree_head_of(row: SignedTreeHead) -> merkle.TreeHead:
    return merkle.TreeHead(tree_size=row.tree_size, root_hash=bytes(row.root_hash), timestamp=row.timestamp,
                           signature=bytes(row.signature), key_id=row.key_id)


def _leaf_hashes(limit: int | None = None) -> Iterator[bytes]:
    qs = LogLeaf.objects.order_by("index")
    if limit is not None:
        qs = qs.filter(index__lt=limit)
    for h in qs.values_list("leaf_hash", flat=True).iterator(chunk_size=_BATCH):
        yield bytes(h)


def sign_tree_head() -> SignedTreeHead:
    """Sign the committed log as it is now and store the head.

    Not itself an audit event: recording one would add a leaf and make every
    head stale at birth. The head table is append-only and is its own record.
    """
    key = signing_key()
    acc = merkle.CompactRange()
    acc.extend(_leaf_hashes())
    head = merkle.sign_tree_head(key, acc.size, acc.root())
    return SignedTreeHead.objects.create(tree_size=head.tree_size, root_hash=head.root_hash, timestamp=head.timestamp,
                                         signature=head.signature, key_id=head.key_id, created=timezone.now())


def latest_tree_head() -> merkle.TreeHead | None:
    row = SignedTreeHead.objects.order_by("-id").first()
    return None if row is None else tree_head_of(row)


def _tree(size: int) -> merkle.MerkleTree:
    hashes = list(_leaf_hashes(size))
    if len(hashes) != size:
        raise ValueError(f"the log has {len(hashes)} leaves, fewer than {size}")
    return merkle.MerkleTree(hashes)


def inclusion_proof(index: int, tree_size: int) -> list[bytes]:
    """Audit path of leaf ``index`` in the stored log's first ``tree_size`` leaves."""
    return _tree(tree_size).inclusion_proof(index)


def consistency_proof(old_size: int, new_size: int) -> list[bytes]:
    """Proof that the stored log's first ``new_size`` leaves extend its first ``old_size``."""
    return _tree(new_size).consistency_proof(old_size)


def leaf_hash_at(index: int) -> bytes:
    return bytes(LogLeaf.objects.values_list("leaf_hash", flat=True).get(index=index))


# --------------------------------------------------------------------------- verification


@dataclass(frozen=True)
class Entry:
    """One log entry as the checker sees it; ``payload`` is None when it cannot be recomputed."""

    index: int
    kind: str
    ref: str
    leaf_hash: bytes
    payload: bytes | None


class LogProblem(Exception):
    """The log is not what was signed. ``index`` is the first bad entry (or the lowest it can be)."""

    def __init__(self, index: int, ref: str, message: str) -> None:
        super().__init__(message)
        self.index = index
        self.ref = ref
        self.message = message

    def __str__(self) -> str:
        where = f"entry {self.index}" + (f" ({self.ref})" if self.ref else "")
        return f"{where}: {self.message}"


@dataclass
class VerifyResult:
    size: int
    root: bytes
    heads_checked: int
    unchecked: dict[str, int] = field(default_factory=dict)  # kind -> leaves with no registered source


class LogChecker:
    """Recomputes the log entry by entry and checks every signed head along the way.

    Every stored head is checked against the root recomputed at its size, which
    implies the consistency of successive heads (each is a prefix of the log
    that produced the next). Memory is O(log n) plus the heads.
    """

    def __init__(self, heads: Iterable[tuple[str, merkle.TreeHead]], keys: Mapping[str, Ed25519PublicKey],
                 retired: Mapping[str, str] | None = None) -> None:
        checked: list[tuple[str, merkle.TreeHead]] = []
        for name, head in heads:
            # A bad head is reported at its size: the entries it vouches for cannot be trusted past there.
            key = keys.get(head.key_id)
            if key is None:
                raise LogProblem(head.tree_size, "",
                                 f"{name} is signed by key {head.key_id}, which is not a known log key")
            if not merkle.verify_tree_head(head, key):
                raise LogProblem(head.tree_size, "", f"{name} has an invalid signature")
            until = (retired or {}).get(head.key_id)
            if until is not None and _moment(head.timestamp) > _moment(until):
                raise LogProblem(head.tree_size, "", f"{name} is signed by key {head.key_id} at {head.timestamp}, "
                                                     f"after that key was retired ({until})")
            checked.append((name, head))
        self._heads = sorted(checked, key=lambda nh: nh[1].tree_size)
        self._next_head = 0
        self._good = 0  # the largest size whose root matched a signed head
        self.acc = merkle.CompactRange()
        self._check_heads()

    @property
    def size(self) -> int:
        return self.acc.size

    def _check_heads(self) -> None:
        while self._next_head < len(self._heads) and self._heads[self._next_head][1].tree_size == self.acc.size:
            name, head = self._heads[self._next_head]
            if self.acc.root() != head.root_hash:
                raise LogProblem(self._good, "", (
                    f"the log's first {head.tree_size} entries do not match {name} (root differs): an entry "
                    f"from {self._good} to {head.tree_size - 1} was altered, removed, inserted or reordered"))
            self._good = head.tree_size
            self._next_head += 1

    def add(self, entry: Entry) -> None:
        n = self.acc.size
        if entry.index != n:
            raise LogProblem(n, entry.ref, f"expected entry {n} here but found entry {entry.index} "
                                           "(removed, inserted or reordered)")
        if len(entry.leaf_hash) != merkle.HASH_SIZE:
            raise LogProblem(n, entry.ref, "stored leaf hash is malformed")
        if entry.payload is not None and merkle.leaf_hash(entry.payload) != entry.leaf_hash:
            raise LogProblem(n, entry.ref, "the entry does not match its leaf hash (altered)")
        self.acc.append(entry.leaf_hash)
        self._check_heads()

    def finish(self) -> tuple[int, bytes]:
        if self._next_head < len(self._heads):
            name, head = self._heads[-1]
            raise LogProblem(self.acc.size, "", (f"the log ends after {self.acc.size} entries but {name} covers "
                                                 f"{head.tree_size} (truncated)"))
        return self.acc.size, self.acc.root()


def check_entries(entries: Iterable[Entry], heads: Iterable[tuple[str, merkle.TreeHead]],
                  keys: Mapping[str, Ed25519PublicKey]) -> tuple[int, bytes]:
    """Verify a sequence of entries (e.g. an exported copy) against signed heads; LogProblem if bad."""
    checker = LogChecker(heads, keys)
    for entry in entries:
        checker.add(entry)
    return checker.finish()


def _db_entries(unchecked: dict[str, int]) -> Iterator[Entry]:
    """Leaves in index order, each with its source row re-serialised (merge-join by ref)."""
    streams = {kind: source() for kind, source in _sources.items()}
    leaves = LogLeaf.objects.order_by("index").values_list("index", "kind", "ref", "leaf_hash")
    position = 0
    for index, kind, ref, stored in leaves.iterator(chunk_size=_BATCH):
        position = index + 1
        stream = streams.get(kind)
        if stream is None:
            unchecked[kind] = unchecked.get(kind, 0) + 1
            yield Entry(index, kind, f"{kind} {ref}", bytes(stored), None)
            continue
        row = next(stream, None)
        label = f"{kind} {ref}"
        if row is None:
            raise LogProblem(index, label, f"the {kind} row {ref} of this leaf is missing (removed)")
        if row[0] != ref:
            if _ref_before(row[0], ref):
                raise LogProblem(index, f"{kind} {row[0]}",
                                 f"the {kind} row {row[0]} has no leaf in the log (inserted or its leaf removed)")
            raise LogProblem(index, label, f"the {kind} row {ref} of this leaf is missing (removed or reordered)")
        yield Entry(index, kind, label, bytes(stored), row[1])
    for kind, stream in streams.items():
        extra = next(stream, None)
        if extra is not None:
            raise LogProblem(position, f"{kind} {extra[0]}",
                             f"the {kind} row {extra[0]} has no leaf in the log (inserted or its leaf removed)")


def _ref_before(a: str, b: str) -> bool:
    if a.isdigit() and b.isdigit():
        return int(a) < int(b)
    return a < b


def known_keys(extra: Iterable[Ed25519PublicKey] = ()) -> dict[str, Ed25519PublicKey]:
    keys = {merkle.public_key_id(k): k for k in extra}
    for retired in retired_keys():
        keys.setdefault(retired.key_id, retired.key)
    try:
        own = public_key()
    except ImproperlyConfigured:
        return keys
    keys.setdefault(merkle.public_key_id(own), own)
    return keys


# --- signing-key rotation (evidence helper, issue 5; decision 0019) ------------------------------------
#
# The public-keys file lists every retired signing key, public half only, with the moment it was retired:
#
#     # key-id: 0123456789abcdef retired: 2026-12-05T01:30:00Z
#     -----BEGIN PUBLIC KEY-----
#     ...
#     -----END PUBLIC KEY-----
#
# verify-log trusts a retired key for heads timestamped up to its retirement, never after: a retired key
# that leaked later cannot vouch for anything new. The file is public: give it to partners with the heads.

_RETIRED_LINE = "# key-id: "


@dataclass(frozen=True)
class RetiredKey:
    key_id: str
    key: Ed25519PublicKey
    retired: str  # a tree-head timestamp (UTC)


def public_keys_path() -> Path:
    return Path(getattr(settings, "SIGNING_PUBLIC_KEYS_FILE", str(_signing_path()) + ".retired"))


def _moment(timestamp: str) -> datetime:
    """A tree-head timestamp as a datetime (their text does not sort: "…00.5Z" < "…00Z")."""
    if not timestamp.endswith("Z"):
        raise ValueError(f"{timestamp!r} is not a UTC time like 2026-12-05T01:30:00Z")
    base, _, fraction = timestamp[:-1].partition(".")
    if fraction and not (fraction.isdigit() and len(fraction) <= 6):
        raise ValueError(f"{timestamp!r} is not a UTC time like 2026-12-05T01:30:00Z")
    return datetime.strptime(base, "%Y-%m-%dT%H:%M:%S").replace(  # noqa: DTZ007  (UTC, set here)
        tzinfo=UTC, microsecond=int(fraction.ljust(6, "0")) if fraction else 0)


def read_public_keys(text: str) -> list[RetiredKey]:
    """The keys of a public-keys file; ValueError naming the problem if it is malformed."""
    from cryptography.hazmat.primitives import serialization

    out: list[RetiredKey] = []
    header: tuple[str, str] | None = None
    block: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith(_RETIRED_LINE):
            parts = line[len(_RETIRED_LINE):].split()
            if len(parts) != 3 or parts[1] != "retired:":
                raise ValueError(f"line {number}: expected '# key-id: <id> retired: <UTC time>'")
            header = (parts[0], parts[2])
        elif line.startswith("-----BEGIN"):
            block = [line]
        elif block:
            block.append(line)
            if line.startswith("-----END"):
                if header is None:
                    raise ValueError(f"line {number}: a key without its '# key-id: … retired: …' line")
                key = serialization.load_pem_public_key("\n".join(block).encode("ascii"))
                if not isinstance(key, Ed25519PublicKey):
                    raise ValueError(f"line {number}: not an Ed25519 public key")
                if merkle.public_key_id(key) != header[0]:
                    raise ValueError(f"line {number}: the key's id is {merkle.public_key_id(key)}, not {header[0]}")
                _moment(header[1])  # a real UTC time, or ValueError
                out.append(RetiredKey(key_id=header[0], key=key, retired=header[1]))
                header, block = None, []
    return out


def retired_keys(path: Path | None = None) -> list[RetiredKey]:
    target = path or public_keys_path()
    return read_public_keys(target.read_text("ascii")) if target.exists() else []


def rotate_signing_key(*, actor: str = "operator") -> tuple[str, str]:
    """Retire the signing key and start a new one; (old key id, new key id).

    1. an audit event, then a last head signed by the old key (it covers the event);
    2. the new key pair is written beside the old one and renamed over it (readers
       see one or the other, never half), and the old private key is deleted;
    3. the old public key is appended to the public-keys file with the moment of its
       retirement — after the rename, so any head the old key still signs is older;
    4. a first head signed by the new key.
    Processes re-read the key file when it changes, so nothing needs a restart.
    """
    import os
    import tempfile

    from cryptography.hazmat.primitives import serialization

    from unforgotten.audit.actions import record

    old = signing_key()
    old_id = merkle.public_key_id(old.public_key())
    with transaction.atomic():
        record("audit.rotate_signing_key", actor=actor, object_type="audit.signingkey", object_id=old_id,
               changes={"retired_key": [None, old_id]})
    sign_tree_head()
    path, pub = _signing_path(), _public_path()
    staging = Path(tempfile.mkdtemp(prefix=".rotate-", dir=path.parent))
    try:
        new = merkle.generate_signing_key(staging / "key.pem", staging / "key.pub")
        os.replace(staging / "key.pem", path)
        os.replace(staging / "key.pub", pub)
    finally:
        for leftover in staging.iterdir():
            leftover.unlink()
        staging.rmdir()
    forget_signing_key()
    pem = old.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    entry = f"{_RETIRED_LINE}{old_id} retired: {merkle.format_timestamp()}\n{pem.decode('ascii')}"
    keys_file = public_keys_path()
    before = keys_file.read_text("ascii") if keys_file.exists() else (
        "# Retired signing keys of this platform's audit log: `unforgotten verify-log --public-keys FILE`\n")
    tmp = keys_file.with_name(keys_file.name + ".tmp")
    with open(tmp, "w", encoding="ascii") as fh:
        fh.write(before + entry)
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(tmp, 0o644)
    os.replace(tmp, keys_file)
    sign_tree_head()
    return old_id, merkle.public_key_id(new.public_key())


def verify(*, tree_head: merkle.TreeHead | None = None,
           extra_keys: Iterable[Ed25519PublicKey] = (), extra_retired: Sequence[RetiredKey] = ()) -> VerifyResult:
    """Recompute the stored log against every stored head (and ``tree_head``, e.g. a partner's copy).

    Raises :class:`LogProblem` naming the first bad entry; returns size and root otherwise.
    Streams leaves and rows, so a million entries need no more memory than ten.
    """
    heads: list[tuple[str, merkle.TreeHead]] = []
    previous: merkle.TreeHead | None = None
    for row in SignedTreeHead.objects.order_by("id").iterator(chunk_size=_BATCH):
        head = tree_head_of(row)
        if previous is not None and head.tree_size < previous.tree_size:
            raise LogProblem(head.tree_size, "", f"stored tree head #{row.pk} is smaller than the one before it "
                                                 "(the log was rolled back)")
        heads.append((f"stored tree head #{row.pk}", head))
        previous = head
    if tree_head is not None:
        heads.append(("the given tree head", tree_head))
    unchecked: dict[str, int] = {}
    retired = {k.key_id: k.retired for k in [*retired_keys(), *extra_retired]}
    keys = known_keys(extra_keys)
    for k in extra_retired:
        keys.setdefault(k.key_id, k.key)
    checker = LogChecker(heads, keys, retired)
    for entry in _db_entries(unchecked):
        checker.add(entry)
    size, root = checker.finish()
    return VerifyResult(size=size, root=root, heads_checked=len(heads), unchecked=unchecked)

"""Encrypted backups that restore into a fresh database of either engine (docs/decisions/0011-backups.md).

``write_backup(path)`` streams one archive; ``restore_backup(path)`` fills a
fresh, migrated database and empty media/evidence folders from it;
``check_backup(path)`` reads an archive through without writing anything.

The archive on disk::

    b"UFBAK\\x01\\n"                     magic and format version
    u32 n, n bytes                     header: canonical JSON, not secret — format, the
                                       "backups" data key's id, that key wrapped under
                                       the KEK (never the KEK itself), creation time
    encrypted stream                   crypto.encrypt_stream (AES-256-GCM STREAM, chunked);
                                       aad = b"unforgotten/backup/v1\\x00" + magic + header,
                                       so the header cannot be edited either

Inside the encryption, a sequence of records, each ``type (1 byte), u16 name
length, name, then chunks (u32 length + bytes) ended by a zero length``:

* ``M`` meta: engine, applied migrations (the schema version), every table with
  its columns;
* ``T`` one per table: JSON Lines, one canonical JSON array of column values per
  row, in primary-key order (byte order for text keys on both engines);
* ``H`` the latest signed tree head of the audit log and the public signing key;
* ``F`` one per file under MEDIA_ROOT (``media/…``) and EVIDENCE_ROOT
  (``evidence/…``), bytes as they are (evidence files are already ciphertext);
* ``Z`` the manifest, last: per-table row count and SHA-256 of the table's JSON
  Lines, per-file size and SHA-256.

The row encoding is the engine-independent "canonical row": values as Django
reads them (so SQLite and PostgreSQL agree), datetimes in UTC ISO form, binary
as base64, JSON as JSON. :func:`table_digests` computes the same digests over a
live database, which is how a restore proves the target holds what was saved.

Nothing is ever held whole in memory: rows are read with ``iterator()``, the
archive is written as it is produced, and a restore parses the stream as it is
decrypted. Restore writes rows inside one transaction and files into a
temporary folder; only when every digest, every file hash and the audit log
have verified are the folders renamed into place and the transaction
committed. Anything else — a flipped byte, a truncated file, a wrong key, a
schema mismatch — raises :class:`BackupError` and leaves the target as it was.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models.functions import Collate
from django.utils import timezone

from unforgotten.core import crypto, keyring

__all__ = [
    "BackupError",
    "BackupSummary",
    "check_backup",
    "restore_backup",
    "table_digests",
    "write_backup",
]

MAGIC = b"UFBAK\x01\n"
FORMAT = 1
INNER_MAGIC = b"unforgotten-backup-v1\n"
_AAD_LABEL = b"unforgotten/backup/v1\x00"
PURPOSE = "backups"
_MAX_HEADER = 64 * 1024
_MAX_SMALL_RECORD = 64 * 1024 * 1024  # meta, head and manifest are read whole: bounded
_CHUNK = 256 * 1024
_INSERT_BATCH = 500

# Sessions are not data: a restored platform asks everyone to log in again.
EXCLUDED_TABLES = frozenset({"django_session"})
# Filled by `migrate` itself; replaced by the archive's rows (their ids are referenced).
SEEDED_TABLES = frozenset({"django_content_type", "auth_permission"})
# Write-to-temp-then-rename leftovers (core/crypto.py's convention): never part of a backup.
_TEMP_SUFFIXES = (".part", ".tmp")


class BackupError(Exception):
    """The backup cannot be written or the archive cannot be restored; the message says why."""


# --------------------------------------------------------------------------- tables and rows


@dataclass(frozen=True)
class _Table:
    model: type[models.Model]
    name: str
    fields: tuple[models.Field[Any, Any], ...]

    @property
    def columns(self) -> list[str]:
        return [str(f.column) for f in self.fields]


def _tables() -> list[_Table]:
    """Every table Django manages, once each, sorted by name."""
    seen: dict[str, _Table] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if not meta.managed or meta.proxy or meta.db_table in EXCLUDED_TABLES or meta.db_table in seen:
            continue
        seen[meta.db_table] = _Table(model, meta.db_table, tuple(meta.local_concrete_fields))
    return [seen[name] for name in sorted(seen)]


def _encode(f: models.Field[Any, Any], value: Any) -> Any:
    """A column value as engine-independent JSON (see the module docstring)."""
    if value is None:
        return None
    kind = f.get_internal_type()
    if kind == "DateTimeField":
        if timezone.is_aware(value):
            value = value.astimezone(UTC)
        return value.isoformat(timespec="microseconds")
    if kind in ("DateField", "TimeField"):
        return value.isoformat()
    if kind == "DurationField":
        return value // timedelta(microseconds=1)
    if kind == "DecimalField":
        return str(value)
    if kind == "UUIDField":
        return str(value)
    if kind == "BinaryField":
        return base64.b64encode(bytes(value)).decode("ascii")
    if kind == "JSONField":
        return value
    if isinstance(value, bool | int | float | str):
        return value
    # Custom fields (PartialDate, …): their database text.
    return f.get_prep_value(value)


def _decode(f: models.Field[Any, Any], raw: Any) -> Any:
    """The inverse of :func:`_encode`, adapted for the target database."""
    if raw is None:
        return None
    kind = f.get_internal_type()
    value: Any = raw
    if kind == "DateTimeField":
        value = datetime.fromisoformat(raw)
    elif kind == "DateField":
        value = date.fromisoformat(raw)
    elif kind == "TimeField":
        value = time.fromisoformat(raw)
    elif kind == "DurationField":
        value = timedelta(microseconds=raw)
    elif kind == "DecimalField":
        value = Decimal(raw)
    elif kind == "UUIDField":
        value = uuid.UUID(raw)
    elif kind == "BinaryField":
        value = base64.b64decode(raw, validate=True)
    return f.get_db_prep_save(value, connection)


def _line(values: Any) -> bytes:
    return json.dumps(values, ensure_ascii=True, separators=(",", ":"), sort_keys=True, allow_nan=False).encode("ascii") + b"\n"


def _rows(table: _Table) -> Iterator[bytes]:
    """The table's canonical rows in primary-key order."""
    pk = table.model._meta.pk
    if pk is None:  # pragma: no cover - every Django model has one
        raise BackupError(f"table {table.name} has no primary key")
    order: Any = "pk"
    if connection.vendor == "postgresql" and pk.get_internal_type() in ("CharField", "TextField", "SlugField"):
        order = Collate("pk", "C")  # byte order, as SQLite sorts: the digests must agree
    qs = table.model._base_manager.order_by(order).values_list(*[f.attname for f in table.fields])
    for values in qs.iterator(chunk_size=2000):
        yield _line([_encode(f, v) for f, v in zip(table.fields, values, strict=True)])


def table_digests() -> dict[str, dict[str, Any]]:
    """{table: {"rows": n, "sha256": hex}} over the live database (as a backup's manifest holds them)."""
    out = {}
    for table in _tables():
        digest, count = hashlib.sha256(), 0
        for line in _rows(table):
            digest.update(line)
            count += 1
        out[table.name] = {"rows": count, "sha256": digest.hexdigest()}
    return out


def _applied_migrations() -> list[str]:
    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())


# --------------------------------------------------------------------------- files


def _roots() -> list[tuple[str, Path]]:
    roots = [("media", Path(settings.MEDIA_ROOT))]
    evidence = getattr(settings, "EVIDENCE_ROOT", None)
    if evidence:
        roots.append(("evidence", Path(evidence)))
    return roots


def _walk(root: Path, skip: list[Path]) -> Iterator[Path]:
    """Regular files under ``root`` in a stable order; symlinks and temporaries are left out."""
    if not root.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if (here / d).resolve() not in skip and not (here / d).is_symlink())
        for name in sorted(filenames):
            path = here / name
            if path.is_symlink() or not path.is_file():
                continue
            if name.startswith(".") and name.endswith(_TEMP_SUFFIXES):
                continue
            yield path


def _safe_relpath(name: str) -> Path:
    rel = Path(name)
    if rel.is_absolute() or not rel.parts or any(p in ("", ".", "..") for p in rel.parts) or "\x00" in name:
        raise BackupError(f"the archive names an unsafe file path {name!r}")
    return rel


# --------------------------------------------------------------------------- writing


def _record(kind: bytes, name: str, chunks: Iterator[bytes]) -> Iterator[bytes]:
    encoded = os.fsencode(name)
    yield kind + len(encoded).to_bytes(2, "big") + encoded
    for chunk in chunks:
        if chunk:
            yield len(chunk).to_bytes(4, "big") + chunk
    yield b"\x00\x00\x00\x00"


def _batched(lines: Iterator[bytes], size: int = _CHUNK) -> Iterator[bytes]:
    buf = bytearray()
    for line in lines:
        buf += line
        if len(buf) >= size:
            yield bytes(buf)
            buf.clear()
    if buf:
        yield bytes(buf)


def _canonical(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=True, separators=(",", ":"), sort_keys=True).encode("ascii")


class _GenReader:
    """A readable stream over a generator of byte strings (what encrypt_stream pulls from)."""

    def __init__(self, gen: Iterator[bytes]) -> None:
        self._gen = gen
        self._pending = memoryview(b"")

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        filled = 0
        while filled < len(view):
            if not self._pending.nbytes:
                piece = next(self._gen, None)
                if piece is None:
                    break
                self._pending = memoryview(piece)
                continue
            n = min(len(view) - filled, self._pending.nbytes)
            view[filled : filled + n] = self._pending[:n]
            self._pending = self._pending[n:]
            filled += n
        return filled

    def read(self, size: int = -1) -> bytes:
        buf = bytearray(size if size >= 0 else _CHUNK)
        return bytes(buf[: self.readinto(buf)])


def _contents(tables: list[_Table], manifest: dict[str, Any], notes: list[str]) -> Iterator[bytes]:
    from unforgotten.audit import log

    yield INNER_MAGIC
    meta = {"format": FORMAT, "engine": connection.vendor, "migrations": _applied_migrations(),
            "tables": [{"name": t.name, "columns": t.columns} for t in tables]}
    yield from _record(b"M", "meta", iter([_canonical(meta)]))
    for table in tables:
        digest, count = hashlib.sha256(), 0

        def counted(t: _Table = table, digest: Any = digest) -> Iterator[bytes]:
            nonlocal count
            for line in _rows(t):
                digest.update(line)
                count += 1
                yield line

        yield from _record(b"T", table.name, _batched(counted()))
        manifest["tables"][table.name] = {"rows": count, "sha256": digest.hexdigest()}
    head = log.latest_tree_head()
    if head is None:
        notes.append("the audit log has no signed tree head yet: the archive holds none")
    else:
        try:
            pem = log.public_key().public_bytes(
                encoding=_serialization().Encoding.PEM,
                format=_serialization().PublicFormat.SubjectPublicKeyInfo).decode("ascii")
        except ImproperlyConfigured:
            pem = ""
        payload = {"tree_head": json.loads(head.to_json()), "public_key": pem}
        manifest["tree_head"] = payload["tree_head"]
        yield from _record(b"H", "tree-head", iter([_canonical(payload)]))
    roots = _roots()
    resolved = [root.resolve() for _, root in roots]
    for label, root in roots:
        others = [r for r in resolved if r != root.resolve() and r.is_relative_to(root.resolve())]
        for path in _walk(root, others):
            rel = path.relative_to(root).as_posix()
            name = f"{label}/{rel}"
            digest, size = hashlib.sha256(), 0

            def file_chunks(p: Path = path, digest: Any = digest) -> Iterator[bytes]:
                nonlocal size
                with open(p, "rb") as fh:
                    while chunk := fh.read(crypto.DEFAULT_CHUNK_SIZE):
                        digest.update(chunk)
                        size += len(chunk)
                        yield chunk

            yield from _record(b"F", name, file_chunks())
            manifest["files"][name] = {"size": size, "sha256": digest.hexdigest()}
    yield from _record(b"Z", "manifest", iter([_canonical(manifest)]))


def _serialization() -> Any:
    from cryptography.hazmat.primitives import serialization

    return serialization


@contextmanager
def _snapshot() -> Iterator[None]:
    """One consistent view of the database for the whole dump, without blocking writers."""
    if connection.in_atomic_block:
        yield  # already inside a transaction (a test, a caller): its view is the snapshot
        return
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    # SQLite in WAL mode: a deferred read transaction sees one snapshot and takes no write
    # lock (Django's atomic() would BEGIN IMMEDIATE and stop every writer for the duration).
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("COMMIT")


@dataclass
class BackupSummary:
    path: Path
    key_id: str
    tables: int
    rows: int
    files: int
    file_bytes: int
    tree_size: int | None
    notes: list[str] = field(default_factory=list)


def _header_aad(prefix: bytes) -> bytes:
    return _AAD_LABEL + prefix


def write_backup(path: str | Path, *, chunk_size: int = crypto.DEFAULT_CHUNK_SIZE, sign_head: bool = True,
                 overwrite: bool = False) -> BackupSummary:
    """Write one encrypted archive to ``path`` (temp file, fsync, rename); see the module docstring."""
    target = Path(path)
    if target.exists() and not overwrite:
        raise BackupError(f"{target} already exists; choose a new name (backups are never overwritten silently)")
    if not target.parent.is_dir():
        raise BackupError(f"the folder {target.parent} does not exist")
    notes: list[str] = []
    if sign_head:
        from unforgotten.audit import log

        try:
            log.sign_tree_head()  # the archive then carries a head that covers the whole log
        except ImproperlyConfigured as exc:
            notes.append(f"no new tree head signed ({exc})")
    try:
        row = keyring._active_row(PURPOSE)
        dek = keyring._unwrap(row)
    except keyring.KeyringUnavailable as exc:
        raise BackupError(str(exc)) from None
    header = _canonical({"format": FORMAT, "key_id": row.key_id, "kek_id": row.kek_id,
                         "wrapped_key": base64.b64encode(bytes(row.wrapped)).decode("ascii"),
                         "created": timezone.now().astimezone(UTC).isoformat(timespec="seconds")})
    prefix = MAGIC + len(header).to_bytes(4, "big") + header
    manifest: dict[str, Any] = {"format": FORMAT, "tables": {}, "files": {}, "tree_head": None}
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(prefix)
            with _snapshot():
                tables = _tables()
                crypto.encrypt_stream(dek, _GenReader(_contents(tables, manifest, notes)), fh,  # type: ignore[arg-type]
                                      aad=_header_aad(prefix), chunk_size=chunk_size)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        crypto._fsync_dir(target.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    head = manifest["tree_head"]
    return BackupSummary(path=target, key_id=row.key_id, tables=len(manifest["tables"]),
                         rows=sum(t["rows"] for t in manifest["tables"].values()),
                         files=len(manifest["files"]), file_bytes=sum(f["size"] for f in manifest["files"].values()),
                         tree_size=None if head is None else head["tree_size"], notes=notes)


# --------------------------------------------------------------------------- reading


def _open_archive(fh: BinaryIO) -> tuple[bytes, bytes]:
    """Read and check the clear header; return (dek, aad). Raises BackupError."""
    magic = fh.read(len(MAGIC))
    if magic != MAGIC:
        raise BackupError("not an Unforgotten backup archive (bad magic or unknown format version)")
    size_bytes = fh.read(4)
    if len(size_bytes) != 4:
        raise BackupError("the archive is truncated inside its header")
    size = int.from_bytes(size_bytes, "big")
    if size > _MAX_HEADER:
        raise BackupError("the archive header is malformed (impossible length)")
    header_bytes = fh.read(size)
    if len(header_bytes) != size:
        raise BackupError("the archive is truncated inside its header")
    try:
        header = json.loads(header_bytes)
        wrapped = base64.b64decode(header["wrapped_key"], validate=True)
        if header["format"] != FORMAT:
            raise BackupError(f"archive format {header['format']} is not supported (this version reads {FORMAT})")
    except (ValueError, KeyError, TypeError):
        raise BackupError("the archive header is malformed") from None
    try:
        dek = keyring._ensure_keks().unwrap(wrapped)
    except keyring.KeyringUnavailable as exc:
        raise BackupError(str(exc)) from None
    except crypto.UnknownKeyError as exc:
        raise BackupError(f"the archive's key cannot be opened: {exc}. Load the KEK it was made under "
                          "(KEY_FILE, or KEY_PREVIOUS_FILES after a rotation)") from None
    except crypto.DecryptionError as exc:
        raise BackupError(f"the archive's wrapped key is damaged: {exc}") from None
    if crypto.dek_id(dek) != header.get("key_id"):
        raise BackupError("the archive header names another key than the one it carries")
    return dek, _header_aad(MAGIC + size_bytes + header_bytes)


class _Feeder:
    """A writable sink that drives a parser generator: the parser yields how many bytes it needs next."""

    def __init__(self, parser: Generator[int, bytes, None]) -> None:
        self._parser = parser
        self._need: int | None = next(parser)
        self._buf = bytearray()
        self._pos = 0

    def write(self, data: Any) -> int:
        if self._need is None:
            raise BackupError("the archive has data after its manifest")
        self._buf += data
        while self._need is not None and len(self._buf) - self._pos >= self._need:
            piece = bytes(self._buf[self._pos : self._pos + self._need])
            self._pos += self._need
            try:
                self._need = self._parser.send(piece)
            except StopIteration:
                self._need = None
                if len(self._buf) > self._pos:
                    raise BackupError("the archive has data after its manifest") from None
        if self._pos > _CHUNK:
            del self._buf[: self._pos]
            self._pos = 0
        return len(data)

    def finish(self) -> None:
        if self._need is not None:
            raise BackupError("the archive ends before its manifest (truncated)")


class _Sink:
    """What a parsed archive turns into; the check-only sink writes nothing."""

    def meta(self, meta: dict[str, Any]) -> None:
        pass

    def table_start(self, name: str) -> None:
        pass

    def rows(self, name: str, lines: list[bytes]) -> None:
        pass

    def file_start(self, name: str) -> None:
        pass

    def file_data(self, data: bytes) -> None:
        pass

    def file_end(self) -> None:
        pass


@dataclass
class _Parsed:
    meta: dict[str, Any] | None = None
    tables: dict[str, dict[str, Any]] = field(default_factory=dict)
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    head: dict[str, Any] | None = None
    manifest: dict[str, Any] | None = None


def _parser(sink: _Sink, out: _Parsed) -> Generator[int, bytes, None]:
    if (yield len(INNER_MAGIC)) != INNER_MAGIC:
        raise BackupError("the archive's contents are not a backup (bad inner magic)")

    while out.manifest is None:
        kind = yield 1
        name = os.fsdecode((yield int.from_bytes((yield 2), "big")))
        if kind in (b"M", b"H", b"Z"):
            body = bytearray()
            while size := int.from_bytes((yield 4), "big"):
                if len(body) + size > _MAX_SMALL_RECORD:
                    raise BackupError(f"the archive's {name} record is impossibly large")
                body += yield size
            try:
                value = json.loads(body)
            except ValueError:
                raise BackupError(f"the archive's {name} record is malformed") from None
            if kind == b"M":
                if out.meta is not None:
                    raise BackupError("the archive has two meta records")
                out.meta = value
                sink.meta(value)
            elif kind == b"H":
                out.head = value
            else:
                out.manifest = value
        elif kind == b"T":
            if out.meta is None or name in out.tables:
                raise BackupError(f"the archive's table {name} is out of place")
            sink.table_start(name)
            digest, count, rest = hashlib.sha256(), 0, b""
            while size := int.from_bytes((yield 4), "big"):
                data = yield size
                digest.update(data)
                lines = (rest + data).split(b"\n")
                rest = lines.pop()
                count += len(lines)
                sink.rows(name, lines)
            if rest:
                raise BackupError(f"the archive's table {name} ends inside a row")
            out.tables[name] = {"rows": count, "sha256": digest.hexdigest()}
        elif kind == b"F":
            if name in out.files or "/" not in name:
                raise BackupError(f"the archive's file {name!r} is out of place")
            sink.file_start(name)
            digest, total = hashlib.sha256(), 0
            while size := int.from_bytes((yield 4), "big"):
                data = yield size
                digest.update(data)
                total += len(data)
                sink.file_data(data)
            sink.file_end()
            out.files[name] = {"size": total, "sha256": digest.hexdigest()}
        else:
            raise BackupError(f"the archive holds an unknown record type {kind!r}")


def _read(path: Path, sink: _Sink) -> _Parsed:
    out = _Parsed()
    try:
        fh = open(path, "rb")  # noqa: SIM115  (closed below; the stream is parsed as it decrypts)
    except OSError as exc:
        raise BackupError(f"cannot read {path}: {exc.strerror}") from None
    with fh:
        dek, aad = _open_archive(fh)
        feeder = _Feeder(_parser(sink, out))
        try:
            crypto.decrypt_stream(dek, fh, feeder, aad=aad)  # type: ignore[arg-type]
        except crypto.DecryptionError as exc:
            raise BackupError(f"the archive failed authentication and was refused: {exc}") from None
        feeder.finish()
    _check_manifest(out)
    return out


def _check_manifest(out: _Parsed) -> None:
    manifest = out.manifest
    if manifest is None or out.meta is None:
        raise BackupError("the archive has no manifest or no meta record")
    listed = [t["name"] for t in out.meta.get("tables", [])]
    if set(listed) != set(out.tables) or set(manifest.get("tables", {})) != set(out.tables):
        raise BackupError("the archive's tables do not match its manifest")
    for name, got in out.tables.items():
        want = manifest["tables"][name]
        if got != {"rows": want.get("rows"), "sha256": want.get("sha256")}:
            raise BackupError(f"table {name}: the rows in the archive do not match the manifest's digest")
    if set(manifest.get("files", {})) != set(out.files):
        raise BackupError("the archive's files do not match its manifest")
    for name, got in out.files.items():
        want = manifest["files"][name]
        if got != {"size": want.get("size"), "sha256": want.get("sha256")}:
            raise BackupError(f"file {name}: its bytes do not match the manifest's SHA-256")
    head = out.head["tree_head"] if out.head else None
    if head != manifest.get("tree_head"):
        raise BackupError("the archive's tree head does not match its manifest")


def check_backup(path: str | Path) -> dict[str, Any]:
    """Decrypt and check an archive without writing anything; its manifest, or BackupError."""
    manifest = _read(Path(path), _Sink()).manifest
    return manifest or {}


# --------------------------------------------------------------------------- restoring


def _fresh_problems() -> list[str]:
    """Why the target is not fresh (empty list: it is)."""
    if not MigrationRecorder(connection).has_table() or not _applied_migrations():
        raise BackupError("this database is not migrated: run `unforgotten migrate` first, then restore")
    existing = set(connection.introspection.table_names())
    missing = [t.name for t in _tables() if t.name not in existing]
    if missing:
        raise BackupError(f"this database lacks tables ({', '.join(missing[:5])}): run `unforgotten migrate` first")
    problems = []
    for table in _tables():
        if table.name in SEEDED_TABLES:
            continue
        if table.model._base_manager.exists():
            problems.append(f"table {table.name} has rows")
    for label, root in _roots():
        if root.is_dir() and any(root.iterdir()):
            problems.append(f"the {label} folder {root} is not empty")
    return problems


def _trigger_sql(names: list[str]) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        marks = ", ".join(["%s"] * len(names))
        cursor.execute(f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ({marks})",  # noqa: S608
                       names)
        return [(n, s) for n, s in cursor.fetchall()]


def _wipe(tables: list[_Table], *, force: bool) -> None:
    """Empty the target's tables inside the restore transaction (seeded rows always; all with --force)."""
    qn = connection.ops.quote_name
    names = [t.name for t in tables] if force else sorted(SEEDED_TABLES & {t.name for t in tables})
    if not names:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # TRUNCATE is not refused by the append-only triggers, and it is transactional here.
            # Pending deferred FK checks (rows written earlier in an enclosing transaction) block
            # TRUNCATE: run them now, then defer again for the restore's own inserts.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("TRUNCATE " + ", ".join(qn(n) for n in names) + " CASCADE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            return
        # SQLite: the append-only triggers refuse DELETE; lift them for this transaction only.
        triggers = _trigger_sql(names)
        for trig, _sql in triggers:
            cursor.execute(f"DROP TRIGGER {qn(trig)}")
        for name in names:
            cursor.execute(f"DELETE FROM {qn(name)}")  # noqa: S608  (a quoted table name of ours)
        for _trig, sql in triggers:
            cursor.execute(sql)


class _RestoreSink(_Sink):
    def __init__(self, tables: dict[str, _Table], staging: dict[str, Path], force: bool) -> None:
        self.tables = tables
        self.staging = staging
        self.force = force
        self._sql: str = ""
        self._fields: tuple[models.Field[Any, Any], ...] = ()
        self._file: BinaryIO | None = None
        self._file_path: Path | None = None

    def meta(self, meta: dict[str, Any]) -> None:
        want, have = meta.get("migrations", []), _applied_migrations()
        if want != have:
            missing = sorted(set(want) - set(have))[:5]
            extra = sorted(set(have) - set(want))[:5]
            raise BackupError("the archive was made at another schema version than this database: "
                              f"not applied here {missing or '-'}, applied here but not in the archive "
                              f"{extra or '-'}. Restore with the release that made the backup, then migrate")
        for entry in meta.get("tables", []):
            table = self.tables.get(entry["name"])
            if table is None:
                raise BackupError(f"the archive holds table {entry['name']}, which this release does not have")
            if entry["columns"] != table.columns:
                raise BackupError(f"table {entry['name']} has other columns here than in the archive")
        _wipe([self.tables[e["name"]] for e in meta["tables"]], force=self.force)

    def table_start(self, name: str) -> None:
        table = self.tables[name]
        qn = connection.ops.quote_name
        self._fields = table.fields
        self._sql = (f"INSERT INTO {qn(name)} ({', '.join(qn(c) for c in table.columns)}) "  # noqa: S608
                     f"VALUES ({', '.join(['%s'] * len(table.columns))})")

    def rows(self, name: str, lines: list[bytes]) -> None:
        batch = []
        try:
            for line in lines:
                values = json.loads(line)
                if not isinstance(values, list) or len(values) != len(self._fields):
                    raise BackupError(f"table {name}: a row has the wrong shape")
                batch.append([_decode(f, v) for f, v in zip(self._fields, values, strict=True)])
        except (ValueError, TypeError) as exc:
            raise BackupError(f"table {name}: a row cannot be read ({exc})") from None
        with connection.cursor() as cursor:
            for start in range(0, len(batch), _INSERT_BATCH):
                cursor.executemany(self._sql, batch[start : start + _INSERT_BATCH])

    def file_start(self, name: str) -> None:
        label, _, rel = name.partition("/")
        root = self.staging.get(label)
        if root is None:
            raise BackupError(f"the archive holds {label} files but {label.upper()}_ROOT is not set here")
        path = root / _safe_relpath(rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file_path = path
        self._file = open(path, "xb")  # noqa: SIM115  (closed in file_end or by the staging cleanup)

    def file_data(self, data: bytes) -> None:
        if self._file is not None:
            self._file.write(data)

    def file_end(self) -> None:
        if self._file is None:
            return
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        self._file = None

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


@dataclass
class RestoreSummary:
    tables: int
    rows: int
    files: int
    tree_size: int | None
    log_size: int


def _verify_target(parsed: _Parsed, extra_keys: list[Any]) -> int:
    """Inside the restore transaction: the target's rows and audit log are what was saved."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from unforgotten.audit import log
    from unforgotten.core import merkle

    live = table_digests()
    for name, want in (parsed.manifest or {})["tables"].items():
        got = live.get(name)
        if got != {"rows": want["rows"], "sha256": want["sha256"]}:
            raise BackupError(f"table {name}: after restoring, the database's rows differ from the archive's "
                              "digest (the target engine changed a value?)")
    keys = list(extra_keys)
    if parsed.head and parsed.head.get("public_key"):
        key = _serialization().load_pem_public_key(parsed.head["public_key"].encode("ascii"))
        if not isinstance(key, Ed25519PublicKey):
            raise BackupError("the archive's log key is not an Ed25519 public key")
        keys.append(key)
    given = merkle.TreeHead.from_json(_canonical(parsed.head["tree_head"])) if parsed.head else None
    try:
        result = log.verify(tree_head=given, extra_keys=keys)
    except log.LogProblem as problem:
        raise BackupError(f"the restored audit log does not verify: {problem}") from None
    return result.size


def _staging_dirs(roots: list[tuple[str, Path]]) -> dict[str, Path]:
    staging = {}
    for label, root in roots:
        root.parent.mkdir(parents=True, exist_ok=True)
        staging[label] = Path(tempfile.mkdtemp(prefix=f".{root.name}.restore-", dir=root.parent))
    return staging


def _swap_in(staging: dict[str, Path], roots: dict[str, Path], force: bool) -> Callable[[], None]:
    """Rename the staged folders into place; return an undo."""
    moved: list[tuple[Path, Path | None]] = []  # (root, where the old one went)

    def undo() -> None:
        for root, old in reversed(moved):
            if root.exists():
                shutil.rmtree(root)
            if old is not None:
                os.replace(old, root)

    try:
        for label, tmp in staging.items():
            root = roots[label]
            old: Path | None = None
            if root.exists():
                if any(root.iterdir()):
                    if not force:
                        raise BackupError(f"the {label} folder {root} is not empty")
                    old = root.with_name(f".{root.name}.replaced-{uuid.uuid4().hex[:8]}")
                    os.replace(root, old)
                else:
                    root.rmdir()
            os.replace(tmp, root)
            moved.append((root, old))
    except BaseException:
        undo()
        raise
    return undo


def restore_backup(path: str | Path, *, force: bool = False, extra_keys: list[Any] | None = None) -> RestoreSummary:
    """Fill this (fresh, migrated) database and empty media/evidence folders from an archive."""
    source = Path(path)
    if not source.is_file():
        raise BackupError(f"{source} is not a file")
    if connection.in_atomic_block and not force:
        raise BackupError("restore runs in its own transaction")
    problems = _fresh_problems()
    if problems and not force:
        raise BackupError("the target is not empty (" + "; ".join(problems[:5]) +
                          "). Restore into a fresh, migrated database and empty folders, or pass --force to replace them")
    roots = dict(_roots())
    staging = _staging_dirs(list(roots.items()))
    sink = _RestoreSink({t.name: t for t in _tables()}, staging, force)
    undo: Callable[[], None] | None = None
    try:
        with transaction.atomic():
            try:
                parsed = _read(source, sink)
            finally:
                sink.close()
            log_size = _verify_target(parsed, list(extra_keys or []))
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    for sql in connection.ops.sequence_reset_sql(no_style(), [t.model for t in sink.tables.values()]):
                        cursor.execute(sql)
            # Folders last: if the commit below fails, they go back.
            undo = _swap_in(staging, roots, force)
    except BaseException:
        if undo is not None:
            undo()
        for tmp in staging.values():
            shutil.rmtree(tmp, ignore_errors=True)
        raise
    for root in roots.values():
        for old in root.parent.glob(f".{root.name}.replaced-*"):
            shutil.rmtree(old, ignore_errors=True)
    from django.core.cache import cache

    cache.clear()  # stale re-authentication stamps and catalogue copies must not survive a restore
    head = (parsed.manifest or {}).get("tree_head")
    return RestoreSummary(tables=len(parsed.tables), rows=sum(t["rows"] for t in parsed.tables.values()),
                          files=len(parsed.files), tree_size=None if head is None else head["tree_size"],
                          log_size=log_size)

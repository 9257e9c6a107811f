"""The evidence store: encrypted originals and derivatives under ``EVIDENCE_ROOT``, never plaintext.

Layout::

    EVIDENCE_ROOT/
      tmp/       files being written (``<random>.part``); never read by anyone
      objects/   finished files, ``objects/<2 hex>/<32 hex>.ufe``, one per item

The store holds ciphertext only: every byte an upload sends is encrypted (the
keyring's ``evidence-files`` data key, ``core/crypto.py``'s stream format)
before it reaches the disk, so neither the store nor a crash leftover ever holds
a plaintext byte. The on-disk name is random and unrelated to the uploaded file
name; the item's id is bound into the encryption (aad), so a file swapped for
another item's fails to decrypt.

Writing is push-style (:class:`SealingWriter`): an upload handler receives the
request body in pieces, so the writer pushes them through the keyring's
``stream_encryptor`` (``crypto.StreamEncryptor``, exactly ``crypto.encrypt_stream``'s
format), hashing the plaintext on the way. A finished file is fsync'd in
``tmp/`` and renamed into ``objects/`` (then the directory is fsync'd) only when
the caller commits it: readers see a whole file or none.

Reading is pull-style (:func:`iter_plaintext`) over the keyring's
``stream_decryptor``: each chunk is authenticated before it is handed out, so a
download streams in constant memory; a tampered chunk ends the stream with
:class:`DecryptionError` (the client sees a short body against its
``Content-Length``). Fixity uses ``keyring.decrypt_stream``.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings

from unforgotten.core import crypto, keyring
from unforgotten.core.crypto import DecryptionError

PURPOSE = "evidence-files"
CHUNK_SIZE = crypto.DEFAULT_CHUNK_SIZE
_TAG = 16
_HEADER_LEN = 48
HEAD_BYTES = 8192  # plaintext kept in memory for type detection, then dropped

__all__ = ["PURPOSE", "DecryptionError", "SealedFile", "SealingWriter", "aad_for", "discard", "iter_plaintext",
           "object_path", "root"]


def root() -> Path:
    return Path(settings.EVIDENCE_ROOT)


def _dir(name: str) -> Path:
    path = root() / name
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def aad_for(item_uuid: str) -> bytes:
    """The context bound into an item's file: its id, so files cannot be swapped between items."""
    return f"evidence.item:{item_uuid}".encode("ascii")


def object_path(storage_name: str) -> Path:
    """Where a finished file lives; ValueError for a name the store did not make."""
    if len(storage_name) != 32 or not all(c in "0123456789abcdef" for c in storage_name):
        raise ValueError("not an evidence storage name")
    return root() / "objects" / storage_name[:2] / f"{storage_name}.ufe"


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass(frozen=True)
class SealedFile:
    """A finished, fsync'd ciphertext in ``tmp/``, not yet visible in ``objects/``."""

    storage_name: str
    temp_path: Path
    size: int
    sha256: str
    head: bytes  # the first plaintext bytes, for type detection only
    key_id: str

    def commit(self) -> Path:
        """Rename into ``objects/`` and make the rename durable; returns the final path."""
        final = object_path(self.storage_name)
        final.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.replace(self.temp_path, final)
        _fsync_dir(final.parent)
        return final

    def discard(self) -> None:
        self.temp_path.unlink(missing_ok=True)


class SealingWriter:
    """Encrypts pieces of plaintext into a temporary file of the store, hashing them on the way.

    ``write`` as the pieces arrive, then ``finish`` (fsync, returns a
    :class:`SealedFile`) or ``abort`` (removes the temporary file). Any
    exception inside ``write``/``finish`` aborts first, so no partial file
    survives an error.
    """

    def __init__(self, item_uuid: str, *, chunk_size: int = CHUNK_SIZE) -> None:
        tmp = _dir("tmp")
        self.storage_name = secrets.token_hex(16)
        self.temp_path = tmp / f"{self.storage_name}.part"
        # O_EXCL: a name is used once; 0600: only the service reads the store.
        fd = os.open(self.temp_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
        self._fh: BinaryIO | None = os.fdopen(fd, "wb", buffering=0)
        try:
            self._enc = keyring.stream_encryptor(PURPOSE, aad=aad_for(item_uuid), chunk_size=chunk_size)
            self.key_id = self._enc.dek_id
            self._raw_write(self._enc.header)
        except BaseException:
            self.abort()
            raise
        self._sha = hashlib.sha256()
        self._size = 0
        self._head = bytearray()

    def _raw_write(self, data: bytes | memoryview) -> None:
        if self._fh is None:
            raise OSError("the evidence file is already closed")
        view = memoryview(data)
        while len(view):
            written = self._fh.write(view)
            if not written:
                raise OSError("the evidence store accepted no bytes")
            view = view[written:]

    @property
    def size(self) -> int:
        return self._size

    def write(self, data: bytes) -> None:
        try:
            self._sha.update(data)
            self._size += len(data)
            if len(self._head) < HEAD_BYTES:
                self._head += data[: HEAD_BYTES - len(self._head)]
            sealed = self._enc.push(data)
            if sealed:
                self._raw_write(sealed)
        except BaseException:
            self.abort()
            raise

    def finish(self) -> SealedFile:
        try:
            self._raw_write(self._enc.finish())
            if self._fh is None:
                raise OSError("the evidence file is already closed")
            os.fsync(self._fh.fileno())
            self._fh.close()
            self._fh = None
        except BaseException:
            self.abort()
            raise
        return SealedFile(self.storage_name, self.temp_path, self._size, self._sha.hexdigest(), bytes(self._head),
                          self.key_id)

    def abort(self) -> None:
        if self._fh is not None:
            try:
                self._fh.close()
            except OSError:
                pass  # the file goes anyway
            self._fh = None
        self.temp_path.unlink(missing_ok=True)


def seal_bytes(item_uuid: str, data: bytes) -> SealedFile:
    """Encrypt a small in-memory file (a derivative) into the store's temporary folder."""
    writer = SealingWriter(item_uuid)
    writer.write(data)
    return writer.finish()


def discard(storage_name: str) -> None:
    """Remove a committed file whose database row was never written (the row's transaction failed)."""
    object_path(storage_name).unlink(missing_ok=True)


def iter_plaintext(storage_name: str, item_uuid: str) -> Iterator[bytes]:
    """The original's bytes, chunk by chunk, each authenticated before it is yielded.

    Raises DecryptionError (mid-stream if need be) on any tampering or truncation,
    and FileNotFoundError when the file is missing.
    """
    with open(object_path(storage_name), "rb") as src:
        head = src.read(_HEADER_LEN)
        dec = keyring.stream_decryptor(PURPOSE, head, aad=aad_for(item_uuid))
        piece = dec.push(head)
        while True:
            if piece:
                yield piece
            data = src.read(CHUNK_SIZE + _TAG)
            if not data:
                break
            piece = dec.push(data)
        last = dec.finish()
        if last:
            yield last


def rehash(storage_name: str, item_uuid: str) -> tuple[int, str]:
    """Decrypt the whole file without keeping it: (size, SHA-256 of the plaintext). DecryptionError if altered."""

    class _Null:
        def write(self, data: bytes | memoryview) -> int:
            return len(data)

    with open(object_path(storage_name), "rb") as src:
        return keyring.decrypt_stream(PURPOSE, src, _Null(), aad=aad_for(item_uuid))  # type: ignore[arg-type]


def sweep_temporary(older_than_seconds: float = 86400.0) -> int:
    """Remove ``.part`` files left by a crash (they hold ciphertext only, but nobody will finish them)."""
    import time

    folder = root() / "tmp"
    if not folder.is_dir():
        return 0
    removed = 0
    limit = time.time() - older_than_seconds
    for path in folder.glob("*.part"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed

"""Envelope encryption for Unforgotten, with the master key kept out of the database.

Nothing here imports Django: the module is plain Python over the ``cryptography``
package, so it can be audited, tested and reused on its own.

Key hierarchy
=============

* **KEK** (key-encryption key, 256 bits). Lives *outside* the database: in a
  key file, in an environment variable, or derived from a passphrase. A seized
  database dump alone therefore decrypts nothing. Each KEK has a short public
  *key id*: the first 8 bytes of ``SHA-256(b"unforgotten/kek-id\\x00" || key)``
  as 16 hex digits. (The hash is domain-separated so the id of a KEK can never
  be confused with any other hash of the same bytes.)
* **DEK** (data-encryption key, 256 random bits). Encrypts field values and
  evidence files. DEKs are stored in the database only *wrapped* under a KEK
  (:class:`WrappedKey`). Each DEK has a key id derived the same way with the
  label ``b"unforgotten/dek-id\\x00"``; it travels in every ciphertext so the
  right DEK can be picked and a wrong one is reported clearly.
* :class:`Keyring` holds the current KEK plus older ones. Rotating the KEK
  means loading the new KEK as current, keeping the old one as previous, and
  calling :meth:`Keyring.rewrap` on every stored wrapped DEK: the data itself is
  never re-encrypted, because the DEK does not change.

Why AES-GCM (and not AES-KW) to wrap DEKs
-----------------------------------------
AES key wrap (RFC 3394/5649) is deterministic and has no associated data.
AES-256-GCM with a random 96-bit nonce lets the wrapped key's header (format
version, KEK id, DEK id) be authenticated as associated data, so a wrapped key
cannot be relabelled; it gives a 128-bit tag instead of AES-KW's 64-bit
integrity check; and it is the same primitive as the data layer, so there is
one primitive to review. The random-nonce limit (about 2**32 wraps per KEK) is
irrelevant for the handful of DEKs an organisation has.

Binary formats (all integers big-endian)
========================================

Field value (``encrypt_value``)::

    offset  size  content
    0       4     b"UFV\\x01"          magic "UF", kind "V" (value), version 1
    4       8     DEK id (raw bytes)
    12      12    random nonce
    24      n+16  AES-256-GCM ciphertext of the n plaintext bytes, then the tag

    GCM associated data = bytes 0..11 (the header) || caller's aad

    Overhead: 40 bytes. The header is fixed-length, so header || aad is an
    unambiguous encoding. The caller's aad names the context, e.g.
    b"registry.relationship.contact:1234", so a ciphertext copied into another
    field or row fails to decrypt.

:class:`FieldCipher` string form: ``"uf1:" + urlsafe_base64(field value)``
without ``=`` padding. Decoding is strict (canonical alphabet and padding
bits only), so a changed character is never silently accepted.

Wrapped DEK (:class:`WrappedKey`)::

    0       4     b"UFK\\x01"          magic, kind "K" (wrapped key), version 1
    4       8     KEK id
    12      8     DEK id
    20      12    random nonce
    32      48    AES-256-GCM(KEK) of the 32-byte DEK, then the 16-byte tag

    GCM associated data = bytes 0..19.  Total 80 bytes; string form "ufk1:" +
    urlsafe base64 without padding.

Encrypted stream / evidence file (``encrypt_stream``), a STREAM construction
(Hoang, Reyhanitabar, Rogaway, Vizár 2015) over AES-256-GCM::

    header (48 bytes)
    0       4     b"UFS\\x01"          magic, kind "S" (stream), version 1
    4       8     DEK id
    12      4     chunk size C in bytes (plaintext bytes per chunk)
    16      32    random per-file salt

    then chunks 0, 1, ..., k:  AES-256-GCM(file key, nonce_i, chunk_i) || tag
      every chunk but the last holds exactly C plaintext bytes (C+16 on disk);
      the last holds 0..C bytes (16..C+16 on disk); an empty input gives one
      empty final chunk.

    file key || nonce prefix (32 + 7 bytes) =
        HKDF-SHA256(ikm=DEK, salt=per-file salt,
                    info=b"unforgotten/stream/v1\\x00" || header || caller aad)
    nonce_i = nonce prefix (7) || i as uint32 (4) || last flag (1: 0x01 on the
              final chunk, 0x00 otherwise)

  Each file gets its own key (a fresh 256-bit salt), so nonces never repeat
  across files however many files share a DEK. The chunk counter in the nonce
  detects reordering and duplication; the last-chunk flag detects truncation at
  a chunk boundary and anything appended after the end; the header and the
  caller's aad are bound through the key derivation, so editing the header or
  using the wrong aad makes the first chunk fail.

Streaming caveat
----------------
``decrypt_stream`` verifies each chunk's tag *before* writing that chunk's
plaintext, so no unauthenticated byte is ever written. But a stream is only
known to be *complete* (not truncated, nothing appended) when the final chunk
verifies, i.e. when ``decrypt_stream`` returns. Until then the bytes already
written are authentic but possibly partial. Write to a temporary file and
rename it into place only after success; :func:`decrypt_file` does exactly
that.

Passphrase-derived KEKs
-----------------------
scrypt with N = 2**17, r = 8, p = 1 (128 MiB of memory, about 0.4 s on a
current server core) and a 256-bit key. The salt (at least 16 bytes; make one
with :func:`generate_salt`) is not secret but must be stored, e.g. beside the
settings, because the same passphrase with another salt gives another KEK.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
import secrets
import stat
import tempfile
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "FIELD_PREFIX",
    "KEY_SIZE",
    "MAX_CHUNK_SIZE",
    "MIN_CHUNK_SIZE",
    "SCRYPT_N",
    "SCRYPT_P",
    "SCRYPT_R",
    "CryptoError",
    "DecryptionError",
    "FieldCipher",
    "Kek",
    "KeyLoadError",
    "Keyring",
    "StreamDecryptor",
    "StreamEncryptor",
    "UnknownKeyError",
    "WrappedKey",
    "decrypt_file",
    "decrypt_stream",
    "decrypt_value",
    "dek_id",
    "derive_subkey",
    "encrypt_stream",
    "encrypt_value",
    "generate_dek",
    "generate_kek_file",
    "generate_salt",
    "hash_and_encrypt_file",
    "kek_id",
    "keyed_hash",
    "load_kek",
    "stream_header_dek_id",
]

KEY_SIZE = 32  # bytes: AES-256 for KEKs and DEKs
_ID_SIZE = 8  # bytes of a key id (16 hex digits)
_NONCE_SIZE = 12
_TAG_SIZE = 16

_VALUE_HEADER = b"UFV\x01"
_WRAPPED_HEADER = b"UFK\x01"
_STREAM_HEADER = b"UFS\x01"
_VALUE_PREFIX_LEN = len(_VALUE_HEADER) + _ID_SIZE  # 12
_VALUE_MIN_LEN = _VALUE_PREFIX_LEN + _NONCE_SIZE + _TAG_SIZE  # 40
_WRAPPED_AAD_LEN = len(_WRAPPED_HEADER) + 2 * _ID_SIZE  # 20
_WRAPPED_LEN = _WRAPPED_AAD_LEN + _NONCE_SIZE + KEY_SIZE + _TAG_SIZE  # 80
_STREAM_SALT_SIZE = 32
_STREAM_HEADER_LEN = len(_STREAM_HEADER) + _ID_SIZE + 4 + _STREAM_SALT_SIZE  # 48
_STREAM_NONCE_PREFIX_SIZE = 7
_STREAM_MAX_CHUNKS = 1 << 32

FIELD_PREFIX = "uf1:"
_WRAPPED_PREFIX = "ufk1:"

DEFAULT_CHUNK_SIZE = 1 << 20  # 1 MiB
MIN_CHUNK_SIZE = 64
MAX_CHUNK_SIZE = 1 << 26  # 64 MiB: bounds the memory a hostile header can demand

SCRYPT_N = 1 << 17
SCRYPT_R = 8
SCRYPT_P = 1
_MIN_SALT_SIZE = 16
_MIN_PASSPHRASE_LEN = 12
_MIN_SECRET_SIZE = 16

_KEK_ID_LABEL = b"unforgotten/kek-id\x00"
_DEK_ID_LABEL = b"unforgotten/dek-id\x00"
_STREAM_INFO_LABEL = b"unforgotten/stream/v1\x00"
_SUBKEY_INFO_LABEL = b"unforgotten/subkey/v1\x00"


# --------------------------------------------------------------------------- errors


class CryptoError(Exception):
    """Base class of every error raised by this module."""


class DecryptionError(CryptoError):
    """A ciphertext, wrapped key or stream is malformed, tampered with, was made
    for another context (aad) or needs a key we do not have.

    The one exception callers need to catch when decrypting: it never hands back
    partial or unauthenticated plaintext.
    """


class UnknownKeyError(DecryptionError):
    """The data names a KEK or DEK id that is not loaded."""


class KeyLoadError(CryptoError):
    """A KEK could not be loaded; the message names the source and the problem."""


# --------------------------------------------------------------------------- key ids


def _raw_id(label: bytes, key: bytes) -> bytes:
    return hashlib.sha256(label + key).digest()[:_ID_SIZE]


def kek_id(key: bytes) -> str:
    """Public id of a KEK: 16 hex digits, safe to store and log."""
    _check_key(key, "KEK")
    return _raw_id(_KEK_ID_LABEL, key).hex()


def dek_id(key: bytes) -> str:
    """Public id of a DEK: 16 hex digits, safe to store and log."""
    _check_key(key, "DEK")
    return _raw_id(_DEK_ID_LABEL, key).hex()


def _check_key(key: bytes, what: str) -> None:
    if not isinstance(key, bytes | bytearray) or len(key) != KEY_SIZE:
        size = len(key) if isinstance(key, bytes | bytearray) else "non-bytes"
        raise ValueError(f"a {what} must be {KEY_SIZE} bytes (256 bits), got {size}")


# --------------------------------------------------------------------------- KEKs


@dataclass(frozen=True)
class Kek:
    """A loaded key-encryption key. ``repr`` never shows the key bytes."""

    key: bytes = field(repr=False)
    key_id: str = ""

    def __post_init__(self) -> None:
        _check_key(self.key, "KEK")
        object.__setattr__(self, "key", bytes(self.key))
        expected = kek_id(self.key)
        if self.key_id == "":
            object.__setattr__(self, "key_id", expected)
        elif self.key_id != expected:
            raise ValueError("key_id does not match the key")

    @classmethod
    def from_bytes(cls, key: bytes) -> Kek:
        return cls(bytes(key))


def generate_dek() -> bytes:
    """A fresh random 256-bit data-encryption key."""
    return secrets.token_bytes(KEY_SIZE)


def generate_salt() -> bytes:
    """A fresh random 32-byte salt for :func:`load_kek` with a passphrase."""
    return secrets.token_bytes(32)


def _b64_key(text: str) -> bytes | None:
    """Decode standard or urlsafe base64 (padding optional); None if invalid."""
    token = text.strip()
    if not token or not re.fullmatch(r"[A-Za-z0-9+/_-]+={0,2}", token):
        return None
    token = token.rstrip("=").replace("-", "+").replace("_", "/")
    token += "=" * (-len(token) % 4)
    try:
        return base64.b64decode(token, validate=True)
    except (binascii.Error, ValueError):
        return None


def _kek_from_text(text: str, source: str) -> Kek:
    lines = [ln.strip() for ln in text.splitlines()]
    lines = [ln for ln in lines if ln and not ln.startswith("#")]
    if not lines:
        raise KeyLoadError(f"{source} is empty: it holds no key")
    if len(lines) > 1:
        raise KeyLoadError(f"{source} holds more than one line of key material")
    key = _b64_key(lines[0])
    if key is None:
        raise KeyLoadError(
            f"{source} is not valid base64: a KEK is {KEY_SIZE} random bytes "
            "written as (urlsafe) base64"
        )
    if len(key) != KEY_SIZE:
        raise KeyLoadError(
            f"{source} holds a {len(key)}-byte key; a KEK must be {KEY_SIZE} bytes "
            f"({KEY_SIZE * 8} bits)"
        )
    return Kek(key)


def _kek_from_file(path: Path, check_permissions: bool) -> Kek:
    source = f"KEK file {str(path)!r}"
    try:
        st = path.stat()
    except FileNotFoundError:
        raise KeyLoadError(f"{source} does not exist") from None
    except OSError as exc:
        raise KeyLoadError(f"{source} cannot be examined: {exc.strerror}") from None
    if not stat.S_ISREG(st.st_mode):
        raise KeyLoadError(f"{source} is not a regular file")
    if check_permissions and st.st_mode & 0o077:
        raise KeyLoadError(
            f"{source} is accessible to group or others (mode "
            f"{stat.S_IMODE(st.st_mode):04o}); run 'chmod 600' on it"
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise KeyLoadError(f"{source} cannot be read: {exc.strerror}") from None
    if not raw:
        raise KeyLoadError(f"{source} is empty: it holds no key")
    if len(raw) == KEY_SIZE:
        # 32 raw bytes, e.g. made with `head -c 32 /dev/urandom`. A base64 key
        # is at least 43 characters, so the two forms cannot be confused.
        return Kek(raw)
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError:
        raise KeyLoadError(
            f"{source} holds {len(raw)} bytes that are neither a {KEY_SIZE}-byte raw "
            "key nor base64 text"
        ) from None
    return _kek_from_text(text, source)


def load_kek(
    path: str | os.PathLike[str] | None = None,
    *,
    env_var: str | None = None,
    encoded: str | None = None,
    passphrase: str | None = None,
    salt: bytes | None = None,
    check_permissions: bool = True,
) -> Kek:
    """Load the KEK from exactly one source.

    * ``path``: a key file as written by :func:`generate_kek_file` (one line of
      urlsafe base64, ``#`` comment lines allowed) or exactly 32 raw bytes. The
      file must not be accessible to group or others unless
      ``check_permissions=False`` (for secret mounts you cannot chmod).
    * ``env_var``: the name of an environment variable holding the base64 key.
    * ``encoded``: the base64 text itself (standard or urlsafe, padding optional),
      e.g. a value already read from the environment.
    * ``passphrase`` with ``salt``: derived with scrypt (N=2**17, r=8, p=1);
      the passphrase must be at least 12 characters and the salt 16+ bytes.

    Raises :class:`KeyLoadError` with a message naming the source and problem.
    """
    given = [x is not None for x in (path, env_var, encoded, passphrase)]
    if sum(given) != 1:
        raise KeyLoadError("load_kek needs exactly one of path, env_var, encoded, passphrase")
    if salt is not None and passphrase is None:
        raise KeyLoadError("a salt is only used with a passphrase")
    if path is not None:
        return _kek_from_file(Path(path), check_permissions)
    if env_var is not None:
        value = os.environ.get(env_var)
        if value is None:
            raise KeyLoadError(f"environment variable {env_var} is not set")
        return _kek_from_text(value, f"environment variable {env_var}")
    if encoded is not None:
        return _kek_from_text(encoded, "the encoded KEK")
    if passphrase is None:  # pragma: no cover - excluded by the count above
        raise KeyLoadError("no KEK source given")
    if salt is None:
        raise KeyLoadError("a passphrase-derived KEK needs its stored salt")
    if len(salt) < _MIN_SALT_SIZE:
        raise KeyLoadError(f"the scrypt salt is {len(salt)} bytes; at least 16 are needed")
    if len(passphrase) < _MIN_PASSPHRASE_LEN:
        raise KeyLoadError(
            f"the passphrase is {len(passphrase)} characters; at least "
            f"{_MIN_PASSPHRASE_LEN} are needed"
        )
    kdf = Scrypt(salt=bytes(salt), length=KEY_SIZE, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    return Kek(kdf.derive(passphrase.encode("utf-8")))


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def generate_kek_file(path: str | os.PathLike[str]) -> Kek:
    """Write a new random KEK to ``path`` with mode 0600, atomically.

    The key is written and fsynced under a temporary name in the same directory,
    then hard-linked to ``path``, so ``path`` either does not exist or holds the
    whole key. An existing file is never overwritten (that would destroy the
    only copy of a key): :class:`KeyLoadError` is raised instead.
    """
    target = Path(path)
    if target.exists() or target.is_symlink():
        raise KeyLoadError(f"KEK file {str(target)!r} already exists; refusing to overwrite it")
    kek = Kek(secrets.token_bytes(KEY_SIZE))
    content = (
        f"# Unforgotten key-encryption key, id {kek.key_id}. Keep it secret and\n"
        "# keep a backup: without it the encrypted data cannot be read.\n"
        f"{base64.urlsafe_b64encode(kek.key).decode('ascii')}\n"
    ).encode("ascii")
    directory = target.parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    tmp = Path(tmp_name)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, target)
        except FileExistsError:
            raise KeyLoadError(
                f"KEK file {str(target)!r} already exists; refusing to overwrite it"
            ) from None
        _fsync_dir(directory)
    finally:
        tmp.unlink(missing_ok=True)
    return kek


# --------------------------------------------------------------------------- wrapped DEKs


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode_strict(text: str, what: str) -> bytes:
    """Decode unpadded urlsafe base64, accepting only the canonical encoding."""
    if not re.fullmatch(r"[A-Za-z0-9_-]*", text) or len(text) % 4 == 1:
        raise DecryptionError(f"{what} is not valid base64")
    raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if _b64encode(raw) != text:
        raise DecryptionError(f"{what} is not canonically encoded")
    return raw


@dataclass(frozen=True)
class WrappedKey:
    """A DEK encrypted under a KEK. Safe to store in the database."""

    kek_id: str
    dek_id: str
    nonce: bytes
    ciphertext: bytes  # 32-byte wrapped DEK followed by the 16-byte tag

    def header(self) -> bytes:
        return _WRAPPED_HEADER + bytes.fromhex(self.kek_id) + bytes.fromhex(self.dek_id)

    def to_bytes(self) -> bytes:
        return self.header() + self.nonce + self.ciphertext

    @classmethod
    def from_bytes(cls, data: bytes) -> WrappedKey:
        data = bytes(data)
        if len(data) != _WRAPPED_LEN:
            raise DecryptionError(f"a wrapped key is {_WRAPPED_LEN} bytes, this one is {len(data)}")
        if data[:4] != _WRAPPED_HEADER:
            raise DecryptionError("not an Unforgotten wrapped key (bad magic or version)")
        return cls(
            kek_id=data[4:12].hex(),
            dek_id=data[12:20].hex(),
            nonce=data[20:32],
            ciphertext=data[32:],
        )

    def to_str(self) -> str:
        return _WRAPPED_PREFIX + _b64encode(self.to_bytes())

    @classmethod
    def from_str(cls, text: str) -> WrappedKey:
        if not text.startswith(_WRAPPED_PREFIX):
            raise DecryptionError(f"a wrapped key string starts with {_WRAPPED_PREFIX!r}")
        return cls.from_bytes(_b64decode_strict(text[len(_WRAPPED_PREFIX) :], "wrapped key"))


class Keyring:
    """The current KEK plus older ones kept to unwrap DEKs not yet rewrapped."""

    def __init__(self, current: Kek, previous: Iterable[Kek] = ()) -> None:
        self._current = current
        self._keks: dict[str, Kek] = {current.key_id: current}
        for kek in previous:
            self._keks.setdefault(kek.key_id, kek)

    @property
    def current_kek_id(self) -> str:
        return self._current.key_id

    @property
    def kek_ids(self) -> tuple[str, ...]:
        return tuple(self._keks)

    def wrap(self, dek: bytes) -> WrappedKey:
        """Encrypt ``dek`` under the current KEK."""
        _check_key(dek, "DEK")
        dek = bytes(dek)
        header = _WRAPPED_HEADER + bytes.fromhex(self._current.key_id) + _raw_id(_DEK_ID_LABEL, dek)
        nonce = secrets.token_bytes(_NONCE_SIZE)
        ct = AESGCM(self._current.key).encrypt(nonce, dek, header)
        return WrappedKey(
            kek_id=self._current.key_id, dek_id=header[12:20].hex(), nonce=nonce, ciphertext=ct
        )

    def unwrap(self, wrapped: WrappedKey | bytes | str) -> bytes:
        """Recover the DEK; :class:`DecryptionError` if it was tampered with,
        :class:`UnknownKeyError` if its KEK is not in this keyring."""
        wk = _as_wrapped(wrapped)
        kek = self._keks.get(wk.kek_id)
        if kek is None:
            raise UnknownKeyError(
                f"the DEK {wk.dek_id} is wrapped under KEK {wk.kek_id}, which is not "
                f"loaded (loaded: {', '.join(self._keks)})"
            )
        try:
            header = wk.header()
        except ValueError:
            raise DecryptionError("wrapped key has malformed ids") from None
        if len(wk.nonce) != _NONCE_SIZE or len(wk.ciphertext) != KEY_SIZE + _TAG_SIZE:
            raise DecryptionError("wrapped key has the wrong shape")
        try:
            dek = AESGCM(kek.key).decrypt(wk.nonce, wk.ciphertext, header)
        except InvalidTag:
            raise DecryptionError(
                f"wrapped DEK {wk.dek_id} failed authentication under KEK {wk.kek_id}"
            ) from None
        if _raw_id(_DEK_ID_LABEL, dek).hex() != wk.dek_id:  # pragma: no cover - needs a forged KEK
            raise DecryptionError("unwrapped DEK does not match its id")
        return dek

    def new_dek(self) -> tuple[bytes, WrappedKey]:
        """A fresh DEK and its wrapped form under the current KEK."""
        dek = generate_dek()
        return dek, self.wrap(dek)

    def needs_rewrap(self, wrapped: WrappedKey | bytes | str) -> bool:
        return _as_wrapped(wrapped).kek_id != self._current.key_id

    def rewrap(self, wrapped: WrappedKey | bytes | str) -> WrappedKey:
        """Re-encrypt a wrapped DEK under the current KEK (for KEK rotation).

        The DEK and its id are unchanged, so data encrypted under it still
        decrypts; only the small wrapped key needs to be saved again.
        """
        return self.wrap(self.unwrap(wrapped))


def _as_wrapped(wrapped: WrappedKey | bytes | str) -> WrappedKey:
    if isinstance(wrapped, WrappedKey):
        return wrapped
    if isinstance(wrapped, str):
        return WrappedKey.from_str(wrapped)
    return WrappedKey.from_bytes(wrapped)


# --------------------------------------------------------------------------- field values


def encrypt_value(dek: bytes, plaintext: bytes, *, aad: bytes) -> bytes:
    """Encrypt one value with AES-256-GCM; see the module docstring for the layout."""
    _check_key(dek, "DEK")
    prefix = _VALUE_HEADER + _raw_id(_DEK_ID_LABEL, bytes(dek))
    nonce = secrets.token_bytes(_NONCE_SIZE)
    return prefix + nonce + AESGCM(dek).encrypt(nonce, plaintext, prefix + aad)


def decrypt_value(dek: bytes, ciphertext: bytes, *, aad: bytes) -> bytes:
    """Decrypt what :func:`encrypt_value` made, or raise :class:`DecryptionError`."""
    _check_key(dek, "DEK")
    data = bytes(ciphertext)
    if len(data) < _VALUE_MIN_LEN:
        raise DecryptionError(f"ciphertext too short ({len(data)} bytes)")
    if data[:4] != _VALUE_HEADER:
        raise DecryptionError("not an Unforgotten field ciphertext (bad magic or version)")
    prefix = data[:_VALUE_PREFIX_LEN]
    want = _raw_id(_DEK_ID_LABEL, bytes(dek))
    if not hmac.compare_digest(prefix[4:], want):
        raise UnknownKeyError(
            f"ciphertext was made with DEK {prefix[4:].hex()}, not with DEK {want.hex()}"
        )
    nonce = data[_VALUE_PREFIX_LEN : _VALUE_PREFIX_LEN + _NONCE_SIZE]
    try:
        return AESGCM(dek).decrypt(nonce, data[_VALUE_PREFIX_LEN + _NONCE_SIZE :], prefix + aad)
    except InvalidTag:
        raise DecryptionError(
            "ciphertext failed authentication: it was altered or belongs to another context"
        ) from None


def _aad_bytes(aad: bytes | str) -> bytes:
    return aad.encode("utf-8") if isinstance(aad, str) else bytes(aad)


class FieldCipher:
    """Encrypts and decrypts database field values with one DEK.

    ``wrapped_dek`` is the DEK used to encrypt; ``previous_deks`` are older
    wrapped DEKs still accepted for decryption (the DEK id in each ciphertext
    picks the right one).
    """

    def __init__(
        self,
        keyring: Keyring,
        wrapped_dek: WrappedKey | bytes | str,
        *,
        previous_deks: Iterable[WrappedKey | bytes | str] = (),
    ) -> None:
        self._dek = keyring.unwrap(wrapped_dek)
        self._deks: dict[bytes, bytes] = {_raw_id(_DEK_ID_LABEL, self._dek): self._dek}
        for wk in previous_deks:
            dek = keyring.unwrap(wk)
            self._deks.setdefault(_raw_id(_DEK_ID_LABEL, dek), dek)

    @property
    def dek_id(self) -> str:
        return _raw_id(_DEK_ID_LABEL, self._dek).hex()

    def encrypt(self, plaintext: bytes, aad: bytes | str) -> bytes:
        return encrypt_value(self._dek, plaintext, aad=_aad_bytes(aad))

    def decrypt(self, ciphertext: bytes, aad: bytes | str) -> bytes:
        data = bytes(ciphertext)
        dek = self._deks.get(data[4:_VALUE_PREFIX_LEN], self._dek)
        return decrypt_value(dek, data, aad=_aad_bytes(aad))

    def encrypt_str(self, text: str, aad: bytes | str) -> str:
        """Encrypt text to an ASCII token ``"uf1:" + urlsafe base64``."""
        return FIELD_PREFIX + _b64encode(self.encrypt(text.encode("utf-8"), aad))

    def decrypt_str(self, token: str, aad: bytes | str) -> str:
        if not isinstance(token, str) or not token.startswith(FIELD_PREFIX):
            raise DecryptionError(f"an encrypted field value starts with {FIELD_PREFIX!r}")
        raw = _b64decode_strict(token[len(FIELD_PREFIX) :], "encrypted field value")
        try:
            return self.decrypt(raw, aad).decode("utf-8")
        except UnicodeDecodeError:
            raise DecryptionError("decrypted field value is not UTF-8 text") from None


# --------------------------------------------------------------------------- streams


def _check_chunk_size(chunk_size: int) -> None:
    if not MIN_CHUNK_SIZE <= chunk_size <= MAX_CHUNK_SIZE:
        raise ValueError(f"chunk_size must be between {MIN_CHUNK_SIZE} and {MAX_CHUNK_SIZE} bytes")


def _stream_cipher(dek: bytes, header: bytes, aad: bytes) -> tuple[AESGCM, bytes]:
    okm = HKDF(
        algorithm=hashes.SHA256(),
        length=KEY_SIZE + _STREAM_NONCE_PREFIX_SIZE,
        salt=header[-_STREAM_SALT_SIZE:],
        info=_STREAM_INFO_LABEL + header + aad,
    ).derive(dek)
    return AESGCM(okm[:KEY_SIZE]), okm[KEY_SIZE:]


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    return prefix + counter.to_bytes(4, "big") + (b"\x01" if last else b"\x00")


def _read_full(src: BinaryIO, view: memoryview) -> int:
    """Fill ``view`` from ``src``; fewer bytes only at end of stream."""
    readinto = getattr(src, "readinto", None)
    total = 0
    size = len(view)
    while total < size:
        if readinto is not None:
            got = readinto(view[total:])
        else:
            data = src.read(size - total)
            got = len(data)
            view[total : total + got] = data
        if not got:  # 0 at EOF; None would mean a non-blocking stream with no data
            break
        total += got
    return total


def _write_all(dst: BinaryIO, view: memoryview) -> None:
    while len(view):
        written = dst.write(view)
        if written is None or written >= len(view):  # buffered streams write everything
            return
        view = view[written:]


class _Hasher:
    """SHA-256 that can run in a worker thread while the caller encrypts.

    hashlib and OpenSSL's AES-GCM both release the GIL on large buffers, so on
    two cores hashing chunk i overlaps encrypting it: the pass runs at about the
    speed of SHA-256 alone instead of SHA-256 plus AES-GCM.
    """

    def __init__(self, pool: ThreadPoolExecutor | None) -> None:
        self.sha = hashlib.sha256()
        self._pool = pool
        self._pending: Future[None] | None = None

    def submit(self, view: memoryview) -> None:
        if self._pool is None or len(view) < 65536:
            self.sha.update(view)
        else:
            self._pending = self._pool.submit(self.sha.update, view)

    def wait(self) -> None:
        if self._pending is not None:
            pending, self._pending = self._pending, None
            pending.result()


@contextmanager
def _hasher(parallel: bool) -> Iterator[_Hasher]:
    if not parallel:
        yield _Hasher(None)
        return
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="uf-sha256") as pool:
        yield _Hasher(pool)


def encrypt_stream(
    dek: bytes,
    src: BinaryIO,
    dst: BinaryIO,
    *,
    aad: bytes,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    parallel: bool = True,
) -> tuple[int, str]:
    """Encrypt ``src`` into ``dst``; return (plaintext size, plaintext SHA-256 hex).

    One pass over the data: each chunk is hashed (in a helper thread when
    ``parallel``) while it is encrypted. ``aad`` binds the file to its context,
    e.g. ``b"evidence:<uuid>"``; the same aad is needed to decrypt.
    """
    _check_key(dek, "DEK")
    _check_chunk_size(chunk_size)
    dek = bytes(dek)
    header = (
        _STREAM_HEADER
        + _raw_id(_DEK_ID_LABEL, dek)
        + chunk_size.to_bytes(4, "big")
        + secrets.token_bytes(_STREAM_SALT_SIZE)
    )
    aead, prefix = _stream_cipher(dek, header, bytes(aad))
    _write_all(dst, memoryview(header))

    cur = memoryview(bytearray(chunk_size))
    nxt = memoryview(bytearray(chunk_size))
    out = memoryview(bytearray(chunk_size + _TAG_SIZE))
    n = _read_full(src, cur)
    total = 0
    counter = 0
    with _hasher(parallel and n == chunk_size) as hasher:
        while True:
            chunk = cur[:n]
            hasher.submit(chunk)
            # Look ahead: a chunk is the last one if no byte follows it.
            m = _read_full(src, nxt) if n == chunk_size else 0
            last = m == 0
            sealed = out[: n + _TAG_SIZE]
            aead.encrypt_into(_nonce(prefix, counter, last), chunk, None, sealed)
            _write_all(dst, sealed)
            hasher.wait()
            total += n
            if last:
                return total, hasher.sha.hexdigest()
            counter += 1
            if counter >= _STREAM_MAX_CHUNKS:
                raise ValueError("stream too long for this chunk size")
            cur, nxt, n = nxt, cur, m


def _read_stream_header(dek: bytes, src: BinaryIO) -> tuple[bytes, int]:
    header_view = memoryview(bytearray(_STREAM_HEADER_LEN))
    if _read_full(src, header_view) != _STREAM_HEADER_LEN:
        raise DecryptionError("encrypted stream is truncated inside its header")
    header = header_view.tobytes()
    if header[:4] != _STREAM_HEADER:
        raise DecryptionError("not an Unforgotten encrypted stream (bad magic or version)")
    want = _raw_id(_DEK_ID_LABEL, dek)
    if not hmac.compare_digest(header[4:12], want):
        raise UnknownKeyError(
            f"stream was encrypted with DEK {header[4:12].hex()}, not with DEK {want.hex()}"
        )
    chunk_size = int.from_bytes(header[12:16], "big")
    if not MIN_CHUNK_SIZE <= chunk_size <= MAX_CHUNK_SIZE:
        raise DecryptionError(f"encrypted stream header has an invalid chunk size {chunk_size}")
    return header, chunk_size


def decrypt_stream(
    dek: bytes,
    src: BinaryIO,
    dst: BinaryIO,
    *,
    aad: bytes,
    parallel: bool = True,
) -> tuple[int, str]:
    """Decrypt ``src`` into ``dst``; return (plaintext size, plaintext SHA-256 hex).

    Raises :class:`DecryptionError` on any tampering: an edited byte, reordered,
    duplicated, missing or appended chunks, a truncated stream, the wrong DEK or
    the wrong aad. Each chunk is authenticated before its plaintext is written,
    but completeness is only known on return: write to a temporary file and
    rename it after success (see :func:`decrypt_file`).
    """
    _check_key(dek, "DEK")
    dek = bytes(dek)
    header, chunk_size = _read_stream_header(dek, src)
    aead, prefix = _stream_cipher(dek, header, bytes(aad))
    sealed_size = chunk_size + _TAG_SIZE
    cur = memoryview(bytearray(sealed_size))
    nxt = memoryview(bytearray(sealed_size))
    # Two plaintext buffers: chunk i is decrypted into one while the helper
    # thread may still be hashing chunk i-1 in the other.
    plains = (memoryview(bytearray(chunk_size)), memoryview(bytearray(chunk_size)))
    n = _read_full(src, cur)
    total = 0
    counter = 0
    with _hasher(parallel and n == sealed_size) as hasher:
        while True:
            if n < _TAG_SIZE:
                raise DecryptionError("encrypted stream is truncated (incomplete chunk)")
            m = _read_full(src, nxt) if n == sealed_size else 0
            last = m == 0
            out = plains[counter & 1][: n - _TAG_SIZE]
            try:
                aead.decrypt_into(_nonce(prefix, counter, last), cur[:n], None, out)
            except InvalidTag:
                raise DecryptionError(
                    f"chunk {counter} of the encrypted stream failed authentication: the "
                    "stream was altered, truncated, extended or reordered, or the aad is wrong"
                ) from None
            hasher.wait()  # chunk i-1 hashed: hashes stay in order
            hasher.submit(out)
            _write_all(dst, out)
            total += len(out)
            if last:
                hasher.wait()
                return total, hasher.sha.hexdigest()
            counter += 1
            if counter >= _STREAM_MAX_CHUNKS:
                raise DecryptionError("encrypted stream has too many chunks")
            cur, nxt, n = nxt, cur, m


# --- push-style streams (evidence-2 helper, issue 5) -------------------------------------------
# encrypt_stream/decrypt_stream pull from a readable source; an upload handler is handed the body
# in pieces instead, and a download wants plaintext chunk by chunk. These two classes produce and
# read exactly the same format, one piece at a time, so callers never need the cipher internals.


class StreamEncryptor:
    """Encrypt pushed pieces of plaintext into :func:`encrypt_stream`'s format.

    ``header`` first, then whatever :meth:`push` returns, then what :meth:`finish`
    returns, written in that order, is a stream :func:`decrypt_stream` opens.
    Memory stays at about one chunk: :meth:`push` returns the sealed chunks that
    are complete, keeping at least one byte back because only :meth:`finish`
    knows which chunk is the last.
    """

    def __init__(self, dek: bytes, *, aad: bytes, chunk_size: int = DEFAULT_CHUNK_SIZE) -> None:
        _check_key(dek, "DEK")
        _check_chunk_size(chunk_size)
        dek = bytes(dek)
        self.dek_id = _raw_id(_DEK_ID_LABEL, dek).hex()
        self.chunk_size = chunk_size
        self.header = (
            _STREAM_HEADER
            + bytes.fromhex(self.dek_id)
            + chunk_size.to_bytes(4, "big")
            + secrets.token_bytes(_STREAM_SALT_SIZE)
        )
        self._aead, self._prefix = _stream_cipher(dek, self.header, bytes(aad))
        self._buf = bytearray()
        self._counter = 0
        self._done = False

    def _seal(self, chunk: memoryview, last: bool, out: bytearray) -> None:
        if self._counter >= _STREAM_MAX_CHUNKS:
            raise ValueError("stream too long for this chunk size")
        start = len(out)
        out.extend(bytes(len(chunk) + _TAG_SIZE))
        with memoryview(out) as view:
            self._aead.encrypt_into(_nonce(self._prefix, self._counter, last), chunk, None,
                                    view[start : start + len(chunk) + _TAG_SIZE])
        self._counter += 1

    def push(self, data: bytes | bytearray | memoryview) -> bytes:
        """Take more plaintext; return the ciphertext of the chunks now complete (maybe b"")."""
        if self._done:
            raise ValueError("the stream is already finished")
        self._buf += data
        if len(self._buf) <= self.chunk_size:
            return b""
        out = bytearray()
        start = 0
        with memoryview(self._buf) as view:
            while len(self._buf) - start > self.chunk_size:
                self._seal(view[start : start + self.chunk_size], False, out)
                start += self.chunk_size
        del self._buf[:start]
        return bytes(out)

    def finish(self) -> bytes:
        """The final chunk (an empty input still gives one empty final chunk)."""
        if self._done:
            raise ValueError("the stream is already finished")
        self._done = True
        out = bytearray()
        with memoryview(self._buf) as view:
            self._seal(view, True, out)
        self._buf = bytearray()
        return bytes(out)


def stream_header_dek_id(header: bytes) -> str:
    """The DEK id named by a stream's first bytes (to pick the key); DecryptionError if it is no stream."""
    if len(header) < _STREAM_HEADER_LEN or bytes(header[:4]) != _STREAM_HEADER:
        raise DecryptionError("not an Unforgotten encrypted stream (bad or truncated header)")
    return bytes(header[4:12]).hex()


class StreamDecryptor:
    """Open :func:`encrypt_stream`'s format from pushed pieces of ciphertext, header included.

    :meth:`push` returns plaintext only for chunks already authenticated; it keeps
    the newest sealed chunk back until more data (or :meth:`finish`) says whether
    it is the last. As with :func:`decrypt_stream`, the stream is known to be
    complete only when :meth:`finish` returns; any tampering, truncation or
    wrong key/aad raises :class:`DecryptionError`.
    """

    def __init__(self, dek: bytes, *, aad: bytes) -> None:
        _check_key(dek, "DEK")
        self._dek = bytes(dek)
        self._aad = bytes(aad)
        self._aead: AESGCM | None = None
        self._prefix = b""
        self._buf = bytearray()
        self._counter = 0
        self._sealed = 0
        self._done = False
        self.chunk_size = 0

    def _start(self) -> None:
        header = bytes(self._buf[:_STREAM_HEADER_LEN])
        want = _raw_id(_DEK_ID_LABEL, self._dek)
        stream_header_dek_id(header)
        if not hmac.compare_digest(header[4:12], want):
            raise UnknownKeyError(f"stream was encrypted with DEK {header[4:12].hex()}, not with DEK {want.hex()}")
        chunk_size = int.from_bytes(header[12:16], "big")
        if not MIN_CHUNK_SIZE <= chunk_size <= MAX_CHUNK_SIZE:
            raise DecryptionError(f"encrypted stream header has an invalid chunk size {chunk_size}")
        self.chunk_size = chunk_size
        self._sealed = chunk_size + _TAG_SIZE
        self._aead, self._prefix = _stream_cipher(self._dek, header, self._aad)
        del self._buf[:_STREAM_HEADER_LEN]

    def _open(self, sealed: memoryview, last: bool) -> bytes:
        if self._aead is None:  # pragma: no cover - _start ran before
            raise DecryptionError("encrypted stream has no header")
        if len(sealed) < _TAG_SIZE:
            raise DecryptionError("encrypted stream is truncated (incomplete chunk)")
        try:
            plain = self._aead.decrypt(_nonce(self._prefix, self._counter, last), sealed, None)
        except InvalidTag:
            raise DecryptionError(
                f"chunk {self._counter} of the encrypted stream failed authentication: the "
                "stream was altered, truncated, extended or reordered, or the aad is wrong"
            ) from None
        self._counter += 1
        if not last and self._counter >= _STREAM_MAX_CHUNKS:
            raise DecryptionError("encrypted stream has too many chunks")
        return plain

    def push(self, data: bytes | bytearray | memoryview) -> bytes:
        """Take more ciphertext; return the authenticated plaintext now available (maybe b"")."""
        if self._done:
            raise ValueError("the stream is already finished")
        self._buf += data
        if self._aead is None:
            if len(self._buf) < _STREAM_HEADER_LEN:
                return b""
            self._start()
        if len(self._buf) <= self._sealed:
            return b""
        out = bytearray()
        start = 0
        with memoryview(self._buf) as view:
            while len(self._buf) - start > self._sealed:
                out += self._open(view[start : start + self._sealed], False)
                start += self._sealed
        del self._buf[:start]
        return bytes(out)

    def finish(self) -> bytes:
        """Authenticate the final chunk and return its plaintext; DecryptionError if the stream is incomplete."""
        if self._done:
            raise ValueError("the stream is already finished")
        self._done = True
        if self._aead is None:
            raise DecryptionError("encrypted stream is truncated inside its header")
        with memoryview(self._buf) as view:
            plain = self._open(view, True)
        self._buf = bytearray()
        return plain


# --- end of push-style streams (evidence-2) -----------------------------------------------------


@contextmanager
def _atomic_output(dst_path: Path, *, fsync: bool) -> Iterator[BinaryIO]:
    """A 0600 temporary file beside ``dst_path``, renamed over it on success."""
    directory = dst_path.parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dst_path.name}.", suffix=".part", dir=directory)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            if fsync:
                os.fsync(fh.fileno())
        os.replace(tmp, dst_path)
        if fsync:
            _fsync_dir(directory)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def hash_and_encrypt_file(
    path: str | os.PathLike[str],
    dek: bytes,
    dst_path: str | os.PathLike[str],
    *,
    aad: bytes = b"",
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    fsync: bool = True,
) -> tuple[int, str]:
    """Ingest path: encrypt ``path`` to ``dst_path`` and hash it in one pass.

    Returns (plaintext size, plaintext SHA-256 hex). The output appears at
    ``dst_path`` (mode 0600) only once complete and, with ``fsync``, durable.
    Pass the evidence item's identity as ``aad`` so the file cannot be swapped
    for another one.
    """
    with open(path, "rb") as src, _atomic_output(Path(dst_path), fsync=fsync) as dst:
        return encrypt_stream(dek, src, dst, aad=aad, chunk_size=chunk_size)


def decrypt_file(
    src_path: str | os.PathLike[str],
    dst_path: str | os.PathLike[str],
    dek: bytes,
    *,
    aad: bytes = b"",
    fsync: bool = False,
) -> tuple[int, str]:
    """Decrypt to a temporary file and rename it to ``dst_path`` only after the
    whole stream verified; nothing is left behind on failure."""
    with open(src_path, "rb") as src, _atomic_output(Path(dst_path), fsync=fsync) as dst:
        return decrypt_stream(dek, src, dst, aad=aad)


# --------------------------------------------------------------------------- MACs and KDFs


def keyed_hash(key: bytes, value: str | bytes) -> str:
    """HMAC-SHA256 of ``value`` (UTF-8 for text) as 64 hex digits.

    For audit records of sealed values (proves which value was sealed without
    storing it) and for rate-limit keys (an IP or e-mail never stored in clear).
    Use a key from :func:`derive_subkey` so each purpose has its own.
    """
    if len(key) < _MIN_SECRET_SIZE:
        raise ValueError(f"keyed_hash needs a key of at least {_MIN_SECRET_SIZE} bytes")
    data = value.encode("utf-8") if isinstance(value, str) else bytes(value)
    return hmac.new(bytes(key), data, hashlib.sha256).hexdigest()


def derive_subkey(kek_or_secret: bytes, purpose: str, *, length: int = KEY_SIZE) -> bytes:
    """A key for one purpose from a master secret: HKDF-SHA256 (RFC 5869) with
    no salt and ``info = b"unforgotten/subkey/v1\\x00" || purpose (UTF-8)``.

    Different purposes give independent keys; the master secret cannot be
    recovered from any of them.
    """
    if len(kek_or_secret) < _MIN_SECRET_SIZE:
        raise ValueError(f"derive_subkey needs a secret of at least {_MIN_SECRET_SIZE} bytes")
    if not purpose:
        raise ValueError("derive_subkey needs a non-empty purpose")
    return HKDF(
        algorithm=hashes.SHA256(),
        length=length,
        salt=None,
        info=_SUBKEY_INFO_LABEL + purpose.encode("utf-8"),
    ).derive(bytes(kek_or_secret))

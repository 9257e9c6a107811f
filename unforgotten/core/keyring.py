"""The platform keyring: data keys per purpose, wrapped by a KEK that never enters the database.

The cryptography lives in ``core/crypto.py`` (plain Python); this module is the
Django side of it:

* the **KEK** is loaded once per process from the settings (``KEY_FILE``, the
  ``UNFORGOTTEN_KEK`` environment variable, or ``KEK_PASSPHRASE`` + ``KEK_SALT``;
  older KEKs from ``KEY_PREVIOUS_FILES`` during a rotation). Development
  generates ``KEY_FILE`` when it is missing; production never does and refuses
  to start without a loadable KEK (``CoreConfig.ready``). A missing key raises
  :class:`KeyringUnavailable`; nothing ever falls back to plaintext.
* **data keys** (DEKs), one active per purpose (:data:`PURPOSES`), live in
  ``core.DataKey`` wrapped under the KEK. The active key is read from the
  database on every encryption (cheap: sealing is rare), so a rotation made by
  one process is used by all of them at once, with no restart. Unwrapped DEKs
  are cached in memory by key id: an id names one key forever.
* every ciphertext carries its DEK id (see crypto.py's formats), so values
  written under a retired DEK, or before a KEK rotation, stay readable.

Callers outside core use the purpose-level functions: :func:`seal_text` /
:func:`unseal_text` for database fields, :func:`encrypt_value` /
:func:`decrypt_value` for bytes, :func:`encrypt_stream` / :func:`decrypt_stream`
/ :func:`encrypt_file` / :func:`decrypt_file` for evidence files and backups.

Values written by the helpers that came before the keyring (sealing under a key
derived from the KEK, MFA secrets under a key derived from ``SECRET_KEY``) are
read through *legacy keys* recomputed here, and ``rotate-keys`` adopts those
keys into ``core.DataKey`` as retired keys so they survive a KEK or
``SECRET_KEY`` change (docs/decisions/0009-keyring.md).
"""

from __future__ import annotations

import base64
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from unforgotten.core import crypto
from unforgotten.core.crypto import (
    FIELD_PREFIX,
    DecryptionError,
    Kek,
    KeyLoadError,
    UnknownKeyError,
)

if TYPE_CHECKING:
    from unforgotten.core.models import DataKey

__all__ = [
    "PURPOSES",
    "DecryptionError",
    "KeyringUnavailable",
    "ReencryptReport",
    "UnknownKeyError",
    "active_key_id",
    "adopt_legacy_keys",
    "check_kek",
    "decrypt_file",
    "decrypt_stream",
    "decrypt_value",
    "encrypt_file",
    "encrypt_stream",
    "encrypt_value",
    "kek_ids",
    "reencrypt_sealed_fields",
    "reset",
    "rewrap_data_keys",
    "rotate_data_keys",
    "seal_text",
    "stream_decryptor",
    "stream_encryptor",
    "unseal_text",
]

# "restricted-fields": restricted (not sealed) values at rest; "outbox": e-mails and webhooks
# waiting to leave (addresses, confirmation links); "supporters": petition signers' addresses.
PURPOSES = ("sealed-fields", "mfa", "evidence-files", "backups", "restricted-fields", "outbox", "supporters")
_STREAM_HEADER_LEN = 48  # crypto's stream header: magic, DEK id, chunk size, salt
_B64_BODY = re.compile(r"[A-Za-z0-9_-]*")


class KeyringUnavailable(ImproperlyConfigured):
    """The KEK cannot be loaded: encryption and decryption are impossible."""


@dataclass
class _State:
    current: Kek | None = None
    previous: list[Kek] = field(default_factory=list)
    ring: crypto.Keyring | None = None
    deks: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # key id -> (purpose, key)
    legacy: dict[str, tuple[str, bytes]] | None = None
    # purpose -> (monotonic time read, active key): only for callers that ask for it (``max_age``)
    active: dict[str, tuple[float, bytes]] = field(default_factory=dict)


_state = _State()
_lock = threading.Lock()


def reset() -> None:
    """Forget the loaded KEKs and every cached data key (after a settings change, in tests)."""
    global _state
    with _lock:
        _state = _State()


# --------------------------------------------------------------------------- the KEK


def _decode_salt(text: str) -> bytes:
    token = text.strip().replace("-", "+").replace("_", "/")
    try:
        return base64.b64decode(token + "=" * (-len(token) % 4), validate=True)
    except ValueError:
        raise KeyringUnavailable("KEK_SALT is not valid base64") from None


def _load_current() -> Kek:
    source = getattr(settings, "KEK_SOURCE", "file")
    if source == "env":
        return crypto.load_kek(env_var=settings.KEK_ENV_VAR)
    if source == "passphrase":
        return crypto.load_kek(passphrase=settings.KEK_PASSPHRASE, salt=_decode_salt(settings.KEK_SALT))
    path = Path(settings.KEY_FILE)
    if not path.exists() and not settings.PRODUCTION:
        # Development only: a per-checkout key under var/keys/, like SECRET_KEY.
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            crypto.generate_kek_file(path)
        except KeyLoadError:
            pass  # another process made it first: load theirs
    return crypto.load_kek(path)


def _ensure_keks() -> crypto.Keyring:
    if _state.ring is not None:
        return _state.ring
    with _lock:
        if _state.ring is None:
            try:
                current = _load_current()
                previous = [crypto.load_kek(p) for p in getattr(settings, "KEY_PREVIOUS_FILES", [])]
            except KeyLoadError as exc:
                raise KeyringUnavailable(
                    f"the key-encryption key cannot be loaded ({exc}); nothing can be encrypted or "
                    "decrypted without it, and Unforgotten never stores protected values in plaintext"
                ) from None
            _state.current, _state.previous = current, previous
            _state.ring = crypto.Keyring(current, previous)
        return _state.ring


def check_kek() -> str:
    """Load the KEK (raising :class:`KeyringUnavailable`); return its public id."""
    return _ensure_keks().current_kek_id


def kek_ids() -> tuple[str, ...]:
    """Ids of the loaded KEKs, current first."""
    return _ensure_keks().kek_ids


# --------------------------------------------------------------------------- data keys


def _check_purpose(purpose: str) -> None:
    if purpose not in PURPOSES:
        raise ValueError(f"unknown key purpose {purpose!r}; one of {', '.join(PURPOSES)}")


def _model() -> type[DataKey]:
    from unforgotten.core.models import DataKey

    return DataKey


def _unwrap(row: DataKey) -> bytes:
    cached = _state.deks.get(row.key_id)
    if cached is not None:
        return cached[1]
    dek = _ensure_keks().unwrap(bytes(row.wrapped))
    if crypto.dek_id(dek) != row.key_id:
        raise DecryptionError(f"data key row {row.key_id} holds another key")
    _state.deks[row.key_id] = (row.purpose, dek)
    return dek


def _active_row(purpose: str) -> DataKey:
    model = _model()
    row = model.objects.filter(purpose=purpose, retired__isnull=True).first()
    if row is not None:
        return row
    ring = _ensure_keks()
    _dek, wrapped = ring.new_dek()
    try:
        # A savepoint: losing the race for the one active key of a purpose
        # (the unique constraint) must not spoil the caller's transaction.
        with transaction.atomic():
            return model.objects.create(purpose=purpose, key_id=wrapped.dek_id, wrapped=wrapped.to_bytes(),
                                        kek_id=wrapped.kek_id, created=timezone.now())
    except IntegrityError:
        row = model.objects.filter(purpose=purpose, retired__isnull=True).first()
        if row is None:
            raise
        return row


def _active(purpose: str, max_age: float = 0.0) -> bytes:
    _check_purpose(purpose)
    if max_age > 0:
        cached = _state.active.get(purpose)
        if cached is not None and time.monotonic() - cached[0] < max_age:
            return cached[1]
    key = _unwrap(_active_row(purpose))
    _state.active[purpose] = (time.monotonic(), key)
    return key


def active_key_id(purpose: str) -> str:
    """The id of the data key that encrypts new values of ``purpose`` (created on first use)."""
    _check_purpose(purpose)
    return _active_row(purpose).key_id


def _legacy_keys() -> dict[str, tuple[str, bytes]]:
    """Keys of the helpers that came before the keyring, recomputed from their secrets."""
    if _state.legacy is None:
        _ensure_keks()
        keys: dict[str, tuple[str, bytes]] = {}
        for kek in [k for k in (_state.current, *_state.previous) if k is not None]:
            sealed = crypto.derive_subkey(kek.key, "sealed-fields")  # core/sealing.py before the keyring
            keys[crypto.dek_id(sealed)] = ("sealed-fields", sealed)
        mfa = crypto.derive_subkey(settings.SECRET_KEY.encode("utf-8"), "mfa-secrets")  # accounts/mfa_adapter.py
        keys[crypto.dek_id(mfa)] = ("mfa", mfa)
        _state.legacy = keys
    return _state.legacy


def _key_by_id(purpose: str, key_id: str) -> bytes:
    _check_purpose(purpose)
    cached = _state.deks.get(key_id)
    if cached is None:
        row = _model().objects.filter(key_id=key_id).first()
        if row is not None:
            _unwrap(row)
            cached = _state.deks[key_id]
        else:
            cached = _legacy_keys().get(key_id)
    if cached is None:
        raise UnknownKeyError(f"no data key {key_id} is known to this platform")
    if cached[0] != purpose:
        raise DecryptionError(f"data key {key_id} is for {cached[0]}, not {purpose}")
    return cached[1]


def forget_cached(key_id: str) -> None:
    """Drop an unwrapped key from this process's memory (after a key is destroyed)."""
    _state.deks.pop(key_id, None)


# --------------------------------------------------------------------------- values


def _aad(aad: bytes | str) -> bytes:
    return aad.encode("utf-8") if isinstance(aad, str) else bytes(aad)


def encrypt_value(purpose: str, plaintext: bytes, *, aad: bytes | str, max_age: float = 0.0) -> bytes:
    """AES-256-GCM under the purpose's active data key; ``aad`` names the context (row and field).

    ``max_age`` > 0 lets a hot path (a petition signature) use this process's copy
    of the active key for that many seconds instead of one query per value. The
    trade-off: for those seconds after a rotation elsewhere, new values may still
    be written under the key just retired, which stays readable (retired keys are
    kept) and is picked up by the next re-encryption pass. A rotation in this
    process takes effect at once.
    """
    return crypto.encrypt_value(_active(purpose, max_age), bytes(plaintext), aad=_aad(aad))


def ciphertext_key_id(data: bytes) -> str:
    """The DEK id a field ciphertext names (DecryptionError if it is not one)."""
    if len(data) < 40 or data[:4] != b"UFV\x01":
        raise DecryptionError("not an Unforgotten field ciphertext")
    return bytes(data[4:12]).hex()


def decrypt_value(purpose: str, data: bytes, *, aad: bytes | str) -> bytes:
    """Decrypt under whichever of the purpose's keys the ciphertext names, or raise DecryptionError."""
    data = bytes(data)
    return crypto.decrypt_value(_key_by_id(purpose, ciphertext_key_id(data)), data, aad=_aad(aad))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    if not _B64_BODY.fullmatch(text) or len(text) % 4 == 1:
        raise DecryptionError("sealed value is not valid base64")
    raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if _b64(raw) != text:  # one value, one spelling: a changed character never slips through
        raise DecryptionError("sealed value is not canonically encoded")
    return raw


def seal_text(purpose: str, text: str, *, aad: bytes | str) -> str:
    """Text → ``"uf1:" + urlsafe base64`` token for a text column."""
    return FIELD_PREFIX + _b64(encrypt_value(purpose, text.encode("utf-8"), aad=aad))


def unseal_text(purpose: str, token: str, *, aad: bytes | str) -> str:
    if not isinstance(token, str) or not token.startswith(FIELD_PREFIX):
        raise DecryptionError("not a sealed value")
    plain = decrypt_value(purpose, _unb64(token[len(FIELD_PREFIX) :]), aad=aad)
    try:
        return plain.decode("utf-8")
    except UnicodeDecodeError:
        raise DecryptionError("sealed value is not UTF-8 text") from None


def token_key_id(token: str) -> str:
    """The DEK id inside a sealed token."""
    if not token.startswith(FIELD_PREFIX):
        raise DecryptionError("not a sealed value")
    return ciphertext_key_id(_unb64(token[len(FIELD_PREFIX) :]))


# --------------------------------------------------------------------------- streams and files


class _Prefixed:
    """A reader that returns ``head`` and then the rest of ``src``."""

    def __init__(self, head: bytes, src: BinaryIO) -> None:
        self._head = memoryview(head)
        self._src = src

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        if self._head.nbytes:
            n = min(len(view), self._head.nbytes)
            view[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        got = self._src.readinto(view)  # type: ignore[attr-defined]
        return int(got or 0)

    def read(self, size: int = -1) -> bytes:
        buf = bytearray(size if size >= 0 else 1 << 20)
        n = self.readinto(buf)
        return bytes(buf[:n])


def encrypt_stream(purpose: str, src: BinaryIO, dst: BinaryIO, *, aad: bytes | str,
                   chunk_size: int = crypto.DEFAULT_CHUNK_SIZE) -> tuple[int, str]:
    """Encrypt a stream under the purpose's active key; (plaintext size, SHA-256 hex)."""
    return crypto.encrypt_stream(_active(purpose), src, dst, aad=_aad(aad), chunk_size=chunk_size)


def decrypt_stream(purpose: str, src: BinaryIO, dst: BinaryIO, *, aad: bytes | str) -> tuple[int, str]:
    """Decrypt a stream under the key its header names; see crypto.decrypt_stream's caveat."""
    head = src.read(_STREAM_HEADER_LEN)
    if len(head) < _STREAM_HEADER_LEN or head[:4] != b"UFS\x01":
        raise DecryptionError("not an Unforgotten encrypted stream (bad or truncated header)")
    dek = _key_by_id(purpose, head[4:12].hex())
    return crypto.decrypt_stream(dek, _Prefixed(head, src), dst, aad=_aad(aad))  # type: ignore[arg-type]


def encrypt_file(purpose: str, src_path: str | Path, dst_path: str | Path, *, aad: bytes | str,
                 fsync: bool = True) -> tuple[int, str]:
    """Ingest: hash and encrypt ``src_path`` to ``dst_path`` in one pass (atomic rename, 0600)."""
    return crypto.hash_and_encrypt_file(src_path, _active(purpose), dst_path, aad=_aad(aad), fsync=fsync)


def decrypt_file(purpose: str, src_path: str | Path, dst_path: str | Path, *, aad: bytes | str) -> tuple[int, str]:
    """Decrypt to ``dst_path``, which appears only once the whole file verified."""
    with open(src_path, "rb") as fh:
        head = fh.read(_STREAM_HEADER_LEN)
    if len(head) < _STREAM_HEADER_LEN or head[:4] != b"UFS\x01":
        raise DecryptionError("not an Unforgotten encrypted file (bad or truncated header)")
    return crypto.decrypt_file(src_path, dst_path, _key_by_id(purpose, head[4:12].hex()), aad=_aad(aad))


# --- push-style streams (evidence-2 helper, issue 5): the key stays inside the keyring ------------


def stream_encryptor(purpose: str, *, aad: bytes | str,
                     chunk_size: int = crypto.DEFAULT_CHUNK_SIZE) -> crypto.StreamEncryptor:
    """A push-style encryptor under the purpose's active key (its ``dek_id`` names the key used)."""
    return crypto.StreamEncryptor(_active(purpose), aad=_aad(aad), chunk_size=chunk_size)


def stream_decryptor(purpose: str, header: bytes, *, aad: bytes | str) -> crypto.StreamDecryptor:
    """A push-style decryptor for a stream whose first bytes are ``header`` (push the header too).

    The key is the one the header names; DecryptionError for a header that is no
    stream, UnknownKeyError for a key this platform does not have.
    """
    return crypto.StreamDecryptor(_key_by_id(purpose, crypto.stream_header_dek_id(header)), aad=_aad(aad))


# --- end of push-style streams (evidence-2) ------------------------------------------------------


# --------------------------------------------------------------------------- rotation


def adopt_legacy_keys() -> list[str]:
    """Store the pre-keyring keys as retired data keys, wrapped by the current KEK.

    Afterwards their old values no longer depend on the old KEK or on
    ``SECRET_KEY``. Idempotent; returns the ids adopted now.
    """
    ring = _ensure_keks()
    model = _model()
    adopted = []
    known = set(model.objects.filter(key_id__in=list(_legacy_keys())).values_list("key_id", flat=True))
    for key_id, (purpose, key) in _legacy_keys().items():
        if key_id in known:
            continue
        wrapped = ring.wrap(key)
        now = timezone.now()
        model.objects.create(purpose=purpose, key_id=key_id, wrapped=wrapped.to_bytes(), kek_id=wrapped.kek_id,
                             origin=model.Origin.LEGACY, created=now, retired=now)
        adopted.append(key_id)
    return adopted


def rewrap_data_keys() -> int:
    """Re-wrap every data key not yet under the current KEK; returns how many.

    Runs in the caller's transaction with the rows locked; the DEKs themselves
    do not change, so no value or file is touched and nothing stops meanwhile.
    """
    ring = _ensure_keks()
    count = 0
    for row in _model().objects.select_for_update().exclude(kek_id=ring.current_kek_id).order_by("id"):
        wrapped = ring.rewrap(bytes(row.wrapped))
        row.wrapped, row.kek_id = wrapped.to_bytes(), wrapped.kek_id
        row.save(update_fields=["wrapped", "kek_id"])
        count += 1
    return count


def rotate_data_keys(purposes: tuple[str, ...] = PURPOSES) -> dict[str, str]:
    """Retire the active key of each purpose and create a new one; {purpose: new key id}.

    Retired keys stay: they still decrypt what they encrypted.
    """
    model = _model()
    now = timezone.now()
    out = {}
    for purpose in purposes:
        _check_purpose(purpose)
        model.objects.select_for_update().filter(purpose=purpose, retired__isnull=True).update(retired=now)
        _state.active.pop(purpose, None)
        out[purpose] = _active_row(purpose).key_id
    return out


@dataclass
class ReencryptReport:
    changed: int = 0
    current: int = 0
    skipped: list[str] = field(default_factory=list)  # "model.field pk": values we could not open


def _sealed_columns() -> Iterator[tuple[type[models.Model], str]]:
    from django.apps import apps

    from unforgotten.core.sealing import SealedTextField

    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if isinstance(f, SealedTextField):
                yield model, f.attname


def _context_for(model: type[models.Model], attname: str) -> Callable[[Any], str]:
    """The aad a sealed column's values were written with.

    A model names it with ``sealed_context(stem)``; otherwise the house
    convention ``"<app>.<model>.<stem>:<uuid>"`` applies. History rows
    (django-simple-history) use their tracked model's context.
    """
    base: Any = getattr(model, "instance_type", model)
    stem = attname.removesuffix("_sealed")
    if hasattr(base, "sealed_context"):
        return lambda row: str(base(uuid=row.uuid).sealed_context(stem))
    label = f"{base._meta.app_label}.{base._meta.model_name}.{stem}"
    return lambda row: f"{label}:{row.uuid}"


def reencrypt_sealed_fields(*, batch_size: int = 500, progress: Callable[[str], None] | None = None) -> ReencryptReport:
    """Re-seal every sealed value not under the active "sealed-fields" key, in batches.

    Each batch is its own short transaction, and each row is rewritten only if
    it still holds the value we read (compare-and-set), so live edits are never
    overwritten. A value whose context cannot be worked out is reported, never
    rewritten. History rows are rewritten too, without adding history.
    """
    report = ReencryptReport()
    active = active_key_id("sealed-fields")
    for model, attname in _sealed_columns():
        context = _context_for(model, attname)
        manager = model._base_manager
        last_pk: Any = None
        while True:
            qs = manager.exclude(**{attname: ""}).order_by("pk")
            if last_pk is not None:
                qs = qs.filter(pk__gt=last_pk)
            rows = list(qs[:batch_size])
            if not rows:
                break
            last_pk = rows[-1].pk
            with transaction.atomic():
                for row in rows:
                    token = getattr(row, attname)
                    if token_key_id(token) == active:
                        report.current += 1
                        continue
                    aad = context(row)
                    try:
                        plain = unseal_text("sealed-fields", token, aad=aad)
                    except DecryptionError:
                        report.skipped.append(f"{model._meta.label}.{attname} {row.pk}")
                        continue
                    fresh = seal_text("sealed-fields", plain, aad=aad)
                    report.changed += manager.filter(pk=row.pk, **{attname: token}).update(**{attname: fresh})
            if progress is not None:
                progress(f"{model._meta.label}.{attname}: up to pk {last_pk}")
    return report


def key_status() -> list[dict[str, Any]]:
    """Every data key with its purpose, state and wrapping KEK (no key material)."""
    current = _ensure_keks().current_kek_id
    return [
        {"purpose": r.purpose, "key_id": r.key_id, "kek_id": r.kek_id, "origin": r.origin,
         "active": r.retired is None, "needs_rewrap": r.kek_id != current}
        for r in _model().objects.order_by("purpose", "created", "id")
    ]

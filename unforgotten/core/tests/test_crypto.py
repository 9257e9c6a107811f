"""Tests of envelope, field and stream encryption (unforgotten.core.crypto).

No Django needed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import os
import random
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unforgotten.core import crypto
from unforgotten.core.crypto import (
    DecryptionError,
    FieldCipher,
    Kek,
    KeyLoadError,
    Keyring,
    UnknownKeyError,
    WrappedKey,
    decrypt_stream,
    decrypt_value,
    encrypt_stream,
    encrypt_value,
    generate_dek,
    load_kek,
)

AAD = b"registry.relationship.contact:1234"
DEK = bytes(range(32))


def _flip_byte(data: bytes, pos: int, mask: int) -> bytes:
    out = bytearray(data)
    out[pos] ^= mask
    return bytes(out)


def _keyring() -> Keyring:
    return Keyring(Kek(os.urandom(32)))


# --------------------------------------------------------------------------- module hygiene


def test_it_imports_without_django() -> None:
    code = (
        "import sys, unforgotten.core.crypto, unforgotten.core.merkle; "
        "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    root = Path(__file__).resolve().parents[3]
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root, env=env)


# --------------------------------------------------------------------------- field values


@settings(max_examples=200, deadline=None)
@given(plaintext=st.binary(max_size=2000), aad=st.binary(max_size=80))
def test_it_round_trips_field_values(plaintext: bytes, aad: bytes) -> None:
    blob = encrypt_value(DEK, plaintext, aad=aad)
    assert blob[:4] == b"UFV\x01"
    assert blob[4:12].hex() == crypto.dek_id(DEK)
    assert len(blob) == len(plaintext) + 40
    assert decrypt_value(DEK, blob, aad=aad) == plaintext


def test_it_uses_a_fresh_nonce_for_every_value() -> None:
    assert encrypt_value(DEK, b"same", aad=AAD) != encrypt_value(DEK, b"same", aad=AAD)


def test_it_rejects_every_single_byte_flip_in_1000_random_trials() -> None:
    rng = random.Random(1000)
    for _ in range(1000):
        plaintext = rng.randbytes(rng.randint(0, 300))
        blob = encrypt_value(DEK, plaintext, aad=AAD)
        tampered = _flip_byte(blob, rng.randrange(len(blob)), rng.randint(1, 255))
        with pytest.raises(DecryptionError):
            decrypt_value(DEK, tampered, aad=AAD)


def test_it_rejects_a_flip_at_every_position_of_one_value() -> None:
    blob = encrypt_value(DEK, b"+44 20 7946 0000", aad=AAD)
    for pos in range(len(blob)):
        for mask in (0x01, 0x80, 0xFF):
            with pytest.raises(DecryptionError):
                decrypt_value(DEK, _flip_byte(blob, pos, mask), aad=AAD)


def test_it_rejects_a_value_moved_to_another_field_or_row() -> None:
    blob = encrypt_value(DEK, b"witness address", aad=b"registry.relationship.contact:1234")
    for other in (b"registry.relationship.contact:1235", b"registry.person.notes:1234", b""):
        with pytest.raises(DecryptionError, match="authentication"):
            decrypt_value(DEK, blob, aad=other)


def test_it_rejects_truncated_extended_and_foreign_values() -> None:
    blob = encrypt_value(DEK, b"secret", aad=AAD)
    for bad in (b"", blob[:39], blob[:-1], blob + b"\x00", b"UFV\x02" + blob[4:], b"x" * 60):
        with pytest.raises(DecryptionError):
            decrypt_value(DEK, bad, aad=AAD)


def test_it_names_the_dek_when_the_wrong_one_is_used() -> None:
    blob = encrypt_value(DEK, b"secret", aad=AAD)
    other = generate_dek()
    with pytest.raises(UnknownKeyError, match=crypto.dek_id(DEK)):
        decrypt_value(other, blob, aad=AAD)


def test_it_refuses_keys_of_the_wrong_size() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        encrypt_value(b"short", b"x", aad=AAD)
    with pytest.raises(ValueError):
        Kek(b"\x00" * 16)


# --------------------------------------------------------------------------- FieldCipher


def test_it_encrypts_strings_to_ascii_tokens() -> None:
    keyring = _keyring()
    _, wrapped = keyring.new_dek()
    cipher = FieldCipher(keyring, wrapped)
    for text in ("", "Nasrin Sotoudeh", "نسرین ستوده", "emoji \N{DOVE OF PEACE}" * 50):
        token = cipher.encrypt_str(text, "registry.person.name:7")
        assert token.startswith("uf1:")
        assert token.isascii() and "=" not in token
        assert cipher.decrypt_str(token, "registry.person.name:7") == text
        with pytest.raises(DecryptionError):
            cipher.decrypt_str(token, "registry.person.name:8")


def test_it_rejects_any_changed_character_of_a_token() -> None:
    keyring = _keyring()
    cipher = FieldCipher(keyring, keyring.new_dek()[1])
    token = cipher.encrypt_str("detained 2024-05-01", "case:1")
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    rng = random.Random(5)
    for pos in range(len(token)):
        replacement = rng.choice([c for c in alphabet + ":=+/" if c != token[pos]])
        with pytest.raises(DecryptionError):
            cipher.decrypt_str(token[:pos] + replacement + token[pos + 1 :], "case:1")
    for bad in (token[:-1], token + "A", token.replace("uf1:", "uf2:"), "plain text"):
        with pytest.raises(DecryptionError):
            cipher.decrypt_str(bad, "case:1")


def test_it_decrypts_values_made_with_a_previous_dek() -> None:
    keyring = _keyring()
    _, old_wrapped = keyring.new_dek()
    _, unrelated = keyring.new_dek()
    _, new_wrapped = keyring.new_dek()
    token = FieldCipher(keyring, old_wrapped).encrypt_str("old value", "f:1")
    cipher = FieldCipher(keyring, new_wrapped, previous_deks=[unrelated, old_wrapped.to_str()])
    assert cipher.dek_id == new_wrapped.dek_id
    assert cipher.decrypt_str(token, "f:1") == "old value"
    new_token = cipher.encrypt_str("new value", "f:1")
    assert cipher.decrypt_str(new_token, "f:1") == "new value"
    with pytest.raises(UnknownKeyError):
        FieldCipher(keyring, old_wrapped).decrypt_str(new_token, "f:1")


# --------------------------------------------------------------------------- keyring and rotation


def test_it_wraps_and_unwraps_deks() -> None:
    keyring = _keyring()
    dek, wrapped = keyring.new_dek()
    assert wrapped.kek_id == keyring.current_kek_id
    assert wrapped.dek_id == crypto.dek_id(dek)
    assert keyring.unwrap(wrapped) == dek
    raw = wrapped.to_bytes()
    assert len(raw) == 80 and raw[:4] == b"UFK\x01"
    assert WrappedKey.from_bytes(raw) == wrapped
    assert WrappedKey.from_str(wrapped.to_str()) == wrapped
    assert keyring.unwrap(wrapped.to_str()) == dek
    assert keyring.unwrap(raw) == dek


def test_it_rejects_any_flipped_byte_of_a_wrapped_key() -> None:
    keyring = _keyring()
    raw = keyring.new_dek()[1].to_bytes()
    for pos in range(len(raw)):
        with pytest.raises(DecryptionError):
            keyring.unwrap(_flip_byte(raw, pos, 0x04))
    with pytest.raises(DecryptionError):
        keyring.unwrap(raw[:-1])
    with pytest.raises(DecryptionError):
        WrappedKey.from_str("nope")


def test_it_rotates_the_kek_without_reencrypting_data(tmp_path: Path) -> None:
    old_kek = Kek(os.urandom(32))
    new_kek = Kek(os.urandom(32))
    before = Keyring(old_kek)
    dek, wrapped = before.new_dek()
    cipher = FieldCipher(before, wrapped)
    token = cipher.encrypt_str("the witness lives at ...", "row:9")
    stream_src = os.urandom(5000)
    encrypted = io.BytesIO()
    encrypt_stream(dek, io.BytesIO(stream_src), encrypted, aad=b"evidence:9", chunk_size=1024)

    during = Keyring(new_kek, previous=[old_kek])
    assert during.needs_rewrap(wrapped)
    rewrapped = during.rewrap(wrapped)
    assert rewrapped.kek_id == new_kek.key_id != wrapped.kek_id
    assert rewrapped.dek_id == wrapped.dek_id
    assert not during.needs_rewrap(rewrapped)

    after = Keyring(new_kek)  # the old KEK is gone
    assert after.unwrap(rewrapped) == dek
    assert FieldCipher(after, rewrapped).decrypt_str(token, "row:9") == "the witness lives at ..."
    out = io.BytesIO()
    encrypted.seek(0)
    decrypt_stream(after.unwrap(rewrapped), encrypted, out, aad=b"evidence:9")
    assert out.getvalue() == stream_src
    with pytest.raises(UnknownKeyError, match=old_kek.key_id):
        after.unwrap(wrapped)


def test_it_gives_keks_short_public_ids() -> None:
    kek = Kek(b"\x01" * 32)
    assert len(kek.key_id) == 16
    assert kek.key_id == hashlib.sha256(b"unforgotten/kek-id\x00" + b"\x01" * 32).hexdigest()[:16]
    assert "\\x01" not in repr(kek) and kek.key_id in repr(kek)
    assert crypto.kek_id(b"\x01" * 32) == kek.key_id != crypto.dek_id(b"\x01" * 32)


# --------------------------------------------------------------------------- loading KEKs


def test_it_generates_a_private_key_file_and_loads_it(tmp_path: Path) -> None:
    path = tmp_path / "kek"
    kek = crypto.generate_kek_file(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert kek.key_id in path.read_text()
    assert load_kek(path) == kek
    assert load_kek(str(path)).key == kek.key
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kek"]  # no temp file left
    with pytest.raises(KeyLoadError, match="already exists"):
        crypto.generate_kek_file(path)
    assert load_kek(path) == kek  # untouched


def test_it_explains_what_is_wrong_with_a_key_file(tmp_path: Path) -> None:
    def write(name: str, data: bytes) -> Path:
        p = tmp_path / name
        p.write_bytes(data)
        p.chmod(0o600)
        return p

    with pytest.raises(KeyLoadError, match="does not exist"):
        load_kek(tmp_path / "missing")
    with pytest.raises(KeyLoadError, match="is empty"):
        load_kek(write("empty", b""))
    with pytest.raises(KeyLoadError, match="is empty"):
        load_kek(write("comment", b"# only a comment\n\n"))
    short = base64.urlsafe_b64encode(os.urandom(16)) + b"\n"
    with pytest.raises(KeyLoadError, match="16-byte key; a KEK must be 32 bytes"):
        load_kek(write("short", short))
    with pytest.raises(KeyLoadError, match="16-byte key"):
        load_kek(write("short-raw-b64", base64.b64encode(os.urandom(16))))
    with pytest.raises(KeyLoadError, match="not valid base64"):
        load_kek(write("garbage", b"this is not a key at all!\n"))
    with pytest.raises(KeyLoadError, match="neither"):
        load_kek(write("binary", b"\xff" * 20))
    with pytest.raises(KeyLoadError, match="more than one line"):
        load_kek(write("two", short + short))
    with pytest.raises(KeyLoadError, match="not a regular file"):
        load_kek(tmp_path)
    loose = write("loose", base64.b64encode(os.urandom(32)))
    loose.chmod(0o644)
    with pytest.raises(KeyLoadError, match="chmod 600"):
        load_kek(loose)
    assert len(load_kek(loose, check_permissions=False).key) == 32


def test_it_accepts_raw_and_base64_key_files(tmp_path: Path) -> None:
    key = os.urandom(32)
    raw = tmp_path / "raw"
    raw.write_bytes(key)
    raw.chmod(0o600)
    b64 = tmp_path / "b64"
    b64.write_text(base64.b64encode(key).decode().rstrip("=") + "\n")
    b64.chmod(0o400)
    assert load_kek(raw).key == key == load_kek(b64).key


def test_it_loads_a_kek_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    key = os.urandom(32)
    monkeypatch.setenv("UF_TEST_KEK", base64.urlsafe_b64encode(key).decode())
    assert load_kek(env_var="UF_TEST_KEK").key == key
    assert load_kek(encoded=base64.b64encode(key).decode()).key == key
    monkeypatch.delenv("UF_TEST_KEK")
    with pytest.raises(KeyLoadError, match="UF_TEST_KEK is not set"):
        load_kek(env_var="UF_TEST_KEK")
    monkeypatch.setenv("UF_TEST_KEK", "c2hvcnQ=")
    with pytest.raises(KeyLoadError, match="environment variable UF_TEST_KEK holds a 5-byte key"):
        load_kek(env_var="UF_TEST_KEK")
    with pytest.raises(KeyLoadError, match="exactly one"):
        load_kek()
    with pytest.raises(KeyLoadError, match="exactly one"):
        load_kek("x", encoded="y")


def test_it_derives_a_kek_from_a_passphrase_with_scrypt() -> None:
    salt = crypto.generate_salt()
    a = load_kek(passphrase="free them all, now and always", salt=salt)
    b = load_kek(passphrase="free them all, now and always", salt=salt)
    assert a == b and len(a.key) == 32
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    expected = Scrypt(salt=salt, length=32, n=2**17, r=8, p=1).derive(
        b"free them all, now and always"
    )
    assert a.key == expected  # the documented parameters
    c = load_kek(passphrase="free them all, now and always", salt=os.urandom(16))
    assert c.key_id != a.key_id
    with pytest.raises(KeyLoadError, match="at least 12"):
        load_kek(passphrase="short", salt=salt)
    with pytest.raises(KeyLoadError, match="salt"):
        load_kek(passphrase="free them all, now and always")
    with pytest.raises(KeyLoadError, match="at least 16"):
        load_kek(passphrase="free them all, now and always", salt=b"tiny")


# --------------------------------------------------------------------------- streams


def _encrypt(data: bytes, *, chunk_size: int = 256, aad: bytes = b"evidence:42") -> bytes:
    out = io.BytesIO()
    size, digest = encrypt_stream(DEK, io.BytesIO(data), out, aad=aad, chunk_size=chunk_size)
    assert size == len(data)
    assert digest == hashlib.sha256(data).hexdigest()
    return out.getvalue()


def _decrypt(blob: bytes, *, aad: bytes = b"evidence:42", dek: bytes = DEK) -> bytes:
    out = io.BytesIO()
    size, digest = decrypt_stream(dek, io.BytesIO(blob), out, aad=aad)
    assert size == len(out.getvalue())
    assert digest == hashlib.sha256(out.getvalue()).hexdigest()
    return out.getvalue()


def _chunks(blob: bytes, chunk_size: int = 256) -> tuple[bytes, list[bytes]]:
    header, body = blob[:48], blob[48:]
    step = chunk_size + 16
    return header, [body[i : i + step] for i in range(0, len(body), step)]


@pytest.mark.parametrize("size", [0, 1, 255, 256, 257, 512, 1000, 3 * 256 + 5])
def test_it_round_trips_streams_at_chunk_edges(size: int) -> None:
    data = os.urandom(size)
    blob = _encrypt(data)
    chunks = max(1, -(-size // 256))
    assert len(blob) == 48 + size + 16 * chunks
    assert blob[:4] == b"UFS\x01" and int.from_bytes(blob[12:16], "big") == 256
    assert _decrypt(blob) == data


def test_it_round_trips_a_multi_megabyte_stream_with_and_without_threads() -> None:
    data = os.urandom(3 * (1 << 20) + 17)
    for parallel in (True, False):
        out = io.BytesIO()
        size, digest = encrypt_stream(DEK, io.BytesIO(data), out, aad=b"e", parallel=parallel)
        assert (size, digest) == (len(data), hashlib.sha256(data).hexdigest())
        back = io.BytesIO()
        assert decrypt_stream(
            DEK, io.BytesIO(out.getvalue()), back, aad=b"e", parallel=parallel
        ) == (
            size,
            digest,
        )
        assert back.getvalue() == data


class _Trickle(io.RawIOBase):
    """A source that returns at most 7 bytes per read, like a slow pipe."""

    def __init__(self, data: bytes) -> None:
        self._src = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        chunk = self._src.read(min(7, len(buffer)))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def test_it_copes_with_short_reads() -> None:
    data = os.urandom(2000)
    out = io.BytesIO()
    encrypt_stream(DEK, _Trickle(data), out, aad=b"a", chunk_size=300)  # type: ignore[arg-type]
    back = io.BytesIO()
    decrypt_stream(DEK, _Trickle(out.getvalue()), back, aad=b"a")  # type: ignore[arg-type]
    assert back.getvalue() == data


def test_it_rejects_every_single_byte_flip_of_a_stream_in_1000_random_trials() -> None:
    rng = random.Random(42)
    data = os.urandom(10 * 256 + 100)
    blob = _encrypt(data)
    for _ in range(1000):
        tampered = _flip_byte(blob, rng.randrange(len(blob)), rng.randint(1, 255))
        with pytest.raises(DecryptionError):
            _decrypt(tampered)


def test_it_rejects_truncation_at_every_length() -> None:
    blob = _encrypt(os.urandom(4 * 256 + 10))
    for cut in range(len(blob)):
        with pytest.raises(DecryptionError):
            _decrypt(blob[:cut])


def test_it_rejects_truncation_of_a_stream_that_fills_its_last_chunk() -> None:
    blob = _encrypt(os.urandom(4 * 256))
    header, chunks = _chunks(blob)
    assert len(chunks) == 4
    for keep in range(4):
        with pytest.raises(DecryptionError):
            _decrypt(header + b"".join(chunks[:keep]))


def test_it_rejects_reordered_duplicated_dropped_and_appended_chunks() -> None:
    data = os.urandom(5 * 256 + 77)
    blob = _encrypt(data)
    header, chunks = _chunks(blob)
    assert len(chunks) == 6
    variants = {
        "swap": [chunks[1], chunks[0], *chunks[2:]],
        "swap_last": [*chunks[:4], chunks[5], chunks[4]],
        "duplicate": [chunks[0], *chunks],
        "duplicate_middle": [*chunks[:3], chunks[2], *chunks[3:]],
        "drop_middle": [*chunks[:2], *chunks[3:]],
        "drop_last": chunks[:-1],
        "repeat_last": [*chunks, chunks[-1]],
        "append_full_chunk": [*chunks, chunks[0]],
        "append_bytes": [*chunks, b"\x00" * 16],
        "append_one_byte": [*chunks, b"\x00"],
    }
    for name, parts in variants.items():
        with pytest.raises(DecryptionError):
            _decrypt(header + b"".join(parts))
            pytest.fail(name)
    # Splicing in a chunk from another file under the same DEK fails too.
    other_header, other_chunks = _chunks(_encrypt(os.urandom(len(data))))
    with pytest.raises(DecryptionError):
        _decrypt(header + b"".join([chunks[0], other_chunks[1], *chunks[2:]]))
    with pytest.raises(DecryptionError):
        _decrypt(other_header + b"".join(chunks))


def test_it_rejects_the_wrong_aad_or_dek_for_a_stream() -> None:
    blob = _encrypt(b"photo bytes" * 100)
    with pytest.raises(DecryptionError):
        _decrypt(blob, aad=b"evidence:43")
    with pytest.raises(UnknownKeyError):
        _decrypt(blob, dek=generate_dek())
    with pytest.raises(DecryptionError, match="not an Unforgotten encrypted stream"):
        _decrypt(b"\x89PNG" + blob[4:])
    for bad_size in (0, 63, (1 << 26) + 1, 2**32 - 1):
        header = blob[:12] + bad_size.to_bytes(4, "big") + blob[16:]
        with pytest.raises(DecryptionError, match="chunk size"):
            _decrypt(header)


def test_it_never_writes_the_plaintext_of_a_chunk_that_fails() -> None:
    data = os.urandom(4 * 256 + 50)
    header, chunks = _chunks(_encrypt(data))
    chunks[-1] = _flip_byte(chunks[-1], 3, 0x40)
    out = io.BytesIO()
    with pytest.raises(DecryptionError):
        decrypt_stream(DEK, io.BytesIO(header + b"".join(chunks)), out, aad=b"evidence:42")
    # Only the verified chunks before the tampered one were written.
    assert out.getvalue() == data[: 4 * 256]


def test_it_refuses_silly_chunk_sizes() -> None:
    with pytest.raises(ValueError):
        encrypt_stream(DEK, io.BytesIO(b""), io.BytesIO(), aad=b"", chunk_size=10)


def test_it_hashes_and_encrypts_a_file_in_one_pass(tmp_path: Path) -> None:
    src = tmp_path / "evidence.jpg"
    data = os.urandom((1 << 20) * 2 + 12345)
    src.write_bytes(data)
    dst = tmp_path / "evidence.jpg.uf"
    size, digest = crypto.hash_and_encrypt_file(src, DEK, dst, aad=b"evidence:abc")
    assert (size, digest) == (len(data), hashlib.sha256(data).hexdigest())
    assert stat.S_IMODE(dst.stat().st_mode) == 0o600
    plain = tmp_path / "out.jpg"
    assert crypto.decrypt_file(dst, plain, DEK, aad=b"evidence:abc") == (size, digest)
    assert plain.read_bytes() == data
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "evidence.jpg",
        "evidence.jpg.uf",
        "out.jpg",
    ]


def test_it_leaves_no_output_file_when_decryption_fails(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.write_bytes(os.urandom(5000))
    enc = tmp_path / "enc"
    crypto.hash_and_encrypt_file(src, DEK, enc, aad=b"a", chunk_size=1024, fsync=False)
    enc.write_bytes(enc.read_bytes()[:-1])
    with pytest.raises(DecryptionError):
        crypto.decrypt_file(enc, tmp_path / "out", DEK, aad=b"a")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["enc", "in"]


# --------------------------------------------------------------------------- MACs and KDFs


def test_it_computes_keyed_hashes_with_hmac_sha256() -> None:
    key = b"k" * 32
    assert (
        crypto.keyed_hash(key, "nasrin@example.org")
        == hmac.new(key, b"nasrin@example.org", hashlib.sha256).hexdigest()
    )
    assert crypto.keyed_hash(key, "é") == crypto.keyed_hash(key, "é".encode())
    assert crypto.keyed_hash(key, "a") != crypto.keyed_hash(b"j" * 32, "a")
    with pytest.raises(ValueError):
        crypto.keyed_hash(b"short", "a")


def _rfc5869(ikm: bytes, info: bytes, length: int) -> bytes:
    """Independent HKDF-SHA256 (RFC 5869) with an empty salt, from hmac alone."""
    prk = hmac.new(b"\x00" * 32, ikm, hashlib.sha256).digest()
    okm, block, counter = b"", b"", 1
    while len(okm) < length:
        block = hmac.new(prk, block + info + bytes([counter]), hashlib.sha256).digest()
        okm += block
        counter += 1
    return okm[:length]


def test_it_derives_independent_subkeys_per_purpose() -> None:
    master = os.urandom(32)
    audit = crypto.derive_subkey(master, "audit-seal")
    rate = crypto.derive_subkey(master, "rate-limit")
    assert len(audit) == 32 and audit != rate != master
    assert crypto.derive_subkey(master, "audit-seal") == audit
    assert audit == _rfc5869(master, b"unforgotten/subkey/v1\x00audit-seal", 32)
    assert len(crypto.derive_subkey(master, "x", length=64)) == 64
    with pytest.raises(ValueError):
        crypto.derive_subkey(b"short", "x")
    with pytest.raises(ValueError):
        crypto.derive_subkey(master, "")

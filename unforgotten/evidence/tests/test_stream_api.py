"""The public push-style stream classes the store uses (core/crypto.py) read and write encrypt_stream's format."""

from __future__ import annotations

import io
import secrets

import pytest

from unforgotten.core import crypto


def _push_all(enc: crypto.StreamEncryptor, data: bytes, piece: int) -> bytes:
    out = bytearray(enc.header)
    for i in range(0, len(data), piece):
        out += enc.push(data[i : i + piece])
    out += enc.finish()
    return bytes(out)


@pytest.mark.parametrize("size", [0, 1, 63, 64, 65, 128, 1000])
@pytest.mark.parametrize("piece", [1, 7, 64, 500])
def test_it_writes_and_reads_exactly_the_pull_format(size: int, piece: int) -> None:
    dek = crypto.generate_dek()
    data = secrets.token_bytes(size)
    sealed = _push_all(crypto.StreamEncryptor(dek, aad=b"ctx", chunk_size=64), data, piece)
    out = io.BytesIO()
    assert crypto.decrypt_stream(dek, io.BytesIO(sealed), out, aad=b"ctx")[0] == size
    assert out.getvalue() == data
    pulled = io.BytesIO()
    crypto.encrypt_stream(dek, io.BytesIO(data), pulled, aad=b"ctx", chunk_size=64)
    for blob in (sealed, pulled.getvalue()):
        dec = crypto.StreamDecryptor(dek, aad=b"ctx")
        got = b"".join(dec.push(blob[i : i + piece]) for i in range(0, len(blob), piece)) + dec.finish()
        assert got == data


def test_it_refuses_a_flipped_byte_a_truncation_and_the_wrong_context() -> None:
    dek = crypto.generate_dek()
    data = secrets.token_bytes(300)
    sealed = _push_all(crypto.StreamEncryptor(dek, aad=b"ctx", chunk_size=64), data, 50)
    for i in range(len(sealed)):
        bad = bytearray(sealed)
        bad[i] ^= 0x01
        dec = crypto.StreamDecryptor(dek, aad=b"ctx")
        with pytest.raises(crypto.DecryptionError):
            dec.push(bytes(bad))
            dec.finish()
    for cut in (0, 10, 48, 48 + 80, len(sealed) - 1):
        dec = crypto.StreamDecryptor(dek, aad=b"ctx")
        with pytest.raises(crypto.DecryptionError):
            dec.push(sealed[:cut])
            dec.finish()
    dec = crypto.StreamDecryptor(dek, aad=b"other")
    with pytest.raises(crypto.DecryptionError):
        dec.push(sealed)
        dec.finish()

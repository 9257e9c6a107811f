"""The platform keyring: data keys wrapped by a KEK outside the database; old values stay readable."""

from __future__ import annotations

import base64
import io
import os
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from unforgotten.accounts.mfa_adapter import MFAAdapter
from unforgotten.core import crypto, keyring
from unforgotten.core.crypto import DecryptionError, UnknownKeyError
from unforgotten.core.models import DataKey
from unforgotten.core.sealing import SealedTextField, seal, unseal

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def _fresh_keyring() -> Iterator[None]:
    keyring.reset()
    yield
    keyring.reset()


@pytest.fixture
def kek_file(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "kek.key"
    crypto.generate_kek_file(path)
    with override_settings(KEY_FILE=path, KEY_PREVIOUS_FILES=[], KEK_SOURCE="file"):
        keyring.reset()
        yield path


def _raw(token: str) -> bytes:
    body = token.removeprefix("uf1:")
    return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))


def _token(raw: bytes) -> str:
    return "uf1:" + base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


@pytest.mark.django_db
def test_it_seals_under_a_wrapped_data_key_named_in_every_token(kek_file: Path) -> None:
    token = seal("+375 29 000-00-00", "registry.source.identity:1")
    assert token.startswith("uf1:") and "375" not in token
    row = DataKey.objects.get(purpose="sealed-fields", retired__isnull=True)
    assert keyring.token_key_id(token) == row.key_id
    assert row.kek_id == crypto.load_kek(kek_file).key_id
    assert len(bytes(row.wrapped)) == 80  # a wrapped key, never the key itself
    assert unseal(token, "registry.source.identity:1") == "+375 29 000-00-00"
    assert seal("x", "c") != seal("x", "c")  # fresh nonce every time


@pytest.mark.django_db
def test_it_refuses_another_context_and_any_flipped_byte(kek_file: Path) -> None:
    token = seal("CANARY-identity", "registry.source.identity:7")
    with pytest.raises(DecryptionError):
        unseal(token, "registry.source.identity:8")
    raw = _raw(token)
    rng = random.Random(20)
    for _ in range(1000):
        damaged = bytearray(raw)
        damaged[rng.randrange(len(raw))] ^= 1 << rng.randrange(8)
        with pytest.raises(DecryptionError):
            unseal(_token(bytes(damaged)), "registry.source.identity:7")
    with pytest.raises(DecryptionError):
        unseal(token[:-1] + ("A" if token[-1] != "A" else "B"), "registry.source.identity:7")


@pytest.mark.django_db
def test_it_reads_tokens_written_by_the_helper_before_the_keyring(kek_file: Path) -> None:
    # What core/sealing.py wrote before: a key derived straight from the KEK, same token format.
    legacy_key = crypto.derive_subkey(crypto.load_kek(kek_file).key, "sealed-fields")
    old = _token(crypto.encrypt_value(legacy_key, b"CANARY-old-contact", aad=b"registry.relationship.contact:u1"))
    assert unseal(old, "registry.relationship.contact:u1") == "CANARY-old-contact"
    with pytest.raises(DecryptionError):
        unseal(old, "registry.relationship.contact:u2")
    # New values go under a random data key, not the legacy one.
    assert keyring.token_key_id(seal("new", "c")) != crypto.dek_id(legacy_key)


@pytest.mark.django_db
def test_it_keeps_second_factor_secrets_on_the_keyring_and_reads_old_ones(kek_file: Path, settings: Any) -> None:
    adapter = MFAAdapter()
    sealed = adapter.encrypt("JBSWY3DPEHPK3PXP")
    assert "JBSWY3DPEHPK3PXP" not in sealed
    assert adapter.decrypt(sealed) == "JBSWY3DPEHPK3PXP"
    assert DataKey.objects.filter(purpose="mfa", retired__isnull=True).exists()
    # A secret sealed by the old adapter (key derived from SECRET_KEY) still opens.
    old_key = crypto.derive_subkey(settings.SECRET_KEY.encode(), "mfa-secrets")
    old = "ufmfa1:" + base64.urlsafe_b64encode(
        crypto.encrypt_value(old_key, b"OLDSECRET", aad=b"unforgotten.mfa.secret")).decode()
    assert adapter.decrypt(old) == "OLDSECRET"
    with pytest.raises(ValueError, match="not encrypted"):
        adapter.decrypt("JBSWY3DPEHPK3PXP")
    # A data key of one purpose never opens another purpose's values.
    with pytest.raises(DecryptionError, match="is for mfa"):
        keyring.decrypt_value("sealed-fields", _raw("uf1:" + sealed.removeprefix("ufmfa1:").rstrip("=")), aad=b"x")


@pytest.mark.django_db
def test_it_decrypts_streams_and_files_under_retired_keys(kek_file: Path, tmp_path: Path) -> None:
    data = os.urandom(200_000)
    first = io.BytesIO()
    size, digest = keyring.encrypt_stream("evidence-files", io.BytesIO(data), first, aad=b"evidence:1", chunk_size=4096)
    assert size == len(data)
    keyring.rotate_data_keys(("evidence-files",))
    second = io.BytesIO()
    keyring.encrypt_stream("evidence-files", io.BytesIO(data), second, aad=b"evidence:2")
    assert first.getvalue()[4:12] != second.getvalue()[4:12]  # another data key
    for blob, aad in ((first, b"evidence:1"), (second, b"evidence:2")):
        out = io.BytesIO()
        assert keyring.decrypt_stream("evidence-files", io.BytesIO(blob.getvalue()), out, aad=aad)[1] == digest
        assert out.getvalue() == data
    src = tmp_path / "upload.bin"
    src.write_bytes(data)
    keyring.encrypt_file("evidence-files", src, tmp_path / "stored.enc", aad=b"evidence:3")
    keyring.decrypt_file("evidence-files", tmp_path / "stored.enc", tmp_path / "back.bin", aad=b"evidence:3")
    assert (tmp_path / "back.bin").read_bytes() == data
    with pytest.raises(DecryptionError):
        keyring.decrypt_stream("backups", io.BytesIO(first.getvalue()), io.BytesIO(), aad=b"evidence:1")


@pytest.mark.django_db
def test_it_names_an_unknown_data_key(kek_file: Path) -> None:
    stranger = crypto.encrypt_value(crypto.generate_dek(), b"x", aad=b"c")
    with pytest.raises(UnknownKeyError, match="no data key"):
        keyring.decrypt_value("sealed-fields", stranger, aad=b"c")


@pytest.mark.django_db
def test_it_never_falls_back_to_plaintext_without_the_key(tmp_path: Path) -> None:
    with override_settings(PRODUCTION=True, KEY_FILE=tmp_path / "missing.key", KEK_SOURCE="file"):
        keyring.reset()
        with pytest.raises(keyring.KeyringUnavailable, match="does not exist"):
            seal("CANARY", "c")
        assert not (tmp_path / "missing.key").exists()  # production never generates a key
    with pytest.raises(ValueError, match="plaintext"):
        SealedTextField().get_prep_value("CANARY in clear")


def test_it_loads_the_kek_from_the_environment_or_a_passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    key = os.urandom(32)
    monkeypatch.setenv("TEST_UF_KEK", base64.b64encode(key).decode())
    with override_settings(KEK_SOURCE="env", KEK_ENV_VAR="TEST_UF_KEK"):
        keyring.reset()
        assert keyring.check_kek() == crypto.kek_id(key)
    salt = base64.b64encode(b"s" * 16).decode()
    with override_settings(KEK_SOURCE="passphrase", KEK_PASSPHRASE="correct horse battery", KEK_SALT=salt):
        keyring.reset()
        first = keyring.check_kek()
    with override_settings(KEK_SOURCE="passphrase", KEK_PASSPHRASE="correct horse battery!", KEK_SALT=salt):
        keyring.reset()
        assert keyring.check_kek() != first
    with override_settings(KEK_SOURCE="passphrase", KEK_PASSPHRASE="short", KEK_SALT=salt):
        keyring.reset()
        with pytest.raises(ImproperlyConfigured, match="at least 12"):
            keyring.check_kek()


def _cli(args: list[str], env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    unsafe = {"DATABASE_URL", "DEMO", "DEBUG", "UNFORGOTTEN_MODE", "SECRET_KEY", "KEY_FILE", "UNFORGOTTEN_KEK",
              "KEK_PASSPHRASE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in unsafe}
    base.update({"DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3", "UNFORGOTTEN_VAR_DIR": str(tmp_path / "var")})
    base.update(env)
    return subprocess.run([sys.executable, "-m", "unforgotten.cli", *args], cwd=ROOT, env=base,
                          capture_output=True, text=True, timeout=120)


def test_it_refuses_to_start_in_production_without_a_kek(tmp_path: Path) -> None:
    prod = {"UNFORGOTTEN_MODE": "production", "SECRET_KEY": "s" * 60, "ALLOWED_HOSTS": "example.org"}
    result = _cli(["check"], prod, tmp_path)
    assert result.returncode != 0
    assert "key-encryption key cannot be loaded" in result.stderr
    assert not (tmp_path / "var" / "keys" / "kek.key").exists()
    both = _cli(["check"], {"UNFORGOTTEN_KEK": base64.b64encode(os.urandom(32)).decode(),
                            "KEY_FILE": str(tmp_path / "k")}, tmp_path)
    assert both.returncode != 0 and "one source only" in both.stderr
    crypto.generate_kek_file(tmp_path / "kek.key")
    ok = _cli(["check"], {**prod, "KEY_FILE": str(tmp_path / "kek.key")}, tmp_path)
    assert ok.returncode == 0, ok.stderr

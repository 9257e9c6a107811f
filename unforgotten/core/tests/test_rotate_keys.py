"""`unforgotten rotate-keys`: new KEK or new data keys, old values readable throughout and after."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import CommandError, call_command
from django.test import override_settings

from unforgotten.accounts.mfa_adapter import MFAAdapter
from unforgotten.audit.models import AuditEvent
from unforgotten.core import crypto, keyring
from unforgotten.core.crypto import UnknownKeyError
from unforgotten.core.models import DataKey
from unforgotten.registry.models import Relationship, Source
from unforgotten.registry.testing import make_sample


@pytest.fixture(autouse=True)
def _fresh_keyring() -> Iterator[None]:
    keyring.reset()
    yield
    keyring.reset()


def _use(current: Path, *previous: Path) -> Any:
    keyring.reset()
    return override_settings(KEY_FILE=current, KEY_PREVIOUS_FILES=list(previous), KEK_SOURCE="file")


def _values(sample: Any) -> tuple[str, str, str]:
    rel = Relationship.objects.get(pk=sample.relationship_a.pk)
    src = Source.objects.get(pk=sample.source_a.pk)
    return rel.project_name_sealed(), rel.project_contact_sealed(), src.project_identity_sealed()


def _secret(user: Any) -> str:
    auth = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return str(MFAAdapter().decrypt(auth.data["secret"]))


@pytest.mark.django_db
def test_it_rewraps_every_data_key_under_a_new_kek_and_old_values_stay_readable(tmp_path: Path) -> None:
    old, new = tmp_path / "old.key", tmp_path / "new.key"
    crypto.generate_kek_file(old)
    with _use(old):
        from unforgotten.testing import make_cast

        cast = make_cast()  # enrols TOTP through the adapter: an "mfa" data key under the old KEK
        sample = make_sample(cast)
        evidence = io.BytesIO()
        keyring.encrypt_stream("evidence-files", io.BytesIO(b"CANARY-file"), evidence, aad=b"evidence:1")
        before = _values(sample)
        secret = _secret(cast.amal)
    call_command("rotate_keys", generate_kek=str(new), stdout=io.StringIO())
    new_id = crypto.load_kek(new).key_id
    with _use(new):  # the new KEK alone cannot open data keys still wrapped by the old one
        with pytest.raises(UnknownKeyError, match="not loaded"):
            _values(sample)
    with _use(new, old):  # the rolling-restart window: both KEKs loaded, everything readable
        assert _values(sample) == before
        out = io.StringIO()
        call_command("rotate_keys", stdout=out)
        assert "re-wrapped" in out.getvalue()
        assert set(DataKey.objects.values_list("kek_id", flat=True)) == {new_id}
    with _use(new):  # the old KEK is gone: nothing needs it any more
        assert _values(sample) == before
        assert _secret(cast.amal) == secret
        plain = io.BytesIO()
        keyring.decrypt_stream("evidence-files", io.BytesIO(evidence.getvalue()), plain, aad=b"evidence:1")
        assert plain.getvalue() == b"CANARY-file"
        event = AuditEvent.objects.filter(action="core.rotate_keys").latest("id")
        assert event.changes["kek"] == [None, new_id]


@pytest.mark.django_db
def test_it_replaces_data_keys_and_reencrypts_sealed_values_and_their_history(tmp_path: Path) -> None:
    kek = tmp_path / "kek.key"
    crypto.generate_kek_file(kek)
    with _use(kek):
        from unforgotten.testing import make_cast

        sample = make_sample(make_cast())
        before = _values(sample)
        old_active = keyring.active_key_id("sealed-fields")
        rel = Relationship.objects.get(pk=sample.relationship_a.pk)
        history_before = list(rel.history.values_list("contact_sealed", flat=True))
        call_command("rotate_keys", data_keys=True, purpose=["sealed-fields"], reencrypt=True, batch=1,
                     stdout=io.StringIO())
        new_active = keyring.active_key_id("sealed-fields")
        assert new_active != old_active
        assert DataKey.objects.get(key_id=old_active).retired is not None  # kept: it still decrypts
        rel = Relationship.objects.get(pk=sample.relationship_a.pk)
        assert keyring.token_key_id(rel.contact_sealed) == new_active
        history_after = list(rel.history.values_list("contact_sealed", flat=True))
        assert len(history_after) == len(history_before)  # rewritten in place, no new history rows
        assert all(keyring.token_key_id(t) == new_active for t in history_after if t)
        assert _values(sample) == before
        assert AuditEvent.objects.filter(action="core.reencrypt_sealed_fields").exists()
        # Running it again finds nothing left to do.
        out = io.StringIO()
        call_command("rotate_keys", reencrypt=True, stdout=out)
        assert "0 re-encrypted" in out.getvalue()


@pytest.mark.django_db
def test_it_adopts_the_pre_keyring_key_so_old_tokens_survive_the_old_kek(tmp_path: Path) -> None:
    old, new = tmp_path / "old.key", tmp_path / "new.key"
    crypto.generate_kek_file(old)
    crypto.generate_kek_file(new)
    legacy = crypto.derive_subkey(crypto.load_kek(old).key, "sealed-fields")
    raw = crypto.encrypt_value(legacy, b"CANARY-legacy", aad=b"registry.source.identity:u9")
    token = "uf1:" + base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
    with _use(new, old):
        call_command("rotate_keys", stdout=io.StringIO())
        row = DataKey.objects.get(key_id=crypto.dek_id(legacy))
        assert (row.origin, row.purpose, row.retired is not None) == ("legacy", "sealed-fields", True)
    with _use(new):
        assert keyring.unseal_text("sealed-fields", token, aad="registry.source.identity:u9") == "CANARY-legacy"


@pytest.mark.django_db
def test_it_changes_nothing_when_a_data_key_needs_a_kek_that_is_not_loaded(tmp_path: Path) -> None:
    old, new = tmp_path / "old.key", tmp_path / "new.key"
    crypto.generate_kek_file(old)
    crypto.generate_kek_file(new)
    with _use(old):
        keyring.active_key_id("sealed-fields")
    with _use(new):
        wrapped = list(DataKey.objects.values_list("wrapped", "kek_id"))
        with pytest.raises(CommandError, match="KEY_PREVIOUS_FILES"):
            call_command("rotate_keys", stdout=io.StringIO())
        assert list(DataKey.objects.values_list("wrapped", "kek_id")) == wrapped
    with pytest.raises(CommandError, match="refusing to overwrite"):
        call_command("rotate_keys", generate_kek=str(old), stdout=io.StringIO())

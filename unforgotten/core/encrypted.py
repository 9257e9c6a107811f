"""Restricted values encrypted at rest: a model field that holds only ciphertext in the database.

Sealed values (``core/sealing.py``) stay ciphertext even on the instance and
are opened only by an audited reveal. Restricted values (legal strategy,
medical and monitoring notes, evidence file names...) are read by the case
team all the time, through the projection, so this field is *transparent* to
Python code and opaque to the database:

* the database column holds ``uf1:<base64>`` tokens: AES-256-GCM under the
  keyring's active "restricted-fields" data key, which is wrapped by the KEK
  that lives outside the database and the media folder (decision 0009);
* every token is bound to its context, ``"<app>.<model>.<field>:<row uuid>"``
  (``"<app>.<model>.<field>"`` for a model without a uuid): a token copied into
  another column or row does not open there;
* a row comes out of the database with the token still closed
  (:class:`Ciphertext`, a ``str``); the attribute decrypts it on first access,
  so ``values_list()``, backups and restores move tokens byte for byte, and a
  list that never reads the field never decrypts it;
* saving encrypts the value the instance holds; a value read and not changed
  is written back as the same token. ``QuerySet.update()`` and lookups with a
  plaintext value are refused (``ValueError``): a token never matches a
  plaintext, so a filter on an encrypted column would silently find nothing.
  Only ``isnull`` and comparisons with the empty string are meaningful.

Empty values are stored empty: whether a case has a legal strategy is not
itself restricted, and "has notes" stays countable. History tables
(django-simple-history) copy the field with its context, so history rows are
encrypted under the same context as their record.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.db.models.query_utils import DeferredAttribute

from unforgotten.core import keyring
from unforgotten.core.crypto import FIELD_PREFIX, DecryptionError

__all__ = ["PURPOSE", "Ciphertext", "DigestField", "EncryptedTextField", "EnvelopeBinaryField", "encrypt_existing_values", "is_encrypted_field",
           "reencrypt_restricted_fields"]

PURPOSE = "restricted-fields"
_OPENED = "_uf_opened_tokens"  # per instance: {attname: (token, plaintext)} of values read and not changed


class Ciphertext(str):
    """A token as read from the database, not yet decrypted (a plain ``str`` to everything else)."""

    __slots__ = ()


def _row_key(instance: Any) -> str:
    key = getattr(instance, "uuid", None)
    return f":{key}" if key else ""


class _EncryptedAttribute(DeferredAttribute):
    """Decrypts a closed token on first access, with the instance's context."""

    field: EncryptedTextField

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        data = instance.__dict__
        attname = self.field.attname
        value = data[attname] if attname in data else super().__get__(instance, cls)
        if isinstance(value, Ciphertext):
            plain = self.field.decrypt(instance, value)
            instance.__dict__[self.field.attname] = plain
            instance.__dict__.setdefault(_OPENED, {})[self.field.attname] = (str(value), plain)
            return plain
        return value

    def __set__(self, instance: Any, value: Any) -> None:
        # A data descriptor, so that reads always come through __get__ (a plain
        # DeferredAttribute is shadowed by the instance's __dict__ once loaded).
        instance.__dict__[self.field.attname] = value


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """Text encrypted at rest under the "restricted-fields" key, bound to model, field and row.

    ``context`` defaults to ``"<app_label>.<model_name>.<field name>"`` of the
    model that declares the field; it is part of the field's definition (and of
    its migrations) so history tables and migration states use the same one.
    ``max_length`` validates forms and ``full_clean`` only: the column is a
    text column, since a token is longer than its plaintext.
    """

    description = "Encrypted text (restricted)"
    descriptor_class = _EncryptedAttribute

    def __init__(self, *args: Any, context: str = "", **kwargs: Any) -> None:
        self.context = context
        super().__init__(*args, **kwargs)

    def contribute_to_class(self, cls: type[models.Model], name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only=private_only)
        if not self.context:
            self.context = f"{cls._meta.app_label}.{cls._meta.model_name}.{name}"

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["context"] = self.context
        return name, path, args, kwargs

    def aad(self, instance: Any) -> str:
        return f"{self.context}{_row_key(instance)}"

    def decrypt(self, instance: Any, token: str) -> str:
        """The plaintext of ``token`` in ``instance``'s context (DecryptionError if it does not open there)."""
        return keyring.unseal_text(PURPOSE, str(token), aad=self.aad(instance))

    def encrypt(self, instance: Any, plaintext: str) -> str:
        return keyring.seal_text(PURPOSE, plaintext, aad=self.aad(instance))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if isinstance(value, str) and value.startswith(FIELD_PREFIX):
            return Ciphertext(value)
        return value  # empty, or a value written before this field (the data migration encrypts those)

    def pre_save(self, model_instance: Any, add: bool) -> Any:
        raw = model_instance.__dict__.get(self.attname)
        if isinstance(raw, Ciphertext):
            return str(raw)  # never opened: written back as it was
        if raw is None or raw == "":
            return raw
        plain = str(raw)
        opened = model_instance.__dict__.get(_OPENED, {}).get(self.attname)
        if opened is not None and opened[1] == plain:
            return opened[0]  # read, not changed: the same token
        token = self.encrypt(model_instance, plain)
        model_instance.__dict__.setdefault(_OPENED, {})[self.attname] = (token, plain)
        return token

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value and not str(value).startswith(FIELD_PREFIX):
            raise ValueError(
                f"refusing to send a plaintext value of the encrypted field {self.context} to the database: "
                "save it through the model (the field encrypts on save); encrypted values cannot be filtered on"
            )
        return value

    def get_lookup(self, lookup_name: str) -> Any:
        # A pattern or range over tokens means nothing (and pattern lookups skip get_prep_value):
        # only equality (with "" in practice) and null tests are offered.
        if lookup_name not in ("exact", "isnull", "in"):
            return None
        return super().get_lookup(lookup_name)

    def value_to_string(self, obj: Any) -> str:
        value = self.value_from_object(obj)
        return "" if value is None else str(value)


class DigestField(models.CharField):  # type: ignore[type-arg]
    """A one-way digest of a secret, never the secret: a keyed HMAC of an address (so a leaked table
    cannot be searched by hashing guessed addresses) or the SHA-256 of a random token. Equality
    lookups work, which is what such columns are for (deduplication, confirming a link)."""

    description = "One-way digest of a restricted value"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 64)
        super().__init__(*args, **kwargs)


class EnvelopeBinaryField(models.BinaryField):  # type: ignore[type-arg]
    """Bytes from ``keyring.encrypt_value`` (AES-GCM under a purpose's data key); anything else is refused,
    so a caller that forgets to encrypt fails instead of storing plaintext."""

    description = "Encrypted bytes (keyring envelope)"

    def get_prep_value(self, value: Any) -> Any:
        if value:
            keyring.ciphertext_key_id(bytes(value))  # DecryptionError unless it is an envelope
        return super().get_prep_value(value)


def is_encrypted_field(field: Any) -> bool:
    """True for a field whose values never reach the database in plaintext (restricted or sealed)."""
    from unforgotten.core.sealing import SealedTextField

    return isinstance(field, (EncryptedTextField, SealedTextField, DigestField, EnvelopeBinaryField))


def encrypt_existing_values(model: type[models.Model], *field_names: str, batch_size: int = 500) -> int:
    """Encrypt the plaintext values of ``field_names`` in place (data migrations); returns how many.

    Works on migration-state models: the fields carry their context. A value
    already encrypted is left alone, so the migration can be re-run.
    """
    fields = [model._meta.get_field(n) for n in field_names]
    changed = 0
    manager = model._base_manager
    last_pk: Any = None
    while True:
        qs = manager.order_by("pk")
        if last_pk is not None:
            qs = qs.filter(pk__gt=last_pk)
        rows = list(qs[:batch_size])
        if not rows:
            return changed
        last_pk = rows[-1].pk
        for row in rows:
            updates: dict[str, str] = {}
            for f in fields:
                if not isinstance(f, EncryptedTextField):
                    raise TypeError(f"{f} is not an encrypted field")
                raw = row.__dict__.get(f.attname)
                if not raw or isinstance(raw, Ciphertext):
                    continue
                updates[f.attname] = f.encrypt(row, str(raw))
            if updates:
                manager.filter(pk=row.pk).update(**updates)
                changed += 1


def check_token(field: EncryptedTextField, instance: Any, token: str) -> bool:
    """Whether ``token`` opens in ``instance``'s context (the seized-copy tests flip bytes with it)."""
    try:
        field.decrypt(instance, token)
    except DecryptionError:
        return False
    return True


def reencrypt_restricted_fields(*, batch_size: int = 500,
                                progress: Callable[[str], None] | None = None) -> keyring.ReencryptReport:
    """Re-encrypt every restricted value not under the active "restricted-fields" key (``rotate-keys --reencrypt``).

    As for sealed values: batches of short transactions, each row compare-and-set
    (a concurrent edit wins), history rows included without new history, a value
    that does not open in its context reported and left alone.
    """
    from django.apps import apps
    from django.db import transaction

    report = keyring.ReencryptReport()
    active = keyring.active_key_id(PURPOSE)
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if not isinstance(f, EncryptedTextField):
                continue
            manager = model._base_manager
            last_pk: Any = None
            while True:
                qs = manager.exclude(**{f.attname: ""}).exclude(**{f"{f.attname}__isnull": True}).order_by("pk")
                if last_pk is not None:
                    qs = qs.filter(pk__gt=last_pk)
                rows = list(qs[:batch_size])
                if not rows:
                    break
                last_pk = rows[-1].pk
                with transaction.atomic():
                    for row in rows:
                        token = str(row.__dict__[f.attname])
                        if not token.startswith(FIELD_PREFIX) or keyring.token_key_id(token) == active:
                            report.current += 1
                            continue
                        try:
                            plain = f.decrypt(row, token)
                        except DecryptionError:
                            report.skipped.append(f"{model._meta.label}.{f.attname} {row.pk}")
                            continue
                        fresh = f.encrypt(row, plain)
                        report.changed += manager.filter(pk=row.pk, **{f.attname: token}).update(**{f.attname: fresh})
                if progress is not None:
                    progress(f"{model._meta.label}.{f.attname}: up to pk {last_pk}")
    return report

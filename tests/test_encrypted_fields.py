"""Every field declared restricted or sealed, in every installed app, is stored encrypted (issue 5, decision 0019).

The scan walks every model Django knows, history tables included (they take
the classes of the record they track), so an app merged later is held to the
same rule: declaring a field restricted without making it an encrypted field
fails here, naming the model and the field.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from unforgotten.core.encrypted import EncryptedTextField, is_encrypted_field
from unforgotten.policy.sensitivity import Sensitivity


def _declared(model: type[models.Model]) -> dict[str, Sensitivity]:
    tracked: Any = getattr(model, "instance_type", model)  # a history table answers for its record's classes
    return dict(getattr(tracked, "SENSITIVITY", {}))


def _stored_in_clear(model: type[models.Model]) -> dict[str, str]:
    tracked: Any = getattr(model, "instance_type", model)
    return dict(getattr(tracked, "STORED_IN_CLEAR", {}))


def _field(model: type[models.Model], name: str) -> Any:
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        for f in model._meta.concrete_fields:
            if f.attname == name:
                return f
    return None


def _protected_fields_not_encrypted() -> tuple[list[str], int]:
    problems, checked = [], 0
    for model in apps.get_models(include_auto_created=True):
        for name, level in _declared(model).items():
            if level < Sensitivity.RESTRICTED:
                continue
            f = _field(model, name)
            clear = _stored_in_clear(model)
            if f is not None and (name in clear or f.name in clear or f.attname in clear):
                # A record restricted as a whole still needs its keys and dates in clear to be joined
                # and sorted; they say that a record exists, never what it holds. Text never qualifies.
                if isinstance(f, (models.CharField, models.TextField, models.JSONField, models.BinaryField)):
                    problems.append(f"{model._meta.label}.{name}: text cannot be listed in STORED_IN_CLEAR")
                checked += 1
                continue
            if f is None:
                problems.append(f"{model._meta.label}.{name}: declared {level.name.lower()} but is no stored field")
            elif not is_encrypted_field(f):
                problems.append(f"{model._meta.label}.{name}: declared {level.name.lower()} but stored as "
                                f"{type(f).__name__} (use core.encrypted.EncryptedTextField or SealedTextField)")
            checked += 1
        for f in model._meta.concrete_fields:
            # The converse: an encrypted field must be declared at least restricted, or the projection
            # would show to staff what the database hides.
            if is_encrypted_field(f) and _declared(model).get(f.name, _declared(model).get(f.attname)) is None:
                problems.append(f"{model._meta.label}.{f.name}: encrypted but not declared restricted or sealed")
    return problems, checked


def test_it_finds_every_restricted_and_sealed_field_encrypted_in_every_app() -> None:
    problems, checked = _protected_fields_not_encrypted()
    assert problems == []
    assert checked >= 23  # registry, advocacy and evidence fields, and the registry's history tables


def test_it_would_catch_a_restricted_field_stored_in_plaintext() -> None:
    # The control: the scan is not vacuous. A model declaring a plain text field restricted is reported.
    class Leaky(models.Model):  # noqa: DJ008
        notes = models.TextField()
        SENSITIVITY = {"notes": Sensitivity.RESTRICTED}

        class Meta:
            app_label = "core"
            managed = False

    class Tidy(models.Model):  # noqa: DJ008
        notes = EncryptedTextField()
        SENSITIVITY = {"notes": Sensitivity.RESTRICTED}

        class Meta:
            app_label = "core"
            managed = False

    try:
        problems, _checked = _protected_fields_not_encrypted()
        assert [p for p in problems if "Leaky" in p] == [
            "core.Leaky.notes: declared restricted but stored as TextField "
            "(use core.encrypted.EncryptedTextField or SealedTextField)"]
        assert [p for p in problems if "Tidy" in p] == []
    finally:
        for name in ("leaky", "tidy"):
            apps.all_models["core"].pop(name, None)
        apps.clear_cache()

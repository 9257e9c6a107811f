"""Model fields shared by domain apps: partial dates and sealed (encrypted) text."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from unforgotten.core.partialdate import InvalidPartialDate, PartialDate


class PartialDateFormField(forms.CharField):
    default_error_messages = {
        "invalid": _("Enter a year (2021), a month (2021-03) or a full date (2021-03-05), or leave it empty."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("help_text", _("Year, year-month or full date: 2021, 2021-03 or 2021-03-05."))
        super().__init__(**kwargs)
        # The cleaned value is a PartialDate; the text length is bounded by the widget and the parser.
        self.validators[:] = [x for x in self.validators if not isinstance(x, MaxLengthValidator)]

    def to_python(self, value: Any) -> PartialDate:  # type: ignore[override]
        if isinstance(value, PartialDate):
            return value
        text = super().to_python(value)
        try:
            return PartialDate.parse(text or "")
        except InvalidPartialDate as exc:
            raise ValidationError(str(exc), code="invalid") from None

    def prepare_value(self, value: Any) -> Any:
        return str(value) if isinstance(value, PartialDate) else value


class _PartialDateDescriptor:
    """Whatever is assigned ("2021", None, a PartialDate) is held as a PartialDate.

    So model code and ``clean`` methods always see a PartialDate, even on an
    unsaved instance built from form or API input. A malformed string is kept
    as given, so ``full_clean`` can report it against the field.
    """

    def __init__(self, field: PartialDateField) -> None:
        self.field = field

    def __get__(self, instance: Any, owner: Any = None) -> Any:
        if instance is None:
            return self
        # Not ``.get(attname, PartialDate())``: that builds (and validates) an unknown date on every
        # read, also of a date that is there; a list page reads fifty. One shared unknown will do.
        return instance.__dict__.get(self.field.attname, _UNKNOWN)

    def __set__(self, instance: Any, value: Any) -> None:
        if value is None or value == "":
            value = PartialDate()
        elif isinstance(value, str):
            try:
                value = _parsed(value)
            except InvalidPartialDate:
                pass  # left as text: full_clean names the field and the problem
        instance.__dict__[self.field.attname] = value


# PartialDate is immutable (frozen): every unset date may be this one.
_UNKNOWN = PartialDate()


@lru_cache(maxsize=8192)
def _parsed(text: str) -> PartialDate:
    # Every row read sets its dates from text; the same few thousand dates recur across
    # rows and requests. A PartialDate is immutable, so rows may share one. Refusals
    # (exceptions) are not kept and are raised again each time.
    return PartialDate.parse(text)


class PartialDateField(models.CharField):  # type: ignore[type-arg]
    """Stores "2021", "2021-03", "2021-03-05" or "" (unknown) and gives back a PartialDate.

    The canonical text sorts like the dates it stands for (a year before its
    months), so ordering and range filters work on the column directly; unknown
    ("") sorts first in SQL and must be placed last by the query where it matters.
    """

    description = "A date that may be known only to the year or month"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)
        # The value is a PartialDate, not text: its own parsing bounds the length.
        self.validators[:] = [x for x in self.validators if not isinstance(x, MaxLengthValidator)]

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        for key, default in (("max_length", 10), ("blank", True), ("default", "")):
            if kwargs.get(key) == default:
                kwargs.pop(key)
        return name, path, args, kwargs

    def contribute_to_class(self, cls: Any, name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only=private_only)
        setattr(cls, self.attname, _PartialDateDescriptor(self))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> PartialDate:
        # Every row read converts its dates: the shared, immutable parse of each text (see _parsed).
        return _parsed(value or "")

    def to_python(self, value: Any) -> PartialDate:
        if isinstance(value, PartialDate):
            return value
        try:
            return PartialDate.parse(value or "")
        except InvalidPartialDate as exc:
            raise ValidationError(str(exc), code="invalid") from None

    def validate(self, value: Any, model_instance: Any) -> None:
        # Choices and blank checks of CharField do not apply to a PartialDate.
        if not self.blank and (value is None or (isinstance(value, PartialDate) and value.is_unknown)):
            raise ValidationError(self.error_messages["blank"], code="blank")

    def get_prep_value(self, value: Any) -> Any:
        if isinstance(value, PartialDate):
            return str(value)
        if value is None:
            return ""
        return str(self.to_python(value))

    def value_to_string(self, obj: Any) -> str:
        return str(self.value_from_object(obj))

    def formfield(self, **kwargs: Any) -> Any:
        kwargs.setdefault("form_class", PartialDateFormField)
        return super().formfield(**kwargs)

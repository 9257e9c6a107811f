"""Sensitivity classes: the spine of the platform.

Every field of every model has one. The default is ``INTERNAL`` because a field
someone forgot to classify must fail closed: staff of the owning organisation
may see it, nobody outside.
"""

from __future__ import annotations

from enum import IntEnum

from django.utils.translation import gettext_lazy as _


class Sensitivity(IntEnum):
    # Ordered: a higher number is more protected. Comparisons rely on the order.
    PUBLIC = 0  # may appear on campaign pages, after consent where the field needs it
    COALITION = 1  # shared with named partner organisations
    INTERNAL = 2  # staff of the owning organisation
    RESTRICTED = 3  # the named case team only (legal strategy, medical)
    SEALED = 4  # source identities, family contacts, witnesses: encrypted, never exported or indexed

    @property
    def label(self) -> str:
        return str(_LABELS[self])

    @classmethod
    def parse(cls, value: str | int | Sensitivity) -> Sensitivity:
        if isinstance(value, Sensitivity):
            return value
        if isinstance(value, int):
            return cls(value)
        try:
            return cls[value.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown sensitivity class {value!r}; use one of {', '.join(c.name.lower() for c in cls)}") from None

    @classmethod
    def choices(cls) -> list[tuple[int, str]]:
        return [(c.value, c.label) for c in cls]


_LABELS = {
    Sensitivity.PUBLIC: _("public"),
    Sensitivity.COALITION: _("coalition"),
    Sensitivity.INTERNAL: _("internal"),
    Sensitivity.RESTRICTED: _("restricted"),
    Sensitivity.SEALED: _("sealed"),
}

DEFAULT_SENSITIVITY = Sensitivity.INTERNAL

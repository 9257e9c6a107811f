"""Tests for the shared model fields: how a partial date is held on an instance."""

from __future__ import annotations

from unittest import mock

from unforgotten.core.fields import PartialDateField, _PartialDateDescriptor
from unforgotten.core.partialdate import PartialDate


def _holder() -> type:
    field = PartialDateField()
    field.set_attributes_from_name("when")

    class Holder:
        when = _PartialDateDescriptor(field)

    return Holder


def test_it_reads_a_stored_date_without_building_another() -> None:
    # A list page reads fifty stored dates: reading one must not construct (and validate) a PartialDate.
    holder = _holder()()
    holder.when = "2021-03"
    expected = PartialDate(2021, 3)
    with mock.patch.object(PartialDate, "__post_init__", side_effect=AssertionError("a PartialDate was built")):
        assert holder.when == expected


def test_it_reads_a_date_never_set_as_unknown() -> None:
    holder = _holder()()
    assert holder.when.is_unknown
    holder.when = None
    assert holder.when.is_unknown
    holder.when = "2021"
    assert holder.when == PartialDate(2021)

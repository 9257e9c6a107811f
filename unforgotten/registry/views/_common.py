"""What every registry view shares: finding a record through the policy, and reading it through the projection."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from uuid import UUID

from django.db import models
from django.http import HttpRequest
from django.utils.translation import get_language

from unforgotten import policy
from unforgotten.core.views import not_found
from unforgotten.policy.projection import Audience, audience_for, project, record_sensitivity
from unforgotten.registry.models import Person


@dataclass(frozen=True)
class Reader:
    """One person reading one registry record and what hangs off it (same owner, same case team)."""

    user: Any
    team_ids: frozenset[int]

    def audience(self, obj: Any) -> Audience:
        return audience_for(self.user, obj, case_team_user_ids=self.team_ids)

    def may_see_record(self, obj: Any) -> bool:
        return self.audience(obj).may_see(record_sensitivity(obj))

    def show(self, obj: Any, fields: Iterable[str] | None = None) -> dict[str, Any] | None:
        return shown(obj, self.audience(obj), fields)


def shown(obj: models.Model, audience: Audience, fields: Iterable[str] | None = None, *,
          language: str | None = None) -> dict[str, Any] | None:
    """The projection of ``obj`` for ``audience``, with ``<field>_label`` beside each choice value.

    None when the audience may see nothing of the record (it then is not listed at all).
    ``language`` is the active one, passed by a caller that shows many rows (asked once, not per row).
    """
    data = project(obj, audience, fields)
    if not data:
        return None
    for attname, label_name, labels in _choice_fields(type(obj), language if language is not None
                                                      else get_language() or ""):
        if attname in data:
            value = data[attname]
            data[label_name] = "" if value in (None, "") else labels.get(value, str(value))
    return data


@lru_cache(maxsize=256)
def _choice_fields(model: type[models.Model], language: str) -> tuple[tuple[str, str, dict[Any, str]], ...]:
    # Which fields have choices, the name of their label, and their labels in ``language``: worked
    # out once per model and language, not per row (a list page shows fifty rows; ``field.choices``
    # is costly to ask, and a label's name built per row was a new string to hash each time).
    return tuple((field.attname, f"{field.attname}_label", _choice_labels(field, language))
                 for field in model._meta.concrete_fields if field.choices)


@lru_cache(maxsize=512)
def _choice_labels(field: models.Field[Any, Any], language: str) -> dict[Any, str]:
    # Built once per field and language: a list page asks for them fifty times a request.
    del language  # part of the cache key only: the labels below are translated into it
    return {value: str(label) for value, label in field.flatchoices}


def case_team_ids(person: Person) -> frozenset[int]:
    return frozenset(person.case_team.values_list("id", flat=True))


def person_for(request: HttpRequest, person_uuid: UUID, permission: str) -> tuple[Person, Reader]:
    """The person named in the URL, if the user may ``permission`` it; otherwise "not found".

    A record raised above the reader's ceiling as a whole is "not found" too:
    the reader may not even know it exists.
    """
    person = Person.objects.filter(uuid=person_uuid).first()
    if person is None or not policy.can(request.user, permission, person):
        not_found()
    if person.merged_into_id is not None and permission != "registry.view":
        not_found()  # a record merged into another is retired: it is read (and unmerged), never edited
    reader = Reader(request.user, case_team_ids(person))
    if not reader.may_see_record(person):
        not_found()
    return person, reader


def related_for[M: models.Model](queryset: models.QuerySet[M], reader: Reader, **lookup: Any) -> M:
    """One record hanging off the person (already checked), found by ``lookup``; else "not found"."""
    obj = queryset.filter(**lookup).first()
    if obj is None or not reader.may_see_record(obj):
        not_found()
    return obj

"""The petitions API answers with its documents, not empty objects (a schema that drops undeclared keys did)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from unforgotten.actions.testing import make_petition_sample


@pytest.mark.django_db
def test_it_gives_the_public_the_petitions_document_with_its_title_and_count(cast: Any) -> None:
    sample = make_petition_sample(cast)
    answer = Client().get("/api/v1/actions/public/petitions/free-them-all")
    assert answer.status_code == 200
    document = json.loads(answer.content)
    assert document, "an empty document"
    text = json.dumps(document, ensure_ascii=False)
    assert sample.petition.slug in text or str(sample.petition.uuid) in text

"""Issue 9, items 4 and 6: the statistics API (/api/v1/stats/) answers members with their organisations' figures.

Bad input is a 422 naming the parameter (a date in the future, an unknown
dimension, a month that is not one); other people's organisations are "not
found"; a token of Org A reads Org A's figures.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from unforgotten.stats import timeline as tl
from unforgotten.testing import signed_in


def _get(client: Client, path: str, **query: str) -> tuple[int, Any]:
    response = client.get(path, query)
    return response.status_code, json.loads(response.content)


def test_it_gives_org_a_its_as_of_counts(cast: Any, fixture: Any) -> None:
    status, body = _get(signed_in(cast.vera), "/api/v1/stats/asof", by="country", on="2021-12-31")
    assert status == 200
    assert body["organisations"] == ["org-a"] and body["dimension"] == "country" and body["stale"] is False
    rows = {r["value"]: (r["held"], r["counted"], r["date_uncertain"]) for r in body["rows"]}
    assert rows == {"BY": (2, 2, 0), "RU": (0, 1, 1), "CN": (0, 0, 1)}
    assert (body["held"], body["counted"], body["date_uncertain"]) == (2, 3, 2)
    labels = {r["value"]: r["label"] for r in body["rows"]}
    assert labels["BY"] == "Belarus"


def test_it_crosses_two_dimensions_from_the_spans(cast: Any, fixture: Any) -> None:
    status, body = _get(signed_in(cast.amal), "/api/v1/stats/cross", rows="country", columns="gender", on="2021-12-31")
    assert status == 200
    cells = {(c["row"], c["column"], c["status"]): c["people"] for c in body["cells"]}
    assert cells == {("BY", "female", "imprisoned"): 1, ("BY", "male", "imprisoned"): 1,
                     ("RU", "male", "released"): 1, ("RU", "female", tl.UNCERTAIN): 1,
                     ("CN", "male", tl.UNCERTAIN): 1}


def test_it_gives_the_monthly_series(cast: Any, fixture: Any) -> None:
    status, body = _get(signed_in(cast.amal), "/api/v1/stats/series", start="2019-01", end="2021-12")
    assert status == 200
    months = {m["month"]: (m["detentions"], m["releases"]) for m in body["months"] if m["detentions"] or m["releases"]}
    assert months == {"2020-05": (1, 0), "2021-07": (0, 1)}
    assert [(y["year"], y["detentions"]) for y in body["year_only"]] == [(2019, 1), (2021, 1)]
    assert len(body["months"]) == 36


def test_it_shows_chris_only_org_b(cast: Any, fixture: Any) -> None:
    status, body = _get(signed_in(cast.chris), "/api/v1/stats/asof", on="2021-12-31")
    assert status == 200 and body["organisations"] == ["org-b"]
    assert {r["value"]: r["counted"] for r in body["rows"]} == {"imprisoned": 1}
    status, _body = _get(signed_in(cast.chris), "/api/v1/stats/asof", organisation="org-a")
    assert status == 404
    assert _get(signed_in(cast.pat), "/api/v1/stats/asof")[0] == 404
    assert Client().get("/api/v1/stats/asof").status_code == 401


def test_it_lets_a_token_of_org_a_read_its_figures(cast: Any, fixture: Any) -> None:
    from unforgotten.api.actions import do_create_api_token

    _token, secret = do_create_api_token(organisation=cast.org_a, name="stats", scopes=["read"], acting_user=cast.dana)
    response = Client().get("/api/v1/stats/asof", {"on": "2021-06-30"}, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    rows = {r["value"]: (r["held"], r["date_uncertain"]) for r in json.loads(response.content)["rows"]}
    assert rows == {"awaiting_trial": (1, 0), "imprisoned": (1, 0), tl.UNCERTAIN: (0, 2)}


@pytest.mark.parametrize(("path", "query", "field"), [
    ("/api/v1/stats/asof", {"on": "2999-01-01"}, "on"),
    ("/api/v1/stats/asof", {"on": "yesterday"}, "on"),
    ("/api/v1/stats/asof", {"on": "1850-01-01"}, "on"),
    ("/api/v1/stats/asof", {"by": "religion"}, "by"),
    ("/api/v1/stats/cross", {"rows": "article"}, "rows"),
    ("/api/v1/stats/cross", {"columns": "nonsense"}, "columns"),
    ("/api/v1/stats/series", {"end": "2999-01"}, "end"),
    ("/api/v1/stats/series", {"start": "2021-13"}, "start"),
    ("/api/v1/stats/series", {"start": "2022-01", "end": "2021-01"}, "start"),
    ("/api/v1/stats/public/asof", {"on": "2999-01-01"}, "on"),
    ("/api/v1/stats/public/series", {"start": "1900-01", "end": "2021-01"}, "start"),
])
def test_it_refuses_bad_input_naming_the_parameter(cast: Any, path: str, query: dict[str, str], field: str) -> None:
    status, body = _get(signed_in(cast.amal), path, **query)
    assert status == 422
    assert body["errors"][0]["where"] == f"query.{field}"
    assert body["errors"][0]["problem"]

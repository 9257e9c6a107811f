"""Decision 0025 (third stage): a hot statement through core/fastsql really is prepared on PostgreSQL.

Django opens psycopg connections with preparation off, under which psycopg
ignores ``prepare=True``; the second stage's statements were parsed and planned
on every run without anyone noticing. This holds the claim.
"""

from __future__ import annotations

import pytest
from django.db import connection

from unforgotten.core import fastsql


@pytest.mark.django_db(transaction=True)
def test_it_prepares_the_statement_on_the_server_and_runs_it_prepared() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("preparation is PostgreSQL's; elsewhere fastsql is Django's cursor")
    sql = "SELECT %s::int + 1 AS fastsql_probe"
    for n in range(7):
        assert fastsql.fetch(sql, [n]) == [(n + 1,)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT generic_plans + custom_plans FROM pg_prepared_statements "
                       "WHERE statement LIKE %s", ["%fastsql_probe%"])
        [(runs,)] = cursor.fetchall()
    assert runs == 7  # prepared at the first run, then run prepared

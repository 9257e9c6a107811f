"""One hot SQL statement, run the cheapest way the database allows (decision 0025).

Django's PostgreSQL cursors bind parameters on the client: the statement is
formatted in Python and parsed and planned by the server on every run. For the
few statements a traffic spike runs hundreds of times a second (a petition
signature, its rate counters) that is most of their cost, so here PostgreSQL
gets a *server-side* bound, *prepared* statement (prepared on its first run on a
connection, then only the parameters are sent; PostgreSQL plans it afresh for
five runs, then keeps a generic plan when that costs no more). Every other
database, and PostgreSQL inside a transaction the caller opened, goes through
Django's own cursor.

Parameters must be adapted for the database already (``Field.get_db_prep_save``)
and placeholders that may be NULL must carry a cast (``%s::timestamptz``):
server-side binding does not guess a type from the column.

The statement still appears in ``connection.queries`` when Django logs queries
(DEBUG, tests), so what a test counts is what runs.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

_ONLY_WHEN_ASKED = 2**31 - 1


def fetch(sql: str, params: Sequence[Any], *, using: str = DEFAULT_DB_ALIAS) -> list[tuple[Any, ...]]:
    """Run one statement on database ``using`` (its own transaction when none is open) and return its rows."""
    connection = connections[using]
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall())
    import psycopg

    # What Django's own cursor does first: the health check of a persistent connection (a
    # request's first statement may come through here) and database errors as Django's.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    started = time.monotonic()
    raw = connection.connection
    if raw.prepare_threshold is None:
        # Django opens psycopg connections with preparation off (prepare_threshold None), and then psycopg ignores
        # prepare=True: every run was parsed and planned afresh (measured: a signature's statement took 2.6 ms,
        # 1.2 ms prepared). A threshold no statement reaches turns preparation on only for what asks for it by
        # name, here; Django's own cursors bind on the client and are never prepared.
        raw.prepare_threshold = _ONLY_WHEN_ASKED
    with connection.wrap_database_errors, psycopg.Cursor(raw) as cursor:
        cursor.execute(sql, params, prepare=True)
        rows = list(cursor.fetchall())
    if connection.queries_logged:
        connection.queries_log.append({"sql": sql, "time": f"{time.monotonic() - started:.3f}"})
    return rows

"""The PostgreSQL health check (core/db/postgresql): no round trip while the server is silent, a new connection
when the server ended the old one (decision 0027)."""

from __future__ import annotations

import time
from typing import Any

import psycopg
import pytest
from django.db import close_old_connections, connection

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the health check is PostgreSQL's")


def _last_statement(pid: int) -> str:
    # What the server last ran for that connection, read over a connection of its own.
    params = connection.get_connection_params()
    with psycopg.connect(**params, autocommit=True) as other:
        row = other.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone()
    return str(row[0]) if row else ""


@pytest.mark.django_db(transaction=True)
def test_it_asks_the_server_nothing_while_the_connection_is_quiet() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'health-marker'")
        pid = connection.connection.info.backend_pid
    wrapper: Any = connection  # the stubs do not know the health-check flags
    assert wrapper.health_check_enabled
    connection.close_at = time.monotonic() + 600  # not its age: the connection may be older than CONN_MAX_AGE here
    close_old_connections()  # what every request starts with: the next query checks the connection first
    assert wrapper.health_check_done is False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 2")
    assert wrapper.health_check_done is True
    assert connection.connection.info.backend_pid == pid
    # The check polled the socket: the server's last statement is ours, not a "SELECT 1".
    assert _last_statement(pid) == "SELECT 2"


@pytest.mark.django_db(transaction=True)
def test_it_replaces_a_connection_the_server_ended() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        pid = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    with psycopg.connect(**params, autocommit=True) as other:
        assert other.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone() == (True,)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and _last_statement(pid):
        time.sleep(0.05)  # until the server has finished ending it
    connection.close_at = time.monotonic() + 600  # only the health check may replace it
    close_old_connections()
    with connection.cursor() as cursor:  # a request's first query: no error, a new connection
        cursor.execute("SELECT 3")
        assert cursor.fetchone() == (3,)
    assert connection.connection.info.backend_pid != pid

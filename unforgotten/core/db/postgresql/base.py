"""Django's PostgreSQL backend with a health check that needs no round trip while the server is silent.

With ``CONN_HEALTH_CHECKS`` Django asks a persistent connection ``SELECT 1``
before the first query of every request, so a connection the server dropped
(a restart, an idle timeout, ``pg_terminate_backend``) is replaced rather than
turned into a 500. That question is one more round trip on every request; on
a loaded machine a round trip that follows Python work waits for the server
process to be scheduled, and it cost the person list more than its own query.

A server that ends a connection says so on the socket: it sends a FATAL
message and closes, and the socket turns readable. An idle connection whose
socket has nothing to read is as good as the last query left it, so the check
polls the socket (no waiting) and asks ``SELECT 1`` only when the server has
said something (an error, a notice, a notification, end of file) or the
client already knows the connection is broken. A connection that dies between
the poll and the first query fails that query, as it could with Django's own
check between its ``SELECT 1`` and the next statement.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql.base import DatabaseWrapper as PostgreSQLWrapper


class DatabaseWrapper(PostgreSQLWrapper):
    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        try:
            readable, _, _ = select.select([connection.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        if not readable:
            return True
        return bool(super().is_usable())

"""Per-request context that deeper layers (audit, logging) read without a request object."""

from __future__ import annotations

from contextvars import ContextVar

request_id: ContextVar[str] = ContextVar("request_id", default="-")

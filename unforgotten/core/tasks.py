"""Periodic jobs of the ground floor."""

from __future__ import annotations

from datetime import timedelta

from unforgotten.core import outbox, schedule


@schedule.periodic("core.deliver_outbox", every=timedelta(minutes=1), timeout=timedelta(minutes=10))
def deliver_outbox() -> str:
    """Send due e-mails and webhooks, including retries (new messages are also kicked at once)."""
    report = outbox.deliver_due(limit=1000)
    return f"sent {report.sent}, retried {report.retried}, failed {report.failed}"

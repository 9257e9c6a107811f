"""Background work of the audit app: signing tree heads on a schedule."""

from __future__ import annotations

from datetime import timedelta

from django.tasks import task
from django.utils import timezone

from unforgotten.audit import log
from unforgotten.core import schedule


@task()
def sign_tree_head(every_seconds: int = 0) -> dict[str, object]:
    """Sign the log's current tree head; with ``every_seconds``, enqueue the next run after that long.

    ``unforgotten sign-tree-head --every 3600`` starts the chain once; a cron
    job or systemd timer running ``unforgotten sign-tree-head`` does the same.
    """
    head = log.sign_tree_head()
    if every_seconds > 0:
        sign_tree_head.using(run_after=timezone.now() + timedelta(seconds=every_seconds)).enqueue(every_seconds)
    return {"tree_size": head.tree_size, "root": bytes(head.root_hash).hex(), "timestamp": head.timestamp}


@schedule.periodic("audit.sign_tree_head", every=timedelta(hours=1))
def sign_tree_head_hourly() -> str:
    """Sign the log's tree head (partners compare exported heads against later ones)."""
    if not log._signing_path().exists():  # noqa: SLF001
        # Not configured (a development checkout): nothing to sign with; say so on the job row.
        return "no signing key at SIGNING_KEY_FILE"
    head = log.sign_tree_head()
    return f"size {head.tree_size}"

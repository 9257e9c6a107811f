"""Periodic jobs: escalation checks, proof-of-life rules, digests, reminders, fixity, tree heads.

An app declares a job in its ``tasks.py``::

    @schedule.periodic("alerts.escalate", every=timedelta(minutes=5))
    def escalate() -> str: ...

and ``unforgotten scheduler`` (a service beside the web server and ``db_worker``;
``--once`` for cron) enqueues each due job through Django's tasks framework.
Decision 0013 tells why it is built this way; in short:

- *It survives restarts*: the next run time of each job is a row (``core.ScheduledJob``),
  not process memory. A scheduler that was down for a day runs each overdue job once,
  then keeps its period; it never fires a burst of missed runs.
- *A job never runs twice at once*: starting a run is a conditional UPDATE that sets
  ``running_until`` and a claim token; a second scheduler (or a second tick) matches no
  row while the claim holds. The run clears the claim when it ends. If the worker dies
  mid-run, the claim expires after the job's ``timeout`` and the job runs again.
- *The work runs in the task worker*, so the scheduler itself stays tiny and the
  backend remains a settings change.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.apps import apps as django_apps
from django.db.models import F, Q
from django.tasks import task
from django.utils import timezone

from unforgotten.core.models import ScheduledJob

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    func: Callable[[], Any]
    every: timedelta
    # How long a run may hold the job before another may start it (a dead worker's claim expires).
    timeout: timedelta
    description: str


_JOBS: dict[str, Job] = {}
_discovered = False


def periodic(name: str, *, every: timedelta, timeout: timedelta | None = None,
             description: str = "") -> Callable[[Callable[[], Any]], Callable[[], Any]]:
    """Declare ``func`` a periodic job called ``name`` ("<app>.<verb>"), run every ``every``."""
    if every <= timedelta(0):
        raise ValueError("a periodic job needs a positive period")

    def decorate(func: Callable[[], Any]) -> Callable[[], Any]:
        existing = _JOBS.get(name)
        if existing is not None and existing.func.__qualname__ != func.__qualname__:
            raise ValueError(f"periodic job {name!r} is already declared by {existing.func.__module__}")
        _JOBS[name] = Job(name, func, every, timeout or max(every, timedelta(minutes=10)),
                          description or (func.__doc__ or "").strip().split("\n")[0])
        return func

    return decorate


def autodiscover() -> None:
    """Import every installed app's ``tasks`` module, where jobs are declared."""
    global _discovered
    if _discovered:
        return
    for config in django_apps.get_app_configs():
        module = f"{config.name}.tasks"
        if importlib.util.find_spec(module) is not None:
            importlib.import_module(module)
    _discovered = True


def jobs() -> dict[str, Job]:
    autodiscover()
    return dict(sorted(_JOBS.items()))


def _next_after(previous: datetime, every: timedelta, now: datetime) -> datetime:
    # Keep the period's phase, but never schedule in the past: overdue runs collapse into one.
    upcoming = previous + every
    return upcoming if upcoming > now else now + every


def claim(job: Job, now: datetime) -> str | None:
    """Try to start ``job`` at ``now``: the claim token when this caller won it, else None."""
    row, _created = ScheduledJob.objects.get_or_create(name=job.name, defaults={"next_run_at": now})
    if row.next_run_at > now:
        return None
    token = secrets.token_hex(16)
    won = ScheduledJob.objects.filter(
        pk=row.pk, next_run_at=row.next_run_at,
    ).filter(Q(running_until__isnull=True) | Q(running_until__lt=now)).update(
        running_until=now + job.timeout, claim=token, next_run_at=_next_after(row.next_run_at, job.every, now),
    )
    return token if won else None


def tick(now: datetime | None = None) -> list[str]:
    """Enqueue every due job that nobody is running; returns the names started."""
    now = now or timezone.now()
    started = []
    for job in jobs().values():
        token = claim(job, now)
        if token is None:
            continue
        try:
            run_job.enqueue(job.name, token)
        except Exception:  # noqa: BLE001  (release the claim so the next tick retries; the scheduler must not die)
            logger.exception("could not enqueue periodic job %s", job.name)
            ScheduledJob.objects.filter(name=job.name, claim=token).update(
                running_until=None, claim="", next_run_at=now)
            continue
        started.append(job.name)
    return started


def _finish(name: str, token: str, outcome: str) -> None:
    ScheduledJob.objects.filter(name=name, claim=token).update(
        running_until=None, claim="", last_finished_at=timezone.now(), last_outcome=outcome[:200], runs=F("runs") + 1,
    )


@task()
def run_job(name: str, token: str) -> str:
    """Run one claimed job in the worker and release its claim, whatever happens."""
    job = jobs().get(name)
    if job is None:
        _finish(name, token, "unknown job (removed from the code?)")
        return "unknown"
    # The claim may have expired and been taken by another run while this task waited in the queue.
    if not ScheduledJob.objects.filter(name=name, claim=token).update(last_started_at=timezone.now()):
        return "claim lost"
    try:
        result = job.func()
    except Exception as exc:  # noqa: BLE001  (recorded on the job row and logged; the next period retries)
        logger.exception("periodic job %s failed", name)
        _finish(name, token, f"error: {type(exc).__name__}")
        raise
    outcome = "ok" if result is None else f"ok: {result}"
    _finish(name, token, outcome)
    return outcome


def run_now(name: str) -> Any:
    """Run a job in this process at once (tests, and `unforgotten scheduler --run NAME`), holding its claim."""
    job = jobs()[name]
    now = timezone.now()
    row, _created = ScheduledJob.objects.get_or_create(name=name, defaults={"next_run_at": now})
    token = secrets.token_hex(16)
    won = ScheduledJob.objects.filter(pk=row.pk).filter(
        Q(running_until__isnull=True) | Q(running_until__lt=now)
    ).update(running_until=now + job.timeout, claim=token, last_started_at=now)
    if not won:
        raise RuntimeError(f"periodic job {name} is running already")
    try:
        result = job.func()
    except Exception as exc:
        _finish(name, token, f"error: {type(exc).__name__}")
        raise
    _finish(name, token, "ok" if result is None else f"ok: {result}")
    return result

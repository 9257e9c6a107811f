"""``unforgotten scheduler``: start periodic jobs when they are due (a service beside ``db_worker``)."""

from __future__ import annotations

import signal
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections

from unforgotten.core import schedule
from unforgotten.core.models import ScheduledJob


class Command(BaseCommand):
    help = ("Enqueue periodic jobs (escalations, proof-of-life rules, digests, reminders, fixity, tree heads) "
            "when due; the task worker (`unforgotten db_worker`) runs them.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Check once and exit (for cron, every minute).")
        parser.add_argument("--interval", type=float, default=15.0, help="Seconds between checks (default 15).")
        parser.add_argument("--list", action="store_true", help="List the jobs and their state, then exit.")
        parser.add_argument("--run", metavar="NAME", help="Run one job now in this process, then exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            rows = {row.name: row for row in ScheduledJob.objects.all()}
            for name, job in schedule.jobs().items():
                row = rows.get(name)
                state = "never run" if row is None else (
                    f"next {row.next_run_at:%Y-%m-%d %H:%M:%S}, last {row.last_outcome or '-'}"
                    + (" (running)" if row.running_until else ""))
                self.stdout.write(f"{name:32} every {job.every}  {state}  — {job.description}")
            return
        if options["run"]:
            if options["run"] not in schedule.jobs():
                raise CommandError(f"no periodic job {options['run']!r}; see --list")
            self.stdout.write(f"{options['run']}: {schedule.run_now(options['run'])}")
            return
        if options["interval"] <= 0:
            raise CommandError("--interval must be positive")
        stopping = False

        def stop(*_: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while True:
            if not options["once"]:
                # A long-running loop: drop connections the server may have closed meanwhile.
                close_old_connections()
            started = schedule.tick()
            if started and options["verbosity"] > 0:
                self.stdout.write(f"started: {', '.join(started)}")
            if options["once"] or stopping:
                return
            slept = 0.0
            while slept < options["interval"] and not stopping:
                time.sleep(0.5)
                slept += 0.5
            if stopping:
                return

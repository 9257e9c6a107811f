"""Group commit inside a process: the concurrent writes of its threads go to the database as one batch.

A threaded worker (gunicorn ``gthread``) runs a few requests at once. Each petition
signature is one statement and one synchronous commit (decision 0025); while one
thread waits for its commit, the others finish their Python and would each send a
statement and wait for a commit of their own. Here they queue instead: a thread
that finds nobody writing becomes the *leader*, takes what is queued (its own item
first), writes it with one call of ``write`` (one statement, one commit, on the
leader's own connection) and hands each waiter *its own* result. Whatever arrives
meanwhile waits for the next batch, whose leader is one of the waiting threads. No
thread waits on purpose for company: a batch is what queued during the previous
write, so a lone request is written at once, as before.

A waiter is answered only after ``write`` has returned, that is after the commit
that holds its row: nothing is acknowledged earlier than it would be alone. If a
batch of several fails, nobody is told the failure of another: each item is
written again alone, by its own thread (its own connection), and only its own
error reaches its caller.

The leader writes on its own thread's database connection; ``write`` must not
depend on which thread's request an item came from (bare values, no request).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import cast


class _Waiter[Item, Result]:
    __slots__ = ("alone", "done", "error", "item", "result")

    def __init__(self, item: Item) -> None:
        self.item = item
        self.done = False
        self.alone = False  # its batch failed: write it again by itself
        self.result: Result | None = None
        self.error: BaseException | None = None


class Group[Item, Result]:
    """Items written by ``write(items) -> results`` (one result per item, in order), several at a time."""

    def __init__(self, write: Callable[[Sequence[Item]], Sequence[Result]], *, most: int = 64) -> None:
        self._write = write
        self._most = most  # a bound on a statement's size; the threads of one worker are far fewer
        self._cond = threading.Condition()
        self._queue: list[_Waiter[Item, Result]] = []
        self._busy = False
        self.batches = 0  # diagnostics: batches written and items in them, since the process started
        self.items = 0

    def submit(self, item: Item) -> Result:
        """Write ``item`` (in a batch with whatever else is waiting) and return its result once committed."""
        mine: _Waiter[Item, Result] = _Waiter(item)
        with self._cond:
            self._queue.append(mine)
            while self._busy and not mine.done:
                self._cond.wait()
            if not mine.done:
                # Nobody is writing: lead. Own item first, so a leader always writes what it came with.
                self._busy = True
                self._queue.remove(mine)
                batch = [mine, *self._queue[: self._most - 1]]
                del self._queue[: self._most - 1]
        if not mine.done:
            self._lead(batch)
        if mine.alone:
            return self._write([item])[0]
        if mine.error is not None:
            raise mine.error
        # Set with done for every item of a batch that was written (None only if a result itself is None).
        return cast("Result", mine.result)

    def _lead(self, batch: list[_Waiter[Item, Result]]) -> None:
        try:
            results = self._write([waiter.item for waiter in batch])
            if len(results) != len(batch):
                raise RuntimeError(f"a batch of {len(batch)} gave {len(results)} results")
            for waiter, result in zip(batch, results, strict=True):
                waiter.result = result
        except BaseException as exc:  # noqa: BLE001  (handed to the callers, see below)
            if len(batch) == 1:
                batch[0].error = exc
            else:
                # One bad item (or a lost connection) must not fail the others: each is tried again alone.
                for waiter in batch:
                    waiter.alone = True
        finally:
            with self._cond:
                self.batches += 1
                self.items += len(batch)
                for waiter in batch:
                    waiter.done = True
                self._busy = False
                self._cond.notify_all()

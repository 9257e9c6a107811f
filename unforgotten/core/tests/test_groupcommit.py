"""Issue 7 (decision 0025, third stage): the group commit of a process's threads, without a database.

Each caller gets its own result, and only after the write that holds its item; a
failed group is written again item by item, so one bad item fails only its caller.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import pytest

from unforgotten.core.groupcommit import Group


class Writer:
    """Records each batch; the first batch waits until ``release`` is set (so others queue behind it)."""

    def __init__(self, bad: frozenset[int] = frozenset()) -> None:
        self.batches: list[list[int]] = []
        self.committed: list[int] = []
        self.release = threading.Event()
        self.writing = threading.Event()
        self.bad = bad

    def __call__(self, items: Sequence[int]) -> list[int]:
        self.batches.append(list(items))
        self.writing.set()
        self.release.wait(5)
        if self.bad & set(items):
            raise ValueError(f"bad item in {sorted(items)}")
        self.committed.extend(items)
        return [item * 10 for item in items]


def _queue_behind_a_write(writer: Writer, items: list[int], most: int = 64) -> tuple[Group[int, int],
                                                                                    dict[int, object]]:
    group: Group[int, int] = Group(writer, most=most)
    answers: dict[int, object] = {}
    acknowledged_before_commit: list[int] = []

    def call(item: int) -> None:
        try:
            answers[item] = group.submit(item)
            if item not in writer.committed:
                acknowledged_before_commit.append(item)
        except ValueError as exc:
            answers[item] = exc

    first = threading.Thread(target=call, args=(items[0],))
    first.start()
    assert writer.writing.wait(5)  # the first is writing alone...
    rest = [threading.Thread(target=call, args=(item,)) for item in items[1:]]
    for thread in rest:
        thread.start()
    while len(group._queue) < len(rest):  # ...while the others queue behind it
        threading.Event().wait(0.01)
    writer.release.set()
    for thread in [first, *rest]:
        thread.join(5)
    assert acknowledged_before_commit == []
    return group, answers


def test_it_writes_what_queued_during_a_write_as_one_batch_and_answers_each_its_own() -> None:
    writer = Writer()
    group, answers = _queue_behind_a_write(writer, [1, 2, 3, 4])
    assert answers == {1: 10, 2: 20, 3: 30, 4: 40}
    assert writer.batches[0] == [1] and sorted(writer.batches[1]) == [2, 3, 4] and len(writer.batches) == 2
    assert (group.batches, group.items) == (2, 4)


def test_it_writes_each_item_of_a_failed_batch_again_alone() -> None:
    writer = Writer(bad=frozenset({3}))
    _group, answers = _queue_behind_a_write(writer, [1, 2, 3, 4])
    # The batch [2, 3, 4] failed as a whole; 2 and 4 were written alone, 3 failed alone: only its caller hears.
    assert answers[1] == 10 and answers[2] == 20 and answers[4] == 40
    assert isinstance(answers[3], ValueError) and str(answers[3]) == "bad item in [3]"
    assert sorted(writer.committed) == [1, 2, 4]
    assert [3] in writer.batches and [2] in writer.batches and [4] in writer.batches


def test_it_hands_a_lone_items_error_to_its_caller() -> None:
    writer = Writer(bad=frozenset({7}))
    writer.release.set()
    group: Group[int, int] = Group(writer)
    with pytest.raises(ValueError, match=r"bad item in \[7\]"):
        group.submit(7)
    assert group.submit(8) == 80  # and the group goes on


def test_it_bounds_a_batch() -> None:
    writer = Writer()
    _group, answers = _queue_behind_a_write(writer, [1, 2, 3, 4], most=2)
    assert answers == {1: 10, 2: 20, 3: 30, 4: 40}
    assert [len(batch) for batch in writer.batches] == [1, 2, 1]

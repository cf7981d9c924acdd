"""Group commit: sends finishing while a commit runs are recorded together by the next one;
each is reported recorded only once its own commit is done, and a failed commit fails
exactly the sends it carried."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from bridge.core.outbox import Completion
from bridge.runtime.completions import Completions
from bridge.storage.port import StorageUnavailable


class Recorder:
    def __init__(self) -> None:
        self.batches: list[list[int]] = []
        self.gate = asyncio.Event()
        self.fail_next = False

    async def record(self, done: Sequence[Completion]) -> None:
        await self.gate.wait()  # a commit takes a while: others finish meanwhile
        if self.fail_next:
            self.fail_next = False
            raise StorageUnavailable("disk full")
        self.batches.append([c.notification_id for c in done])


async def test_sends_finishing_during_a_commit_share_the_next() -> None:
    recorder = Recorder()
    completions = Completions(recorder.record)
    first = asyncio.create_task(completions.record(Completion(1, [])))
    await asyncio.sleep(0)
    others = [asyncio.create_task(completions.record(Completion(i, []))) for i in (2, 3, 4)]
    await asyncio.sleep(0)
    assert not any(t.done() for t in [first, *others])  # nothing reported before its commit
    recorder.gate.set()
    await asyncio.gather(first, *others)
    assert recorder.batches == [[1], [2, 3, 4]]
    assert completions.commits == 2


async def test_a_failed_commit_fails_its_sends_only() -> None:
    recorder = Recorder()
    recorder.fail_next = True
    completions = Completions(recorder.record)
    first = asyncio.create_task(completions.record(Completion(1, [])))
    await asyncio.sleep(0)
    second = asyncio.create_task(completions.record(Completion(2, [])))
    await asyncio.sleep(0)
    recorder.gate.set()
    with pytest.raises(StorageUnavailable):
        await first
    await second
    assert recorder.batches == [[2]]

"""Group commit of the delivery worker's completed sends.

With a window of sends in flight, several finish within one commit's time (a commit waits
for the disk). The first to finish records itself at once; those finishing meanwhile wait
and are recorded together by the next commit: one transaction and one fsync for all of
them, and no send waits longer than one commit behind the one in progress. A send is still
reported recorded only once its commit is done (the worker gives the member their next
notification only then), so nothing changes for a crash: a send Telegram accepted whose
commit did not happen is repeated, as before — and at most one window of sends is ever
unrecorded at once (at most K duplicates per crash).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence

from bridge.core.outbox import Completion


class Completions:
    def __init__(self, record: Callable[[Sequence[Completion]], Awaitable[None]]) -> None:
        self._record = record
        self._waiting: list[tuple[Completion, asyncio.Future[None]]] = []
        self._committing = False
        self.commits = 0  # how many transactions recorded them (for tests and benchmarks)

    async def record(self, completion: Completion) -> None:
        """Return once `completion` is committed; raise what its commit raised."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append((completion, future))
        if not self._committing:
            self._committing = True
            try:
                await self._commit_all()
            finally:
                self._committing = False
        await future

    async def _commit_all(self) -> None:
        """Commit what waits, batch after batch, until nothing does."""
        while self._waiting:
            batch, self._waiting = self._waiting, []
            try:
                await self._record([completion for completion, _ in batch])
            except Exception as exc:  # each send's own retry decides (see until_recorded)
                _settle(batch, exc)
            except BaseException as exc:  # cancelled: nobody may wait on a commit for ever
                batch, self._waiting = batch + self._waiting, []
                _settle(batch, exc)
                raise
            else:
                self.commits += 1
                _settle(batch, None)


def _settle(
    batch: list[tuple[Completion, asyncio.Future[None]]], error: BaseException | None
) -> None:
    for _, future in batch:
        if future.done():
            continue
        if error is None:
            future.set_result(None)
        elif isinstance(error, asyncio.CancelledError):
            future.cancel()
        else:
            future.set_exception(error)

"""Group commit of the delivery worker's completed sends.

With a window of sends in flight, several finish within one commit's time (a commit waits
for the disk). The first to finish records itself at once; those finishing meanwhile wait
and are recorded together by the next commit: one transaction and one fsync for all of
them, and no send waits longer than one commit behind the one in progress. A send is still
reported recorded only once its commit is done (the worker gives the member their next
notification only then: the commit also claims it, see `Outbox.complete_many`), so nothing
changes for a crash: a send Telegram accepted whose
commit did not happen is repeated, as before — and at most one window of sends is ever
unrecorded at once (at most K duplicates per crash).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence

from bridge.core.models import Notification
from bridge.core.outbox import Completion

Record = Callable[[Sequence[Completion]], Awaitable[Sequence[Notification] | None]]


class Completions:
    def __init__(self, record: Record) -> None:
        self._record = record
        self._waiting: list[tuple[Completion, asyncio.Future[Notification | None]]] = []
        self._committing = False
        self.commits = 0  # how many transactions recorded them (for tests and benchmarks)

    async def record(self, completion: Completion) -> Notification | None:
        """Return once `completion` is committed — with its member's next notification
        when the commit claimed one — or raise what its commit raised."""
        future: asyncio.Future[Notification | None] = asyncio.get_running_loop().create_future()
        self._waiting.append((completion, future))
        if not self._committing:
            self._committing = True
            try:
                await self._commit_all()
            finally:
                self._committing = False
        return await future

    async def _commit_all(self) -> None:
        """Commit what waits, batch after batch, until nothing does."""
        while self._waiting:
            batch, self._waiting = self._waiting, []
            try:
                following = await self._record([completion for completion, _ in batch])
            except Exception as exc:  # each send's own retry decides (see until_recorded)
                _settle(batch, exc)
            except BaseException as exc:  # cancelled: nobody may wait on a commit for ever
                batch, self._waiting = batch + self._waiting, []
                _settle(batch, exc)
                raise
            else:
                self.commits += 1
                _settle(batch, None, {n.member_id: n for n in following or ()})


def _settle(
    batch: list[tuple[Completion, asyncio.Future[Notification | None]]],
    error: BaseException | None,
    following: dict[int, Notification] | None = None,
) -> None:
    for completion, future in batch:
        if future.done():
            continue
        if error is None:
            member = completion.member_id
            future.set_result(None if member is None else (following or {}).pop(member, None))
        elif isinstance(error, asyncio.CancelledError):
            future.cancel()
        else:
            future.set_exception(error)

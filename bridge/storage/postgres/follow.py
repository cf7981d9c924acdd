"""Every worker's graph index in step with the others: the trigger that logs a change to
connections (migrations/postgres/0009) also announces it (NOTIFY `bridge_connections`, sent
when its transaction commits); each worker LISTENs on a connection of its own and then reads
the log after the last position it applied — in log order, each change once. The log, not the
notification, is the truth: a notification lost with a dropped connection is made up by the
next one, or by the poll every `poll_seconds`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import asyncpg

from bridge.storage.port import ConnectionChange, StorageUnavailable

log = logging.getLogger(__name__)
CHANNEL = "bridge_connections"

Apply = Callable[[Sequence[ConnectionChange], int], None]
Reload = Callable[[], Awaitable[int]]


class ConnectionFollower:
    """Started by `PostgresStore.follow_connections`; `stop()` ends it."""

    def __init__(
        self, url: str, position: int, apply: Apply, reload: Reload, poll_seconds: float
    ) -> None:
        self._url = url
        self.position = position
        self._apply = apply
        self._reload = reload
        self._poll = poll_seconds
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._listener: asyncpg.Connection | None = None
        self._reading = asyncio.Lock()  # the loop and a use case may catch up at once
        self._stopping = False

    async def start(self) -> None:
        await self._listen()
        self._task = asyncio.create_task(self._run(), name="connection-follower")

    async def _listen(self) -> None:
        self._listener = await asyncpg.connect(self._url)
        await self._listener.add_listener(CHANNEL, self._notified)

    def _notified(self, *_: Any) -> None:
        self._wake.set()

    async def _run(self) -> None:
        while not self._stopping:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._poll)
            self._wake.clear()
            if self._stopping:
                return
            try:
                if self._listener is None or self._listener.is_closed():
                    await self._listen()
                await self.catch_up()
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                log.warning("connection graph: could not follow the change log: %s", exc)
                self._listener = None
            except StorageUnavailable as exc:
                log.warning("connection graph: could not follow the change log: %s", exc)
                self._listener = None

    async def catch_up(self) -> int:
        """Apply what was committed since `position`; how many changes that was."""
        async with self._reading:
            return await self._catch_up()

    async def _catch_up(self) -> int:
        try:
            rows = await self._read()
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            raise StorageUnavailable(f"connection change log: {exc}") from exc
        if not rows:
            return 0
        if rows[0]["seq"] != self.position + 1:
            # A snapshot saved elsewhere pruned changes this worker had not applied yet.
            log.info("connection graph: the log moved past this worker's index: reloading")
            self.position = await self._reload()
            return len(rows)
        changes = [ConnectionChange(r["member_a"], r["member_b"], bool(r["added"])) for r in rows]
        self.position = int(rows[-1]["seq"])
        self._apply(changes, self.position)
        return len(changes)

    async def _read(self) -> list[asyncpg.Record]:
        listener = self._listener
        conn = await asyncpg.connect(self._url) if listener is None else listener
        try:
            return await conn.fetch(
                "SELECT seq, member_a, member_b, added FROM connection_changes WHERE seq > $1"
                " ORDER BY seq",
                self.position,
            )
        finally:
            if conn is not listener:
                await conn.close()

    async def stop(self) -> None:
        """End the loop. Not by a cancel alone: one that crosses a notification's wake-up
        is swallowed by Python 3.11's `wait_for` (gh-86296) and the loop went on — a stop
        seen waiting for ever in a test run. The loop ends at its next turn; a cancel is
        repeated only while it is inside a database call."""
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            while not self._task.done():
                self._task.cancel()
                await asyncio.wait({self._task}, timeout=1)
            if not self._task.cancelled():
                self._task.exception()  # retrieved: a failure was logged by the loop
        if self._listener is not None:
            await self._listener.close()

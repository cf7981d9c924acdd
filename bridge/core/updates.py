"""Which Telegram updates were handled: a redelivered update is skipped, and an update the
library could not read is kept for the admins instead of stalling everything behind it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from bridge.core.deps import CoreDeps
from bridge.core.owed import QUIET_HOURS
from bridge.storage.port import Arrival

# Telegram keeps an unconfirmed update for 24 hours: no redelivery can come after that.
KEEP_RECORDS = timedelta(days=2)


# The arrival of the update this task is handling (`Updates.arrive`), for `identify`.
_arrived: ContextVar[tuple[int, Arrival] | None] = ContextVar("bridge_arrival", default=None)


@contextmanager
def arrived(telegram_id: int, arrival: Arrival) -> Iterator[None]:
    """While the update is handled: what its arrival read about its sender."""
    token = _arrived.set((telegram_id, arrival))
    try:
        yield
    finally:
        _arrived.reset(token)


def arrival_of(telegram_id: int) -> Arrival | None:
    """What this update's arrival read about the member of `telegram_id`, if it did."""
    found = _arrived.get()
    return found[1] if found is not None and found[0] == telegram_id else None


class Updates:
    def __init__(self, deps: CoreDeps) -> None:
        self._d = deps

    async def arrive(self, key: str, telegram_id: int | None) -> Arrival:
        """As an update arrives, in one read: whether it was handled already (redelivered),
        and its sender's member row with whether something waits for them — what
        `identify` would otherwise read in two more snapshots."""
        async with self._d.store.read() as tx:
            return await tx.updates.arrival(key, telegram_id, self._d.clock.now(), QUIET_HOURS)

    async def done(self, key: str, update_id: int) -> None:
        """Record an update whose handling changed nothing (an effect records its update in
        its own transaction, see `bridge.storage.once`)."""
        async with self._d.store.transaction() as tx:
            await tx.updates.mark(key, update_id, self._d.clock.now())

    async def prune(self) -> int:
        async with self._d.store.transaction() as tx:
            return await tx.updates.prune(self._d.clock.now() - KEEP_RECORDS)

    async def unreadable(self, key: str, update_id: int, payload: str, error: str) -> bool:
        """Keep an update skipped as unreadable (and mark it handled); False if it was
        already kept (the admins were told then)."""
        now = self._d.clock.now()
        async with self._d.store.transaction() as tx:
            await tx.updates.mark(key, update_id, now)
            return await tx.updates.add_unreadable(key, update_id, payload, error, now)

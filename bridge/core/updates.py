"""Which Telegram updates were handled: a redelivered update is skipped, and an update the
library could not read is kept for the admins instead of stalling everything behind it."""

from __future__ import annotations

from datetime import timedelta

from bridge.core.deps import CoreDeps

# Telegram keeps an unconfirmed update for 24 hours: no redelivery can come after that.
KEEP_RECORDS = timedelta(days=2)


class Updates:
    def __init__(self, deps: CoreDeps) -> None:
        self._d = deps

    async def seen(self, key: str) -> bool:
        async with self._d.store.read() as tx:
            return await tx.updates.seen(key)

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

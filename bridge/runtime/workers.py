"""Several workers, one bot: Telegram's overall limit (30 messages a second) is per bot, not
per process, so each worker sends at its share of it — the limit divided by the live
workers, counted from their heartbeats in the database.

Why a share and not a token bucket in the database: a bucket costs a write to one hot row
per message sent, on the path of every send; a share costs one heartbeat every few seconds.
Its price: a worker whose share is idle cannot lend it to a busy one (nginx spreads updates
and the outbox claims spread sends, so shares are used evenly enough), and for the few
seconds after a worker starts or dies the shares are stale (a dead worker's share is unused
until its heartbeat is old: the safe side; a new worker's arrival overshoots for at most one
heartbeat, which Telegram answers with 429s the outbox waits out)."""

from __future__ import annotations

import asyncio
import logging
import math
from datetime import timedelta

from aiolimiter import AsyncLimiter

from bridge.core.app import Core
from bridge.runtime.rate_limits import CHAT_RATE, OVERALL, TelegramLimits
from bridge.storage.port import StorageUnavailable

log = logging.getLogger(__name__)

HEARTBEAT = timedelta(seconds=5)
# A worker not seen for this long is gone (killed, or its machine is): its share is free.
GONE_AFTER = 3 * HEARTBEAT


class SharedRateLimiter(TelegramLimits):
    """Telegram's limits (`rate_limits.py`), the overall rate this worker's share of the
    bot's. A chat's own rate stays per worker: one member's notifications go one at a time
    whichever worker sends them, and a worker sends to a chat again only after its pacing."""

    def __init__(
        self,
        chat_rate: float = CHAT_RATE,
        paid_broadcast: bool = False,
        bot_rate: float = OVERALL,
    ) -> None:
        super().__init__(chat_rate, paid_broadcast=paid_broadcast)
        self.bot_rate, self.workers = bot_rate, 1

    @property
    def rate(self) -> float:
        """Messages a second this worker may send now."""
        return self.bot_rate / self.workers

    def share(self, workers: int) -> None:
        """`workers` live workers share the bot's rate (a new limiter: PTB's has no setter)."""
        workers = max(1, workers)
        if workers == self.workers:
            return
        self.workers = workers
        # Whole messages: a share below one a second would never let a burst of one through.
        self._base_limiter = AsyncLimiter(max_rate=max(1, math.floor(self.rate)), time_period=1)
        log.info("%d workers live: sending at most %.1f messages/s", workers, self.rate)


class WorkerPresence:
    """This worker's heartbeat, and the rate limiter's share kept in step with the others'."""

    def __init__(self, core: Core, name: str, limiter: SharedRateLimiter | None) -> None:
        self.core, self.name, self.limiter = core, name, limiter
        self.live = 1
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self.beat()  # counted before the first send
        self._task = asyncio.create_task(self._run(), name="worker-heartbeat")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None
        try:
            async with self.core.deps.store.claiming() as tx:
                await tx.workers.leave(self.name)
        except StorageUnavailable as exc:
            log.warning("could not say this worker left (its heartbeat will age): %s", exc)

    async def beat(self) -> None:
        now = self.core.now()
        async with self.core.deps.store.claiming() as tx:
            await tx.workers.heartbeat(self.name, now)
            self.live = max(1, await tx.workers.live(now - GONE_AFTER))
        if self.limiter is not None:
            self.limiter.share(self.live)

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT.total_seconds())
            try:
                await self.beat()
            except StorageUnavailable as exc:  # the share stays as it was; next beat
                log.warning("heartbeat missed: %s", exc)
            except Exception:
                log.exception("heartbeat failed")

"""Telegram's overall rate limit shared by the live workers: each heartbeats in the database
and sends at the bot's rate divided by how many are live (both backends)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bridge.core.app import Core
from bridge.core.clock import FakeClock
from bridge.runtime.workers import GONE_AFTER, HEARTBEAT, SharedRateLimiter, WorkerPresence
from bridge.storage import open_store
from tests.storage.test_two_workers import database


def test_a_share_is_the_bots_rate_divided_by_the_live_workers() -> None:
    limiter = SharedRateLimiter(bot_rate=30)
    assert limiter.rate == 30
    limiter.share(3)
    assert limiter.rate == 10 and limiter._base_limiter is not None
    assert limiter._base_limiter.max_rate == 10 and limiter._base_limiter.time_period == 1
    limiter.share(0)  # never below one worker
    assert limiter.rate == 30 and limiter._base_limiter.max_rate == 30
    limiter.share(40)  # a share under one message a second still lets one through
    assert limiter._base_limiter.max_rate == 1


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
async def test_workers_share_the_rate_by_heartbeat(kind: str, tmp_path: Path) -> None:
    clock = FakeClock(datetime(2026, 5, 4, 7, 0, tzinfo=UTC))
    async with database(kind, tmp_path) as url:
        stores = [await open_store(url) for _ in range(3)]
        try:
            cores = [await Core.open(store, clock=clock) for store in stores]
            limiters = [SharedRateLimiter(bot_rate=30) for _ in cores]
            presences = [
                WorkerPresence(core, f"host:{8001 + i}", limiter)
                for i, (core, limiter) in enumerate(zip(cores, limiters, strict=True))
            ]
            for presence in presences:
                await presence.beat()
            await presences[0].beat()
            await presences[1].beat()
            assert [limiter.rate for limiter in limiters] == [10, 10, 10]
            await presences[2].stop()  # stopped cleanly: gone at once
            await presences[0].beat()
            assert limiters[0].rate == 15
            clock.advance(HEARTBEAT)
            await presences[0].beat()  # worker 1 died without a word: still counted...
            assert limiters[0].rate == 15
            clock.advance(GONE_AFTER)
            await presences[0].beat()  # ...until its heartbeat is too old
            assert limiters[0].rate == 30
        finally:
            for store in stores:
                await store.close()

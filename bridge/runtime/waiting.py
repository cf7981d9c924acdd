"""Waiting out what is not our fault: Telegram's 429 (`retry_after`) and a database another
process holds or a full disk (`StorageUnavailable`). Shared by the intake, the delivery
worker, start-up and direct replies, so each waits the same way."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

from telegram.error import RetryAfter

from bridge.storage.port import StorageUnavailable, TransactionConflict

T = TypeVar("T")

MAX_STORAGE_PAUSE = 15.0  # seconds between tries while the database is unavailable


def retry_after_seconds(error: RetryAfter) -> float:
    """How long Telegram asked us to wait (PTB gives seconds or a timedelta by version)."""
    value: float | timedelta = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def until_recorded(
    record: Callable[[], Awaitable[T]],
    *,
    stopping: Callable[[], bool],
    pause: Callable[[float], Awaitable[None]],
    log: logging.Logger,
    waiting: str,
) -> T:
    """Record something that already happened (a send Telegram accepted, an update whose
    answers went out), however long the database takes: doing it again would show it twice.
    Given up only when `stopping` (then it comes again at the next start)."""
    seconds = 1.0
    while True:
        try:
            return await record()
        except TransactionConflict:  # another worker's change crossed it: again at once
            await pause(random.uniform(0.005, 0.05))
        except StorageUnavailable as exc:
            if stopping():
                raise
            log.warning("%s waits to be recorded: %s", waiting, exc)
            await pause(seconds)
            seconds = min(seconds * 2, MAX_STORAGE_PAUSE)


async def again_on_conflict(
    action: Callable[[], Awaitable[T]], *, tries: int = 20, log: logging.Logger
) -> T | None:
    """Run a scheduled job's step until another worker's crossing change lets it through
    (at once, with a few ms of jitter); None when it still conflicts after `tries` (the
    next tick runs it again: what is due stays due in the database)."""
    for _ in range(tries):
        try:
            return await action()
        except TransactionConflict:
            await asyncio.sleep(random.uniform(0.005, 0.05))
    log.warning("a scheduled job met other workers' changes %d times; next tick", tries)
    return None

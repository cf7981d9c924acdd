"""Our own getUpdates loop, because python-telegram-bot's `Updater` confirms updates to
Telegram before the handlers have run (a crash would lose whatever was in flight).

Here an update is confirmed — by asking for the next offset — only after its handlers ran
and their effects were committed, and each processed update id is recorded, so an update
redelivered after a crash (or twice by Telegram) is skipped. The one remaining window, a
crash between an effect's commit and the record, is closed for relayed messages by the
core itself (a Telegram message is accepted once)."""

from __future__ import annotations

import asyncio
import logging

from telegram import Update
from telegram.error import NetworkError, RetryAfter, TimedOut
from telegram.ext import Application

from bridge.core.app import Core

log = logging.getLogger(__name__)


class UpdateIntake:
    def __init__(self, app: Application, core: Core, timeout: int = 10) -> None:
        self.app, self.core, self.timeout = app, core, timeout
        self._task: asyncio.Task | None = None
        self._stopping = False
        self._busy = asyncio.Lock()
        self.offset: int | None = None
        self.processed = 0

    def start(self) -> None:
        self._stopping = False
        self._task = asyncio.create_task(self._run(), name="update-intake")

    async def stop(self) -> None:
        """Finish the update in progress, confirm what was processed, stop."""
        self._stopping = True
        if self._task is not None:
            async with self._busy:  # never cancel in the middle of an update
                self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None
        if self.offset is not None:
            try:  # confirm the processed updates; one more is fetched, not confirmed
                await self.app.bot.get_updates(offset=self.offset, timeout=0, limit=1)
            except Exception:
                log.warning("could not confirm the last updates; they'll be skipped as seen")

    async def _run(self) -> None:
        delay = 1.0
        while not self._stopping:
            try:
                updates = await self.app.bot.get_updates(
                    offset=self.offset, timeout=self.timeout,
                    allowed_updates=Update.ALL_TYPES,
                )
                delay = 1.0
            except RetryAfter as exc:
                await asyncio.sleep(_seconds(exc.retry_after))
                continue
            except (TimedOut, NetworkError) as exc:
                log.warning("getUpdates failed (%s); retrying in %.0fs", exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)
                continue
            except Exception:  # an update we can't parse must not stop the intake
                log.exception("getUpdates answer could not be read; retrying in %.0fs", delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)
                continue
            for update in updates:
                async with self._busy:
                    if self._stopping:
                        return
                    await self._process(update)
                    self.offset = update.update_id + 1

    async def _process(self, update: Update) -> None:
        if await self.core.outbox.update_seen(update.update_id):
            return
        await self.app.process_update(update)
        await self.core.outbox.update_done(update.update_id)
        self.processed += 1


def _seconds(value: object) -> float:
    total = getattr(value, "total_seconds", None)
    return float(total()) if total else float(value)  # type: ignore[arg-type]

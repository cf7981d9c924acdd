"""Our own getUpdates loop, because python-telegram-bot's `Updater` confirms updates to
Telegram before the handlers have run (a crash would lose whatever was in flight).

Here an update is confirmed — by asking for the next offset — only after its handlers ran
and their effects were committed. What an update changes and the record that it was handled
commit in one transaction (`bridge.storage.once`), so an update redelivered after a crash
(or twice by Telegram) is skipped and nothing is applied twice. Records are keyed by the
update's id *and* content: ids repeat (a new token, a restarted local server), a redelivery
is the identical update.

Never stuck: an update the library cannot read is kept, reported to the admins and skipped;
when the database can't be written (another process holds it, the disk is full) the same
update waits with a growing pause and goes through once the database is back."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import warnings
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.error import NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import Application
from telegram.warnings import PTBUserWarning

from bridge.core.app import Core
from bridge.runtime.render import Renderer
from bridge.storage import once
from bridge.storage.port import StorageUnavailable

log = logging.getLogger(__name__)

# We read getUpdates' raw JSON (to parse each update on its own); PTB would rather we
# called get_updates, which fails the whole batch on one update it can't read.
warnings.filterwarnings("ignore", message=r"Please use 'Bot\.getUpdates'", category=PTBUserWarning)

MAX_STORAGE_PAUSE = 15.0  # seconds between tries while the database is unavailable
PRUNE_EVERY = 1000  # processed updates between two prunings of old records


def update_key(bot_id: int, raw: dict[str, Any]) -> str:
    """What identifies one update: the bot, its id, and a digest of its JSON (a redelivery
    is byte-for-byte the same update; a new update reusing an id is not)."""
    digest = hashlib.sha256(
        json.dumps(raw, sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()
    return f"{bot_id}:{raw['update_id']}:{digest[:32]}"


class UpdateIntake:
    def __init__(self, app: Application, core: Core, timeout: int = 10) -> None:
        self.app, self.core, self.timeout = app, core, timeout
        self._task: asyncio.Task | None = None
        self._stopping = False
        self._wake = asyncio.Event()  # ends a pause at once when stopping
        self._busy = asyncio.Lock()
        self.offset: int | None = None
        self.processed = 0
        self.skipped = 0  # redelivered updates, already handled
        self.unreadable = 0

    def start(self) -> None:
        self._stopping = False
        self._wake.clear()
        self._task = asyncio.create_task(self._run(), name="update-intake")

    async def stop(self) -> None:
        """Finish the update in progress, confirm what was processed, stop."""
        self._stopping = True
        self._wake.set()
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
                batch = await self._fetch()
                delay = 1.0
            except RetryAfter as exc:
                await self._pause(_seconds(exc.retry_after))
                continue
            except (TimedOut, NetworkError) as exc:
                log.warning("getUpdates failed (%s); retrying in %.0fs", exc, delay)
                await self._pause(delay)
                delay = min(delay * 2, 30.0)
                continue
            except Exception:
                log.exception("getUpdates answer could not be read; retrying in %.0fs", delay)
                await self._pause(delay)
                delay = min(delay * 2, 30.0)
                continue
            for raw in batch:
                async with self._busy:
                    if self._stopping or not await self._take(raw):
                        return
                    self.offset = raw["update_id"] + 1

    async def _fetch(self) -> list[dict[str, Any]]:
        """The pending updates as Telegram sent them (JSON objects, each parsed later)."""
        params: dict[str, Any] = {"timeout": self.timeout, "allowed_updates": Update.ALL_TYPES}
        if self.offset is not None:
            params["offset"] = self.offset
        result = await self.app.bot.do_api_request("getUpdates", api_kwargs=params)
        if not isinstance(result, list) or not all(
            isinstance(u, dict) and isinstance(u.get("update_id"), int) for u in result
        ):
            raise TypeError(f"getUpdates answered {type(result).__name__}, not updates")
        return result

    async def _take(self, raw: dict[str, Any]) -> bool:
        """Handle one update until it is done; False if the intake stops first (the update
        stays unconfirmed and comes again)."""
        key = update_key(self.app.bot.id, raw)
        try:
            update = Update.de_json(raw, self.app.bot)
        except Exception as exc:  # one unreadable update must not hold the others back
            return await self._until_stored(raw["update_id"], self._skip_unreadable, raw, key, exc)
        return await self._until_stored(update.update_id, self._process, update, key)

    async def _until_stored(
        self, update_id: int, step: Callable[..., Awaitable[None]], *args: Any
    ) -> bool:
        """Run `step` until the database lets it through: log, pause, try the same update
        again; any other failure is logged and the update left behind."""
        pause, waited = 1.0, False
        while not self._stopping:
            try:
                await step(*args)
            except StorageUnavailable as exc:
                log.warning("update %s waits: %s; trying again in %.0fs", update_id, exc, pause)
                waited = True
                await self._pause(pause)
                pause = min(pause * 2, MAX_STORAGE_PAUSE)
                continue
            except Exception:
                log.exception("update %s could not be processed; skipped", update_id)
            if waited:
                log.info("the database is available again: update %s went through", update_id)
            return True
        return False

    async def _process(self, update: Update, key: str) -> None:
        if await self.core.updates.seen(key):
            log.info("update %s was already handled (redelivered): skipped", update.update_id)
            self.skipped += 1
            return
        with once.processing(key, update.update_id, self.core.now()) as scope:
            await self.app.process_update(update)
        if scope.failure is not None:  # a handler met the database unavailable: again
            raise scope.failure
        if not scope.recorded:  # it changed nothing, or nothing that was not idempotent
            await self._until_done(key, update.update_id)
        self.processed += 1
        if self.processed % PRUNE_EVERY == 0:
            try:
                await self.core.updates.prune()
            except StorageUnavailable as exc:
                log.warning("old update records not pruned this time: %s", exc)

    async def _until_done(self, key: str, update_id: int) -> None:
        """Record a handled update, waiting for the database rather than handling it again
        (its answers are sent already)."""
        pause = 1.0
        while True:
            try:
                await self.core.updates.done(key, update_id)
                return
            except StorageUnavailable as exc:
                if self._stopping:
                    raise
                log.warning("update %s waits to be recorded: %s", update_id, exc)
                await self._pause(pause)
                pause = min(pause * 2, MAX_STORAGE_PAUSE)

    async def _skip_unreadable(self, raw: dict[str, Any], key: str, exc: Exception) -> None:
        update_id = raw["update_id"]
        error = f"{type(exc).__name__}: {exc}"
        log.error("update %s could not be read (%s): kept and skipped", update_id, error)
        payload = json.dumps(raw, sort_keys=True)
        if await self.core.updates.unreadable(key, update_id, payload, error):
            self.unreadable += 1
            await self._tell_admins(update_id, error)

    async def _tell_admins(self, update_id: int, error: str) -> None:
        renderer: Renderer = self.app.bot_data["renderer"]
        for admin_id in self.core.members.admin_telegram_ids():
            try:
                member = await self.core.members.by_telegram_id(admin_id)
            except StorageUnavailable:
                member = None  # the default language then
            lang = renderer.lang(member.language if member else None)
            text = renderer.text(
                lang, "common", "update_skipped", update_id=update_id, error=error[:500]
            )
            try:
                await self.app.bot.send_message(admin_id, text)
            except TelegramError:
                log.warning("could not tell admin %s about update %s", admin_id, update_id)

    async def _pause(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self._wake.wait(), timeout=seconds)
        except TimeoutError:
            pass


def _seconds(value: object) -> float:
    total = getattr(value, "total_seconds", None)
    return float(total()) if total else float(value)  # type: ignore[arg-type]

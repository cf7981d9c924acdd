"""Our own getUpdates loop, because python-telegram-bot's `Updater` confirms updates to
Telegram before the handlers have run (a crash would lose whatever was in flight).

Here an update is confirmed — by asking for the next offset — only after its handlers ran
and their effects were committed, and so had every update before it: the offset asked for
is the lowest update still unfinished.

Concurrent, ordered per member: a handler mostly waits on Telegram (its reply), so updates
of different members are handled concurrently (at most `concurrency` at once), while one
member's updates run strictly one after the other in the order Telegram gave them (an
`/open` then a text never swap). Each update runs in its own task, so in its own
`once.processing` scope. What an update changes and the record that it was handled
commit in one transaction (`bridge.storage.once`), so an update redelivered after a crash
(or twice by Telegram) is skipped and nothing is applied twice. Records are keyed by the
update's id *and* content: ids repeat (a new token, a restarted local server), a redelivery
is the identical update.

In webhook mode (`bridge.runtime.webhook`) Telegram pushes updates instead: `receive` takes
each through the same path (member order, concurrency, once-per-update record) and returns
once it is done, so that the webhook answers only then.

Never stuck: an update the library cannot read is kept, reported to the admins and skipped;
when the database can't be written (another process holds it, the disk is full) the same
update waits with a growing pause and goes through once the database is back."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import random
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.error import NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import Application
from telegram.warnings import PTBUserWarning

from bridge.core.app import Core
from bridge.core.updates import arrived
from bridge.runtime.render import Renderer
from bridge.runtime.waiting import MAX_STORAGE_PAUSE, retry_after_seconds, until_recorded
from bridge.storage import once
from bridge.storage.port import StorageUnavailable, TransactionConflict

log = logging.getLogger(__name__)

# We read getUpdates' raw JSON (to parse each update on its own); PTB would rather we
# called get_updates, which fails the whole batch on one update it can't read.
warnings.filterwarnings("ignore", message=r"Please use 'Bot\.getUpdates'", category=PTBUserWarning)

PRUNE_EVERY = 1000  # processed updates between two prunings of old records
# While updates are in hand, getUpdates (whose offset they hold down) answers at once with
# them: so it is asked again when one finishes, or after this long (seconds) for new ones.
NEW_UPDATES_LOOK = 0.05


def update_key(bot_id: int, raw: dict[str, Any]) -> str:
    """What identifies one update: the bot, its id, and a digest of its JSON (a redelivery
    is byte-for-byte the same update; a new update reusing an id is not)."""
    digest = hashlib.sha256(
        json.dumps(raw, sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()
    return f"{bot_id}:{raw['update_id']}:{digest[:32]}"


def member_of(raw: dict[str, Any]) -> int | None:
    """Whose update this is (the user, else the chat): their updates keep their order."""
    for value in raw.values():
        if isinstance(value, dict):
            for field_name in ("from", "user", "chat"):
                who = value.get(field_name)
                if isinstance(who, dict) and isinstance(who.get("id"), int):
                    return int(who["id"])
    return None


@dataclass
class _Pending:
    """An update taken from getUpdates and not yet confirmed."""

    update_id: int
    raw: dict[str, Any] = field(repr=False)
    done: bool = False  # processed (or skipped for good): may be confirmed
    task: asyncio.Task[bool] | None = field(default=None, repr=False)


class UpdateIntake:
    def __init__(
        self, app: Application, core: Core, timeout: int = 10, concurrency: int = 16
    ) -> None:
        self.app, self.core, self.timeout = app, core, timeout
        self.concurrency = max(1, concurrency)
        self._task: asyncio.Task | None = None
        self._stopping = False
        self._wake = asyncio.Event()  # ends a pause at once when stopping
        self._slots = asyncio.Semaphore(self.concurrency)
        self._pending: dict[str, _Pending] = {}  # by update key, in the order taken
        self._by_id: dict[int, _Pending] = {}  # the same, by update id
        self._last: dict[int, asyncio.Task[bool]] = {}  # each member's latest update
        self._received: set[asyncio.Task[bool]] = set()  # pushed updates in progress
        self._finished = asyncio.Event()  # an update finished: look for more
        self.offset: int | None = None
        self.processed = 0
        self.skipped = 0  # redelivered updates, already handled
        self.unreadable = 0

    def start(self) -> None:
        self._stopping = False
        self._wake.clear()
        self._task = asyncio.create_task(self._run(), name="update-intake")

    async def stop(self) -> None:
        """Finish the updates in progress, confirm what was processed, stop."""
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            self._task.cancel()  # it only fetches and hands out: the updates run apart
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None
        tasks = [p.task for p in self._pending.values() if p.task is not None]
        if tasks:  # never cancel in the middle of an update
            await asyncio.gather(*tasks, return_exceptions=True)
        self._advance()
        # What did not finish comes again: forget it here (a restart fetches it anew).
        self._pending.clear()
        self._by_id.clear()
        self._last.clear()
        if self.offset is not None:
            try:  # confirm the processed updates; one more is fetched, not confirmed
                await self.app.bot.get_updates(offset=self.offset, timeout=0, limit=1)
            except Exception:
                log.warning("could not confirm the last updates; they'll be skipped as seen")

    async def _run(self) -> None:
        delay = 1.0
        while not self._stopping:
            self._finished.clear()
            try:
                batch = await self._fetch(wait=not self._pending)
                delay = 1.0
            except RetryAfter as exc:
                await self._pause(retry_after_seconds(exc))
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
            taken = 0
            for raw in batch:
                known = self._by_id.get(raw["update_id"])
                if known is not None and known.raw == raw:  # unconfirmed, so given again
                    continue
                key = update_key(self.app.bot.id, raw)
                if key in self._pending:
                    continue
                await self._slots.acquire()
                if self._stopping:
                    self._slots.release()
                    return
                self._hand_out(key, raw)
                taken += 1
            if not taken and self._pending:
                # Only updates already in hand came back (the unfinished ones hold the
                # offset down): look again once one finishes, or shortly for new ones.
                try:
                    await asyncio.wait_for(self._finished.wait(), timeout=NEW_UPDATES_LOOK)
                except TimeoutError:
                    pass

    def _hand_out(self, key: str, raw: dict[str, Any]) -> None:
        """Start the update's task, after its member's previous update (a slot is held)."""
        entry = _Pending(raw["update_id"], raw)
        self._pending[key] = entry
        self._by_id[entry.update_id] = entry
        self._start(key, raw, entry)

    def _start(self, key: str, raw: dict[str, Any], entry: _Pending) -> asyncio.Task[bool]:
        member = member_of(raw)
        before = self._last.get(member) if member is not None else None
        task = asyncio.create_task(
            self._one(key, raw, before, entry), name=f"update-{raw['update_id']}"
        )
        entry.task = task
        if member is not None:
            self._last[member] = task
            task.add_done_callback(lambda t: self._forget(member, t))
        return task

    async def receive(self, raw: dict[str, Any]) -> bool:
        """One update pushed to us (a webhook request), through the same path as a polled
        one — after its member's previous update, within `concurrency`, recorded once —
        returning only when it is done: True once processed (or skipped for good), so that
        the webhook answers Telegram 200 only then; False if the bot stops first (the
        webhook then fails the request and Telegram delivers the update again)."""
        if self._stopping:
            return False
        key = update_key(self.app.bot.id, raw)
        await self._slots.acquire()
        if self._stopping:
            self._slots.release()
            return False
        task = self._start(key, raw, _Pending(raw["update_id"], raw))
        self._received.add(task)
        task.add_done_callback(self._received.discard)
        return await asyncio.shield(task)

    async def stop_receiving(self) -> None:
        """Refuse new pushed updates and finish those in progress (webhook mode's stop)."""
        self._stopping = True
        self._wake.set()
        if self._received:  # never cancel in the middle of an update
            await asyncio.gather(*self._received, return_exceptions=True)

    def _forget(self, member: int, task: asyncio.Task[bool]) -> None:
        if self._last.get(member) is task:
            del self._last[member]

    async def _one(
        self,
        key: str,
        raw: dict[str, Any],
        before: asyncio.Task[bool] | None,
        entry: _Pending,
    ) -> bool:
        try:
            if before is not None:
                try:
                    finished = await asyncio.shield(before)
                except BaseException:
                    finished = False
                if not finished:  # the member's previous update stays behind: so does this
                    return False
            done = await self._take(raw, key)
            entry.done = done
            return done
        except Exception:  # _take logs its own failures; this is a bug in the intake
            log.exception("update %s could not be processed; skipped", raw.get("update_id"))
            entry.done = True  # never stuck: left behind, as any failed update
            return True
        finally:
            self._slots.release()
            self._advance()
            self._finished.set()

    def _advance(self) -> None:
        """Confirm (at the next getUpdates) every update up to the first unfinished one."""
        while self._pending:
            key, first = next(iter(self._pending.items()))
            if not first.done:
                return
            del self._pending[key]
            if self._by_id.get(first.update_id) is first:
                del self._by_id[first.update_id]
            self.offset = first.update_id + 1

    async def _fetch(self, wait: bool = True) -> list[dict[str, Any]]:
        """The pending updates as Telegram sent them (JSON objects, each parsed later);
        without `wait`, what is there now (updates are in hand, their successors wanted)."""
        params: dict[str, Any] = {
            "timeout": self.timeout if wait else 0,
            "allowed_updates": Update.ALL_TYPES,
        }
        if self.offset is not None:
            params["offset"] = self.offset
        result = await self.app.bot.do_api_request("getUpdates", api_kwargs=params)
        if not isinstance(result, list) or not all(
            isinstance(u, dict) and isinstance(u.get("update_id"), int) for u in result
        ):
            raise TypeError(f"getUpdates answered {type(result).__name__}, not updates")
        return result

    async def _take(self, raw: dict[str, Any], key: str) -> bool:
        """Handle one update until it is done; False if the intake stops first (the update
        stays unconfirmed and comes again)."""
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
            except TransactionConflict:
                # Another worker changed what this update read (PostgreSQL): nothing of it
                # remains; again at once, after a moment's jitter so the two don't collide again.
                await self._pause(random.uniform(0.005, 0.05))
                continue
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
        user = update.effective_user
        telegram_id = user.id if user is not None else None
        # One read: redelivered?, and the sender as `identify` needs them (`updates.arrive`).
        arrival = await self.core.updates.arrive(key, telegram_id)
        if arrival.seen:
            log.info("update %s was already handled (redelivered): skipped", update.update_id)
            self.skipped += 1
            return
        with (
            once.processing(key, update.update_id, self.core.now()) as scope,
            arrived(telegram_id or 0, arrival),
        ):
            await self.app.process_update(update)
        if scope.failure is not None:  # a handler met the database unavailable: again
            raise scope.failure
        if not scope.recorded:  # it changed nothing, or nothing that was not idempotent
            # Its answers are sent already: wait for the database rather than redo it.
            await until_recorded(
                lambda: self.core.updates.done(key, update.update_id),
                stopping=lambda: self._stopping,
                pause=self._pause,
                log=log,
                waiting=f"update {update.update_id}",
            )
        self.processed += 1
        if self.processed % PRUNE_EVERY == 0:
            try:
                await self.core.updates.prune()
            except StorageUnavailable as exc:
                log.warning("old update records not pruned this time: %s", exc)

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

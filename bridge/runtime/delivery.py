"""The delivery worker: drains the outbox into Telegram, a window of sends at a time.

Pipelined, ordered per member: up to `window` (K) sends are in flight at once, since each
mostly waits on Telegram's round trip, but at most one per member, so each member's
notifications arrive strictly in order (an outbox claim never offers a member's later
notification while an earlier one is pending, and a member with a send in flight is not
given another). The Bot API has no idempotency key, so a crash between Telegram accepting a
send and our commit repeats that send: at most K duplicates per crash, since at most K sends
are in flight. K stays small for that reason.

Several workers (processes) drain one outbox: each claims what it can start now (at most its
free window), each member's next notification only, for a lease (`Outbox.claim`). A worker
that dies leaves its claims to end with their leases; then any worker takes them (and sends
again at most the K that were in flight). Telegram's answers are handled as documented:
429 waits `retry_after`, 5xx/network errors back off, 403 holds the member's notifications
until they return, 400 is a permanent failure kept for the admins.
"""

from __future__ import annotations

import asyncio
import logging
import random
from datetime import timedelta

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bridge.core.app import Core
from bridge.core.models import Notification
from bridge.core.notify import PlanAction
from bridge.core.outbox import Completion
from bridge.runtime.application import ChatBusy, ChatLocks
from bridge.runtime.completions import Completions
from bridge.runtime.notifications import Notifier, Skip
from bridge.runtime.rate_limits import TelegramLimits
from bridge.runtime.waiting import MAX_STORAGE_PAUSE, retry_after_seconds, until_recorded
from bridge.storage.port import StorageUnavailable, TransactionConflict

log = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(minutes=10)
# How long to wait for a chat whose member's update is being handled (usually a few ms; a
# reply retrying a 429 can take seconds): then that one notification waits, the rest go on.
CHAT_BUSY = timedelta(seconds=1)
# How long a claim holds when its worker dies: well past a send's longest round trip
# (PTB's timeouts, a chat busy for a second), so a live worker's send never goes twice.
DELIVERY_LEASE = timedelta(seconds=60)
# A send whose planning or bookkeeping met another worker's crossing change (PostgreSQL's
# serialization failure) is planned again at once, this many times, before the worker waits.
CONFLICT_TRIES = 5


class DeliveryWorker:
    def __init__(
        self,
        core: Core,
        notifier: Notifier,
        locks: ChatLocks | None = None,
        window: int = 12,
        pacing: TelegramLimits | None = None,
        name: str = "bridge",
        lease: timedelta = DELIVERY_LEASE,
    ) -> None:
        self.window = max(1, window)
        self.name, self.lease = name, lease  # whose claims, and for how long
        self.core, self.notifier = core, notifier
        self._slots = asyncio.Semaphore(self.window)
        self._sending: dict[int, asyncio.Task[None]] = {}  # member id → their send in flight
        self._sending_ids: dict[int, int] = {}  # member id → that notification's id
        self._unreleased: set[int] = set()  # claims to give back (the database refused)
        self._trouble: StorageUnavailable | None = None  # met by a send: the worker waits
        # Shared with the Application: a notification is planned and sent while no update
        # of its recipient is being handled (see application.py).
        self.locks = locks if locks is not None else ChatLocks()
        # Sends finishing together are recorded by one commit (group commit).
        # A send's commit also claims its member's next notification (see `_send_task`).
        self.completions = Completions(
            lambda done: core.outbox.complete_many(done, self.name, self.lease)
        )
        self._chats: dict[int, int] = {}  # member id → Telegram chat id (never changes)
        # Telegram's ~1 message/s per chat: a claimed notification whose chat is not ready
        # yet waits here (still claimed), not in a slot of the window (`rate_limits.py`).
        self.pacing = pacing
        self._parked: dict[int, Notification] = {}  # member id → their claimed next one
        self._next_ready: float | None = None  # seconds until a parked one's chat is ready
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._stopping = False
        self._stop = asyncio.Event()
        self.idle = asyncio.Event()

    def poke(self) -> None:
        """Something was committed to the outbox: look now rather than at the next tick."""
        self._wake.set()

    def start(self) -> None:
        self._stopping = False
        self._stop.clear()
        self._task = asyncio.create_task(self._run(), name="delivery-worker")

    async def stop(self) -> None:
        """Finish the sends in flight, then stop (the rest stays in the outbox)."""
        self._stopping = True
        self._wake.set()
        self._stop.set()
        if self._task is not None:
            await self._task
            self._task = None
        await self._drain()
        try:  # what was claimed and not started is anyone's again now
            await self.core.outbox.release_worker(self.name)
        except StorageUnavailable as exc:
            log.warning("claims not given back (their leases will end): %s", exc)

    async def _drain(self) -> None:
        """Until every send in flight is done (recorded, or left to go again)."""
        while self._sending:
            await asyncio.gather(*self._sending.values(), return_exceptions=True)

    async def _dispatch(self, claimed: list[Notification]) -> int:
        """Start a send for each claimed notification, within the window; how many were
        started. One not started (stopping, the database in trouble) is given back at once:
        it would otherwise stay claimed until its lease ends. One whose member's previous
        send is still finishing here (recorded, its task not yet done) waits, claimed, as
        one whose chat is not ready does: started when that send ends, rather than given
        back and claimed again (two more commits)."""
        started = 0
        for notification in claimed:
            member = notification.member_id
            in_flight = self._sending_ids.get(member)
            if in_flight == notification.id:  # its lease ended while we still send it
                continue
            if self._held_back(notification, busy=in_flight is not None):
                continue
            await self._slots.acquire()
            self.idle.clear()
            task = asyncio.create_task(self._send_task(notification), name=f"send-{member}")
            self._sending[member] = task
            self._sending_ids[member] = notification.id
            started += 1
        await self._give_back()
        return started

    def _held_back(self, n: Notification, busy: bool = False) -> bool:
        """Whether a claimed notification waits instead of starting now: given back
        (stopping, the database in trouble), or parked, still claimed, until its member's
        previous send here has ended (`busy`) and their chat is ready."""
        if self._stopping or self._trouble is not None:
            self._unreleased.add(n.id)
            return True
        if busy or self._not_ready_for(n.member_id) > 0:
            self._parked[n.member_id] = n
            return True
        return False

    def _unpark(self) -> list[Notification]:
        """The parked notifications that may start now: their member's previous send has
        ended and their chat is ready."""
        ready = [
            n
            for m, n in self._parked.items()
            if m not in self._sending and self._not_ready_for(m) <= 0
        ]
        for n in ready:
            del self._parked[n.member_id]
        return ready

    def _not_ready_for(self, member: int) -> float:
        """Seconds before the member's chat may be sent to (0 when no pacing or unknown)."""
        chat = self._chats.get(member)
        if self.pacing is None or chat is None:
            return 0.0
        return self.pacing.ready_in(chat)

    async def _give_back(self) -> None:
        """Give back the claims this worker holds but will not send now; those the database
        refuses (unavailable) are tried again at the next round, before anything else."""
        if not self._unreleased:
            return
        given = sorted(self._unreleased)
        await self.core.outbox.release(given, self.name)  # one UPDATE … WHERE id IN (…)
        self._unreleased.difference_update(given)

    async def _send_task(self, first: Notification) -> None:
        """Send a member's notification and, while the commit recording each send also
        claimed their next one, go on with it in the same slot of the window: a member's
        notifications follow each other one round trip apart, with no claim between."""
        n: Notification | None = first
        try:
            while n is not None:
                following = None
                for attempt in range(CONFLICT_TRIES):
                    try:
                        following = await self.send_one(n)
                        break
                    except TransactionConflict:  # another worker's crossing change: again
                        if attempt == CONFLICT_TRIES - 1:
                            raise
                        await asyncio.sleep(random.uniform(0.005, 0.05))
                n = self._go_on_with(following)
        except StorageUnavailable as exc:  # not this notification's fault: the worker waits
            self._trouble = exc
            # Due again for anyone as soon as the database is back, not once the lease ends.
            if n is not None:
                self._unreleased.add(n.id)
        except Exception:  # never let the worker die: what is owed stays in the outbox
            log.exception("delivery of notification %s failed", n.id if n else first.id)
        finally:
            self._sending.pop(first.member_id, None)  # every one sent here was this member's
            self._sending_ids.pop(first.member_id, None)
            self._slots.release()
            self._wake.set()  # a member is free again: their next one may be due

    def _go_on_with(self, following: Notification | None) -> Notification | None:
        """The member's next notification, claimed with the last send's completion, if this
        task sends it now; otherwise it is parked until the chat may be sent to again (pacing),
        or given back (stopping, the database in trouble)."""
        if following is None or self._held_back(following):
            return None
        self._sending_ids[following.member_id] = following.id
        return following

    async def _run(self) -> None:
        pause = 1.0  # grows while the database is unavailable
        while not self._stopping:
            try:
                self._wake.clear()
                await self._give_back()
                ready = self._unpark()
                free = self.window - len(self._sending) - len(ready)
                claimed = (
                    await self.core.outbox.claim(self.name, free, self.lease) if free > 0 else []
                )
                started = await self._dispatch(ready + claimed)
                # (A member's send ending wakes the loop: only paced chats set a time.)
                self._next_ready = min(
                    (self._not_ready_for(m) for m in self._parked if m not in self._sending),
                    default=None,
                )
                if self._trouble is not None:
                    trouble, self._trouble = self._trouble, None
                    await self._drain()
                    raise trouble
            except StorageUnavailable as exc:  # locked by another process, disk full
                log.warning("delivery waits: %s; trying again in %.0fs", exc, pause)
                await self._pause(pause)
                pause = min(pause * 2, MAX_STORAGE_PAUSE)
                continue
            except Exception:  # never let the worker die: what is owed stays in the outbox
                log.exception("delivery failed; trying again in %.0fs", pause)
                await self._pause(pause)
                pause = min(pause * 2, MAX_STORAGE_PAUSE)
                continue
            pause = 1.0
            if not started:
                if not self._sending and not self._parked:
                    self.idle.set()
                look = 1.0 if self._next_ready is None else min(1.0, self._next_ready)
                try:
                    await asyncio.wait_for(self._wake.wait(), timeout=look)
                except TimeoutError:
                    pass

    async def _pause(self, seconds: float) -> None:
        """Wait `seconds` (pokes don't shorten it; stopping does)."""
        try:
            await asyncio.wait_for(self._stop.wait(), timeout=seconds)
        except TimeoutError:
            pass

    async def _chat_of(self, member_id: int) -> int | None:
        chat = self._chats.get(member_id)
        if chat is None:
            member = await self.core.members.get(member_id)
            chat = self._chats[member_id] = member.telegram_id
            if len(self._chats) > 100_000:
                self._chats.clear()
        return chat

    async def send_one(self, n: Notification) -> Notification | None:
        """Send `n` and record it; the member's next notification when its record claimed
        one for this worker."""
        try:
            chat = await self._chat_of(n.member_id)
        except StorageUnavailable:
            raise
        except Exception:
            log.exception("notification %s: recipient %s not found", n.id, n.member_id)
            chat = None
        try:
            async with self.locks.hold(chat, timeout=CHAT_BUSY.total_seconds()):
                return await self._send_one(n)
        except ChatBusy:
            await self.core.outbox.retry_later(n.id, CHAT_BUSY, "chat busy")
            return None

    async def _send_one(self, n: Notification) -> Notification | None:
        outbox = self.core.outbox
        try:
            plan = await outbox.plan(n)
            if plan.action == PlanAction.WAIT:  # due again once their earlier one has gone
                await outbox.release([n.id], self.name)
                return None
            if plan.action == PlanAction.SKIP:
                await outbox.skip(n.id, plan.reason)
                return None
            if plan.action == PlanAction.HOLD:
                await outbox.member_unreachable(n.member_id)
                return None
            if plan.action == PlanAction.LATER and plan.until is not None:
                await outbox.hold_for_quiet_hours(n.id, plan.until)
                return None
            sent = await self.notifier.deliver(n, silent=plan.silent, prepared=plan.delivery)
        except Skip as skip:
            await outbox.skip(n.id, str(skip))
        except RetryAfter as exc:
            await outbox.retry_later(
                n.id, timedelta(seconds=retry_after_seconds(exc)), "429 retry_after"
            )
        except Forbidden as exc:
            log.info("member %s blocked the bot: holding their notifications", n.member_id)
            await outbox.member_unreachable(n.member_id)
            await outbox.retry_later(n.id, timedelta(0), f"403 {exc.message}")
        except BadRequest as exc:
            log.warning("notification %s refused by Telegram: %s", n.id, exc.message)
            await outbox.fail(n.id, f"400 {exc.message}")
        except (TimedOut, NetworkError) as exc:
            backoff = min(timedelta(seconds=2 ** min(n.attempts, 10)), MAX_BACKOFF)
            await outbox.retry_later(n.id, backoff, f"network {exc}")
        except StorageUnavailable:
            raise  # not the notification's fault: the worker waits and tries it again
        except Exception as exc:  # a bug in rendering must not stop delivery for everyone
            log.exception("notification %s could not be rendered", n.id)
            await outbox.fail(n.id, f"error {type(exc).__name__}: {exc}")
        else:
            done = Completion(
                n.id,
                sent.copies,
                silent=plan.silent,
                removed=sent.removed,
                member_id=n.member_id,
                pace=timedelta(seconds=self._not_ready_for(n.member_id)),
            )
            return await until_recorded(
                lambda: self.completions.record(done),
                stopping=lambda: self._stopping,
                pause=self._pause,
                log=log,
                waiting=f"sent notification {n.id}",
            )
        return None

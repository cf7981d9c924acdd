"""What the network owes each member in their chat: the outbox, written in the same
transaction as the change that caused it, drained by the front end's delivery worker.

The core decides *that* a member must be told; the front end decides *how* (rendering,
Telegram). Nothing here knows Telegram beyond the `ChatCopy` map the worker records.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bridge.core.deps import CoreDeps
from bridge.core.members import existing_member, require_admin
from bridge.core.models import (
    ChatCopy,
    Member,
    Notification,
    NotificationKind,
    NotificationStatus,
)
from bridge.storage.port import UnitOfWork

if TYPE_CHECKING:
    from bridge.core.notify import Plan


async def notify(
    tx: UnitOfWork, member_id: int, kind: NotificationKind, ref_id: int | None, now: datetime,
    payload: dict | None = None, sender_id: int | None = None,
) -> int:
    """Owe `member_id` a notification; call inside the transaction that made the change."""
    return await tx.outbox.add(member_id, kind, ref_id, payload or {}, now,
                               sender_id=sender_id)


class Outbox:
    def __init__(self, deps: CoreDeps) -> None:
        self._d = deps

    async def due(self, limit: int = 50) -> list[Notification]:
        async with self._d.store.transaction() as tx:
            return await tx.outbox.due(self._d.clock.now(), limit)

    async def complete(self, notification_id: int, copies: list[ChatCopy],
                       silent: bool = False) -> None:
        """Mark sent and remember where the copies landed, in one transaction."""
        async with self._d.store.transaction() as tx:
            for copy in copies:
                await tx.copies.add(copy)
            await tx.outbox.set_status(notification_id, NotificationStatus.SENT,
                                       self._d.clock.now(), silent=silent)

    async def plan(self, n: Notification) -> Plan:
        """How to deliver a notification now, by the recipient's settings: push it, push it
        silently (a burst from one sender rings once), hold it for quiet hours, leave it
        in the inbox (digest or muted mode), or hold it while the member can't be reached
        (they blocked the bot; a seeded demo member has no chat at all)."""
        from bridge.core.notify import PUSHED_BY_MODE, NotifyMode, Plan, PlanAction, quiet_until

        now = self._d.clock.now()
        async with self._d.store.transaction() as tx:
            member = await existing_member(tx, n.member_id)
            if n.kind in PUSHED_BY_MODE and member.notify_mode != NotifyMode.INSTANT:
                return Plan(action=PlanAction.SKIP, reason=f"mode {member.notify_mode}")
            if not member.reachable:  # kept until they come back; never tried in vain
                return Plan(action=PlanAction.HOLD, reason="unreachable")
            if n.kind == NotificationKind.MESSAGE or n.kind == NotificationKind.INVITATION:
                resume = quiet_until(member, now)
                if resume is not None:
                    return Plan(action=PlanAction.LATER, until=resume)
            silent = False
            if n.kind == NotificationKind.MESSAGE and n.sender_id is not None:
                silent = await tx.outbox.recent_push(n.member_id, n.sender_id,
                                                     now - self._d.rules.burst_window)
            if n.kind in (NotificationKind.EDIT, NotificationKind.REACTION):
                silent = True
        return Plan(action=PlanAction.SEND, silent=silent)

    async def skip(self, notification_id: int, reason: str) -> None:
        async with self._d.store.transaction() as tx:
            await tx.outbox.set_status(notification_id, NotificationStatus.SKIPPED,
                                       self._d.clock.now(), reason)

    async def retry_later(self, notification_id: int, delay: timedelta, error: str) -> None:
        async with self._d.store.transaction() as tx:
            await tx.outbox.reschedule(notification_id, self._d.clock.now() + delay, error)

    async def fail(self, notification_id: int, error: str) -> None:
        async with self._d.store.transaction() as tx:
            await tx.outbox.set_status(notification_id, NotificationStatus.FAILED,
                                       self._d.clock.now(), error)

    async def member_unreachable(self, member_id: int) -> int:
        """The member blocked the bot: keep what they are owed until they come back."""
        async with self._d.store.transaction() as tx:
            member = await tx.members.get(member_id)
            if member is not None and member.reachable:
                member.reachable = False
                await tx.members.save(member)
            return await tx.outbox.hold_member(member_id)

    async def member_back(self, member_id: int) -> int:
        """The member is back (/start): resume what was held."""
        async with self._d.store.transaction() as tx:
            member = await tx.members.get(member_id)
            if member is not None and not member.reachable:
                member.reachable = True
                await tx.members.save(member)
            return await tx.outbox.release_member(member_id, self._d.clock.now())

    async def failures(self, admin: Member, limit: int = 20) -> list[Notification]:
        require_admin(self._d, admin)
        async with self._d.store.transaction() as tx:
            return await tx.outbox.by_status(NotificationStatus.FAILED, limit)

    async def counts(self) -> dict[str, int]:
        async with self._d.store.transaction() as tx:
            return await tx.outbox.counts()

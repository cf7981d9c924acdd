"""What the network owes each member in their chat: the outbox, written in the same
transaction as the change that caused it, drained by the front end's delivery worker.

The core decides *that* a member must be told; the front end decides *how* (rendering,
Telegram). Nothing here knows Telegram beyond the `ChatCopy` map the worker records.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bridge.core.deps import CoreDeps
from bridge.core.members import require_admin
from bridge.core.models import (
    ChatCopy,
    Member,
    Notification,
    NotificationKind,
    NotificationStatus,
)
from bridge.storage.port import UnitOfWork


async def notify(
    tx: UnitOfWork, member_id: int, kind: NotificationKind, ref_id: int | None, now: datetime,
    payload: dict | None = None,
) -> int:
    """Owe `member_id` a notification; call inside the transaction that made the change."""
    return await tx.outbox.add(member_id, kind, ref_id, payload or {}, now)


class Outbox:
    def __init__(self, deps: CoreDeps) -> None:
        self._d = deps

    async def due(self, limit: int = 50) -> list[Notification]:
        async with self._d.store.transaction() as tx:
            return await tx.outbox.due(self._d.clock.now(), limit)

    async def complete(self, notification_id: int, copies: list[ChatCopy]) -> None:
        """Mark sent and remember where the copies landed, in one transaction."""
        async with self._d.store.transaction() as tx:
            for copy in copies:
                await tx.copies.add(copy)
            await tx.outbox.set_status(notification_id, NotificationStatus.SENT,
                                       self._d.clock.now())

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

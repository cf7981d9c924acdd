"""What the network owes each member in their chat: the outbox, written in the same
transaction as the change that caused it, drained by the front end's delivery worker.

The core decides *that* a member must be told; the front end decides *how* (rendering,
Telegram). Nothing here knows Telegram beyond the `ChatCopy` map the worker records.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from bridge.core.deps import CoreDeps
from bridge.core.members import existing_member, require_admin
from bridge.core.models import (
    ChatCopy,
    InvitationStatus,
    Member,
    Notification,
    NotificationKind,
    NotificationStatus,
)
from bridge.storage.port import UnitOfWork

if TYPE_CHECKING:
    from bridge.core.notify import Plan

# The mark of a row waiting for the end of the member's quiet hours (`last_error`): such a
# row is re-planned as soon as the member changes their settings or shows up.
QUIET_HOURS = "quiet hours"

# What never rings, so quiet hours need not hold it: edits and reactions are applied silently.
SILENT_KINDS = frozenset({NotificationKind.EDIT, NotificationKind.REACTION})


async def replan_member(tx: UnitOfWork, member_id: int, now: datetime) -> int:
    """Make what the member's settings or absence held due now, for the worker to plan
    again with what is true now (settings just changed, or the member is back). Rows
    waiting for Telegram (429, 5xx back-off) keep their time."""
    return await tx.outbox.replan_member(member_id, now, QUIET_HOURS)


async def notify(
    tx: UnitOfWork, member_id: int, kind: NotificationKind, ref_id: int | None, now: datetime,
    payload: dict[str, Any] | None = None, sender_id: int | None = None,
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
                       silent: bool = False, removed: Sequence[ChatCopy] = ()) -> None:
        """Mark sent and remember where the copies landed (and which ones are gone: the
        surplus parts of a message edited shorter), in one transaction."""
        async with self._d.store.transaction() as tx:
            for copy in removed:
                await tx.copies.remove(copy.chat_id, copy.telegram_message_id)
            for copy in copies:
                await tx.copies.add(copy)
            await tx.outbox.set_status(notification_id, NotificationStatus.SENT,
                                       self._d.clock.now(), silent=silent)

    async def plan(self, n: Notification) -> Plan:
        """How to deliver a notification now, by what is true now and the recipient's
        settings: skip what is no longer true (an invitation answered meanwhile), push it,
        push it silently (a burst from one sender rings once), hold whatever would ring
        for quiet hours, leave it in the inbox (digest or muted mode), or hold it while the
        member can't be reached (they blocked the bot; a seeded demo member has no chat)."""
        from bridge.core.notify import PUSHED_BY_MODE, NotifyMode, Plan, PlanAction, quiet_until

        now = self._d.clock.now()
        async with self._d.store.transaction() as tx:
            member = await existing_member(tx, n.member_id)
            if await tx.outbox.earlier_waiting(n.member_id, n.id, now):
                return Plan(action=PlanAction.WAIT)
            stale = await _no_longer_true(tx, n)
            if stale:
                return Plan(action=PlanAction.SKIP, reason=stale)
            if n.kind in PUSHED_BY_MODE and member.notify_mode != NotifyMode.INSTANT:
                return Plan(action=PlanAction.SKIP, reason=f"mode {member.notify_mode}")
            if not member.reachable:  # kept until they come back; never tried in vain
                return Plan(action=PlanAction.HOLD, reason="unreachable")
            if n.kind not in SILENT_KINDS:
                resume = quiet_until(member, now)
                if resume is not None:
                    return Plan(action=PlanAction.LATER, until=resume)
            silent = False
            if n.kind == NotificationKind.MESSAGE and n.sender_id is not None:
                silent = await tx.outbox.recent_push(n.member_id, n.sender_id,
                                                     now - self._d.rules.burst_window)
            if n.kind in SILENT_KINDS:
                silent = True
        return Plan(action=PlanAction.SEND, silent=silent)

    async def hold_for_quiet_hours(self, notification_id: int, until: datetime) -> None:
        async with self._d.store.transaction() as tx:
            await tx.outbox.reschedule(notification_id, until, QUIET_HOURS)

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
        """The member is back (/start, unblocked): they are reachable, and what was held
        for them is planned again now."""
        async with self._d.store.transaction() as tx:
            member = await tx.members.get(member_id)
            if member is not None and not member.reachable:
                member.reachable = True
                await tx.members.save(member)
            return await replan_member(tx, member_id, self._d.clock.now())

    async def member_active(self, member: Member) -> int:
        """Any update from the member is a sign of life: a member we thought unreachable
        is back (Telegram does not always say so), and anything held for them is planned
        again. Cheap when there is nothing to do: one indexed read, no write."""
        now = self._d.clock.now()
        if member.reachable:
            async with self._d.store.read() as tx:
                if not await tx.outbox.waiting(member.id, now, QUIET_HOURS):
                    return 0
        return await self.member_back(member.id)

    async def failures(self, admin: Member, limit: int = 20) -> list[Notification]:
        require_admin(self._d, admin)
        async with self._d.store.transaction() as tx:
            return await tx.outbox.by_status(NotificationStatus.FAILED, limit)

    async def counts(self) -> dict[str, int]:
        async with self._d.store.transaction() as tx:
            return await tx.outbox.counts()


async def _no_longer_true(tx: UnitOfWork, n: Notification) -> str | None:
    """Why a notification would tell something that is no longer so, if it would: checked
    when it is delivered, not when it was owed (both members invited each other at once,
    the connection was removed meanwhile...)."""
    if n.kind in (NotificationKind.INVITATION, NotificationKind.ACCEPTED):
        invitation = await tx.invitations.get(n.ref_id) if n.ref_id is not None else None
        if invitation is None:
            return "invitation gone"
        if n.kind == NotificationKind.INVITATION:
            if invitation.status != InvitationStatus.PENDING:
                return f"invitation {invitation.status.value}"
        elif not await tx.connections.exists(invitation.sender_id, invitation.recipient_id):
            return "no longer connected"
    return None

"""What the network owes each member in their chat: the outbox, written in the same
transaction as the change that caused it, drained by the front end's delivery worker.

The core decides *that* a member must be told; the front end decides *how* (rendering,
Telegram). Nothing here knows Telegram beyond the `ChatCopy` map the worker records.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bridge.core import errors
from bridge.core.deps import CoreDeps
from bridge.core.members import existing_member, require_admin
from bridge.core.messaging import delivery_of
from bridge.core.models import (
    ChatCopy,
    Conversation,
    ConversationState,
    IntroductionStatus,
    InvitationStatus,
    Member,
    Message,
    Notification,
    NotificationKind,
    NotificationStatus,
    nothing_to_digest,
)
from bridge.core.notify import PUSHED_BY_MODE, NotifyMode, Plan, PlanAction, quiet_until
from bridge.core.owed import QUIET_HOURS, notify, replan_member
from bridge.storage.port import UnitOfWork

__all__ = ["QUIET_HOURS", "SILENT_KINDS", "Outbox", "notify", "replan_member"]

# What never rings, so quiet hours need not hold it: edits and reactions are applied silently.
SILENT_KINDS = frozenset({NotificationKind.EDIT, NotificationKind.REACTION})


@dataclass(frozen=True)
class Completion:
    """A send Telegram accepted, to be recorded: the row, where its copies landed (and
    which ones are gone), whether it was sent silently."""

    notification_id: int
    copies: Sequence[ChatCopy]
    silent: bool = False
    removed: Sequence[ChatCopy] = ()
    member_id: int | None = None  # the recipient: whose next notification may follow
    # How long the recipient's chat must wait before its next send (Telegram's per-chat
    # limit): their next notification is due only then, so others' go first meanwhile.
    pace: timedelta = timedelta(0)


class Outbox:
    def __init__(self, deps: CoreDeps) -> None:
        self._d = deps

    async def due(self, limit: int = 50) -> list[Notification]:
        async with self._d.store.read() as tx:
            return await tx.outbox.due(self._d.clock.now(), limit)

    async def claim(self, worker: str, limit: int, lease: timedelta) -> list[Notification]:
        """Due notifications for `worker` to send now, each the next of its member's (any
        number of delivery workers drain the outbox together; one member's still go in
        order). Claimed for `lease`: if the worker dies, another takes them after it."""
        now = self._d.clock.now()
        async with self._d.store.claiming() as tx:
            return await tx.outbox.claim(worker, now, now + lease, limit)

    async def release(self, notification_ids: Sequence[int], worker: str) -> None:
        """`worker` gives back claims it will not send now: one statement for them all."""
        if not notification_ids:
            return
        async with self._d.store.claiming() as tx:
            await tx.outbox.release(notification_ids, worker)

    async def release_worker(self, worker: str) -> int:
        """A worker (re)starting gives back what it held in its previous life at once,
        rather than leaving it to wait for its leases to end."""
        async with self._d.store.claiming() as tx:
            return await tx.outbox.release_worker(worker)

    async def complete(
        self,
        notification_id: int,
        copies: list[ChatCopy],
        silent: bool = False,
        removed: Sequence[ChatCopy] = (),
    ) -> None:
        """Mark sent and remember where the copies landed (and which ones are gone: the
        surplus parts of a message edited shorter), in one transaction."""
        await self.complete_many([Completion(notification_id, copies, silent, removed)])

    async def complete_many(
        self,
        done: Sequence[Completion],
        worker: str | None = None,
        lease: timedelta = timedelta(0),
    ) -> list[Notification]:
        """`complete` for several sends at once: one transaction (one commit to disk) and
        one statement marking the rows, however many sends finished together.

        With `worker`, the same transaction claims for it, for `lease`, the next due
        notification of each recipient whose send completed (and returns them): the worker
        goes straight on with that member, rather than a claim of its own — and its commit —
        between any two of one member's sends. A recipient whose chat must wait (`pace`)
        has their next one made due only then instead: the members waiting longest go
        first, each chat at Telegram's pace (not one chat's whole backlog, then the next).
        Claiming and completing are single statements on rows by id, so the whole runs as
        a claim (`Store.claiming`)."""
        if not done:
            return []
        members = sorted({c.member_id for c in done if c.member_id is not None and not c.pace})
        begin = self._d.store.claiming if worker is not None else self._d.store.transaction
        async with begin() as tx:
            for completion in done:
                for copy in completion.removed:
                    await tx.copies.remove(copy.chat_id, copy.telegram_message_id)
                for copy in completion.copies:
                    await tx.copies.add(copy)
            now = self._d.clock.now()
            for silent in (False, True):
                ids = [c.notification_id for c in done if c.silent == silent]
                if ids:
                    await tx.outbox.mark_sent(ids, now, silent)
            for completion in done:
                if completion.member_id is not None and completion.pace:
                    await tx.outbox.postpone_head(completion.member_id, now + completion.pace)
            if worker is None or not members:
                return []
            return await tx.outbox.claim(worker, now, now + lease, len(members), members)

    async def plan(self, n: Notification) -> Plan:
        """How to deliver a notification now, by what is true now and the recipient's
        settings: skip what is no longer true (an invitation answered meanwhile), push it,
        push it silently (a burst from one sender rings once), hold whatever would ring
        for quiet hours, leave it in the inbox (digest or muted mode), or hold it while the
        member can't be reached (they blocked the bot; a seeded demo member has no chat).

        Every reason not to deliver is decided here: the renderer only renders and sends.
        It only reads: a consistent snapshot, not a write transaction (on PostgreSQL it
        neither waits for this worker's writes nor conflicts with another worker's)."""
        now = self._d.clock.now()
        if n.kind == NotificationKind.MESSAGE:
            return await self._plan_message(n, now)
        async with self._d.store.read() as tx:  # reads only: no transaction to commit
            member = await existing_member(tx, n.member_id)
            if await tx.outbox.earlier_waiting(n.member_id, n.id, now):
                return Plan(action=PlanAction.WAIT)
            if member.left_at is not None:  # /delete_account: nothing reaches them now
                return Plan(action=PlanAction.SKIP, reason="member left")
            stale = await _no_longer_true(tx, n)
            if stale:
                return Plan(action=PlanAction.SKIP, reason=stale)
        return _by_settings(n, member, now) or Plan(
            action=PlanAction.SEND, silent=n.kind in SILENT_KINDS
        )

    async def _plan_message(self, n: Notification, now: datetime) -> Plan:
        """`plan` for a relayed message — the same decisions, in the same order — on one
        read of every row it needs (`OutboxRepo.message_rows`), the preview's in a second;
        its delivery is built from them (a burst from one sender rings once: `silent`)."""
        async with self._d.store.read() as tx:
            rows = await tx.outbox.message_rows(n, now, now - self._d.rules.burst_window)
            member = rows.recipient
            if member is None:
                raise errors.MemberNotFound(handle=str(n.member_id))
            if rows.earlier_waiting:
                return Plan(action=PlanAction.WAIT)
            if member.left_at is not None:
                return Plan(action=PlanAction.SKIP, reason="member left")
            if rows.message is None or rows.conversation is None or rows.state is None:
                return Plan(action=PlanAction.SKIP, reason="message gone")
            stale = shown_or_why_not(rows.message, rows.state)
            if stale:
                return Plan(action=PlanAction.SKIP, reason=stale)
            held = _by_settings(n, member, now)
            if held is not None:
                return held
            delivery = await delivery_of(
                self._d, tx, rows.message, rows.conversation, member, rows.state, rows.sender
            )
        silent = n.sender_id is not None and rows.recent_push
        return Plan(action=PlanAction.SEND, silent=silent, delivery=delivery)

    async def hold_for_quiet_hours(self, notification_id: int, until: datetime) -> None:
        async with self._d.store.transaction() as tx:
            await tx.outbox.reschedule(notification_id, until, QUIET_HOURS)

    async def skip(self, notification_id: int, reason: str) -> None:
        async with self._d.store.transaction() as tx:
            await tx.outbox.set_status(
                notification_id, NotificationStatus.SKIPPED, self._d.clock.now(), reason
            )

    async def retry_later(self, notification_id: int, delay: timedelta, error: str) -> None:
        async with self._d.store.transaction() as tx:
            await tx.outbox.reschedule(notification_id, self._d.clock.now() + delay, error)

    async def fail(self, notification_id: int, error: str) -> None:
        async with self._d.store.transaction() as tx:
            await tx.outbox.set_status(
                notification_id, NotificationStatus.FAILED, self._d.clock.now(), error
            )

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

    async def member_active(self, member: Member, waiting: bool | None = None) -> int:
        """Any update from the member is a sign of life: a member we thought unreachable
        is back (Telegram does not always say so), and anything held for them is planned
        again. Cheap when there is nothing to do: one indexed read, no write — none at all
        when the caller read `waiting` already (the update's arrival, `Updates.arrive`)."""
        if member.reachable:
            if waiting is None:
                async with self._d.store.read() as tx:
                    waiting = await tx.outbox.waiting(member.id, self._d.clock.now(), QUIET_HOURS)
            if not waiting:
                return 0
        return await self.member_back(member.id)

    async def failures(self, admin: Member, limit: int = 20) -> list[Notification]:
        require_admin(self._d, admin)
        async with self._d.store.transaction() as tx:
            return await tx.outbox.by_status(NotificationStatus.FAILED, limit)

    async def counts(self) -> dict[str, int]:
        async with self._d.store.transaction() as tx:
            return await tx.outbox.counts()


def _by_settings(n: Notification, member: Member, now: datetime) -> Plan | None:
    """What the recipient's settings and state make of a notification that is still true:
    left in the inbox (digest or muted mode), held while they can't be reached, held for
    their quiet hours; None: it goes now."""
    if n.kind in PUSHED_BY_MODE and member.notify_mode != NotifyMode.INSTANT:
        return Plan(action=PlanAction.SKIP, reason=f"mode {member.notify_mode}")
    if not member.reachable:  # kept until they come back; never tried in vain
        return Plan(action=PlanAction.HOLD, reason="unreachable")
    if n.kind not in SILENT_KINDS:
        resume = quiet_until(member, now)
        if resume is not None:
            return Plan(action=PlanAction.LATER, until=resume)
    return None


async def _no_longer_true(tx: UnitOfWork, n: Notification) -> str | None:
    """Why a notification would tell something that is no longer so, if it would: checked
    when it is delivered, not when it was owed (both members invited each other at once,
    the connection was removed meanwhile, the recipient reported the sender as spam or
    deleted the conversation, read everything the digest would list...)."""
    if n.kind in (NotificationKind.INVITATION, NotificationKind.ACCEPTED):
        invitation = await tx.invitations.get(n.ref_id) if n.ref_id is not None else None
        if invitation is None:
            return "invitation gone"
        if n.kind == NotificationKind.INVITATION:
            if invitation.status != InvitationStatus.PENDING:
                return f"invitation {invitation.status.value}"
        elif not await tx.connections.exists(invitation.sender_id, invitation.recipient_id):
            return "no longer connected"
    elif n.kind == NotificationKind.EDIT:
        if await _message_of(tx, n) is None or not await _chat_copies(tx, n):
            return "nothing to edit"
    elif n.kind == NotificationKind.REACTION:
        if await _message_not_shown(tx, n, spam_too=False) is not None:
            return "message gone"
        if not await _chat_copies(tx, n, originals=True):
            return "no copy to react on"
    elif n.kind == NotificationKind.REMINDER:
        reminder = await tx.reminders.get(n.ref_id) if n.ref_id is not None else None
        if reminder is None or reminder.member_id != n.member_id:
            return "reminder gone"
    elif n.kind == NotificationKind.INTRODUCTION_ASKED:
        intro = await tx.introductions.get(n.ref_id) if n.ref_id is not None else None
        if intro is None or intro.status != IntroductionStatus.ASKED:
            return "introduction answered"
    elif n.kind == NotificationKind.DIGEST:
        found = (await tx.conversations.unread_pages([n.member_id], 1)).get(n.member_id)
        if found is None or nothing_to_digest(found.summary, found.invitations, found.sales):
            return "nothing unread"
    return None


async def _message_of(tx: UnitOfWork, n: Notification) -> tuple[Message, Conversation] | None:
    """The notification's message and its conversation, if the message exists and the
    recipient is in that conversation."""
    message = await tx.messages.get(n.ref_id) if n.ref_id is not None else None
    if message is None:
        return None
    conversation = await tx.conversations.get(message.conversation_id)
    if conversation is None or n.member_id not in (conversation.member_a, conversation.member_b):
        return None
    return message, conversation


async def _message_not_shown(tx: UnitOfWork, n: Notification, spam_too: bool = True) -> str | None:
    """Why the recipient's chat must not show the message, if it must not: gone, or
    `shown_or_why_not` (a message's own notification reads it all at once: `_plan_message`)."""
    found = await _message_of(tx, n)
    if found is None:
        return "message gone"
    message, conversation = found
    return shown_or_why_not(
        message, await tx.conversations.state(conversation.id, n.member_id), spam_too
    )


def shown_or_why_not(
    message: Message, state: ConversationState, spam_too: bool = True
) -> str | None:
    """Why the recipient's chat must not show a message of a conversation they are in:
    from a member they reported as spam (it waits in the inbox's spam), or in history they
    deleted (None: it is shown)."""
    if spam_too and state.spam:
        return "spam"
    if message.id <= state.cleared_through:
        return "deleted"
    return None


async def _chat_copies(tx: UnitOfWork, n: Notification, originals: bool = False) -> list[ChatCopy]:
    """The message as the recipient's chat shows it: the copies the bot sent (an edit
    changes those), and with `originals` their own message too (a reaction shows on it)."""
    assert n.ref_id is not None
    copies = await tx.copies.of_message(n.ref_id, n.member_id)
    return [c for c in copies if originals or not c.is_original]

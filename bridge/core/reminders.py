"""Follow-up reminders: `/remind @handle 3d [text]` brings the conversation back, unread and
with a notification, if nobody wrote in it by then (a message from either side cancels it).

What is due lives in the database; the JobQueue only asks (`fire_due`), so a restart loses
nothing, and each firing is one transaction with its outbox notification, so nothing fires
twice.
"""

from __future__ import annotations

import re
from datetime import timedelta

from bridge.core import counters, errors
from bridge.core.conversations import contacted_in, participant_conversation
from bridge.core.deps import CoreDeps
from bridge.core.members import existing_member
from bridge.core.models import (
    Degree,
    NotificationKind,
    Reminder,
    ReminderStatus,
    ReminderView,
)
from bridge.core.owed import notify
from bridge.core.views import member_view
from bridge.storage.port import UnitOfWork

MAX_DAYS = 365
TEXT_LIMIT = 200
BATCH = 200  # reminders fired per transaction by one tick
_DELAY = re.compile(r"^(\d{1,4})([hdw])$")
_UNITS = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}


def parse_delay(text: str) -> timedelta:
    """``3d`` → three days; hours (``12h``), days (``3d``) or weeks (``2w``), up to a year."""
    found = _DELAY.match(text.lower())
    if found is None:
        raise errors.InvalidDelay(value=text, max_days=MAX_DAYS)
    delay = int(found.group(1)) * _UNITS[found.group(2)]
    if not timedelta(hours=1) <= delay <= timedelta(days=MAX_DAYS):
        raise errors.InvalidDelay(value=text, max_days=MAX_DAYS)
    return delay


class Reminders:
    def __init__(self, deps: CoreDeps) -> None:
        self._d = deps

    async def _view(self, tx: UnitOfWork, reminder: Reminder) -> ReminderView:
        conversation = await participant_conversation(
            tx, reminder.member_id, reminder.conversation_id
        )
        other = await existing_member(tx, conversation.other(reminder.member_id))
        degree = Degree.from_distance(self._d.graph.distance(reminder.member_id, other.id))
        contacted = await contacted_in(tx, conversation, reminder.member_id)
        return ReminderView(
            reminder=reminder, contact=member_view(other, degree, contacted=contacted)
        )

    async def remind(
        self, actor_id: int, contact_id: int, delay_text: str, text: str = ""
    ) -> ReminderView:
        """Remind the actor of their conversation with the contact after the delay (a new
        reminder on the same conversation replaces the pending one)."""
        if contact_id == actor_id:
            raise errors.CannotTargetSelf()
        return await self._remind(actor_id, delay_text, text, contact_id=contact_id)

    async def remind_in(
        self, actor_id: int, conversation_id: int, delay_text: str, text: str = ""
    ) -> ReminderView:
        """The same from a conversation card's ⏰ button (its id only a claim: checked)."""
        return await self._remind(actor_id, delay_text, text, conversation_id=conversation_id)

    async def _remind(
        self,
        actor_id: int,
        delay_text: str,
        text: str,
        *,
        contact_id: int | None = None,
        conversation_id: int | None = None,
    ) -> ReminderView:
        delay = parse_delay(delay_text)
        text = text.strip()
        if len(text) > TEXT_LIMIT:
            raise errors.ReminderTextTooLong(limit=TEXT_LIMIT, length=len(text))
        now = self._d.clock.now()
        async with self._d.store.transaction() as tx:
            if conversation_id is not None:
                conversation = await participant_conversation(tx, actor_id, conversation_id)
            else:
                assert contact_id is not None
                found = await tx.conversations.between(actor_id, contact_id)
                if found is None:
                    raise errors.ConversationNotFound()
                conversation = found
            reminder = await tx.reminders.set(actor_id, conversation.id, text, now + delay, now)
            return await self._view(tx, reminder)

    async def pending(self, actor_id: int) -> list[ReminderView]:
        """`/reminders`: the actor's pending reminders, the soonest first."""
        async with self._d.store.read() as tx:
            return [await self._view(tx, r) for r in await tx.reminders.pending(actor_id)]

    async def cancel(self, actor_id: int, reminder_id: int) -> list[ReminderView]:
        """A reminder's Cancel button (its id only a claim: it must be the actor's and still
        pending); returns the reminders left."""
        now = self._d.clock.now()
        async with self._d.store.transaction() as tx:
            if not await tx.reminders.cancel(reminder_id, actor_id, now):
                raise errors.ReminderNotFound()
            return [await self._view(tx, r) for r in await tx.reminders.pending(actor_id)]

    async def for_delivery(self, reminder_id: int, member_id: int) -> ReminderView | None:
        """What the reminder's notification shows; None if it is not (or no longer) theirs."""
        async with self._d.store.read() as tx:
            reminder = await tx.reminders.get(reminder_id)
            if (
                reminder is None
                or reminder.member_id != member_id
                or reminder.status != ReminderStatus.FIRED
            ):
                return None
            return await self._view(tx, reminder)

    async def fire_due(self) -> int:
        """Fire what is due: each batch in one transaction, the reminder marked fired with
        its conversation back (unarchived, their last message unread again) and the member's
        notification owed. Returns how many fired."""
        fired = 0
        while True:
            now = self._d.clock.now()
            async with self._d.store.transaction() as tx:
                due = await tx.reminders.take_due(now, BATCH)
                for reminder in due:
                    await self._bring_back(tx, reminder)
                    await notify(
                        tx, reminder.member_id, NotificationKind.REMINDER, reminder.id, now
                    )
            fired += len(due)
            if len(due) < BATCH:
                return fired

    async def _bring_back(self, tx: UnitOfWork, reminder: Reminder) -> None:
        state = await tx.conversations.state(reminder.conversation_id, reminder.member_id)
        counters.archived(state, False)
        latest = await tx.messages.latest_from_other(
            reminder.conversation_id, reminder.member_id, state.cleared_through
        )
        if latest is not None and state.unread_count == 0:
            state.last_read_message_id = max(
                await tx.messages.previous_id(reminder.conversation_id, latest.id),
                state.cleared_through,
            )
            state.unread_count = await tx.messages.count_from_other(
                reminder.conversation_id, reminder.member_id, state.last_read_message_id
            )
        state.last_activity_at = max(state.last_activity_at, self._d.clock.now())
        await tx.conversations.save_state(state)

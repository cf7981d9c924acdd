"""Follow-up reminders: due ones fire once (with their notification, in one transaction),
bring the conversation back unread, and a message from either side cancels them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bridge.core import errors
from bridge.core.app import Core
from bridge.core.clock import FakeClock
from bridge.core.models import NotificationKind
from bridge.core.reminders import parse_delay
from bridge.storage.port import Store
from tests.conftest import MakeMember, connect


def test_delays_are_hours_days_or_weeks_within_a_year() -> None:
    assert parse_delay("3d") == timedelta(days=3)
    assert parse_delay("12H") == timedelta(hours=12)
    assert parse_delay("2w") == timedelta(weeks=2)
    for bad in ("0d", "3", "d3", "3 days", "400d", "60w"):
        with pytest.raises(errors.InvalidDelay):
            parse_delay(bad)


async def _owed(store: Store, clock: FakeClock, member_id: int) -> list[int]:
    async with store.read() as tx:
        due = await tx.outbox.due(clock.now() + timedelta(days=1), 100)
    return [
        n.ref_id or 0
        for n in due
        if n.member_id == member_id and n.kind == NotificationKind.REMINDER
    ]


async def test_a_due_reminder_fires_once_and_brings_the_conversation_back(
    core: Core, member: MakeMember, clock: FakeClock, store: Store
) -> None:
    me, bob = await member("Me"), await member("Bob")
    await connect(core, me, bob)
    await core.messaging.send(bob.id, me.id, "Can you send the offer?")
    conversation = await core.inbox.conversation_with(me.id, bob.id)
    await core.inbox.mark_read(me.id, conversation)
    await core.inbox.archive(me.id, conversation)
    shown = await core.reminders.remind(me.id, bob.id, "3d", "Send the offer")
    assert shown.contact.name == "Bob" and shown.reminder.text == "Send the offer"
    again = await core.reminders.remind(me.id, bob.id, "2d")  # replaces the pending one
    assert [r.reminder.id for r in await core.reminders.pending(me.id)] == [again.reminder.id]
    assert await core.reminders.fire_due() == 0
    clock.advance(timedelta(days=2, minutes=1))
    assert await core.reminders.fire_due() == 1
    assert await core.reminders.fire_due() == 0  # nothing twice
    state = await core.inbox.state(me.id, conversation)
    assert state.unread_count == 1 and not state.archived
    assert await core.reminders.pending(me.id) == []
    assert await _owed(store, clock, me.id) == [again.reminder.id]
    view = await core.reminders.for_delivery(again.reminder.id, me.id)
    assert view is not None and view.contact.id == bob.id
    assert await core.reminders.for_delivery(again.reminder.id, bob.id) is None


async def test_a_message_from_either_side_cancels_it(
    core: Core, member: MakeMember, clock: FakeClock
) -> None:
    me, bob = await member("Me"), await member("Bob")
    await connect(core, me, bob)
    await core.messaging.send(me.id, bob.id, "Any news?")
    await core.reminders.remind(me.id, bob.id, "1d")
    await core.messaging.send(bob.id, me.id, "Yes, tomorrow")
    assert await core.reminders.pending(me.id) == []
    await core.reminders.remind(me.id, bob.id, "1d")
    await core.messaging.send(me.id, bob.id, "Thanks")
    clock.advance(timedelta(days=2))
    assert await core.reminders.fire_due() == 0


async def test_bad_reminders_change_nothing(core: Core, member: MakeMember) -> None:
    me, bob, eve = await member("Me"), await member("Bob"), await member("Eve")
    with pytest.raises(errors.ConversationNotFound):
        await core.reminders.remind(me.id, bob.id, "3d")
    await connect(core, me, bob)
    with pytest.raises(errors.InvalidDelay):
        await core.reminders.remind(me.id, bob.id, "soon")
    with pytest.raises(errors.ReminderTextTooLong):
        await core.reminders.remind(me.id, bob.id, "3d", "x" * 201)
    assert await core.reminders.pending(me.id) == []
    mine = await core.reminders.remind(me.id, bob.id, "3d")
    with pytest.raises(errors.ReminderNotFound):  # a forged Cancel: not Eve's
        await core.reminders.cancel(eve.id, mine.reminder.id)
    assert await core.reminders.cancel(me.id, mine.reminder.id) == []
    with pytest.raises(errors.ReminderNotFound):  # twice
        await core.reminders.cancel(me.id, mine.reminder.id)

"""Issue 15, follow-up reminders end to end: set from a command, listed with Cancel buttons,
fired by the scheduler's tick from what the database says is due (once), cancelled by a
message — what each user's chat shows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bridge.core.clock import FakeClock
from tests.e2e.conftest import connect, start_all
from tests.e2e.test_power_inbox import open_card
from tests.e2e.worlds import clocked_world, outbox_settled


async def test_a_reminder_brings_the_conversation_back_once(database_url: str) -> None:
    clock = FakeClock(datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    async with clocked_world(database_url, clock) as world:
        alice, bob, carol = world.alice, world.bob, world.carol
        core = world.bot.core
        assert core is not None
        await start_all(alice, bob, carol)
        await connect(alice, bob, "bob")
        await connect(alice, carol, "carol")
        await bob.send_text("/msg @alice Could you send me the job description?")
        await alice.wait_for_text("job description")
        await alice.send_text("/remind @bob 3d Send the JD")
        set_ = await alice.wait_for_text("I'll bring back your conversation with Bob Durand")
        assert "Mar 13, 2026" in set_.content and "Send the JD" in set_.content
        await alice.send_text("/remind @carol 2d")
        await alice.wait_for_text("Carol Nguyen")
        await alice.send_text("/remind @bob soon")
        await alice.wait_for_text("“soon” is not a delay")
        await alice.send_text("/remind @dave 3d")
        await alice.wait_for_text("No member @dave")  # never started: not a member
        await alice.send_text("/reminders")
        listing = await alice.wait_for_text("Your reminders")
        assert listing.content.index("Carol Nguyen") < listing.content.index("Bob Durand")
        answer = await alice.press_button(listing, "Cancel: Carol Nguyen")
        assert answer is not None and answer.get("text") == "Reminder cancelled"
        await alice.wait_for(lambda chat: "Carol Nguyen" not in listing.content)
        assert "Bob Durand" in listing.content

        await alice.send_text("/read @bob")
        await alice.wait_for_text("Marked read")
        clock.advance(timedelta(days=3, minutes=1))
        assert await core.reminders.fire_due() == 1  # the scheduler's tick, now
        world.bot.worker.poke()  # type: ignore[union-attr]
        due = await alice.wait_for_text("Time to follow up with Bob Durand")
        assert "Send the JD" in due.content
        assert await core.reminders.fire_due() == 0  # nothing twice
        await alice.send_text("/inbox unread")
        page = await alice.wait_for_text("Inbox")
        assert "Bob Durand" in page.content and "1 unread message from 1 person" in page.content
        await alice.press_button(due, "Open")
        await alice.wait_for_text("Everything you send now goes to Bob Durand")

        # A message from either side cancels a pending one: nothing fires.
        await alice.send_text("/remind @carol 1d")
        await alice.wait_for_text("Carol Nguyen")
        await carol.send_text("/msg @alice I'm around tomorrow")
        await alice.wait_for_text("I'm around tomorrow")
        clock.advance(timedelta(days=2))
        assert await core.reminders.fire_due() == 0
        await outbox_settled(world)
        assert not [m for m in alice.chat if "follow up with Carol" in m.content]
        await alice.send_text("/reminders")
        await alice.wait_for_text("No reminders")
        # The card's ⏰: a reminder in three days, from a button.
        page = await open_card(alice, "Carol Nguyen", "Remind me")
        answer = await alice.press_button(page, "Remind me in 3 days")
        assert answer is not None and answer.get("text", "").startswith("⏰ Reminder set for")
        await alice.send_text("/reminders")
        listed = await alice.wait_for_text("Your reminders")
        assert "Carol Nguyen" in listed.content
        await alice.press_button(listed, "Cancel: Carol Nguyen")
        await alice.wait_for(lambda chat: "No reminders" in listed.content)

        assert world.server.rejected == []

"""The undo window through the local Bot API server: "Sending… ↩️ Undo" until the window
ends; Undo and the recipient never sees anything; a window that ended while the bot was
down ends at start, and the message leaves once.

The core's clock is a `FakeClock`: windows end when the test moves it, not by waiting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bridge.core.clock import FakeClock
from bridge.handlers.buttons import UndoSend
from bridge.runtime.bot import BridgeBot
from tests.e2e.conftest import connect, start_all
from tests.e2e.worlds import clocked_world, outbox_settled

START = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def _texts(user) -> list[str]:
    return [m.content for m in user.chat if m.from_bot and not m.deleted]


async def test_undo_and_release_across_a_restart(database_url: str) -> None:
    clock = FakeClock(START)
    async with clocked_world(database_url, clock) as world:
        alice, bob = world.alice, world.bob
        await start_all(alice, bob)
        await connect(alice, bob, "bob")
        await alice.send_text("/settings")
        card = await alice.wait_for_text("Undo window: off")
        await alice.press_button(card, "↩️ 10 s")
        await alice.wait_for(lambda _: "Undo window: 10 s" in card.content)

        await alice.send_text("/msg @bob Oops, wrong person")
        line = await alice.wait_for_text("Sending to Bob Durand…")
        await alice.press_button(line, "Undo")
        await alice.wait_for(lambda _: "Not sent: nobody saw it." in line.content)
        clock.advance(timedelta(seconds=11))
        await outbox_settled(world)
        assert not any("Oops" in t for t in _texts(bob))

        await alice.send_text("/msg @bob Lunch at noon?")
        line = await alice.wait_for_text("Sending to Bob Durand…")
        clock.advance(timedelta(seconds=11))
        await bob.wait_for_text("Lunch at noon?")
        await alice.wait_for(lambda _: "✓ Sent to Bob Durand" in line.content)
        assert line.buttons() == []  # the Undo button is gone with the window
        late = await alice.press(line.message_id, UndoSend(outgoing_id=2).pack(), force=True)
        assert late is not None and "Too late to undo" in late["text"]

        # Held while the bot stops; the window ends while it is down: it leaves at start.
        await alice.send_text("/msg @bob Sent just before a restart")
        line = await alice.wait_for_text("Sending to Bob Durand…")
        await world.bot.stop()
        clock.advance(timedelta(seconds=30))
        world.bot = BridgeBot(world.bot.settings, clock=clock, poll_timeout=1)
        await world.bot.start()
        await bob.wait_for_text("Sent just before a restart")
        await alice.wait_for(lambda _: "✓ Sent to Bob Durand" in line.content)
        await outbox_settled(world)
        assert sum("Sent just before a restart" in t for t in _texts(bob)) == 1
        assert world.server.rejected == []

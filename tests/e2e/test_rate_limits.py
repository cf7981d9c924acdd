"""Telegram's limits kept by the bot, not learnt from 429s: with the local server enforcing
them (30 messages/s overall, about 1/s per chat after a short burst), a burst of messages
to one member arrives whole and in order without a single 429, and another member's
message is not held behind that busy chat."""

from __future__ import annotations

from bridge.core.clock import SystemClock
from tests.e2e.conftest import connect, start_all
from tests.e2e.worlds import clocked_world


async def test_a_burst_to_one_chat_draws_no_429_and_holds_no_other_chat(
    database_url: str,
) -> None:
    # The real clock: a paced chat's next notification is due a second later by the bot's
    # clock, which a FakeClock would never reach (as a 429's retry_after).
    async with clocked_world(database_url, SystemClock(), chat_rate=1.0) as world:
        alice, bob, carol, dave = world.alice, world.bob, world.carol, world.dave
        await start_all(alice, bob, carol, dave)
        await connect(alice, bob, "bob")
        await connect(dave, carol, "carol")
        for sender, name in ((alice, "Bob Durand"), (dave, "Carol Nguyen")):
            await sender.send_text(f"/open @{name.split()[0].lower()}")
            await sender.wait_for_text(f"Everything you send now goes to {name}")
        world.server.enforce_flood_limits = True
        for i in range(8):
            await alice.send_text(f"to-bob-{i}")
        await bob.wait_for_text("to-bob-1", since_mark=False)
        await dave.send_text("to-carol")  # Bob's chat is busy for seconds yet
        await carol.wait_for_text("to-carol", since_mark=False)
        # Carol's message did not queue behind Bob's: it arrived while his were still coming.
        assert not any("to-bob-7" in text for text in bob.texts())
        await bob.wait_for_text("to-bob-7", timeout=20, since_mark=False)
        seen = [w for text in bob.texts() for w in text.split() if w.startswith("to-bob-")]
        assert seen == [f"to-bob-{i}" for i in range(8)]
        assert world.server.flood.refused == 0  # no 429 answered to the bot
        assert world.server.rejected == []

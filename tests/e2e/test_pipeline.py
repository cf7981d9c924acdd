"""Concurrent intake and pipelined delivery keep each member's order: updates of different
members overlap, but one member's are handled and delivered strictly in turn."""

from __future__ import annotations

import asyncio

from tests.e2e.conftest import World, connect, start_all


async def test_open_then_a_text_at_once_goes_to_the_new_conversation(world: World) -> None:
    alice, bob, carol, dave = world.alice, world.bob, world.carol, world.dave
    await start_all(alice, bob, carol, dave)
    await connect(alice, bob, "bob")
    await connect(alice, carol, "carol")
    await connect(dave, carol, "carol")
    await alice.send_text("/open @carol")
    await alice.wait_for_text("Everything you send now goes to Carol Nguyen")
    await dave.send_text("/open @carol")
    await dave.wait_for_text("Everything you send now goes to Carol Nguyen")

    async def busy() -> None:  # another member keeps the bot busy meanwhile
        for i in range(15):
            await dave.send_text(f"dave {i}")

    # Alice switches to Bob and writes at once, without waiting for the bot's answer.
    chatter = asyncio.create_task(busy())
    await alice.send_text("/open @bob")
    await alice.send_text("meant for bob")
    await chatter
    await bob.wait_for_text("meant for bob", since_mark=False)
    await carol.wait_for_text("dave 14", since_mark=False)
    assert not any("meant for bob" in text for text in carol.texts())
    assert world.server.rejected == []


async def test_each_member_receives_their_notifications_in_order(world: World) -> None:
    alice, bob, carol, dave = world.alice, world.bob, world.carol, world.dave
    await start_all(alice, bob, carol, dave)
    for sender in (alice, carol, dave):
        await connect(sender, bob, "bob")
        await sender.send_text("/open @bob")
        await sender.wait_for_text("Everything you send now goes to Bob Durand")

    async def burst(sender, name: str) -> None:  # type: ignore[no-untyped-def]
        for i in range(12):
            await sender.send_text(f"{name}-{i:02d}")

    # Three members write to Bob at once: their updates are handled concurrently, and Bob's
    # notifications go one at a time, in the order they were written.
    await asyncio.gather(burst(alice, "alice"), burst(carol, "carol"), burst(dave, "dave"))
    await bob.wait_for_text("dave-11", since_mark=False)
    await bob.wait_for_text("alice-11", since_mark=False)
    await bob.wait_for_text("carol-11", since_mark=False)
    for name in ("alice", "carol", "dave"):
        seen = [
            word for text in bob.texts() for word in text.split() if word.startswith(f"{name}-")
        ]
        assert seen == [f"{name}-{i:02d}" for i in range(12)], seen
    assert world.server.rejected == []

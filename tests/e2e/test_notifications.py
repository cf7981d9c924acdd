"""Notification modes, digests, bursts, and a member who blocked the bot."""

from __future__ import annotations

from tests.e2e.conftest import World, connect, start_all


async def test_digest_mode_pushes_nothing_and_the_digest_tells_all(world: World) -> None:
    alice, bob, carol = world.alice, world.bob, world.carol
    await start_all(alice, bob, carol)
    await connect(alice, bob, "bob")
    await connect(carol, bob, "bob")
    await bob.send_text("/notify digest")
    await bob.wait_for_text("digests only")
    before = len(bob.chat)
    for i in range(3):
        update = await alice.send_text(f"/msg @bob update {i}")
        await alice.wait_for_reaction(update, "👌")
    await carol.send_text("/open @bob")
    await carol.wait_for_text("Everything you send now goes to")
    await carol.send_voice(duration=42)
    await world.server.wait_until_confirmed()
    await bob.send_text("/digest")
    digest = await bob.wait_for_text("unread messages")
    assert not any(
        "update" in m.content for m in bob.chat[before:] if m.from_bot and m is not digest
    )
    assert "4 unread messages from 2 people · 0 invitations · 0 InMails" in digest.content
    assert "Voice note 0:42" in digest.content and "update 2" in digest.content
    await bob.press_button(digest, "Mark all read")
    await bob.send_text("/digest")
    await bob.wait_for_text("Nothing unread")
    await bob.send_text("/quiet 25:00-08:00")
    await bob.wait_for_text("is not a time")
    await bob.send_text("/tz Mars/Olympus")
    await bob.wait_for_text("is not a time zone")


async def test_instant_burst_rings_once_and_blocked_member_gets_it_later(world: World) -> None:
    alice, bob = world.alice, world.bob
    await start_all(alice, bob)
    await connect(alice, bob, "bob")
    await alice.send_text("/open @bob")
    await alice.wait_for_text("Everything you send now goes to")
    for i in range(5):
        await alice.send_text(f"burst {i}")
    await bob.wait_for_text("burst 4")
    burst = [m for m in bob.chat if m.from_bot and "burst" in m.content]
    assert [m.silent for m in burst] == [False, True, True, True, True]

    await bob.block_bot()
    # Bob's update and Alice's are of different members, handled concurrently: Alice writes
    # once the bot has taken in that Bob blocked it.
    await world.server.wait_until_confirmed()
    await alice.send_text("while you were away")
    await alice.wait_for_text("Sent to")
    await bob.block_bot(False)  # Telegram: the user unblocks…
    await bob.send_text("/start")  # …and comes back
    await bob.wait_for_text("while you were away", since_mark=False)


async def test_the_scheduled_digest_arrives_at_the_chosen_time(world: World) -> None:
    from datetime import UTC, datetime

    alice, bob = world.alice, world.bob
    await start_all(alice, bob)
    await connect(alice, bob, "bob")
    await bob.send_text("/notify mute")
    await bob.wait_for_text("muted")
    asked = await alice.send_text("/msg @bob Are you free on Thursday?")
    await alice.wait_for_reaction(asked, "👌")
    now = datetime.now(UTC).strftime("%H:%M")
    await bob.send_text(f"/digest_at {now}")
    await bob.wait_for_text(f"Daily digest: {now}")
    # The JobQueue tick (every minute, first after 5 s) owes it; the outbox delivers it.
    digest = await bob.wait_for_text("1 unread message from 1 person", timeout=20)
    assert "Are you free on Thursday?" in digest.content
    assert not any("💬 Alice Martin" in m.content for m in bob.chat if m.from_bot)

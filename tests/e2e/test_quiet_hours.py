"""Quiet hours and presence: what is held waits for the member, and only as long as the
member wants — settings changes and any sign of life re-plan what is held at once.

The core's clock is a `FakeClock` at 09:00 UTC: "08:00-10:00" is quiet now, for as long as the
test runs, whatever the wall clock says."""

from __future__ import annotations

from datetime import UTC, datetime

from bridge.core.clock import FakeClock
from tests.e2e.conftest import connect, start_all
from tests.e2e.worlds import clocked_world, outbox_settled

NINE = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def pushed(user, needle: str) -> list:
    return [m for m in user.chat if m.from_bot and not m.deleted and needle in m.content]


async def test_turning_quiet_hours_off_releases_what_was_held(database_url: str) -> None:
    async with clocked_world(database_url, FakeClock(NINE)) as world:
        alice, bob = world.alice, world.bob
        await start_all(alice, bob)
        await connect(alice, bob, "bob")
        await bob.send_text("/quiet 08:00-10:00")
        await bob.wait_for_text("08:00")
        await alice.send_text("/msg @bob Held until you wake up")
        await alice.wait_for_text("Sent to")
        await outbox_settled(world)
        assert not pushed(bob, "Held until you wake up")
        await bob.send_text("/quiet off")
        await bob.wait_for_text("Held until you wake up")
        await alice.send_text("/msg @bob And this one goes at once")
        await bob.wait_for_text("And this one goes at once")


async def test_a_new_time_zone_re_plans_what_was_held(database_url: str) -> None:
    async with clocked_world(database_url, FakeClock(NINE)) as world:
        alice, bob = world.alice, world.bob
        await start_all(alice, bob)
        await connect(alice, bob, "bob")
        await bob.send_text("/quiet 08:00-10:00")
        await bob.wait_for_text("08:00")
        await alice.send_text("/msg @bob Is it night where you are?")
        await alice.wait_for_text("Sent to")
        await outbox_settled(world)
        assert not pushed(bob, "Is it night")
        # 09:00 UTC is 18:00 in Tokyo: outside Bob's quiet hours there.
        await bob.send_text("/tz Asia/Tokyo")
        await bob.wait_for_text("Is it night where you are?")


async def test_quiet_hours_hold_acceptances_too(database_url: str) -> None:
    async with clocked_world(database_url, FakeClock(NINE)) as world:
        alice, bob = world.alice, world.bob
        await start_all(alice, bob)
        await alice.send_text("/quiet 08:00-10:00")
        await alice.wait_for_text("08:00")
        await alice.send_text("/invite @bob")
        await alice.wait_for_text("Invitation sent")
        invitation = await bob.wait_for_text("Invitation")
        await bob.press_button(invitation, "Accept")
        await bob.wait_for_text("You are now connected")
        await outbox_settled(world)
        assert not pushed(alice, "accepted your invitation")
        await alice.send_text("/quiet off")
        await alice.wait_for_text("accepted your invitation")


async def test_a_member_back_without_a_chat_member_update_gets_what_was_held(
    database_url: str,
) -> None:
    async with clocked_world(database_url, FakeClock(NINE)) as world:
        alice, bob = world.alice, world.bob
        await start_all(alice, bob)
        await connect(alice, bob, "bob")
        await bob.block_bot()
        await alice.send_text("/msg @bob While you had blocked me")
        await alice.wait_for_text("Sent to")
        await outbox_settled(world)
        # Telegram does not always send my_chat_member when a user unblocks: Bob simply
        # uses the bot again, without /start.
        bob.blocked = False
        await bob.send_text("/help")
        await bob.wait_for_text("While you had blocked me")

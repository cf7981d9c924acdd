"""The core journeys of the network, through the real bot over the Bot API protocol."""

from __future__ import annotations

from tests.e2e.conftest import World, start_all


async def test_invite_with_note_accept_message_and_voice_reply(world: World) -> None:
    alice, bob = world.alice, world.bob
    await start_all(alice, bob)
    await alice.send_text("/invite @bob Hi Bob, we met at VivaTech")
    await alice.wait_for_text("Invitation sent to @bob")
    invitation = await bob.wait_for_text("Invitation")
    assert "Alice Martin" in invitation.content
    assert "Hi Bob, we met at VivaTech" in invitation.content
    await bob.press_button(invitation, "Accept")
    await bob.wait_for_text("You are now connected with Alice Martin")
    await alice.wait_for_text("Bob Durand accepted your invitation")

    await alice.send_text("/msg @bob Are you hiring in Lyon?")
    relayed = await bob.wait_for_text("Are you hiring in Lyon?")
    assert "Alice Martin" in relayed.content and "1st" in relayed.content
    await bob.send_voice(duration=42, reply_to=relayed.message_id)
    voice = await alice.wait_for_kind("voice")
    assert voice.duration == 42
    assert "Bob Durand" in (voice.caption or "")
    assert world.server.rejected == []

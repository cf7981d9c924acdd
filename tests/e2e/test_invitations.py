"""Invitations end to end: decline, reply without accepting, withdraw, and bad input."""

from __future__ import annotations

from tests.e2e.conftest import World, start_all


async def test_decline_is_silent_and_closes_the_thread(world: World) -> None:
    alice, bob = world.alice, world.bob
    await start_all(alice, bob)
    await alice.send_text("/invite @bob Let's talk about the role")
    invitation = await bob.wait_for_text("Invitation")
    await bob.press_button(invitation, "Decline")
    await bob.wait_for_text("declined")
    await alice.send_text("/msg @bob Did you see my note?")
    refusal = await alice.wait_for_text("closed")
    assert "declined" in refusal.content
    assert not any("declined" in t for t in alice.texts()[:-1])  # the sender is never told
    await alice.send_text("/invite @bob again")
    await alice.wait_for_text("You can invite this member again after")


async def test_reply_without_accepting_opens_the_invitation_thread(world: World) -> None:
    alice, bob = world.alice, world.bob
    await start_all(alice, bob)
    await alice.send_text("/invite @bob Quick question about Lyon")
    invitation = await bob.wait_for_text("Invitation")
    await bob.press_button(invitation, "Reply")
    await bob.wait_for_text("Write your reply")
    await bob.send_text("Happy to answer before connecting")
    answer = await alice.wait_for_text("Happy to answer before connecting")
    assert "Bob Durand" in answer.content
    await alice.send_text("Thanks!", reply_to=answer.message_id)
    await bob.wait_for_text("Thanks!")
    await alice.send_text("/invitations")
    pending = await alice.wait_for_text("Sent to")
    await alice.press_button(pending, "Withdraw")
    await alice.wait_for_text("withdrawn")


async def test_buttons_are_authorized_against_the_presser(world: World) -> None:
    alice, bob, carol = world.alice, world.bob, world.carol
    await start_all(alice, bob, carol)
    await alice.send_text("/invite @bob")
    invitation = await bob.wait_for_text("Invitation")
    accept = next(b["callback_data"] for b in invitation.buttons() if "Accept" in b["text"])
    # Carol forges Bob's button on a message of her own chat: refused, nothing changes.
    welcome = next(m for m in carol.chat if m.from_bot)
    answer = await carol.press(welcome.message_id, accept, force=True)
    assert answer is not None and answer.get("show_alert")
    assert "no such invitation for you" in answer["text"]
    forged = await carol.press(welcome.message_id, "ia:zzz:<b>", force=True)
    assert "no longer valid" in forged["text"]
    await bob.press_button(invitation, "Accept")
    await bob.wait_for_text("You are now connected")
    again = await bob.press(invitation.message_id, accept, force=True)
    assert "already answered" in again["text"]


async def test_bad_invitation_input_gets_clear_errors(world: World) -> None:
    alice, bob = world.alice, world.bob
    await start_all(alice, bob)
    for command, expected in [
        ("/invite", "Usage: /invite @handle"),
        ("/invite @nobody_here", "No member @nobody_here"),
        ("/invite @bad!handle", "is not a valid handle"),
        ("/invite @alice", "You can't do that to yourself"),
        (f"/invite @bob {'x' * 301}", "301 characters; an invitation note holds at most 300"),
        ("/accept @bob", "There is no such invitation"),
        ("/msg @bob hello", "You can only message your 1st-degree connections"),
    ]:
        await alice.send_text(command)
        await alice.wait_for_text(expected)
    await alice.send_text("/invite @bob short note")
    await alice.wait_for_text("Invitation sent")
    await alice.send_text("/invite @bob twice")
    await alice.wait_for_text("already waiting")
    assert world.server.rejected == []

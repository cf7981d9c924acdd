"""Invitations without a note, end to end: the invitee's automatic reply asks why (switched
on and edited from /settings or /autoreply; the invitation stays pending and the inviter
answers in its thread), and members who require a note (the inviter is told before
anything is sent, by /invite and by the profile's Invite button) — in English and French."""

from __future__ import annotations

from tests.e2e.conftest import World, start_all

DEFAULT = "Thanks for the invitation! I don't think we've met yet: why would you like to connect?"


async def test_the_automatic_reply_asks_why_and_the_inviter_answers(world: World) -> None:
    alice, bob = world.alice, world.bob
    await start_all(alice, bob)
    await bob.send_text("/settings")
    card = await bob.wait_for_text("Settings")
    assert "Automatic reply to invitations without a note: off" in card.content
    await bob.press_button(card, "Turn auto-reply on")
    shown = bob.message(card.message_id)
    assert shown is not None and f"on — “{DEFAULT}”" in shown.content

    await alice.send_text("/invite @bob")
    await alice.wait_for_text("Invitation sent")
    why = await alice.wait_for_text("why would you like to connect?")
    assert "Bob Durand" in why.content
    invitation = await bob.wait_for_text("Invitation from")
    await alice.send_text("We met at VivaTech, about your talk", reply_to=why.message_id)
    await bob.wait_for_text("We met at VivaTech, about your talk")
    await bob.send_text("/invitations")
    pending = await bob.wait_for_text("Alice")
    assert any("Accept" in b["text"] for b in pending.buttons())
    await bob.press_button(invitation, "Accept")
    await bob.wait_for_text("You are now connected")
    assert world.server.rejected == []


async def test_editing_the_automatic_reply(world: World) -> None:
    alice, bob, carol = world.alice, world.bob, world.carol
    await start_all(alice, bob, carol)
    await bob.send_text("/settings")
    card = await bob.wait_for_text("Settings")
    await bob.press_button(card, "Edit the auto-reply")
    await bob.wait_for_text("Send your automatic reply")
    await bob.send_text("Hello! What brings you to my profile?")
    await bob.wait_for_text("on — “Hello! What brings you to my profile?”")
    await carol.send_text("/invite @bob")
    await carol.wait_for_text("What brings you to my profile?")
    await bob.send_text("/autoreply off")
    await bob.wait_for_text("without a note: off")
    await alice.send_text("/invite @bob")
    await alice.wait_for_text("Invitation sent")
    await bob.wait_for_text("Invitation from Alice")
    await alice.wait_idle(quiet=0.5)
    assert not [t for t in alice.texts() if "brings you" in t]
    await bob.send_text("/autoreply")
    await bob.wait_for_text("Usage: /autoreply")


async def test_a_required_note_is_asked_for_before_sending(world: World) -> None:
    alice, carol = world.alice, world.carol
    await start_all(alice, carol)
    await carol.send_text("/requirenote on")
    await carol.wait_for_text("invitations to you need a note")
    await alice.send_text("/invite @carol")
    refused = await alice.wait_for_text("accepts invitations with a note only")
    assert "Nothing was sent" in refused.content
    assert not [t for t in carol.texts() if "Invitation from" in t]

    await alice.send_text("/profile @carol")
    profile = await alice.wait_for_text("connections")
    await alice.press_button(profile, "Invite")
    await alice.wait_for_text("accepts invitations with a note only. Write your note")
    await alice.send_text("Hi Carol, we spoke at the Lyon meetup")
    await alice.wait_for_text("Invitation sent")
    invitation = await carol.wait_for_text("Invitation from")
    assert "Hi Carol, we spoke at the Lyon meetup" in invitation.content

    await carol.send_text("/settings")
    card = await carol.wait_for_text("Settings")
    assert "A note is required to invite you" in card.content
    await carol.press_button(card, "Stop requiring a note")
    shown = carol.message(card.message_id)
    assert shown is not None and "Invitations without a note are welcome" in shown.content
    assert world.server.rejected == []


async def test_in_french(world: World) -> None:
    alice = world.alice
    chloe = world.server.add_user("Chloé", "Dubois", username="chloe_tg", language_code="fr")
    await start_all(alice)
    await chloe.send_text("/start")
    await chloe.wait_for_text("Bienvenue")
    await chloe.send_text("/autoreply oui")
    await chloe.wait_for_text("activée — « Merci pour l'invitation !")
    await chloe.send_text("/requirenote oui")
    await chloe.wait_for_text("vous inviter demande une note")
    await chloe.send_text("/requirenote non")
    await chloe.wait_for_text("les invitations sans note sont bienvenues")
    await alice.send_text("/invite @chloe")
    await alice.wait_for_text("pourquoi souhaitez-vous vous connecter ?")

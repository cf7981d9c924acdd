"""Editing a command does not run it again: the edit changes nothing and the member is told
that commands can't be edited (in their language)."""

from __future__ import annotations

from botapi_sandbox.users import SimUser
from tests.e2e.conftest import World, start_all

EDITED = "Commands can't be edited"


async def _settled(world: World, *users: SimUser) -> None:
    """Every update handled and whatever it owed delivered."""
    await world.server.wait_until_confirmed()
    for user in users:
        await user.wait_idle(quiet=0.5)


async def test_an_edited_invite_invites_nobody_else(world: World) -> None:
    alice, bob, carol = world.alice, world.bob, world.carol
    await start_all(alice, bob, carol)
    sent = await alice.send_text("/invite @bob Met you at the meetup")
    await alice.wait_for_text("Invitation sent")
    await bob.wait_for_text("Invitation")
    await alice.edit_text(sent.message_id, "/invite @carol Met you at the meetup")
    await _settled(world, alice, bob, carol)
    assert not [t for t in carol.texts() if "Invitation" in t]
    assert len([t for t in bob.texts() if "Invitation from" in t]) == 1
    await alice.wait_for_text(EDITED)
    assert not [t for t in alice.texts() if "went wrong" in t]


async def test_an_edited_inmail_or_grant_spends_and_grants_once(world: World) -> None:
    alice, dave, admin = world.alice, world.dave, world.admin
    await start_all(alice, dave, admin)
    grant = await admin.send_text("/grant @alice 3")
    await admin.wait_for_text("+3 InMail credits for @alice")
    await admin.edit_text(grant.message_id, "/grant @alice 30")
    await _settled(world, admin)
    inmail = await alice.send_text("/inmail @dave Role in Lyon | We are hiring")
    await alice.wait_for_text("InMail sent to @dave. 2 credits left")
    await alice.edit_text(inmail.message_id, "/inmail @dave Role in Paris | We are hiring")
    await _settled(world, alice, dave, admin)
    assert len([t for t in dave.texts() if "InMail" in t]) == 1
    assert not [t for t in dave.texts() if "Paris" in t]
    await alice.send_text("/credits")
    credits = await alice.wait_for_text("Balance")
    assert "Balance: 2" in credits.content
    assert len([t for t in admin.texts() if EDITED in t]) == 1
    assert len([t for t in alice.texts() if EDITED in t]) == 1


async def test_an_edited_command_is_answered_in_french(world: World) -> None:
    chloe = world.server.add_user("Chloé", "Dubois", username="chloe_tg", language_code="fr")
    await chloe.send_text("/start")
    await chloe.wait_for_text("Bienvenue")
    sent = await chloe.send_text("/find Lyon")
    await chloe.wait_idle(quiet=0.5)
    await chloe.edit_text(sent.message_id, "/find Paris")
    await chloe.wait_for_text("Les commandes ne peuvent pas être modifiées")

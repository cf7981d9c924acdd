"""An InMail written after the profile card's ✉️ InMail button: the question is kept in the
database, so a restart between the button and the text neither loses it nor sends the text
to the open conversation; the InMail goes once, charged once."""

from __future__ import annotations

from tests.e2e.conftest import World, connect, start_all


async def test_an_inmail_started_from_a_profile_survives_a_restart_and_goes_once(
    world: World,
) -> None:
    alice, bob, carol, admin = world.alice, world.bob, world.carol, world.admin
    await start_all(alice, bob, carol, admin)
    await admin.send_text("/grant @alice 3")
    await admin.wait_for_text("+3 InMail credits for @alice")
    await connect(alice, carol, "carol")
    await alice.send_text("/open @carol")  # plain text would go to Carol
    await alice.wait_for_text("Carol Nguyen")

    await alice.send_text("/profile @bob")
    card = await alice.wait_for_text("Member")
    await alice.press_button(card, "InMail")
    await alice.wait_for_text("Write your InMail")
    await world.bot.stop()  # the draft being written survives a restart
    await world.bot.start()
    await alice.send_text("Role in Lyon | We are hiring a lead engineer")
    await alice.wait_for_text("InMail sent to")
    inmail = await bob.wait_for_text("We are hiring a lead engineer")
    assert "Role in Lyon" in inmail.content and "Alice Martin" in inmail.content
    await carol.wait_idle()
    assert not any("We are hiring" in t for t in carol.texts())  # not the wrong place

    await alice.send_text("Are you free on Monday?")  # the draft was used once
    await carol.wait_for_text("Are you free on Monday?")
    await bob.wait_idle()
    assert sum("We are hiring" in t for t in bob.texts()) == 1
    assert not any("Are you free" in t for t in bob.texts())
    await alice.send_text("/credits")
    credits = await alice.wait_for_text("Balance")
    assert "Balance: 2" in credits.content  # charged once
    assert sum(t.startswith("✉️ InMail sent to") for t in alice.texts()) == 1
    assert world.server.rejected == []


async def test_a_refused_inmail_draft_ends_and_close_cancels_one(world: World) -> None:
    """As before the draft moved to the database: a refusal ends it (the usage line says how
    to write one), and /close cancels one being written."""
    alice, bob, admin = world.alice, world.bob, world.admin
    await start_all(alice, bob, admin)
    await admin.send_text("/grant @alice 3")
    await admin.wait_for_text("+3 InMail credits for @alice")
    await alice.send_text("/profile @bob")
    card = await alice.wait_for_text("Member")
    await alice.press_button(card, "InMail")
    await alice.wait_for_text("Write your InMail")
    await alice.send_text("no subject separator")
    await alice.wait_for_text("Usage: /inmail @handle <subject> | <message>")
    await alice.send_text("Role | A role for you")  # no longer a draft: nowhere to go
    await alice.wait_for_text("Who is this for?")

    await alice.press_button(card, "InMail")
    await alice.wait_for(lambda chat: sum("Write your InMail" in t for t in alice.texts()) == 2)
    await alice.send_text("/close")
    await alice.wait_for_text("No conversation was open")
    await alice.send_text("Role | Another role")
    await alice.wait_for(lambda chat: sum("Who is this for?" in t for t in alice.texts()) == 2)
    await bob.wait_idle()
    assert not any("role for you" in t.lower() or "Another role" in t for t in bob.texts())
    await alice.send_text("/credits")
    credits = await alice.wait_for_text("Balance")
    assert "Balance: 3" in credits.content

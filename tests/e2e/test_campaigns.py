"""Campaigns through the local Bot API server: created by a member on a prospecting plan,
run by the steps that are due (the visit shows in the lead's /views, the invitation carries
the note, the welcome follows the acceptance), listed with their counts and paused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.e2e.conftest import World, start_all


class _Later:
    """The bot's clock, moved past the hour after which an invitation is looked at again."""

    def now(self) -> datetime:
        return datetime.now(UTC) + timedelta(hours=2)


async def _run_due(world: World) -> int:
    """What the JobQueue's minute tick does, now rather than within the minute."""
    assert world.bot.core is not None and world.bot.worker is not None
    ran = await world.bot.core.campaigns.run_due()
    world.bot.worker.poke()
    return ran


async def test_campaign_visits_invites_welcomes_and_is_paused(world: World) -> None:
    alice, bob, carol, admin = world.alice, world.bob, world.carol, world.admin
    await start_all(alice, bob, carol, admin)
    # The welcome is a saved template, rendered for each lead once they accepted.
    await alice.send_text("/template save thanks Thanks for connecting, {{ first_name }}!")
    await alice.wait_for_text("Template #thanks saved.")
    spec = (
        "/campaign new Lyon recruiters\nleads: @bob @carol\nwait: 0\n"
        "note: Hi, we both hire in Lyon\nwelcome: #thanks"
    )
    await alice.send_text(spec)
    refused = await alice.wait_for_text("Campaigns come with a prospecting plan")
    assert "Sales Navigator" in refused.content
    await admin.send_text("/plan @alice sales_navigator")
    await admin.wait_for_text("is now on Sales Navigator")
    await alice.send_text(spec)
    created = await alice.wait_for_text("Campaign created: 2 leads")
    assert "Lyon recruiters" in created.content

    assert await _run_due(world) == 2  # the visits
    await bob.send_text("/views")
    await bob.wait_for_text("1 member viewed your profile")
    assert await _run_due(world) == 2  # the invitations (no wait)
    invitation = await bob.wait_for_text("Invitation from Alice Martin")
    assert "Hi, we both hire in Lyon" in invitation.content
    await carol.wait_for_text("Invitation from Alice Martin")
    await bob.press_button(invitation, "Accept")
    await bob.wait_for_text("You are now connected")

    assert world.bot.core is not None
    world.bot.core.deps.clock = _Later()
    assert await _run_due(world) == 2  # Bob welcomed; Carol's invitation still pending
    await bob.wait_for_text("Thanks for connecting, Bob!")
    await alice.send_text("/campaigns")
    card = await alice.wait_for_text("Lyon recruiters")
    assert "invited: 2 · accepted: 1 (50%)" in card.content
    assert "Welcomed: 1" in card.content
    await alice.press_button(card, "Pause")
    await alice.wait_for(lambda _: "⏸ paused" in card.content)
    assert [b["text"] for b in card.buttons()] == ["▶️ Resume", "⏹ Stop"]
    assert await _run_due(world) == 0  # paused: nothing runs
    await alice.send_text("/campaign")
    await alice.wait_for_text("Usage: /campaign new")
    await alice.send_text("/campaign new Bad\ncolour: blue")
    await alice.wait_for_text("I can't read this line of your campaign: “colour: blue”")
    assert world.server.rejected == []


async def test_campaign_from_a_search_and_in_french(world: World) -> None:
    alice, bob, carol, dave, admin = world.alice, world.bob, world.carol, world.dave, world.admin
    await start_all(alice, bob, carol, dave, admin)
    for user in (bob, carol):
        await user.send_text("/edit headline Recruiter in Lyon")
        await user.wait_for_text("Your headline is saved")
    await dave.send_text("/find recruiter")
    plain = await dave.wait_for_text("for “recruiter”")
    assert not any("Campaign" in b["text"] for b in plain.buttons())  # no prospecting plan
    await admin.send_text("/plan @alice recruiter_lite")
    await admin.wait_for_text("is now on Recruiter Lite")
    await alice.send_text("/find recruiter")
    results = await alice.wait_for_text("for “recruiter”")
    await alice.press_button(results, "📣 Campaign")
    ask = await alice.wait_for_text("A campaign for the members found by “recruiter”")
    assert "wait: 2" in ask.content
    await alice.send_text("Lyon recruiters\nwait: forever")  # refused: the question stands
    await alice.wait_for_text("I can't read this line of your campaign: “wait: forever”")
    await alice.send_text("Lyon recruiters\nwait: 1\nnote: Hello from Alice")
    created = await alice.wait_for_text("Campaign created: 2 leads")
    assert "wait 1 d" in created.content
    await alice.send_text("Just a message now")  # the question was answered once
    await alice.wait_for_text("Who is this for?")

    await carol.send_text("/lang fr")
    await carol.wait_for_text("français")
    await carol.send_text("/campaigns")
    await carol.wait_for_text("Aucune campagne pour l'instant.")
    await carol.send_text("/campaign nouvelle Lyon\nmembres: @bob")
    await carol.wait_for_text("Les campagnes viennent avec une offre de prospection")
    assert world.server.rejected == []


async def test_a_restart_between_steps_loses_nothing_and_repeats_nothing(world: World) -> None:
    alice, bob, admin = world.alice, world.bob, world.admin
    await start_all(alice, bob, admin)
    await admin.send_text("/plan @alice sales_navigator")
    await admin.wait_for_text("is now on Sales Navigator")
    await alice.send_text("/campaign new Restart\nleads: @bob\nwait: 0\nnote: Once only")
    await alice.wait_for_text("Campaign created: 1 lead.")
    assert await _run_due(world) == 1  # the visit
    await world.bot.stop()  # what is due lives in the database
    await world.bot.start()
    assert await _run_due(world) == 1  # the invitation, once
    assert await _run_due(world) == 0
    await bob.wait_for_text("Once only")
    await bob.wait_idle()
    assert sum("Invitation from Alice Martin" in t for t in bob.texts()) == 1
    assert world.server.rejected == []


async def test_campaign_from_a_saved_leads_list_invites_those_leads(world: World) -> None:
    alice, bob, carol, dave, admin = world.alice, world.bob, world.carol, world.dave, world.admin
    await start_all(alice, bob, carol, dave, admin)
    await admin.send_text("/plan @alice sales_navigator")
    await admin.wait_for_text("is now on Sales Navigator")
    for command in ("/save @bob q1-designers", "/save @carol q1-designers", "/save @dave later"):
        await alice.send_text(command)
        await alice.wait_for_text("is saved in your leads")
    await alice.send_text("/campaign new Nobody\nlist: ghosts")
    await alice.wait_for_text("Your list “ghosts” has no saved leads.")

    await alice.send_text("/leads q1-designers")
    listing = await alice.wait_for_text("Your leads")
    await alice.press_button(listing, "📣 Campaign")
    await alice.wait_for_text("A campaign for the leads saved in your list “q1-designers”")
    await alice.send_text("Designers\nwait: 0\nnote: Hello designers")
    await alice.wait_for_text("Campaign created: 2 leads")
    assert await _run_due(world) == 2  # the visits
    assert await _run_due(world) == 2  # the invitations (no wait)
    for lead in (bob, carol):
        invitation = await lead.wait_for_text("Invitation from Alice Martin")
        assert "Hello designers" in invitation.content
    await dave.wait_idle()
    assert not any("Invitation from Alice Martin" in t for t in dave.texts())  # another list

    await alice.send_text("/campaign new Later ones\nlist: later\nwait: 0")  # the command line
    await alice.wait_for_text("Campaign created: 1 lead.")
    await alice.send_text("/lang fr")
    await alice.wait_for_text("français")
    await alice.send_text("/campaign nouvelle Fantômes\nliste: fantomes")
    await alice.wait_for_text("Votre liste « fantomes » n'a aucun prospect enregistré.")
    assert world.server.rejected == []

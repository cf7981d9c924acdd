"""Saved searches through the local Bot API server: 🔔 under /find results, the digest's
alert listing who joined since and matches (masked by degree), /searches with 🗑."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.e2e.conftest import World, connect, start_all


async def test_saved_search_alert_comes_with_the_digest(world: World) -> None:
    alice, bob, dave = world.alice, world.bob, world.dave
    await start_all(alice, bob)
    await connect(alice, bob, "bob")
    await bob.send_text("/edit headline Recruiter at Acme")
    await bob.wait_for_text("Your headline is saved")
    await alice.send_text("/find recruiter")
    results = await alice.wait_for_text("for “recruiter”")
    await alice.press_button(results, "Save this search")
    saved = await alice.wait_for_text("Search saved: “recruiter”")
    assert "Choose when your digest comes" in saved.content  # no digest time yet
    again = await alice.press_button(results, "Save this search")  # an error: an alert
    assert again is not None and "You already saved the search “recruiter”" in again["text"]

    await start_all(dave)  # joins after the search was saved
    await dave.send_text("/edit headline Freelance recruiter")
    await dave.wait_for_text("Your headline is saved")
    now = datetime.now(UTC).strftime("%H:%M")
    await alice.send_text(f"/digest_at {now}")
    await alice.wait_for_text(f"Daily digest: {now}")
    # What the JobQueue's minute tick does, now rather than within the minute.
    assert world.bot.core is not None and world.bot.worker is not None
    await world.bot.core.preferences.schedule_digests()
    world.bot.worker.poke()
    alert = await alice.wait_for_text("New members for your saved searches")
    assert "“recruiter”" in alert.content and "Freelance recruiter" in alert.content
    assert "Dave" not in alert.content and "Member · Out of network" in alert.content
    assert "Bob" not in alert.content  # there before the search was saved
    await alice.press_button(alert, "Member")
    await alice.wait_for_text("Freelance recruiter")  # the profile card

    await alice.send_text("/searches")
    listing = await alice.wait_for_text("Your saved searches")
    assert "• recruiter" in listing.content
    await alice.press_button(listing, "recruiter")
    await alice.wait_for(lambda _: "Nothing saved yet" in listing.content)
    assert world.server.rejected == []


async def test_searches_in_french(world: World) -> None:
    alice = world.alice
    await start_all(alice)
    await alice.send_text("/lang fr")
    await alice.wait_for_text("français")
    await alice.send_text("/searches")
    await alice.wait_for_text("Vos recherches enregistrées")
    assert world.server.rejected == []

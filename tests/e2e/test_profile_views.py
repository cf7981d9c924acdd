"""Who viewed my profile, through the local Bot API server: views recorded once a day,
masked by degree, and private browsing from /settings (no trace, no viewers)."""

from __future__ import annotations

from tests.e2e.conftest import World, connect, start_all


async def test_views_list_viewers_masked_and_private_browsing_hides_both_ways(
    world: World,
) -> None:
    alice, bob, carol = world.alice, world.bob, world.carol
    await start_all(alice, bob, carol)
    await connect(alice, bob, "bob")
    await carol.send_text("/edit headline Talent partner")
    await carol.wait_for_text("Your headline is saved")
    await alice.send_text("/views")
    await alice.wait_for_text("Nobody yet")

    await bob.send_text("/profile @alice")
    await bob.wait_for_text("Alice Martin")
    await bob.send_text("/start p_alice")  # the same day: still one view
    await bob.wait_for_text("Alice Martin")
    await carol.send_text("/profile @alice")
    await carol.wait_for_text("Member · Out of network")
    await alice.send_text("/views")
    views = await alice.wait_for_text("Who viewed your profile")
    assert "2 members viewed your profile." in views.content
    lines = views.content.splitlines()
    assert any(line.startswith("• Bob Durand · 1st") for line in lines)
    # Carol is out of Alice's network: "Member" and her headline, never her name.
    assert any(line.startswith("• Member · Out of network") for line in lines)
    assert "Talent partner" in views.content and "Carol" not in views.content

    await carol.send_text("/settings")
    card = await carol.wait_for_text("Settings")
    await carol.press_button(card, "Browse privately")
    await carol.wait_for(lambda _: "Profile views: private" in card.content)
    await carol.send_text("/profile @bob")
    await carol.wait_for_text("Member · Out of network")
    await bob.send_text("/views")
    await bob.wait_for_text("Nobody yet")  # Carol left no trace
    await carol.send_text("/views")
    await carol.wait_for_text("You browse privately, so you don't see who viewed you either")
    assert world.server.rejected == []


async def test_views_in_french(world: World) -> None:
    alice, bob = world.alice, world.bob
    await start_all(alice, bob)
    await bob.send_text("/profile @alice")
    await bob.wait_for_text("Out of network")
    await alice.send_text("/lang fr")
    await alice.wait_for_text("français")
    await alice.send_text("/views")
    views = await alice.wait_for_text("Qui a consulté votre profil")
    assert "1 membre a consulté votre profil." in views.content
    assert "Membre" in views.content
    assert world.server.rejected == []

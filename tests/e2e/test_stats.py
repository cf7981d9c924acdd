"""/stats through the local Bot API server: a PNG photo with the member's figures under it,
in their language; /stats network for admins only."""

from __future__ import annotations

from tests.e2e.conftest import World, connect, start_all
from tests.e2e.test_cards import photo_after, picture


async def test_stats_photo_with_the_same_figures_as_text(world: World) -> None:
    alice, bob, carol = world.alice, world.bob, world.carol
    await start_all(alice, bob, carol)
    await connect(alice, bob, "bob")
    await alice.send_text("/invite @carol")
    await alice.wait_for_text("Invitation sent")
    await bob.send_text("/msg @alice Are you hiring?")
    await alice.wait_for_text("Are you hiring?")
    await bob.send_text("/msg @alice In Lyon?")
    await alice.wait_for_text("In Lyon?")
    await alice.send_text("/msg @bob Yes, in Lyon")
    await bob.wait_for_text("Yes, in Lyon")

    await alice.send_text("/stats")
    stats = await photo_after(alice, "Your last 90 days")
    assert picture(world, stats).format == "PNG"
    assert "Invitations — sent: 2 · accepted: 1 (50%)" in stats.content
    assert "Messages — received: 2 · answered: 2 (100%)" in stats.content
    assert "Median reply time:" in stats.content
    assert "InMails — sent: 0 · answered: 0 (–)" in stats.content

    await carol.send_text("/lang fr")
    await carol.wait_for_text("français")
    await carol.send_text("/stats")
    french = await photo_after(carol, "Vos 90 derniers jours")
    assert "Invitations — envoyées : 0 · acceptées : 0 (–)" in french.content
    await carol.send_text("/stats everything")
    await carol.wait_for_text("/stats réseau")
    assert world.server.rejected == []


async def test_network_stats_for_admins_only(world: World) -> None:
    alice, bob, admin = world.alice, world.bob, world.admin
    await start_all(alice, bob, admin)
    await connect(alice, bob, "bob")
    await alice.send_text("/msg @bob Hello")
    await bob.wait_for_text("Hello")
    await alice.send_text("/stats network")
    await alice.wait_for_text("I don't know that command")  # admin commands stay hidden
    await admin.send_text("/stats network")
    network = await photo_after(admin, "The network")
    assert picture(world, network).format == "PNG"
    assert "Members: 3 · 🔗 Connections: 1" in network.content
    assert "Messages in the last 30 days: 1 (today: 1)" in network.content
    assert "Delivery backlog:" in network.content
    assert world.server.rejected == []

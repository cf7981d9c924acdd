"""The sender's reputation, in a word, on a received invitation and InMail: "new" for a
first-time sender, "reported as spam" once someone reported them, in English and French."""

from __future__ import annotations

from tests.e2e.conftest import World, start_all


async def test_reputation_on_invitations_and_inmails(world: World) -> None:
    alice, bob, carol, dave, admin = world.alice, world.bob, world.carol, world.dave, world.admin
    carol.language_code = "fr"
    await start_all(alice, bob, dave, admin)
    await carol.send_text("/start")
    await carol.wait_for_text("Bienvenue")
    await alice.send_text("/invite @bob")
    invitation = await bob.wait_for_text("Invitation from Alice Martin")
    assert "Sender: 🌱 new sender" in invitation.content

    await admin.send_text("/grant @alice 2")
    await admin.wait_for_text("@alice")
    await alice.send_text("/inmail @carol Poste | Un poste à Lyon")
    inmail = await carol.wait_for_text("Un poste à Lyon")
    assert "Expéditeur : 🌱 nouvel expéditeur" in inmail.content
    await carol.send_text("/spam @alice")
    await carol.wait_for_text("spam")
    await alice.send_text("/inmail @dave Role | A role in Lyon")
    second = await dave.wait_for_text("A role in Lyon")
    assert "Sender: ⚠️ reported as spam" in second.content
    assert world.server.rejected == []

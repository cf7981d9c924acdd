"""French from the first day: chosen from the Telegram language, overridable with /lang."""

from __future__ import annotations

from tests.e2e.conftest import TOKEN, World


async def test_a_french_user_gets_french_everywhere(world: World) -> None:
    server = world.server
    chloe = server.add_user("Chloé", "Dubois", username="chloe", language_code="fr-CA")
    alice = world.alice
    await chloe.send_text("/start")
    await chloe.wait_for_text("Bienvenue sur Bridge, Chloé")
    await alice.send_text("/start")
    await alice.wait_for_text("Welcome")
    await alice.send_text("/invite @chloe Bonjour Chloé !")
    invitation = await chloe.wait_for_text("Invitation de")
    assert "Hors réseau" in invitation.content
    assert [b["text"] for b in invitation.buttons()] == ["✅ Accepter", "✖️ Refuser",
                                                         "💬 Répondre"]
    await chloe.press_button(invitation, "Accepter")
    await chloe.wait_for_text("Vous êtes maintenant en relation avec Alice Martin")
    await alice.send_text("/msg @chloe Ravie de vous connaître")
    relayed = await chloe.wait_for_text("Ravie de vous connaître")
    assert "1er" in relayed.content
    await chloe.send_text("/msg @personne salut")
    await chloe.wait_for_text("Aucun membre @personne")
    await chloe.send_text("/invite")
    await chloe.wait_for_text("Utilisation : /invite @identifiant")
    await chloe.send_text("/lang en")
    await chloe.wait_for_text("I'll speak English with you")
    await chloe.send_text("/inbox")
    await chloe.wait_for_text("Inbox")
    fr_menu = {c["command"]: c["description"] for c in server.bots[TOKEN].commands["fr"]}
    assert fr_menu["invite"] == "Inviter @identifiant, avec une note"

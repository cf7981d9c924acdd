"""French from the first day: chosen from the Telegram language, overridable with /lang."""

from __future__ import annotations

from tests.e2e.conftest import TOKEN, World, start_all


async def test_a_french_user_gets_french_everywhere(world: World) -> None:
    server = world.server
    chloe = server.add_user("Chloé", "Dubois", username="chloe_tg", language_code="fr-CA")
    alice = world.alice
    await chloe.send_text("/start")
    await chloe.wait_for_text("Bienvenue sur Bridge, Chloé")
    await alice.send_text("/start")
    await alice.wait_for_text("Welcome")
    await alice.send_text("/invite @chloe Bonjour Chloé !")
    invitation = await chloe.wait_for_text("Invitation d'Alice Martin")
    assert "Hors réseau" in invitation.content
    assert [b["text"] for b in invitation.buttons()] == [
        "✅ Accepter",
        "✖️ Refuser",
        "💬 Répondre",
        "✅ Ravi de faire votre connaissance !",
        "✅ Parlons-en.",
        "✅ Ravi d'être en relation !",
    ]
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


async def test_french_field_names_notify_words_and_elision(world: World) -> None:
    chloe = world.server.add_user("Chloé", "Dubois", username="chloe_tg", language_code="fr")
    alice, bob = world.alice, world.bob
    await chloe.send_text("/start")
    welcome = await chloe.wait_for_text("Bienvenue sur Bridge")
    assert "Recruteuse" not in welcome.content
    await chloe.send_text("/edit titre Responsable marketing chez Initech")
    await chloe.wait_for_text("Champ « titre » enregistré")
    await chloe.send_text("/edit entreprise Initech")
    await chloe.wait_for_text("Champ « entreprise » enregistré")
    await chloe.send_text("/profile")
    await chloe.wait_for_text("Responsable marketing chez Initech")
    await chloe.send_text("/notify résumé")
    await chloe.wait_for_text("résumés seulement")
    await chloe.send_text("/notify sourdine")
    await chloe.wait_for_text("en sourdine")
    await chloe.send_text("/notify instantané")
    await chloe.wait_for_text("chaque message")
    await start_all(alice, bob)
    await alice.send_text("/invite @chloe")
    await chloe.wait_for_text("Invitation d'Alice Martin")
    await bob.send_text("/invite @chloe")
    await chloe.wait_for_text("Invitation de Bob Durand")

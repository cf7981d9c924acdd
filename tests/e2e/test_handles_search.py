"""Handles members choose (never their Telegram username) and /search in one's own messages,
through the local Bot API server, in English and French."""

from __future__ import annotations

from tests.e2e.conftest import World, connect, start_all


async def test_members_choose_a_handle_and_the_old_one_stops_working(world: World) -> None:
    alice, bob = world.alice, world.bob
    await start_all(alice, bob)
    welcome = alice.bot_messages(since_mark=False)[0]
    assert "@alice" in welcome.content and "/handle changes it" in welcome.content

    await alice.send_text("/handle")
    await alice.wait_for_text("Your handle is @alice")
    for bad, answer in [
        ("/handle ab", "A handle has 3 to 32 characters"),
        ("/handle 9lives", "can't be a handle"),
        ("/handle admin", "@admin is reserved"),
        ("/handle bob", "@bob is taken"),
    ]:
        await alice.send_text(bad)
        await alice.wait_for_text(answer)
    await alice.send_text("/handle @Alice_Recruits")
    await alice.wait_for_text("Your handle is now @alice_recruits")

    await bob.send_text("/invite @alice")
    await bob.wait_for_text("No member @alice")
    await connect(bob, alice, "alice_recruits")

    # The button on one's own card: the next message is the new handle, refused ones retried.
    await bob.send_text("/profile")
    card = await bob.wait_for_text("Bob Durand (@bob)")
    await bob.press_button(card, "Handle")
    await bob.wait_for_text("Send the handle you want in your next message")
    await bob.send_text("alice_recruits")
    await bob.wait_for_text("@alice_recruits is taken")
    await bob.send_text("bob_hires")
    await bob.wait_for_text("Your handle is now @bob_hires")
    await alice.send_text("/profile @bob_hires")
    await alice.wait_for_text("Bob Durand (@bob_hires)")
    assert world.server.rejected == []


async def test_search_finds_own_messages_and_opens_the_conversation(world: World) -> None:
    alice, bob, carol = world.alice, world.bob, world.carol
    await start_all(alice, bob, carol)
    await connect(alice, bob, "bob")
    await connect(bob, carol, "carol")
    await alice.send_text("/msg @bob The contract for Lyon is ready")
    await bob.wait_for_text("The contract for Lyon is ready")
    await bob.send_text("/msg @alice Thanks, I'll sign the contrat tomorrow")
    await alice.wait_for_text("sign the contrat")
    await bob.send_text("/msg @carol Carol: Lyon office opens in May")
    await carol.wait_for_text("Lyon office")

    await alice.send_text("/search lyon")
    results = await alice.wait_for_text("Your messages with “lyon”")
    assert "The contract for Lyon is ready" in results.content
    assert "Lyon office" not in results.content  # Bob's conversation with Carol
    await alice.send_text("/search contr")
    both = await alice.wait_for_text("Your messages with “contr”")
    lines = both.content.splitlines()
    newest, oldest = (
        lines.index("Bob Durand: Thanks, I'll sign the contrat tomorrow"),
        lines.index("You: The contract for Lyon is ready"),
    )
    assert newest < oldest
    await alice.press_button(both, "Bob Durand")
    await alice.wait_for_text("goes to Bob Durand")
    await alice.send_text("/search zeppelin")
    await alice.wait_for_text("No message of yours has these words")
    await alice.send_text("/search")
    await alice.wait_for_text("Usage: /search <words>")
    await alice.send_text("/search ?!")
    await alice.wait_for_text("Tell me what to look for: /search")
    assert world.server.rejected == []


async def test_french_handle_and_search(world: World) -> None:
    chloe = world.server.add_user("Chloé", "Dubois", username="chloe_tg", language_code="fr")
    alice = world.alice
    await start_all(alice)
    await chloe.send_text("/start")
    await chloe.wait_for_text("Bienvenue")
    await chloe.send_text("/handle admin")
    await chloe.wait_for_text("@admin est réservé")
    await chloe.send_text("/handle chloe_rh")
    await chloe.wait_for_text("Votre identifiant est désormais @chloe_rh")
    await alice.send_text("/invite @chloe_rh")
    invitation = await chloe.wait_for_text("Invitation d")
    await chloe.press_button(invitation, "Accepter")
    await chloe.wait_for_text("en relation avec Alice Martin")
    await alice.send_text("/msg @chloe_rh Le contrat est signé")
    await chloe.wait_for_text("Le contrat est signé")
    await chloe.send_text("/search CONTRAT")
    results = await chloe.wait_for_text("Vos messages avec « CONTRAT »")
    assert "Le contrat est signé" in results.content
    assert world.server.rejected == []

"""Warm introductions through the local Bot API server: asked from a 2nd-degree profile,
forwarded with one tap by the common connection (both sides told, a thread between them),
or declined without anyone being told."""

from __future__ import annotations

from tests.e2e.conftest import World, connect, start_all


async def test_introduction_from_profile_forwarded_opens_a_thread(world: World) -> None:
    alice, bob, carol = world.alice, world.bob, world.carol
    await start_all(alice, bob, carol)
    await connect(alice, bob, "bob")
    await connect(bob, carol, "carol")
    await alice.send_text("/profile @carol")
    card = await alice.wait_for_text("Carol Nguyen")
    await alice.press_button(card, "Ask for an introduction")
    ask = await alice.wait_for_text("Write the note asking Bob Durand to introduce you to Carol")
    assert "up to 300 characters" in ask.content
    await alice.send_text("Hi Bob, could you introduce me to Carol? We both hire in Lyon.")
    await alice.wait_for_text("Request sent: if Bob Durand introduces you")
    request = await bob.wait_for_text("Alice Martin asks you for an introduction")
    assert "to Carol Nguyen" in request.content and "We both hire in Lyon" in request.content
    await carol.wait_idle()
    assert not any("introduc" in t for t in carol.texts())  # nothing until Bob forwards

    forward = next(b["callback_data"] for b in request.buttons() if "Introduce" in b["text"])
    await bob.press_button(request, "Introduce them")
    await bob.wait_for(lambda _: "You introduced Alice Martin to Carol Nguyen" in request.content)
    assert request.buttons() == []
    mine = await alice.wait_for_text("Bob Durand introduced you to Carol Nguyen")
    theirs = await carol.wait_for_text("Bob Durand introduced you to Alice Martin")
    assert "We both hire in Lyon" in theirs.content
    await alice.press_button(mine, "Write to Carol Nguyen")
    await alice.wait_for_text("Carol Nguyen")
    await alice.send_text("/msg @carol Glad to meet you!")
    await carol.wait_for_text("Glad to meet you!")
    await carol.send_text("/msg @alice Likewise")
    await alice.wait_for_text("Likewise")

    answer = await bob.press(request.message_id, forward, force=True)  # a stale second tap
    assert answer is not None and "already answered" in answer.get("text", "")
    await alice.send_text("/intro @bob")
    await alice.wait_for_text("You're already connected")
    assert sum("introduced you" in t for t in carol.texts()) == 1
    assert world.server.rejected == []


async def test_declined_introduction_tells_nobody_and_french(world: World) -> None:
    alice, bob, carol, dave = world.alice, world.bob, world.carol, world.dave
    await start_all(alice, bob, carol, dave)
    await connect(alice, bob, "bob")
    await connect(bob, carol, "carol")
    await connect(carol, dave, "dave")
    await bob.send_text("/lang fr")
    await bob.wait_for_text("français")
    await alice.send_text("/intro @dave")  # 3rd degree: Bob is the step towards Dave
    await alice.wait_for_text("Write the note asking Bob Durand")
    await alice.send_text("Hello Bob, an introduction to Dave?")
    await alice.wait_for_text("Request sent")
    request = await bob.wait_for_text("vous demande une mise en relation")
    await bob.press_button(request, "Refuser")
    await bob.wait_for(lambda _: "n'en saura rien" in request.content)
    await alice.send_text("/intro @nobody_here")
    await alice.wait_for_text("No member @nobody_here")
    await alice.send_text("/msg @dave hi")
    await alice.wait_for_text("You can only message your 1st-degree connections")
    await dave.wait_idle()
    assert not any("introduced you" in t for t in dave.texts() + alice.texts())
    assert world.server.rejected == []

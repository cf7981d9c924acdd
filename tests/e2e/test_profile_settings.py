"""Profiles, search ranked by degree, degrees with path, settings, help and commands."""

from __future__ import annotations

from tests.e2e.conftest import TOKEN, World, connect, start_all


async def test_profiles_search_and_degrees_follow_the_network(world: World) -> None:
    alice, bob, carol, dave = world.alice, world.bob, world.carol, world.dave
    await start_all(alice, bob, carol, dave)
    await connect(alice, bob, "bob")
    await connect(bob, carol, "carol")
    await connect(carol, dave, "dave")
    for user, headline in [(bob, "Recruiter at Acme"), (carol, "Recruiter at Globex"),
                           (dave, "Recruiter, freelance")]:
        await user.send_text(f"/edit headline {headline}")
        await user.wait_for_text("Your headline is saved")
    await alice.send_text("/edit salary 100k")
    await alice.wait_for_text("is not a profile field")
    await alice.send_text(f"/edit about {'a' * 2601}")
    await alice.wait_for_text("2601 characters; the limit is 2600")

    await alice.send_text("/find recruiter")
    results = await alice.wait_for_text("members for “recruiter”")
    lines = [line for line in results.content.splitlines() if line.startswith("•")]
    assert lines[0].startswith("• Bob Durand · 1st")
    assert lines[1].startswith("• Carol Nguyen · 2nd")
    assert lines[2].startswith("• Dave S. · 3rd")  # 3rd degree: first name, last initial
    await alice.send_text("/find")
    await alice.wait_for_text("Usage: /find <words>")

    await alice.send_text("/degree @dave")
    degree = await alice.wait_for_text("3rd-degree")
    assert "Alice Martin → Bob Durand → Carol Nguyen → Dave S." in degree.content
    await alice.send_text("/profile @carol")
    card = await alice.wait_for_text("Carol Nguyen")
    assert "2nd" in card.content and "mutual: Bob Durand" in card.content
    assert [b["text"] for b in card.buttons()] == ["🤝 Invite", "✉️ InMail"]
    await alice.press_button(card, "Invite")
    await carol.wait_for_text("Invitation from Alice Martin · 2nd")

    await alice.send_text("/remove @bob")
    await alice.wait_for_text("is no longer a connection")
    await alice.send_text("/degree @bob")
    await alice.wait_for_text("out of your network")
    await alice.send_text("/block @dave")
    await alice.wait_for_text("@dave is blocked")
    await dave.send_text("/msg @alice hi")
    await dave.wait_for_text("not available")


async def test_settings_help_language_and_registered_commands(world: World) -> None:
    alice = world.alice
    await start_all(alice)
    await alice.send_text("/settings")
    card = await alice.wait_for_text("Settings")
    await alice.press_button(card, "2nd degree only")
    await alice.wait_for(lambda chat: "2nd-degree members only" in card.content)
    await alice.press_button(card, "Mute")
    await alice.wait_for(lambda chat: "muted (inbox only)" in card.content)
    await alice.send_text("/help")
    help_text = await alice.wait_for_text("/invite")
    assert "/grant" not in help_text.content  # admin commands are hidden from members
    await alice.send_text("/frobnicate")
    await alice.wait_for_text("I don't know that command")
    await alice.send_text("/lang de")
    await alice.wait_for_text("is not a valid choice")
    bot = world.server.bots[TOKEN]
    english = {c["command"] for c in bot.commands[""]}
    assert {"invite", "inbox", "inmail", "msg"} <= english and "grant" not in english
    assert {c["command"] for c in bot.commands["fr"]} == english
    await alice.send_text("/start p_bob")
    await alice.wait_for_text("No member @bob")

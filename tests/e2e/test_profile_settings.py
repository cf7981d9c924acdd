"""Profiles, search ranked by degree, degrees with path, settings, help and commands."""

from __future__ import annotations

from tests.e2e.conftest import TOKEN, World, connect, start_all


async def test_profiles_search_and_degrees_follow_the_network(world: World) -> None:
    alice, bob, carol, dave = world.alice, world.bob, world.carol, world.dave
    await start_all(alice, bob, carol, dave)
    await connect(alice, bob, "bob")
    await connect(bob, carol, "carol")
    await connect(carol, dave, "dave")
    for user, headline in [
        (bob, "Recruiter at Acme"),
        (carol, "Recruiter at Globex"),
        (dave, "Recruiter, freelance"),
    ]:
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
    assert [b["text"] for b in card.buttons()] == [
        "🤝 Invite",
        "✉️ InMail",
        "⭐ Save lead",
        "🙋 Ask for an introduction",
    ]
    await alice.press_button(card, "Invite")
    ask = await alice.wait_for_text("Add a note?")
    await alice.press_button(ask, "Send without a note")
    await carol.wait_for_text("Invitation from Alice Martin · 2nd")

    await alice.send_text("/remove @bob")
    confirm = await alice.wait_for_text("Remove Bob Durand from your connections?")
    await alice.press_button(confirm, "Remove")
    await alice.wait_for(lambda _: "is no longer a connection" in confirm.content)
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


async def test_the_invite_button_asks_for_a_note_kept_across_a_restart(world: World) -> None:
    alice, bob, carol = world.alice, world.bob, world.carol
    await start_all(alice, bob, carol)
    await alice.send_text("/profile @bob")
    card = await alice.wait_for_text("Member")
    await alice.press_button(card, "Invite")
    ask = await alice.wait_for_text("Add a note?")
    assert [b["text"] for b in ask.buttons()] == ["📨 Send without a note", "✍️ Write a note"]
    await bob.wait_idle()
    assert not any("Invitation" in t for t in bob.texts())  # nothing sent yet
    await alice.press_button(ask, "Write a note")
    await alice.wait_for_text("Write your note")
    await world.bot.stop()  # the note being written survives a restart
    await world.bot.start()
    await alice.send_text("Hi Bob, we met at VivaTech")
    await alice.wait_for_text("Invitation sent to Member with your note")
    invitation = await bob.wait_for_text("Invitation from Alice Martin")
    assert "Hi Bob, we met at VivaTech" in invitation.content
    await alice.send_text("And a plain message now")  # the prompt was used once, not twice
    await alice.wait_idle()
    await bob.wait_idle()
    assert not any("And a plain message now" in t for t in bob.texts())
    assert sum("Invitation sent" in t for t in alice.texts()) == 1

    await alice.send_text("/profile @carol")
    card = await alice.wait_for_text("Member")
    await alice.press_button(card, "Invite")
    ask = await alice.wait_for_text("Add a note?")
    await alice.press_button(ask, "Send without a note")
    await alice.wait_for(lambda _: "Invitation sent" in ask.content and not ask.buttons())
    await carol.wait_for_text("Invitation from Alice Martin")
    await alice.send_text("/invite @carol a note after all")  # the command still works
    await alice.wait_for_text("already waiting")
    assert world.server.rejected == []


async def test_welcome_and_own_card_edit_the_profile_with_buttons(world: World) -> None:
    alice, bob = world.alice, world.bob
    await alice.send_text("/start")
    welcome = await alice.wait_for_text("Welcome to Bridge")
    assert "Headline" in " ".join(b["text"] for b in welcome.buttons())
    await alice.press_button(welcome, "Headline")
    await alice.wait_for_text("Send your headline")
    await world.bot.stop()
    await world.bot.start()
    await alice.send_text("Data engineer at Initech")
    await alice.wait_for_text("Your headline is saved")
    await alice.send_text("/profile")
    card = await alice.wait_for_text("Data engineer at Initech")
    assert "mutual" not in card.content
    await alice.press_button(card, "About")
    await alice.wait_for_text("Send your “About” section")
    await alice.send_text("Ten years of pipelines.")
    await alice.wait_for_text("Your “About” section is saved")
    await alice.send_text("/edit about Twelve years.")
    await alice.wait_for_text("Your “About” section is saved")
    await alice.send_text("/start")
    back = await alice.wait_for_text("Welcome back")
    assert "Your handle is" not in back.content and back.buttons()

    await bob.send_text("/start")
    await bob.wait_for_text("Welcome to Bridge")
    await connect(alice, bob, "bob")
    await alice.send_text("/degree @alice")
    degree = await alice.wait_for_text("is you")
    assert "Mutual" not in degree.content
    await alice.send_text("/profile")
    card = await alice.wait_for_text("1 connection")
    assert "mutual" not in card.content


async def test_remove_asks_first(world: World) -> None:
    alice, bob = world.alice, world.bob
    await start_all(alice, bob)
    await connect(alice, bob, "bob")
    await alice.send_text("/remove @bob")
    confirm = await alice.wait_for_text("Remove Bob Durand from your connections?")
    await alice.press_button(confirm, "Keep")
    await alice.wait_for(lambda _: not confirm.buttons())
    await alice.send_text("/degree @bob")
    await alice.wait_for_text("1st-degree")
    await alice.send_text("/remove @bob")
    confirm = await alice.wait_for_text("Remove Bob Durand from your connections?")
    await alice.press_button(confirm, "Remove")
    await alice.wait_for(
        lambda _: (
            "Bob Durand is no longer a connection" in confirm.content and not confirm.buttons()
        )
    )
    await alice.send_text("/degree @bob")
    await alice.wait_for_text("out of your network")


async def test_credits_plans_and_no_dead_ends_for_free_members(world: World) -> None:
    alice, bob, admin = world.alice, world.bob, world.admin
    await start_all(alice, bob, admin)
    await alice.send_text("/profile @bob")
    card = await alice.wait_for_text("Member")
    await alice.press_button(card, "InMail")
    refusal = await alice.wait_for_text("no InMail credits")
    assert "/credits" in refusal.content
    assert not any("Write your InMail" in t for t in alice.texts())  # not led to write
    await alice.send_text("/credits")
    credits = await alice.wait_for_text("Balance")
    assert "How to get credits" in credits.content and "/buy" in credits.content
    assert "Premium Career" in credits.content

    await admin.send_text("/plan @alice sales_navigator")
    plan = await admin.wait_for_text("Sales Navigator")
    assert "sales_navigator" not in plan.content
    await admin.send_text("/plan @alice premium_career")
    lower = await admin.wait_for_text("Premium Career")
    assert "60" in lower.content and "15" in lower.content and "keep" in lower.content
    await alice.send_text("/credits")
    credits = await alice.wait_for_text("Balance: 60")
    assert "above" in credits.content and "keep" in credits.content


async def test_wording_labels_and_sponsoring(world: World) -> None:
    alice, bob, admin = world.alice, world.bob, world.admin
    await start_all(alice, bob, admin)
    headline = "Senior recruitment partnerships lead for teams"
    await bob.send_text(f"/edit headline {headline}")
    await bob.wait_for_text("Your headline is saved")
    await alice.send_text("/find recruitment")
    results = await alice.wait_for_text("for “recruitment”")
    label = results.buttons()[0]["text"]
    assert label.endswith("…"), label  # cut, and saying so
    assert label.removesuffix("…").split()[-1] in headline.split(), label  # at a word
    await admin.send_text("/grant @alice 2")
    await admin.wait_for_text("+2")
    await alice.send_text("/inmail @bob Role | A role for you")
    await alice.wait_for_text("InMail sent to @bob.")
    inmail = await bob.wait_for_text("A role for you")
    assert "Sponsored" not in inmail.content

"""The inbox (filters, counts, actions edited in place) and InMail with credits."""

from __future__ import annotations

from tests.e2e.conftest import World, connect, start_all


async def test_inbox_counts_people_and_actions_edit_the_page_in_place(world: World) -> None:
    alice, bob, carol = world.alice, world.bob, world.carol
    await start_all(alice, bob, carol)
    await connect(alice, bob, "bob")
    await connect(carol, bob, "bob")
    for i in range(4):
        ping = await alice.send_text(f"/msg @bob ping {i}")
        await alice.wait_for_reaction(ping, "👌")
    await carol.send_text("/msg @bob hello from Carol")
    await bob.wait_for_text("hello from Carol")
    await bob.send_text("/inbox")
    page = await bob.wait_for_text("Inbox")
    assert "5 unread messages from 2 people" in page.content
    assert page.content.index("Carol Nguyen") < page.content.index("Alice Martin")
    entry = next(b for b in page.buttons() if "Alice Martin" in b["text"])
    await bob.press(page.message_id, entry["callback_data"])
    # The same message becomes the conversation card (edited in place, not re-sent).
    await bob.wait_for(lambda chat: any("🗄 Archive" in b["text"] for b in page.buttons()))
    assert "ping 0" in page.content and "0 unread" in page.content  # opening reads it
    await bob.press_button(page, "🗄 Archive")
    await bob.wait_for(lambda chat: "archived" in page.content)
    await bob.press_button(page, "⬅️ Inbox")
    await bob.wait_for(lambda chat: "Alice Martin" not in page.content)
    await bob.press_button(page, "Archived")
    await bob.wait_for(lambda chat: "Alice Martin" in page.content)
    await bob.send_text("/spam @carol")
    await bob.wait_for_text("Reported as spam: Carol Nguyen")
    await bob.send_text("/inbox spam")
    spam = await bob.wait_for_text("Spam")
    assert "Carol Nguyen" in spam.content
    await bob.send_text("/inbox everything")
    await bob.wait_for_text("Usage: /inbox [all|unread|archived|inmail|spam|invitations|sales]")
    await bob.send_text("/read @nobody")
    await bob.wait_for_text("No member @nobody")


async def test_inmail_needs_credits_and_is_answered(world: World) -> None:
    alice, dave, admin = world.alice, world.dave, world.admin
    await start_all(alice, dave, admin)
    await alice.send_text("/inmail @dave Role in Lyon | We are hiring a lead engineer")
    refusal = await alice.wait_for_text("no InMail credits")
    assert "doesn't include InMail credits" in refusal.content
    await alice.send_text("/grant @alice 3")
    await alice.wait_for_text("I don't know that command")
    await admin.send_text("/grant @alice 3")
    await admin.wait_for_text("+3 InMail credits for @alice")
    await alice.send_text("/inmail @dave no subject separator")
    await alice.wait_for_text("Usage: /inmail @handle <subject> | <message>")
    await alice.send_text("/inmail @dave Role in Lyon | We are hiring a lead engineer")
    await alice.wait_for_text("InMail sent to @dave. 2 credits left")
    inmail = await dave.wait_for_text("InMail")
    # An ordinary InMail is no ad: "Sponsored" is for InMails flagged as such only.
    assert "Sponsored" not in inmail.content and "Role in Lyon" in inmail.content
    assert "Alice Martin" in inmail.content
    await dave.press_button(inmail, "Interested")
    await dave.wait_for_text("interested")
    await alice.send_text("/credits")
    credits = await alice.wait_for_text("Balance")
    assert "Balance: 2" in credits.content and "InMail sent" in credits.content
    await dave.send_text("Happy to chat", reply_to=inmail.message_id)
    await alice.wait_for_text("Happy to chat")


async def test_invitations_without_a_note_are_in_the_inbox_and_the_digest_acts(
    world: World,
) -> None:
    alice, bob, carol = world.alice, world.bob, world.carol
    await start_all(alice, bob, carol)
    await alice.send_text("/invite @bob")  # no note
    await bob.wait_for_text("Invitation from Alice Martin")
    await carol.send_text("/invite @bob Hello Bob, shall we connect?")
    await bob.wait_for_text("Hello Bob, shall we connect?")
    await bob.send_text("/inbox invitations")
    page = await bob.wait_for_text("Inbox")
    assert "Alice Martin" in page.content and "Carol Nguyen" in page.content
    assert "2 invitations" in page.content
    await bob.press_button(page, "Alice Martin")
    await bob.wait_for(lambda chat: any("Accept" in b["text"] for b in page.buttons()))
    await bob.press_button(page, "Accept")
    await bob.wait_for_text("You are now connected with Alice Martin")

    # A digest with only an invitation says so and offers to act on it.
    await bob.send_text("/digest")
    digest = await bob.wait_for_text("1 invitation")
    await bob.press_button(digest, "invitation")
    received = await bob.wait_for_text("Hello Bob, shall we connect?")
    await bob.press_button(received, "Accept")
    await bob.wait_for_text("You are now connected with Carol Nguyen")
    assert world.server.rejected == []


async def test_inbox_header_counts_what_the_filter_shows(world: World) -> None:
    alice, bob, carol = world.alice, world.bob, world.carol
    await start_all(alice, bob, carol)
    await connect(alice, bob, "bob")
    await connect(carol, bob, "bob")
    for text in ("one", "two"):
        await alice.send_text(f"/msg @bob {text} from Alice")
        await bob.wait_for_text(f"{text} from Alice")
    await carol.send_text("/msg @bob hi from Carol")
    await bob.wait_for_text("hi from Carol")
    await bob.send_text("/read @carol")
    await bob.wait_for_text("Marked read")
    await bob.send_text("/archive @carol")
    await bob.wait_for_text("Archived")

    async def header(word: str) -> str:
        await bob.send_text(f"/inbox {word}")
        page = await bob.wait_for_text("Inbox")
        return page.content.splitlines()[1]

    assert "nothing unread" in await header("archived")  # one read conversation
    assert "2 unread messages from 1 person" in await header("all")
    await bob.send_text("/spam @alice")
    await bob.wait_for_text("Reported as spam")
    assert "2 unread messages from 1 person" in await header("spam")
    assert "nothing unread" in await header("all")
    assert "nothing unread" in await header("unread")


async def test_opening_from_the_inbox_reads_and_back_keeps_the_filter(world: World) -> None:
    alice, bob = world.alice, world.bob
    await start_all(alice, bob)
    await connect(alice, bob, "bob")
    await alice.send_text("/msg @bob Are you free on Monday?")
    await bob.wait_for_text("Are you free on Monday?")
    await bob.send_text("/inbox unread")
    page = await bob.wait_for_text("Inbox")
    assert "1 unread message from 1 person" in page.content
    await bob.press_button(page, "Alice Martin")
    await bob.wait_for(
        lambda chat: "Are you free on Monday?" in page.content and "⬅️ Inbox" in str(page.buttons())
    )
    assert "0 unread" in page.content  # reading it marks it read
    await bob.press_button(page, "⬅️ Inbox")
    await bob.wait_for(lambda chat: "Inbox · Unread" in page.content)
    assert "nothing unread" in page.content and "Alice Martin" not in page.content


async def test_inbox_pages_go_back_with_previous(world: World) -> None:
    bob = world.bob
    await start_all(bob)
    senders = [
        world.server.add_user(f"Sender{i}", "Test", username=f"sender{i}_tg") for i in range(10)
    ]
    for i, sender in enumerate(senders):  # ten invitation threads, oldest first
        await start_all(sender)
        await sender.send_text(f"/invite @bob Note number {i}")
        await sender.wait_for_text("Invitation sent")
    await bob.send_text("/inbox")
    page = await bob.wait_for_text("Inbox")
    first = page.content
    assert "Sender9" in first and "Sender0" not in first
    assert not any("Previous" in b["text"] for b in page.buttons())
    await bob.press_button(page, "Next")
    await bob.wait_for(lambda chat: "Sender0" in page.content)
    assert "Sender9" not in page.content
    await bob.press_button(page, "Previous")
    await bob.wait_for(lambda chat: "Sender9" in page.content)
    assert page.content == first
    assert not any("Previous" in b["text"] for b in page.buttons())


async def test_conversation_commands_work_as_replies_to_a_relayed_message(
    world: World,
) -> None:
    alice, bob = world.alice, world.bob
    await start_all(alice, bob)
    await connect(alice, bob, "bob")
    await alice.send_text("/msg @bob Quick question about the offer")
    relayed = await bob.wait_for_text("Quick question about the offer")
    await bob.send_text("/archive", reply_to=relayed.message_id)  # one step, no handle
    await bob.wait_for_text("Archived: Alice Martin")
    await bob.send_text("/inbox archived")
    page = await bob.wait_for_text("Inbox · Archived")
    assert "Alice Martin" in page.content
    await bob.send_text("/unread", reply_to=relayed.message_id)
    await bob.wait_for_text("Marked unread: Alice Martin")
    await bob.send_text("/read", reply_to=relayed.message_id)
    await bob.wait_for_text("Marked read: Alice Martin")
    await bob.send_text("/spam", reply_to=relayed.message_id)
    await bob.wait_for_text("Reported as spam: Alice Martin")
    welcome = next(m for m in bob.chat if m.from_bot)  # not a relayed message
    await bob.send_text("/delete", reply_to=welcome.message_id)
    await bob.wait_for_text("Usage: /delete @handle")
    assert world.server.rejected == []


async def test_a_message_with_no_conversation_is_offered_to_the_obvious_one(
    world: World,
) -> None:
    alice, bob, dave, admin = world.alice, world.bob, world.dave, world.admin
    await start_all(alice, bob, dave, admin)
    await connect(alice, bob, "bob")
    await alice.send_text("/msg @bob Can we talk tomorrow?")
    relayed = await bob.wait_for_text("Can we talk tomorrow?")
    await bob.send_text("Sure!", reply_to=relayed.message_id)
    await alice.wait_for_text("Sure!")
    await bob.send_text("Around 10 works for me")  # no reply, no open conversation
    refusal = await bob.wait_for_text("Who is this for?")
    assert "Alice Martin" in refusal.content
    # The held text is in the database: it survives a restart of the bot.
    await world.bot.stop()
    await world.bot.start()
    await bob.press_button(refusal, "Send to Alice Martin")
    await alice.wait_for_text("Around 10 works for me")
    await bob.wait_for_text("Sent to")
    await bob.wait_for(lambda chat: refusal.buttons() == [])
    again = await bob.press(refusal.message_id, "hs:1", force=True)  # pressed twice
    assert again is not None and "already sent" in again["text"]
    assert sum("Around 10 works for me" in t for t in alice.texts()) == 1

    # After answering an InMail with a button, plain text is offered to its sender.
    await admin.send_text("/grant @alice 1")
    await admin.wait_for_text("+1 InMail credit")
    await alice.send_text("/inmail @dave Role in Lyon | We are hiring a lead engineer")
    inmail = await dave.wait_for_text("Role in Lyon")
    await dave.press_button(inmail, "Interested")
    await dave.wait_for_text("interested")
    await dave.send_text("Happy to hear more")
    offer = await dave.wait_for_text("Who is this for?")
    await dave.press_button(offer, "Send to Alice Martin")
    await alice.wait_for_text("Happy to hear more")
    assert world.server.rejected == []

"""Relaying: media keep their kind, edits and reactions mirror, long texts split, user
content is escaped, /open and /forward."""

from __future__ import annotations

from tests.e2e.conftest import World, connect, start_all


async def test_media_keep_their_kind_and_edits_and_reactions_mirror(world: World) -> None:
    alice, bob = world.alice, world.bob
    await start_all(alice, bob)
    await connect(alice, bob, "bob")
    await alice.send_text("/open @bob")
    await alice.wait_for_text("Everything you send now goes to Bob Durand")
    await alice.send_video_note(duration=7, length=240)
    note = await bob.wait_for_kind("video_note")
    assert (note.duration, note.length) == (7, 240)
    header = bob.chat[bob.chat.index(note) - 1]
    assert "Alice Martin" in header.content and "Video note 0:07" in header.content
    await alice.send_photo(caption="Our booth")
    photo = await bob.wait_for_kind("photo")
    assert "Our booth" in photo.caption and "Alice Martin" in photo.caption
    await alice.send_document(file_name="deck.pdf")
    document = await bob.wait_for_kind("document")
    assert document.file_name == "deck.pdf"

    sent = await alice.send_text("See you at 10")
    relayed = await bob.wait_for_text("See you at 10")
    await alice.edit_text(sent.message_id, "See you at 11")
    await bob.wait_for(lambda chat: "See you at 11" in relayed.content and relayed.edited)
    assert "edited" in relayed.content

    await bob.react(relayed.message_id, "👍")
    await alice.wait_for(lambda chat: sent.reactions.get("bot") == ["👍"])
    await bob.react(relayed.message_id, None)
    await alice.wait_for(lambda chat: sent.reactions.get("bot") == [])
    assert world.server.rejected == []


async def test_long_text_is_split_never_cut_and_names_are_escaped(world: World) -> None:
    alice, bob = world.alice, world.bob
    alice.first_name, alice.last_name = "<b>Al</b>", "& Co"
    await start_all(alice, bob)
    await connect(alice, bob, "bob")
    body = " ".join(f"word{i}" for i in range(1000))  # ~7,900 characters: two messages
    assert 4096 < len(body) <= 8000
    await alice.send_text(f"/msg @bob {body}")
    await bob.wait_for(lambda chat: any("word999" in m.content for m in chat if m.from_bot))
    parts = [m.content for m in bob.chat if m.from_bot and "word" in m.content]
    assert len(parts) == 2 and all(len(p) <= 4096 for p in parts)
    words = " ".join(parts).split()
    assert [w for w in words if w.startswith("word")] == body.split()
    assert "<b>Al</b> & Co" in parts[0]  # shown literally, not as markup
    await alice.send_text(f"/msg @bob {'y' * 8001}")
    await alice.wait_for_text("8001 characters; the limit is 8000")


async def test_replies_route_to_the_conversation_and_forward_marks_the_author(
    world: World,
) -> None:
    alice, bob, carol = world.alice, world.bob, world.carol
    await start_all(alice, bob, carol)
    await connect(alice, bob, "bob")
    await connect(bob, carol, "carol")
    await alice.send_text("/msg @bob Intro: we need a data engineer")
    relayed = await bob.wait_for_text("we need a data engineer")
    await bob.send_text("/forward @carol", reply_to=relayed.message_id)
    await bob.wait_for_text("Forwarded to Carol Nguyen")
    forwarded = await carol.wait_for_text("we need a data engineer")
    assert "Forwarded from Alice Martin" in forwarded.content
    await bob.send_text("Hello, who is this for?")
    await bob.wait_for_text("Who is this for?")
    await bob.send_text("/close")
    await bob.wait_for_text("No conversation was open")


async def test_relayed_header_shows_a_handle_to_type(world: World) -> None:
    """A relayed message names its sender's @handle, so a conversation command can be typed
    from what the header shows (issue 11: archiving took three presses)."""
    alice, bob = world.alice, world.bob
    await start_all(alice, bob)
    await connect(alice, bob, "bob")
    await alice.send_text("/msg @bob Quick question about the role")
    relayed = await bob.wait_for_text("Quick question about the role")
    assert "@alice" in relayed.content
    await bob.send_text("/archive @alice")
    await bob.wait_for_text("Archived")
    await bob.send_text("/inbox archived")
    page = await bob.wait_for_text("Inbox · Archived")
    assert "Alice Martin" in page.content
    assert world.server.rejected == []


async def test_msg_is_acknowledged_by_a_reaction_not_a_message(world: World) -> None:
    """The receipt of a /msg costs none of Telegram's message budget: the bot's 👌 on the
    sender's own message. A recipient who can't be reached now, and a refusal, still answer
    with a text."""
    alice, bob, carol = world.alice, world.bob, world.carol
    await start_all(alice, bob, carol)
    await connect(alice, bob, "bob")
    await alice.wait_idle(0.3)
    before = len(alice.bot_messages(since_mark=False))
    sent = await alice.send_text("/msg @bob Coffee at 4?")
    await bob.wait_for_text("Coffee at 4?")
    await alice.wait_for_reaction(sent, "👌")
    await alice.wait_idle(0.3)
    assert len(alice.bot_messages(since_mark=False)) == before  # no message in her chat
    assert world.server.calls.get("setMessageReaction") == 1

    refused = await alice.send_text("/msg @carol Hello stranger")
    await alice.wait_for_text("1st-degree connections")
    assert not refused.reactions.get("bot")

    await bob.block_bot()
    await world.server.wait_until_confirmed()  # taken in before Alice writes
    away = await alice.send_text("/msg @bob While you are away")
    await alice.wait_for_text("they'll get it when they come back")
    assert not away.reactions.get("bot")
    assert world.server.rejected == []

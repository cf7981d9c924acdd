"""Invitations end to end: decline, reply without accepting, withdraw, and bad input."""

from __future__ import annotations

from tests.e2e.conftest import World, connect, start_all


async def test_a_declined_invitation_looks_pending_to_its_sender(world: World) -> None:
    """As on LinkedIn, declining is silent: nothing the sender can do reveals it, until they
    withdraw (and the withdrawal's cooldown applies, as for any withdrawn invitation)."""
    alice, bob = world.alice, world.bob
    await start_all(alice, bob)
    await alice.send_text("/invite @bob Let's talk about the role")
    invitation = await bob.wait_for_text("Invitation")
    await bob.press_button(invitation, "Decline")
    await bob.wait_for_text("declined")
    await bob.send_text("/inbox")
    inbox = await bob.wait_for_text("Inbox")
    assert "Let's talk about the role" not in inbox.content  # the declined note is gone
    assert "Alice" not in inbox.content

    note = await alice.send_text("/msg @bob Did you see my note?")
    await alice.wait_for_reaction(note, "👌")
    await alice.send_text("/invitations")
    pending = await alice.wait_for_text("Sent to")
    assert [b["text"] for b in pending.buttons()] == ["↩️ Withdraw"]
    await alice.send_text("/profile @bob")
    card = await alice.wait_for_text("connection")
    assert [b["text"] for b in card.buttons()] == [
        "↩️ Withdraw",
        "💬 Message",
        "✉️ InMail",
        "⭐ Save lead",
    ]
    await alice.send_text("/invite @bob again")
    await alice.wait_for_text("already waiting for an answer")
    await alice.send_text("/degree @bob")
    await alice.wait_for_text("out of your network")
    await alice.wait_idle()
    await bob.wait_idle()
    assert not any("Did you see my note" in t for t in bob.texts())  # silenced, not relayed
    for text in alice.texts():
        assert "declined" not in text.lower() and "closed" not in text.lower(), text

    await alice.press_button(pending, "Withdraw")
    await alice.wait_for_text("withdrawn")
    await alice.send_text("/invite @bob once more")
    await alice.wait_for_text("You can invite this member again after")
    assert world.server.rejected == []


async def test_reply_without_accepting_opens_the_invitation_thread(world: World) -> None:
    alice, bob = world.alice, world.bob
    await start_all(alice, bob)
    await alice.send_text("/invite @bob Quick question about Lyon")
    invitation = await bob.wait_for_text("Invitation")
    await bob.press_button(invitation, "Reply")
    await bob.wait_for_text("Write your reply")
    await bob.send_text("Happy to answer before connecting")
    answer = await alice.wait_for_text("Happy to answer before connecting")
    assert "Bob Durand" in answer.content
    await alice.send_text("Thanks!", reply_to=answer.message_id)
    await bob.wait_for_text("Thanks!")
    await alice.send_text("/invitations")
    pending = await alice.wait_for_text("Sent to")
    await alice.press_button(pending, "Withdraw")
    await alice.wait_for_text("withdrawn")


async def test_buttons_are_authorized_against_the_presser(world: World) -> None:
    alice, bob, carol = world.alice, world.bob, world.carol
    await start_all(alice, bob, carol)
    await alice.send_text("/invite @bob")
    invitation = await bob.wait_for_text("Invitation")
    accept = next(b["callback_data"] for b in invitation.buttons() if "Accept" in b["text"])
    # Carol forges Bob's button on a message of her own chat: refused, nothing changes.
    welcome = next(m for m in carol.chat if m.from_bot)
    answer = await carol.press(welcome.message_id, accept, force=True)
    assert answer is not None and answer.get("show_alert")
    assert "no such invitation for you" in answer["text"]
    forged = await carol.press(welcome.message_id, "ia:zzz:<b>", force=True)
    assert "no longer valid" in forged["text"]
    await bob.press_button(invitation, "Accept")
    await bob.wait_for_text("You are now connected")
    again = await bob.press(invitation.message_id, accept, force=True)
    assert "already answered" in again["text"]


async def test_bad_invitation_input_gets_clear_errors(world: World) -> None:
    alice, bob = world.alice, world.bob
    await start_all(alice, bob)
    for command, expected in [
        ("/invite", "Usage: /invite @handle"),
        ("/invite @nobody_here", "No member @nobody_here"),
        ("/invite @bad!handle", "is not a valid handle"),
        ("/invite @alice", "You can't do that to yourself"),
        (f"/invite @bob {'x' * 301}", "301 characters; an invitation note holds at most 300"),
        ("/accept @bob", "There is no such invitation"),
        ("/msg @bob hello", "You can only message your 1st-degree connections"),
    ]:
        await alice.send_text(command)
        await alice.wait_for_text(expected)
    await alice.send_text("/invite @bob short note")
    await alice.wait_for_text("Invitation sent")
    await alice.send_text("/invite @bob twice")
    await alice.wait_for_text("already waiting")
    assert world.server.rejected == []


# Alice typed @anais herself: echoing it back tells her nothing new.
LEAKS_OUT = ("Anaïs", "Roussel", "Initech", "Lyon")
LEAKS_THIRD = ("Smith", "@dave", "Globex", "Berlin")


async def test_names_stay_masked_by_degree_everywhere(world: World) -> None:
    """Out of network: "Member"; 3rd degree: first name and initial. Inviting or writing to
    someone does not unmask them; only their own contact (a message, an invitation) does."""
    alice, bob, carol, dave, admin = world.alice, world.bob, world.carol, world.dave, world.admin
    anais = world.server.add_user("Anaïs", "Roussel", language_code="en")
    await start_all(alice, bob, carol, dave, admin, anais)
    await connect(alice, bob, "bob")
    await connect(bob, carol, "carol")
    await connect(carol, dave, "dave")
    for user, fields in (
        (anais, ("headline Data engineer", "company Initech", "location Lyon")),
        (dave, ("headline Data architect", "company Globex", "location Berlin")),
    ):
        for field in fields:
            await user.send_text(f"/edit {field}")
            await user.wait_for_text("is saved")
    await admin.send_text("/grant @alice 3")
    await admin.wait_for_text("+3 InMail credits")
    seen_before = len(alice.chat)

    # Out of network, invited by the handle Alice was given: never her name or company.
    await alice.send_text("/invite @anais Hello, shall we connect?")
    await alice.wait_for_text("Invitation sent")
    await anais.wait_for_text("Invitation from Alice Martin")
    await alice.send_text("/invitations")
    await alice.wait_for_text("Sent to")
    await alice.send_text("/open @anais")
    await alice.wait_for_text("Everything you send now goes to")
    await alice.send_text("/close")
    await alice.wait_for_text("Conversation closed")

    # 3rd degree, found by search: "Dave S.", no handle, no company or location.
    await alice.send_text("/find data architect")
    results = await alice.wait_for_text("for “data architect”")
    assert "Dave S. · 3rd" in results.content
    await alice.press_button(results, "Dave S.")
    card = await alice.wait_for_text("Dave S.")
    await alice.press_button(card, "InMail")
    await alice.wait_for_text("Write your InMail")
    await alice.send_text("Data role | Would you talk about a data role?")
    sent = await alice.wait_for_text("InMail sent")
    assert "Dave S." in sent.content and "S.." not in sent.content
    inmail = await dave.wait_for_text("Would you talk about a data role?")
    assert "Alice Martin" in inmail.content  # whoever writes shows who they are
    await alice.send_text("/inbox")
    inbox = await alice.wait_for_text("Inbox")
    assert "Dave S. · 3rd" in inbox.content
    await alice.wait_idle()

    texts = [m.content for m in alice.chat[seen_before:] if m.from_bot]
    labels = [b["text"] for m in alice.chat[seen_before:] if m.from_bot for b in m.buttons()]
    for text in texts + labels:
        for leak in LEAKS_OUT + LEAKS_THIRD:
            assert leak not in text, (leak, text)

    # Once Dave answers, he has shown himself: his full name is fine from then on.
    await dave.press_button(inmail, "Reply")
    await dave.wait_for_text("Everything you send now goes to")
    await dave.send_text("Sure, call me tomorrow")
    answer = await alice.wait_for_text("Sure, call me tomorrow")
    assert "Dave Smith" in answer.content
    assert world.server.rejected == []


async def test_reporting_an_invitation_as_spam_ends_it_silently(world: World) -> None:
    alice, bob, admin = world.alice, world.bob, world.admin
    await start_all(alice, bob, admin)
    await alice.send_text("/invite @bob Cheap followers, click here")
    await bob.wait_for_text("Invitation")
    await bob.send_text("/spam @alice")
    await bob.wait_for_text("Reported as spam")
    await bob.send_text("/invitations")
    await bob.wait_for_text("No pending invitations")
    await bob.send_text("/digest")
    await bob.wait_for_text("Nothing unread")
    await admin.send_text("/reports")
    await admin.wait_for_text("@bob reported @alice")
    # Alice is not told: to her the invitation is still waiting.
    await alice.send_text("/invitations")
    await alice.wait_for_text("Sent to")
    asked = await alice.send_text("/msg @bob Did you get it?")
    await alice.wait_for_reaction(asked, "👌")
    await bob.wait_idle()
    assert not any("Did you get it?" in t for t in bob.texts())


async def test_answering_by_command_settles_the_invitation_message(world: World) -> None:
    alice, bob, carol = world.alice, world.bob, world.carol
    await start_all(alice, bob, carol)
    await alice.send_text("/invite @bob")
    await alice.wait_for_text("Invitation sent")
    invitation = await bob.wait_for_text("Invitation from")
    await alice.send_text("/accept @bob")
    mine = await alice.wait_for_text("you sent")
    assert "@bob" in mine.content and "/withdraw" in mine.content
    await bob.send_text("/accept @alice")
    await bob.wait_for_text("You are now connected")
    await bob.wait_for(lambda _: not invitation.buttons() and "Accepted" in invitation.content)

    await carol.send_text("/invite @bob Coffee at Station F?")
    note = await bob.wait_for_text("Coffee at Station F?")
    await bob.send_text("/decline @carol")
    await bob.wait_for_text("declined")
    await bob.wait_for(lambda _: not note.buttons() and "Declined" in note.content)
    await bob.send_text("/inbox")
    inbox = await bob.wait_for_text("Inbox")
    assert "Coffee at Station F?" not in inbox.content


async def test_inviting_back_settles_their_invitation_message(world: World) -> None:
    alice, bob = world.alice, world.bob
    await start_all(alice, bob)
    await bob.send_text("/invite @alice")
    invitation = await alice.wait_for_text("Invitation from Bob Durand")
    await alice.send_text("/invite @bob")
    await alice.wait_for_text("had already invited you")
    await alice.wait_for(lambda _: not invitation.buttons() and "Accepted" in invitation.content)
    await bob.wait_for_text("Alice Martin accepted your invitation")

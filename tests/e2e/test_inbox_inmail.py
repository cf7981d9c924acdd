"""The inbox (filters, counts, actions edited in place) and InMail with credits."""

from __future__ import annotations

from tests.e2e.conftest import World, connect, start_all


async def test_inbox_counts_people_and_actions_edit_the_page_in_place(world: World) -> None:
    alice, bob, carol = world.alice, world.bob, world.carol
    await start_all(alice, bob, carol)
    await connect(alice, bob, "bob")
    await connect(carol, bob, "bob")
    for i in range(4):
        await alice.send_text(f"/msg @bob ping {i}")
        await alice.wait_for_text("Sent to")
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
    assert "ping 0" in page.content and "4 unread" in page.content
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
    await bob.wait_for_text("Usage: /inbox [all|unread|archived|inmail|spam|invitations]")
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

"""/export's content: the member's profile (no Telegram identity), connections, every
conversation with the messages they still have, names masked as in their chat, the ledger."""

from __future__ import annotations

from bridge.core.app import Core
from bridge.core.models import Mailbox
from tests.conftest import MakeMember, connect


async def test_export_holds_what_the_member_may_see(core: Core, member: MakeMember) -> None:
    alice, bob = await member("Alice", "Martin", username="alice_tg"), await member("Bob")
    dan = await member("Dan", "Brown")
    admin = await member("Admin", telegram_id=999_000)
    await connect(core, alice, bob)
    await core.messaging.send(alice.id, bob.id, "Hello Bob")
    await core.messaging.send(bob.id, alice.id, "Hi Alice")
    await core.credits.grant(admin, alice.id, 1)
    await core.credits.send_inmail(alice.id, dan.id, "Role", "A role for you")
    conversation_id = await core.inbox.conversation_with(alice.id, bob.id)
    await core.inbox.archive(alice.id, conversation_id)

    data = await core.export.collect(alice.id)
    assert data.profile["handle"] == "alice" and "username" not in data.profile
    assert "telegram_id" not in data.profile
    assert [v.name for v in data.connections] == ["Bob"]
    by_other = {c.other.id: c for c in data.conversations}
    assert [m.text for m in by_other[bob.id].messages] == ["Hello Bob", "Hi Alice"]
    assert by_other[bob.id].archived
    # Dan never answered the InMail: he stays masked, as in Alice's inbox
    assert not by_other[dan.id].other.named
    assert [e.kind.value for e in data.ledger][:2] == ["spend", "grant"]

    # a conversation Bob deleted is not in his export
    await core.inbox.delete(bob.id, conversation_id)
    assert (await core.export.collect(bob.id)).conversations == []


async def test_export_holds_tags_notes_and_sales(core: Core, member: MakeMember) -> None:
    """What the member wrote about their contacts (tags, private notes) is theirs to take,
    and a conversation moved to the sales mailbox is still one of their conversations."""
    alice, bob = await member("Alice", "Martin"), await member("Bob", "Durand")
    carol = await member("Carol", "Nguyen")
    admin = await member("Admin", telegram_id=999_000)
    await core.credits.set_plan(admin, alice.id, "sales_navigator")
    await connect(core, alice, bob)
    await connect(core, alice, carol)
    await core.messaging.send(alice.id, carol.id, "About the Lyon role")
    await core.inbox.move(
        alice.id, await core.inbox.conversation_with(alice.id, carol.id), Mailbox.SALES
    )
    await core.contacts.tag(alice.id, bob.id, ["candidate", "lyon"])
    await core.contacts.set_note(alice.id, bob.id, "Met at VivaTech; call back")

    data = await core.export.collect(alice.id)
    assert {(t.contact.id, t.tag) for t in data.tags} == {
        (bob.id, "candidate"),
        (bob.id, "lyon"),
    }
    assert [(n.contact.id, n.text) for n in data.notes] == [(bob.id, "Met at VivaTech; call back")]
    assert carol.id in {c.other.id for c in data.conversations}
    assert (await core.export.collect(bob.id)).tags == []  # Alice's tags are hers alone

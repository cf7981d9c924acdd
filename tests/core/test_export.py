"""/export's content: the member's profile (no Telegram identity), connections, every
conversation with the messages they still have, names masked as in their chat, the ledger."""

from __future__ import annotations

from bridge.core.app import Core
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

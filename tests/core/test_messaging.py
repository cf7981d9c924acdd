from __future__ import annotations

import pytest

from bridge.core import errors
from bridge.core.app import Core
from bridge.core.models import Attachment, AttachmentKind, Degree
from tests.conftest import MakeMember, connect


async def test_connections_message_each_other_and_counters_follow(
    core: Core, member: MakeMember
) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    await connect(core, alice, bob)
    delivery = await core.messaging.send(alice.id, bob.id, "Hi Bob")
    assert delivery.recipient_state.unread_count == 1
    assert delivery.sender_as_seen.degree == Degree.FIRST
    await core.messaging.send(alice.id, bob.id, "Are you free?")
    assert (await core.inbox.unread_summary(bob.id)).model_dump() == {"messages": 2, "people": 1}
    await core.messaging.send(bob.id, alice.id, "Yes")
    assert (await core.inbox.unread_summary(bob.id)).messages == 0  # replying reads it
    assert (await core.inbox.unread_summary(alice.id)).messages == 1


async def test_non_connection_is_told_which_ways_are_open(core: Core, member: MakeMember) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    with pytest.raises(errors.NotConnected) as raised:
        await core.messaging.send(alice.id, bob.id, "hello")
    assert raised.value.params["ways"] == ["invite"]  # no InMail credit on the free plan
    admin = await member("Admin", telegram_id=999_000)
    await core.credits.grant(admin, alice.id, 2)
    with pytest.raises(errors.NotConnected) as raised:
        await core.messaging.send(alice.id, bob.id, "hello")
    assert raised.value.params["ways"] == ["invite", "inmail"]
    await core.members.set_inmail_opt_out(bob.id, True)
    await core.invitations.invite(alice.id, await _id(member, "Carol"), None)
    with pytest.raises(errors.NotConnected) as raised:
        await core.messaging.send(alice.id, bob.id, "hello")
    assert raised.value.params["ways"] == ["invite"]


async def _id(member: MakeMember, name: str) -> int:
    return (await member(name)).id


async def test_message_content_rules(core: Core, member: MakeMember) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    await connect(core, alice, bob)
    with pytest.raises(errors.EmptyMessage):
        await core.messaging.send(alice.id, bob.id, "   ")
    with pytest.raises(errors.EmptyMessage):
        await core.messaging.send(alice.id, bob.id, None)
    await core.messaging.send(alice.id, bob.id, "x" * 8000)
    with pytest.raises(errors.MessageTooLong) as raised:
        await core.messaging.send(alice.id, bob.id, "x" * 8001)
    assert raised.value.params == {"limit": 8000, "length": 8001}
    with pytest.raises(errors.CannotTargetSelf):
        await core.messaging.send(alice.id, alice.id, "me")


@pytest.mark.parametrize("kind", list(AttachmentKind))
async def test_every_attachment_kind_is_stored_with_its_metadata(
    core: Core, member: MakeMember, kind: AttachmentKind
) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    await connect(core, alice, bob)
    attachment = Attachment(
        kind=kind,
        file_id=f"file-{kind}",
        file_unique_id="u1",
        duration=42,
        file_size=1234,
        mime_type="audio/ogg",
        file_name="a.bin",
        width=1,
        height=2,
        length=240,
        emoji="👍",
        title="t",
    )
    delivery = await core.messaging.send(alice.id, bob.id, None, attachment=attachment)
    stored = (await core.messaging.conversation(bob.id, alice.id)).messages[-1]
    assert stored.id == delivery.message.id
    assert stored.attachment == attachment
    assert stored.text is None


async def test_author_edits_keep_history(core: Core, member: MakeMember) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    await connect(core, alice, bob)
    sent = (await core.messaging.send(alice.id, bob.id, "Helo")).message
    edited, other = await core.messaging.edit(alice.id, sent.id, "Hello")
    assert edited.text == "Hello" and edited.edited_at is not None and other == bob.id
    async with core.deps.store.transaction() as tx:
        history = await tx.messages.edits(sent.id)
    assert [h.old_text for h in history] == ["Helo"]
    with pytest.raises(errors.NotMessageAuthor):
        await core.messaging.edit(bob.id, sent.id, "Hacked")
    with pytest.raises(errors.EmptyMessage):
        await core.messaging.edit(alice.id, sent.id, "")


async def test_outsiders_cannot_touch_a_message(core: Core, member: MakeMember) -> None:
    alice, bob, eve = await member("Alice"), await member("Bob"), await member("Eve")
    await connect(core, alice, bob)
    sent = (await core.messaging.send(alice.id, bob.id, "secret")).message
    with pytest.raises(errors.MessageNotFound):
        await core.messaging.react(eve.id, sent.id, "👍")
    with pytest.raises(errors.MessageNotFound):
        await core.messaging.get_message(eve.id, sent.id)
    with pytest.raises(errors.MessageNotFound):
        await core.messaging.edit(eve.id, sent.id, "x")


async def test_one_reaction_per_member_changeable_and_removable(
    core: Core, member: MakeMember
) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    await connect(core, alice, bob)
    sent = (await core.messaging.send(alice.id, bob.id, "Deal?")).message
    reactions, other = await core.messaging.react(bob.id, sent.id, "👍")
    assert [(r.member_id, r.emoji) for r in reactions] == [(bob.id, "👍")] and other == alice.id
    reactions, _ = await core.messaging.react(bob.id, sent.id, "🔥")
    assert [(r.member_id, r.emoji) for r in reactions] == [(bob.id, "🔥")]
    reactions, _ = await core.messaging.react(alice.id, sent.id, "❤")
    assert len(reactions) == 2
    reactions, _ = await core.messaging.react(bob.id, sent.id, None)
    assert [(r.member_id, r.emoji) for r in reactions] == [(alice.id, "❤")]
    for bad in ("", "abc", "x" * 20):
        with pytest.raises(errors.InvalidReaction):
            await core.messaging.react(bob.id, sent.id, bad)


async def test_forward_to_a_connection_marks_the_author(core: Core, member: MakeMember) -> None:
    alice, bob, carol = await member("Alice"), await member("Bob"), await member("Carol")
    await connect(core, alice, bob)
    await connect(core, bob, carol)
    voice = Attachment(kind=AttachmentKind.VOICE, file_id="v1", duration=42)
    original = (await core.messaging.send(alice.id, bob.id, None, attachment=voice)).message
    delivery = await core.messaging.forward(bob.id, original.id, carol.id)
    assert delivery.message.forwarded_from_id == alice.id
    assert delivery.message.attachment == voice
    assert delivery.recipient.id == carol.id
    with pytest.raises(errors.NotAConnection):
        await core.messaging.forward(bob.id, original.id, (await member("Dan")).id)
    with pytest.raises(errors.MessageNotFound):
        await core.messaging.forward(carol.id, original.id, bob.id)


async def test_reply_to_must_be_in_the_same_conversation(core: Core, member: MakeMember) -> None:
    alice, bob, carol = await member("Alice"), await member("Bob"), await member("Carol")
    await connect(core, alice, bob)
    await connect(core, alice, carol)
    first = (await core.messaging.send(bob.id, alice.id, "Q?")).message
    answer = await core.messaging.send(alice.id, bob.id, "A!", reply_to_id=first.id)
    assert answer.message.reply_to_id == first.id
    foreign = await core.messaging.send(alice.id, carol.id, "x", reply_to_id=first.id)
    assert foreign.message.reply_to_id is None

"""Conversations, each member's side of one, messages, edits, reactions, held messages and
Telegram copies through the port."""

from __future__ import annotations

import pytest

from bridge.core.models import Attachment, AttachmentKind, ChatCopy, MessageKind
from bridge.storage.port import ConstraintViolation, Store
from tests.storage.contract.population import LATER, NOW, add_members, conversation, write


async def test_one_conversation_per_pair_with_a_side_for_each_member(store: Store) -> None:
    ann, bob, cleo = await add_members(store, "Ann", "Bob", "Cleo")
    chat = await conversation(store, bob, ann)
    assert (chat.member_a, chat.member_b) == (ann.id, bob.id)  # the smaller id first
    assert (chat.created_at, chat.last_activity_at, chat.last_message_id) == (NOW, NOW, None)
    async with store.read() as tx:
        assert await tx.conversations.between(ann.id, bob.id) == chat
        assert await tx.conversations.between(bob.id, ann.id) == chat
        assert await tx.conversations.between(ann.id, cleo.id) is None
        assert await tx.conversations.get(chat.id) == chat
        for member in (ann, bob):
            side = await tx.conversations.state(chat.id, member.id)
            assert (
                side.unread_count,
                side.last_read_message_id,
                side.archived,
                side.deleted,
                side.spam,
                side.inmail,
                side.last_activity_at,
            ) == (0, 0, False, False, False, False, NOW)
        with pytest.raises(LookupError):
            await tx.conversations.state(chat.id, cleo.id)
    with pytest.raises(ConstraintViolation):
        await conversation(store, ann, bob)


async def test_a_conversation_and_a_side_save_every_field(store: Store) -> None:
    ann, bob = await add_members(store, "Ann", "Bob")
    chat = await conversation(store, ann, bob)
    async with store.transaction() as tx:
        message_id = await write(tx, chat.id, ann, "hi")
        invitation = await tx.invitations.add(ann.id, bob.id, None, chat.id, NOW)
        changed = chat.model_copy(
            update=dict(
                last_message_id=message_id, last_activity_at=LATER, invitation_id=invitation.id
            )
        )
        await tx.conversations.save(changed)
        side = (await tx.conversations.state(chat.id, bob.id)).model_copy(
            update=dict(
                unread_count=3,
                last_read_message_id=message_id,
                archived=True,
                deleted=True,
                cleared_through=message_id,
                spam=True,
                inmail=True,
                last_activity_at=LATER,
            )
        )
        await tx.conversations.save_state(side)
    async with store.read() as tx:
        assert await tx.conversations.get(chat.id) == changed
        assert await tx.conversations.state(chat.id, bob.id) == side
        assert (await tx.conversations.state(chat.id, ann.id)).unread_count == 0


async def test_the_unread_summary_counts_messages_and_people_outside_spam_and_deleted(
    store: Store,
) -> None:
    me, *others = await add_members(store, "Me", "A", "B", "C", "D")
    unread = {"A": (2, {}), "B": (1, {}), "C": (5, {"spam": True}), "D": (4, {"deleted": True})}
    async with store.transaction() as tx:
        for other in others:
            chat = await tx.conversations.create(me.id, other.id, NOW)
            count, flags = unread[other.first_name]
            side = await tx.conversations.state(chat.id, me.id)
            await tx.conversations.save_state(
                side.model_copy(update=dict(unread_count=count, **flags))
            )
        summary = await tx.conversations.unread_summary(me.id)
        assert (summary.messages, summary.people) == (3, 2)
        assert (await tx.conversations.unread_summary(others[0].id)).messages == 0


async def test_the_recent_peer_is_the_last_one_set(store: Store) -> None:
    ann, bob, cleo = await add_members(store, "Ann", "Bob", "Cleo")
    async with store.transaction() as tx:
        assert await tx.conversations.recent_peer(ann.id) is None
        await tx.conversations.set_recent_peers([(ann.id, bob.id), (bob.id, ann.id)], NOW)
        await tx.conversations.set_recent_peers([(ann.id, cleo.id)], LATER)
        await tx.conversations.set_recent_peers([], LATER)
        assert await tx.conversations.recent_peer(ann.id) == cleo.id
        assert await tx.conversations.recent_peer(bob.id) == ann.id


async def test_a_message_keeps_its_kind_subject_attachment_and_links(store: Store) -> None:
    ann, bob = await add_members(store, "Ann", "Bob")
    chat = await conversation(store, ann, bob)
    voice = Attachment(
        kind=AttachmentKind.VOICE,
        file_id="F",
        file_unique_id="U",
        duration=7,
        file_size=1234,
        mime_type="audio/ogg",
    )
    async with store.transaction() as tx:
        first = await write(tx, chat.id, ann, "Hello; <b>Bob</b> & co")
        message = await tx.messages.add(
            chat.id,
            bob.id,
            LATER,
            kind=MessageKind.INMAIL,
            text=None,
            subject="Role",
            attachment=voice,
            reply_to_id=first,
            forwarded_from_id=ann.id,
        )
        assert (
            message.kind,
            message.text,
            message.subject,
            message.attachment,
            message.reply_to_id,
            message.forwarded_from_id,
            message.created_at,
            message.edited_at,
        ) == (MessageKind.INMAIL, None, "Role", voice, first, ann.id, LATER, None)
        assert await tx.messages.get(message.id) == message
        got = await tx.messages.get_many([message.id, first, 10_000])
        assert set(got) == {first, message.id}
        assert got[first].text == "Hello; <b>Bob</b> & co"
    with pytest.raises(ConstraintViolation):  # a reply to nothing
        async with store.transaction() as tx:
            await tx.messages.add(
                chat.id, bob.id, NOW, kind=MessageKind.MESSAGE, text="x", reply_to_id=10_000
            )


async def test_history_windows_and_counts_from_the_other_side(store: Store) -> None:
    ann, bob, cleo = await add_members(store, "Ann", "Bob", "Cleo")
    chat = await conversation(store, ann, bob)
    elsewhere = await conversation(store, ann, cleo)
    async with store.transaction() as tx:
        ids = [
            await write(tx, chat.id, sender, f"m{n}")
            for n, sender in enumerate([ann, bob, bob, ann, bob])
        ]
        await write(tx, elsewhere.id, cleo, "other conversation")

        async def texts(after: int, before: int | None, limit: int) -> list[str | None]:
            return [m.text for m in await tx.messages.history(chat.id, after, before, limit)]

        assert await texts(0, None, 10) == ["m0", "m1", "m2", "m3", "m4"]
        assert await texts(0, None, 2) == ["m3", "m4"]  # the newest, oldest first
        assert await texts(ids[0], ids[4], 10) == ["m1", "m2", "m3"]  # both ends excluded
        assert await tx.messages.count_from_other(chat.id, ann.id, 0) == 3
        assert await tx.messages.count_from_other(chat.id, ann.id, ids[2]) == 1
        latest = await tx.messages.latest_from_other(chat.id, ann.id, 0)
        assert latest is not None and latest.id == ids[4]
        assert await tx.messages.latest_from_other(chat.id, bob.id, ids[3]) is None
        assert await tx.messages.previous_id(chat.id, ids[2]) == ids[1]
        assert await tx.messages.previous_id(chat.id, ids[0]) == 0
        assert await tx.messages.written_to(ann.id, [chat.id, elsewhere.id]) == {
            chat.id,
            elsewhere.id,
        }
        assert await tx.messages.written_to(cleo.id, [elsewhere.id]) == set()
        assert await tx.messages.written_to(ann.id, []) == set()


async def test_edits_keep_every_earlier_text(store: Store) -> None:
    ann, bob = await add_members(store, "Ann", "Bob")
    chat = await conversation(store, ann, bob)
    async with store.transaction() as tx:
        message_id = await write(tx, chat.id, ann, "helo")
        await tx.messages.edit(message_id, "hello", NOW)
        await tx.messages.edit(message_id, "hello!", LATER)
        message = await tx.messages.get(message_id)
        assert message is not None and (message.text, message.edited_at) == ("hello!", LATER)
        assert [(e.old_text, e.edited_at) for e in await tx.messages.edits(message_id)] == [
            ("helo", NOW),
            ("hello", LATER),
        ]


async def test_one_reaction_per_member_and_message(store: Store) -> None:
    ann, bob = await add_members(store, "Ann", "Bob")
    chat = await conversation(store, ann, bob)
    async with store.transaction() as tx:
        message_id = await write(tx, chat.id, ann, "hi")
        await tx.messages.set_reaction(message_id, bob.id, "👍", NOW)
        await tx.messages.set_reaction(message_id, bob.id, "❤", LATER)  # replaces it
        await tx.messages.set_reaction(message_id, ann.id, "🔥", LATER)
        assert sorted(
            (r.member_id, r.emoji) for r in await tx.messages.reactions(message_id)
        ) == sorted([(bob.id, "❤"), (ann.id, "🔥")])
        assert await tx.messages.remove_reaction(message_id, bob.id) is True
        assert await tx.messages.remove_reaction(message_id, bob.id) is False
        assert [r.emoji for r in await tx.messages.reactions(message_id)] == ["🔥"]


async def test_a_held_message_is_taken_once_and_only_by_its_writer(store: Store) -> None:
    ann, bob = await add_members(store, "Ann", "Bob")
    photo = Attachment(kind=AttachmentKind.PHOTO, file_id="P", width=10, height=20)
    async with store.transaction() as tx:
        held = await tx.messages.hold(ann.id, bob.id, "later", photo, (100, 7), NOW)
        plain = await tx.messages.hold(ann.id, bob.id, None, None, None, NOW)
        assert await tx.messages.take_held(held, bob.id) is None  # not Bob's
        taken = await tx.messages.take_held(held, ann.id)
        assert taken is not None
        assert (taken.member_id, taken.peer_id, taken.text, taken.attachment, taken.origin) == (
            ann.id,
            bob.id,
            "later",
            photo,
            (100, 7),
        )
        assert await tx.messages.take_held(held, ann.id) is None  # once
        other = await tx.messages.take_held(plain, ann.id)
        assert other is not None and (other.text, other.attachment, other.origin) == (
            None,
            None,
            None,
        )


async def test_only_a_members_last_20_held_messages_stay(store: Store) -> None:
    ann, bob = await add_members(store, "Ann", "Bob")
    async with store.transaction() as tx:
        ids = [await tx.messages.hold(ann.id, bob.id, f"t{n}", None, None, NOW) for n in range(22)]
        assert await tx.messages.take_held(ids[0], ann.id) is None
        assert await tx.messages.take_held(ids[1], ann.id) is None
        kept = await tx.messages.take_held(ids[2], ann.id)
        assert kept is not None and kept.text == "t2"


async def test_a_telegram_message_maps_to_one_stored_message(store: Store) -> None:
    ann, bob = await add_members(store, "Ann", "Bob")
    chat = await conversation(store, ann, bob)
    async with store.transaction() as tx:
        first = await write(tx, chat.id, ann, "one")
        second = await write(tx, chat.id, ann, "two")
        original = ChatCopy(
            message_id=first, member_id=ann.id, chat_id=1, telegram_message_id=5, is_original=True
        )
        relayed = ChatCopy(message_id=first, member_id=bob.id, chat_id=2, telegram_message_id=8)
        await tx.copies.add(original)
        await tx.copies.add(relayed)
        assert await tx.copies.by_telegram(1, 5) == original
        assert await tx.copies.of_message(first, bob.id) == [relayed]
        # The chat started over (a new bot token): the id now shows another message.
        reused = ChatCopy(message_id=second, member_id=bob.id, chat_id=2, telegram_message_id=8)
        await tx.copies.add(reused)
        assert await tx.copies.by_telegram(2, 8) == reused
        assert await tx.copies.of_message(first, bob.id) == []
        await tx.copies.remove(2, 8)
        assert await tx.copies.by_telegram(2, 8) is None


async def test_a_route_reads_conversation_connection_open_inmail_and_blocks_at_once(
    store: Store,
) -> None:
    ann, bob, cleo = await add_members(store, "Ann", "Bob", "Cleo")
    async with store.read() as tx:  # strangers: nothing between them, one row all the same
        assert tuple(await tx.conversations.route(ann.id, bob.id)) == (
            None,
            False,
            None,
            False,
            False,
        )
    chat = await conversation(store, bob, ann)
    async with store.transaction() as tx:
        await tx.connections.add(ann.id, bob.id, NOW)
        to_ann = await tx.inmails.add(
            bob.id, ann.id, chat.id, await write(tx, chat.id, bob, "hi"), "Role", NOW, LATER
        )
        await tx.blocks.add(bob.id, ann.id, NOW)
        await tx.blocks.add(cleo.id, ann.id, NOW)
    async with store.read() as tx:
        from_ann = await tx.conversations.route(ann.id, bob.id)
        assert (from_ann.conversation, from_ann.connected) == (chat, True)
        assert from_ann.open_inmail_id == to_ann.id  # sent to Ann: hers to answer
        assert (from_ann.you_blocked, from_ann.they_blocked) == (False, True)
        from_bob = await tx.conversations.route(bob.id, ann.id)
        assert (from_bob.conversation, from_bob.connected) == (chat, True)
        assert from_bob.open_inmail_id is None  # Bob sent it: nothing for him to answer
        assert (from_bob.you_blocked, from_bob.they_blocked) == (True, False)
        to_cleo = await tx.conversations.route(ann.id, cleo.id)
        assert (to_cleo.connected, to_cleo.you_blocked, to_cleo.they_blocked) == (
            False,
            False,
            True,
        )


async def test_both_sides_states_in_one_read(store: Store) -> None:
    ann, bob, cleo = await add_members(store, "Ann", "Bob", "Cleo")
    chat = await conversation(store, ann, bob)
    await conversation(store, ann, cleo)
    async with store.read() as tx:
        states = await tx.conversations.states(chat.id)
        assert states == {
            ann.id: await tx.conversations.state(chat.id, ann.id),
            bob.id: await tx.conversations.state(chat.id, bob.id),
        }

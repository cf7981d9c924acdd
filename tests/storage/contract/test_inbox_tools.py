"""The port's inbox tools for members with busy inboxes: full-text search of one member's
messages, quiet conversations counted and archived, invitations expired and counted by
sender, handles by prefix, and a sender's record — on every backend."""

from __future__ import annotations

from datetime import timedelta

from bridge.core.models import InvitationStatus, MessageKind
from bridge.storage.bulk import MessageRow
from bridge.storage.port import Store
from tests.storage.contract.population import LATER, NOW, add_members, conversation, write


async def test_message_search_is_per_member_newest_first_and_folded(store: Store) -> None:
    ann, bob, cy = await add_members(store, "Ann", "Bob", "Cy")
    ab, bc = await conversation(store, ann, bob), await conversation(store, bob, cy)
    async with store.transaction() as tx:
        first = await write(tx, ab.id, ann, "Le contrat de Lyon")
        second = await write(tx, ab.id, bob, "CONTRATS signés à LYON")
        theirs = await write(tx, bc.id, bob, "contrat Lyon, entre nous")
        inmail = await tx.messages.add(
            ab.id, bob.id, NOW, kind=MessageKind.INMAIL, text="Bonjour", subject="Poste à Lyon"
        )
    async with store.read() as tx:
        found = await tx.messages.search(ann.id, ["contrat", "lyon"], None, 10)
        assert [m.id for m in found] == [second, first]
        assert [m.id for m in await tx.messages.search(ann.id, ["poste"], None, 10)] == [inmail.id]
        assert [m.id for m in await tx.messages.search(ann.id, ["lyon"], second, 10)] == [first]
        assert [m.id for m in await tx.messages.search(cy.id, ["contrat"], None, 10)] == [theirs]
        assert await tx.messages.search(ann.id, ["ontrat"], None, 10) == []  # word starts
        assert await tx.messages.search(ann.id, [], None, 10) == []
    async with store.transaction() as tx:
        await tx.messages.edit(first, "Le devis de Paris", LATER)
        state = await tx.conversations.state(ab.id, ann.id)
        assert state is not None
    async with store.read() as tx:
        assert [m.id for m in await tx.messages.search(ann.id, ["lyon"], None, 10)] == [
            inmail.id,
            second,
        ]
        assert [m.id for m in await tx.messages.search(ann.id, ["devis"], None, 10)] == [first]


async def test_quiet_conversations_are_counted_and_archived(store: Store) -> None:
    ann, bob, cy = await add_members(store, "Ann", "Bob", "Cy")
    for other, at in ((bob, NOW), (cy, NOW + timedelta(days=10))):
        conv = await conversation(store, ann, other)
        async with store.transaction() as tx:
            await write(tx, conv.id, other, "hi")
            conv.last_message_id = (await tx.messages.history(conv.id, 0, None, 1))[0].id
            await tx.conversations.save(conv)
            state = await tx.conversations.state(conv.id, ann.id)
            state.last_activity_at = at
            await tx.conversations.save_state(state)
    before = NOW + timedelta(days=5)
    async with store.transaction() as tx:
        assert await tx.conversations.count_quiet(ann.id, before) == 1
        assert await tx.conversations.archive_quiet(ann.id, before) == 1
        assert await tx.conversations.count_quiet(ann.id, before) == 0
        assert await tx.conversations.count_quiet(bob.id, before) == 1  # his side: not archived


async def test_bulk_loaded_messages_are_found_by_search_for_their_members(store: Store) -> None:
    """The seeding path writes messages around the per-row index upkeep (SQLite: one index
    fill afterwards; PostgreSQL: COPY, the words a generated column): searchable all the same,
    punctuation a word break and accents folded on both."""
    ann, bob, cy = await add_members(store, "Ann", "Bob", "Cy")
    ab = await conversation(store, ann, bob)
    async with store.transaction() as tx:
        old = await write(tx, ab.id, ann, "Devis pour Lyon")
    bulk = store.bulk()
    first = await bulk.next_id("messages")
    rows = [
        MessageRow(first, ab.id, bob.id, MessageKind.MESSAGE, "Le rapport.pdf de Zoé", None, NOW),
        MessageRow(first + 1, ab.id, ann.id, MessageKind.INMAIL, "Bonjour", "Élodie, Lyon", NOW),
    ]
    async with bulk.session():
        assert await bulk.add_messages(rows) == 2
    async with store.read() as tx:
        found = await tx.messages.search(ann.id, ["lyon"], None, 10)
        assert [m.id for m in found] == [first + 1, old]
        assert [m.id for m in await tx.messages.search(bob.id, ["pdf"], None, 10)] == [first]
        assert [m.id for m in await tx.messages.search(bob.id, ["zoe", "rapp"], None, 10)] == [
            first
        ]
        assert [m.id for m in await tx.messages.search(bob.id, ["elodie"], None, 10)] == [first + 1]
        assert await tx.messages.search(cy.id, ["lyon"], None, 10) == []


async def test_invitations_expire_in_batches_and_are_counted_by_sender(store: Store) -> None:
    ann, bob, cy, dee = await add_members(store, "Ann", "Bob", "Cy", "Dee")
    async with store.transaction() as tx:
        for other in (bob, cy, dee):
            conv = await tx.conversations.create(ann.id, other.id, NOW)
            await tx.invitations.add(ann.id, other.id, None, conv.id, NOW)
    later = NOW + timedelta(days=200)
    async with store.transaction() as tx:
        first = await tx.invitations.expire(NOW + timedelta(seconds=1), later, 2)
        assert [i.status for i in first] == [InvitationStatus.EXPIRED] * 2
        assert all(i.responded_at == later for i in first)
        rest = await tx.invitations.expire(NOW + timedelta(seconds=1), later, 2)
        assert len(rest) == 1
        assert await tx.invitations.expire(NOW + timedelta(seconds=1), later, 2) == []
    async with store.read() as tx:
        assert await tx.invitations.expired_since([ann.id, bob.id], NOW) == {ann.id: 3}
        assert await tx.invitations.expired_since([ann.id], later) == {}
        record = await tx.members.sender_record(ann.id, NOW - timedelta(days=1))
        assert (record.invitations, record.accepted, record.spam_reports) == (3, 0, 0)
        assert (await tx.members.sender_record(ann.id, LATER)).invitations == 0


async def test_members_by_handle_prefix(store: Store) -> None:
    await add_members(store, "member__7", "member_8", "Ann")
    async with store.read() as tx:
        assert [m.handle for m in await tx.members.with_handle_prefix("member__")] == ["member__7"]

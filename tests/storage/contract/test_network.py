"""Connections and invitations through the port: a connection is one undirected pair;
at most one pending invitation per direction, however requests race."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bridge.core.models import InvitationStatus
from bridge.storage.port import ConstraintViolation, Store
from tests.storage.contract.population import LATER, NOW, add_members, conversation


async def test_a_connection_is_one_undirected_pair(store: Store) -> None:
    ann, bob, cleo = await add_members(store, "Ann", "Bob", "Cleo")
    async with store.transaction() as tx:
        await tx.connections.add(ann.id, bob.id, NOW)
        await tx.connections.add(bob.id, ann.id, NOW)  # the same connection
        await tx.connections.add(cleo.id, ann.id, LATER)
        assert await tx.connections.exists(bob.id, ann.id)
        assert not await tx.connections.exists(bob.id, cleo.id)
        assert (await tx.connections.count(ann.id), await tx.connections.count(bob.id)) == (2, 1)
        edges = [frozenset(e) async for e in tx.connections.all_edges()]
        assert sorted(edges, key=sorted) == [
            frozenset({ann.id, bob.id}),
            frozenset({ann.id, cleo.id}),
        ]
        # Newest first, paged.
        assert await tx.connections.list(ann.id, 0, 10) == [cleo.id, bob.id]
        assert await tx.connections.list(ann.id, 1, 10) == [bob.id]
        assert await tx.connections.list(ann.id, 0, 1) == [cleo.id]
        assert await tx.connections.remove(bob.id, ann.id) is True
        assert await tx.connections.remove(ann.id, bob.id) is False
        assert await tx.connections.list(bob.id, 0, 10) == []


async def test_a_connection_needs_two_existing_members(store: Store) -> None:
    (ann,) = await add_members(store, "Ann")
    for a, b in ((ann.id, ann.id), (ann.id, ann.id + 100)):
        with pytest.raises(ConstraintViolation):
            async with store.transaction() as tx:
                await tx.connections.add(a, b, NOW)


async def test_an_invitation_is_pending_until_answered(store: Store) -> None:
    ann, bob = await add_members(store, "Ann", "Bob")
    chat = await conversation(store, ann, bob)
    async with store.transaction() as tx:
        invitation = await tx.invitations.add(ann.id, bob.id, "Hi Bob", chat.id, NOW)
        assert (
            invitation.sender_id,
            invitation.recipient_id,
            invitation.note,
            invitation.status,
            invitation.conversation_id,
            invitation.created_at,
            invitation.responded_at,
        ) == (ann.id, bob.id, "Hi Bob", InvitationStatus.PENDING, chat.id, NOW, None)
        assert await tx.invitations.get(invitation.id) == invitation
        assert await tx.invitations.pending(ann.id, bob.id) == invitation
        assert await tx.invitations.pending(bob.id, ann.id) is None  # directed
        assert await tx.invitations.received(bob.id, InvitationStatus.PENDING) == [invitation]
        assert await tx.invitations.sent(ann.id, InvitationStatus.PENDING) == [invitation]
        assert await tx.invitations.received(ann.id, InvitationStatus.PENDING) == []
        await tx.invitations.set_status(invitation.id, InvitationStatus.ACCEPTED, LATER)
        answered = await tx.invitations.get(invitation.id)
        assert answered is not None
        assert (answered.status, answered.responded_at) == (InvitationStatus.ACCEPTED, LATER)
        assert await tx.invitations.pending(ann.id, bob.id) is None
        assert await tx.invitations.sent(ann.id, InvitationStatus.ACCEPTED) == [answered]


async def test_one_pending_invitation_per_direction(store: Store) -> None:
    ann, bob = await add_members(store, "Ann", "Bob")
    chat = await conversation(store, ann, bob)
    async with store.transaction() as tx:
        first = await tx.invitations.add(ann.id, bob.id, None, chat.id, NOW)
    with pytest.raises(ConstraintViolation):
        async with store.transaction() as tx:
            await tx.invitations.add(ann.id, bob.id, "again", chat.id, NOW)
    async with store.transaction() as tx:
        await tx.invitations.add(bob.id, ann.id, None, chat.id, NOW)  # the other way: allowed
        await tx.invitations.set_status(first.id, InvitationStatus.DECLINED, NOW)
        again = await tx.invitations.add(ann.id, bob.id, None, chat.id, LATER)  # once closed
        assert await tx.invitations.pending(ann.id, bob.id) == again


async def test_closed_invitations_and_recent_sends(store: Store) -> None:
    ann, bob, cleo = await add_members(store, "Ann", "Bob", "Cleo")
    chat = await conversation(store, ann, bob)
    async with store.transaction() as tx:
        declined = await tx.invitations.add(ann.id, bob.id, None, chat.id, NOW)
        await tx.invitations.set_status(declined.id, InvitationStatus.DECLINED, NOW)
        withdrawn = await tx.invitations.add(ann.id, bob.id, None, chat.id, NOW)
        await tx.invitations.set_status(withdrawn.id, InvitationStatus.WITHDRAWN, LATER)
        accepted = await tx.invitations.add(ann.id, bob.id, None, chat.id, LATER)
        await tx.invitations.set_status(
            accepted.id, InvitationStatus.ACCEPTED, LATER + timedelta(minutes=1)
        )
        await tx.invitations.add(ann.id, cleo.id, None, chat.id, LATER)
        closed = await tx.invitations.last_closed(ann.id, bob.id)
        assert closed is not None and closed.id == withdrawn.id  # accepted is not closed
        assert await tx.invitations.last_closed(bob.id, ann.id) is None
        assert await tx.invitations.sent_since(ann.id, NOW) == [LATER, LATER]  # strictly after
        assert len(await tx.invitations.sent_since(ann.id, NOW - timedelta(seconds=1))) == 4


async def test_received_and_sent_lists_are_newest_first(store: Store) -> None:
    ann, bob, cleo = await add_members(store, "Ann", "Bob", "Cleo")
    chat = await conversation(store, ann, bob)
    async with store.transaction() as tx:
        older = await tx.invitations.add(bob.id, ann.id, None, chat.id, NOW)
        newer = await tx.invitations.add(cleo.id, ann.id, None, chat.id, LATER)
        assert [i.id for i in await tx.invitations.received(ann.id, InvitationStatus.PENDING)] == [
            newer.id,
            older.id,
        ]


async def test_where_an_invitation_shows_is_kept_once_per_message(store: Store) -> None:
    ann, bob = await add_members(store, "Ann", "Bob")
    chat = await conversation(store, ann, bob)
    async with store.transaction() as tx:
        invitation = await tx.invitations.add(ann.id, bob.id, None, chat.id, NOW)
        await tx.invitations.add_copy(invitation.id, bob.id, 500, 12)
        await tx.invitations.add_copy(invitation.id, bob.id, 500, 12)  # recorded twice: once
        await tx.invitations.add_copy(invitation.id, bob.id, 500, 9)
        await tx.invitations.add_copy(invitation.id, ann.id, 400, 3)
        assert await tx.invitations.copies(invitation.id, bob.id) == [(500, 9), (500, 12)]
        assert await tx.invitations.copies(invitation.id, ann.id) == [(400, 3)]

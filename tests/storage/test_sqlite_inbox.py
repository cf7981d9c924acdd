"""Inbox pages and digests as single statements (bridge/storage/sqlite/inbox.py)."""

from __future__ import annotations

import pytest

from bridge.core.app import Core
from bridge.core.inbox_filters import shows
from bridge.core.models import InboxFilter, InvitationStatus
from bridge.storage.sqlite import SqliteStore
from tests.conftest import MakeMember, connect


async def _statements(core: Core, call) -> list[str]:
    store = core.deps.store
    if not isinstance(store, SqliteStore):
        pytest.skip("counts the statements SQLite runs")
    conn = store._conn
    sent: list[str] = []
    await conn.set_trace_callback(sent.append)
    try:
        await call()
    finally:
        await conn.set_trace_callback(None)
    return sent


async def test_a_page_and_a_batch_of_digests_are_one_statement_each(
    core: Core, member: MakeMember
) -> None:
    me = await member("Me")
    for i in range(6):
        other = await member(f"Contact{i}")
        await connect(core, me, other)
        await core.messaging.send(other.id, me.id, "hi")
    stranger = await member("Stranger")
    await core.invitations.invite(stranger.id, me.id, "note")

    for chosen in InboxFilter:
        sent = await _statements(core, lambda c=chosen: core.inbox.page(me.id, c, limit=3))
        assert len(sent) == 1, (chosen, sent)
    sent = await _statements(core, lambda: core.inbox.digests([me.id, stranger.id], 3))
    assert len(sent) == 1, sent
    page = await core.inbox.page(me.id, InboxFilter.UNREAD, limit=3)
    assert (len(page.entries), page.next_cursor is not None) == (3, True)
    assert (page.summary.messages, page.summary.people) == (6, 6)


async def test_the_header_row_comes_back_even_when_the_page_is_empty(
    core: Core, member: MakeMember
) -> None:
    me, other = await member("Me"), await member("Other")
    await connect(core, me, other)
    await core.messaging.send(other.id, me.id, "unread")
    archived = await core.inbox.page(me.id, InboxFilter.ARCHIVED)
    assert archived.entries == [] and archived.next_cursor is None
    # The header counts what the filter shows: nothing archived, nothing unread there.
    assert (archived.summary.messages, archived.summary.people) == (0, 0)
    assert await core.inbox.digests([]) == {}


async def test_every_filter_and_its_header_follow_the_cores_rules(
    core: Core, member: MakeMember
) -> None:
    """Pages and headers, built in SQL, hold to `inbox_filters.shows` in every state a
    conversation can be in: read or not, archived, spam, deleted, InMail, invitations with
    and without a note, received or sent."""
    me = await member("Me")
    others = [await member(f"P{i}") for i in range(11)]
    for person in others[:6]:
        await connect(core, me, person)
    p = others
    await core.messaging.send(p[0].id, me.id, "unread")
    await core.messaging.send(p[1].id, me.id, "read")
    await core.inbox.mark_read(me.id, await core.inbox.conversation_with(me.id, p[1].id))
    await core.messaging.send(p[2].id, me.id, "unread, archived")
    await core.inbox.archive(me.id, await core.inbox.conversation_with(me.id, p[2].id))
    await core.messaging.send(p[3].id, me.id, "spam")
    await core.messaging.send(p[3].id, me.id, "spam again")
    await core.inbox.report_spam(me.id, await core.inbox.conversation_with(me.id, p[3].id))
    await core.messaging.send(p[4].id, me.id, "deleted")
    await core.inbox.delete(me.id, await core.inbox.conversation_with(me.id, p[4].id))
    await core.messaging.send(me.id, p[5].id, "mine, read")
    await core.inbox.archive(me.id, await core.inbox.conversation_with(me.id, p[5].id))
    await core.invitations.invite(p[6].id, me.id, None)  # no note
    await core.invitations.invite(p[7].id, me.id, "with a note")
    await core.invitations.invite(me.id, p[8].id, "sent by me")
    await core.credits.purchase(p[9].id, 2, "test")
    await core.credits.send_inmail(p[9].id, me.id, "Role", "Interested?")
    await core.invitations.invite(p[10].id, me.id, None)
    await core.invitations.decline(me.id, (await core.invitations.to_answer(me.id, p[10].id)).id)

    expected: dict[InboxFilter, set[int]] = {f: set() for f in InboxFilter}
    unread: dict[InboxFilter, tuple[int, int]] = {f: (0, 0) for f in InboxFilter}
    async with core.deps.store.read() as tx:
        for person in others:
            conversation = await tx.conversations.between(me.id, person.id)
            if conversation is None:
                continue
            state = await tx.conversations.state(conversation.id, me.id)
            invitation = (
                await tx.invitations.get(conversation.invitation_id)
                if conversation.invitation_id
                else None
            )
            to_me = (
                invitation is not None
                and invitation.recipient_id == me.id
                and invitation.status == InvitationStatus.PENDING
            )
            visible = (
                not state.deleted and (conversation.last_message_id or 0) > state.cleared_through
            )
            for chosen in InboxFilter:
                if shows(chosen, state, has_visible_message=visible, invitation_to_me=to_me):
                    expected[chosen].add(person.id)
                    if state.unread_count:
                        messages, people = unread[chosen]
                        unread[chosen] = (messages + state.unread_count, people + 1)
    assert expected[InboxFilter.INVITATIONS] == {p[6].id, p[7].id}
    assert expected[InboxFilter.ALL] == {p[0].id, p[1].id, p[7].id, p[8].id, p[9].id}
    for chosen in InboxFilter:
        page = await core.inbox.page(me.id, chosen, limit=50)
        assert {e.other.id for e in page.entries} == expected[chosen], chosen
        assert (page.summary.messages, page.summary.people) == unread[chosen], chosen

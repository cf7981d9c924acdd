"""Inbox pages and digests as single statements (bridge/storage/sqlite/inbox.py)."""

from __future__ import annotations

from bridge.core.app import Core
from bridge.core.models import InboxFilter
from tests.conftest import MakeMember, connect


async def _statements(core: Core, call) -> list[str]:
    conn = core.deps.store._conn  # type: ignore[attr-defined]
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
    assert (archived.summary.messages, archived.summary.people) == (1, 1)
    assert await core.inbox.digests([]) == {}

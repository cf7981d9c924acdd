from __future__ import annotations

from datetime import timedelta

import pytest

from bridge.core import errors
from bridge.core.app import Core
from bridge.core.clock import FakeClock
from bridge.core.inbox import decode_cursor, encode_cursor
from bridge.core.models import InboxFilter, Member
from tests.conftest import ADMIN_TELEGRAM_ID, MakeMember, connect


async def _contacts(core: Core, member: MakeMember, me: Member, n: int) -> list[Member]:
    people = []
    for i in range(n):
        other = await member(f"Contact{i}")
        await connect(core, me, other)
        people.append(other)
    return people


async def test_inbox_is_newest_first_and_paged_by_cursor(
    core: Core, member: MakeMember, clock: FakeClock
) -> None:
    me = await member("Me")
    people = await _contacts(core, member, me, 5)
    for person in people:
        clock.advance(timedelta(minutes=1))
        await core.messaging.send(person.id, me.id, f"hi from {person.first_name}")
    first = await core.inbox.page(me.id, limit=2)
    assert [e.other.id for e in first.entries] == [people[4].id, people[3].id]
    assert first.summary.model_dump() == {"messages": 5, "people": 5}
    second = await core.inbox.page(me.id, cursor=first.next_cursor, limit=2)
    third = await core.inbox.page(me.id, cursor=second.next_cursor, limit=2)
    assert [e.other.id for e in second.entries] == [people[2].id, people[1].id]
    assert [e.other.id for e in third.entries] == [people[0].id]
    assert third.next_cursor is None
    assert third.entries[0].last_message is not None
    assert third.entries[0].last_message.text == "hi from Contact0"


async def test_previous_pages_walk_back_to_the_first(
    core: Core, member: MakeMember, clock: FakeClock
) -> None:
    me = await member("Me")
    people = await _contacts(core, member, me, 7)
    for person in people:
        clock.advance(timedelta(minutes=1))
        await core.messaging.send(person.id, me.id, "hi")
    pages = [await core.inbox.page(me.id, limit=3)]
    while pages[-1].next_cursor:
        pages.append(await core.inbox.page(me.id, cursor=pages[-1].next_cursor, limit=3))
    assert [len(p.entries) for p in pages] == [3, 3, 1]
    assert pages[0].prev_cursor is None and all(p.prev_cursor for p in pages[1:])
    back = pages[-1]
    for expected in reversed(pages[:-1]):
        back = await core.inbox.page(me.id, cursor=back.prev_cursor, limit=3)
        assert [e.other.id for e in back.entries] == [e.other.id for e in expected.entries]
        assert back.next_cursor == expected.next_cursor
    assert back.prev_cursor is None  # the first page again
    garbage = await core.inbox.page(me.id, cursor="-zz", limit=3)
    assert [e.other.id for e in garbage.entries] == [e.other.id for e in pages[0].entries]


async def test_unread_summary_counts_messages_and_distinct_people(
    core: Core, member: MakeMember
) -> None:
    me = await member("Me")
    chatty, quiet = await _contacts(core, member, me, 2)
    for n in range(11):
        await core.messaging.send(chatty.id, me.id, f"msg {n}")
    await core.messaging.send(quiet.id, me.id, "one")
    assert (await core.inbox.unread_summary(me.id)).model_dump() == {"messages": 12, "people": 2}


async def test_filters_and_actions(core: Core, member: MakeMember) -> None:
    me = await member("Me")
    a, b, c = await _contacts(core, member, me, 3)
    for person in (a, b, c):
        await core.messaging.send(person.id, me.id, "hello")
    conv_a = await core.inbox.conversation_with(me.id, a.id)
    conv_b = await core.inbox.conversation_with(me.id, b.id)
    conv_c = await core.inbox.conversation_with(me.id, c.id)

    await core.inbox.mark_read(me.id, conv_a)
    unread = await core.inbox.page(me.id, InboxFilter.UNREAD)
    assert {e.other.id for e in unread.entries} == {b.id, c.id}

    await core.inbox.archive(me.id, conv_b)
    assert {e.other.id for e in (await core.inbox.page(me.id)).entries} == {a.id, c.id}
    archived = await core.inbox.page(me.id, InboxFilter.ARCHIVED)
    assert [e.other.id for e in archived.entries] == [b.id]

    await core.inbox.report_spam(me.id, conv_c)
    spam = await core.inbox.page(me.id, InboxFilter.SPAM)
    assert [e.other.id for e in spam.entries] == [c.id]
    assert c.id not in {e.other.id for e in (await core.inbox.page(me.id)).entries}
    assert (await core.inbox.unread_summary(me.id)).model_dump() == {"messages": 1, "people": 1}

    # A new message un-archives, except from a member reported as spam.
    await core.messaging.send(b.id, me.id, "ping")
    await core.messaging.send(c.id, me.id, "buy now")
    all_ids = {e.other.id for e in (await core.inbox.page(me.id)).entries}
    assert all_ids == {a.id, b.id}
    assert [e.other.id for e in (await core.inbox.page(me.id, InboxFilter.SPAM)).entries] == [c.id]


async def test_mark_unread_brings_back_the_latest_message(core: Core, member: MakeMember) -> None:
    me = await member("Me")
    (a,) = await _contacts(core, member, me, 1)
    conv = await core.inbox.conversation_with(me.id, a.id)
    with pytest.raises(errors.NothingUnread):
        await core.inbox.mark_unread(me.id, conv)
    await core.messaging.send(a.id, me.id, "one")
    await core.messaging.send(a.id, me.id, "two")
    await core.inbox.mark_read(me.id, conv)
    state = await core.inbox.mark_unread(me.id, conv)
    assert state.unread_count == 1
    assert (await core.inbox.unread_summary(me.id)).model_dump() == {"messages": 1, "people": 1}


async def test_delete_is_for_the_deleter_only(core: Core, member: MakeMember) -> None:
    me = await member("Me")
    (a,) = await _contacts(core, member, me, 1)
    await core.messaging.send(a.id, me.id, "old news")
    conv = await core.inbox.conversation_with(me.id, a.id)
    await core.inbox.delete(me.id, conv)
    assert (await core.inbox.page(me.id)).entries == []
    assert [m.text for m in (await core.messaging.conversation(me.id, a.id)).messages] == []
    assert [m.text for m in (await core.messaging.conversation(a.id, me.id)).messages] == [
        "old news"
    ]
    await core.messaging.send(a.id, me.id, "fresh")
    assert [m.text for m in (await core.messaging.conversation(me.id, a.id)).messages] == ["fresh"]
    assert len((await core.inbox.page(me.id)).entries) == 1


async def test_inbox_actions_on_foreign_conversation_are_refused(
    core: Core, member: MakeMember
) -> None:
    me, eve = await member("Me"), await member("Eve")
    (a,) = await _contacts(core, member, me, 1)
    await core.messaging.send(a.id, me.id, "private")
    conv = await core.inbox.conversation_with(me.id, a.id)
    for action in (
        core.inbox.mark_read,
        core.inbox.archive,
        core.inbox.delete,
        core.inbox.report_spam,
        core.inbox.mark_unread,
    ):
        with pytest.raises(errors.ConversationNotFound):
            await action(eve.id, conv)


async def test_spam_reports_are_for_admins(core: Core, member: MakeMember) -> None:
    me = await member("Me")
    admin = await member("Admin", telegram_id=ADMIN_TELEGRAM_ID)
    (a,) = await _contacts(core, member, me, 1)
    await core.messaging.send(a.id, me.id, "spam")
    report = await core.inbox.report_spam(me.id, await core.inbox.conversation_with(me.id, a.id))
    with pytest.raises(errors.NotAdmin):
        await core.inbox.reports(me)
    assert [r.reported_id for r in await core.inbox.reports(admin)] == [a.id]
    assert await core.inbox.review_report(admin, report.id)
    assert await core.inbox.reports(admin) == []


async def test_invitation_threads_have_their_own_filter(core: Core, member: MakeMember) -> None:
    me, stranger = await member("Me"), await member("Stranger")
    await core.invitations.invite(stranger.id, me.id, "Hi, let's connect")
    page = await core.inbox.page(me.id, InboxFilter.INVITATIONS)
    assert [e.other.id for e in page.entries] == [stranger.id]
    assert page.summary.messages == 0


def test_cursor_roundtrip_and_garbage() -> None:
    from datetime import UTC, datetime

    moment = datetime(2026, 3, 1, 12, 30, 15, 123456, tzinfo=UTC)
    assert decode_cursor(encode_cursor(moment, 77)) == (moment, 77)
    for garbage in ("", "zz", "1", "-1.-1", "1.2.3", "🙂"):
        assert decode_cursor(garbage) is None
    assert len(encode_cursor(moment, 10**9)) < 24


async def test_batch_digests_equal_each_members_own_digest(
    core: Core, member: MakeMember, clock: FakeClock
) -> None:
    """The scheduled job's batch path and /digest give the same digest, member by member:
    unread lines newest first with the latest message, counts of messages, people, pending
    invitations and unread InMails, and the cursor to the next page."""
    admin = await member("Admin", telegram_id=ADMIN_TELEGRAM_ID)
    me, other, quiet, only_invited = [await member(n) for n in ("Me", "Other", "Quiet", "Inv")]
    people = await _contacts(core, member, me, 4)
    for person in people:
        clock.advance(timedelta(minutes=1))
        await core.messaging.send(person.id, me.id, f"hello from {person.first_name}")
        await core.messaging.send(person.id, me.id, "and again")
    await connect(core, other, people[0])
    await core.messaging.send(people[0].id, other.id, "just one")
    stranger = await member("Stranger")
    await core.invitations.invite(stranger.id, me.id, "let's connect")
    await core.invitations.invite(stranger.id, only_invited.id, None)
    await core.credits.grant(admin, stranger.id, 1)
    await core.credits.send_inmail(stranger.id, other.id, "Role", "A job for you")
    await core.inbox.mark_read(me.id, await core.inbox.conversation_with(me.id, people[1].id))

    ids = [me.id, other.id, quiet.id, only_invited.id]
    batch = await core.inbox.digests(ids, limit=2)
    for member_id in ids:
        assert batch[member_id] == await core.inbox.digest(member_id, None, 2), member_id
    mine = batch[me.id]
    assert (mine.summary.messages, mine.summary.people, mine.invitations, mine.inmails) == (
        6,
        3,
        1,
        0,
    )
    assert [e.other.id for e in mine.entries] == [people[3].id, people[2].id]
    assert mine.entries[0].last_message.text == "and again"
    rest = await core.inbox.digest(me.id, mine.next_cursor, 2)
    assert [e.other.id for e in rest.entries] == [people[0].id] and rest.next_cursor is None
    assert (batch[other.id].summary.messages, batch[other.id].inmails) == (2, 1)
    assert batch[quiet.id].empty and batch[quiet.id].entries == []
    assert (batch[only_invited.id].invitations, batch[only_invited.id].empty) == (1, False)

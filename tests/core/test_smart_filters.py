"""Smart inbox filters (`/inbox awaiting #candidate`): each condition, combined, with the
header counting the conversations matched and the unread among them, on every backend."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bridge.core import errors
from bridge.core.app import Core
from bridge.core.clock import FakeClock
from bridge.core.inbox_filters import decode_smart, encode_smart, parse_query
from bridge.core.models import (
    Attachment,
    AttachmentKind,
    Degree,
    InboxFilter,
    InboxPage,
    SmartFilter,
    Tag,
)
from tests.conftest import MakeMember, connect


def test_words_parse_into_a_filter_and_conditions() -> None:
    base, smart, tag = parse_query(["awaiting", "#Candidate", "inmail"])
    assert (base, smart, tag) == (InboxFilter.INMAIL, SmartFilter(awaiting=True), "candidate")
    assert parse_query(["waiting"])[1].waiting_days == 3
    assert parse_query(["waiting", "5d"])[1].waiting_days == 5
    assert parse_query(["2nd", "files", "since:7d"])[1] == SmartFilter(
        degree=Degree.SECOND, files=True, since_days=7
    )
    for bad in (["5d"], ["awaiting", "waiting"], ["unread", "all"], ["soon"], ["since:0d"]):
        with pytest.raises(errors.InvalidInboxFilter):
            parse_query(bad)


def test_a_smart_filter_fits_in_a_button() -> None:
    smart = SmartFilter(
        awaiting=True,
        degree=Degree.THIRD,
        tag=Tag(id=4095, name="x", colour="🟢"),
        files=True,
        since_days=3650,
    )
    word = encode_smart(smart)
    assert len(word) <= 20
    fields, tag_id = decode_smart(word)
    assert tag_id == 4095 and SmartFilter.model_validate(fields) == smart.model_copy(
        update={"tag": None}
    )
    with pytest.raises(ValueError):
        decode_smart("z9")


def _names(page: InboxPage) -> set[str]:
    return {e.other.name for e in page.entries}


async def test_each_condition_and_their_combination(
    core: Core, member: MakeMember, clock: FakeClock
) -> None:
    me = await member("Me")
    ann, ben, cat, dan = [await member(n) for n in ("Ann", "Ben", "Cat", "Dan")]
    eve = await member("Eve")  # 2nd degree, through Ann
    for other in (ann, ben, cat, dan):
        await connect(core, me, other)
    await connect(core, ann, eve)
    await core.messaging.send(me.id, ben.id, "any news?")  # mine is the last: waiting
    clock.advance(timedelta(days=4))
    await core.messaging.send(ann.id, me.id, "hello")  # theirs is the last: awaiting
    await core.messaging.send(cat.id, me.id, "my CV")
    await core.messaging.send(cat.id, me.id, "and again")
    photo = Attachment(kind=AttachmentKind.PHOTO, file_id="F1")
    await core.messaging.send(dan.id, me.id, None, attachment=photo)
    await core.messaging.send(me.id, dan.id, "thanks")  # mine is the last, but recent
    await core.invitations.invite(eve.id, me.id, "Hi, we met at the fair")
    await core.contacts.tag(me.id, cat.id, ["candidate"])
    await core.contacts.tag(me.id, ben.id, ["candidate"])

    awaiting = await core.inbox.query(me.id, ["awaiting"])
    assert _names(awaiting) == {"Ann", "Cat", "Eve"}
    assert awaiting.matching == 3
    # Every unread message is in a conversation where they wrote last (Eve's invitation
    # note is an invitation, counted apart): the same totals as the whole inbox's.
    assert awaiting.summary == (await core.inbox.page(me.id)).summary
    assert awaiting.summary.model_dump() == {"messages": 3, "people": 2}
    assert _names(await core.inbox.query(me.id, ["waiting"])) == {"Ben"}
    assert _names(await core.inbox.query(me.id, ["waiting", "5d"])) == set()
    assert _names(await core.inbox.query(me.id, ["#candidate"])) == {"Ben", "Cat"}
    both = await core.inbox.query(me.id, ["awaiting", "#candidate"])
    assert _names(both) == {"Cat"} and both.matching == 1
    assert both.summary.model_dump() == {"messages": 2, "people": 1}
    assert _names(await core.inbox.query(me.id, ["files"])) == {"Dan"}
    assert _names(await core.inbox.query(me.id, ["since:2d"])) == {"Ann", "Cat", "Dan", "Eve"}
    assert _names(await core.inbox.query(me.id, ["1st"])) == {"Ann", "Ben", "Cat", "Dan"}
    assert _names(await core.inbox.query(me.id, ["2nd"])) == {"Eve"}
    assert _names(await core.inbox.query(me.id, ["3rd"])) == set()
    with pytest.raises(errors.UnknownTag):
        await core.inbox.query(me.id, ["#nobody"])

    # Paging keeps the conditions: a page of one at a time walks the matches only.
    first = await core.inbox.query(me.id, ["awaiting"], limit=1)
    word = encode_smart(first.smart)
    seen = _names(first)
    cursor = first.next_cursor
    while cursor:
        page = await core.inbox.page(me.id, first.filter, cursor, 1, smart=word)
        seen |= _names(page)
        cursor = page.next_cursor
    assert seen == {"Ann", "Cat", "Eve"}


async def test_a_forged_tag_in_a_button_is_refused(core: Core, member: MakeMember) -> None:
    me, other = await member("Me"), await member("Other")
    theirs = (await core.contacts.tag(other.id, me.id, ["secret"])).tags[0]
    with pytest.raises(errors.TagNotFound):
        await core.inbox.page(me.id, smart=f"t{theirs.id:x}")
    page = await core.inbox.page(me.id, smart="garbage!")  # malformed: no conditions
    assert not page.smart.active
    # Out of range: no conditions either.
    for forged in ("wfffffffffffff", "s0", "w0", "d9", "t" + "f" * 30):
        assert not (await core.inbox.page(me.id, smart=forged)).smart.active


def test_the_quick_buttons_toggle_who_owes_the_next_message() -> None:
    from bridge.core.inbox_filters import toggle_quick

    awaiting = toggle_quick(SmartFilter(degree=Degree.FIRST), "awaiting")
    assert awaiting == SmartFilter(awaiting=True, degree=Degree.FIRST)
    waiting = toggle_quick(awaiting, "waiting")  # one or the other
    assert waiting == SmartFilter(waiting_days=3, degree=Degree.FIRST)
    assert toggle_quick(waiting, "waiting") == SmartFilter(degree=Degree.FIRST)

"""Tags and notes a member keeps on their contacts: private, validated, and toggled from a
conversation card only by one of its members, with their own tags."""

from __future__ import annotations

import pytest

from bridge.core import errors
from bridge.core.app import Core
from bridge.core.contacts import COLOURS, NOTE_LIMIT, TAG_LIMIT, first_line, parse_tags
from tests.conftest import MakeMember, connect


def test_tag_names_fold_case_and_take_a_typed_colour() -> None:
    (cand, colour), (lyon, drawn) = parse_tags(["🟢", "#Candidate", "lyon"])
    assert (cand, colour) == ("candidate", "🟢")
    assert lyon == "lyon" and drawn in COLOURS
    assert parse_tags(["lyon"]) == [("lyon", drawn)]  # the same name, the same colour
    for bad in (["two words!"], ["x" * (TAG_LIMIT + 1)], ["#"], ["🟢"]):
        with pytest.raises(errors.InvalidTag):
            parse_tags(bad)


def test_a_note_preview_is_its_first_line() -> None:
    assert first_line("\n  Met at VivaTech  \nlikes Go") == "Met at VivaTech"
    assert first_line(None) == ""
    assert first_line("a" * 100, limit=10) == "a" * 9 + "…"


async def test_tags_are_counted_per_member_and_private(core: Core, member: MakeMember) -> None:
    me, bob, carol, other = [await member(n) for n in ("Me", "Bob", "Carol", "Other")]
    shown = await core.contacts.tag(me.id, bob.id, ["candidate", "🔵", "lyon"])
    assert shown.contact.handle == bob.handle and not shown.contact.named  # masked: no degree
    names = {t.id: t.name for t in shown.tags}
    assert sorted(names[i] for i in shown.on) == ["candidate", "lyon"]
    await core.contacts.tag(me.id, carol.id, ["#Candidate"])
    await core.contacts.tag(me.id, carol.id, ["candidate"])  # twice: still one
    counts = {c.tag.name: (c.contacts, c.tag.colour) for c in await core.contacts.tags(me.id)}
    assert counts["candidate"][0] == 2 and counts["lyon"] == (1, "🔵")
    assert await core.contacts.tags(other.id) == []  # someone else sees none of them
    await core.contacts.untag(me.id, bob.id, ["candidate"])
    counts = {c.tag.name: c.contacts for c in await core.contacts.tags(me.id)}
    assert counts == {"candidate": 1, "lyon": 1}


async def test_bad_tagging_changes_nothing(core: Core, member: MakeMember) -> None:
    me, bob = await member("Me"), await member("Bob")
    with pytest.raises(errors.InvalidTag):
        await core.contacts.tag(me.id, bob.id, ["good", "bad!"])
    with pytest.raises(errors.CannotTargetSelf):
        await core.contacts.tag(me.id, me.id, ["me"])
    with pytest.raises(errors.TagNotOnContact):
        await core.contacts.untag(me.id, bob.id, ["good"])
    assert await core.contacts.tags(me.id) == []


async def test_toggling_from_a_card_is_authorized(core: Core, member: MakeMember) -> None:
    me, bob, eve = await member("Me"), await member("Bob"), await member("Eve")
    await connect(core, me, bob)
    await core.messaging.send(bob.id, me.id, "hello")
    conversation = await core.inbox.conversation_with(me.id, bob.id)
    tag = (await core.contacts.tag(me.id, eve.id, ["vip"])).tags[0]
    on = await core.contacts.toggle(me.id, conversation, tag.id)
    assert on.contact.id == bob.id and on.on == [tag.id]
    off = await core.contacts.toggle(me.id, conversation, tag.id)
    assert off.on == []
    eves = (await core.contacts.tag(eve.id, bob.id, ["mine"])).tags[0]
    with pytest.raises(errors.TagNotFound):  # someone else's tag id, forged into a button
        await core.contacts.toggle(me.id, conversation, eves.id)
    with pytest.raises(errors.ConversationNotFound):  # a conversation Eve is not in
        await core.contacts.toggle(eve.id, conversation, eves.id)
    assert (await core.contacts.tags_in_conversation(me.id, conversation)).on == []


async def test_a_note_replaces_the_last_and_is_private(core: Core, member: MakeMember) -> None:
    me, bob, other = await member("Me"), await member("Bob"), await member("Other")
    assert (await core.contacts.note(me.id, bob.id)).text is None
    await core.contacts.set_note(me.id, bob.id, "Met at VivaTech")
    await core.contacts.set_note(me.id, bob.id, "  Wants a role in Lyon\nsalary 60k ")
    assert (await core.contacts.note(me.id, bob.id)).text == "Wants a role in Lyon\nsalary 60k"
    assert (await core.contacts.note(other.id, bob.id)).text is None
    with pytest.raises(errors.ContactNoteTooLong):
        await core.contacts.set_note(me.id, bob.id, "x" * (NOTE_LIMIT + 1))
    assert (await core.contacts.note(me.id, bob.id)).text.startswith("Wants")  # type: ignore[union-attr]
    assert (await core.contacts.set_note(me.id, bob.id, "")).text is None  # cleared
    assert (await core.contacts.note(me.id, bob.id)).text is None

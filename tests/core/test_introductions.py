"""Warm introductions: who may be asked, the note, one answer by the asked connection only,
and the thread it opens between the two introduced (a decline opens nothing, tells nobody)."""

from __future__ import annotations

import pytest

from bridge.core import errors
from bridge.core.app import Core
from bridge.core.models import IntroductionStatus, Member, NotificationKind
from tests.conftest import MakeMember, connect


async def _chain(core: Core, member: MakeMember) -> list[Member]:
    """ann - bob - cleo - dan, and eve out of everyone's network."""
    people = [await member(n, "X") for n in ("Ann", "Bob", "Cleo", "Dan", "Eve")]
    for left, right in zip(people[:3], people[1:4], strict=True):
        await connect(core, left, right)
    return people


async def _owed(core: Core, member_id: int, kind: NotificationKind) -> list[int]:
    async with core.deps.store.read() as tx:
        due = await tx.outbox.due(core.now(), 500)
    return [n.ref_id or 0 for n in due if n.member_id == member_id and n.kind == kind]


async def test_forwarded_introduction_opens_a_thread_once(core: Core, member: MakeMember) -> None:
    ann, bob, cleo, _, _ = await _chain(core, member)
    choice = await core.introductions.choices(ann.id, cleo.id)
    assert [v.id for v in choice.via] == [bob.id] and choice.note_limit == 300
    with pytest.raises(errors.NotConnected):
        await core.messaging.send(ann.id, cleo.id, "hi")

    await core.introductions.ask_note(ann.id, cleo.id, bob.id)
    prompt = await core.prompts.pending(ann.id)
    assert prompt is not None and (prompt.target_id, prompt.intermediary_id) == (cleo.id, bob.id)
    asked = await core.introductions.ask(ann.id, cleo.id, bob.id, " Met at VivaTech ", prompt)
    assert (asked.note, asked.status) == ("Met at VivaTech", IntroductionStatus.ASKED)
    assert await core.prompts.pending(ann.id) is None  # the question ended with it
    assert await _owed(core, bob.id, NotificationKind.INTRODUCTION_ASKED) == [asked.id]
    with pytest.raises(errors.IntroductionAlreadyAsked):
        await core.introductions.ask(ann.id, cleo.id, bob.id, "again")

    for intruder in (ann, cleo):  # only the asked connection answers
        with pytest.raises(errors.IntroductionNotAvailable):
            await core.introductions.forward(intruder.id, asked.id)
    done = await core.introductions.forward(bob.id, asked.id)
    assert done.status == IntroductionStatus.FORWARDED and done.conversation_id is not None
    with pytest.raises(errors.IntroductionNotAvailable):  # once
        await core.introductions.forward(bob.id, asked.id)
    with pytest.raises(errors.IntroductionNotAvailable):
        await core.introductions.decline(bob.id, asked.id)
    assert await _owed(core, ann.id, NotificationKind.INTRODUCED) == [asked.id]
    assert await _owed(core, cleo.id, NotificationKind.INTRODUCED) == [asked.id]
    seen = await core.introductions.for_delivery(asked.id, cleo.id)
    assert seen is not None and seen.requester.name == "Ann X"
    assert await core.introductions.for_delivery(asked.id, 999_999) is None

    delivery = await core.messaging.send(ann.id, cleo.id, "Hello Cleo")
    assert delivery.conversation.id == done.conversation_id
    await core.messaging.send(cleo.id, ann.id, "Hello Ann")  # both ways


async def test_declined_introduction_opens_nothing(core: Core, member: MakeMember) -> None:
    ann, bob, cleo, _, _ = await _chain(core, member)
    asked = await core.introductions.ask(ann.id, cleo.id, bob.id, "Please?")
    declined = await core.introductions.decline(bob.id, asked.id)
    assert declined.status == IntroductionStatus.DECLINED
    assert await _owed(core, ann.id, NotificationKind.INTRODUCED) == []
    with pytest.raises(errors.NotConnected):
        await core.messaging.send(ann.id, cleo.id, "hi")
    again = await core.introductions.ask(ann.id, cleo.id, bob.id, "Second try")  # may ask again
    assert again.id != asked.id


async def test_who_can_be_asked_for_whom(core: Core, member: MakeMember) -> None:
    ann, bob, cleo, dan, eve = await _chain(core, member)
    third = await core.introductions.choices(ann.id, dan.id)  # 3rd degree: the path's step
    assert [v.id for v in third.via] == [bob.id]
    asked = await core.introductions.ask(ann.id, dan.id, bob.id, "Hello")
    assert asked.target.name == "Dan X."  # masked until introduced
    done = await core.introductions.forward(bob.id, asked.id)
    seen = await core.introductions.for_delivery(done.id, ann.id)
    assert seen is not None and seen.target.name == "Dan X"  # vouched for: full name
    with pytest.raises(errors.IntroductionNotNeeded):
        await core.introductions.choices(ann.id, bob.id)
    with pytest.raises(errors.NoIntroductionPath):
        await core.introductions.choices(ann.id, eve.id)
    with pytest.raises(errors.CannotTargetSelf):
        await core.introductions.choices(ann.id, ann.id)
    with pytest.raises(errors.IntermediaryUnavailable):  # a forged choice: not Ann's connection
        await core.introductions.ask_note(ann.id, cleo.id, dan.id)
    with pytest.raises(errors.IntroductionNoteTooLong) as raised:
        await core.introductions.ask(ann.id, cleo.id, bob.id, "x" * 301)
    assert raised.value.params == {"limit": 300, "length": 301}
    with pytest.raises(errors.EmptyMessage):
        await core.introductions.ask(ann.id, cleo.id, bob.id, "   ")
    await core.members.block(cleo.id, ann.id)
    with pytest.raises(errors.TheyBlockedYou):
        await core.introductions.choices(ann.id, cleo.id)

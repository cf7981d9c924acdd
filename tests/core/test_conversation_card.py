"""The inbox's conversation card: each of its buttons is one use case and one transaction,
returning the card (or the page) as it now is, for conversations the actor is in only."""

from __future__ import annotations

import pytest

from bridge.core import errors
from bridge.core.app import Core
from bridge.core.inbox import CardAction
from bridge.core.models import InboxFilter, Member
from tests.conftest import MakeMember, connect


async def _thread(core: Core, member: MakeMember) -> tuple[Member, Member, int]:
    me, ann = await member("Me"), await member("Ann", "Lee")
    await connect(core, me, ann)
    for text in ("one", "two", "three"):
        await core.messaging.send(ann.id, me.id, text)
    return me, ann, await core.inbox.conversation_with(me.id, ann.id)


async def test_each_card_action_returns_the_card_as_it_now_is(
    core: Core, member: MakeMember
) -> None:
    me, ann, conv = await _thread(core, member)
    card = await core.inbox.act(me.id, conv, CardAction.SHOW)  # on the screen: read
    assert card.view.state.unread_count == 0 and card.waiting is None
    assert [m.text for m in card.view.messages] == ["one", "two", "three"]
    assert card.view.other.name == "Ann Lee" and card.view.can_send
    card = await core.inbox.act(me.id, conv, CardAction.UNREAD)
    assert card.view.state.unread_count == 1
    card = await core.inbox.act(me.id, conv, CardAction.READ)
    assert card.view.state.unread_count == 0
    card = await core.inbox.act(me.id, conv, CardAction.ARCHIVE)
    assert card.view.state.archived
    assert [e.other.id for e in (await core.inbox.page(me.id, InboxFilter.ARCHIVED)).entries] == [
        ann.id
    ]
    assert not (await core.inbox.act(me.id, conv, CardAction.UNARCHIVE)).view.state.archived
    assert (await core.inbox.act(me.id, conv, CardAction.SPAM)).view.state.spam
    assert not (await core.inbox.act(me.id, conv, CardAction.NOT_SPAM)).view.state.spam


async def test_a_card_offers_the_invitation_waiting_there(core: Core, member: MakeMember) -> None:
    me, ann = await member("Me"), await member("Ann")
    sent = (await core.invitations.invite(ann.id, me.id, "Let's connect")).invitation
    conv = await core.inbox.conversation_with(me.id, ann.id)
    assert (await core.inbox.act(me.id, conv, CardAction.SHOW)).waiting == sent
    # Its sender has nothing to answer there.
    assert (await core.inbox.act(ann.id, conv, CardAction.SHOW)).waiting is None


async def test_a_card_action_focuses_the_conversation(core: Core, member: MakeMember) -> None:
    me, ann, conv = await _thread(core, member)
    bob = await member("Bob")
    await connect(core, me, bob)
    await core.messaging.send(me.id, bob.id, "latest chat is with Bob")
    await core.inbox.act(me.id, conv, CardAction.ARCHIVE)
    held = await core.messaging.hold_unaddressed(me.id, "for whom?")
    assert held is not None and held[1].id == ann.id


async def test_delete_and_read_all_return_the_page_as_it_now_is(
    core: Core, member: MakeMember
) -> None:
    me, ann, conv = await _thread(core, member)
    bob = await member("Bob")
    await connect(core, me, bob)
    await core.messaging.send(bob.id, me.id, "hi")
    changed, page = await core.inbox.read_all(me.id, InboxFilter.UNREAD)
    assert changed == 2 and page.filter == InboxFilter.UNREAD and page.entries == []
    page = await core.inbox.delete_from_card(me.id, conv, InboxFilter.ALL)
    assert [e.other.id for e in page.entries] == [bob.id]


async def test_open_from_a_card_opens_and_reads(core: Core, member: MakeMember) -> None:
    me, ann, conv = await _thread(core, member)
    view = await core.inbox.open(me.id, conv)
    assert view.other.id == ann.id and [m.text for m in view.messages][-1] == "three"
    assert (await core.members.get(me.id)).current_peer_id == ann.id
    assert (await core.inbox.state(me.id, conv)).unread_count == 0


async def test_card_actions_on_a_foreign_conversation_are_refused(
    core: Core, member: MakeMember
) -> None:
    me, ann, conv = await _thread(core, member)
    eve = await member("Eve")
    for action in CardAction:
        with pytest.raises(errors.ConversationNotFound):
            await core.inbox.act(eve.id, conv, action)
    with pytest.raises(errors.ConversationNotFound):
        await core.inbox.delete_from_card(eve.id, conv, InboxFilter.ALL)
    with pytest.raises(errors.ConversationNotFound):
        await core.inbox.open(eve.id, conv)
    assert (await core.inbox.state(me.id, conv)).unread_count == 3  # nothing changed

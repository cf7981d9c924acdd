"""The sales mailbox (Sales Navigator and Recruiter plans): what such a member starts and
their InMails live there, apart from the main inbox's counts and the digest's lines; they
move conversations there and back; the other side sees an ordinary conversation."""

from __future__ import annotations

import pytest

from bridge.core import errors
from bridge.core.app import Core
from bridge.core.inbox import CardAction
from bridge.core.models import InboxFilter, Mailbox, Member
from tests.conftest import ADMIN_TELEGRAM_ID, MakeMember, connect


async def _seller(core: Core, member: MakeMember) -> Member:
    admin = await member("Admin", telegram_id=ADMIN_TELEGRAM_ID)
    seller = await member("Sam", "Seller")
    return await core.credits.set_plan(admin, seller.id, "sales_navigator")


async def test_what_a_seller_starts_goes_to_sales_and_counts_apart(
    core: Core, member: MakeMember
) -> None:
    sam = await _seller(core, member)
    friend, lead, prospect = await member("Friend"), await member("Lead"), await member("Pro")
    await connect(core, friend, sam)  # the friend started it: Sam's main inbox
    await core.invitations.invite(sam.id, lead.id, "Hello, shall we connect?")
    await core.credits.send_inmail(sam.id, prospect.id, "Offer", "A demo?")
    await core.messaging.send(friend.id, sam.id, "Lunch?")
    await core.messaging.send(prospect.id, sam.id, "Tell me more")
    await core.messaging.send(prospect.id, sam.id, "Pricing?")

    main = await core.inbox.page(sam.id)
    sales = await core.inbox.query(sam.id, ["sales"])
    assert {e.other.id for e in main.entries} == {friend.id}
    assert {e.other.id for e in sales.entries} == {lead.id, prospect.id}
    assert main.summary.model_dump() == {"messages": 1, "people": 1}
    assert sales.summary.model_dump() == {"messages": 2, "people": 1}
    digest = await core.inbox.digest(sam.id)
    assert [e.other.id for e in digest.entries] == [friend.id]  # lines: main only
    assert digest.summary.messages == 1 and digest.sales is not None
    assert digest.sales.model_dump() == {"messages": 2, "people": 1}
    assert (await core.inbox.digests([sam.id]))[sam.id] == digest
    # The other side: an ordinary conversation in their main inbox.
    theirs = await core.inbox.page(prospect.id)
    assert [e.other.id for e in theirs.entries] == [sam.id]


async def test_moving_there_and_back_from_the_card_and_the_command(
    core: Core, member: MakeMember
) -> None:
    sam = await _seller(core, member)
    friend, plain = await member("Friend"), await member("Plain")
    await connect(core, friend, sam)
    await core.messaging.send(friend.id, sam.id, "hi")
    conversation = await core.inbox.conversation_with(sam.id, friend.id)
    card = await core.inbox.act(sam.id, conversation, CardAction.TO_SALES)
    assert card.sales and card.view.state.mailbox == Mailbox.SALES
    assert (await core.inbox.page(sam.id, InboxFilter.SALES)).entries
    assert not (await core.inbox.page(sam.id)).entries
    state = await core.inbox.move(sam.id, conversation, Mailbox.MAIN)
    assert state.mailbox == Mailbox.MAIN and (await core.inbox.page(sam.id)).entries

    # Without such a plan there is no sales mailbox; main is always allowed.
    await connect(core, friend, plain)
    theirs = await core.inbox.conversation_with(plain.id, friend.id)
    with pytest.raises(errors.NoSalesMailbox):
        await core.inbox.move(plain.id, theirs, Mailbox.SALES)
    with pytest.raises(errors.NoSalesMailbox):
        await core.inbox.query(plain.id, ["sales"])
    assert (await core.inbox.move(plain.id, theirs, Mailbox.MAIN)).mailbox == Mailbox.MAIN
    card = await core.inbox.act(plain.id, theirs, CardAction.SHOW)
    assert not card.sales


async def test_archive_and_spam_hold_sales_conversations_too(
    core: Core, member: MakeMember
) -> None:
    sam = await _seller(core, member)
    lead = await member("Lead")
    await core.invitations.invite(sam.id, lead.id, "Hello")
    conversation = await core.inbox.conversation_with(sam.id, lead.id)
    await core.inbox.archive(sam.id, conversation)
    archived = await core.inbox.page(sam.id, InboxFilter.ARCHIVED)
    assert [e.other.id for e in archived.entries] == [lead.id]  # not lost between mailboxes
    assert not (await core.inbox.page(sam.id, InboxFilter.SALES)).entries

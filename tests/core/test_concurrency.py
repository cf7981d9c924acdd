"""The core's rules hold when members act at the same moment, on every storage backend:
no message goes uncounted, no credit is spent twice."""

from __future__ import annotations

import asyncio

from bridge.core import errors
from bridge.core.app import Core
from bridge.core.models import InboxFilter
from tests.conftest import MakeMember, connect


async def test_messages_sent_at_once_to_one_member_are_each_counted(
    core: Core, member: MakeMember
) -> None:
    me = await member("Me")
    senders = [await member(f"S{i}") for i in range(5)]
    for sender in senders:
        await connect(core, me, sender)
    await asyncio.gather(
        *(core.messaging.send(sender.id, me.id, f"hi {n}") for sender in senders for n in range(4))
    )
    summary = await core.inbox.unread_summary(me.id)
    assert (summary.messages, summary.people) == (20, 5)
    page = await core.inbox.page(me.id, InboxFilter.UNREAD, limit=10)
    assert sorted(e.unread_count for e in page.entries) == [4] * 5


async def test_inmails_sent_at_once_spend_each_credit_exactly_once(
    core: Core, member: MakeMember
) -> None:
    sender = await member("Sender")
    targets = [await member(f"T{i}") for i in range(6)]
    await core.credits.purchase(sender.id, 3, "test")
    balance = (await core.credits.account(sender.id)).balance
    assert 0 < balance < len(targets)
    results = await asyncio.gather(
        *(core.credits.send_inmail(sender.id, t.id, "Role", "Interested?") for t in targets),
        return_exceptions=True,
    )
    refused = [r for r in results if isinstance(r, errors.NoCredits)]
    sent = [r for r in results if not isinstance(r, BaseException)]
    assert (len(sent), len(refused)) == (balance, len(targets) - balance)
    assert (await core.credits.account(sender.id)).balance == 0
    async with core.deps.store.read() as tx:
        assert await tx.ledger.balance_sum(sender.id) == 0

"""InMails, the credit ledger and spam reports through the port: a balance never below
zero, the ledger the sum of every movement, refunds found when due."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bridge.core.models import InMailStatus, LedgerKind, MessageKind, RefundState
from bridge.storage.port import ConstraintViolation, Store
from tests.storage.contract.population import LATER, NOW, add_members, conversation, write


async def test_the_ledger_lists_newest_first_and_sums_to_the_balance(store: Store) -> None:
    ann, bob = await add_members(store, "Ann", "Bob")
    async with store.transaction() as tx:
        bought = await tx.ledger.add(ann.id, LedgerKind.PURCHASE, 5, 5, "pack", NOW)
        assert (
            bought.member_id,
            bought.kind,
            bought.delta,
            bought.balance_after,
            bought.reason,
            bought.inmail_id,
            bought.created_at,
        ) == (ann.id, LedgerKind.PURCHASE, 5, 5, "pack", None, NOW)
        first = await tx.ledger.add(ann.id, LedgerKind.SPEND, -1, 4, "inmail", LATER)
        await tx.ledger.add(bob.id, LedgerKind.GRANT, 3, 3, "monthly", NOW)
        second = await tx.ledger.add(ann.id, LedgerKind.SPEND, -1, 3, "inmail", LATER)
        assert await tx.ledger.balance_sum(ann.id) == 3
        assert await tx.ledger.balance_sum(bob.id) == 3
        assert await tx.ledger.recent(ann.id, 2) == [second, first]
        assert [e.id for e in await tx.ledger.recent(ann.id, 10)] == [
            second.id,
            first.id,
            bought.id,
        ]


async def test_a_ledger_balance_is_never_below_zero(store: Store) -> None:
    (ann,) = await add_members(store, "Ann")
    with pytest.raises(ConstraintViolation):
        async with store.transaction() as tx:
            await tx.ledger.add(ann.id, LedgerKind.SPEND, -1, -1, "overdraft", NOW)


async def test_an_inmail_keeps_its_state_and_refunds_are_found_when_due(store: Store) -> None:
    ann, bob, cleo = await add_members(store, "Ann", "Bob", "Cleo")
    to_bob = await conversation(store, ann, bob)
    to_cleo = await conversation(store, ann, cleo)
    deadline = NOW + timedelta(days=7)
    async with store.transaction() as tx:
        first = await tx.inmails.add(
            ann.id, bob.id, to_bob.id, await write(tx, to_bob.id, ann, "hi"), "Role", NOW, deadline
        )
        assert (
            first.status,
            first.refund_state,
            first.sponsored,
            first.refund_deadline,
            first.responded_at,
        ) == (InMailStatus.SENT, RefundState.PENDING, False, deadline, None)
        message = await tx.messages.add(
            to_cleo.id, ann.id, NOW, kind=MessageKind.INMAIL, text="hi", subject="Ad"
        )
        sponsored = await tx.inmails.add(
            ann.id,
            cleo.id,
            to_cleo.id,
            message.id,
            "Ad",
            NOW,
            deadline + timedelta(days=1),
            sponsored=True,
        )
        assert sponsored.sponsored and await tx.inmails.get(sponsored.id) == sponsored
        assert [m.id for m in await tx.inmails.pending_refunds(ann.id)] == [first.id, sponsored.id]
        assert await tx.inmails.due_unanswered(deadline - timedelta(seconds=1), 10) == []
        assert [
            m.id for m in await tx.inmails.due_unanswered(deadline + timedelta(days=2), 10)
        ] == [first.id, sponsored.id]  # by deadline
        assert [m.id for m in await tx.inmails.due_unanswered(deadline + timedelta(days=2), 1)] == [
            first.id
        ]
        assert await tx.inmails.open_in_conversation(to_bob.id, bob.id) == first
        assert await tx.inmails.open_in_conversation(to_bob.id, ann.id) is None
        assert await tx.inmails.latest_in_conversation(to_cleo.id) == sponsored

        first.status, first.responded_at = InMailStatus.INTERESTED, LATER
        first.refund_state = RefundState.FORFEITED
        await tx.inmails.save(first)
        assert await tx.inmails.get(first.id) == first
        assert await tx.inmails.open_in_conversation(to_bob.id, bob.id) is None  # answered
        assert [m.id for m in await tx.inmails.pending_refunds(ann.id)] == [sponsored.id]
        assert [
            m.id for m in await tx.inmails.due_unanswered(deadline + timedelta(days=2), 10)
        ] == [sponsored.id]


async def test_spam_reports_are_reviewed_once(store: Store) -> None:
    ann, bob = await add_members(store, "Ann", "Bob")
    chat = await conversation(store, ann, bob)
    async with store.transaction() as tx:
        first = await tx.spam.add(ann.id, bob.id, chat.id, NOW)
        second = await tx.spam.add(bob.id, ann.id, chat.id, LATER)
        assert (
            first.reporter_id,
            first.reported_id,
            first.conversation_id,
            first.created_at,
            first.reviewed,
        ) == (ann.id, bob.id, chat.id, NOW, False)
        assert [r.id for r in await tx.spam.list(True, 10)] == [second.id, first.id]
        assert await tx.spam.mark_reviewed(first.id) is True
        assert await tx.spam.mark_reviewed(first.id) is False
        assert [r.id for r in await tx.spam.list(True, 10)] == [second.id]
        assert [(r.id, r.reviewed) for r in await tx.spam.list(False, 10)] == [
            (second.id, False),
            (first.id, True),
        ]
        assert len(await tx.spam.list(False, 1)) == 1

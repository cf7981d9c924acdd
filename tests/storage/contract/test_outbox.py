"""The outbox through the port: every notification owed is kept with its payload, handed
out when due in each member's order, and its delivery recorded."""

from __future__ import annotations

from datetime import timedelta

from bridge.core.models import NotificationKind, NotificationStatus
from bridge.storage.port import Store
from tests.storage.contract.population import LATER, NOW, add_members, conversation, write

QUIET = "quiet hours"


async def test_a_notification_keeps_what_it_owes(store: Store) -> None:
    ann, bob = await add_members(store, "Ann", "Bob")
    payload = {"text": "Élise <b>&</b>", "ids": [1, 2], "nested": {"ok": True, "n": None}}
    async with store.transaction() as tx:
        owed = await tx.outbox.add(
            ann.id, NotificationKind.MESSAGE, 7, payload, NOW, sender_id=bob.id
        )
        later = await tx.outbox.add(ann.id, NotificationKind.DIGEST, None, {}, NOW, due_at=LATER)
        got = await tx.outbox.get(owed)
        assert got is not None
        assert (
            got.member_id,
            got.kind,
            got.ref_id,
            got.payload,
            got.status,
            got.attempts,
            got.created_at,
            got.due_at,
            got.sent_at,
            got.last_error,
            got.sender_id,
            got.silent,
        ) == (
            ann.id,
            NotificationKind.MESSAGE,
            7,
            payload,
            NotificationStatus.PENDING,
            0,
            NOW,
            NOW,
            None,
            None,
            bob.id,
            False,
        )
        waiting = await tx.outbox.get(later)
        assert waiting is not None and waiting.due_at == LATER
        assert await tx.outbox.get(later + 1) is None


async def test_due_rows_come_oldest_first_and_never_overtake_a_members_earlier_row(
    store: Store,
) -> None:
    ann, bob = await add_members(store, "Ann", "Bob")
    async with store.transaction() as tx:
        a1 = await tx.outbox.add(ann.id, NotificationKind.MESSAGE, 1, {}, NOW)
        a2 = await tx.outbox.add(ann.id, NotificationKind.MESSAGE, 2, {}, NOW, due_at=LATER)
        a3 = await tx.outbox.add(ann.id, NotificationKind.MESSAGE, 3, {}, NOW)  # behind a2
        b1 = await tx.outbox.add(bob.id, NotificationKind.MESSAGE, 4, {}, NOW)
        assert [n.id for n in await tx.outbox.due(NOW, 10)] == [a1, b1]
        assert [n.id for n in await tx.outbox.due(NOW, 1)] == [a1]
        assert await tx.outbox.earlier_waiting(ann.id, a3, NOW) is True
        assert await tx.outbox.earlier_waiting(ann.id, a2, NOW) is False
        assert await tx.outbox.earlier_waiting(bob.id, b1, NOW) is False
        assert [n.id for n in await tx.outbox.due(LATER, 10)] == [a1, a2, a3, b1]
        await tx.outbox.set_status(a1, NotificationStatus.SENT, NOW)
        assert [n.id for n in await tx.outbox.due(LATER, 10)] == [a2, a3, b1]


async def test_delivery_outcomes_are_recorded(store: Store) -> None:
    ann, bob = await add_members(store, "Ann", "Bob")
    async with store.transaction() as tx:
        sent = await tx.outbox.add(ann.id, NotificationKind.MESSAGE, 1, {}, NOW, sender_id=bob.id)
        silent = await tx.outbox.add(bob.id, NotificationKind.MESSAGE, 2, {}, NOW, sender_id=ann.id)
        retried = await tx.outbox.add(ann.id, NotificationKind.EDIT, 1, {}, NOW)
        await tx.outbox.reschedule(retried, LATER, "429: retry after 5")
        await tx.outbox.set_status(retried, NotificationStatus.FAILED, LATER, "400: gone")
        await tx.outbox.set_status(sent, NotificationStatus.SENT, LATER)
        await tx.outbox.set_status(silent, NotificationStatus.SENT, LATER, silent=True)
        row = await tx.outbox.get(retried)
        assert row is not None
        assert (row.status, row.attempts, row.due_at, row.sent_at, row.last_error) == (
            NotificationStatus.FAILED,
            2,
            LATER,
            LATER,
            "400: gone",
        )
        row = await tx.outbox.get(sent)
        assert row is not None and (row.status, row.attempts, row.silent) == (
            NotificationStatus.SENT,
            1,
            False,
        )
        # What rang recently: only a sent, audible push from that sender.
        assert await tx.outbox.recent_push(ann.id, bob.id, NOW) is True
        assert await tx.outbox.recent_push(ann.id, bob.id, LATER + timedelta(seconds=1)) is False
        assert await tx.outbox.recent_push(bob.id, ann.id, NOW) is False  # it was silent
        assert [n.id for n in await tx.outbox.by_status(NotificationStatus.SENT, 10)] == [
            silent,
            sent,
        ]
        assert await tx.outbox.counts() == {"sent": 2, "failed": 1}


async def test_sent_rows_are_marked_in_one_go(store: Store) -> None:
    ann, bob = await add_members(store, "Ann", "Bob")
    async with store.transaction() as tx:
        rows = [
            await tx.outbox.add(ann.id, NotificationKind.MESSAGE, i, {}, NOW, sender_id=bob.id)
            for i in range(3)
        ]
        untouched = await tx.outbox.add(bob.id, NotificationKind.MESSAGE, 9, {}, NOW)
        await tx.outbox.reschedule(rows[0], NOW, "429: retry after 1")
        await tx.outbox.mark_sent(rows[:2], LATER, silent=True)
        await tx.outbox.mark_sent(rows[2:], LATER, silent=False)
        marked = [await tx.outbox.get(i) for i in rows]
        assert [(r.status, r.attempts, r.sent_at, r.silent) for r in marked if r] == [
            (NotificationStatus.SENT, 2, LATER, True),
            (NotificationStatus.SENT, 1, LATER, True),
            (NotificationStatus.SENT, 1, LATER, False),
        ]
        assert marked[0] is not None and marked[0].last_error == "429: retry after 1"
        other = await tx.outbox.get(untouched)
        assert other is not None and other.status == NotificationStatus.PENDING
        await tx.outbox.mark_sent([], LATER, silent=False)  # nothing to mark: nothing done


async def test_a_members_held_and_quiet_rows_are_replanned_together(store: Store) -> None:
    ann, bob = await add_members(store, "Ann", "Bob")
    tomorrow = NOW + timedelta(days=1)
    async with store.transaction() as tx:
        first = await tx.outbox.add(ann.id, NotificationKind.MESSAGE, 1, {}, NOW)
        second = await tx.outbox.add(ann.id, NotificationKind.MESSAGE, 2, {}, NOW)
        quiet = await tx.outbox.add(ann.id, NotificationKind.MESSAGE, 3, {}, NOW)
        backoff = await tx.outbox.add(ann.id, NotificationKind.MESSAGE, 4, {}, NOW)
        others = await tx.outbox.add(bob.id, NotificationKind.MESSAGE, 5, {}, NOW)
        assert await tx.outbox.hold_member(ann.id) == 4
        assert await tx.outbox.waiting(ann.id, NOW, QUIET) is True
        # Two rows back to pending, put off: one till the quiet hours end, one by Telegram.
        assert await tx.outbox.replan_member(ann.id, NOW, QUIET) == 4
        await tx.outbox.reschedule(quiet, tomorrow, QUIET)
        await tx.outbox.reschedule(backoff, tomorrow, "429: retry after 86400")
        assert await tx.outbox.hold_member(bob.id) == 1
        assert await tx.outbox.waiting(ann.id, NOW, QUIET) is True  # the quiet one
        assert await tx.outbox.replan_member(ann.id, LATER, QUIET) == 1
        assert await tx.outbox.waiting(ann.id, LATER, QUIET) is False
        rows = {n: await tx.outbox.get(n) for n in (first, second, quiet, backoff, others)}
        assert {n: (r.status, r.due_at) for n, r in rows.items() if r is not None} == {
            first: (NotificationStatus.PENDING, NOW),
            second: (NotificationStatus.PENDING, NOW),
            quiet: (NotificationStatus.PENDING, LATER),  # due now: planned again
            backoff: (NotificationStatus.PENDING, tomorrow),  # Telegram's wait is kept
            others: (NotificationStatus.HELD, NOW),
        }


async def test_a_claim_takes_each_members_next_row_once_until_its_lease_ends(
    store: Store,
) -> None:
    """Several delivery workers: a member's next row goes to one worker at a time, their
    later rows wait for it, and a dead worker's claim is anyone's once its lease ended."""
    ann, bob, cleo = await add_members(store, "Ann", "Bob", "Cleo")
    lease = NOW + timedelta(seconds=60)
    async with store.transaction() as tx:
        a1 = await tx.outbox.add(ann.id, NotificationKind.MESSAGE, 1, {}, NOW)
        a2 = await tx.outbox.add(ann.id, NotificationKind.MESSAGE, 2, {}, NOW)
        b1 = await tx.outbox.add(bob.id, NotificationKind.MESSAGE, 3, {}, NOW)
        c1 = await tx.outbox.add(cleo.id, NotificationKind.MESSAGE, 4, {}, NOW, due_at=LATER)
    async with store.claiming() as tx:
        first = await tx.outbox.claim("w1", NOW, lease, 10)
        assert [n.id for n in first] == [a1, b1]  # a2 behind a1, c1 not due
        assert await tx.outbox.claim("w2", NOW, lease, 10) == []  # all taken
    async with store.transaction() as tx:
        await tx.outbox.set_status(a1, NotificationStatus.SENT, NOW)
    async with store.claiming() as tx:
        longer = lease + timedelta(seconds=60)
        assert [n.id for n in await tx.outbox.claim("w2", NOW, longer, 10)] == [a2]
        # w1 died holding b1: its lease ends, another worker takes it
        after = lease + timedelta(seconds=1)
        day = NOW + timedelta(days=1)
        assert [n.id for n in await tx.outbox.claim("w2", after, day, 10)] == [b1]
    async with store.transaction() as tx:  # a retry later gives the claim back
        await tx.outbox.reschedule(a2, NOW, "429")
    async with store.claiming() as tx:
        assert [n.id for n in await tx.outbox.claim("w3", NOW, lease, 10)] == [a2]
        await tx.outbox.release([a2], "w1")  # not w1's: nothing changes
        assert await tx.outbox.claim("w1", NOW, lease, 10) == []
        await tx.outbox.release([a2], "w3")
        assert [n.id for n in await tx.outbox.claim("w1", NOW, lease, 10)] == [a2]
        assert await tx.outbox.release_worker("w1") == 1  # w1 restarted: a2 is free again
        assert await tx.outbox.release_worker("w1") == 0
        assert [n.id for n in await tx.outbox.claim("w4", LATER, LATER, 10)] == [a2, c1]
    async with store.transaction() as tx:
        await tx.outbox.hold_member(cleo.id)  # blocked the bot: held, claim gone
    async with store.claiming() as tx:
        assert [n.id for n in await tx.outbox.claim("w5", LATER, LATER, 10)] == [a2]


async def test_a_messages_plan_reads_its_rows_at_once(store: Store) -> None:
    ann, bob, cat = await add_members(store, "Ann", "Bob", "Cat")
    chat = await conversation(store, ann, bob)
    async with store.transaction() as tx:
        message_id = await write(tx, chat.id, bob, "hi")
        owed = await tx.outbox.add(
            ann.id, NotificationKind.MESSAGE, message_id, {}, NOW, sender_id=bob.id
        )
        not_hers = await tx.outbox.add(
            cat.id, NotificationKind.MESSAGE, message_id, {}, NOW, sender_id=bob.id
        )
        gone = await tx.outbox.add(ann.id, NotificationKind.MESSAGE, 10**9, {}, NOW)
    since = NOW - timedelta(minutes=1)
    async with store.read() as tx:
        notification = await tx.outbox.get(owed)
        assert notification is not None
        rows = await tx.outbox.message_rows(notification, NOW, since)
        assert rows.recipient == await tx.members.get(ann.id)
        assert rows.sender == await tx.members.get(bob.id)
        assert rows.message == await tx.messages.get(message_id)
        assert rows.conversation == await tx.conversations.get(chat.id)
        assert rows.state == await tx.conversations.state(chat.id, ann.id)
        assert (rows.earlier_waiting, rows.recent_push) == (False, False)
        for other in (not_hers, gone):  # not in that conversation; no such message
            found = await tx.outbox.get(other)
            assert found is not None
            seen = await tx.outbox.message_rows(found, NOW, since)
            assert (seen.conversation, seen.state) == (None, None)
            assert seen.recipient is not None
    async with store.transaction() as tx:
        await tx.outbox.mark_sent([owed], NOW, silent=False)
        earlier = await tx.outbox.add(ann.id, NotificationKind.DIGEST, None, {}, NOW, LATER)
        await tx.outbox.add(ann.id, NotificationKind.MESSAGE, message_id, {}, NOW, None, bob.id)
    async with store.read() as tx:
        later = [n for n in await tx.outbox.by_status(NotificationStatus.PENDING, 9)][0]
        assert later.id > earlier
        rows = await tx.outbox.message_rows(later, NOW, since)
        assert rows.earlier_waiting == await tx.outbox.earlier_waiting(ann.id, later.id, NOW)
        assert rows.earlier_waiting is True  # the digest due later holds it back
        assert rows.recent_push == await tx.outbox.recent_push(ann.id, bob.id, since) is True


async def test_a_claim_can_be_limited_to_members_and_takes_the_earliest_due_first(
    store: Store,
) -> None:
    """The commit recording a send claims the recipient's next row (`members`); a chat that
    must wait has its next row made due later, and claims take the earliest due first: the
    members waiting longest go before the one just served."""
    ann, bob, cleo = await add_members(store, "Ann", "Bob", "Cleo")
    lease = NOW + timedelta(seconds=60)
    async with store.transaction() as tx:
        a1 = await tx.outbox.add(ann.id, NotificationKind.MESSAGE, 1, {}, NOW)
        a2 = await tx.outbox.add(ann.id, NotificationKind.MESSAGE, 2, {}, NOW)
        b1 = await tx.outbox.add(bob.id, NotificationKind.MESSAGE, 3, {}, NOW)
        c1 = await tx.outbox.add(cleo.id, NotificationKind.MESSAGE, 4, {}, NOW)
    async with store.claiming() as tx:
        assert [n.id for n in await tx.outbox.claim("w1", NOW, lease, 10, [ann.id])] == [a1]
        assert await tx.outbox.claim("w1", NOW, lease, 10, [ann.id]) == []  # a2 waits
    async with store.transaction() as tx:
        await tx.outbox.set_status(a1, NotificationStatus.SENT, NOW)
        await tx.outbox.postpone_head(ann.id, NOW + timedelta(seconds=1))
        await tx.outbox.postpone_head(ann.id, NOW)  # never earlier than it is
    async with store.claiming() as tx:
        assert await tx.outbox.claim("w1", NOW, lease, 10, [ann.id]) == []  # not due yet
        soon = NOW + timedelta(seconds=2)
        assert [n.id for n in await tx.outbox.claim("w1", soon, lease, 2)] == [b1, c1]
        assert [n.id for n in await tx.outbox.claim("w1", soon, lease, 2)] == [a2]

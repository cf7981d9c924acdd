"""Two workers on one database — two stores (two pools on PostgreSQL, two connections to
one file on SQLite), each with its own core — race for the same member's credits and weekly
invitation allowance: neither is ever overspent; a Stars payment delivered to both is
credited once, and its refund racing spends never takes back more than the balance. A
transaction that lost a race is refused whole (`StorageUnavailable`: on PostgreSQL
`TransactionConflict`) and run again, as the intake runs an update again."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import TypeVar

import pytest

from bridge.core import errors
from bridge.core.app import Core
from bridge.core.clock import FakeClock
from bridge.core.models import Delivery, Member, NewMember, NotificationKind
from bridge.core.rules import Rules
from bridge.storage import open_store
from bridge.storage.port import StorageUnavailable, TransactionConflict
from tests.conftest import connect
from tests.storage.backends import postgres_database

T = TypeVar("T")
ADMIN_TELEGRAM_ID = 999


@asynccontextmanager
async def database(kind: str, tmp_path: Path) -> AsyncIterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path}/bridge.db"
    else:
        async with postgres_database() as url:
            yield url


@pytest.fixture(params=["sqlite", "postgres"])
async def two_cores(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[tuple[Core, Core]]:
    rules = Rules(invites_per_window=5)
    clock = FakeClock()
    async with database(request.param, tmp_path) as url:
        stores = [await open_store(url), await open_store(url)]
        admins = frozenset({ADMIN_TELEGRAM_ID})
        try:
            yield (
                await Core.open(stores[0], rules=rules, clock=clock, admin_telegram_ids=admins),
                await Core.open(stores[1], rules=rules, clock=clock, admin_telegram_ids=admins),
            )
        finally:
            for store in stores:
                await store.close()


async def again(action: Callable[[], Awaitable[T]]) -> T:
    """Run `action` until the database lets it through (the intake's loop, without pause)."""
    tries = 0
    while True:
        try:
            return await action()
        except StorageUnavailable:
            tries += 1
            assert tries < 200, "a transaction lost its race 200 times in a row"
            await asyncio.sleep(0.001 * tries)


async def register(core: Core, telegram_id: int, name: str) -> Member:
    member, _ = await core.members.register(NewMember(telegram_id=telegram_id, first_name=name))
    return member


async def send_inmail(core: Core, sender: Member, target: Member) -> object:
    """One InMail sent through `core` (run again when it lost a race), or its refusal."""
    try:
        return await again(
            lambda: core.credits.send_inmail(sender.id, target.id, "Role", "Interested?")
        )
    except errors.NoCredits as refused:
        return refused


async def test_two_workers_never_overspend_credits(two_cores: tuple[Core, Core]) -> None:
    one, two = two_cores
    sender = await register(one, 1, "Sender")
    targets = [await register(one, 10 + i, f"T{i}") for i in range(8)]
    await one.credits.purchase(sender.id, 3, "test")
    balance = (await one.credits.account(sender.id)).balance
    assert 0 < balance < len(targets)

    results = await asyncio.gather(
        *(send_inmail(one if i % 2 else two, sender, t) for i, t in enumerate(targets))
    )
    sent = [r for r in results if not isinstance(r, errors.NoCredits)]
    assert len(sent) == balance
    for core in (one, two):
        assert (await core.credits.account(sender.id)).balance == 0
    async with two.deps.store.read() as tx:
        assert await tx.ledger.balance_sum(sender.id) == 0


async def test_two_workers_record_a_stars_payment_once(two_cores: tuple[Core, Core]) -> None:
    one, two = two_cores
    buyer = await register(one, 1, "Buyer")
    results = await asyncio.gather(
        *(
            again(lambda core=core: core.payments.record(buyer.id, "stx-1", "c10:50", "XTR", 50))
            for core in (one, two, one, two)
        )
    )
    assert len([r for r in results if r is not None]) == 1
    assert (await two.credits.account(buyer.id)).balance == 10
    async with one.deps.store.read() as tx:
        assert await tx.ledger.balance_sum(buyer.id) == 10


async def test_a_stars_refund_racing_spends_never_overdraws(
    two_cores: tuple[Core, Core],
) -> None:
    one, two = two_cores
    admin = await register(one, ADMIN_TELEGRAM_ID, "Admin")
    buyer = await register(one, 1, "Buyer")
    targets = [await register(one, 10 + i, f"T{i}") for i in range(6)]
    await one.payments.record(buyer.id, "stx-1", "c10:50", "XTR", 50)

    refund = again(lambda: two.payments.record_refund(admin, "stx-1"))
    *sent, refunded = await asyncio.gather(*(send_inmail(one, buyer, t) for t in targets), refund)
    spent = len([r for r in sent if not isinstance(r, errors.NoCredits)])
    assert refunded.credits_taken_back == 10 - spent  # what was spent stays spent
    assert (await one.credits.account(buyer.id)).balance == 0
    async with two.deps.store.read() as tx:
        assert await tx.ledger.balance_sum(buyer.id) == 0


async def test_two_workers_never_overspend_the_weekly_invitations(
    two_cores: tuple[Core, Core],
) -> None:
    one, two = two_cores
    inviter = await register(one, 1, "Inviter")
    invitees = [await register(one, 10 + i, f"I{i}") for i in range(12)]

    async def invite(core: Core, invitee: Member) -> bool:
        try:
            await again(lambda: core.invitations.invite(inviter.id, invitee.id, None))
        except errors.InvitationLimitReached:
            return False
        return True

    results = await asyncio.gather(
        *(invite(one if i % 2 else two, m) for i, m in enumerate(invitees))
    )
    assert sum(results) == 5
    async with one.deps.store.read() as tx:
        assert (
            len(
                await tx.invitations.sent_since(
                    inviter.id, one.now() - one.deps.rules.invite_window
                )
            )
            == 5
        )


async def test_two_workers_ticks_fire_a_due_reminder_once(two_cores: tuple[Core, Core]) -> None:
    """Every worker's JobQueue asks for the due reminders: whichever asks first fires each
    once, with one notification; the others find nothing (or lose the race and ask again)."""
    one, two = two_cores
    me, bob = await register(one, 1, "Me"), await register(one, 2, "Bob")
    await connect(one, me, bob)
    await one.messaging.send(bob.id, me.id, "Can you send the offer?")
    await one.reminders.remind(me.id, bob.id, "1d")
    clock = one.deps.clock
    assert isinstance(clock, FakeClock)
    clock.advance(timedelta(days=1, minutes=1))
    fired = await asyncio.gather(*(again(core.reminders.fire_due) for core in (one, two) * 3))
    assert sum(fired) == 1
    async with two.deps.store.read() as tx:
        due = await tx.outbox.due(clock.now() + timedelta(days=1), 100)
    assert [n.member_id for n in due if n.kind == NotificationKind.REMINDER] == [me.id]


async def test_a_connection_made_by_one_worker_reaches_the_others_index_within_a_second(
    tmp_path: Path,
) -> None:
    async with database("postgres", tmp_path) as url:
        stores = [await open_store(url), await open_store(url)]
        try:
            one, two = [await Core.open(store, clock=FakeClock()) for store in stores]
            ann, bob, cleo = [await register(one, n, name) for n, name in enumerate("ABC", 1)]
            # Each worker follows (on notifications: polls only every 30 s here).
            followers = [await core.follow_graph(poll_seconds=30) for core in (one, two)]
            try:
                outcome = await one.invitations.invite(ann.id, bob.id, None)
                await one.invitations.accept(bob.id, outcome.invitation.id)
                assert await within_a_second(lambda: two.deps.graph.has_edge(ann.id, bob.id))
                outcome = await two.invitations.invite(bob.id, cleo.id, None)
                await two.invitations.accept(cleo.id, outcome.invitation.id)
                assert await within_a_second(lambda: one.deps.graph.has_edge(bob.id, cleo.id))
                await one.network.remove_connection(ann.id, bob.id)
                assert await within_a_second(lambda: not two.deps.graph.has_edge(ann.id, bob.id))
                assert two.deps.graph.has_edge(bob.id, cleo.id)
            finally:
                for follower in followers:
                    assert follower is not None
                    await follower.stop()
        finally:
            for store in stores:
                await store.close()


async def within_a_second(condition: Callable[[], bool]) -> bool:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 1.0
    while loop.time() < deadline:
        if condition():
            return True
        await asyncio.sleep(0.01)
    return condition()


@pytest.fixture
async def two_postgres_cores(tmp_path: Path) -> AsyncIterator[tuple[Core, Core]]:
    async with database("postgres", tmp_path) as url:
        stores = [await open_store(url), await open_store(url)]
        clock = FakeClock()
        try:
            yield (await Core.open(stores[0], clock=clock), await Core.open(stores[1], clock=clock))
        finally:
            for store in stores:
                await store.close()


async def test_relays_in_different_conversations_never_conflict_across_workers(
    two_postgres_cores: tuple[Core, Core],
) -> None:
    """Two workers relaying for different members at once: what one writes (a message,
    two unread counters, a notification) is no reason to refuse the other's — no
    transaction run again, every counter right. (SERIALIZABLE refused them: its predicate
    locks cover whole index pages, which a few hundred conversations share.)"""
    one, two = two_postgres_cores
    pairs = []
    for i in range(12):
        a, b = await register(one, 100 + 2 * i, f"A{i}"), await register(one, 101 + 2 * i, f"B{i}")
        await connect(one, a, b)
        await one.messaging.open(a.id, b.id)
        pairs.append((a, b))
    conflicts: list[int] = []

    async def conversation(i: int, a: Member, b: Member) -> int:
        conversation_id = 0
        for n in range(4):  # one member's messages in order, each to either worker (nginx)
            core = (one, two)[(i + n) % 2]
            while True:
                try:
                    sent = await core.undo.send(a.id, b.id, f"m{i}.{n}")
                    break
                except TransactionConflict:
                    conflicts.append(i)
            assert isinstance(sent, Delivery)
            conversation_id = sent.conversation.id
        return conversation_id

    ids = await asyncio.gather(*(conversation(i, a, b) for i, (a, b) in enumerate(pairs)))
    assert conflicts == []
    async with two.deps.store.read() as tx:
        for conversation_id, (_, b) in zip(ids, pairs, strict=True):
            assert (await tx.conversations.state(conversation_id, b.id)).unread_count == 4


async def test_both_members_writing_at_once_across_workers_lose_nothing(
    two_cores: tuple[Core, Core],
) -> None:
    """Two connections who never wrote to each other send their first messages at the same
    moment, each through another worker: one conversation, both messages (the worker that
    lost the race to open the conversation runs again), and the one who wrote last has read
    the other's while the other has the last one unread."""
    one, two = two_cores
    ann, bob = await register(one, 1, "Ann"), await register(one, 2, "Bob")
    await connect(one, ann, bob)
    sent = await asyncio.gather(
        again(lambda: one.undo.send(ann.id, bob.id, "Hello Bob")),
        again(lambda: two.undo.send(bob.id, ann.id, "Hello Ann")),
    )
    assert all(isinstance(s, Delivery) for s in sent)
    conversations = {s.conversation.id for s in sent if isinstance(s, Delivery)}
    assert len(conversations) == 1
    (conversation_id,) = conversations
    async with one.deps.store.read() as tx:
        states = await tx.conversations.states(conversation_id)
        messages = await tx.messages.history(conversation_id, 0, None, 10)
    assert sorted(m.text or "" for m in messages) == ["Hello Ann", "Hello Bob"]
    first, last = messages[0].sender_id, messages[-1].sender_id
    assert {member: s.unread_count for member, s in states.items()} == {first: 1, last: 0}

"""Two workers on one database — two stores (two pools on PostgreSQL, two connections to
one file on SQLite), each with its own core — race for the same member's credits and weekly
invitation allowance: neither is ever overspent. A transaction that lost a race is refused
whole (`StorageUnavailable`: on PostgreSQL `TransactionConflict`) and run again, as the
intake runs an update again."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TypeVar

import pytest

from bridge.core import errors
from bridge.core.app import Core
from bridge.core.clock import FakeClock
from bridge.core.models import Member, NewMember
from bridge.core.rules import Rules
from bridge.storage import open_store
from bridge.storage.port import StorageUnavailable
from tests.storage.backends import postgres_database

T = TypeVar("T")


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
        try:
            yield (
                await Core.open(stores[0], rules=rules, clock=clock),
                await Core.open(stores[1], rules=rules, clock=clock),
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


async def test_two_workers_never_overspend_credits(two_cores: tuple[Core, Core]) -> None:
    one, two = two_cores
    sender = await register(one, 1, "Sender")
    targets = [await register(one, 10 + i, f"T{i}") for i in range(8)]
    await one.credits.purchase(sender.id, 3, "test")
    balance = (await one.credits.account(sender.id)).balance
    assert 0 < balance < len(targets)

    async def send(core: Core, target: Member) -> object:
        try:
            return await again(
                lambda: core.credits.send_inmail(sender.id, target.id, "Role", "Interested?")
            )
        except errors.NoCredits as refused:
            return refused

    results = await asyncio.gather(*(send(one if i % 2 else two, t) for i, t in enumerate(targets)))
    sent = [r for r in results if not isinstance(r, errors.NoCredits)]
    assert len(sent) == balance
    for core in (one, two):
        assert (await core.credits.account(sender.id)).balance == 0
    async with two.deps.store.read() as tx:
        assert await tx.ledger.balance_sum(sender.id) == 0


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

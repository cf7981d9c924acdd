"""Scheduled jobs on several workers: each worker's JobQueue ticks on its own, so two ticks
can fire together over one database (two stores, two cores; SQLite and PostgreSQL). Each
member's digest is owed once a day and each InMail refunded once, whichever tick was first."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bridge.core.app import Core
from bridge.core.clock import FakeClock
from bridge.core.models import NotificationKind, NotificationStatus
from bridge.storage import open_store
from tests.storage.test_two_workers import again, database, register

MEMBERS = 12


@pytest.fixture(params=["sqlite", "postgres"])
async def two_workers(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[tuple[Core, Core, FakeClock]]:
    clock = FakeClock(datetime(2026, 5, 4, 7, 0, tzinfo=UTC))
    async with database(request.param, tmp_path) as url:
        stores = [await open_store(url), await open_store(url)]
        try:
            one, two = [await Core.open(store, clock=clock) for store in stores]
            yield one, two, clock
        finally:
            for store in stores:
                await store.close()


async def _owed(core: Core, kind: NotificationKind) -> list[int]:
    async with core.deps.store.read() as tx:
        rows = await tx.outbox.by_status(NotificationStatus.PENDING, 10_000)
    return sorted(n.member_id for n in rows if n.kind == kind)


async def test_racing_ticks_owe_each_digest_once(two_workers: tuple[Core, Core, FakeClock]) -> None:
    one, two, clock = two_workers
    writer = await register(one, 1, "Writer")
    readers = [await register(one, 100 + i, f"R{i}") for i in range(MEMBERS)]
    for reader in readers:
        outcome = await one.invitations.invite(writer.id, reader.id, None)
        await one.invitations.accept(reader.id, outcome.invitation.id)
        await one.messaging.send(writer.id, reader.id, "News for your digest")
        await one.preferences.set_mode(reader.id, "digest")
        await one.preferences.set_digest_time(reader.id, "08:00")
    clock.advance(timedelta(hours=1, minutes=1))  # 08:01 UTC: every reader's digest is due

    owed = await asyncio.gather(
        *(again(core.preferences.schedule_digests) for core in (one, two, one, two))
    )
    assert sum(owed) == MEMBERS
    assert await _owed(one, NotificationKind.DIGEST) == sorted(r.id for r in readers)
    assert await again(two.preferences.schedule_digests) == 0  # the same day: never again
    clock.advance(timedelta(days=1))
    owed = await asyncio.gather(*(again(core.preferences.schedule_digests) for core in (two, one)))
    assert sum(owed) == MEMBERS  # the next day's, once each


async def test_racing_ticks_refund_each_inmail_once(
    two_workers: tuple[Core, Core, FakeClock],
) -> None:
    one, two, clock = two_workers
    sender = await register(one, 1, "Sender")
    targets = [await register(one, 100 + i, f"T{i}") for i in range(MEMBERS)]
    await one.credits.purchase(sender.id, MEMBERS, "test")
    before = (await one.credits.account(sender.id)).balance
    for target in targets:
        await one.credits.send_inmail(sender.id, target.id, "Role", "Interested?")
    assert (await one.credits.account(sender.id)).balance == before - MEMBERS
    clock.advance(timedelta(days=30))  # every refund deadline passed unanswered

    settled = await asyncio.gather(
        *(again(core.credits.settle_expired) for core in (one, two, two, one))
    )
    assert sum(len(refunded) for refunded in settled) == MEMBERS
    assert sorted(i.id for batch in settled for i in batch) == sorted(
        {i.id for batch in settled for i in batch}
    )
    assert (await two.credits.account(sender.id)).balance == before
    async with two.deps.store.read() as tx:
        assert await tx.ledger.balance_sum(sender.id) == before

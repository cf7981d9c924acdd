"""Three delivery workers on one outbox — three stores (three pools on PostgreSQL, three
connections to one file on SQLite) — claim and send at once: every row is sent once, and a
member's rows one at a time, in order, whichever worker sends them."""

from __future__ import annotations

import asyncio
import random
from datetime import timedelta
from pathlib import Path

import pytest

from bridge.core.models import NewMember, NotificationKind, NotificationStatus
from bridge.storage import open_store
from bridge.storage.port import Store
from tests.storage.contract.population import NOW
from tests.storage.test_two_workers import again, database

MEMBERS, ROWS, WORKERS = 12, 8, 3


async def _owe(store: Store) -> dict[int, list[int]]:
    """Each member's rows, oldest first."""
    owed: dict[int, list[int]] = {}
    async with store.transaction() as tx:
        for i in range(MEMBERS):
            member = await tx.members.add(
                NewMember(telegram_id=500 + i, first_name=f"M{i}"), f"m{i}", NOW
            )
            owed[member.id] = [
                await tx.outbox.add(member.id, NotificationKind.MESSAGE, n, {}, NOW)
                for n in range(ROWS)
            ]
    return owed


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
async def test_workers_claiming_at_once_send_each_row_once_in_member_order(
    kind: str, tmp_path: Path
) -> None:
    async with database(kind, tmp_path) as url:
        stores = [await open_store(url) for _ in range(WORKERS)]
        try:
            owed = await _owe(stores[0])
            sent: list[tuple[int, int]] = []  # (member, row) in the order sent
            in_flight: set[int] = set()  # members with a send under way
            overlaps: list[int] = []
            rng = random.Random(7)

            async def work(name: str, store: Store) -> None:
                idle = 0
                while idle < 5:
                    async with store.claiming() as tx:
                        claimed = await tx.outbox.claim(name, NOW, NOW + timedelta(60), 4)
                    idle = 0 if claimed else idle + 1
                    for n in claimed:
                        if n.member_id in in_flight:
                            overlaps.append(n.member_id)
                        in_flight.add(n.member_id)
                        await asyncio.sleep(rng.uniform(0, 0.003))  # Telegram's round trip
                        sent.append((n.member_id, n.id))
                        in_flight.discard(n.member_id)

                        async def done(row: int = n.id) -> None:
                            async with store.transaction() as tx:
                                await tx.outbox.set_status(row, NotificationStatus.SENT, NOW)

                        await again(done)
                    await asyncio.sleep(0.002)

            await asyncio.gather(*(work(f"w{i}", s) for i, s in enumerate(stores)))
        finally:
            for store in stores:
                await store.close()
    assert sorted(row for _, row in sent) == sorted(r for rows in owed.values() for r in rows)
    assert overlaps == []
    for member, rows in owed.items():
        assert [row for who, row in sent if who == member] == rows

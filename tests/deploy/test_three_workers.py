"""Three bot workers in webhook mode behind a real nginx (the repository's example
configuration), on one PostgreSQL, against the local Bot API server: many members send
messages, one worker is SIGKILLed mid-stream and restarted. Every accepted message is
delivered (none lost; repeats at most the delivery window per kill, each receiver's in
order), every due digest is sent once although every worker's JobQueue ticks, and the
server refused no request."""

from __future__ import annotations

import asyncio
import os
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from botapi_sandbox.server import SandboxServer
from botapi_sandbox.users import SimUser
from bridge.config import Settings
from bridge.core.app import Core
from bridge.core.models import NewMember
from bridge.storage import open_store
from tests.deploy.cluster import NO_NGINX, Cluster, nginx_binary
from tests.e2e.test_durability import _seed, relayed, relayed_order
from tests.storage.backends import postgres_database

TOKEN = "515151:three-workers-token"
PAIRS = 8
PER_SENDER = 20
READERS = 5
WINDOW = Settings(_env_file=None).delivery_window
DIGEST = "unread message"


@pytest.fixture
def nginx() -> str:
    binary = nginx_binary()
    if binary is None:
        reason = "nginx is not installed (apt install nginx)"
        if os.environ.get("CI") == "1" or os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(f"CI: {reason}: the three-worker test must run")
        pytest.skip(f"{NO_NGINX} {reason}")
    return binary


async def _seed_digests(database_url: str, writer: SimUser, readers: list[SimUser]) -> None:
    """Readers with one unread message each, notifications muted, whose digest time has come."""
    store = await open_store(database_url)
    try:
        core = await Core.open(store)
        author, _ = await core.members.register(
            NewMember(telegram_id=writer.id, first_name=writer.first_name)
        )
        due = (datetime.now(UTC) - timedelta(minutes=1)).strftime("%H:%M")
        for user in readers:
            reader, _ = await core.members.register(
                NewMember(telegram_id=user.id, first_name=user.first_name)
            )
            outcome = await core.invitations.invite(author.id, reader.id, None)
            await core.invitations.accept(reader.id, outcome.invitation.id)
            await core.preferences.set_mode(reader.id, "mute")
            await core.messaging.send(author.id, reader.id, "For your digest")
            await core.preferences.set_digest_time(reader.id, due)
        for n in await core.outbox.due(1000):  # the seeding's own notifications
            await core.outbox.skip(n.id, "seed")
    finally:
        await store.close()


def _digests(user: SimUser) -> int:
    return sum(1 for m in user.chat if m.from_bot and DIGEST in m.content)


async def test_three_workers_behind_nginx_lose_nothing_and_digest_once(
    nginx: str, tmp_path: Path
) -> None:
    async with postgres_database() as database_url:
        server = SandboxServer()
        await server.start()
        server.add_bot(TOKEN, username="bridge_cluster_bot")
        pairs = [
            (
                server.add_user(f"Sender{i}", username=f"sender{i}"),
                server.add_user(f"Receiver{i}", username=f"receiver{i}"),
            )
            for i in range(PAIRS)
        ]
        writer = server.add_user("Writer", username="writer")
        readers = [server.add_user(f"Reader{i}", username=f"reader{i}") for i in range(READERS)]
        await _seed(database_url, pairs)
        await _seed_digests(database_url, writer, readers)
        cluster = Cluster(tmp_path, server.url, TOKEN, database_url, workers=3)
        rng = random.Random(14)
        loop = asyncio.get_running_loop()
        try:
            await cluster.start()
            hook = server.bots[TOKEN].webhook
            assert hook.url == cluster.webhook_url and hook.secret_token is not None

            async def sender(index: int) -> None:
                user = pairs[index][0]
                for n in range(PER_SENDER):
                    await user.send_text(f"m:{index}:{n}")
                    await asyncio.sleep(rng.uniform(0.02, 0.1))

            senders = asyncio.gather(*(sender(i) for i in range(PAIRS)))
            await asyncio.sleep(1.0)
            await cluster.kill_worker(1)  # mid-stream: its requests and sends in flight die
            await asyncio.sleep(1.0)
            cluster.start_worker(1)
            restarted = loop.time()
            await senders

            def delivered() -> dict[tuple[int, int], int]:
                return relayed([receiver for _, receiver in pairs])

            expected = {(i, n) for i in range(PAIRS) for n in range(PER_SENDER)}
            deadline = loop.time() + 90
            while loop.time() < deadline and not (
                expected <= set(delivered()) and all(_digests(r) for r in readers)
            ):
                await asyncio.sleep(0.25)
            # The restarted worker's first JobQueue tick (5 s after its start) has run too.
            await asyncio.sleep(max(0.0, restarted + 9 - loop.time()))
            counts = delivered()
            orders = [relayed_order(receiver) for _, receiver in pairs]
            digests = [_digests(reader) for reader in readers]
        finally:
            await cluster.stop()
            await server.stop()
    lost = expected - set(counts)
    duplicated = sum(c - 1 for c in counts.values() if c > 1)
    print(
        f"\nthree workers: sent={len(expected)} lost={len(lost)} duplicated={duplicated}"
        f" digests={digests} webhook deliveries={hook.delivered}"
    )
    assert not lost, cluster.logs()
    assert duplicated <= 1 * WINDOW
    firsts = [list(dict.fromkeys(order)) for order in orders]
    assert all(first == sorted(first) for first in firsts), firsts
    assert digests == [1] * READERS, cluster.logs()
    assert server.rejected == []

"""One member's updates stay in order across workers: Telegram's Bot API server sends a
chat's next webhook update only once the previous one was answered (the local server does
the same, `botapi_sandbox/webhook.py`), and a worker answers only after processing it, so
an `/open` handled by one worker has committed before the text after it reaches another."""

from __future__ import annotations

import asyncio
from pathlib import Path

from botapi_sandbox.server import SandboxServer
from botapi_sandbox.users import SimUser
from bridge.core.app import Core
from bridge.core.models import NewMember
from bridge.storage import open_store
from tests.deploy.cluster import Cluster
from tests.deploy.test_three_workers import nginx  # noqa: F401 (the fixture)
from tests.storage.backends import postgres_database

TOKEN = "616161:member-order-token"
ROUNDS = 6


async def _seed(database_url: str, alice: SimUser, friends: list[SimUser]) -> list[str]:
    """Alice connected with each friend, her conversation with the first one open; the
    friends' handles."""
    store = await open_store(database_url)
    try:
        core = await Core.open(store)
        ids, handles = [], []
        for user in (alice, *friends):
            member, _ = await core.members.register(
                NewMember(telegram_id=user.id, first_name=user.first_name, username=user.username)
            )
            ids.append(member.id)
            handles.append(member.handle)
        for friend in ids[1:]:
            outcome = await core.invitations.invite(ids[0], friend, None)
            await core.invitations.accept(friend, outcome.invitation.id)
        await core.messaging.open(ids[0], ids[1])
        for n in await core.outbox.due(1000):  # the seeding's own notifications
            await core.outbox.skip(n.id, "seed")
        return handles[1:]
    finally:
        await store.close()


def _words(user: SimUser, prefix: str) -> list[str]:
    return [
        word
        for m in user.chat
        if m.from_bot
        for word in m.content.split()
        if word.startswith(prefix)
    ]


async def test_open_then_a_text_on_two_workers_stays_in_order(
    nginx: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    async with postgres_database() as database_url:
        server = SandboxServer()
        await server.start()
        server.add_bot(TOKEN, username="bridge_order_bot")
        alice = server.add_user("Alice", username="alice")
        bob = server.add_user("Bob", username="bob")
        carol = server.add_user("Carol", username="carol")
        to_bob_handle, to_carol_handle = await _seed(database_url, alice, [bob, carol])
        cluster = Cluster(tmp_path, server.url, TOKEN, database_url, workers=2, access_log=True)
        loop = asyncio.get_running_loop()
        try:
            await cluster.start()
            # Everything at once: Alice never waits for the bot's answer to her /open.
            for k in range(ROUNDS):
                for text in (
                    f"/open @{to_carol_handle}",
                    f"to-carol-{k}",
                    f"/open @{to_bob_handle}",
                    f"to-bob-{k}",
                ):
                    await alice.send_text(text)
            deadline = loop.time() + 60
            last = f"to-bob-{ROUNDS - 1}"
            while loop.time() < deadline and last not in _words(bob, "to-bob-"):
                await asyncio.sleep(0.1)
            await asyncio.sleep(0.5)  # anything misrouted would have arrived too
            to_bob, to_carol = _words(bob, "to-"), _words(carol, "to-")
            upstreams = cluster.upstreams()
        finally:
            await cluster.stop()
            await server.stop()
    answers = [m.content for m in alice.chat if m.from_bot]
    assert to_bob == [f"to-bob-{k}" for k in range(ROUNDS)], (to_carol, answers)
    assert to_carol == [f"to-carol-{k}" for k in range(ROUNDS)], (to_bob, answers)
    # Alice's updates, one after the other, were spread over both workers: many an /open
    # and the text after it were handled by different processes.
    assert len(upstreams) == 4 * ROUNDS
    assert len(set(upstreams)) == 2, upstreams
    switches = sum(a != b for a, b in zip(upstreams, upstreams[1:], strict=False))
    assert switches >= ROUNDS, upstreams
    assert server.rejected == []

"""Never lose a message: SIGKILL the bot process repeatedly under load, with Telegram
answering 429, 5xx and timeouts, then compare every recipient's chat with what was sent.

The bot runs as a real separate process (`python -m bridge`) against the in-process local
Bot API server, which keeps its state (and unconfirmed updates) across the bot's deaths."""

from __future__ import annotations

import asyncio
import os
import random
import re
import signal
import subprocess
import sys
from pathlib import Path

from bridge.core.app import Core
from bridge.core.models import NewMember
from bridge.sandbox.server import SandboxServer
from bridge.storage import open_store

TOKEN = "424242:durability-token"
PAIRS = 4
PER_SENDER = 25
KILLS = 3
TOKEN_RE = re.compile(r"\bm:(\d+):(\d+)\b")


async def _seed(database_url: str, pairs: list[tuple]) -> None:
    """Members connected pairwise, each sender's conversation already open (/open)."""
    store = await open_store(database_url)
    core = await Core.open(store)
    for sender, recipient in pairs:
        ids = []
        for user in (sender, recipient):
            member, _ = await core.members.register(NewMember(
                telegram_id=user.id, first_name=user.first_name, username=user.username))
            ids.append(member.id)
        outcome = await core.invitations.invite(ids[0], ids[1], None)
        await core.invitations.accept(ids[1], outcome.invitation.id)
        await core.messaging.open(ids[0], ids[1])
    for n in await core.outbox.due(1000):  # the seeding's own notifications: not under test
        await core.outbox.skip(n.id, "seed")
    await store.close()


def _start_bot(server: SandboxServer, database_url: str, log: Path) -> subprocess.Popen:
    env = {**os.environ, "BOT_TOKEN": TOKEN, "BOT_API_URL": server.url,
           "DATABASE_URL": database_url, "ADMIN_IDS": ""}
    return subprocess.Popen([sys.executable, "-m", "bridge"], env=env,
                            stdout=log.open("ab"), stderr=subprocess.STDOUT,
                            cwd=Path(__file__).resolve().parents[2])


async def test_sigkill_under_load_loses_nothing(tmp_path: Path) -> None:
    server = SandboxServer()
    await server.start()
    server.add_bot(TOKEN, username="bridge_durability_bot")
    rng = random.Random(2026)
    pairs = [(server.add_user(f"Sender{i}", username=f"sender{i}"),
              server.add_user(f"Receiver{i}", username=f"receiver{i}")) for i in range(PAIRS)]
    database_url = f"sqlite:///{tmp_path}/bridge.db"
    await _seed(database_url, pairs)
    # Telegram misbehaving: rate limits, server errors, a slow answer.
    server.faults.add("sendMessage", "429", count=-1, probability=0.05, retry_after=1)
    server.faults.add("sendMessage", "502", count=-1, probability=0.05)
    server.faults.add("sendMessage", "timeout", count=1, delay=6.0)
    log = tmp_path / "bot.log"
    bot = _start_bot(server, database_url, log)

    async def sender(index: int) -> None:
        user = pairs[index][0]
        for i in range(PER_SENDER):
            await user.send_text(f"m:{index}:{i}")
            await asyncio.sleep(rng.uniform(0.02, 0.12))

    senders = asyncio.gather(*(sender(i) for i in range(PAIRS)))
    kills = 0
    try:
        while kills < KILLS:
            await asyncio.sleep(rng.uniform(0.8, 1.6))
            bot.send_signal(signal.SIGKILL)
            await asyncio.to_thread(bot.wait)
            kills += 1
            bot = _start_bot(server, database_url, log)
        await senders

        def delivered() -> dict[tuple[int, int], int]:
            counts: dict[tuple[int, int], int] = {}
            for _, receiver in pairs:
                for message in receiver.chat:
                    if message.from_bot:
                        for a, b in TOKEN_RE.findall(message.content):
                            counts[(int(a), int(b))] = counts.get((int(a), int(b)), 0) + 1
            return counts

        expected = {(i, n) for i in range(PAIRS) for n in range(PER_SENDER)}
        for _ in range(120):
            if expected <= set(delivered()):
                break
            await asyncio.sleep(0.5)
        counts = delivered()
        rings = [sum(1 for m in receiver.chat if m.from_bot and TOKEN_RE.search(m.content)
                     and not m.silent) for _, receiver in pairs]
    finally:
        bot.send_signal(signal.SIGTERM)
        try:  # the sandbox runs on this loop: wait without blocking it
            await asyncio.to_thread(bot.wait, 15)
        except subprocess.TimeoutExpired:
            bot.kill()
        await server.stop()
    lost = len(expected - set(counts))
    duplicated = sum(c - 1 for c in counts.values() if c > 1)
    print(f"\nreliability: sent={len(expected)} delivered={len(set(counts) & expected)} "
          f"lost={lost} duplicated={duplicated} kills={kills} "
          f"faults={dict(server.faults.injected)}")
    assert lost == 0, log.read_text()[-3000:]
    assert duplicated <= kills
    assert server.rejected == []
    # Each sender's burst rang its receiver once (a restart may add a ring, never more).
    assert all(1 <= r <= 1 + kills for r in rings), rings

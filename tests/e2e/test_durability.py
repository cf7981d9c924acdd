"""Never lose a message, never apply a command twice: SIGKILL the bot process repeatedly
under load, with Telegram answering 429, 5xx and timeouts, then compare every recipient's
chat with what was sent; and kill it while its reply to a command is in flight (the command
committed, its update not yet confirmed), then count what each command did.

The bot runs as a real separate process (`python -m bridge`) against the in-process local
Bot API server, which keeps its state (and unconfirmed updates) across the bot's deaths."""

from __future__ import annotations

import asyncio
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import asyncpg

from botapi_sandbox.server import SandboxServer
from botapi_sandbox.users import SimUser
from bridge.config import Settings
from bridge.core.app import Core
from bridge.core.models import NewMember
from bridge.storage import open_store

TOKEN = "424242:durability-token"
PAIRS = 4
PER_SENDER = 25
KILLS = 3
# The delivery window at its default: each kill can repeat at most this many sends (those in
# flight, whose acceptance by Telegram was not yet recorded).
WINDOW = Settings(_env_file=None).delivery_window
TOKEN_RE = re.compile(r"\bm:(\d+):(\d+)\b")


def relayed(receivers: list[SimUser]) -> dict[tuple[int, int], int]:
    """How many times each `m:<sender>:<n>` token reached the receivers' chats."""
    counts: dict[tuple[int, int], int] = {}
    for receiver in receivers:
        for message in receiver.chat:
            if message.from_bot:
                for a, b in TOKEN_RE.findall(message.content):
                    counts[(int(a), int(b))] = counts.get((int(a), int(b)), 0) + 1
    return counts


def relayed_order(receiver: SimUser) -> list[int]:
    """The message numbers a receiver's chat shows, in the order shown (repeats included)."""
    return [int(b) for m in receiver.chat if m.from_bot for _, b in TOKEN_RE.findall(m.content)]


async def _seed(database_url: str, pairs: list[tuple]) -> None:
    """Members connected pairwise, each sender's conversation already open (/open)."""
    store = await open_store(database_url)
    core = await Core.open(store)
    for sender, recipient in pairs:
        ids = []
        for user in (sender, recipient):
            member, _ = await core.members.register(
                NewMember(telegram_id=user.id, first_name=user.first_name, username=user.username)
            )
            ids.append(member.id)
        outcome = await core.invitations.invite(ids[0], ids[1], None)
        await core.invitations.accept(ids[1], outcome.invitation.id)
        await core.messaging.open(ids[0], ids[1])
    for n in await core.outbox.due(1000):  # the seeding's own notifications: not under test
        await core.outbox.skip(n.id, "seed")
    await store.close()


def _start_bot(
    server: SandboxServer, database_url: str, log: Path, admins: str = ""
) -> subprocess.Popen:
    env = {
        **os.environ,
        "BOT_TOKEN": TOKEN,
        "BOT_API_URL": server.url,
        "DATABASE_URL": database_url,
        "ADMIN_IDS": admins,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bridge"],
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        cwd=Path(__file__).resolve().parents[2],
    )


async def _stop(bot: subprocess.Popen, server: SandboxServer) -> None:
    """SIGTERM the bot process (killed if it is not gone in 15 s), then stop the server."""
    bot.send_signal(signal.SIGTERM)
    try:  # the sandbox runs on this loop: wait without blocking it
        await asyncio.to_thread(bot.wait, 15)
    except subprocess.TimeoutExpired:
        bot.kill()
    await server.stop()


async def test_sigkill_under_load_loses_nothing(tmp_path: Path, database_url: str) -> None:
    server = SandboxServer()
    await server.start()
    server.add_bot(TOKEN, username="bridge_durability_bot")
    rng = random.Random(2026)
    pairs = [
        (
            server.add_user(f"Sender{i}", username=f"sender{i}_tg"),
            server.add_user(f"Receiver{i}", username=f"receiver{i}_tg"),
        )
        for i in range(PAIRS)
    ]
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
            return relayed([receiver for _, receiver in pairs])

        expected = {(i, n) for i in range(PAIRS) for n in range(PER_SENDER)}
        for _ in range(120):
            if expected <= set(delivered()):
                break
            await asyncio.sleep(0.5)
        counts = delivered()
        # Each receiver saw the sender's messages in the order they were sent (a repeat
        # after a kill comes right where it was, never after a later one).
        orders = [relayed_order(receiver) for _, receiver in pairs]
        rings = [
            sum(
                1
                for m in receiver.chat
                if m.from_bot and TOKEN_RE.search(m.content) and not m.silent
            )
            for _, receiver in pairs
        ]
    finally:
        await _stop(bot, server)
    lost = len(expected - set(counts))
    duplicated = sum(c - 1 for c in counts.values() if c > 1)
    print(
        f"\nreliability: sent={len(expected)} delivered={len(set(counts) & expected)} "
        f"lost={lost} duplicated={duplicated} kills={kills} window={WINDOW} "
        f"faults={dict(server.faults.injected)}"
    )
    assert lost == 0, log.read_text()[-3000:]
    assert duplicated <= kills * WINDOW
    firsts = [list(dict.fromkeys(order)) for order in orders]
    assert all(first == sorted(first) for first in firsts), firsts
    assert server.rejected == []
    # Each sender's burst rang its receiver once (a restart may add a ring, never more).
    assert all(1 <= r <= 1 + kills for r in rings), rings


# What each command or button leaves in the database, counted from outside the bot.
EFFECTS = {
    "grant": "SELECT COUNT(*) FROM credit_ledger l JOIN members m ON m.id = l.member_id"
    " WHERE m.handle = 'alice' AND l.kind = 'grant'",
    "inmail": "SELECT COUNT(*) FROM inmails",
    "invite": "SELECT COUNT(*) FROM invitations i JOIN members r ON r.id = i.recipient_id"
    " WHERE r.handle = 'carol'",
    "accept": "SELECT COUNT(*) FROM outbox o JOIN invitations i ON i.id = o.ref_id"
    " JOIN members r ON r.id = i.recipient_id"
    " WHERE o.kind = 'accepted' AND r.handle = 'carol'",
    "forward": "SELECT COUNT(*) FROM messages WHERE forwarded_from_id IS NOT NULL",
}


async def _count(database_url: str, sql: str) -> int:
    """One number from the bot's database, read from outside the bot (either backend)."""
    if database_url.startswith("sqlite:///"):
        conn = sqlite3.connect(database_url.removeprefix("sqlite:///"), timeout=5)
        try:
            return conn.execute(sql).fetchone()[0]
        finally:
            conn.close()
    pg = await asyncpg.connect(database_url)
    try:
        return int(await pg.fetchval(sql))
    finally:
        await pg.close()


async def _more(database_url: str, sql: str, than: int) -> bool:
    return await _count(database_url, sql) > than


async def _drained(database_url: str) -> bool:
    return await _count(database_url, "SELECT COUNT(*) FROM outbox WHERE status = 'pending'") == 0


async def _until(check: Callable[[], Awaitable[bool]], what: str, timeout: float = 20) -> None:
    for _ in range(int(timeout / 0.05)):
        if await check():
            return
        await asyncio.sleep(0.05)
    raise TimeoutError(what)


async def test_sigkill_while_replying_applies_each_command_once(
    tmp_path: Path, database_url: str
) -> None:
    """Each command (and a button) commits, then the bot dies while its reply is still in
    flight, before the update is confirmed; Telegram hands the same update to the next
    process. Credits are granted and spent once, one InMail, one invitation, one
    acceptance, one forward — while other members keep writing."""
    server = SandboxServer()
    await server.start()
    server.add_bot(TOKEN, username="bridge_durability_bot")
    rng = random.Random(7)
    admin = server.add_user("Ada", username="ada_tg")
    alice, bob, carol = (
        server.add_user(n, username=f"{n.lower()}_tg") for n in ("Alice", "Bob", "Carol")
    )
    dave, erin = (
        server.add_user("Dave", username="dave_tg"),
        server.add_user("Erin", username="erin_tg"),
    )
    load = [
        (
            server.add_user(f"Sender{i}", username=f"sender{i}_tg"),
            server.add_user(f"Receiver{i}", username=f"receiver{i}_tg"),
        )
        for i in range(2)
    ]
    database = database_url
    await _seed(database_url, [(alice, bob), (bob, erin), *load])
    store = await open_store(database_url)  # Ada and Carol exist before the bot starts
    core = await Core.open(store)
    for user in (admin, carol, dave):
        await core.members.register(
            NewMember(telegram_id=user.id, first_name=user.first_name, username=user.username)
        )
    await store.close()
    log = tmp_path / "bot.log"
    bot = _start_bot(server, database_url, log, admins=str(admin.id))

    await alice.send_text("please forward me")  # alice's open conversation is with bob
    relayed = await bob.wait_for_text("please forward me", timeout=20)

    async def kill_while_replying(
        user: SimUser,
        text: str,
        effect: str,
        reply_to: int | None = None,
        press: tuple[int, str] | None = None,
    ) -> None:
        nonlocal bot
        before = await _count(database, EFFECTS[effect])
        # Telegram holds every send: the reply to this command stays in flight.
        server.faults.add("sendMessage", "timeout", count=-1, delay=30)
        if press is not None:
            await user.press_nowait(*press)
        else:
            await user.send_text(text, reply_to=reply_to)
        await _until(
            lambda: _more(database, EFFECTS[effect], before),
            f"{effect} never committed\n{log.read_text()[-2000:]}",
        )
        bot.send_signal(signal.SIGKILL)
        await asyncio.to_thread(bot.wait)
        server.faults.clear()
        bot = _start_bot(server, database_url, log, admins=str(admin.id))

    async def sender(index: int) -> None:
        for i in range(15):
            await load[index][0].send_text(f"m:{index}:{i}")
            await asyncio.sleep(rng.uniform(0.05, 0.25))

    senders = asyncio.gather(*(sender(i) for i in range(len(load))))
    try:
        await kill_while_replying(admin, "/grant @alice 3", "grant")
        await kill_while_replying(alice, "/inmail @dave Role in Lyon | We are hiring", "inmail")
        await kill_while_replying(alice, "/invite @carol Met you in Lyon", "invite")
        invitation = await carol.wait_for_text("Invitation from", timeout=20)
        accept = next(b["callback_data"] for b in invitation.buttons() if "Accept" in b["text"])
        await kill_while_replying(carol, "", "accept", press=(invitation.message_id, accept))
        await kill_while_replying(bob, "/forward @erin", "forward", reply_to=relayed.message_id)
        await senders
        await server.wait_until_confirmed(timeout=30)
        await _until(
            lambda: _drained(database),
            "the outbox never drained",
            timeout=30,
        )
        counts = {effect: await _count(database, sql) for effect, sql in EFFECTS.items()}
        credits = await _count(database, "SELECT credits FROM members WHERE handle = 'alice'")
        delivered = [
            m.content
            for _, receiver in load
            for m in receiver.chat
            if m.from_bot and TOKEN_RE.search(m.content)
        ]
    finally:
        await _stop(bot, server)
    assert counts == dict.fromkeys(EFFECTS, 1), (counts, log.read_text()[-3000:])
    assert credits == 2  # 3 granted once, 1 spent once
    assert len([t for t in dave.texts() if "Role in Lyon" in t]) == 1
    assert len([t for t in carol.texts() if "Invitation from" in t]) == 1
    assert len([t for t in alice.texts() if "accepted your invitation" in t]) == 1
    assert len([t for t in erin.texts() if "please forward me" in t]) == 1
    found = [(int(a), int(b)) for text in delivered for a, b in TOKEN_RE.findall(text)]
    assert {(i, n) for i in range(len(load)) for n in range(15)} <= set(found)
    assert len(found) - len(set(found)) <= len(EFFECTS)  # a kill may repeat a send once
    assert server.rejected == []

"""Schema upgrades (bridge/storage/migrations/): a database at every earlier version, with
rows in its tables, upgrades to the latest schema with every row intact and the new
constraints in force; each migration is applied whole, with its version row, or not at all;
migrations are run by SQLite's own script execution, triggers and literals included."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiosqlite
import pytest

from bridge.core.app import Core
from bridge.core.models import AttachmentKind, InvitationStatus, NewMember, StarPayment
from bridge.storage.migrations import Migration, load_migrations
from bridge.storage.port import ConstraintViolation, UnitOfWork
from bridge.storage.sqlite import SqliteStore

NOW = datetime(2026, 5, 1, tzinfo=UTC)
T = NOW.isoformat(timespec="microseconds")
LATEST = load_migrations()[-1].version

# Representative rows, each written at the first version whose schema holds them (later
# columns of earlier tables are filled in by UPDATEs). Members 1 Ann, 2 Bob, 3 Cléo, 4 Dan.
# conversation_states as migrations 1-12 made it (0013 adds a column with a default).
STATES = (
    "INSERT INTO conversation_states (conversation_id, member_id, unread_count,"
    " last_read_message_id, archived, deleted, cleared_through, spam, inmail,"
    " last_activity_at) VALUES"
)
ROWS: dict[int, list[str]] = {
    1: [
        *(
            f"INSERT INTO members (id, telegram_id, handle, first_name, headline, search_text,"
            f" credits, plan_started_at, created_at) VALUES ({i}, {100 + i}, '{handle}', '{first}',"
            f" '{headline}', '{search}', {credits}, '{T}', '{T}')"
            for i, handle, first, headline, search, credits in [
                (1, "ann", "Ann", "Ingénieure", "ann ann ingénieure", 3),
                (2, "bob", "Bob", "Recruiter", "bob bob recruiter", 0),
                (3, "cleo", "Cléo", "Designer", "cléo cleo designer", 0),
                (4, "dan", "Dan", "", "dan dan", 0),
            ]
        ),
        f"INSERT INTO blocks VALUES (3, 4, '{T}')",
        f"INSERT INTO connections VALUES (1, 2, '{T}')",
        f"INSERT INTO conversations VALUES (1, 1, 2, '{T}', 2, '{T}', 1, NULL)",
        f"INSERT INTO conversations VALUES (2, 1, 3, '{T}', 3, '{T}', 2, 1)",
        f"INSERT INTO conversations VALUES (3, 1, 4, '{T}', NULL, '{T}', 3, NULL)",
        f"{STATES} (1, 1, 1, 1, 0, 0, 0, 0, 0, '{T}')",
        f"{STATES} (1, 2, 0, 2, 1, 0, 0, 0, 0, '{T}')",
        f"{STATES} (2, 1, 0, 3, 0, 0, 0, 0, 0, '{T}')",
        f"{STATES} (2, 3, 1, 0, 0, 0, 0, 0, 1, '{T}')",
        f"{STATES} (3, 1, 0, 0, 0, 0, 0, 1, 0, '{T}')",
        f"{STATES} (3, 4, 0, 0, 0, 0, 0, 0, 0, '{T}')",
        f"INSERT INTO invitations VALUES (1, 1, 2, 'Hi Bob', 'accepted', '{T}', '{T}', 1)",
        f"INSERT INTO invitations VALUES (2, 3, 1, NULL, 'pending', '{T}', NULL, 2)",
        f"INSERT INTO invitations VALUES (3, 4, 1, NULL, 'declined', '{T}', '{T}', 3)",
        "INSERT INTO messages (id, conversation_id, sender_id, text, created_at)"
        f" VALUES (1, 1, 1, 'Hello Bob; how are you?', '{T}')",
        "INSERT INTO messages (id, conversation_id, sender_id, text, att_kind, att_file_id,"
        " att_file_unique_id, att_width, att_height, reply_to_id, created_at)"
        f" VALUES (2, 1, 2, 'A photo', 'photo', 'F1', 'U1', 640, 480, 1, '{T}')",
        "INSERT INTO messages (id, conversation_id, sender_id, kind, text, subject, created_at)"
        f" VALUES (3, 2, 1, 'inmail', 'Interested?', 'Role', '{T}')",
        f"INSERT INTO message_edits (message_id, old_text, edited_at) VALUES (1, 'Helo', '{T}')",
        f"INSERT INTO reactions VALUES (1, 2, '👍', '{T}')",
        "INSERT INTO inmails (id, sender_id, recipient_id, conversation_id, message_id, subject,"
        f" sent_at, refund_deadline) VALUES (1, 1, 3, 2, 3, 'Role', '{T}', '{T}')",
        "INSERT INTO credit_ledger (member_id, kind, delta, balance_after, reason, created_at)"
        f" VALUES (1, 'purchase', 5, 5, 'test', '{T}')",
        "INSERT INTO credit_ledger (member_id, kind, delta, balance_after, reason, inmail_id,"
        f" created_at) VALUES (1, 'spend', -2, 3, 'inmail', 1, '{T}')",
        "INSERT INTO spam_reports (reporter_id, reported_id, conversation_id, created_at)"
        f" VALUES (1, 4, 3, '{T}')",
    ],
    2: [
        "INSERT INTO chat_copies VALUES (2, 1, 101, 50, 0)",
        "UPDATE members SET current_peer_id = 2 WHERE id = 1",
    ],
    3: [
        "INSERT INTO outbox (member_id, kind, ref_id, payload, created_at, due_at)"
        f" VALUES (2, 'message', 1, '{{\"n\": 1}}', '{T}', '{T}')",
    ],
    4: [
        "UPDATE members SET notify_mode = 'digest', timezone = 'Europe/Paris',"
        " digest_at = '08:00' WHERE id = 2",
        "UPDATE outbox SET sender_id = 1",
        f"INSERT INTO processed_updates VALUES (77, '{T}')",
    ],
    6: [
        f"INSERT INTO searches (member_id, query, created_at) VALUES (1, 'ingé', '{T}')",
        f"INSERT INTO recent_peers VALUES (1, 2, '{T}')",
        "INSERT INTO held_messages (member_id, peer_id, text, chat_id, telegram_message_id,"
        f" created_at) VALUES (1, 2, 'later; maybe', 101, 52, '{T}')",
    ],
    7: [
        "UPDATE members SET awaiting = 'note:2' WHERE id = 1",
        "INSERT INTO invitation_copies VALUES (2, 1, 101, 51)",
    ],
    8: [
        f"INSERT INTO processed_updates VALUES ('bot:78:abc', 78, '{T}')",
        f"INSERT INTO unreadable_updates VALUES ('bot:79:def', 79, '{{}}', 'bad', '{T}')",
    ],
    9: [  # the connections' change log (its triggers log the connections written above)
        "INSERT INTO connection_changes (member_a, member_b, added) VALUES (1, 2, 1)",
        "INSERT INTO graph_snapshot VALUES (1, 'csr-v1', 1, 4, 1, 1, x'00', 0, '" + T + "')",
        "INSERT INTO graph_snapshot_parts VALUES (0, x'00', 0)",
    ],
    10: [  # a claimed outbox row, a worker's heartbeat
        f"UPDATE outbox SET claimed_by = 'host:8001', lease_until = '{T}'",
        f"INSERT INTO workers VALUES ('host:8001', '{T}', '{T}')",
    ],
    11: [
        "INSERT INTO star_payments (charge_id, member_id, offer_id, stars, credits, paid_at)"
        f" VALUES ('stx1', 1, 'c10', 50, 10, '{T}')",
        f"INSERT INTO message_templates VALUES (1, 'intro', 'Hi {{{{ first_name }}}}', '{T}')",
    ],
    12: [  # a message held in an undo window; the members' new columns
        "INSERT INTO outgoing (sender_id, target_id, text, due_at, created_at)"
        f" VALUES (1, 2, 'held', '{T}', '{T}')",
        "UPDATE members SET undo_seconds = 10 WHERE id = 1",
    ],
    13: [  # tags and notes on contacts, reminders, leads
        f"INSERT INTO tags VALUES (1, 1, 'candidate', '🟢', '{T}')",
        f"INSERT INTO contact_tags VALUES (1, 2, '{T}')",
        f"INSERT INTO contact_notes VALUES (1, 2, 'Met at VivaTech; call back', '{T}')",
        "INSERT INTO reminders (member_id, conversation_id, text, due_at, created_at)"
        f" VALUES (1, 1, 'Ask about Lyon', '{T}', '{T}')",
        f"INSERT INTO leads VALUES (1, 3, 'q1-designers', '{T}')",
    ],
    14: [
        "UPDATE members SET private_browsing = 1 WHERE id = 3",
        f"INSERT INTO profile_views VALUES (1, 2, '2026-05-01', '{T}')",
    ],
}

# Rows a later migration drops on purpose: 0008 re-keys update records by id *and* content,
# and an id alone cannot be re-keyed (they only matter for two days anyway).
DROPPED = {"processed_updates": 8}


async def at_version(path: Path, version: int) -> None:
    """A database file built by applying migrations 1..version, with representative rows."""
    conn = await aiosqlite.connect(path, isolation_level=None)
    try:
        await SqliteStore(conn).migrate(load_migrations()[:version])
        await conn.execute("PRAGMA foreign_keys = ON")
        await conn.execute("BEGIN")
        for step in range(1, version + 1):
            for statement in ROWS.get(step, []):
                table = statement.split()[2] if statement.startswith("INSERT INTO") else ""
                if step < DROPPED.get(table, 0) <= version:
                    continue  # its old shape is gone at this version (re-keyed on purpose)
                await conn.execute(statement)
        await conn.execute("COMMIT")
    finally:
        await conn.close()


@asynccontextmanager
async def opened(path: Path) -> AsyncIterator[SqliteStore]:
    """The store, closed even when a test fails (an open connection's thread would keep
    pytest from exiting)."""
    store = await SqliteStore.open(str(path))
    try:
        yield store
    finally:
        await store.close()


def tables(path: Path) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table (FTS's own tables and the version table aside)."""
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    names = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND name NOT LIKE 'members_search%' AND name NOT LIKE 'messages_search%'"
            " AND name <> 'schema_version'"
        )
    ]
    found = {
        name: [dict(row) for row in conn.execute(f"SELECT * FROM {name} ORDER BY 1, 2")]
        for name in names
    }
    conn.close()
    return found


def schema(path: Path) -> list[tuple[str, str, str | None]]:
    conn = sqlite3.connect(path)
    rows = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name"
    ).fetchall()
    conn.close()
    return rows


async def rows_read_back(tx: UnitOfWork) -> None:
    """`ROWS`, upgraded, as the port reads them (on every backend)."""
    ann = await tx.members.by_handle("ann")
    assert ann is not None and (ann.credits, ann.headline) == (3, "Ingénieure")
    assert await tx.connections.exists(2, 1) and await tx.blocks.exists(3, 4)
    pending = await tx.invitations.pending(3, 1)
    assert pending is not None and pending.id == 2
    assert (await tx.conversations.state(1, 1)).unread_count == 1
    assert (await tx.conversations.unread_summary(3)).messages == 1
    history = await tx.messages.history(1, 0, None, 10)
    assert [m.text for m in history] == ["Hello Bob; how are you?", "A photo"]
    assert history[1].attachment is not None
    assert history[1].attachment.kind == AttachmentKind.PHOTO
    # 0012: messages written before it are in the /search index
    assert [m.id for m in await tx.messages.search(1, ["hello", "ho"], None, 10)] == [1]
    assert [m.id for m in await tx.messages.search(2, ["photo"], None, 10)] == [2]
    assert [m.id for m in await tx.messages.search(3, ["role"], None, 10)] == [3]
    assert await tx.messages.search(4, ["role"], None, 10) == []  # not Dan's


def test_every_earlier_version_is_tested_with_rows() -> None:
    assert set(ROWS) <= set(range(1, LATEST + 1))
    assert LATEST == 14, "a new migration: add its rows to ROWS (and its checks below)"


@pytest.mark.parametrize("version", range(1, LATEST))
async def test_a_database_with_rows_upgrades_to_the_latest_intact(
    tmp_path: Path, version: int
) -> None:
    old = tmp_path / "old.db"
    await at_version(old, version)
    before = tables(old)
    assert sum(map(len, before.values())) >= 20

    async with opened(old):
        pass
    fresh = tmp_path / "fresh.db"
    async with opened(fresh):
        pass
    assert schema(old) == schema(fresh)  # the same tables, indexes and triggers

    after = tables(old)
    for table, rows in before.items():
        assert rows, f"{table}: give it a representative row in ROWS"
        if DROPPED.get(table, 0) > version:
            assert after[table] == [], table
            continue
        # Every row and every value it had; new columns take their defaults.
        assert [{c: row[c] for c in rows[0]} for row in after[table]] == rows, table
    conn = sqlite3.connect(old)
    assert [v for (v,) in conn.execute("SELECT version FROM schema_version ORDER BY 1")] == list(
        range(1, LATEST + 1)
    )
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()

    async with opened(old) as store, store.read() as tx:  # the data reads back via the port
        await rows_read_back(tx)
        assert [m.handle for m in await tx.members.search(["ingenieur"], 10)] == ["ann"]
        inmail = await tx.inmails.get(1)
        assert inmail is not None and not inmail.sponsored
        assert await tx.ledger.balance_sum(1) == 3
        if version >= 2:
            assert await tx.copies.by_telegram(101, 50) is not None
        if version >= 3:
            notification = await tx.outbox.get(1)
            assert notification is not None and notification.payload == {"n": 1}
        if version >= 6:
            assert await tx.conversations.recent_peer(1) == 2
        if version >= 11:
            payment = await tx.payments.get("stx1")
            assert payment is not None and (payment.member_id, payment.credits) == (1, 10)

    async with opened(old) as store:  # and the latest schema's rules hold for it
        await latest_rules_hold(store)


async def latest_rules_hold(store: SqliteStore) -> None:
    async with store.transaction() as tx:
        paid = StarPayment(charge_id="stx9", member_id=1, offer_id="c10", stars=50, paid_at=NOW)
        assert await tx.payments.add(paid) is True
        assert await tx.payments.add(paid) is False  # one row per Telegram charge
        assert await tx.updates.mark("bot:1:x", 1, NOW) is True
        assert await tx.updates.mark("bot:1:x", 1, NOW) is False
        dora = await tx.members.add(NewMember(telegram_id=999, first_name="Dora"), "dora", NOW)
        assert [m.id for m in await tx.members.search(["dora"], 10)] == [dora.id]
        assert dora.private_browsing is False
        assert await tx.profile_views.record(dora.id, 1, "2026-05-01", NOW) is True
        assert await tx.profile_views.record(dora.id, 1, "2026-05-01", NOW) is False  # once a day
    for broken in (
        lambda tx: tx.members.add(NewMember(telegram_id=998, first_name="A"), "ann", NOW),
        lambda tx: tx.invitations.add(3, 1, None, 2, NOW),  # a second pending, same pair
        lambda tx: tx.connections.add(1, 99, NOW),  # no such member
    ):
        with pytest.raises(ConstraintViolation):
            async with store.transaction() as tx:
                await broken(tx)
    async with store.read() as tx:
        assert [i.id for i in await tx.invitations.received(1, InvitationStatus.PENDING)] == [2]


async def test_handles_made_from_telegram_usernames_become_name_handles(tmp_path: Path) -> None:
    """0012: a handle that is (or starts with) the member's Telegram username is replaced
    by a placeholder, which the next start turns into a handle made from the name; the
    search text no longer finds them by the username."""
    old = tmp_path / "old.db"
    await at_version(old, 9)
    conn = sqlite3.connect(old)
    conn.executescript(
        "UPDATE members SET username = 'Bob' WHERE id = 2;"  # handle 'bob' = its username
        "UPDATE members SET username = 'ann_paris' WHERE id = 1;"  # 'ann': not from it
        f"INSERT INTO members (id, telegram_id, handle, first_name, last_name, username,"
        f" search_text, plan_started_at, created_at) VALUES (5, 105, 'bob_2', 'Robert', 'Roy',"
        f" 'bob', 'robert roy bob_2', '{T}', '{T}');"
    )
    conn.close()
    async with opened(old) as store:
        async with store.read() as tx:
            assert (await tx.members.get(2)).handle == "member__2"  # type: ignore[union-attr]
            assert (await tx.members.get(5)).handle == "member__5"  # type: ignore[union-attr]
            assert (await tx.members.get(1)).handle == "ann"  # type: ignore[union-attr]
        core = await Core.open(store)
        assert await core.members.settle_placeholder_handles() == 2
        async with store.read() as tx:
            handles = {m.id: m.handle for m in (await tx.members.get_many([1, 2, 5])).values()}
            # Bob's name spells his username: not "bob" then, nor "bob_2"
            assert handles == {1: "ann", 2: "member", 5: "robert"}
            assert await tx.members.search(["bob", "2"], 10) == []


TRICKY = Migration(
    LATEST + 1,
    "a trigger and a literal a statement splitter would cut apart",
    """\
-- a trigger and a literal a statement splitter would cut apart
CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL, edits INTEGER DEFAULT 0);
CREATE TRIGGER notes_edited AFTER UPDATE OF body ON notes BEGIN
    UPDATE notes SET edits = edits + 1 WHERE id = new.id;
END;
INSERT INTO notes (body) VALUES ('one;
two');
""",
)


async def test_migrations_run_as_scripts_triggers_and_literals_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "bridge.storage.sqlite.store.load_migrations", lambda: [*load_migrations(), TRICKY]
    )
    path = tmp_path / "bridge.db"
    async with opened(path):
        pass
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT body FROM notes").fetchall() == [("one;\ntwo",)]
    conn.execute("UPDATE notes SET body = 'three'")
    assert conn.execute("SELECT edits FROM notes").fetchall() == [(1,)]
    assert conn.execute("SELECT MAX(version) FROM schema_version").fetchone() == (LATEST + 1,)
    conn.close()


BROKEN = Migration(
    LATEST + 1,
    "fails half way",
    """\
-- fails half way
CREATE TABLE half (id INTEGER PRIMARY KEY);
INSERT INTO half VALUES (1);
UPDATE members SET first_name = 'changed';
INSERT INTO no_such_table VALUES (1);
""",
)


async def test_a_failing_migration_leaves_nothing_behind_and_no_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "bridge.db"
    async with opened(path) as store, store.transaction() as tx:
        await tx.members.add(NewMember(telegram_id=1, first_name="Ann"), "ann", NOW)
    monkeypatch.setattr(
        "bridge.storage.sqlite.store.load_migrations", lambda: [*load_migrations(), BROKEN]
    )
    with pytest.raises(sqlite3.OperationalError, match="no_such_table"):
        await SqliteStore.open(str(path))
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT MAX(version) FROM schema_version").fetchone() == (LATEST,)
    assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'half'").fetchall() == []
    assert conn.execute("SELECT first_name FROM members").fetchall() == [("Ann",)]
    conn.close()
    monkeypatch.undo()
    async with opened(path) as store, store.read() as tx:  # its own code still opens it
        assert await tx.members.count() == 1

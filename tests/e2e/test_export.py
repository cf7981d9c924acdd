"""/export through the local Bot API server: a zip (sendDocument, accepted by the server's
contract) with the member's profile, connections, messages and ledger; also from /settings."""

from __future__ import annotations

import csv
import io
import json
import zipfile

from tests.e2e.conftest import World, connect, start_all


def _unzip(world: World, file_id: str | None) -> dict[str, str]:
    assert file_id is not None
    stored = world.server.files[file_id]
    with zipfile.ZipFile(io.BytesIO(stored.data)) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


async def test_export_sends_a_zip_of_the_members_data(world: World) -> None:
    alice, bob, carol = world.alice, world.bob, world.carol
    await start_all(alice, bob, carol)
    await connect(alice, bob, "bob")
    await alice.send_text("/edit headline Head of Talent")
    await alice.wait_for_text("saved")
    await alice.send_text("/msg @bob Are you hiring in Lyon?")
    await bob.wait_for_text("hiring in Lyon")
    await bob.send_text("/msg @alice Yes, two roles")
    await alice.wait_for_text("two roles")
    await bob.send_text("/msg @carol Not for Alice")  # not connected: refused, not Alice's
    await bob.wait_for_text("1st-degree connections")

    await alice.send_text("/tag @bob candidate")
    await alice.wait_for_text("🏷")
    await alice.send_text("/note @bob Met at VivaTech")
    await alice.wait_for_text("saved (only you see it)")

    await alice.send_text("/export")
    sent = await alice.wait_for_kind("document")
    assert sent.file_name is not None and sent.file_name.endswith(".zip")
    assert "1 connection, 1 conversation" in sent.content
    files = _unzip(world, sent.file_id)
    assert set(files) == {
        "export.json",
        "profile.json",
        "connections.csv",
        "messages.csv",
        "ledger.csv",
        "tags.csv",
        "notes.csv",
    }
    profile = json.loads(files["profile.json"])
    assert (profile["handle"], profile["headline"]) == ("alice", "Head of Talent")
    assert "telegram_id" not in profile and "username" not in profile
    rows = list(csv.DictReader(io.StringIO(files["messages.csv"])))
    assert [(r["with"], r["from"], r["text"]) for r in rows] == [
        ("Bob Durand", "me", "Are you hiring in Lyon?"),
        ("Bob Durand", "Bob Durand", "Yes, two roles"),
    ]
    assert "Bob Durand" in files["connections.csv"]
    tags = list(csv.DictReader(io.StringIO(files["tags.csv"])))
    assert [(r["contact"], r["tag"]) for r in tags] == [("Bob Durand", "candidate")]
    notes = list(csv.DictReader(io.StringIO(files["notes.csv"])))
    assert [(r["contact"], r["note"]) for r in notes] == [("Bob Durand", "Met at VivaTech")]
    everything = json.loads(files["export.json"])
    assert everything["conversations"][0]["with"]["name"] == "Bob Durand"
    for text in files.values():
        assert "alice_tg" not in text and "bob_tg" not in text  # no Telegram username

    await alice.send_text("/settings")
    card = await alice.wait_for_text("Settings")
    await alice.press_button(card, "Export my data")
    await alice.wait_for(
        lambda chat: len([m for m in chat if m.from_bot and m.kind == "document"]) == 2
    )
    assert world.server.rejected == []


async def test_delete_account_asks_then_erases_and_nothing_reaches_them(world: World) -> None:
    alice, bob = world.alice, world.bob
    await start_all(alice, bob)
    await connect(alice, bob, "bob")
    await alice.send_text("/msg @bob See you Monday")
    await bob.wait_for_text("See you Monday")

    await alice.send_text("/delete_account")
    ask = await alice.wait_for_text("Delete your Bridge account?")
    await alice.press_button(ask, "Keep it")
    await alice.wait_for(lambda _: "Your account stays as it is." in ask.content)
    await alice.send_text("/delete_account")
    ask = await alice.wait_for_text("Delete your Bridge account?")
    await alice.press_button(ask, "Delete my account")
    await alice.wait_for(lambda _: "Your account is deleted. 1 connection ended." in ask.content)

    await bob.send_text("/inbox")
    inbox = await bob.wait_for_text("Inbox")
    assert "Former member" in inbox.content and "Alice" not in inbox.content
    await bob.send_text("/msg @alice Still there?")
    await bob.wait_for_text("No member @alice")
    await bob.send_text("/connections")
    await bob.wait_for_text("no connections yet")
    before = len(alice.bot_messages(since_mark=False))
    # Alice's Telegram account starts over as a new member
    await alice.send_text("/start")
    await alice.wait_for_text("Welcome to Bridge, Alice!")
    assert len(alice.bot_messages(since_mark=False)) == before + 1
    assert world.server.rejected == []


async def test_your_data_and_the_undo_window_in_french(world: World) -> None:
    chloe = world.server.add_user("Chloé", "Dubois", username="chloe_tg", language_code="fr")
    await chloe.send_text("/start")
    await chloe.wait_for_text("Bienvenue")
    await chloe.send_text("/undo_window 10")
    await chloe.wait_for_text("Délai d'annulation : 10 s.")
    await chloe.send_text("/undo_window 45")
    await chloe.wait_for_text("« 45 » n'est pas un choix valide")
    await chloe.send_text("/export")
    sent = await chloe.wait_for_kind("document")
    assert "Vos données sur Bridge" in sent.content
    await chloe.send_text("/delete_account")
    ask = await chloe.wait_for_text("Supprimer votre compte Bridge ?")
    await chloe.press_button(ask, "Le garder")
    await chloe.wait_for(lambda _: "Votre compte reste tel quel." in ask.content)
    assert world.server.rejected == []

"""Edits of relayed messages: whatever was relayed (plain, reply, /msg), the other side ends
up showing exactly the edited message, whatever its length — across Telegram's 4,096
(text) and 1,024 (caption) limits, and when the same text is sent twice."""

from __future__ import annotations

import re

from botapi_sandbox.users import SimUser
from bridge.core.models import NotificationStatus
from tests.e2e.conftest import World, connect, start_all
from tests.e2e.worlds import outbox_settled

WORD = re.compile(r"\bw\d+\b")


def shown(user: SimUser, needle: str) -> list[str]:
    """What the user's chat shows now (deleted messages gone) containing `needle`."""
    return [m.content for m in user.chat if m.from_bot and not m.deleted and needle in m.content]


def parts(user: SimUser) -> list[str]:
    """The messages the user's chat shows now of the relayed message (words w0, w1, ...)."""
    return [m.content for m in user.chat if m.from_bot and not m.deleted and WORD.search(m.content)]


def body_of(shown_parts: list[str]) -> list[str]:
    return WORD.findall(" ".join(shown_parts))


async def no_failures(world: World) -> None:
    """Every edit was applied: none is kept as a failure for the admins."""
    await outbox_settled(world)
    counts = await world.bot.core.outbox.counts()
    assert counts.get(NotificationStatus.FAILED.value, 0) == 0


async def test_an_edit_of_a_msg_command_is_mirrored(world: World) -> None:
    alice, bob = world.alice, world.bob
    await start_all(alice, bob)
    await connect(alice, bob, "bob")
    sent = await alice.send_text("/msg @bob Meet at 10 in Lyon")
    relayed = await bob.wait_for_text("Meet at 10 in Lyon")
    await alice.wait_for_reaction(sent, "👌")
    await alice.edit_text(sent.message_id, "/msg @bob Meet at 11 in Lyon")
    await bob.wait_for(lambda chat: "Meet at 11 in Lyon" in relayed.content)
    assert "edited" in relayed.content and "/msg" not in relayed.content
    assert not shown(alice, "commands can't be edited")
    assert len(shown(bob, "Meet at")) == 1
    await no_failures(world)


async def test_edits_that_grow_and_shrink_across_the_text_limit(world: World) -> None:
    alice, bob = world.alice, world.bob
    await start_all(alice, bob)
    await connect(alice, bob, "bob")
    await alice.send_text("/open @bob")
    await alice.wait_for_text("Everything you send now goes to")
    sent = await alice.send_text("w0 short")
    await bob.wait_for_text("w0 short")
    long = " ".join(f"w{i}" for i in range(1200))  # ~7,000 characters: two parts
    await alice.edit_text(sent.message_id, long)
    await bob.wait_for(lambda chat: body_of(parts(bob)) == long.split())
    assert len(parts(bob)) == 2 and all(len(p) <= 4096 for p in parts(bob))
    await alice.edit_text(sent.message_id, "w0 w1 short again")
    await bob.wait_for(lambda chat: body_of(parts(bob)) == ["w0", "w1"])
    assert len(parts(bob)) == 1 and "short again" in parts(bob)[0]
    # The same text twice: Telegram says "message is not modified"; the copy is right.
    await alice.edit_text(sent.message_id, "w0 w1 short again")
    await alice.edit_text(sent.message_id, "w0 w1 w2 final")
    await bob.wait_for(lambda chat: body_of(parts(bob)) == ["w0", "w1", "w2"])
    # Replies to the edited message still find it on both sides.
    copy = next(m for m in bob.chat if m.from_bot and not m.deleted and "w2 final" in m.content)
    await bob.send_text("noted", reply_to=copy.message_id)
    await alice.wait_for_text("noted")
    await no_failures(world)
    assert [r for r in world.server.rejected if "not modified" not in r[1]] == []


async def test_a_caption_edit_past_the_caption_limit_shows_in_full(world: World) -> None:
    alice, bob = world.alice, world.bob
    await start_all(alice, bob)
    await connect(alice, bob, "bob")
    await alice.send_text("/open @bob")
    await alice.wait_for_text("Everything you send now goes to")
    photo = await alice.send_photo(caption="w0 our booth")
    copy = await bob.wait_for_kind("photo")
    assert "w0 our booth" in (copy.caption or "")
    long = " ".join(f"w{i}" for i in range(250))  # ~1,150 characters: past the caption limit
    await alice.edit_text(photo.message_id, long)
    await bob.wait_for(lambda chat: body_of(parts(bob)) == long.split())
    photos = [m for m in bob.chat if m.kind == "photo" and not m.deleted]
    assert len(photos) == 1 and "Alice Martin" in " ".join(shown(bob, "Alice Martin"))
    await alice.edit_text(photo.message_id, "w0 w1 back to short")
    await bob.wait_for(lambda chat: body_of(parts(bob)) == ["w0", "w1"])
    photos = [m for m in bob.chat if m.kind == "photo" and not m.deleted]
    assert len(photos) == 1 and "back to short" in (photos[0].caption or "")
    await no_failures(world)

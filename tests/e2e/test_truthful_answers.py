"""The bot tells the truth about what happened, once: a notification no longer true when it
would be delivered is not sent; an action that committed is never reported as failed when
only its confirmation hit a Telegram error; a button is answered exactly once, even when
tapped twice."""

from __future__ import annotations

import asyncio

from botapi_sandbox.users import SimUser
from bridge.core.models import NewMember
from tests.e2e.conftest import World, connect, start_all

UNEXPECTED = "Something went wrong"


def bot_texts(user: SimUser, needle: str) -> list[str]:
    return [m.content for m in user.chat if m.from_bot and not m.deleted and needle in m.content]


async def test_crossing_invitations_never_show_a_stale_invitation(world: World) -> None:
    alice, bob = world.alice, world.bob
    await start_all(alice, bob)
    await asyncio.gather(alice.send_text("/invite @bob"), bob.send_text("/invite @alice"))
    # Two members' updates run concurrently (in order per member only, and on several
    # workers): either /invite may be the one that finds the other's and accepts it.
    first, second = await asyncio.wait_for(_crossed(alice, bob), timeout=10)
    await first.wait_for_text("accepted your invitation")
    await second.wait_idle(0.5)
    # The second's own /invite accepted the first's invitation: it must not come afterwards.
    connected = next(i for i, m in enumerate(second.chat) if "now connected" in m.content)
    assert not [m.content for m in second.chat[connected:] if "Invitation from" in m.content]


async def _crossed(alice: SimUser, bob: SimUser) -> tuple[SimUser, SimUser]:
    """(whose invitation was accepted, whose /invite accepted it)."""
    while True:
        for first, second in ((alice, bob), (bob, alice)):
            if bot_texts(second, "already invited you"):
                return first, second
        await asyncio.sleep(0.02)


async def test_a_committed_action_is_never_reported_as_failed(world: World) -> None:
    alice, bob, carol, dave, admin = world.alice, world.bob, world.carol, world.dave, world.admin
    faults = world.server.faults
    await start_all(alice, bob, carol, dave, admin)
    await connect(alice, bob, "bob")
    await admin.send_text("/grant @alice 2")
    await admin.wait_for_text("+2 InMail credits")
    # The confirmation into Alice's own chat hits a 429, then a 502: the action committed.
    faults.add("sendMessage", "429", count=1, retry_after=1, chat_id=alice.id)
    await alice.send_text("/msg @bob Lunch on Friday?")
    await bob.wait_for_text("Lunch on Friday?")
    await alice.wait_for_text("Sent to Bob Durand")
    faults.add("sendMessage", "502", count=1, chat_id=alice.id)
    await alice.send_text("/invite @carol")
    await carol.wait_for_text("Invitation from Alice")
    await alice.wait_for_text("Invitation sent")
    faults.add("sendMessage", "502", count=1, chat_id=alice.id)
    await alice.send_text("/inmail @dave Role in Lyon | We are hiring")
    await dave.wait_for_text("Role in Lyon")
    await alice.wait_for_text("InMail sent")
    await alice.wait_idle(0.5)
    assert not bot_texts(alice, UNEXPECTED)
    assert len(bot_texts(bob, "Lunch on Friday?")) == 1
    assert len(bot_texts(dave, "Role in Lyon")) == 1
    assert not bot_texts(admin, "⚠️")
    assert faults.injected == {"429": 1, "502": 2}


async def test_a_double_tap_on_a_paging_button_is_harmless_and_silent(world: World) -> None:
    alice, admin = world.alice, world.admin
    await start_all(alice, admin)
    core = world.bot.core
    me = await core.members.by_telegram_id(alice.id)
    for i in range(12):  # twelve connections: two pages
        other, _ = await core.members.register(
            NewMember(telegram_id=5_000 + i, first_name=f"Member{i}", username=f"member{i}")
        )
        outcome = await core.invitations.invite(other.id, me.id, None)
        await core.invitations.accept(me.id, outcome.invitation.id)
    await alice.send_text("/connections")
    page = await alice.wait_for_text("Your connections (1–10 of 12)")
    forward = next(b["callback_data"] for b in page.buttons() if b["text"] == "▶️")
    # Two taps before the first answer: the second shows the page already shown.
    first = await alice.press_nowait(page.message_id, forward)
    second = await alice.press_nowait(page.message_id, forward, force=True)
    for query in (first, second):
        answer = await alice.wait_answer(query, timeout=10)
        assert answer is not None and not answer.get("show_alert"), answer
    await alice.wait_for(lambda chat: "11–12 of 12" in page.content)
    await alice.wait_idle(0.5)
    answers = [a["callback_query_id"] for a in alice.callback_answers]
    assert sorted(answers) == sorted([first, second])  # each answered exactly once
    assert not bot_texts(alice, UNEXPECTED) and not bot_texts(admin, "⚠️")
    assert not [r for r in world.server.rejected if "query is too old" in r[1]]

"""Every button press is answered exactly once, whatever the press meets: a toast when it
worked, an alert when the core refused it or the data is no longer valid, and a double tap
on a button that edits its message in place is as quiet as a single one."""

from __future__ import annotations

from botapi_sandbox.users import SimUser
from tests.e2e.conftest import World, start_all


def _answers(user: SimUser, query: str) -> list[dict]:
    return [a for a in user.callback_answers if a["callback_query_id"] == query]


async def test_every_press_is_answered_exactly_once(world: World) -> None:
    alice, bob, admin = world.alice, world.bob, world.admin
    await start_all(alice, bob, admin)
    await alice.send_text("/settings")
    card = await alice.wait_for_text("Settings")
    english = next(b["callback_data"] for b in card.buttons() if "English" in b["text"])
    # Alice speaks English already, and taps it twice: the card already shows each choice.
    first = await alice.press_nowait(card.message_id, english)
    second = await alice.press_nowait(card.message_id, english, force=True)
    for query in (first, second):
        answer = await alice.wait_answer(query, timeout=10)
        assert answer is not None and answer.get("text") == "Saved", answer
        assert not answer.get("show_alert")

    # Refused by the core (Bob's invitation is not Alice's to answer): one alert.
    await bob.send_text("/invite @alice")
    invitation = await alice.wait_for_text("Invitation from")
    accept = next(b["callback_data"] for b in invitation.buttons() if "Accept" in b["text"])
    await alice.press_button(invitation, "Decline")
    await alice.wait_for_text("declined")
    refused = await alice.press_nowait(invitation.message_id, accept, force=True)
    # Data no kind of button parses (forged, or packed by an older version): one alert.
    forged = await alice.press_nowait(card.message_id, "ia:0x1", force=True)
    old = await alice.press_nowait(card.message_id, "ip:0:all", force=True)
    for query, says in (
        (refused, "already answered"),
        (forged, "no longer valid"),
        (old, "no longer valid"),
    ):
        answer = await alice.wait_answer(query, timeout=10)
        assert answer is not None and answer.get("show_alert") and says in answer["text"]
    await alice.wait_idle(0.5)
    for query in (first, second, refused, forged, old):
        assert len(_answers(alice, query)) == 1, query
    assert not [m for m in alice.chat if m.from_bot and "Something went wrong" in m.content]
    assert not [m for m in admin.chat if m.from_bot and "⚠️" in m.content]
    assert not [r for r in world.server.rejected if "query" in r[1]]

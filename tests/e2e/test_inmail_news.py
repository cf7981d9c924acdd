"""An InMail's sender hears what became of it — Interested, Not interested, the credit
coming back — in their language, with a button to the conversation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bridge.core.clock import FakeClock
from tests.e2e.conftest import start_all
from tests.e2e.worlds import clocked_world


async def test_the_sender_is_told_of_answers_and_refunds(database_url: str) -> None:
    clock = FakeClock(datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    async with clocked_world(database_url, clock) as world:
        alice, bob, carol, dave, admin = (
            world.alice,
            world.bob,
            world.carol,
            world.dave,
            world.admin,
        )
        await start_all(alice, bob, carol, dave, admin)
        await admin.send_text("/grant @alice 3")
        await admin.wait_for_text("+3 InMail credits")

        await alice.send_text("/inmail @dave Role in Lyon | We are hiring a lead engineer")
        inmail = await dave.wait_for_text("Role in Lyon")
        await dave.press_button(inmail, "Interested")
        told = await alice.wait_for_text("is interested in your InMail")
        assert "Dave Smith" in told.content and "Role in Lyon" in told.content
        await alice.press_button(told, "Write to them")
        await alice.wait_for_text("Everything you send now goes to Dave Smith")

        await alice.send_text("/inmail @carol Data role | Would you consider a move?")
        inmail = await carol.wait_for_text("Data role")
        await carol.press_button(inmail, "Not interested")
        told = await alice.wait_for_text("is not interested in your InMail")
        assert "Data role" in told.content and told.buttons()
        assert "Carol" not in told.content  # not interested: still as her degree shows her

        await alice.send_text("/lang fr")
        await alice.wait_for_text("en français")
        await alice.send_text("/inmail @bob Poste à Paris | Un échange ?")
        await bob.wait_for_text("Poste à Paris")
        await alice.send_text("/credits")
        await alice.wait_for_text("Solde : 0")
        clock.advance(timedelta(days=8))  # no answer within the 7-day window
        await world.bot.core.credits.settle_expired()  # the scheduler's tick, now
        back = await alice.wait_for_text("vous est rendu")
        assert "Poste à Paris" in back.content and "Solde : 1 crédit" in back.content
        assert back.buttons()

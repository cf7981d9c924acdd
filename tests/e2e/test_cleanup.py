"""Bulk actions through the local Bot API server: /cleanup's buttons ask first (with the
count), then act on what is due; Cancel changes nothing; the same by command, in French too.

The core's clock is a `FakeClock` the test moves forward 40 days."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bridge.core.clock import FakeClock
from tests.e2e.conftest import connect, start_all
from tests.e2e.worlds import clocked_world

START = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


async def test_cleanup_asks_then_archives_withdraws_and_reads(database_url: str) -> None:
    clock = FakeClock(START)
    async with clocked_world(database_url, clock) as world:
        alice, bob, carol, dave = world.alice, world.bob, world.carol, world.dave
        await start_all(alice, bob, carol, dave)
        await connect(alice, bob, "bob")
        await connect(alice, carol, "carol")
        await bob.send_text("/msg @alice Old news")
        await alice.wait_for_text("Old news")
        await alice.send_text("/invite @dave")
        await alice.wait_for_text("Invitation sent")
        clock.advance(timedelta(days=40))
        await carol.send_text("/msg @alice Fresh news")
        await alice.wait_for_text("Fresh news")

        await alice.send_text("/cleanup")
        menu = await alice.wait_for_text("Clean up your inbox")
        await alice.press_button(menu, "Archive what was quiet for 30 days")
        await alice.wait_for(
            lambda _: "Archive 1 conversation with nothing new for 30 days?" in menu.content
        )
        await alice.press_button(menu, "Archive (1)")
        await alice.wait_for(lambda _: "1 conversation archived." in menu.content)
        await alice.send_text("/inbox archived")
        archived = await alice.wait_for_text("Inbox · Archived")
        assert "Bob Durand" in archived.content and "Carol" not in archived.content

        await alice.send_text("/withdraw_old")
        ask = await alice.wait_for_text("Withdraw 1 invitation pending for more than 30 days?")
        await alice.press_button(ask, "Cancel")
        await alice.wait_for(lambda _: "Cancelled: nothing changed." in ask.content)
        await alice.send_text("/withdraw_old 30")
        ask = await alice.wait_for_text("Withdraw 1 invitation")
        await alice.press_button(ask, "Withdraw (1)")
        await alice.wait_for(lambda _: "1 invitation withdrawn." in ask.content)
        await alice.send_text("/profile @dave")
        card = await alice.wait_for_text("Out of network")
        assert "Withdraw" not in [b["text"] for b in card.buttons()]

        await alice.send_text("/readall")
        ask = await alice.wait_for_text("Mark 2 unread messages read? (from 2 people)")
        await alice.press_button(ask, "Mark read (2)")
        await alice.wait_for(lambda _: "2 conversations marked read." in ask.content)
        await alice.send_text("/readall")
        await alice.wait_for_text("Nothing unread: all caught up.")
        assert world.server.rejected == []


async def test_cleanup_in_french(database_url: str) -> None:
    async with clocked_world(database_url, FakeClock(START)) as world:
        alice = world.alice
        alice.language_code = "fr"
        await alice.send_text("/start")
        await alice.wait_for_text("Bienvenue")
        await alice.send_text("/cleanup 0")
        await alice.wait_for_text("« 0 » n'est pas un nombre de jours")
        await alice.send_text("/archive_old 60j")
        await alice.wait_for_text("Aucune conversation n'est calme depuis 60 jours.")
        await alice.send_text("/cleanup")
        menu = await alice.wait_for_text("Faire le ménage")
        assert "↩️ Retirer les invitations de plus de 30 jours" in [
            b["text"] for b in menu.buttons()
        ]
        assert world.server.rejected == []


async def test_pending_invitations_expire_and_the_inviter_reads_it_in_the_digest(
    database_url: str,
) -> None:
    clock = FakeClock(START)
    async with clocked_world(database_url, clock) as world:
        alice, dave = world.alice, world.dave
        await start_all(alice, dave)
        await alice.send_text("/invite @dave Shall we connect?")
        invitation = await dave.wait_for_text("Shall we connect?")
        clock.advance(timedelta(days=184))
        core, app = world.bot.core, world.bot.app
        assert core is not None and app is not None and app.job_queue is not None
        # the JobQueue asks every few minutes; here the test asks at once, the same way
        assert "expire_invitations" in {job.name for job in app.job_queue.jobs()}
        # what the JobQueue's tick does (bot.expire_invitations), without waiting minutes
        assert await core.invitations.expire_due() == 1
        await dave.press_button(invitation, "Accept")
        answer = await dave.wait_for(lambda _: dave.callback_answers)
        assert "This invitation expired before it was answered." in answer[-1]["text"]
        await alice.send_text("/digest")
        await alice.wait_for_text("1 invitation you sent expired this week without an answer.")
        assert world.server.rejected == []

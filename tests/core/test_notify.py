"""Notification modes, quiet hours, bursts and digests: when a member is told."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bridge.core import errors
from bridge.core.app import Core
from bridge.core.clock import FakeClock
from bridge.core.models import Member, NotificationKind
from bridge.core.notify import PlanAction, digest_due, quiet_until
from tests.conftest import MakeMember, connect


def _member(**fields) -> Member:
    now = datetime(2026, 11, 23, tzinfo=UTC)
    return Member(
        id=1,
        telegram_id=1,
        handle="a",
        first_name="A",
        plan_started_at=now,
        created_at=now,
        **fields,
    )


@pytest.mark.parametrize(
    ("local", "resume"),
    [
        ("23:30", "08:00+1"),
        ("03:00", "08:00"),
        ("08:00", None),
        ("21:59", None),
    ],
)
def test_quiet_hours_overnight_in_the_members_time_zone(local: str, resume: str | None):
    member = _member(quiet_start="22:00", quiet_end="08:00", timezone="Europe/Paris")
    hours, minutes = map(int, local.split(":"))
    # Paris is UTC+1 in November.
    now = datetime(2026, 11, 23, hours, minutes, tzinfo=UTC) - timedelta(hours=1)
    got = quiet_until(member, now)
    if resume is None:
        assert got is None
    else:
        day = 24 if resume.endswith("+1") else 23
        assert got == datetime(2026, 11, day, 7, 0, tzinfo=UTC)  # 08:00 Paris


def test_digest_is_due_once_a_day_after_its_time():
    member = _member(digest_at="08:30", timezone="UTC")
    assert digest_due(member, datetime(2026, 11, 23, 8, 29, tzinfo=UTC)) is None
    assert digest_due(member, datetime(2026, 11, 23, 8, 30, tzinfo=UTC)) == "2026-11-23"
    member.last_digest_on = "2026-11-23"
    assert digest_due(member, datetime(2026, 11, 23, 23, 0, tzinfo=UTC)) is None


async def test_bad_preferences_are_typed_errors(core: Core, member: MakeMember) -> None:
    alice = await member("Alice")
    with pytest.raises(errors.InvalidTime):
        await core.preferences.set_quiet_hours(alice.id, "22h-late")
    with pytest.raises(errors.InvalidTimezone):
        await core.preferences.set_timezone(alice.id, "Mars/Olympus")
    with pytest.raises(errors.InvalidSetting):
        await core.preferences.set_mode(alice.id, "loud")
    saved = await core.preferences.set_quiet_hours(alice.id, "22:00-8:00")
    assert (saved.quiet_start, saved.quiet_end) == ("22:00", "08:00")


async def _message_plans(core: Core, member_id: int):
    plans = []
    for n in await core.outbox.due(100):
        if n.member_id == member_id and n.kind == NotificationKind.MESSAGE:
            plan = await core.outbox.plan(n)
            plans.append(plan)
            if plan.action == PlanAction.SEND:
                await core.outbox.complete(n.id, [], silent=plan.silent)
    return plans


async def test_a_burst_from_one_sender_rings_once(
    core: Core, member: MakeMember, clock: FakeClock
) -> None:
    alice, bob, carol = await member("Alice"), await member("Bob"), await member("Carol")
    await connect(core, alice, bob)
    await connect(core, carol, bob)
    for i in range(5):
        await core.messaging.send(alice.id, bob.id, f"burst {i}")
        clock.advance(timedelta(seconds=5))
    await core.messaging.send(carol.id, bob.id, "another person")
    plans = await _message_plans(core, bob.id)
    assert [p.silent for p in plans] == [False, True, True, True, True, False]
    clock.advance(timedelta(minutes=2))
    await core.messaging.send(alice.id, bob.id, "later")
    assert [p.silent for p in await _message_plans(core, bob.id)] == [False]


async def test_a_message_plan_carries_what_the_chat_shows(core: Core, member: MakeMember) -> None:
    """The plan of a message to send reads its delivery with its checks: the same as
    `for_delivery` would (the worker does not read it again); nothing when not sent."""
    alice, bob = await member("Alice"), await member("Bob")
    await connect(core, alice, bob)
    sent = await core.messaging.send(alice.id, bob.id, "Lunch?")
    (n,) = [
        n
        for n in await core.outbox.due(100)
        if n.member_id == bob.id and n.kind == NotificationKind.MESSAGE
    ]
    plan = await core.outbox.plan(n)
    assert plan.action == PlanAction.SEND and plan.delivery is not None
    assert plan.delivery == await core.messaging.for_delivery(sent.message.id, bob.id)
    assert plan.delivery.message.text == "Lunch?" and plan.delivery.recipient.id == bob.id
    await core.preferences.set_mode(bob.id, "muted")
    skipped = await core.outbox.plan(n)
    assert skipped.action == PlanAction.SKIP and skipped.delivery is None


async def test_modes_and_quiet_hours_decide_the_push(
    core: Core, member: MakeMember, clock: FakeClock
) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    await connect(core, alice, bob)
    await core.preferences.set_mode(bob.id, "digest")
    await core.messaging.send(alice.id, bob.id, "in digest mode")
    assert [p.action for p in await _message_plans(core, bob.id)] == [PlanAction.SKIP]
    await core.preferences.set_mode(bob.id, "instant")
    now = clock.now()
    start = (now - timedelta(hours=1)).strftime("%H:%M")
    end = (now + timedelta(hours=1)).strftime("%H:%M")
    await core.preferences.set_quiet_hours(bob.id, f"{start}-{end}")
    await core.messaging.send(alice.id, bob.id, "at night")
    plans = await _message_plans(core, bob.id)
    assert plans[0].action == PlanAction.LATER and plans[0].until > now


async def test_scheduled_digest_is_owed_once_per_day(
    core: Core, member: MakeMember, clock: FakeClock
) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    await connect(core, alice, bob)
    await core.messaging.send(alice.id, bob.id, "unread")
    due_time = (clock.now() - timedelta(minutes=1)).strftime("%H:%M")
    await core.preferences.set_digest_time(bob.id, due_time)
    assert await core.preferences.schedule_digests() == 1
    assert await core.preferences.schedule_digests() == 0
    digest = await core.inbox.digest(bob.id)
    assert (digest.summary.messages, digest.summary.people) == (1, 1)
    assert digest.entries[0].last_message.text == "unread"


async def test_a_reused_telegram_message_id_is_a_new_message(
    core: Core, member: MakeMember
) -> None:
    """Telegram numbers a chat's messages anew when the chat starts over (a new token, a
    restarted local server): the same id is then a new message, never mistaken for the old
    one (a redelivered update is skipped by the intake instead, see storage.once)."""
    alice, bob = await member("Alice"), await member("Bob")
    await connect(core, alice, bob)
    await core.messaging.send(alice.id, bob.id, "before", origin=(alice.telegram_id, 10))
    after = await core.messaging.send(alice.id, bob.id, "after", origin=(alice.telegram_id, 10))
    assert (await core.inbox.unread_summary(bob.id)).messages == 2
    found = await core.messaging.message_for_copy(alice.id, alice.telegram_id, 10)
    assert found is not None and found.id == after.message.id


async def test_scheduled_digests_reach_every_member_past_one_batch(
    core: Core, member: MakeMember, clock: FakeClock
) -> None:
    """Five members are due and the job reads them two at a time: the four with something
    unread each get one digest, the one with nothing gets none, and nobody gets two."""
    sender = await member("Sender")
    due_time = (clock.now() - timedelta(minutes=1)).strftime("%H:%M")
    readers = [await member(f"Reader{i}") for i in range(5)]
    for reader in readers:
        await connect(core, sender, reader)
        await core.preferences.set_digest_time(reader.id, due_time)
    for reader in readers[:4]:
        await core.messaging.send(sender.id, reader.id, f"for {reader.first_name}")
    assert await core.preferences.schedule_digests(batch=2) == 4
    assert await core.preferences.schedule_digests(batch=2) == 0
    async with core.deps.store.transaction() as tx:
        owed = await tx.outbox.due(core.deps.clock.now(), 100)
    digests = sorted(n.member_id for n in owed if n.kind == NotificationKind.DIGEST)
    assert digests == sorted(r.id for r in readers[:4])


async def test_notify_accepts_the_french_button_words(core: Core, member: MakeMember) -> None:
    alice = await member("Alice", language="fr")
    for word, mode in (
        ("résumé", "digest"),
        ("Sourdine", "muted"),
        ("instantané", "instant"),
        ("resume", "digest"),
    ):
        assert (await core.preferences.set_mode(alice.id, word)).notify_mode == mode

"""Property: whatever members do, every unread counter equals a recount from the messages,
and the inbox summary equals the sum over conversations."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bridge.core import errors
from bridge.core.app import Core
from bridge.core.clock import FakeClock
from bridge.core.models import NewMember
from bridge.storage.port import Store
from tests.storage.backends import BACKENDS

ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(["send", "read", "unread", "archive", "delete", "spam", "note"]),
        st.integers(0, 3),
        st.integers(0, 3),
    ),
    max_size=40,
)


@pytest.mark.parametrize("backend", sorted(BACKENDS))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(actions=ACTIONS)
async def test_unread_counters_always_equal_a_recount(
    backend: str, actions: list[tuple[str, int, int]]
) -> None:
    async with BACKENDS[backend]() as store:
        await _check_counters(store, actions)


async def _check_counters(store: Store, actions: list[tuple[str, int, int]]) -> None:
    core = await Core.open(store, clock=FakeClock())
    ids = []
    for n in range(4):
        m, _ = await core.members.register(NewMember(telegram_id=n + 1, first_name=f"M{n}"))
        ids.append(m.id)
    # 0-1-2 connected in a line; 3 is reachable only through an invitation thread.
    for a, b in ((0, 1), (1, 2), (0, 2)):
        inv = await core.invitations.invite(ids[a], ids[b], None)
        await core.invitations.accept(ids[b], inv.invitation.id)
    for action, x, y in actions:
        actor, other = ids[x], ids[y]
        try:
            if action == "send":
                await core.messaging.send(actor, other, "hi")
            elif action == "note":
                await core.invitations.invite(actor, other, "note")
            else:
                conv = await core.inbox.conversation_with(actor, other)
                method = {
                    "read": core.inbox.mark_read,
                    "unread": core.inbox.mark_unread,
                    "archive": core.inbox.archive,
                    "delete": core.inbox.delete,
                    "spam": core.inbox.report_spam,
                }[action]
                await method(actor, conv)
        except errors.BridgeError:
            pass

    async with store.transaction() as tx:
        for me in ids:
            total_messages = total_people = 0
            for other in ids:
                conversation = await tx.conversations.between(me, other) if me != other else None
                if conversation is None:
                    continue
                state = await tx.conversations.state(conversation.id, me)
                recount = await tx.messages.count_from_other(
                    conversation.id, me, state.last_read_message_id
                )
                assert state.unread_count == recount
                assert state.last_read_message_id >= state.cleared_through
                if state.unread_count and not state.spam:
                    total_messages += state.unread_count
                    total_people += 1
            summary = await tx.conversations.unread_summary(me)
            assert (summary.messages, summary.people) == (total_messages, total_people)

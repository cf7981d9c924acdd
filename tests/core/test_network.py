from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bridge.core import errors
from bridge.core.app import Core
from bridge.core.models import Degree, Member
from bridge.storage.bulk import ConnectionRow
from tests.conftest import MakeMember, connect


async def _chain(core: Core, member: MakeMember, n: int) -> list[Member]:
    """a0 - a1 - a2 - ... : each member one step further from the first."""
    people = [
        await member(f"P{i}", f"Last{i}", headline=f"Headline {i}", company="Acme")
        for i in range(n)
    ]
    for left, right in zip(people, people[1:], strict=False):
        await connect(core, left, right)
    return people


async def test_degrees_mutuals_and_path(core: Core, member: MakeMember) -> None:
    p = await _chain(core, member, 5)
    assert [core.network.degree(p[0].id, x.id) for x in p] == [
        Degree.SELF,
        Degree.FIRST,
        Degree.SECOND,
        Degree.THIRD,
        Degree.OUT,
    ]
    info = await core.network.degree_info(p[0].id, p[3].id)
    assert info.degree == Degree.THIRD
    assert [v.id for v in info.path] == [p[0].id, p[1].id, p[2].id, p[3].id]
    two = await core.network.degree_info(p[0].id, p[2].id)
    assert [v.id for v in two.mutual] == [p[1].id]


async def test_names_are_masked_by_degree(core: Core, member: MakeMember) -> None:
    p = await _chain(core, member, 5)
    views = await core.network.views(p[0].id, [x.id for x in p[1:]])
    assert [v.name for v in views] == ["P1 Last1", "P2 Last2", "P3 L.", "Member"]
    out = views[-1]
    assert (out.named, out.handle, out.company, out.headline) == (False, None, "", "Headline 4")


async def test_search_ranks_by_degree_and_hides_blocked(core: Core, member: MakeMember) -> None:
    p = await _chain(core, member, 5)
    results = await core.network.search(p[0].id, "acme")
    assert [v.id for v in results] == [x.id for x in p[1:]]
    results = await core.network.search(p[0].id, "HEADLINE 3")
    assert [v.id for v in results] == [p[3].id]
    await core.members.block(p[2].id, p[0].id)
    assert p[2].id not in {v.id for v in await core.network.search(p[0].id, "acme")}
    assert p[0].id not in {v.id for v in await core.network.search(p[2].id, "acme")}
    with pytest.raises(errors.EmptyQuery):
        await core.network.search(p[0].id, "   ")
    assert await core.network.search(p[0].id, "100%_") == []


async def test_profile_actions_fit_the_relation(core: Core, member: MakeMember) -> None:
    p = await _chain(core, member, 3)
    stranger = await member("Stranger")
    assert (await core.network.profile(p[0].id, p[0].id)).actions == ["edit"]
    assert (await core.network.profile(p[0].id, p[1].id)).actions == ["message", "remove"]
    assert (await core.network.profile(p[0].id, p[2].id)).actions == ["invite", "intro", "inmail"]
    await core.invitations.invite(stranger.id, p[0].id, None)
    assert (await core.network.profile(p[0].id, stranger.id)).actions == [
        "accept",
        "message",
        "inmail",
    ]
    assert (await core.network.profile(stranger.id, p[0].id)).actions == [
        "withdraw",
        "message",
        "inmail",
    ]
    card = await core.network.profile(p[0].id, p[2].id)
    assert card.connections == 1 and [m.id for m in card.mutual] == [p[1].id]
    await core.members.block(p[2].id, p[0].id)
    with pytest.raises(errors.MemberNotFound):
        await core.network.profile(p[0].id, p[2].id)
    assert (await core.network.profile(p[2].id, p[0].id)).actions == ["unblock"]


async def test_connections_are_paged(core: Core, member: MakeMember) -> None:
    hub = await member("Hub")
    for i in range(7):
        await connect(core, hub, await member(f"C{i}"))
    page, total = await core.network.connections(hub.id, offset=0, limit=5)
    rest, _ = await core.network.connections(hub.id, offset=5, limit=5)
    assert total == 7 and len(page) == 5 and len(rest) == 2
    assert {v.id for v in page}.isdisjoint({v.id for v in rest})
    assert all(v.degree == Degree.FIRST for v in page + rest)


async def test_graph_index_is_rebuilt_from_the_database(core: Core, member: MakeMember) -> None:
    p = await _chain(core, member, 4)
    await core.network.remove_connection(p[1].id, p[2].id)
    reopened = await Core.open(core.deps.store, rules=core.deps.rules, clock=core.deps.clock)
    for a in p:
        for b in p:
            assert reopened.network.degree(a.id, b.id) == core.network.degree(a.id, b.id)


async def test_writing_to_someone_unmasks_the_writer_not_them(
    core: Core, member: MakeMember
) -> None:
    alice = await member("Alice", "Martin")
    anais = await member("Anaïs", "Roussel", company="Vandelay", location="Grenoble")
    await core.invitations.invite(alice.id, anais.id, "Hello")
    sent = await core.messaging.send(alice.id, anais.id, "Still there?")
    assert (sent.sender_as_seen.name, sent.recipient_as_seen.name) == ("Alice Martin", "Member")
    assert (await core.messaging.conversation(alice.id, anais.id)).other.name == "Member"
    assert (await core.invitations.sent(alice.id))[0].other.company == ""
    assert (await core.inbox.page(alice.id)).entries[0].other.name == "Member"
    assert (await core.network.profile(alice.id, anais.id)).view.name == "Member"
    assert (await core.network.profile(anais.id, alice.id)).view.name == "Alice Martin"
    assert (await core.invitations.received(anais.id))[0].other.name == "Alice Martin"

    answer = await core.messaging.send(anais.id, alice.id, "Yes?")
    assert answer.recipient_as_seen.name == "Alice Martin"
    conversation = await core.inbox.conversation_with(alice.id, anais.id)
    await core.inbox.mark_read(alice.id, conversation)  # nothing unread: found by query
    entry = (await core.inbox.page(alice.id)).entries[0]
    assert (entry.other.name, entry.other.company) == ("Anaïs Roussel", "Vandelay")
    assert (await core.messaging.conversation(alice.id, anais.id)).other.name == "Anaïs Roussel"
    assert (await core.network.profile(alice.id, anais.id)).view.location == "Grenoble"


async def test_nobody_is_their_own_mutual_connection(core: Core, member: MakeMember) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    await connect(core, alice, bob)
    assert (await core.network.profile(alice.id, alice.id)).mutual == []
    assert (await core.network.degree_info(alice.id, alice.id)).mutual == []
    assert [m.id for m in (await core.network.profile(bob.id, alice.id)).mutual] == []


async def test_connections_written_behind_the_core_show_once_it_reloads_its_graph(
    core: Core, member: MakeMember
) -> None:
    """A bulk seed into a running bot's database (the playground): the core is told to read
    its graph again, rather than having its graph swapped from outside."""
    alice, bob, carol = await member("Alice"), await member("Bob"), await member("Carol")
    bulk = core.deps.store.bulk()
    async with bulk.session():
        added = await bulk.add_connections(
            [
                ConnectionRow(alice.id, bob.id, datetime(2025, 1, 1, tzinfo=UTC)),
                ConnectionRow(bob.id, carol.id, datetime(2025, 1, 1, tzinfo=UTC)),
            ]
        )
    assert added == 2
    assert core.network.degree(alice.id, carol.id) == Degree.OUT  # not read yet
    assert await core.reload_graph() == 2
    assert core.network.degree(alice.id, carol.id) == Degree.SECOND
    assert await core.reload_graph() == 0

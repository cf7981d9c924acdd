"""Seeding: reproducible, heavy-tailed and clustered; the demo attaches real members."""

from __future__ import annotations

from collections import Counter

from bridge.core.app import Core
from bridge.core.models import Degree, NewMember
from bridge.seed import powerlaw_cluster_edges, seed_demo
from bridge.storage.sqlite import SqliteStore


def test_generation_is_reproducible_heavy_tailed_and_clustered() -> None:
    a = powerlaw_cluster_edges(1500, 10, 0.6, seed=7)
    assert a == powerlaw_cluster_edges(1500, 10, 0.6, seed=7)
    assert a != powerlaw_cluster_edges(1500, 10, 0.6, seed=8)
    degree = Counter(list(a[0]) + list(a[1]))
    mean = sum(degree.values()) / len(degree)
    assert max(degree.values()) > 8 * mean  # hubs: a heavy tail
    neighbours: dict[int, set[int]] = {}
    for x, y in zip(*a, strict=True):
        neighbours.setdefault(x, set()).add(y)
        neighbours.setdefault(y, set()).add(x)
    closed = possible = 0
    for ns in list(neighbours.values())[:300]:
        ns = list(ns)[:30]
        for i, u in enumerate(ns):
            for v in ns[i + 1:]:
                possible += 1
                closed += v in neighbours[u]
    density = mean / len(degree)
    assert closed / possible > 3 * density  # far more triangles than a random graph


async def test_demo_population_surrounds_the_people_trying_the_bot() -> None:
    store = await SqliteStore.open(":memory:")
    core = await Core.open(store)
    me, _ = await core.members.register(NewMember(telegram_id=1, first_name="Try", username="try"))
    created = await seed_demo(store, n=120, seed=3, attach_to=[me.id])
    assert created["members"] == 120 and created["invitations"] >= 1
    core = await Core.open(store)  # as the playground does: reload the graph
    views, total = await core.network.connections(me.id)
    assert total >= 3
    results = await core.network.search(me.id, "a")
    degrees = {r.degree for r in results}
    assert Degree.FIRST in degrees or Degree.SECOND in degrees
    summary = await core.inbox.unread_summary(me.id)
    assert summary.messages >= 1 and summary.people == summary.messages
    assert len(await core.invitations.received(me.id)) == created["invitations"]
    await store.close()

"""A demo population for the playground: a few hundred EN/FR members with profiles and a
clustered network, attached around the people trying the bot, with a few invitations and
messages waiting for them — so degrees, search ranking, the inbox and digests show
something on the first minute."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

from bridge.core import errors
from bridge.core.app import Core
from bridge.seed.network import powerlaw_cluster_edges, profiles
from bridge.storage.sqlite import SqliteStore
from bridge.storage.sqlite.bulk import insert_connections, insert_members

Progress = Callable[[int, int], None]

NOTES = ["Hi! We met at VivaTech — let's stay in touch.",
         "Bonjour, j'ai vu votre profil, échangeons !",
         "I'm hiring for a similar role, would love to connect.",
         "Ravi de rejoindre votre réseau."]
MESSAGES = ["Are you free for a quick call this week?", "Merci pour votre retour !",
            "Sending you the deck now.", "On se voit jeudi à Lyon ?"]


async def seed_demo(store: SqliteStore, n: int = 300, seed: int = 42,
                    progress: Progress | None = None, attach_to: Sequence[int] = ()) -> dict:
    """Add `n` demo members and their connections; connect each member of `attach_to` to a
    few of them, and have others invite and write to them. Returns what was created."""
    rng = random.Random(seed)
    total = n + 3
    report = progress or (lambda done, total: None)
    async with store.transaction() as tx:
        first_id = await tx.members.count() + 1
        base = 8_000_000_000 + seed * 10_000 + await tx.members.count()
    rows = [(base + i, f"{row[1]}d{seed}", *row[2:])
            for i, row in enumerate(profiles(n, seed), start=1)]
    await insert_members(store, rows)
    report(n, total)
    left, right = powerlaw_cluster_edges(n, 6, 0.6, seed)
    offset = first_id - 1
    edges = [(a + offset, b + offset) for a, b in zip(left, right, strict=True)]
    await insert_connections(store, edges)
    report(n + 1, total)
    core = await Core.open(store)  # the graph now includes the demo network
    created = {"members": n, "connections": len(edges), "invitations": 0, "messages": 0}
    demo = list(range(first_id, first_id + n))
    for member_id in attach_to:
        for friend in rng.sample(demo, k=min(4, n)):
            try:
                outcome = await core.invitations.invite(friend, member_id, None)
                await core.invitations.accept(member_id, outcome.invitation.id)
                created["connections"] += 1
                await core.messaging.send(friend, member_id, rng.choice(MESSAGES))
                created["messages"] += 1
            except errors.BridgeError:
                continue
    report(n + 2, total)
    for member_id in attach_to:
        for stranger in rng.sample(demo, k=min(3, n)):
            try:
                await core.invitations.invite(stranger, member_id, rng.choice(NOTES))
                created["invitations"] += 1
            except errors.BridgeError:
                continue
    report(total, total)
    return created

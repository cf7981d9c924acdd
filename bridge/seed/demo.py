"""A demo population for the playground: a few hundred EN/FR members with profiles and a
clustered network, attached around the people trying the bot, with invitations, messages and
an InMail waiting for them — so degrees, search ranking, the inbox and digests show something
in the first minute.

The network and the background chatter go in through the bulk path; what the people trying
the bot receive (invitations, messages, InMail) goes through the core's own use cases, so
their notifications are queued in the outbox like any other. A running bot must reload its
graph afterwards (`Core.reload_graph`), as the playground does.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from bridge.core import errors
from bridge.core.app import Core
from bridge.core.models import Degree
from bridge.seed.inbox import ThreadBook
from bridge.seed.population import seed_network
from bridge.seed.profiles import member_rows
from bridge.seed.vocabulary import INMAIL_SUBJECTS, INVITATION_NOTES, MESSAGES
from bridge.storage.bulk import ConnectionRow
from bridge.storage.port import Store

Progress = Callable[..., None]  # progress(done, total, label)

STEPS = ("network", "attach", "chatter", "invitations", "messages")


async def seed_demo(
    store: Store,
    n: int = 300,
    seed: int = 42,
    progress: Progress | None = None,
    attach_to: Sequence[int] = (),
    links: int = 6,
) -> dict[str, int]:
    """Add `n` demo members (average ~2·`links` connections) next to whatever the database
    holds; connect each member of `attach_to` to a few of them and have others invite,
    message and InMail them. Returns counts of what was created."""
    report = progress or (lambda *args: None)
    rng = random.Random(seed)
    now = datetime.now(UTC)
    created = {
        "members": 0,
        "connections": 0,
        "invitations": 0,
        "messages": 0,
        "inmails": 0,
        "attached": 0,
    }

    report(0, len(STEPS), "Generating the demo network…")
    tag = f"_{seed % 1000}x" if await _handles_clash(store, n, seed) else "_"
    seeded = await seed_network(store, n, links, seed, p=0.6, handle_tag=tag, now=now)
    created["members"], created["connections"] = n, seeded.connections
    demo = list(seeded.ids)
    adj = seeded.network.adj

    report(1, len(STEPS), "Connecting your members to the demo network…")
    # A hub and a few ordinary members each: 1st-degree people, and through them 2nd and
    # 3rd degree across the network.
    by_degree = sorted(demo, key=lambda i: -len(adj[i - seeded.first_id + 1]))
    hubs = by_degree[: max(3, n // 20)]
    friends: dict[int, list[int]] = {}
    edges = []
    for member in attach_to:
        picks = {rng.choice(hubs), *rng.sample(demo, k=min(3, n))}
        friends[member] = sorted(picks)
        edges += [(min(member, f), max(member, f)) for f in picks]
    if edges:
        bulk = store.bulk()
        async with bulk.session():
            created["connections"] += await bulk.add_connections(
                ConnectionRow(a, b, now) for a, b in sorted(set(edges))
            )
        created["attached"] = len(attach_to)

    report(2, len(STEPS), "Writing conversations between demo members…")
    created["messages"] += await _chatter(store, seeded.first_id, adj, demo, seed, now)

    core = await Core.open(store)  # the graph now includes the demo network
    languages = await store.bulk().languages([*demo, *attach_to])
    report(3, len(STEPS), "Sending invitations…")
    for member in attach_to:
        second = _second_degree(core, member, friends[member])
        for sender in rng.sample(second, k=min(3, len(second))):
            note = rng.choice(INVITATION_NOTES[languages.get(sender, "en")])
            try:
                await core.invitations.invite(sender, member, note)
                created["invitations"] += 1
            except errors.BridgeError:
                continue

    # Some pending invitations between demo members too (so /find shows "Pending" states
    # and a demo member opened as a profile has invitations waiting).
    for _ in range(max(1, n // 20)):
        sender = rng.choice(demo)
        row = list(core.deps.graph.neighbours(sender))
        second = _second_degree(core, sender, row[:10])
        if second:
            note = rng.choice(INVITATION_NOTES[languages.get(sender, "en")])
            try:
                await core.invitations.invite(sender, rng.choice(second), note)
                created["invitations"] += 1
            except errors.BridgeError:
                pass

    report(4, len(STEPS), "Sending messages and an InMail…")
    for member in attach_to:
        for friend in friends[member][:2]:
            try:
                await core.messaging.send(
                    friend, member, rng.choice(MESSAGES[languages.get(friend, "en")])
                )
                created["messages"] += 1
            except errors.BridgeError:
                continue
        far = [
            x
            for x in rng.sample(demo, k=min(40, n))
            if core.network.degree(member, x) >= Degree.THIRD
        ]
        if far:
            sender = far[0]
            lang = languages.get(sender, "en")
            try:
                await core.credits.purchase(sender, 3, "demo")
                await core.credits.send_inmail(
                    sender,
                    member,
                    rng.choice(INMAIL_SUBJECTS[lang]).format(company="Acme"),
                    rng.choice(MESSAGES[lang]),
                )
                created["inmails"] += 1
            except errors.BridgeError:
                pass
    report(len(STEPS), len(STEPS), "Done.")
    return created


async def _handles_clash(store: Store, n: int, seed: int) -> bool:
    """Would a plain `slug_id` handle collide with someone already there (a rerun, a real
    member who picked such a name)? Then the handles get a seed tag."""
    bulk = store.bulk()
    first = await bulk.next_id("members")
    handles = [row.handle for row in member_rows(first, n, seed, handle_tag="_")]
    return bool(await bulk.existing_handles(handles))


def _second_degree(core: Core, member: int, friends: list[int]) -> list[int]:
    graph = core.deps.graph
    seen = set(friends) | {member}
    out: list[int] = []
    for friend in friends:
        for x in graph.neighbours(friend):
            if x not in seen:
                seen.add(x)
                out.append(x)
    return sorted(out)


async def _chatter(
    store: Store, first_id: int, adj: list, demo: list[int], seed: int, now: datetime
) -> int:
    """Short conversations between connected demo members, a third left unread."""
    book = ThreadBook(seed, now, await store.bulk().languages(demo))
    rng = book.rng
    for member in rng.sample(demo, k=len(demo) // 3):
        row = adj[member - first_id + 1]
        if not len(row):
            continue
        other = row[rng.randrange(len(row))] + first_id - 1
        thread = book.new(member, other, connected=False)  # already connected
        if thread is None:
            continue
        at = book.start(60)
        for k in range(rng.randint(1, 5)):
            who = member if k % 2 == 0 else other
            thread.post(who, at, book.text(who))
            at = book.later(at, 12)
        if rng.random() < 0.66:
            thread.read(thread.other(thread.messages[-1][0]))
    if not book.threads:
        return 0
    return (await book.write(store)).messages

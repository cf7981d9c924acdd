"""Conversations and messages, seeded in bulk with the exact counters the core would keep.

Why a simulation: unread counts, read marks, archive/spam/delete flags and "last activity"
are derived state. Instead of guessing them, every conversation is replayed event by event
through the core's own counter rules (`bridge.core.counters`, which `post_message` and the
inbox actions `mark_read`, `archive`, `report_spam`, `delete` apply too), then written in
one go through the bulk port. So the invariants the property tests check — unread count =
messages from the other side after my read mark, the summary = the sum over conversations —
hold for seeded data too.

Message ids follow time across all conversations (they are assigned after a global sort),
as they would in a live database.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bridge.core import counters
from bridge.core.models import InMailStatus, LedgerKind, MessageKind, RefundState
from bridge.core.rules import Rules
from bridge.seed.network import SyntheticNetwork
from bridge.seed.vocabulary import INMAIL_SUBJECTS, MESSAGES
from bridge.storage.bulk import (
    ConnectionRow,
    ConversationRow,
    InMailRow,
    LedgerRow,
    MessageRow,
    Progress,
    SpamReportRow,
    StateRow,
)
from bridge.storage.port import Store

INMAIL_CREDITS = 5  # what an InMail sender bought before spending one


_NEVER = datetime(1970, 1, 1, tzinfo=UTC)  # replaced by the thread's first message


@dataclass
class Side:
    """One member's state in one conversation, as `ConversationState` holds it (a
    `counters.Side`), with message positions for ids: 1 for the first message, 0 = none."""

    member: int
    unread_count: int = 0
    last_read_message_id: int = 0
    archived: bool = False
    deleted: bool = False
    cleared_through: int = 0
    spam: bool = False
    inmail: bool = False
    last_activity_at: datetime = _NEVER


@dataclass
class Thread:
    """A conversation being simulated: messages in time order, both sides' state."""

    a: int
    b: int
    messages: list[tuple[int, datetime, str, str, str | None]] = field(default_factory=list)
    sides: dict[int, Side] = field(default_factory=dict)
    spam_reports: list[tuple[int, int, datetime]] = field(default_factory=list)
    inmail: tuple[int, int, int, datetime] | None = None  # sender, recipient, msg idx, at

    def __post_init__(self) -> None:
        self.sides = {self.a: Side(self.a), self.b: Side(self.b)}

    def other(self, member: int) -> int:
        return self.b if member == self.a else self.a

    @property
    def last(self) -> int:
        """The position of the last message (0: none yet)."""
        return len(self.messages)

    # One method per use case, each applying the core's rule for it.
    def post(
        self,
        sender: int,
        at: datetime,
        text: str,
        kind: str = MessageKind.MESSAGE,
        subject: str | None = None,
    ) -> None:
        """`post_message`: the sender has read everything; the recipient gets one more."""
        self.messages.append((sender, at, kind, text, subject))
        counters.wrote(self.sides[sender], self.last, at)
        counters.received(
            self.sides[self.other(sender)], self.last, at, inmail=kind == MessageKind.INMAIL
        )

    def read(self, member: int) -> None:
        counters.read_through(self.sides[member], self.last)

    def archive(self, member: int) -> None:
        counters.archived(self.sides[member])

    def report_spam(self, member: int, at: datetime) -> None:
        counters.reported_spam(self.sides[member])
        self.spam_reports.append((member, self.other(member), at))

    def delete(self, member: int) -> None:
        counters.deleted_through(self.sides[member], self.last)


@dataclass
class InboxSeeded:
    conversations: int = 0
    messages: int = 0
    inmails: int = 0
    spam_reports: int = 0
    connections: int = 0
    owner_unread_conversations: int = 0


class ThreadBook:
    """Simulated threads waiting to be written; `write` assigns ids and flushes in bulk."""

    def __init__(self, seed: int, now: datetime, languages: dict[int, str]) -> None:
        self.rng = random.Random(seed)
        self.now = now
        self.languages = languages
        self.threads: list[Thread] = []
        self.pairs: set[tuple[int, int]] = set()
        self.connect: list[tuple[int, int]] = []

    def new(self, x: int, y: int, connected: bool) -> Thread | None:
        pair = (min(x, y), max(x, y))
        if x == y or pair in self.pairs:
            return None
        self.pairs.add(pair)
        if connected:
            self.connect.append(pair)
        thread = Thread(*pair)
        self.threads.append(thread)
        return thread

    def text(self, sender: int) -> str:
        return self.rng.choice(MESSAGES[self.languages.get(sender, "en")])

    def subject(self, sender: int) -> str:
        lang = self.languages.get(sender, "en")
        return self.rng.choice(INMAIL_SUBJECTS[lang]).format(company="Acme")

    def start(self, days: float = 180) -> datetime:
        return self.now - timedelta(seconds=self.rng.uniform(3600, days * 86400))

    def later(self, at: datetime, mean_hours: float = 6) -> datetime:
        """A moment after `at`, strictly (message order is time order), before `now` when
        there is room."""
        step = timedelta(hours=self.rng.expovariate(1 / mean_hours))
        cap = self.now - timedelta(seconds=1)
        if at + step > cap:
            step = (cap - at) / 2 if cap > at else timedelta(0)
        return at + max(step, timedelta(microseconds=1))

    async def write(
        self, store: Store, progress: Progress | None = None, rules: Rules | None = None
    ) -> InboxSeeded:
        rules = rules or Rules()
        done = InboxSeeded()
        bulk = store.bulk()
        conversation_id = await bulk.next_id("conversations")
        message_id = await bulk.next_id("messages")
        inmail_id = await bulk.next_id("inmails")
        # Global time order → message ids.
        order = sorted(
            (
                (msg[1], t, k)
                for t, thread in enumerate(self.threads)
                for k, msg in enumerate(thread.messages)
            )
        )
        ids: list[list[int]] = [[0] * len(thread.messages) for thread in self.threads]
        message_rows = []
        for at, t, k in order:
            ids[t][k] = message_id
            sender, _, kind, text, subject = self.threads[t].messages[k]
            message_rows.append(
                MessageRow(
                    message_id, conversation_id + t, sender, MessageKind(kind), text, subject, at
                )
            )
            message_id += 1
        conversations: list[ConversationRow] = []
        states: list[StateRow] = []
        inmails: list[InMailRow] = []
        ledger: list[LedgerRow] = []
        credits: list[tuple[int, int]] = []
        spam: list[SpamReportRow] = []
        for t, thread in enumerate(self.threads):
            cid, mids = conversation_id + t, ids[t]
            first_at, last_at = thread.messages[0][1], thread.messages[-1][1]
            this_inmail = None
            if thread.inmail is not None:
                sender, recipient, k, at = thread.inmail
                this_inmail = inmail_id
                inmail_id += 1
                inmails.append(
                    InMailRow(
                        this_inmail,
                        sender,
                        recipient,
                        cid,
                        mids[k],
                        thread.messages[k][4] or "",
                        InMailStatus.SENT,
                        at,
                        None,
                        RefundState.PENDING,
                        at + rules.no_response_window,
                        False,
                    )
                )  # not sponsored
                bought = at - timedelta(days=1)
                ledger.append(
                    LedgerRow(
                        sender,
                        LedgerKind.PURCHASE,
                        INMAIL_CREDITS,
                        INMAIL_CREDITS,
                        "purchase:seed",
                        None,
                        bought,
                    )
                )
                ledger.append(
                    LedgerRow(
                        sender, LedgerKind.SPEND, -1, INMAIL_CREDITS - 1, "inmail", this_inmail, at
                    )
                )
                credits.append((sender, INMAIL_CREDITS - 1))
            conversations.append(
                ConversationRow(
                    cid, thread.a, thread.b, first_at, mids[-1], last_at, None, this_inmail
                )
            )
            for side in thread.sides.values():
                states.append(
                    StateRow(
                        cid,
                        side.member,
                        side.unread_count,
                        _message_id(mids, side.last_read_message_id),
                        side.archived,
                        side.deleted,
                        _message_id(mids, side.cleared_through),
                        side.spam,
                        side.inmail,
                        side.last_activity_at,
                    )
                )
            spam += [SpamReportRow(r, o, cid, at) for r, o, at in thread.spam_reports]
        edges = sorted(self.connect)
        async with bulk.session():
            created = self.now - timedelta(days=365)
            done.connections = await bulk.add_connections(
                ConnectionRow(a, b, created) for a, b in edges
            )
            done.conversations = await bulk.add_conversations(conversations)
            done.messages = await bulk.add_messages(message_rows, progress=progress)
            await bulk.add_states(states)
            done.inmails = await bulk.add_inmails(inmails)
            await bulk.add_ledger(ledger)
            await bulk.set_credits(credits)
            done.spam_reports = await bulk.add_spam_reports(spam)
        return done


def _message_id(ids: list[int], position: int) -> int:
    """The id of the message at a simulated position (1-based; 0 stays "none")."""
    return ids[position - 1] if position > 0 else 0


def _lengths(rng: random.Random, count: int, total: int) -> list[int]:
    """`count` heavy-tailed conversation lengths (≥ 1) summing exactly to `total`."""
    if count == 0:
        return []
    weights = [rng.paretovariate(1.6) for _ in range(count)]
    scale = (total - count) / sum(weights)
    lengths = [1 + int(w * scale) for w in weights]
    short = total - sum(lengths)
    for i in range(short):
        lengths[i % count] += 1
    return lengths


def simulate_owner_inbox(
    book: ThreadBook,
    owner: int,
    partners: Sequence[int],
    inmail_senders: Sequence[int],
    messages: int,
    archived: float = 0.2,
    spam: float = 0.03,
    deleted: float = 0.02,
    left_unread: float = 0.35,
) -> None:
    """A busy member's inbox: one conversation per partner (connections), one InMail thread
    per `inmail_senders` member, `messages` messages in all; a mix of read and unread,
    archived, spam-reported and deleted conversations."""
    rng = book.rng
    for sender in inmail_senders:
        thread = book.new(owner, sender, connected=False)
        if thread is None:
            continue
        at = book.start()
        thread.post(sender, at, book.text(sender), MessageKind.INMAIL, book.subject(sender))
        thread.inmail = (sender, owner, 0, at)
        if rng.random() < 0.5:
            thread.read(owner)
    remaining = max(len(partners), messages - len(inmail_senders))
    for partner, length in zip(partners, _lengths(rng, len(partners), remaining), strict=True):
        thread = book.new(owner, partner, connected=True)
        if thread is None:
            continue
        at = book.start()
        spam_at = rng.randrange(length) if rng.random() < spam else -1
        for k in range(length):
            sender = owner if (k > 0 and rng.random() < 0.45 and k != spam_at) else partner
            thread.post(sender, at, book.text(sender))
            if k == spam_at:  # the partner's message was the last straw
                thread.report_spam(owner, at)
            at = book.later(at)
            if rng.random() < 0.5:
                thread.read(owner if sender == partner else partner)
        if rng.random() >= left_unread:
            thread.read(owner)
        if rng.random() < 0.8:
            thread.read(partner)
        roll = rng.random()
        if roll < deleted:
            thread.delete(owner)
        elif roll < deleted + archived:
            thread.archive(owner)


def simulate_unread_for(
    book: ThreadBook,
    recipients: Sequence[int],
    sender_for: Callable[[random.Random, int], int],
    per_recipient: tuple[int, int] = (1, 4),
) -> None:
    """Each recipient gets a few conversations (with `sender_for(rng, recipient)`, who
    becomes a connection if not one already) whose last messages they haven't read — the
    population a daily digest is built for."""
    rng = book.rng
    for recipient in recipients:
        for _ in range(rng.randint(*per_recipient)):
            sender = sender_for(rng, recipient)
            thread = book.new(recipient, sender, connected=True)
            if thread is None:
                continue
            at = book.start(30)
            for k in range(rng.randint(1, 6)):
                who = recipient if k and rng.random() < 0.3 else sender
                thread.post(who, at, book.text(who))
                at = book.later(at, 3)
            if thread.sides[recipient].unread_count == 0:
                thread.post(sender, at, book.text(sender))
            thread.read(sender)


@dataclass
class InboxCast:
    """Who takes part: the busy owner, their partners, InMail senders, digest recipients."""

    owner: int
    partners: list[int]
    inmail_senders: list[int]
    digest_recipients: list[int]


def cast_inbox(
    network: SyntheticNetwork,
    first_id: int,
    conversations: int,
    digest_members: int,
    seed: int,
    inmail_share: float = 0.1,
) -> InboxCast:
    """The owner is the best-connected member (a recruiter-like hub); partners are their
    connections first, then others (who become connections); InMail senders are never
    connections; digest recipients are other members, written to by their own connections."""
    rng = random.Random(seed)
    node = max(range(1, network.n + 1), key=lambda i: len(network.adj[i]))
    owner = node + first_id - 1
    neighbours = set(network.adj[node])
    strangers = [i for i in range(1, network.n + 1) if i != node and i not in neighbours]
    rng.shuffle(strangers)
    inmails = min(int(conversations * inmail_share), len(strangers))
    inmail_nodes, strangers = strangers[:inmails], strangers[inmails:]
    wanted = conversations - inmails
    partner_nodes = sorted(neighbours)
    rng.shuffle(partner_nodes)
    partner_nodes = (partner_nodes + strangers)[:wanted]
    if len(partner_nodes) < wanted:
        raise ValueError(f"{conversations} conversations need more than {network.n} members")
    others = [i for i in range(1, network.n + 1) if i != node]
    recipients = rng.sample(others, min(digest_members, len(others)))
    shift = first_id - 1
    return InboxCast(
        owner=owner,
        partners=[i + shift for i in partner_nodes],
        inmail_senders=[i + shift for i in inmail_nodes],
        digest_recipients=[i + shift for i in recipients],
    )


def connection_sender(
    network: SyntheticNetwork, first_id: int, avoid: int
) -> Callable[[random.Random, int], int]:
    """Pick one of the recipient's own connections (never `avoid`), else anyone."""
    shift = first_id - 1

    def pick(rng: random.Random, recipient: int) -> int:
        row = network.adj[recipient - shift]
        for _ in range(4):
            if len(row):
                other = row[rng.randrange(len(row))] + shift
            else:
                other = rng.randint(1, network.n) + shift
            if other not in (avoid, recipient):
                return other
        return recipient + 1 if recipient + 1 - shift <= network.n else recipient - 1

    return pick


async def seed_conversations(
    store: Store,
    seed: int,
    now: datetime,
    cast: InboxCast,
    messages: int,
    sender_for: Callable[[random.Random, int], int] | None = None,
    progress: Progress | None = None,
) -> InboxSeeded:
    """Seed one busy inbox (`cast.owner`: a conversation per partner, an InMail thread per
    InMail sender, `messages` messages in all) and a digest population, then write it all.

    Partners and digest pairs become connections where they weren't (the core only lets
    connections chat); InMail senders must not be connected to the owner."""
    owner = cast.owner
    everyone = sorted({owner, *cast.partners, *cast.inmail_senders, *cast.digest_recipients})
    book = ThreadBook(seed, now, await store.bulk().languages(everyone))
    simulate_owner_inbox(book, cast.owner, cast.partners, cast.inmail_senders, messages)
    if cast.digest_recipients:

        def anyone(rng: random.Random, recipient: int) -> int:
            while (other := everyone[rng.randrange(len(everyone))]) in (owner, recipient):
                pass
            return other

        simulate_unread_for(book, cast.digest_recipients, sender_for or anyone)
    seeded = await book.write(store, progress)
    seeded.owner_unread_conversations = sum(
        1
        for t in book.threads
        if owner in t.sides
        and t.sides[owner].unread_count > 0
        and not t.sides[owner].spam
        and not t.sides[owner].deleted
    )
    return seeded

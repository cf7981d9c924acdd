"""Tags, notes, reminders and saved leads through the port (issue 15): upserts that keep one
row, counts, one pending reminder per conversation fired once, leads with how each
conversation stands."""

from __future__ import annotations

from datetime import timedelta

from bridge.core.models import MessageKind, ReminderStatus
from bridge.storage.port import Store
from tests.storage.contract.population import LATER, NOW, add_members, conversation


async def test_tags_are_per_member_counted_and_attached_once(store: Store) -> None:
    ann, bob, cat = await add_members(store, "Ann", "Bob", "Cat")
    async with store.transaction() as tx:
        first = await tx.tags.ensure(ann.id, "candidate", "🟢", NOW)
        again = await tx.tags.ensure(ann.id, "candidate", "🔴", LATER)  # the first colour stays
        assert again == first and again.colour == "🟢"
        theirs = await tx.tags.ensure(bob.id, "candidate", "🔵", NOW)
        assert theirs.id != first.id
        assert await tx.tags.attach(first.id, bob.id, NOW) is True
        assert await tx.tags.attach(first.id, bob.id, LATER) is False
        assert await tx.tags.attach(first.id, cat.id, NOW) is True
        await tx.tags.ensure(ann.id, "lyon", "⚫", NOW)
    async with store.read() as tx:
        counts = [(c.tag.name, c.contacts) for c in await tx.tags.counts(ann.id)]
        assert counts == [("candidate", 2), ("lyon", 0)]
        assert [t.name for t in await tx.tags.on_contact(ann.id, bob.id)] == ["candidate"]
        assert await tx.tags.on_contact(bob.id, bob.id) == []
        assert await tx.tags.owned(ann.id, first.id) == first
        assert await tx.tags.owned(bob.id, first.id) is None
        assert await tx.tags.by_name(ann.id, "lyon") is not None
    async with store.transaction() as tx:
        assert await tx.tags.detach(first.id, bob.id) is True
        assert await tx.tags.detach(first.id, bob.id) is False


async def test_one_note_per_member_and_contact(store: Store) -> None:
    ann, bob = await add_members(store, "Ann", "Bob")
    async with store.transaction() as tx:
        await tx.notes.set(ann.id, bob.id, "first", NOW)
        await tx.notes.set(ann.id, bob.id, "second; 'quoted'", LATER)
    async with store.read() as tx:
        assert await tx.notes.get(ann.id, bob.id) == "second; 'quoted'"
        assert await tx.notes.get(bob.id, ann.id) is None
    async with store.transaction() as tx:
        assert await tx.notes.remove(ann.id, bob.id) is True
        assert await tx.notes.remove(ann.id, bob.id) is False


async def test_a_contacts_note_and_tags_in_one_read(store: Store) -> None:
    ann, bob, cat = await add_members(store, "Ann", "Bob", "Cat")
    async with store.read() as tx:
        assert await tx.notes.with_tags(ann.id, bob.id) == (None, [])
    async with store.transaction() as tx:
        lyon = await tx.tags.ensure(ann.id, "lyon", "⚫", NOW)
        candidate = await tx.tags.ensure(ann.id, "candidate", "🟢", NOW)
        theirs = await tx.tags.ensure(cat.id, "cat-only", "🔵", NOW)
        for tag in (lyon, candidate, theirs):
            await tx.tags.attach(tag.id, bob.id, NOW)
        await tx.notes.set(ann.id, bob.id, "met in Lyon", NOW)
        await tx.notes.set(ann.id, cat.id, "other contact", NOW)
    async with store.read() as tx:
        note, tags = await tx.notes.with_tags(ann.id, bob.id)
        assert (note, tags) == ("met in Lyon", await tx.tags.on_contact(ann.id, bob.id))
        assert [t.name for t in tags] == ["candidate", "lyon"]  # Ann's own, by name
        assert await tx.notes.with_tags(cat.id, bob.id) == (None, [theirs])
        assert await tx.notes.with_tags(bob.id, ann.id) == (None, [])


async def test_one_pending_reminder_per_conversation_fired_once(store: Store) -> None:
    ann, bob, cat = await add_members(store, "Ann", "Bob", "Cat")
    with_bob = await conversation(store, ann, bob)
    with_cat = await conversation(store, ann, cat)
    async with store.transaction() as tx:
        first = await tx.reminders.set(ann.id, with_bob.id, "call", NOW + timedelta(days=3), NOW)
        replaced = await tx.reminders.set(ann.id, with_bob.id, "", NOW + timedelta(days=1), NOW)
        assert replaced.id == first.id and replaced.text == ""
        other = await tx.reminders.set(ann.id, with_cat.id, "x", NOW + timedelta(days=9), NOW)
        assert [r.id for r in await tx.reminders.pending(ann.id)] == [first.id, other.id]
        assert await tx.reminders.take_due(NOW, 10) == []
    async with store.transaction() as tx:
        fired = await tx.reminders.take_due(NOW + timedelta(days=2), 10)
        assert [(r.id, r.status) for r in fired] == [(first.id, ReminderStatus.FIRED)]
        assert await tx.reminders.take_due(NOW + timedelta(days=2), 10) == []
        assert await tx.reminders.cancel(other.id, bob.id, NOW) is False  # not Bob's
        assert await tx.reminders.cancel_conversation(with_cat.id, NOW) == 1
        assert await tx.reminders.pending(ann.id) == []
        # After a fired one, the conversation can have a new pending one.
        await tx.reminders.set(ann.id, with_bob.id, "again", NOW + timedelta(days=1), NOW)
        assert [r.text for r in await tx.reminders.pending(ann.id)] == ["again"]


async def test_leads_list_with_how_each_conversation_stands(store: Store) -> None:
    ann, bob, cat = await add_members(store, "Ann", "Bob", "Cat")
    talk = await conversation(store, ann, bob)
    async with store.transaction() as tx:
        assert await tx.leads.save(ann.id, bob.id, "q1", NOW) is True
        assert await tx.leads.save(ann.id, bob.id, "q1", LATER) is False
        assert await tx.leads.save(ann.id, cat.id, "leads", LATER) is True
        await tx.messages.add(talk.id, bob.id, LATER, kind=MessageKind.MESSAGE, text="hi")
        talk.last_activity_at = LATER
        await tx.conversations.save(talk)
    async with store.read() as tx:
        rows = await tx.leads.list(ann.id, None, 10)
        assert [(r.contact.id, r.list_name) for r in rows] == [(cat.id, "leads"), (bob.id, "q1")]
        cat_row, bob_row = rows
        assert (bob_row.answered, bob_row.contacted, bob_row.last_contact_at) == (
            True,
            True,
            LATER,
        )
        assert (cat_row.answered, cat_row.last_contact_at) == (False, None)
        assert [r.contact.id for r in await tx.leads.list(ann.id, "q1", 10)] == [bob.id]
    async with store.transaction() as tx:
        assert await tx.leads.remove(ann.id, bob.id, None) == 1
        assert await tx.leads.remove(ann.id, bob.id, None) == 0

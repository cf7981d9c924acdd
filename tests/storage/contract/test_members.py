"""Members and blocks through the port: unique handles and Telegram ids, every field kept,
search by folded word prefixes kept in step with every change, saved searches."""

from __future__ import annotations

import pytest

from bridge.core.models import InvitePolicy, NewMember
from bridge.storage.port import ConstraintViolation, Store
from tests.storage.contract.population import LATER, NOW, add_members


async def test_a_member_is_found_by_id_telegram_id_and_handle(store: Store) -> None:
    async with store.transaction() as tx:
        ann = await tx.members.add(
            NewMember(
                telegram_id=42, first_name="Ann", last_name="Lee", username="AnnL", language="fr"
            ),
            "annl",
            NOW,
        )
    assert (ann.telegram_id, ann.handle, ann.full_name, ann.username, ann.language) == (
        42,
        "annl",
        "Ann Lee",
        "AnnL",
        "fr",
    )
    assert (ann.credits, ann.plan, ann.created_at, ann.plan_started_at) == (0, "free", NOW, NOW)
    async with store.read() as tx:
        assert await tx.members.get(ann.id) == ann
        assert await tx.members.by_telegram_id(42) == ann
        assert await tx.members.by_handle("annl") == ann
        assert await tx.members.by_handle("ANNL") == ann  # handles are matched lower-case
        assert await tx.members.get(ann.id + 1) is None
        assert await tx.members.by_handle("nobody") is None
        assert await tx.members.by_telegram_id(43) is None
        assert await tx.members.count() == 1


@pytest.mark.parametrize("clash", ["handle", "telegram_id"])
async def test_handles_and_telegram_ids_are_unique(store: Store, clash: str) -> None:
    async with store.transaction() as tx:
        await tx.members.add(NewMember(telegram_id=1, first_name="Ann"), "ann", NOW)
    other = NewMember(telegram_id=1 if clash == "telegram_id" else 2, first_name="Bob")
    with pytest.raises(ConstraintViolation):
        async with store.transaction() as tx:
            await tx.members.add(other, "ann" if clash == "handle" else "bob", NOW)
    async with store.read() as tx:
        assert await tx.members.count() == 1


async def test_every_field_saved_reads_back(store: Store) -> None:
    ann, bob = await add_members(store, "Ann", "Bob")
    changed = ann.model_copy(
        update=dict(
            first_name="Anne",
            last_name="Martin",
            username=None,
            language="fr",
            headline="Ingénieure",
            company="Acme",
            location="Lyon",
            industry="Software",
            about="Hello",
            invite_policy=InvitePolicy.SECOND_DEGREE,
            inmail_opt_out=True,
            plan="premium",
            plan_started_at=LATER,
            renewals_done=2,
            reachable=False,
            current_peer_id=bob.id,
            notify_mode="digest",
            quiet_start="22:00",
            quiet_end="07:00",
            timezone="Europe/Paris",
            digest_at="08:30",
            last_digest_on="2026-05-01",
            awaiting="note:3",
        )
    )
    async with store.transaction() as tx:
        await tx.members.save(changed)
    async with store.read() as tx:
        assert await tx.members.get(ann.id) == changed
        assert await tx.members.get_many([bob.id, ann.id, 999]) == {ann.id: changed, bob.id: bob}


async def test_credits_never_go_below_zero(store: Store) -> None:
    (ann,) = await add_members(store, "Ann")
    async with store.transaction() as tx:
        assert await tx.members.add_credits(ann.id, -1) is None
        assert await tx.members.add_credits(ann.id, 2) == 2
        assert await tx.members.add_credits(ann.id, -3) is None
        assert await tx.members.add_credits(999, 1) is None
    async with store.read() as tx:
        found = await tx.members.get(ann.id)
    assert found is not None and found.credits == 2


async def test_save_leaves_the_balance_to_add_credits(store: Store) -> None:
    (ann,) = await add_members(store, "Ann")
    async with store.transaction() as tx:
        assert await tx.members.add_credits(ann.id, 5) == 5
        ann.credits = 100  # a stale or forged balance is never written back
        ann.headline = "Engineer"
        await tx.members.save(ann)
    async with store.read() as tx:
        found = await tx.members.get(ann.id)
    assert found is not None and (found.credits, found.headline) == (5, "Engineer")


async def test_search_matches_folded_word_prefixes_of_every_term(store: Store) -> None:
    ann, bob, cleo = await add_members(store, "Ann", "Bob", "Cleo")
    async with store.transaction() as tx:
        ann.last_name, ann.headline, ann.location = "Élise", "Ingénieure logiciel", "Paris"
        bob.headline, bob.company = "Recruteur", "Ingenico"
        await tx.members.save(ann)
        await tx.members.save(bob)

        async def found(*terms: str, limit: int = 10) -> list[int]:
            return [m.id for m in await tx.members.search(list(terms), limit)]

        assert await found("ingenieur") == [ann.id]  # accents and case folded
        assert await found("inge") == [ann.id, bob.id]  # word prefixes, ascending ids
        assert await found("inge", limit=1) == [ann.id]
        assert await found("inge", "paris") == [ann.id]  # every term required
        assert await found("elise") == [ann.id]  # the last name is searched too
        assert await found("cleo") == [cleo.id]  # and the handle / first name
        assert await found("nie") == []  # a word's start, not any substring
        assert await found() == []
        assert await found('"') == [] and await found("NEAR(") == []  # no query syntax
        ann.headline = "Designer"
        await tx.members.save(ann)  # the index follows the change
        assert await found("ingenieur") == []
        assert await found("design") == [ann.id]


async def test_saved_searches_belong_to_their_member_and_only_the_last_20_stay(
    store: Store,
) -> None:
    ann, bob = await add_members(store, "Ann", "Bob")
    async with store.transaction() as tx:
        ids = [await tx.members.save_search(ann.id, f"query {n}", NOW) for n in range(25)]
        assert await tx.members.saved_search(ids[-1], ann.id) == "query 24"
        assert await tx.members.saved_search(ids[-1], bob.id) is None  # not theirs
        assert await tx.members.saved_search(ids[5], ann.id) == "query 5"
        assert await tx.members.saved_search(ids[4], ann.id) is None  # the oldest went


async def test_members_with_a_digest_time_page_by_id(store: Store) -> None:
    members = await add_members(store, "A", "B", "C", "D", "E")
    async with store.transaction() as tx:
        for member in members[1:]:
            member.digest_at = "08:00"
            await tx.members.save(member)
        first = await tx.members.with_digest_time(0, 2)
        rest = await tx.members.with_digest_time(first[-1].id, 10)
    assert [m.id for m in first + rest] == [m.id for m in members[1:]]


async def test_blocks_are_directed_idempotent_and_removable(store: Store) -> None:
    ann, bob, cleo = await add_members(store, "Ann", "Bob", "Cleo")
    async with store.transaction() as tx:
        await tx.blocks.add(ann.id, bob.id, NOW)
        await tx.blocks.add(ann.id, bob.id, NOW)  # twice is once
        await tx.blocks.add(cleo.id, ann.id, NOW)
        assert await tx.blocks.exists(ann.id, bob.id)
        assert not await tx.blocks.exists(bob.id, ann.id)
        assert await tx.blocks.related(ann.id) == {bob.id, cleo.id}
        assert await tx.blocks.related(bob.id) == {ann.id}
        assert await tx.blocks.remove(ann.id, bob.id) is True
        assert await tx.blocks.remove(ann.id, bob.id) is False
        assert await tx.blocks.related(bob.id) == set()

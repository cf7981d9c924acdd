"""/search: the member's own messages by their words (full text), newest first, paged;
nobody else's conversations, nothing the member deleted; names masked as everywhere."""

from __future__ import annotations

import pytest

from bridge.core import errors
from bridge.core.app import Core
from bridge.core.models import Attachment, AttachmentKind, Degree
from tests.conftest import MakeMember, connect


async def test_finds_words_in_own_conversations_newest_first(
    core: Core, member: MakeMember
) -> None:
    alice, bob, carol = await member("Alice"), await member("Bob"), await member("Carol")
    await connect(core, alice, bob)
    await connect(core, alice, carol)
    await connect(core, bob, carol)
    await core.messaging.send(alice.id, bob.id, "The contract for Lyon is ready")
    await core.messaging.send(bob.id, alice.id, "Thanks, I will sign the contrat tomorrow")
    await core.messaging.send(carol.id, alice.id, "Lunch in Lyon?")
    await core.messaging.send(bob.id, carol.id, "Carol, the Lyon contract is signed")  # not Alice's

    page = await core.message_search.search(alice.id, "lyon")
    assert [h.message.text for h in page.hits] == [
        "Lunch in Lyon?",
        "The contract for Lyon is ready",
    ]
    assert [(h.other.id, h.mine) for h in page.hits] == [(carol.id, False), (bob.id, True)]
    # every word must match, as a word prefix; case and accents fold
    both = await core.message_search.search(alice.id, "CONTR lyôn")
    assert [h.message.text for h in both.hits] == ["The contract for Lyon is ready"]
    assert (await core.message_search.search(alice.id, "ontract")).hits == []


async def test_subjects_and_file_names_are_searched(core: Core, member: MakeMember) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    await connect(core, alice, bob)
    cv = Attachment(kind=AttachmentKind.DOCUMENT, file_id="f1", file_name="CV_Bob_Durand.pdf")
    await core.messaging.send(bob.id, alice.id, None, attachment=cv)
    hits = (await core.message_search.search(alice.id, "durand")).hits
    assert [h.message.attachment for h in hits] == [cv]


async def test_an_edit_is_found_by_its_new_words_only(core: Core, member: MakeMember) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    await connect(core, alice, bob)
    sent = await core.messaging.send(alice.id, bob.id, "See you in Paris")
    await core.messaging.edit(alice.id, sent.message.id, "See you in Marseille")
    assert (await core.message_search.search(bob.id, "paris")).hits == []
    assert len((await core.message_search.search(bob.id, "marseille")).hits) == 1


async def test_a_deleted_conversation_is_not_searched(core: Core, member: MakeMember) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    await connect(core, alice, bob)
    await core.messaging.send(bob.id, alice.id, "Budget for Q3")
    conversation_id = await core.inbox.conversation_with(alice.id, bob.id)
    await core.inbox.delete(alice.id, conversation_id)
    assert (await core.message_search.search(alice.id, "budget")).hits == []
    assert len((await core.message_search.search(bob.id, "budget")).hits) == 1  # still his
    await core.messaging.send(bob.id, alice.id, "Budget, again")
    assert [
        h.message.text for h in (await core.message_search.search(alice.id, "budget")).hits
    ] == ["Budget, again"]


async def test_pages_go_back_in_time_and_end(core: Core, member: MakeMember) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    await connect(core, alice, bob)
    for n in range(5):
        await core.messaging.send(bob.id, alice.id, f"offer {n}")
    first = await core.message_search.search(alice.id, "offer", limit=2)
    assert [h.message.text for h in first.hits] == ["offer 4", "offer 3"]
    assert first.older is not None
    second = await core.message_search.older(alice.id, first.search_id, first.older, limit=2)
    third = await core.message_search.older(alice.id, first.search_id, second.older or 0, limit=2)
    assert [h.message.text for h in second.hits + third.hits] == ["offer 2", "offer 1", "offer 0"]
    assert third.older is None
    with pytest.raises(errors.SearchExpired):  # someone else's saved search does not exist
        await core.message_search.older(bob.id, first.search_id, first.older)


async def test_names_are_masked_by_degree(core: Core, member: MakeMember) -> None:
    """An InMail's sender wrote first: they show who they are. Alice's own InMail to a
    stranger who never answered: the stranger stays masked."""
    alice, dan = await member("Alice"), await member("Dan", "Brown")
    admin = await member("Admin", telegram_id=999_000)
    await core.credits.grant(admin, alice.id, 1)
    await core.credits.send_inmail(alice.id, dan.id, "Role", "A role in Lyon")
    [seen_by_alice] = (await core.message_search.search(alice.id, "lyon")).hits
    assert seen_by_alice.other.degree == Degree.OUT and not seen_by_alice.other.named
    [seen_by_dan] = (await core.message_search.search(dan.id, "role")).hits
    assert seen_by_dan.other.named and seen_by_dan.other.name == "Alice"


@pytest.mark.parametrize("query", ["", "  ", "!!", "x" * 201])
async def test_a_query_with_nothing_to_look_for_is_refused(
    core: Core, member: MakeMember, query: str
) -> None:
    alice = await member("Alice")
    with pytest.raises((errors.EmptyQuery, errors.QueryTooLong)):
        await core.message_search.search(alice.id, query)

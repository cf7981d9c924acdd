"""Handles: made from the name, never from the Telegram username; chosen with /handle,
checked (length, characters, reserved, taken) with nothing changed on a refusal."""

from __future__ import annotations

import pytest

from bridge.core import errors
from bridge.core.app import Core
from bridge.core.awaiting import PromptKind
from bridge.core.handles import chosen_handle
from bridge.core.models import NewMember
from tests.conftest import MakeMember


async def test_handle_never_comes_from_the_telegram_username(member: MakeMember) -> None:
    alice = await member("Alice", "Martin", username="alice_tg")
    assert alice.handle == "alice"
    assert "alice_tg" not in alice.handle


async def test_a_name_that_spells_the_username_is_not_used(member: MakeMember) -> None:
    alice = await member("Alice", "Martin", username="Alice")
    bob = await member("Bob", username="bob")
    assert (alice.handle, bob.handle) == ("alicemartin", "member")


async def test_generated_handles_try_first_name_then_full_name_then_a_number(
    member: MakeMember,
) -> None:
    first = await member("Élodie", "Durand", username="elo_d")
    second = await member("Elodie", "Durand")
    third = await member("Elodie", "Durand", username="durand")
    assert [first.handle, second.handle, third.handle] == [
        "elodie",
        "elodiedurand",
        "elodiedurand_2",
    ]


async def test_a_name_with_no_ascii_letters_gets_a_member_handle(member: MakeMember) -> None:
    one, two = await member("李", "王"), await member("李", "王")
    assert (one.handle, two.handle) == ("member", "member_2")


async def test_a_chosen_handle_resolves_and_the_old_one_stops(
    core: Core, member: MakeMember
) -> None:
    alice, bob = await member("Alice", "Martin"), await member("Bob")
    chosen = await core.members.choose_handle(alice.id, "@Talent_Alice")
    assert chosen.handle == "talent_alice"
    assert (await core.members.resolve("@talent_alice")).id == alice.id
    with pytest.raises(errors.MemberNotFound):
        await core.members.resolve("@alice")
    # /find finds her by her new handle
    assert [v.id for v in (await core.network.find(bob.id, "talent_alice")).results] == [alice.id]


async def test_a_taken_handle_is_refused_and_nothing_changes(
    core: Core, member: MakeMember
) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    with pytest.raises(errors.HandleTaken):
        await core.members.choose_handle(bob.id, "alice")
    assert (await core.members.get(bob.id)).handle == "bob"
    # one's own handle is not "taken"
    assert (await core.members.choose_handle(alice.id, "ALICE")).handle == "alice"


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("ab", errors.HandleLength),
        ("a" * 33, errors.HandleLength),
        ("9lives", errors.HandleCharacters),
        ("_alice", errors.HandleCharacters),
        ("alice__m", errors.HandleCharacters),
        ("alice_", errors.HandleCharacters),
        ("ali-ce", errors.HandleCharacters),
        ("élodie", errors.HandleCharacters),
        ("<b>x</b>", errors.HandleCharacters),
        ("admin", errors.HandleReserved),
        ("@Support", errors.HandleReserved),
        ("telegram", errors.HandleReserved),
    ],
)
async def test_bad_handles_are_refused_with_their_reason(
    core: Core, member: MakeMember, text: str, error: type[errors.BridgeError]
) -> None:
    alice = await member("Alice")
    with pytest.raises(error):
        await core.members.choose_handle(alice.id, text)
    assert (await core.members.get(alice.id)).handle == "alice"


def test_a_valid_handle_is_folded() -> None:
    assert chosen_handle(" @Jean_Luc2 ") == "jean_luc2"


async def test_the_handle_button_asks_and_the_answer_sets_it_once(
    core: Core, member: MakeMember
) -> None:
    alice = await member("Alice")
    await core.prompts.ask_handle(alice.id)
    prompt = await core.prompts.pending(alice.id)
    assert prompt is not None and prompt.kind == PromptKind.HANDLE
    with pytest.raises(errors.HandleReserved):  # refused: the question stands
        await core.members.choose_handle(alice.id, "admin", answering=prompt)
    assert await core.prompts.pending(alice.id) == prompt
    await core.members.choose_handle(alice.id, "alice_hr", answering=prompt)
    assert await core.prompts.pending(alice.id) is None


async def test_placeholder_handles_are_settled_from_the_name(core: Core) -> None:
    """What migration 0012 leaves (``member__<id>`` instead of a username's handle)
    becomes a handle made from the name, and the search text loses the username."""
    ann, _ = await core.members.register(
        NewMember(telegram_id=5, first_name="Ann", username="ann_tg")
    )
    async with core.deps.store.transaction() as tx:
        placeholder = ann.model_copy(update={"handle": f"member__{ann.id}"})
        await tx.members.save(placeholder)
    assert await core.members.settle_placeholder_handles() == 1
    assert (await core.members.get(ann.id)).handle == "ann"
    assert await core.members.settle_placeholder_handles() == 0

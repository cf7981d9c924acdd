from __future__ import annotations

import pytest

from bridge.core import errors
from bridge.core.app import Core
from bridge.core.members import normalize_language, parse_handle
from bridge.core.models import NewMember
from bridge.core.prompts import PromptKind
from tests.conftest import MakeMember, connect


async def test_registering_again_welcomes_back_same_member(core: Core) -> None:
    new = NewMember(telegram_id=42, first_name="Bob", username="bob")
    first, created = await core.members.register(new)
    again, created_again = await core.members.register(new.model_copy(update={"last_name": "Ng"}))
    assert created and not created_again
    assert again.id == first.id and again.last_name == "Ng"


async def test_coming_back_marks_member_reachable(core: Core, member: MakeMember) -> None:
    bob = await member("Bob", telegram_id=77)
    await core.members.set_reachable(bob.id, False)
    again, _ = await core.members.register(NewMember(telegram_id=77, first_name="Bob"))
    assert again.reachable


def test_parse_handle_accepts_at_and_case() -> None:
    assert parse_handle(" @Alice_M ") == "alice_m"


@pytest.mark.parametrize("text", ["", "@", "a b", "<b>x</b>", "x" * 40, "ali;ce"])
def test_parse_handle_rejects_what_cannot_be_a_handle(text: str) -> None:
    with pytest.raises(errors.InvalidHandle):
        parse_handle(text)


def test_language_follows_telegram_code_with_fallback() -> None:
    assert normalize_language("fr-CA", "en") == "fr"
    assert normalize_language("de", "en") == "en"
    assert normalize_language(None, "fr") == "fr"


async def test_resolve_unknown_handle_is_member_not_found(core: Core) -> None:
    with pytest.raises(errors.MemberNotFound):
        await core.members.resolve("@nobody")


async def test_edit_profile_fields_and_limits(core: Core, member: MakeMember) -> None:
    alice = await member("Alice")
    updated = await core.members.edit_profile(alice.id, "Headline", "  Recruiter at Acme  ")
    assert updated.headline == "Recruiter at Acme"
    await core.members.edit_profile(alice.id, "headline", "x" * 220)
    with pytest.raises(errors.ProfileFieldTooLong) as too_long:
        await core.members.edit_profile(alice.id, "headline", "x" * 221)
    assert too_long.value.params["limit"] == 220
    await core.members.edit_profile(alice.id, "about", "y" * 2600)
    with pytest.raises(errors.ProfileFieldTooLong):
        await core.members.edit_profile(alice.id, "about", "y" * 2601)
    with pytest.raises(errors.UnknownProfileField):
        await core.members.edit_profile(alice.id, "salary", "lots")


async def test_settings_validate_their_values(core: Core, member: MakeMember) -> None:
    alice = await member("Alice")
    assert (await core.members.set_language(alice.id, "FR")).language == "fr"
    with pytest.raises(errors.InvalidSetting):
        await core.members.set_language(alice.id, "de")
    with pytest.raises(errors.InvalidSetting):
        await core.members.set_invite_policy(alice.id, "nobody")
    assert (await core.members.set_inmail_opt_out(alice.id, True)).inmail_opt_out


async def test_blocking_removes_connection_and_stops_contact(
    core: Core, member: MakeMember
) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    await connect(core, alice, bob)
    await core.members.block(alice.id, bob.id)
    assert core.network.degree(alice.id, bob.id).name == "OUT"
    with pytest.raises(errors.TheyBlockedYou):
        await core.messaging.send(bob.id, alice.id, "hi")
    with pytest.raises(errors.YouBlockedThem):
        await core.invitations.invite(alice.id, bob.id, None)
    with pytest.raises(errors.AlreadyBlocked):
        await core.members.block(alice.id, bob.id)
    await core.members.unblock(alice.id, bob.id)
    with pytest.raises(errors.NotBlocked):
        await core.members.unblock(alice.id, bob.id)


async def test_blocking_yourself_is_refused(core: Core, member: MakeMember) -> None:
    alice = await member("Alice")
    with pytest.raises(errors.CannotTargetSelf):
        await core.members.block(alice.id, alice.id)


async def test_blocking_closes_pending_invitations(core: Core, member: MakeMember) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    await core.invitations.invite(bob.id, alice.id, "hello")
    await core.members.block(alice.id, bob.id)
    assert await core.invitations.received(alice.id) == []


async def test_french_field_names_are_accepted(core: Core, member: MakeMember) -> None:
    alice = await member("Alice")
    edited = await core.members.edit_profile(alice.id, "Titre", "Responsable produit")
    assert edited.headline == "Responsable produit"
    assert (await core.members.edit_profile(alice.id, "infos", "Dix ans")).about == "Dix ans"
    with pytest.raises(errors.UnknownProfileField):
        await core.members.edit_profile(alice.id, "salaire", "100k")


async def test_a_prompt_is_kept_in_the_database_and_answered_once(
    core: Core, member: MakeMember
) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    await core.prompts.ask_note(alice.id, bob.id)
    assert (await core.members.get(alice.id)).awaiting == f"note:{bob.id}"
    prompt = await core.prompts.pending(alice.id)
    assert prompt is not None and prompt.target_id == bob.id
    with pytest.raises(errors.NoteTooLong):  # refused: the question stands
        await core.invitations.invite(alice.id, bob.id, "x" * 1000, answering=prompt)
    assert await core.prompts.pending(alice.id) == prompt
    await core.invitations.invite(alice.id, bob.id, "Hello", answering=prompt)
    assert await core.prompts.pending(alice.id) is None  # used once, with the invitation
    asked = await core.prompts.ask_field(alice.id, "secteur")
    assert (asked.field, asked.limit, asked.current) == ("industry", 100, "")
    await core.messaging.close(alice.id)  # /close cancels it
    assert await core.prompts.pending(alice.id) is None
    field = (await core.prompts.ask_field(alice.id, "headline")).field
    prompt = await core.prompts.pending(alice.id)
    edited = await core.members.edit_profile(alice.id, field, "Engineer", answering=prompt)
    assert edited.headline == "Engineer" and edited.awaiting is None
    with pytest.raises(errors.UnknownProfileField):
        await core.prompts.ask_field(alice.id, "salary")
    with pytest.raises(errors.CannotTargetSelf):
        await core.prompts.ask_note(alice.id, alice.id)


async def test_an_inmail_draft_is_asked_only_when_it_can_go_and_ends_with_it(
    core: Core, member: MakeMember
) -> None:
    alice, bob = await member("Alice"), await member("Bob")
    with pytest.raises(errors.NoCredits):  # not led to write an InMail that can't go
        await core.prompts.ask_inmail(alice.id, bob.id)
    assert await core.prompts.pending(alice.id) is None
    await core.credits.purchase(alice.id, 2, "test")
    view = await core.prompts.ask_inmail(alice.id, bob.id)
    assert view.id == bob.id and not view.named  # out of network: as the card showed them
    prompt = await core.prompts.pending(alice.id)
    assert prompt is not None and prompt.kind == PromptKind.INMAIL
    with pytest.raises(errors.EmptySubject):  # refused: nothing spent, nothing ended
        await core.credits.send_inmail(alice.id, bob.id, " ", "Hi", answering=prompt)
    assert (await core.members.get(alice.id)).credits == 2
    delivery = await core.credits.send_inmail(alice.id, bob.id, "Role", "Hi", answering=prompt)
    assert delivery.sender.credits == 1
    assert await core.prompts.pending(alice.id) is None
    await core.prompts.ask_note(alice.id, bob.id)  # one question at a time: it replaces
    assert (await core.prompts.pending(alice.id)).kind == PromptKind.NOTE

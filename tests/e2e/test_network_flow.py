"""The core journeys of the network, through the real bot over the Bot API protocol."""

from __future__ import annotations

from bridge.core.models import NewMember
from tests.e2e.conftest import World, start_all


async def test_invite_with_note_accept_message_and_voice_reply(world: World) -> None:
    alice, bob = world.alice, world.bob
    await start_all(alice, bob)
    await alice.send_text("/invite @bob Hi Bob, we met at VivaTech")
    await alice.wait_for_text("Invitation sent to @bob")
    invitation = await bob.wait_for_text("Invitation")
    assert "Alice Martin" in invitation.content
    assert "Hi Bob, we met at VivaTech" in invitation.content
    await bob.press_button(invitation, "Accept")
    await bob.wait_for_text("You are now connected with Alice Martin")
    await alice.wait_for_text("Bob Durand accepted your invitation")

    await alice.send_text("/msg @bob Are you hiring in Lyon?")
    relayed = await bob.wait_for_text("Are you hiring in Lyon?")
    assert "Alice Martin" in relayed.content and "1st" in relayed.content
    await bob.send_voice(duration=42, reply_to=relayed.message_id)
    voice = await alice.wait_for_kind("voice")
    assert voice.duration == 42
    assert "Bob Durand" in (voice.caption or "")
    assert world.server.rejected == []


async def test_find_pages_folds_accents_and_matches_word_forms(world: World) -> None:
    alice = world.alice
    await start_all(alice)
    core = world.bot.core
    for i in range(23):  # members who never opened a chat: made through the core
        member, _ = await core.members.register(
            NewMember(
                telegram_id=9_000_000 + i,
                first_name="Élodie",
                last_name=f"Durand{i:02d}",
                language="fr",
            )
        )
        await core.members.edit_profile(member.id, "headline", f"Recruteuse n°{i:02d}")
        await core.members.edit_profile(member.id, "location", "Paris")
    engineer, _ = await core.members.register(
        NewMember(telegram_id=9_000_100, first_name="Anaïs", last_name="Roussel", language="fr")
    )
    await core.members.edit_profile(engineer.id, "headline", "Ingénieure logiciel")

    # The bot's own French example: "recruteur" finds the Recruteuses of Paris, 10 a page.
    await alice.send_text("/find recruteur Paris")
    results = await alice.wait_for_text("23 members")
    assert "1–10" in results.content

    def listed() -> list[str]:
        return [line for line in results.content.splitlines() if line.startswith("•")]

    assert len(listed()) == 10 and all("Recruteuse" in line for line in listed())
    first_page = listed()
    await alice.press_button(results, "▶")
    await alice.wait_for(lambda chat: "11–20" in results.content)  # edited in place
    assert len(listed()) == 10 and not set(listed()) & set(first_page)
    await alice.press_button(results, "▶")
    await alice.wait_for(lambda chat: "21–23" in results.content)
    assert len(listed()) == 3
    assert not any("▶" in b["text"] for b in results.buttons())
    await alice.press_button(results, "◀")
    await alice.wait_for(lambda chat: "11–20" in results.content)

    # Accents and case fold both ways; a word matches the start of a word.
    await alice.send_text("/find ingenieur")
    found = await alice.wait_for_text("1 member for")
    assert "Ingénieure logiciel" in found.content
    await alice.send_text("/find INGÉNIEUR")
    await alice.wait_for_text("1 member for")
    await alice.send_text("/find élodie durand0")
    await alice.wait_for_text("10 members for")
    await alice.send_text("/find recrut")
    await alice.wait_for_text("23 members for")
    assert world.server.rejected == []

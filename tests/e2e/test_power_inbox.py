"""Issue 15, organizing the inbox: tags (commands and the conversation card's toggles),
private notes, and the profile preview beside each relayed message — what each user's chat
shows, and that the Bot API server refused no request."""

from __future__ import annotations

from botapi_sandbox.state import ChatMessage
from botapi_sandbox.users import SimUser
from tests.e2e.conftest import World, connect, start_all


async def open_card(user: SimUser, entry: str, button: str) -> ChatMessage:
    """/inbox, then the entry naming `entry`: the page becomes that conversation's card
    (edited in place); returned once it shows a button labelled with `button`."""
    await user.send_text("/inbox")
    page = await user.wait_for_text("Inbox")
    await user.press_button(page, entry)
    await user.wait_for(lambda chat: any(button in b["text"] for b in page.buttons()))
    return page


async def test_tags_from_commands_and_the_card_stay_private(world: World) -> None:
    alice, bob, carol = world.alice, world.bob, world.carol
    await start_all(alice, bob, carol)
    await connect(alice, bob, "bob")
    await alice.send_text("/tag @bob 🟢 candidate lyon")
    tagged = await alice.wait_for_text("🏷")
    assert "Bob Durand" in tagged.content and "🟢 candidate" in tagged.content
    assert "lyon" in tagged.content
    await alice.send_text("/tag @carol #Candidate")
    await alice.wait_for_text("@carol")
    await alice.send_text("/tags")
    listing = await alice.wait_for_text("Your tags")
    assert "🟢 candidate — 2 contacts" in listing.content and "lyon — 1 contact" in listing.content
    await bob.send_text("/tags")  # private: Bob has none of Alice's
    await bob.wait_for_text("No tags yet")
    await alice.send_text("/tag @bob not!a-tag")
    await alice.wait_for_text("“not!a-tag” is not a tag")
    await alice.send_text("/untag @carol vip")
    await alice.wait_for_text("has no tag “vip”. Nothing changed.")
    await alice.send_text("/tag @bob")
    await alice.wait_for_text("Usage: /tag @handle")

    # The card's 🏷 Tags: every tag a toggle on Bob, the page edited in place.
    await bob.send_text("/msg @alice Hello Alice")
    await alice.wait_for_text("Hello Alice")
    page = await open_card(alice, "Bob Durand", "Tags")
    await alice.press_button(page, "🏷 Tags")
    await alice.wait_for(lambda chat: "Tags on Bob Durand" in page.content)
    labels = [b["text"] for b in page.buttons()]
    assert "✅ 🟢 candidate" in labels and any(label.endswith(" lyon") for label in labels)
    answer = await alice.press_button(page, "candidate")
    assert answer is not None and answer.get("text") == "Untagged candidate"
    await alice.wait_for(lambda chat: "🟢 candidate" in [b["text"] for b in page.buttons()])
    await alice.press_button(page, "⬅️ Conversation")
    await alice.wait_for(lambda chat: "Hello Alice" in page.content)
    await alice.send_text("/tags")
    listing = await alice.wait_for_text("Your tags")
    assert "🟢 candidate — 1 contact" in listing.content
    await alice.press_button(listing, "🟢 candidate")  # the inbox, filtered by the tag, in place
    await alice.wait_for(lambda chat: "🔎" in listing.content)
    filtered = listing
    # Only Carol carries it now, and Alice has no conversation with her.
    assert "#candidate" in filtered.content and "0 conversations match" in filtered.content
    assert world.server.rejected == []


async def test_a_note_shows_beside_their_messages_and_on_their_profile(world: World) -> None:
    alice, bob = world.alice, world.bob
    await start_all(alice, bob)
    await connect(alice, bob, "bob")
    await alice.send_text("/note @bob")
    await alice.wait_for_text("Bob Durand: no note yet.")
    await bob.send_text("/edit location Nantes")
    await bob.wait_for_text("saved")
    await alice.send_text("/note @bob Met at VivaTech <3\nWants a lead role, 60k")
    await alice.wait_for_text("Note on Bob Durand saved")
    await alice.send_text("/note @bob")
    shown = await alice.wait_for_text("Your note on Bob Durand")
    assert "Met at VivaTech <3\nWants a lead role, 60k" in shown.content
    await alice.send_text("/tag @bob candidate")
    await alice.wait_for_text("🏷")
    await bob.send_text("/msg @alice Are you hiring?")
    relayed = await alice.wait_for_text("Are you hiring?")
    # The preview: location, tags and the note's first line (only), never shown to Bob.
    assert "📍 Nantes" in relayed.content and "candidate" in relayed.content
    assert "Met at VivaTech <3" in relayed.content and "60k" not in relayed.content
    assert not [m for m in bob.chat if m.from_bot and "VivaTech" in m.content]
    await alice.press_button(relayed, "👤 Profile")
    card = await alice.wait_for_text("👤 Bob Durand")
    assert "Met at VivaTech" in card.content and "candidate" in card.content
    await alice.send_text("/note @bob " + "x" * 1001)
    await alice.wait_for_text("Your note is 1001 characters; a note holds at most 1000")
    await alice.send_text("/note @bob -")
    await alice.wait_for_text("Cleared your note on Bob Durand.")
    # From a conversation card: 📝 Note asks, the next text is the note (once).
    page = await open_card(alice, "Bob Durand", "Note")
    assert "📍 Nantes" in page.content and "candidate" in page.content
    await alice.press_button(page, "📝 Note")
    await alice.wait_for_text("Send your private note on Bob Durand")
    await alice.send_text("Call him back in March")
    await alice.wait_for_text("Note on Bob Durand saved")
    await alice.send_text("/note @bob")
    await alice.wait_for_text("Call him back in March")
    await alice.send_text("just text, no question pending")
    await alice.wait_for_text("Who is this for?")  # the question was used once
    assert world.server.rejected == []


async def test_the_preview_counts_mutual_connections_and_open_shows_it(world: World) -> None:
    alice, bob, carol = world.alice, world.bob, world.carol
    await start_all(alice, bob, carol)
    await connect(alice, bob, "bob")
    await connect(bob, carol, "carol")
    await connect(alice, carol, "carol")
    await alice.send_text("/note @carol Prefers mornings")
    await alice.wait_for_text("saved")
    await carol.send_text("/msg @alice Coffee?")
    relayed = await alice.wait_for_text("Coffee?")
    assert "👥 1 mutual connection" in relayed.content and "Prefers mornings" in relayed.content
    await alice.send_text("/open @carol")
    opened = await alice.wait_for_text("Everything you send now goes to")
    assert "👥 1 mutual connection" in opened.content and "Prefers mornings" in opened.content
    # An edit keeps the message's 👤 Profile button.
    sent = next(m for m in carol.chat if not m.from_bot and m.content == "/msg @alice Coffee?")
    await carol.edit_text(sent.message_id, "/msg @alice Coffee at 10?")
    await alice.wait_for(lambda chat: "Coffee at 10?" in relayed.content)
    assert any("Profile" in b["text"] for b in relayed.buttons())
    assert world.server.rejected == []


async def test_smart_filters_from_the_command_and_the_page_buttons(world: World) -> None:
    alice, bob, carol = world.alice, world.bob, world.carol
    await start_all(alice, bob, carol)
    await connect(alice, bob, "bob")
    await connect(alice, carol, "carol")
    await bob.send_text("/msg @alice Any update on the role?")
    await alice.wait_for_text("Any update on the role?")
    monday = await alice.send_text("/msg @carol Shall we talk on Monday?")
    await alice.wait_for_reaction(monday, "👌")
    await alice.send_text("/tag @bob candidate")
    await alice.wait_for_text("🏷")
    await alice.send_text("/inbox awaiting #candidate")
    page = await alice.wait_for_text("Inbox")
    assert "awaiting your answer · " in page.content and "#candidate" in page.content
    assert "1 conversation matches" in page.content
    assert "1 unread message from 1 person" in page.content
    assert "Bob Durand" in page.content and "Carol Nguyen" not in page.content
    # The quick buttons: waiting for theirs (3 days by default): Carol's is too recent.
    await alice.press_button(page, "Waiting for theirs")
    await alice.wait_for(lambda chat: "0 conversations match" in page.content)
    assert "waiting for theirs (3+ days)" in page.content and "Bob Durand" not in page.content
    await alice.press_button(page, "Awaiting my answer")
    await alice.wait_for(lambda chat: "awaiting your answer" in page.content)
    assert "Bob Durand" in page.content and "1 conversation matches" in page.content
    await alice.press_button(page, "All")  # a plain filter: the conditions go
    await alice.wait_for(lambda chat: "conversation matches" not in page.content)
    assert "Carol Nguyen" in page.content
    await alice.send_text("/inbox waiting 0d")
    await alice.wait_for_text("“0d” is not an inbox filter")
    await alice.send_text("/inbox #nobody")
    await alice.wait_for_text("You have no tag “nobody”")
    await alice.send_text("/inbox 2nd")
    await alice.wait_for_text("0 conversations match")
    assert world.server.rejected == []


async def test_the_sales_mailbox_keeps_prospecting_apart(world: World) -> None:
    alice, bob, carol, admin = world.alice, world.bob, world.carol, world.admin
    await start_all(alice, bob, carol, admin)
    await admin.send_text("/plan @alice sales_navigator")
    await admin.wait_for_text("@alice")
    await connect(bob, carol, "carol")  # Bob is Alice's 2nd degree: named in her inbox
    await connect(carol, alice, "alice")  # Carol started it: Alice's main inbox
    await carol.send_text("/msg @alice Lunch on Friday?")
    await alice.wait_for_text("Lunch on Friday?")
    await alice.send_text("/invite @bob Hello Bob, a quick demo of our tool?")
    await bob.wait_for_text("a quick demo of our tool?")
    await bob.send_text("/inbox")  # the other side: an ordinary conversation
    theirs = await bob.wait_for_text("Inbox")
    assert "Alice Martin" in theirs.content

    await alice.send_text("/inbox")
    main = await alice.wait_for_text("Inbox")
    assert "Carol Nguyen" in main.content and "Bob Durand" not in main.content
    assert any("Sales" in b["text"] for b in main.buttons())
    await alice.press_button(main, "💼 Sales")
    await alice.wait_for(lambda chat: "Bob Durand" in main.content)
    assert "Carol Nguyen" not in main.content
    await alice.press_button(main, "Bob Durand")
    await alice.wait_for(lambda chat: "sales mailbox" in main.content)
    await alice.press_button(main, "Move to main inbox")
    await alice.wait_for(lambda chat: "sales mailbox" not in main.content)
    await alice.send_text("/move @bob sales")
    await alice.wait_for_text("Moved to your sales mailbox: Bob Durand")

    await bob.send_text("/accept @alice")
    await bob.wait_for_text("connected")
    await bob.send_text("/msg @alice Sure, Tuesday?")
    await alice.wait_for_text("Sure, Tuesday?")
    await alice.send_text("/digest")
    digest = await alice.wait_for_text("📬")
    assert "Sales mailbox: 1 unread message from 1 person" in digest.content
    assert "Lunch on Friday?" in digest.content and "Sure, Tuesday?" not in digest.content

    await carol.send_text("/move @alice sales")
    await carol.wait_for_text("comes with the Sales Navigator and Recruiter plans")
    await carol.send_text("/inbox sales")
    await carol.wait_for_text("comes with the Sales Navigator and Recruiter plans")
    await alice.send_text("/move @carol elsewhere")
    await alice.wait_for_text("Usage: /move @handle sales|main")
    assert world.server.rejected == []


async def test_saved_leads_from_commands_the_profile_card_and_the_list(world: World) -> None:
    alice, bob, carol = world.alice, world.bob, world.carol
    await start_all(alice, bob, carol)
    await connect(alice, bob, "bob")
    await alice.send_text("/msg @bob Would a demo help?")
    await bob.wait_for_text("Would a demo help?")
    await bob.send_text("/msg @alice Yes please")
    await alice.wait_for_text("Yes please")
    await alice.send_text("/save @bob Q1-designers")
    await alice.wait_for_text("Bob Durand is saved in your leads (q1-designers).")
    await alice.send_text("/profile @carol")
    card = await alice.wait_for_text("👤")
    answer = await alice.press_button(card, "Save lead")
    assert answer is not None and answer.get("text") == "⭐ Saved in your leads (leads)"
    await alice.send_text("/leads")
    listing = await alice.wait_for_text("Your leads")
    assert "Bob Durand · 1st · q1-designers\n   last contact just now" in listing.content
    assert "✅ answered" in listing.content
    assert "never contacted · ⏳ no answer yet" in listing.content
    await alice.send_text("/leads q1-designers")
    mine = await alice.wait_for_text("Your leads · q1-designers")
    assert "Bob Durand" in mine.content and "@carol" not in mine.content
    await alice.press_button(listing, "✖️ Bob Durand")
    await alice.wait_for(lambda chat: "Bob Durand" not in listing.content)
    await alice.send_text("/unsave @bob")
    await alice.wait_for_text("This member is not in your leads. Nothing changed.")
    await alice.send_text("/save @bob two words!")
    await alice.wait_for_text("is not a list name")
    assert world.server.rejected == []


async def test_the_invitation_allowance_shows_before_it_bites(world: World) -> None:
    alice, bob = world.alice, world.bob
    await start_all(alice, bob)
    await alice.send_text("/invite @bob")
    sent = await alice.wait_for_text("Invitation sent")
    assert "99 invitations left this week (of 100)." in sent.content
    await alice.send_text("/settings")
    settings = await alice.wait_for_text("Settings")
    assert "99 invitations left this week" in settings.content
    await alice.send_text("/profile")
    own = await alice.wait_for_text("👤")
    assert "99 invitations left this week" in own.content
    await alice.send_text("/withdraw @bob")
    await alice.wait_for_text("withdrawn")
    await alice.send_text("/profile @bob")
    card = await alice.wait_for_text("👤")
    assert "You can invite them again after" in card.content
    assert world.server.rejected == []


async def test_a_chip_accepts_and_answers_in_one_tap_once(world: World) -> None:
    alice, bob = world.alice, world.bob
    await start_all(alice, bob)
    await alice.send_text("/invite @bob Hello Bob, shall we connect?")
    invitation = await bob.wait_for_text("Invitation from Alice Martin")
    chip = next(b["callback_data"] for b in invitation.buttons() if "Let's talk." in b["text"])
    first = await bob.press_nowait(invitation.message_id, chip)
    second = await bob.press_nowait(invitation.message_id, chip, force=True)  # a double tap
    answers = [await bob.wait_answer(q, timeout=10) for q in (first, second)]
    assert answers[0] is not None and not answers[0].get("show_alert")
    assert answers[1] is not None and "already answered" in answers[1]["text"]
    await alice.wait_for_text("accepted your invitation")
    said = await alice.wait_for_text("Let's talk.")
    assert "Bob Durand" in said.content
    await bob.wait_idle(0.5)
    await alice.wait_idle(0.5)
    assert len([m for m in alice.chat if m.from_bot and "Let's talk." in m.content]) == 1
    assert world.server.rejected == []


async def test_media_carry_the_profile_button_too_edits_included(world: World) -> None:
    alice, bob = world.alice, world.bob
    await start_all(alice, bob)
    await connect(alice, bob, "bob")
    await alice.send_text("/open @bob")
    await alice.wait_for_text("Everything you send now goes to Bob Durand")
    sent = await alice.send_photo(caption="Our booth")
    photo = await bob.wait_for_kind("photo")
    assert [b["text"] for b in photo.buttons()] == ["👤 Profile"]
    await alice.edit_text(sent.message_id, "Our booth, hall 2")  # its caption
    await bob.wait_for(lambda chat: "hall 2" in (photo.caption or ""))
    assert [b["text"] for b in photo.buttons()] == ["👤 Profile"]
    await alice.send_video_note(duration=7, length=240)
    note = await bob.wait_for_kind("video_note")
    assert [b["text"] for b in note.buttons()] == ["👤 Profile"]
    await bob.press_button(note, "Profile")
    await bob.wait_for_text("👤 Alice Martin")
    assert world.server.rejected == []


async def test_the_power_inbox_speaks_french(world: World) -> None:
    chloe = world.server.add_user("Chloé", "Dubois", username="chloe_tg", language_code="fr")
    alice = world.alice
    await chloe.send_text("/start")
    await chloe.wait_for_text("Bienvenue sur Bridge, Chloé")
    await alice.send_text("/start")
    await alice.wait_for_text("Welcome")
    await alice.send_text("/invite @chloe Bonjour Chloé !")
    invitation = await chloe.wait_for_text("Invitation d'Alice Martin")
    await chloe.press_button(invitation, "Parlons-en.")  # accepts, and says it
    await alice.wait_for_text("Parlons-en.")
    await chloe.send_text("/tag @alice candidate")
    await chloe.wait_for_text("🏷 Alice Martin (@alice)")
    await chloe.send_text("/tags")
    tags = await chloe.wait_for_text("Vos étiquettes")
    assert "candidate — 1 contact" in tags.content
    await chloe.send_text("/note @alice Rencontrée au salon")
    await chloe.wait_for_text("Note sur Alice Martin enregistrée")
    await alice.send_text("/msg @chloe Un café demain ?")
    relayed = await chloe.wait_for_text("Un café demain ?")
    assert "Rencontrée au salon" in relayed.content
    assert any(b["text"] == "👤 Profil" for b in relayed.buttons())
    await chloe.send_text("/inbox awaiting")
    page = await chloe.wait_for_text("Messagerie")
    assert "à vous de répondre" in page.content and "1 conversation correspond" in page.content
    await chloe.send_text("/remind @alice 2d")
    await chloe.wait_for_text("Je ferai revenir votre conversation avec Alice Martin")
    await chloe.send_text("/save @alice")
    await chloe.wait_for_text("Alice Martin est enregistré·e dans vos prospects (leads).")
    await chloe.send_text("/inbox n'importe")
    await chloe.wait_for_text("n'est pas un filtre de la messagerie")
    assert world.server.rejected == []

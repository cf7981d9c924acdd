"""Templates end to end: saved with /template, listed with Use / Delete buttons, sent with
``#name`` by /invite, /msg and /inmail — rendered for each recipient as the sender may see
them — and refused, with what is wrong, when they reach for more."""

from __future__ import annotations

from tests.e2e.conftest import World, connect, start_all

INTRO = "Hi {{ first_name }}, {{ my_first_name }} from {{ my_company }} here. Let's connect!"


async def test_templates_for_invitations_and_messages(world: World) -> None:
    alice, bob, carol, dave = world.alice, world.bob, world.carol, world.dave
    await start_all(alice, bob, carol, dave)
    await alice.send_text("/edit company Acme")
    await alice.wait_for_text("company is saved")
    await alice.send_text(f"/template save intro {INTRO}")
    saved = await alice.wait_for_text("Template #intro saved")
    assert "/invite @handle #intro" in saved.content

    await connect(alice, carol, "carol")
    await connect(carol, dave, "dave")
    sent = await alice.send_text("/msg @carol #intro")
    copy = await carol.wait_for_text("Hi Carol, Alice from Acme here. Let's connect!")
    await alice.send_text("/template save thanks Thank you, {{ first_name }}!")
    await alice.wait_for_text("Template #thanks saved")
    await alice.edit_text(sent.message_id, "/msg @carol #thanks")  # the edit is rendered too
    await carol.wait_for(lambda _: (m := carol.message(copy.message_id)) and m.edited)
    edited = carol.message(copy.message_id)
    assert edited is not None and edited.content.endswith("Thank you, Carol!")
    await alice.send_text("/invite @dave #intro")  # 2nd degree: the first name is known
    await alice.wait_for_text("Invitation sent")
    invitation = await dave.wait_for_text("Invitation from")
    assert "Hi Dave, Alice from Acme here. Let's connect!" in invitation.content

    # Bob is out of Alice's network: his name is hidden from her, so is any template with it.
    await alice.send_text("/invite @bob #intro")
    hidden = await alice.wait_for_text("degree hides")
    assert "first_name" in hidden.content and "Bob" not in hidden.content
    assert not [t for t in bob.texts() if "Invitation from" in t]

    await alice.send_text(
        "/template save long " + "x" * 290 + " {{ my_first_name }} {{ my_company }}"
    )
    await alice.wait_for_text("Template #long saved")
    await alice.send_text("/invite @bob #long")
    too_long = await alice.wait_for_text("over the limit")
    assert "301 characters" in too_long.content and "1 over the limit of 300" in too_long.content

    await alice.send_text("/template save bad Hi {{ first_name.__class__ }}")
    refused = await alice.wait_for_text("can't use")
    assert "first_name.__class__" in refused.content and "my_company" in refused.content
    await alice.send_text("/msg @carol #nothing")
    await alice.wait_for_text("You have no template #nothing")
    assert world.server.rejected == []


async def test_template_buttons(world: World) -> None:
    alice = world.alice
    await start_all(alice)
    await alice.send_text("/template save intro Hello {{ first_name }}")
    await alice.wait_for_text("saved")
    await alice.send_text("/template save thanks Thank you, {{ first_name }}!")
    await alice.wait_for_text("saved")
    await alice.send_text("/templates")
    listing = await alice.wait_for_text("Your templates")
    assert "#intro — Hello {{ first_name }}" in listing.content
    await alice.press_button(listing, "#thanks")
    use = await alice.wait_for_text("/msg @handle #thanks")
    assert "Thank you, {{ first_name }}!" in use.content
    delete = next(b for b in listing.buttons() if b["callback_data"].startswith("tx:intro"))
    answer = await alice.press(listing.message_id, delete["callback_data"])
    assert answer is not None and "Template #intro deleted" in answer["text"]
    shown = alice.message(listing.message_id)
    assert shown is not None and "#intro" not in shown.content and "#thanks" in shown.content
    await alice.send_text("/template delete intro")
    await alice.wait_for_text("You have no template #intro")
    await alice.send_text("/template delete thanks")
    await alice.wait_for_text("Template #thanks deleted")
    assert world.server.rejected == []


async def test_templates_in_french(world: World) -> None:
    chloe = world.server.add_user("Chloé", "Dubois", username="chloe_tg", language_code="fr")
    await chloe.send_text("/start")
    await chloe.wait_for_text("Bienvenue")
    await chloe.send_text("/template enregistrer salut Bonjour {{ first_name }}")
    await chloe.wait_for_text("Modèle #salut enregistré")
    await chloe.send_text("/templates")
    await chloe.wait_for_text("Vos modèles")
    await chloe.send_text("/template enregistrer x {{ nom }}")
    await chloe.wait_for_text("Un modèle ne peut pas utiliser « nom »")

"""/card through the local Bot API server: a photo whose QR code reads back as the member's
profile link, and that link (/start p_<handle>) opens the profile with its Invite button."""

from __future__ import annotations

import io

import zxingcpp
from PIL import Image

from botapi_sandbox.state import ChatMessage
from botapi_sandbox.users import SimUser
from tests.e2e.conftest import World, start_all


async def photo_after(user: SimUser, needle: str) -> ChatMessage:
    """The bot's next photo whose caption holds `needle`."""
    return await user.wait_for(
        lambda chat: next(
            (m for m in chat if m.from_bot and m.kind == "photo" and needle in m.content), None
        )
    )


def picture(world: World, message: ChatMessage) -> Image.Image:
    assert message.file_id is not None
    return Image.open(io.BytesIO(world.server.files[message.file_id].data))


async def test_card_is_a_photo_whose_qr_opens_the_profile_to_connect(world: World) -> None:
    alice, bob = world.alice, world.bob
    await start_all(alice, bob)
    await alice.send_text("/edit headline Head of Talent")
    await alice.wait_for_text("Your headline is saved")
    await alice.send_text("/card")
    card = await photo_after(alice, "Your business card")
    link = "https://t.me/bridge_test_bot?start=p_alice"
    assert link in card.content
    image = picture(world, card)
    assert image.format == "PNG" and image.width > image.height
    assert [code.text for code in zxingcpp.read_barcodes(image)] == [link]

    await bob.send_text("/start p_alice")  # what scanning the card does
    # Out of Bob's network: masked as everywhere (the card itself shows her name).
    profile = await bob.wait_for_text("Head of Talent")
    assert "🤝 Invite" in [b["text"] for b in profile.buttons()]
    await bob.press_button(profile, "Invite")
    ask = await bob.wait_for_text("Add a note?")
    await bob.press_button(ask, "Send without a note")
    await alice.wait_for_text("Invitation from Bob Durand")
    assert world.server.rejected == []


async def test_card_in_french(world: World) -> None:
    alice = world.alice
    await start_all(alice)
    await alice.send_text("/lang fr")
    await alice.wait_for_text("français")
    await alice.send_text("/card")
    card = await photo_after(alice, "Votre carte de visite")
    codes = zxingcpp.read_barcodes(picture(world, card))
    assert [code.text for code in codes] == ["https://t.me/bridge_test_bot?start=p_alice"]
    assert world.server.rejected == []

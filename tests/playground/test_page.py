"""The playground page in a real headless browser (Debian's Chromium through Playwright):
two users join, invite, accept, message and answer with a voice note, all by clicking and
typing in the page, against the real bot and the sandbox Bot API server."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import struct
import zlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bridge.config import Settings
from bridge.playground import Playground, UserSpec
from tests.conftest import NO_BROWSER

CHROMIUM = os.environ.get("PLAYGROUND_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The README shows this screenshot; the test refreshes it when asked to
# (UPDATE_SCREENSHOT=1), and otherwise writes it beside the test's own files.
README_SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "playground.png"
TIMEOUT_MS = 15_000

# CI installs Chromium (.ci/run) and sets CI=1: there a missing browser fails the run.
# Elsewhere the test is skipped, and tests/conftest.py says so in pytest's summary.
pytestmark = pytest.mark.skipif(
    shutil.which(CHROMIUM) is None and not os.environ.get("CI"),
    reason=f"{NO_BROWSER} {CHROMIUM} is missing (Debian: apt install chromium)",
)


@pytest.fixture
async def playground(tmp_path: Path) -> AsyncIterator[Playground]:
    settings = Settings(_env_file=None, database_url=f"sqlite:///{tmp_path}/unused.db")
    users = [UserSpec("Alice", "Martin", "alice", "en"), UserSpec("Bob", "Durand", "bob", "en")]
    server = Playground(
        settings,
        port=0,
        database_url=f"sqlite:///{tmp_path}/playground.db",
        users=users,
        poll_timeout=1,
    )
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


async def test_two_users_invite_accept_message_and_voice_reply(
    playground: Playground, tmp_path: Path
) -> None:
    from playwright.async_api import async_playwright, expect

    expect.set_options(timeout=TIMEOUT_MS)
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = await browser.new_page(viewport={"width": 1440, "height": 900})
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            await page.goto(playground.url)

            alice = page.locator('.column[data-username="alice"]')
            bob = page.locator('.column[data-username="bob"]')
            await expect(alice).to_be_visible()
            await expect(bob).to_be_visible()

            async def say(column, text: str) -> None:
                box = column.locator("textarea.input")
                await box.fill(text)
                await box.press("Enter")

            def bot_says(column, text: str | re.Pattern[str]):
                return column.locator(".msg.from-bot .bubble").filter(has_text=text)

            # A third user through the "Add user" form: a new column appears.
            form = page.locator("#add-user")
            await form.locator('input[name="first_name"]').fill("Chloé")
            await form.locator('input[name="last_name"]').fill("Dubois")
            await form.locator('select[name="language_code"]').select_option("fr")
            await form.locator('button[type="submit"]').click()
            chloe = page.locator('.column[data-username="chloe_dubois"]')
            await expect(chloe).to_be_visible()

            for column in (alice, bob):
                await say(column, "/start")
            await expect(bot_says(alice, "Welcome").first).to_be_visible()
            await expect(bot_says(bob, "Welcome").first).to_be_visible()
            await expect(alice.locator(".msg.from-me").first).to_contain_text("/start")

            await say(alice, "/invite @bobdurand Hello from the playground")
            invitation = bob.locator(".msg.from-bot").filter(has_text="Hello from the playground")
            accept = invitation.locator(".kb-btn").filter(has_text=re.compile("Accept"))
            await expect(accept).to_be_visible()
            await accept.click()
            await expect(bot_says(bob, "connected").first).to_be_visible()

            await say(alice, "/msg @bobdurand Are you hiring in Lyon?")
            relayed = bob.locator(".msg.from-bot").filter(has_text="Are you hiring in Lyon?")
            await expect(relayed).to_be_visible()

            # Bob answers with a voice note, as a reply to the relayed message.
            await relayed.hover()
            await relayed.locator(".act-reply").click()
            await expect(bob.locator(".reply-bar")).to_contain_text("Are you hiring in Lyon?")
            await bob.locator(".sample-btn").click()
            sent = bob.locator(".msg.from-me .voice")
            await expect(sent).to_be_visible()
            await expect(bob.locator(".msg.from-me").last.locator(".quote")).to_contain_text(
                "Are you hiring in Lyon?"
            )

            voice_message = alice.locator(".msg.from-bot").filter(has=page.locator(".voice"))
            voice = voice_message.locator(".voice")
            await expect(voice).to_be_visible()
            await expect(voice.locator(".duration")).to_have_text(re.compile(r"^\d+:\d\d$"))
            await expect(voice.locator(".duration")).to_have_text("0:03")
            # The sample's bytes reached Alice: the browser can load them as audio.
            seconds = await voice.locator("audio").evaluate(
                """audio => new Promise((resolve) => {
                    audio.addEventListener("loadedmetadata", () => resolve(audio.duration));
                    audio.addEventListener("error", () => resolve(-1));
                    audio.preload = "metadata";
                    audio.load();
                })"""
            )
            assert 2.5 <= seconds <= 3.5, seconds

            # A reaction from the picker shows under the message.
            await voice_message.hover()
            await voice_message.locator(".act-react").click()
            await voice_message.locator(".picker button", has_text="🔥").click()
            await expect(voice_message.locator(".reaction.mine")).to_have_text("🔥")

            assert errors == [], errors
            assert playground.sandbox is not None and playground.sandbox.rejected == []
            shot = README_SCREENSHOT if os.environ.get("UPDATE_SCREENSHOT") else tmp_path / "p.png"
            await page.mouse.move(0, 0)
            await page.screenshot(path=str(shot))
            assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        finally:
            await browser.close()


def png(width: int, height: int) -> bytes:
    """A plain orange PNG: a photo whose height the page learns only once it has loaded."""
    row = b"\x00" + bytes([230, 140, 40]) * width

    def chunk(tag: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(tag + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


AT_BOTTOM = """list => list.scrollHeight > list.clientHeight
    && list.scrollHeight - list.scrollTop - list.clientHeight < 2"""


class Page:
    """The playground page in Chromium, with Alice's and Bob's columns, both started."""

    def __init__(self, page, alice, bob, errors: list[str]) -> None:
        self.page, self.alice, self.bob, self.errors = page, alice, bob, errors

    async def say(self, column, text: str) -> None:
        box = column.locator("textarea.input")
        await box.fill(text)
        await box.press("Enter")

    @staticmethod
    def bot_says(column, text: str):
        return column.locator(".msg.from-bot").filter(has_text=text)

    async def connect_and_open(self) -> None:
        """Alice invites Bob, Bob accepts, Alice opens the conversation with Bob."""
        from playwright.async_api import expect

        await self.say(self.alice, "/invite @bobdurand Hello")
        invitation = self.bot_says(self.bob, "Hello")
        await invitation.locator(".kb-btn").filter(has_text=re.compile("Accept")).click()
        await expect(self.bot_says(self.bob, "connected")).to_be_visible()
        await self.say(self.alice, "/open @bobdurand")
        await expect(self.bot_says(self.alice, "goes to Bob")).to_be_visible()


@pytest.fixture
async def page(playground: Playground) -> AsyncIterator[Page]:
    from playwright.async_api import async_playwright, expect

    expect.set_options(timeout=TIMEOUT_MS)
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            tab = await browser.new_page(viewport={"width": 1200, "height": 640})
            errors: list[str] = []
            tab.on("pageerror", lambda exc: errors.append(str(exc)))
            await tab.goto(playground.url)
            shown = Page(
                tab,
                tab.locator('.column[data-username="alice"]'),
                tab.locator('.column[data-username="bob"]'),
                errors,
            )
            for column in (shown.alice, shown.bob):
                await shown.say(column, "/start")
                await expect(column.locator(".msg.from-bot").first).to_contain_text("Welcome")
            yield shown
            assert errors == [], errors
            assert playground.sandbox is not None and playground.sandbox.rejected == []
        finally:
            await browser.close()


async def test_a_user_edits_a_sent_message_and_the_other_side_shows_the_edit(page: Page) -> None:
    from playwright.async_api import expect

    alice, bob = page.alice, page.bob
    await page.connect_and_open()
    await page.say(alice, "Are you free at 10?")
    relayed = page.bot_says(bob, "Are you free at 10?")
    await relayed.hover()
    await relayed.locator(".act-reply").click()
    await page.say(bob, "See you at 10")
    await expect(page.bot_says(alice, "See you at 10")).to_be_visible()

    mine = bob.locator(".msg.from-me").filter(has_text="See you at 10")
    await mine.hover()
    await mine.locator(".act-edit").click()
    box = bob.locator("textarea.input")
    await expect(box).to_have_value("See you at 10")
    await expect(bob.locator(".reply-bar")).to_contain_text("Edit message")
    await box.fill("See you at 11")
    await box.press("Enter")
    edited = bob.locator(".msg.from-me").filter(has_text="See you at 11")
    await expect(edited.locator(".edited")).to_be_visible()
    await expect(bob.locator(".msg.from-me").filter(has_text="See you at 10")).to_have_count(0)
    theirs = page.bot_says(alice, "See you at 11")
    await expect(theirs).to_be_visible()
    await expect(theirs.locator(".edited")).to_be_visible()

    # As in Telegram, ↑ in an empty box edits one's last message.
    await page.say(alice, "Typo here")
    await expect(page.bot_says(bob, "Typo here")).to_be_visible()
    await alice.locator("textarea.input").press("ArrowUp")
    await expect(alice.locator("textarea.input")).to_have_value("Typo here")
    await alice.locator("textarea.input").fill("Typo fixed")
    await alice.locator("textarea.input").press("Enter")
    await expect(page.bot_says(bob, "Typo fixed")).to_be_visible()


async def test_a_column_stays_at_the_newest_message_once_a_photo_has_loaded(page: Page) -> None:
    from playwright.async_api import expect

    alice, bob = page.alice, page.bob

    async def slowly(route) -> None:  # a photo from a slow network: it loads after it shows
        await asyncio.sleep(1.5)
        await route.continue_()

    await page.page.route("**/sandbox/files/**", slowly)
    await page.connect_and_open()
    for n in range(4):
        await page.say(alice, f"filler {n}")
        await expect(page.bot_says(bob, f"filler {n}")).to_be_visible()
    await alice.locator('input[type="file"]').set_input_files(
        {"name": "booth.png", "mimeType": "image/png", "buffer": png(600, 900)}
    )
    photo = bob.locator(".msg.from-bot img.photo")
    await expect(photo).to_be_visible()
    await page.page.wait_for_function(
        "img => img.complete && img.naturalHeight > 0", arg=await photo.element_handle()
    )
    await bob.locator(".messages").evaluate("list => new Promise(r => setTimeout(r, 300))")
    assert await bob.locator(".messages").evaluate(AT_BOTTOM)


async def test_a_hidden_user_leaves_the_page_until_shown_again(page: Page) -> None:
    from playwright.async_api import expect

    alice, bob = page.alice, page.bob
    await page.connect_and_open()
    await bob.locator(".hide-btn").click()
    await expect(bob).to_have_count(0)
    menu = page.page.locator("#hidden-users")
    await expect(menu.locator("summary")).to_have_text("Hidden users (1)")
    await page.say(alice, "While you were hidden")
    await expect(
        alice.locator(".msg.from-me").filter(has_text="While you were hidden")
    ).to_be_visible()
    await page.page.reload()  # the server keeps who is hidden
    await expect(alice).to_be_visible()
    await expect(bob).to_have_count(0)
    await menu.locator("summary").click()
    await menu.locator(".show-user").filter(has_text="Bob Durand").click()
    await expect(bob).to_be_visible()
    await expect(menu).to_be_hidden()
    await expect(page.bot_says(bob, "While you were hidden")).to_be_visible()
    assert await page.page.locator(".column").evaluate_all(
        "columns => columns.map(c => c.dataset.username)"
    ) == ["alice", "bob"]


async def test_a_user_pays_for_credits_with_test_stars(page: Page) -> None:
    from playwright.async_api import expect

    alice = page.alice
    await page.say(alice, "/buy")
    offers = page.bot_says(alice, "Pay with Telegram Stars")
    await offers.locator(".kb-btn").filter(has_text="10 InMail credits").click()
    invoice = alice.locator(".msg.kind-invoice")
    await expect(invoice).to_contain_text("⭐ 50")
    await invoice.locator(".kb-btn.pay").click()
    await expect(invoice.locator(".invoice-paid")).to_be_visible()
    await expect(page.bot_says(alice, "Payment received")).to_contain_text("Balance: 10")
    await expect(alice.locator(".who .sub")).to_contain_text("⭐ 2450")

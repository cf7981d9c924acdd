"""Warm introductions: 🙋 on a 2nd/3rd-degree profile (or /intro @handle) picks the common
connection to ask, the next text is the note; the asked connection gets it with 🤝 Introduce
them / ✖️ Decline."""

from __future__ import annotations

from telegram import Update

from bridge.core.models import IntroductionChoice
from bridge.core.prompts import Prompt
from bridge.handlers.button_handler import ButtonHandler, Toast, edit_in_place
from bridge.handlers.buttons import (
    AskIntroduction,
    DeclineIntroduction,
    ForwardIntroduction,
    IntroductionVia,
)
from bridge.handlers.commands import Command, only_handle
from bridge.handlers.context import BridgeContext
from bridge.handlers.keyboards import keyboard


async def intro(update: Update, context: BridgeContext) -> None:
    """/intro @handle: whom to ask for an introduction to that member."""
    target = await context.core.members.resolve(only_handle(update, "intro"))
    await _choose(update, context, target.id)


async def on_ask(update: Update, context: BridgeContext, data: AskIntroduction) -> Toast:
    """🙋 Ask for an introduction, under a profile card."""
    await _choose(update, context, data.member_id)
    return None


async def _choose(update: Update, context: BridgeContext, target_id: int) -> None:
    """One connection who knows them: straight to the note; several: one button each."""
    choice = await context.core.introductions.choices(context.member.id, target_id)
    if len(choice.via) == 1:
        await _ask_note(update, context, target_id, choice.via[0].id)
        return
    rows = [
        [
            (
                context.t("introductions", "via_button", view=v),
                IntroductionVia(member_id=target_id, via_id=v.id),
            )
        ]
        for v in choice.via
    ]
    await context.reply(update, "introductions", "choose", choice=choice, keyboard=keyboard(rows))


async def on_via(update: Update, context: BridgeContext, data: IntroductionVia) -> Toast:
    """One of the connections offered: the note to them comes next."""
    await _ask_note(update, context, data.member_id, data.via_id)
    return None


async def _ask_note(update: Update, context: BridgeContext, target_id: int, via_id: int) -> None:
    choice: IntroductionChoice = await context.core.introductions.ask_note(
        context.member.id, target_id, via_id
    )
    await context.reply(update, "introductions", "note_prompt", choice=choice)


async def send_request(update: Update, context: BridgeContext, prompt: Prompt, note: str) -> None:
    """The answer to "Write the note asking …": the request goes, and the question ends."""
    asked = await context.core.introductions.ask(
        context.member.id, prompt.target_id, prompt.intermediary_id, note, answering=prompt
    )
    await context.reply(update, "introductions", "asked", intro=asked)


async def on_forward(update: Update, context: BridgeContext, data: ForwardIntroduction) -> Toast:
    """🤝 Introduce them: both get an introduction; the request shows the outcome."""
    done = await context.core.introductions.forward(context.member.id, data.introduction_id)
    await edit_in_place(update, context.t("introductions", "answered", intro=done))
    return None


async def on_decline(update: Update, context: BridgeContext, data: DeclineIntroduction) -> Toast:
    """✖️ Decline: nobody is told."""
    done = await context.core.introductions.decline(context.member.id, data.introduction_id)
    await edit_in_place(update, context.t("introductions", "answered", intro=done))
    return None


COMMANDS = [Command("intro", intro)]


def handlers() -> list:
    return [
        ButtonHandler(AskIntroduction, on_ask),
        ButtonHandler(IntroductionVia, on_via),
        ButtonHandler(ForwardIntroduction, on_forward),
        ButtonHandler(DeclineIntroduction, on_decline),
    ]

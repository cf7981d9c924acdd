"""/settings (inline buttons) and /lang: language, who may invite me, InMail opt-out,
notifications, private browsing, and invitations without a note (/autoreply, /requirenote)."""

from __future__ import annotations

from telegram import Update

from bridge.core.models import InvitePolicy, Member
from bridge.core.notify import NotifyMode
from bridge.core.prompts import Prompt
from bridge.core.undo_window import UNDO_CHOICES
from bridge.handlers.button_handler import ButtonHandler, Toast, edit_in_place
from bridge.handlers.buttons import (
    EditAutoReply,
    ExportData,
    SetAutoReply,
    SetInMailOptOut,
    SetInvitePolicy,
    SetLanguage,
    SetNotifyMode,
    SetPrivateBrowsing,
    SetRequireNote,
    SetUndoWindow,
)
from bridge.handlers.commands import Command, Usage, argument_text
from bridge.handlers.context import BridgeContext, chat_id_of
from bridge.handlers.keyboards import Row, keyboard
from bridge.locale import LANGUAGES


async def _card(context: BridgeContext, member: Member):
    t = context.t
    allowance = await context.core.invitations.allowance(member.id)
    rows: list[Row] = [
        [
            (
                t("settings", "lang_button", code=code, current=member.language == code),
                SetLanguage(code=code),
            )
            for code in LANGUAGES
        ],
        [
            (
                t("settings", "policy_button", policy=p.value, current=member.invite_policy == p),
                SetInvitePolicy(policy=p),
            )
            for p in InvitePolicy
        ],
        [
            (
                t("settings", "inmail_button", opted_out=not member.inmail_opt_out),
                SetInMailOptOut(opted_out=not member.inmail_opt_out),
            )
        ],
        [
            (
                t("settings", "notify_button", mode=mode.value, current=member.notify_mode == mode),
                SetNotifyMode(mode=mode.value),
            )
            for mode in NotifyMode
        ],
        [
            (
                t("settings", "auto_reply_button", on=not member.auto_reply_on),
                SetAutoReply(on=not member.auto_reply_on),
            ),
            (t("settings", "edit_auto_reply_button"), EditAutoReply()),
        ],
        [
            (
                t("settings", "require_note_button", required=not member.require_note),
                SetRequireNote(required=not member.require_note),
            )
        ],
        [
            (
                t("settings", "undo_button", seconds=s, current=member.undo_seconds == s),
                SetUndoWindow(seconds=s),
            )
            for s in UNDO_CHOICES
        ],
        [(t("data", "export_button"), ExportData())],
        [
            (
                t("settings", "private_button", private=not member.private_browsing),
                SetPrivateBrowsing(private=not member.private_browsing),
            )
        ],
    ]
    return t("settings", "card", member=member, allowance=allowance), keyboard(rows)


async def settings(update: Update, context: BridgeContext) -> None:
    text, markup = await _card(context, context.member)
    await context.send_html(chat_id_of(update), text, markup)


async def lang(update: Update, context: BridgeContext) -> None:
    """/lang en|fr"""
    code = argument_text(update).lower()
    if not code:
        raise Usage("lang")
    context.member = await context.core.members.set_language(context.member.id, code)
    await context.reply(update, "settings", "language_set")


async def undo_window(update: Update, context: BridgeContext) -> None:
    """/undo_window <seconds>|off: how long a sent message can be taken back (0–30 s)."""
    word = argument_text(update).lower()
    if not word:
        raise Usage("undo_window")
    seconds = 0 if word in ("off", "0", "non") else None
    if seconds is None:
        digits = word.removesuffix("s")
        if not digits.isdigit() or len(digits) > 3:
            raise Usage("undo_window")
        seconds = int(digits)
    await context.core.undo.set_seconds(context.member.id, seconds)
    await context.reply(update, "settings", "undo_set", seconds=seconds)


async def on_undo_window(update: Update, context: BridgeContext, data: SetUndoWindow) -> Toast:
    """Off / 5 s / 10 s / 30 s: the undo window of the member's messages."""
    await context.core.undo.set_seconds(context.member.id, data.seconds)
    return await _saved(update, context, await context.core.members.get(context.member.id))


async def _saved(update: Update, context: BridgeContext, member: Member) -> Toast:
    """The settings card shows the new choice, in place (in the new language, if that
    changed); the toast says "Saved"."""
    context.member = member
    await edit_in_place(update, *(await _card(context, member)))
    return context.plain("settings", "saved")


async def on_language(update: Update, context: BridgeContext, data: SetLanguage) -> Toast:
    """English / Français: the bot speaks that language from now on."""
    return await _saved(
        update, context, await context.core.members.set_language(context.member.id, data.code)
    )


async def on_invite_policy(update: Update, context: BridgeContext, data: SetInvitePolicy) -> Toast:
    """Who may invite me: everyone, or 2nd degree only."""
    return await _saved(
        update,
        context,
        await context.core.members.set_invite_policy(context.member.id, data.policy),
    )


async def on_inmail_opt_out(update: Update, context: BridgeContext, data: SetInMailOptOut) -> Toast:
    """Accept / refuse InMails."""
    return await _saved(
        update,
        context,
        await context.core.members.set_inmail_opt_out(context.member.id, data.opted_out),
    )


async def on_notify_mode(update: Update, context: BridgeContext, data: SetNotifyMode) -> Toast:
    """Instant, digest or muted notifications."""
    return await _saved(
        update, context, await context.core.preferences.set_mode(context.member.id, data.mode)
    )


ON = ("on", "oui")
OFF = ("off", "non")


async def _auto_reply_on(context: BridgeContext, on: bool, text: str | None = None) -> Member:
    """Switch the automatic reply; switched on with no text yet, it gets the default in
    the member's language (theirs to edit)."""
    if on and text is None and not context.member.auto_reply:
        text = context.plain("settings", "auto_reply_default")
    return await context.core.members.set_auto_reply(context.member.id, on, text)


async def autoreply(update: Update, context: BridgeContext) -> None:
    """/autoreply on|off|<text>: the automatic reply to invitations without a note."""
    arg = argument_text(update)
    if not arg:
        raise Usage("autoreply")
    if arg.lower() in ON + OFF:
        member = await _auto_reply_on(context, arg.lower() in ON)
    else:
        member = await _auto_reply_on(context, True, arg)
    await context.reply(update, "settings", "auto_reply_set", member=member)


async def requirenote(update: Update, context: BridgeContext) -> None:
    """/requirenote on|off: invitations without a note refused before they are sent."""
    arg = argument_text(update).lower()
    if arg not in ON + OFF:
        raise Usage("requirenote")
    member = await context.core.members.set_require_note(context.member.id, arg in ON)
    await context.reply(update, "settings", "require_note_set", member=member)


async def on_auto_reply(update: Update, context: BridgeContext, data: SetAutoReply) -> Toast:
    return await _saved(update, context, await _auto_reply_on(context, data.on))


async def on_edit_auto_reply(update: Update, context: BridgeContext, data: EditAutoReply) -> Toast:
    """ "Edit the automatic reply": the current one is shown; the next text replaces it."""
    member = await context.core.prompts.ask_auto_reply(context.member.id)
    await context.reply(update, "settings", "auto_reply_prompt", member=member)
    return None


async def on_require_note(update: Update, context: BridgeContext, data: SetRequireNote) -> Toast:
    return await _saved(
        update,
        context,
        await context.core.members.set_require_note(context.member.id, data.required),
    )


async def set_auto_reply_text(
    update: Update, context: BridgeContext, prompt: Prompt, text: str
) -> None:
    """The answer to "Write your automatic reply": saved and switched on."""
    member = await context.core.members.set_auto_reply(
        context.member.id, True, text, answering=prompt
    )
    await context.reply(update, "settings", "auto_reply_set", member=member)


async def on_private_browsing(
    update: Update, context: BridgeContext, data: SetPrivateBrowsing
) -> Toast:
    """Browse privately (no trace, no viewers) / show who I am when I view profiles."""
    return await _saved(
        update,
        context,
        await context.core.profile_views.set_private_browsing(context.member.id, data.private),
    )


COMMANDS = [
    Command("settings", settings),
    Command("lang", lang),
    Command("autoreply", autoreply),
    Command("requirenote", requirenote),
    Command("undo_window", undo_window),
]


def handlers() -> list:
    return [
        ButtonHandler(SetLanguage, on_language),
        ButtonHandler(SetInvitePolicy, on_invite_policy),
        ButtonHandler(SetInMailOptOut, on_inmail_opt_out),
        ButtonHandler(SetNotifyMode, on_notify_mode),
        ButtonHandler(SetAutoReply, on_auto_reply),
        ButtonHandler(EditAutoReply, on_edit_auto_reply),
        ButtonHandler(SetRequireNote, on_require_note),
        ButtonHandler(SetUndoWindow, on_undo_window),
        ButtonHandler(SetPrivateBrowsing, on_private_browsing),
    ]

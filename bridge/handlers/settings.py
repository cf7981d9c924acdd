"""/settings (inline buttons) and /lang: language, who may invite me, InMail opt-out,
notifications, private browsing."""

from __future__ import annotations

from telegram import Update

from bridge.core.models import InvitePolicy, Member
from bridge.core.notify import NotifyMode
from bridge.handlers.button_handler import ButtonHandler, Toast, edit_in_place
from bridge.handlers.buttons import (
    SetInMailOptOut,
    SetInvitePolicy,
    SetLanguage,
    SetNotifyMode,
    SetPrivateBrowsing,
)
from bridge.handlers.commands import Command, Usage, argument_text
from bridge.handlers.context import BridgeContext, chat_id_of
from bridge.handlers.keyboards import Row, keyboard
from bridge.locale import LANGUAGES


def _card(context: BridgeContext, member: Member):
    t = context.t
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
                t("settings", "private_button", private=not member.private_browsing),
                SetPrivateBrowsing(private=not member.private_browsing),
            )
        ],
    ]
    return t("settings", "card", member=member), keyboard(rows)


async def settings(update: Update, context: BridgeContext) -> None:
    text, markup = _card(context, context.member)
    await context.send_html(chat_id_of(update), text, markup)


async def lang(update: Update, context: BridgeContext) -> None:
    """/lang en|fr"""
    code = argument_text(update).lower()
    if not code:
        raise Usage("lang")
    context.member = await context.core.members.set_language(context.member.id, code)
    await context.reply(update, "settings", "language_set")


async def _saved(update: Update, context: BridgeContext, member: Member) -> Toast:
    """The settings card shows the new choice, in place (in the new language, if that
    changed); the toast says "Saved"."""
    context.member = member
    await edit_in_place(update, *_card(context, member))
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


async def on_private_browsing(
    update: Update, context: BridgeContext, data: SetPrivateBrowsing
) -> Toast:
    """Browse privately (no trace, no viewers) / show who I am when I view profiles."""
    return await _saved(
        update,
        context,
        await context.core.profile_views.set_private_browsing(context.member.id, data.private),
    )


COMMANDS = [Command("settings", settings), Command("lang", lang)]


def handlers() -> list:
    return [
        ButtonHandler(SetLanguage, on_language),
        ButtonHandler(SetInvitePolicy, on_invite_policy),
        ButtonHandler(SetInMailOptOut, on_inmail_opt_out),
        ButtonHandler(SetNotifyMode, on_notify_mode),
        ButtonHandler(SetPrivateBrowsing, on_private_browsing),
    ]

"""/settings (inline buttons) and /lang: language, who may invite me, InMail opt-out."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler

from bridge.core.models import InvitePolicy, Member
from bridge.handlers.callbacks import Callback, Op, cb
from bridge.handlers.commands import Command, Usage, argument_text
from bridge.handlers.context import BridgeContext
from bridge.handlers.keyboards import keyboard
from bridge.locale import LANGUAGES


def _card(context: BridgeContext, member: Member):
    t = context.t
    rows = [
        [(t("settings", "lang_button", code=code, current=member.language == code),
          cb(Op.SET_LANG, 0, code)) for code in LANGUAGES],
        [(t("settings", "policy_button", policy=p.value, current=member.invite_policy == p),
          cb(Op.SET_INVITE_POLICY, 0, p.value)) for p in InvitePolicy],
        [(t("settings", "inmail_button", opted_out=not member.inmail_opt_out),
          cb(Op.SET_INMAIL, int(not member.inmail_opt_out)))],
        [(t("settings", "notify_button", mode=mode, current=member.notify_mode == mode),
          cb(Op.SET_NOTIFY, 0, mode)) for mode in ("instant", "digest", "muted")],
    ]
    return t("settings", "card", member=member), keyboard(rows)


async def settings(update: Update, context: BridgeContext) -> None:
    text, markup = _card(context, context.member)
    await context.send_html(update.effective_chat.id, text, markup)


async def lang(update: Update, context: BridgeContext) -> None:
    """/lang en|fr"""
    code = argument_text(update).lower()
    if not code:
        raise Usage("lang")
    context.member = await context.core.members.set_language(context.member.id, code)
    await context.reply(update, "settings", "language_set")


async def on_button(update: Update, context: BridgeContext) -> None:
    query = update.callback_query
    data = Callback.parse(query.data)
    assert data is not None
    members, me = context.core.members, context.member.id
    if data.op == Op.SET_LANG:
        context.member = await members.set_language(me, data.extra)
    elif data.op == Op.SET_INVITE_POLICY:
        context.member = await members.set_invite_policy(me, data.extra)
    elif data.op == Op.SET_INMAIL:
        context.member = await members.set_inmail_opt_out(me, bool(data.arg))
    elif data.op == Op.SET_NOTIFY:
        context.member = await context.core.preferences.set_mode(me, data.extra)
    await query.answer(context.plain("settings", "saved"))
    text, markup = _card(context, context.member)
    try:
        await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)
    except BadRequest as exc:
        if "not modified" not in exc.message:
            raise


COMMANDS = [Command("settings", settings), Command("lang", lang)]

_OPS = "|".join([Op.SET_LANG, Op.SET_INVITE_POLICY, Op.SET_INMAIL, Op.SET_NOTIFY])


def handlers() -> list:
    return [CallbackQueryHandler(on_button, pattern=rf"^({_OPS}):")]

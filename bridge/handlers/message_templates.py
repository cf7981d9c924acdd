"""Templates for invitation notes, messages and InMails: /templates (Use / Delete buttons),
/template save <name> <text>, /template delete <name>; ``#name`` in place of the text of
/invite, /msg or /inmail sends the template, rendered for that recipient by the core."""

from __future__ import annotations

import re

from telegram import Update

from bridge.core.message_templates import Use
from bridge.core.models import Member, MessageTemplate
from bridge.handlers.button_handler import ButtonHandler, Toast, edit_in_place
from bridge.handlers.buttons import DeleteTemplate, UseTemplate
from bridge.handlers.commands import Command, Usage, argument_text
from bridge.handlers.context import BridgeContext, chat_id_of
from bridge.handlers.keyboards import keyboard

_REFERENCE = re.compile(r"^#([A-Za-z0-9_-]{1,32})$")
SAVE = ("save", "enregistrer")
DELETE = ("delete", "supprimer")

__all__ = ["COMMANDS", "expand", "handlers"]


async def expand(context: BridgeContext, target: Member, text: str, use: Use) -> str:
    """`text`, or — when it is just ``#name`` — that template rendered for `target`."""
    match = _REFERENCE.match(text.strip())
    if match is None:
        return text
    return await context.core.templates.render(context.member.id, target.id, match[1], use)


def _listing(context: BridgeContext, templates: list[MessageTemplate]):
    rows = [
        [
            (context.t("message_templates", "use_button", name=t.name), UseTemplate(name=t.name)),
            (context.t("message_templates", "delete_button"), DeleteTemplate(name=t.name)),
        ]
        for t in templates
    ]
    return context.t("message_templates", "listing", templates=templates), keyboard(rows)


async def list_templates(update: Update, context: BridgeContext) -> None:
    """/templates: each template with Use / Delete."""
    text, markup = _listing(context, await context.core.templates.list(context.member.id))
    await context.send_html(chat_id_of(update), text, markup)


async def template(update: Update, context: BridgeContext) -> None:
    """/template save <name> <text> · /template delete <name>"""
    action, _, rest = argument_text(update).partition(" ")
    name, _, body = rest.strip().partition(" ")
    me = context.member.id
    if action.lower() in SAVE and name and body.strip():
        saved = await context.core.templates.save(me, name, body)
        await context.reply(update, "message_templates", "saved", template=saved)
    elif action.lower() in DELETE and name and not body.strip():
        deleted = await context.core.templates.delete(me, name)
        await context.reply(update, "message_templates", "deleted", name=deleted)
    else:
        raise Usage("template")


async def on_use(update: Update, context: BridgeContext, data: UseTemplate) -> Toast:
    """Use: the template's text and the three ways to send it."""
    found = await context.core.templates.get(context.member.id, data.name)
    await context.reply(update, "message_templates", "how_to_use", template=found)
    return None


async def on_delete(update: Update, context: BridgeContext, data: DeleteTemplate) -> Toast:
    """Delete: gone, and the list shown again in place."""
    me = context.member.id
    name = await context.core.templates.delete(me, data.name)
    text, markup = _listing(context, await context.core.templates.list(me))
    await edit_in_place(update, text, markup)
    return context.plain("message_templates", "deleted", name=name)


COMMANDS = [
    Command("templates", list_templates),
    Command("template", template),
]


def handlers() -> list:
    return [ButtonHandler(UseTemplate, on_use), ButtonHandler(DeleteTemplate, on_delete)]

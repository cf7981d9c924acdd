"""Which conversation a member last acted in through a button (an InMail's Interested, an
invitation's Reply, a conversation card): told to the core after the button's own handler,
so that a message sent next with no conversation open can be offered there in one tap."""

from __future__ import annotations

from telegram import Update

from bridge.core.errors import BridgeError
from bridge.handlers.callbacks import Callback, Op
from bridge.handlers.context import BridgeContext

_INMAIL = {Op.INMAIL_YES, Op.INMAIL_NO, Op.INMAIL_REPLY}
_INVITATION = {Op.INV_ACCEPT, Op.INV_REPLY}
_CONVERSATION = {Op.CONV_SHOW, Op.CONV_OPEN, Op.CONV_READ, Op.CONV_UNREAD, Op.CONV_ARCHIVE,
                 Op.CONV_UNARCHIVE}


async def remember_focus(update: Update, context: BridgeContext) -> None:
    query = update.callback_query
    if query is None or not context.has_member:
        return
    data = Callback.parse(query.data)
    if data is None:
        return
    core, me = context.core, context.member.id
    try:  # the ids are claims: the core checks the member is in that conversation
        if data.op in _INMAIL:
            conversation_id = (await core.credits.get_inmail(me, data.arg)).conversation_id
        elif data.op in _INVITATION:
            conversation_id = (await core.invitations.get_for(me, data.arg)).conversation_id
        elif data.op in _CONVERSATION:
            conversation_id = data.arg
        else:
            return
        await core.messaging.focus(me, conversation_id)
    except BridgeError:
        return  # the button's own handler has answered already

"""A button press is answered exactly once by the structure: ButtonHandler answers with what
the handler returns, leaves a raising handler's answer to the error handler, and every kind
of button has its one handler; an edit to what a message already shows is success."""

from __future__ import annotations

from typing import Any

import pytest
from telegram import Update
from telegram.error import BadRequest
from telegram.ext import ApplicationBuilder

from bridge.core.errors import InvitationNotFound
from bridge.handlers.button_handler import ButtonHandler, edit_in_place
from bridge.handlers.buttons import AcceptInvitation, Button, DeclineInvitation
from bridge.handlers.registry import register
from bridge.runtime.application import answer_once


class _Bot:
    def __init__(self, edit_error: str | None = None) -> None:
        self.answers: list[dict[str, Any]] = []
        self.edits = 0
        self.edit_error = edit_error

    async def answer_callback_query(self, callback_query_id: str, **kwargs: Any) -> bool:
        self.answers.append({"id": callback_query_id, **kwargs})
        return True

    async def edit_message_text(self, *args: Any, **kwargs: Any) -> bool:
        self.edits += 1
        if self.edit_error:
            raise BadRequest(self.edit_error)
        return True


def _press(data: str, bot: _Bot) -> Update:
    update = Update.de_json(
        {
            "update_id": 5,
            "callback_query": {
                "id": "77",
                "from": {"id": 1, "is_bot": False, "first_name": "A"},
                "chat_instance": "x",
                "data": data,
                "message": {"message_id": 3, "date": 0, "chat": {"id": 1, "type": "private"}},
            },
        },
        None,
    )
    update.callback_query.set_bot(bot)  # type: ignore[arg-type]
    return answer_once(update)


async def test_the_handler_gets_typed_data_and_its_toast_is_the_one_answer() -> None:
    seen: list[AcceptInvitation] = []

    async def on_accept(update: Update, context: Any, data: AcceptInvitation) -> str:
        seen.append(data)
        return "Accepted"

    handler = ButtonHandler(AcceptInvitation, on_accept)
    bot = _Bot()
    update = _press("ia:2a", bot)
    assert handler.check_update(_press("id:2a", bot)) is None  # another kind
    assert handler.check_update(_press("ia:zz", bot)) is None  # malformed
    data = handler.check_update(update)
    assert data == AcceptInvitation(invitation_id=42)
    await handler.handle_update(update, None, data, object())  # type: ignore[arg-type]
    assert seen == [data]
    assert [(a["id"], a["text"]) for a in bot.answers] == [("77", "Accepted")]
    # Answered already (a double tap's second handling, a stray early answer): not again.
    await handler.handle_update(update, None, data, object())  # type: ignore[arg-type]
    assert len(bot.answers) == 1


async def test_no_toast_is_an_empty_answer_and_an_error_leaves_the_answer_to_the_alert() -> None:
    async def quiet(update: Update, context: Any, data: DeclineInvitation) -> None:
        return None

    async def refused(update: Update, context: Any, data: DeclineInvitation) -> None:
        raise InvitationNotFound()

    bot = _Bot()
    update = _press("id:1", bot)
    await ButtonHandler(DeclineInvitation, quiet).handle_update(
        update, None, DeclineInvitation(invitation_id=1), object()
    )  # type: ignore[arg-type]
    assert [(a["id"], a["text"]) for a in bot.answers] == [("77", None)]

    bot = _Bot()
    update = _press("id:1", bot)
    with pytest.raises(InvitationNotFound):  # the error handler answers it, as an alert
        await ButtonHandler(DeclineInvitation, refused).handle_update(
            update, None, DeclineInvitation(invitation_id=1), object()
        )  # type: ignore[arg-type]
    assert bot.answers == [] and not update.callback_query.answered


async def test_an_edit_to_what_the_message_already_shows_is_success() -> None:
    bot = _Bot(
        edit_error="Message is not modified: specified new message content and reply"
        " markup are exactly the same"
    )
    await edit_in_place(_press("ia:1", bot), "<b>Page 2</b>")
    assert bot.edits == 1
    bot = _Bot(edit_error="Message to edit not found")
    with pytest.raises(BadRequest):
        await edit_in_place(_press("ia:1", bot), "<b>Page 2</b>")


def test_every_kind_of_button_has_exactly_one_handler() -> None:
    app = ApplicationBuilder().token("123:TEST").updater(None).build()
    register(app)
    handled = [
        h.button for group in app.handlers.values() for h in group if isinstance(h, ButtonHandler)
    ]
    assert len(handled) == len(set(handled))
    assert set(handled) == set(Button.kinds().values())

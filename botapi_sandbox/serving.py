"""The server as the parts it assembles see it: the Bot API methods (`methods.py`,
`bot_methods.py`, `registry.py`) and the control API (`control.py`) act on it, and it imports
them, so they name it by this structural type instead of importing it (no import circle).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, Protocol

from botapi_sandbox.bots import SandboxBot
from botapi_sandbox.network import Network
from botapi_sandbox.state import ChatMessage, StoredFile
from botapi_sandbox.users import SimUser

if TYPE_CHECKING:  # payments.py registers methods, which name the server by this type
    from botapi_sandbox.payments import Payments


class WebhookSettings(Protocol):
    async def set(
        self, bot: SandboxBot, url: str, secret_token: str | None, max_connections: int
    ) -> None: ...


class Server(Protocol):
    users: dict[int, SimUser]
    files: dict[str, StoredFile]
    callback_queries: dict[str, SimUser]
    events: list[dict[str, Any]]
    events_changed: asyncio.Condition
    network: Network
    payments: Payments

    @property
    def webhooks(self) -> WebhookSettings: ...

    def add_user(
        self,
        first_name: str,
        last_name: str = "",
        username: str | None = None,
        language_code: str = "en",
    ) -> SimUser: ...

    def chat_user(self, bot: SandboxBot, chat_id: Any, sending: bool = True) -> SimUser: ...

    def message_payload(self, user: SimUser, message: ChatMessage) -> dict[str, Any]: ...

    def file_for(
        self, value: Any, kind: str, params: dict[str, Any] | None = None
    ) -> StoredFile: ...

"""The bots the sandbox serves: each with its update queue, command lists, descriptions and
webhook settings (plain state; the server, the methods and the webhook delivery act on it)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from botapi_sandbox.state import UpdateQueue


@dataclass
class Webhook:
    """A bot's webhook, as setWebhook left it (delivery: `botapi_sandbox.webhook`)."""

    url: str = ""
    secret_token: str | None = None
    max_connections: int = 40
    last_error_date: int = 0
    last_error_message: str = ""
    delivered: int = 0
    task: asyncio.Task[None] | None = None


@dataclass
class SandboxBot:
    token: str
    id: int
    username: str
    first_name: str
    updates: UpdateQueue = field(default_factory=UpdateQueue)
    # (scope, language) → commands; the default scope's key is the language ("" for all)
    commands: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    short_descriptions: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    webhook: Webhook = field(default_factory=Webhook)
    logged_out: bool = False

    def as_user(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "is_bot": True,
            "first_name": self.first_name,
            "username": self.username,
        }

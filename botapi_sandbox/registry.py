"""The table of Bot API methods the sandbox performs: name → coroutine
``(server, bot, params) → result``. Parameters arrive validated and typed (`contract.py`).
Adding a method is one decorated function (see `methods.py`, `bot_methods.py`); any other
method of the contract is validated and then refused as "not supported by the sandbox"."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from botapi_sandbox.bots import SandboxBot
from botapi_sandbox.serving import Server

Method = Callable[[Server, SandboxBot, dict[str, Any]], Awaitable[Any]]
METHODS: dict[str, Method] = {}


def method(name: str) -> Callable[[Method], Method]:
    def register(fn: Method) -> Method:
        METHODS[name] = fn
        return fn

    return register

"""Methods about the bot itself rather than a chat: identity, receiving updates (long
polling, webhooks), the command menu and descriptions, close/logOut."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from botapi_sandbox.bots import SandboxBot
from botapi_sandbox.contract import ApiError, bad
from botapi_sandbox.registry import Method, method
from botapi_sandbox.serving import Server

Params = dict[str, Any]
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


@method("getMe")
async def get_me(server: Server, bot: SandboxBot, params: Params) -> Any:
    return {
        **bot.as_user(),
        "can_join_groups": False,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


@method("getUpdates")
async def get_updates(server: Server, bot: SandboxBot, params: Params) -> Any:
    if bot.webhook.url:
        raise ApiError(
            409,
            "Conflict: can't use getUpdates method while webhook is active;"
            " use deleteWebhook to delete the webhook first",
        )
    queue = bot.updates
    await queue.confirm(params.get("offset"))
    if "allowed_updates" in params:
        queue.allowed = list(params["allowed_updates"]) or None
    limit = params.get("limit") or 100
    if not 1 <= limit <= 100:
        limit = 100
    timeout = max(0.0, min(float(params.get("timeout") or 0), 50.0))
    return await queue.wait(timeout, limit)


@method("setWebhook")
async def set_webhook(server: Server, bot: SandboxBot, params: Params) -> Any:
    url = params["url"]
    if url:
        parts = urlsplit(url)
        # Telegram wants HTTPS; the sandbox never leaves the machine, so it wants a local URL
        if parts.scheme not in ("http", "https") or parts.hostname not in LOCAL_HOSTS:
            raise bad("bad webhook: the sandbox delivers only to http(s)://127.0.0.1 URLs")
    token = params.get("secret_token")
    if (
        token is not None
        and not all(c.isalnum() or c in "_-" for c in token)
        or token is not None
        and not 1 <= len(token) <= 256
    ):
        raise bad("secret token contains unallowed characters")
    if params.get("drop_pending_updates"):
        await bot.updates.clear()
    if "allowed_updates" in params:
        bot.updates.allowed = list(params["allowed_updates"]) or None
    await server.webhooks.set(bot, url, token, int(params.get("max_connections") or 40))
    return True


@method("deleteWebhook")
async def delete_webhook(server: Server, bot: SandboxBot, params: Params) -> Any:
    if params.get("drop_pending_updates"):
        await bot.updates.clear()
    await server.webhooks.set(bot, "", None, 40)
    return True


@method("getWebhookInfo")
async def webhook_info(server: Server, bot: SandboxBot, params: Params) -> Any:
    hook = bot.webhook
    info: dict[str, Any] = {
        "url": hook.url,
        "has_custom_certificate": False,
        "pending_update_count": len(bot.updates.pending),
    }
    if hook.url:
        info["max_connections"] = hook.max_connections
        info["ip_address"] = "127.0.0.1"
    if hook.last_error_date:
        info["last_error_date"] = hook.last_error_date
        info["last_error_message"] = hook.last_error_message
    if bot.updates.allowed:
        info["allowed_updates"] = bot.updates.allowed
    return info


def _scope_key(params: Params) -> str:
    """Commands are stored per (scope, language); the default scope's key is the language
    alone (``""`` for all languages), as `bot.commands` has always been."""
    scope = params.get("scope") or {"type": "default"}
    language = params.get("language_code") or ""
    if language and not (len(language) == 2 and language.isalpha()):
        raise bad("invalid language code specified")
    if scope.get("type") == "default":
        return language
    return json.dumps(scope, sort_keys=True) + "|" + language


@method("setMyCommands")
async def set_commands(server: Server, bot: SandboxBot, params: Params) -> Any:
    commands = params["commands"]
    if len(commands) > 100:
        raise bad("too many commands specified")
    for command in commands:
        name, description = command["command"], command["description"]
        if not 1 <= len(name) <= 32 or not all(
            c.islower() or c.isdigit() or c == "_" for c in name
        ):
            raise bad("BOT_COMMAND_INVALID")
        if not 1 <= len(description.strip()) <= 256:
            raise bad(
                "command description is empty" if not description.strip() else "BOT_COMMAND_INVALID"
            )
    key = _scope_key(params)
    if commands:
        bot.commands[key] = [
            {"command": c["command"], "description": c["description"]} for c in commands
        ]
    else:
        bot.commands.pop(key, None)
    return True


@method("getMyCommands")
async def get_commands(server: Server, bot: SandboxBot, params: Params) -> Any:
    return bot.commands.get(_scope_key(params), [])


@method("deleteMyCommands")
async def delete_commands(server: Server, bot: SandboxBot, params: Params) -> Any:
    bot.commands.pop(_scope_key(params), None)
    return True


def _text_setting(field: str, limit: int) -> tuple[Method, Method]:
    """setMyX/getMyX for one per-language text (description, short description, name)."""

    async def setter(server: Server, bot: SandboxBot, params: Params) -> Any:
        value = params.get(field) or ""
        if len(value) > limit:
            raise bad(f"{field.replace('_', ' ')} is too long")
        store = getattr(bot, field + "s")
        if value:
            store[params.get("language_code") or ""] = value
        else:
            store.pop(params.get("language_code") or "", None)
        return True

    async def getter(server: Server, bot: SandboxBot, params: Params) -> Any:
        store = getattr(bot, field + "s")
        language = params.get("language_code") or ""
        return {field: store.get(language, store.get("", ""))}

    return setter, getter


for _field, _limit, _suffix in (
    ("description", 512, "Description"),
    ("short_description", 120, "ShortDescription"),
    ("name", 64, "Name"),
):
    _setter, _getter = _text_setting(_field, _limit)
    method(f"setMy{_suffix}")(_setter)
    method(f"getMy{_suffix}")(_getter)


@method("close")
async def close(server: Server, bot: SandboxBot, params: Params) -> Any:
    return True


@method("logOut")
async def log_out(server: Server, bot: SandboxBot, params: Params) -> Any:
    bot.logged_out = True  # from now on: 401, as Telegram's cloud answers a logged-out bot
    return True

"""The local playground: the sandbox Bot API server, a few simulated Telegram users and the
real bot, with a web page on 127.0.0.1 where a person chats as each user, side by side.

One origin for the browser: this app serves the page (``/``, ``/static/...``), the sandbox's
control API (``/sandbox/...``: its own handlers, `botapi_sandbox.control.add_routes`, mounted
here in-process so that a pending long-poll never delays a stop), the Bot API's file
downloads (``/file/bot<token>/<file_path>``, looked up in the sandbox in-process: nothing is
proxied, so no path can reach a Bot API method), ``/api/info`` (the bot's name and commands)
and ``/api/seed`` (a demo network around the simulated users, when `bridge.seed` is
available). Every route checks Host and Origin (`botapi_sandbox.guard`).

The sandbox keeps chats in memory, the bot keeps the network in its database. So that the
database keeps matching the simulated users across restarts, the users are re-created in the
same order (hence with the same Telegram ids) from a small roster file beside the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import importlib
import inspect
import json
import logging
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from aiohttp import web
from pydantic import SecretStr

from botapi_sandbox import control
from botapi_sandbox.guard import json_body, loopback_guard
from botapi_sandbox.server import SandboxServer
from bridge.config import Settings
from bridge.locale import LANGUAGES
from bridge.runtime.bot import BridgeBot

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
TOKEN = "playground:local"
BOT_USERNAME = "bridge_playground_bot"
STATIC = Path(__file__).parent / "static"
MAX_UPLOAD = 60 * 1024 * 1024


@dataclass(frozen=True)
class UserSpec:
    first_name: str
    last_name: str = ""
    username: str | None = None
    language_code: str = "en"


DEFAULT_USERS: tuple[UserSpec, ...] = (
    UserSpec("Alice", "Martin", "alice", "en"),
    UserSpec("Bruno", "Lefèvre", "bruno", "fr"),
    UserSpec("Chloé", "Dubois", "chloe", "fr"),
)


def database_file_for(database_url: str) -> Path | None:
    """``sqlite:///data/playground.db`` → ``data/playground.db``; None in memory."""
    scheme, _, rest = database_url.partition("://")
    if scheme != "sqlite":
        return None
    path = rest[1:] if rest.startswith("/") else rest
    if not path or path == ":memory:":
        return None
    return Path(path)


def roster_path_for(database_url: str) -> Path | None:
    """``sqlite:///data/playground.db`` → ``data/playground.users.json``; None in memory."""
    db = database_file_for(database_url)
    return None if db is None else db.with_name(db.stem + ".users.json")


class Playground:
    """Start with `start()`, stop with `stop()`; `url` is the page once started."""

    def __init__(
        self,
        settings: Settings,
        *,
        port: int | None = None,
        database_url: str | None = None,
        users: tuple[UserSpec, ...] | list[UserSpec] = DEFAULT_USERS,
        roster: Path | None | bool = True,
        poll_timeout: int = 2,
    ) -> None:
        self.settings = settings
        self.port = settings.playground_port if port is None else port
        # Never the production database: the playground has its own.
        self.database_url = database_url or settings.playground_database_url
        self.default_users = list(users)
        if roster is True:
            self.roster_path = roster_path_for(self.database_url)
        elif roster is False or roster is None:
            self.roster_path = None
        else:
            self.roster_path = Path(roster)
        self.poll_timeout = poll_timeout
        self.sandbox: SandboxServer | None = None
        self.bot: BridgeBot | None = None
        self.url = ""
        self.fell_back = False  # the wanted port was taken and a free one was used
        self._runner: web.AppRunner | None = None
        self._seed = SeedJob()
        self._roster: list[UserSpec] = []
        self._ids: list[int] = []
        self._hidden: set[int] = set()  # users whose column the page does not show
        self.wanted_port = self.port

    @property
    def users(self) -> list[UserSpec]:
        """The simulated users, in creation order (restored from the roster, or the defaults)."""
        return list(self._roster) or list(self.default_users)

    # -- lifecycle ------------------------------------------------------------------------

    async def start(self) -> None:
        try:
            await self._start()
        except BaseException:
            await self.stop()
            raise

    async def _start(self) -> None:
        sandbox = self.sandbox = SandboxServer(
            host=HOST, port=0, latency_ms=self.settings.playground_latency_ms
        )
        await sandbox.start()
        sandbox.add_bot(token=TOKEN, username=BOT_USERNAME, first_name="Bridge")
        saved = self._load_roster()
        self._roster = [spec for spec, _, _ in saved] or list(self.default_users)
        self._ids = []
        self._hidden = set()
        for index, spec in enumerate(self._roster):
            user = sandbox.add_user(
                spec.first_name, spec.last_name, spec.username, spec.language_code
            )
            self._ids.append(user.id)
            if index < len(saved) and saved[index][2]:
                self._hidden.add(user.id)
            if index < len(saved) and saved[index][1] not in (None, user.id):
                log.warning(
                    "%s now has Telegram id %d, not %s as before: the database's members "
                    "won't match; delete %s and %s to start over",
                    spec.first_name,
                    user.id,
                    saved[index][1],
                    self.database_url,
                    self.roster_path,
                )
        self._save_roster()

        bot_settings = self.settings.model_copy(
            update={
                "bot_token": SecretStr(TOKEN),
                "bot_api_url": sandbox.url,
                "database_url": self.database_url,
            }
        )
        self.bot = BridgeBot(bot_settings, poll_timeout=self.poll_timeout)
        await self.bot.start()

        self._runner = web.AppRunner(self.make_app(), access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = await self._bind(self.port)
        sockets = site._server.sockets  # type: ignore[union-attr]
        self.port = sockets[0].getsockname()[1]
        self.url = f"http://{HOST}:{self.port}/"

    async def _bind(self, port: int) -> web.TCPSite:
        assert self._runner is not None
        site = web.TCPSite(self._runner, HOST, port)
        try:
            await site.start()
        except OSError as exc:
            if port == 0 or exc.errno not in (errno.EADDRINUSE, errno.EACCES):
                raise
            log.warning("port %d is taken; using a free port instead", port)
            self.fell_back = True
            site = web.TCPSite(self._runner, HOST, 0)
            await site.start()
        return site

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        await self._seed.cancel()
        if self.bot is not None:
            await self.bot.stop()
            self.bot = None
        if self.sandbox is not None:
            await self.sandbox.stop()
            self.sandbox = None

    # -- roster ---------------------------------------------------------------------------

    def _load_roster(self) -> list[tuple[UserSpec, int | None, bool]]:
        """The users saved beside the database, with the Telegram ids they had and whether
        the page hides them; none when the database itself is new (its members are what the
        roster must match)."""
        if self.roster_path is None or not self.roster_path.exists():
            return []
        database = database_file_for(self.database_url)
        if database is not None and not database.exists():
            return []
        try:
            raw = json.loads(self.roster_path.read_text(encoding="utf-8"))
            return [
                (
                    UserSpec(
                        str(u["first_name"]),
                        str(u.get("last_name") or ""),
                        u.get("username") or None,
                        str(u.get("language_code") or "en"),
                    ),
                    int(u["id"]) if u.get("id") is not None else None,
                    bool(u.get("hidden")),
                )
                for u in raw["users"]
            ]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("ignoring the unreadable roster %s (%s)", self.roster_path, exc)
            return []

    def _save_roster(self) -> None:
        if self.roster_path is None:
            return
        try:
            self.roster_path.parent.mkdir(parents=True, exist_ok=True)
            data = {
                "note": "The playground's simulated users, in creation order (their "
                "Telegram ids follow this order). Delete with the database.",
                "users": [
                    {**asdict(spec), "id": user_id, "hidden": user_id in self._hidden}
                    for spec, user_id in zip(self._roster, self._ids, strict=False)
                ],
            }
            self.roster_path.write_text(
                json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8"
            )
        except OSError as exc:
            log.warning("could not save the roster %s (%s)", self.roster_path, exc)

    # -- the web app ----------------------------------------------------------------------

    def make_app(self) -> web.Application:
        assert self.sandbox is not None
        app = web.Application(
            client_max_size=MAX_UPLOAD,
            middlewares=[loopback_guard(lambda: self.port), self._no_cache, self._remember_users],
        )
        app.router.add_get("/", self._index)
        app.router.add_static("/static/", STATIC, append_version=False)
        app.router.add_get("/api/info", self._info)
        app.router.add_get("/api/seed", self._seed_status)
        app.router.add_post("/api/seed", self._seed_start)
        app.router.add_post("/api/users/{id}/hidden", self._set_hidden)
        control.add_routes(app, self.sandbox)
        app.router.add_get("/file/bot{token}/{path:.*}", self._download)
        return app

    async def _index(self, request: web.Request) -> web.StreamResponse:
        return web.FileResponse(
            STATIC / "index.html",
            headers={"Cache-Control": "no-store", "Content-Security-Policy": CSP},
        )

    async def _info(self, request: web.Request) -> web.Response:
        assert self.sandbox is not None
        bot = self.sandbox.default_bot
        commands: dict[str, Any] = {}
        chat_commands: dict[str, dict[str, Any]] = {}
        for key, listed in bot.commands.items():
            scope_text, bar, language = key.rpartition("|")
            if not bar:  # the default scope: the key is the language ("" for all)
                commands[key] = listed
                continue
            try:
                scope = json.loads(scope_text)
            except ValueError:
                continue
            if isinstance(scope, dict) and scope.get("chat_id") is not None:
                chat_commands.setdefault(str(scope["chat_id"]), {})[language] = listed
        return web.json_response(
            {
                "bot": {"id": bot.id, "username": bot.username, "first_name": bot.first_name},
                "commands": commands,
                "chat_commands": chat_commands,
                "languages": list(LANGUAGES),
                "seed": {"available": seed_function() is not None},
                "hidden": sorted(self._hidden),
                "database": self.database_url,
            }
        )

    async def _set_hidden(self, request: web.Request) -> web.Response:
        """Hide a user's column (or show it again). The user stays in the sandbox and the
        roster: their Telegram id, and every later user's, must not change."""
        assert self.sandbox is not None
        body = await json_body(request)
        try:
            user_id = int(request.match_info["id"])
        except ValueError:
            user_id = 0
        if user_id not in self.sandbox.users:
            return web.json_response({"error": "no such user"}, status=404)
        if body.get("hidden", True):
            self._hidden.add(user_id)
        else:
            self._hidden.discard(user_id)
        self._save_roster()
        return web.json_response({"id": user_id, "hidden": user_id in self._hidden})

    @web.middleware
    async def _no_cache(self, request: web.Request, handler: Any) -> web.StreamResponse:
        response = await handler(request)
        if request.path.startswith("/static/"):
            response.headers["Cache-Control"] = "no-cache"
        return response

    @web.middleware
    async def _remember_users(self, request: web.Request, handler: Any) -> web.StreamResponse:
        """Users created through the page join the roster (see the module's docstring)."""
        response = await handler(request)
        if (
            request.method == "POST"
            and request.path == "/sandbox/users"
            and response.status == 200
            and isinstance(response, web.Response)
            and isinstance(response.body, bytes)
        ):
            self._remember_user(response.body)
        return response

    async def _download(self, request: web.Request) -> web.StreamResponse:
        """A Bot API file download, answered from the sandbox's files (never forwarded)."""
        assert self.sandbox is not None
        response = self.sandbox.download(request.match_info["token"], request.match_info["path"])
        response.headers["Cache-Control"] = "no-store"
        return response

    def _remember_user(self, payload: bytes) -> None:
        try:
            user = json.loads(payload)
            spec = UserSpec(
                user["first_name"],
                user.get("last_name") or "",
                user.get("username") or None,
                user.get("language_code") or "en",
            )
            user_id = int(user["id"])
        except (ValueError, KeyError, TypeError):
            return
        self._roster.append(spec)
        self._ids.append(user_id)
        self._save_roster()

    # -- seeding --------------------------------------------------------------------------

    async def _seed_status(self, request: web.Request) -> web.Response:
        return web.json_response(self._seed.status())

    async def _seed_start(self, request: web.Request) -> web.Response:
        body = await json_body(request)
        function = seed_function()
        if function is None:
            return web.json_response(
                {
                    "state": "unavailable",
                    "message": "Seeding is unavailable: this checkout has no bridge.seed "
                    "(seed_demo) module.",
                },
                status=501,
            )
        if self._seed.running:
            return web.json_response(self._seed.status(), status=409)
        try:
            n = max(10, min(int(body.get("n", 300)), 5000))
        except (TypeError, ValueError):
            return web.json_response(
                {"state": "error", "message": "n must be a number"}, status=400
            )
        self._seed.begin(self._run_seed(function, n), n)
        return web.json_response(self._seed.status(), status=202)

    async def _run_seed(self, function: Any, n: int) -> str:
        """Run `seed_demo` on the bot's store, attached around the members the simulated
        users already are, then reload the bot's in-memory graph from the database."""
        assert self.bot is not None and self.sandbox is not None
        store, core = self.bot.store, self.bot.core
        if store is None or core is None:
            raise RuntimeError("the bot is not running")
        attach: list[int] = []
        for user in list(self.sandbox.users.values()):
            member = await core.members.by_telegram_id(user.id)
            if member is not None:
                attach.append(member.id)
        kwargs: dict[str, Any] = {"n": n, "seed": int(time.time()) % 100_000}
        parameters = inspect.signature(function).parameters
        if "attach_to" in parameters:
            kwargs["attach_to"] = attach
        if "progress" in parameters:
            kwargs["progress"] = self._seed.progress
        result = await function(store, **kwargs)
        log.info("seed_demo(n=%d, attach_to=%s) returned %r", n, attach, result)
        added = await core.reload_graph()
        if isinstance(result, dict) and "members" in result:
            message = (
                f"Seeded {result['members']} demo members and {added} connections; your users"
                f" got {result.get('invitations', 0)} invitations and"
                f" {result.get('messages', 0)} messages"
            )
        else:
            message = f"Seeded a demo network of about {n} members ({added:+d} connections)"
        if attach:
            return message + f" (around the {len(attach)} user(s) who sent /start)."
        return message + ". Nobody had sent /start yet, so none of your users is connected to it."


CSP = (
    "default-src 'self'; img-src 'self' data: blob:; media-src 'self' data: blob:; "
    "style-src 'self'; script-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'"
)


def seed_function() -> Any | None:
    """`bridge.seed.seed_demo` if that module exists (it is optional)."""
    try:
        module = importlib.import_module("bridge.seed")
    except ImportError:
        return None
    function = getattr(module, "seed_demo", None)
    return function if callable(function) else None


class SeedJob:
    """One seeding at a time, in the background; the page polls its status."""

    def __init__(self) -> None:
        self.task: asyncio.Task | None = None
        self.state = "idle"
        self.message = ""
        self.done = 0
        self.total = 0
        self.started = 0.0
        self.seconds = 0.0

    @property
    def running(self) -> bool:
        return self.task is not None and not self.task.done()

    def begin(self, work: Any, total: int) -> None:
        self.state, self.message, self.done, self.total = "running", "Seeding…", 0, total
        self.started = time.monotonic()
        self.task = asyncio.create_task(self._run(work), name="playground-seed")

    async def _run(self, work: Any) -> None:
        try:
            self.message = await work
            self.state = "done"
        except asyncio.CancelledError:
            self.state, self.message = "error", "Seeding was cancelled."
            raise
        except Exception as exc:
            log.exception("seeding failed")
            self.state, self.message = "error", f"Seeding failed: {exc}"
        finally:
            self.seconds = time.monotonic() - self.started

    def progress(self, *args: Any, **kwargs: Any) -> None:
        """Accepts (done, total), (done,), (message,) or keywords."""
        numbers = [a for a in args if isinstance(a, int | float)]
        texts = [a for a in args if isinstance(a, str)]
        if numbers:
            self.done = int(numbers[0])
            if len(numbers) > 1:
                self.total = int(numbers[1])
        if "done" in kwargs:
            self.done = int(kwargs["done"])
        if "total" in kwargs:
            self.total = int(kwargs["total"])
        if texts:
            self.message = texts[0][:200]

    def status(self) -> dict[str, Any]:
        seconds = (time.monotonic() - self.started) if self.running else self.seconds
        return {
            "state": self.state,
            "message": self.message,
            "done": self.done,
            "total": self.total,
            "seconds": round(seconds, 1),
            "available": seed_function() is not None,
        }

    async def cancel(self) -> None:
        if self.running:
            assert self.task is not None
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self.task

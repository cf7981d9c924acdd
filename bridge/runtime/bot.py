"""The running bot: store, core, python-telegram-bot `Application`, delivery worker and
scheduled jobs, started and stopped together (by the runner, the tests and the playground)."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults

from bridge.config import Settings
from bridge.core.app import Core
from bridge.core.clock import Clock
from bridge.handlers.campaigns import run_campaigns
from bridge.handlers.context import BridgeContext
from bridge.handlers.digests import schedule_digests
from bridge.handlers.failures import on_error
from bridge.handlers.registry import publish_commands, register
from bridge.handlers.reminders import fire_reminders
from bridge.logs import quiet_rate_limiter
from bridge.runtime.application import BridgeApplication
from bridge.runtime.delivery import DeliveryWorker
from bridge.runtime.intake import UpdateIntake
from bridge.runtime.notifications import Notifier
from bridge.runtime.render import Renderer
from bridge.runtime.startup import StartupFailed, api_url_problem, with_retries
from bridge.runtime.transport import AiohttpRequest
from bridge.runtime.undo_release import release_held_messages
from bridge.runtime.waiting import again_on_conflict
from bridge.runtime.webhook import WebhookReceiver, listen_address, secret_problem, webhook_path
from bridge.runtime.workers import SharedRateLimiter, WorkerPresence
from bridge.storage import open_store
from bridge.storage.instance import InstanceLock, database_file
from bridge.storage.port import Follower, Store

log = logging.getLogger(__name__)


async def settle_refunds(context: BridgeContext) -> None:
    """JobQueue tick: InMail credits whose refund deadline passed come back (the due rows
    live in the database; the job only looks them up). Whichever worker's tick fires first
    settles an InMail; another's crossing it conflicts, runs again and finds it settled."""
    await again_on_conflict(context.core.credits.settle_expired, log=log)


async def owe_digests(context: BridgeContext) -> None:
    """JobQueue tick: the digests due now, once per member across workers."""
    await again_on_conflict(lambda: schedule_digests(context), log=log)


async def expire_invitations(context: BridgeContext) -> None:
    """JobQueue tick: pending invitations past their expiry expire (what is due is in the
    database; the job only looks it up, so a restart misses nothing)."""
    await context.core.invitations.expire_due()


class BridgeBot:
    def __init__(
        self, settings: Settings, clock: Clock | None = None, poll_timeout: int = 10
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.poll_timeout = poll_timeout
        self.store: Store | None = None
        self.core: Core | None = None
        self.app: Application | None = None
        self.worker: DeliveryWorker | None = None
        self.intake: UpdateIntake | None = None
        # Telegram's limits, overall (this worker's share of the bot's) and per chat (shared
        # with the delivery worker's pacing).
        self.limits = (
            SharedRateLimiter(settings.chat_rate, paid_broadcast=settings.paid_broadcast)
            if settings.rate_limit
            else None
        )
        self.webhook: WebhookReceiver | None = None
        self.presence: WorkerPresence | None = None
        self.graph_follower: Follower | None = None
        database = database_file(settings.database_url)
        self.instance = InstanceLock(database) if database is not None else None

    def _build(self) -> BridgeApplication:
        if self.settings.bot_token is None:  # the runner refuses to start without one
            raise StartupFailed("BOT_TOKEN is not set")
        token = self.settings.bot_token.get_secret_value()
        root = self.settings.bot_api_url.rstrip("/")
        # Any bot type: with a rate limiter the builder's bot becomes an ExtBot[int].
        builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = ApplicationBuilder()
        if self.limits is not None:
            # Retrying is the outbox's job, not the limiter's (max_retries=0); so its
            # give-up on a 429 is routine, not an error (see bridge.logs).
            quiet_rate_limiter()
            # Telegram's overall limit is per bot: this worker takes its share of it.
            builder = builder.rate_limiter(self.limits)
        app = (
            builder.application_class(BridgeApplication)
            .token(token)
            .base_url(f"{root}/bot")
            .base_file_url(f"{root}/file/bot")
            .context_types(ContextTypes(context=BridgeContext))
            # Every text the bot sends is rendered HTML (escaped by the templates).
            .defaults(Defaults(parse_mode=ParseMode.HTML))
            # PTB's own defaults (256 connections; 5 s to read, write, connect; 1 s for a
            # free connection), on aiohttp's client (see bridge.runtime.transport).
            .request(AiohttpRequest())
            .get_updates_request(
                AiohttpRequest(connection_pool_size=1, read_timeout=self.poll_timeout + 10)
            )
            .updater(None)  # our own intake confirms updates only once processed
            .build()
        )
        assert isinstance(app, BridgeApplication)  # application_class, which PTB types loosely
        return app

    async def start(self) -> None:
        """Start everything, or, if anything fails, close what was opened and raise
        (`StartupFailed` when the operator must fix something): a failed start never
        leaves a half-running process behind."""
        try:
            await self._start()
        except BaseException:
            try:
                await self.stop()
            except Exception:
                log.exception("could not close everything after a failed start")
            raise

    async def _start(self) -> None:
        problem = api_url_problem(self.settings.bot_api_url) or webhook_problem(self.settings)
        if problem is not None:
            raise StartupFailed(problem)
        if self.instance is not None:
            self.instance.acquire()  # AlreadyRunning: a second bot on this database
        self.store = await open_store(self.settings.database_url)
        self.core = await Core.open(
            self.store, self.settings.rules(), self.clock, frozenset(self.settings.admin_ids)
        )
        settled = await self.core.members.settle_placeholder_handles()
        if settled:
            log.info("%d handles made from Telegram usernames replaced", settled)
        # Other workers' connection changes reach this one's graph index (PostgreSQL).
        self.graph_follower = await self.core.follow_graph()
        renderer = Renderer(default_language=self.settings.default_language)
        app = self.app = self._build()
        app.bot_data.update(core=self.core, renderer=renderer, settings=self.settings)
        register(app)
        app.add_error_handler(on_error)
        url, attempts = self.settings.bot_api_url, self.settings.startup_attempts
        # Both steps are safe to repeat: PTB marks the bot initialized only after getMe.
        await with_retries(app.initialize, "getMe", url, attempts)
        await with_retries(lambda: publish_commands(app, renderer), "setMyCommands", url, attempts)
        self.worker = DeliveryWorker(
            self.core,
            Notifier(app.bot, self.core, renderer),
            locks=app.chat_locks,
            window=self.settings.delivery_window,
            pacing=self.limits,
            name=self.settings.worker_id(),
            lease=timedelta(seconds=self.settings.delivery_lease_seconds),
        )
        await self.core.outbox.release_worker(self.worker.name)  # a previous life's claims
        self.presence = WorkerPresence(self.core, self.worker.name, self.limits)
        await self.presence.start()
        app.bot_data["worker"] = self.worker
        self.worker.start()
        if app.job_queue is not None:
            app.job_queue.run_repeating(
                owe_digests, interval=timedelta(minutes=1), first=timedelta(seconds=5)
            )
            app.job_queue.run_repeating(
                run_campaigns, interval=timedelta(minutes=1), first=timedelta(seconds=10)
            )
            app.job_queue.run_repeating(
                settle_refunds, interval=timedelta(minutes=10), first=timedelta(seconds=30)
            )
            app.job_queue.run_repeating(
                expire_invitations, interval=timedelta(minutes=10), first=timedelta(seconds=45)
            )
            # Held messages whose undo window ended, those that ended while down first.
            app.job_queue.run_repeating(
                release_held_messages, interval=timedelta(seconds=1), first=timedelta(0)
            )
            app.job_queue.run_repeating(
                fire_reminders, interval=timedelta(minutes=1), first=timedelta(seconds=10)
            )
        await app.start()
        self.intake = UpdateIntake(
            app, self.core, self.poll_timeout, concurrency=self.settings.intake_concurrency
        )
        if self.settings.webhook_url:
            await self._receive_webhooks(self.settings.webhook_url, self.intake)
        else:
            self.intake.start()
        log.info("bot @%s is running", app.bot.username)

    async def _receive_webhooks(self, url: str, intake: UpdateIntake) -> None:
        """Listen, then ask Telegram for the webhook: every worker asks for the same URL
        and secret (idempotent), so any of them starting alone sets it right."""
        assert self.app is not None and self.settings.webhook_secret is not None
        secret = self.settings.webhook_secret.get_secret_value()
        self.webhook = WebhookReceiver(
            intake,
            self.settings.webhook_listen,
            webhook_path(url),
            secret,
            public_host=urlsplit(url).hostname or "",
        )
        await self.webhook.start()
        bot = self.app.bot
        await with_retries(
            lambda: bot.set_webhook(url, secret_token=secret, allowed_updates=Update.ALL_TYPES),
            "setWebhook",
            self.settings.bot_api_url,
            self.settings.startup_attempts,
        )

    async def stop(self) -> None:
        """Stop what runs and close what is open, whatever state a (failed) start left;
        the store is closed last and always (its thread would keep the process alive)."""
        app = self.app
        try:
            if self.webhook is not None:
                await self.webhook.stop()
                self.webhook = None
                self.intake = None
            if self.intake is not None:
                await self.intake.stop()
                self.intake = None
            if app is not None and app.running:
                await app.stop()
            if self.worker is not None:
                await self.worker.stop()
                self.worker = None
            if self.presence is not None:
                await self.presence.stop()
                self.presence = None
            if app is not None:
                await app.shutdown()
                await app.bot.shutdown()  # its HTTP clients, even if getMe never succeeded
        finally:
            if self.graph_follower is not None:  # its LISTEN connection, before the pool
                await self.graph_follower.stop()
                self.graph_follower = None
            if self.store is not None:
                await self.store.close()
                self.store = None
            self._release()

    def _release(self) -> None:
        if self.instance is not None:
            self.instance.release()


def webhook_problem(settings: Settings) -> str | None:
    """Why the webhook settings cannot work, if they visibly cannot (None in polling mode)."""
    if not settings.webhook_url:
        return None
    parts = urlsplit(settings.webhook_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"WEBHOOK_URL must be an https:// address ({settings.webhook_url!r})"
    if settings.webhook_secret is None:
        return (
            "WEBHOOK_SECRET must be set with WEBHOOK_URL: the webhook refuses requests"
            " without it (1 to 256 characters among A-Z, a-z, 0-9, _ and -)"
        )
    try:
        listen_address(settings.webhook_listen)
    except ValueError as exc:
        return str(exc)
    return secret_problem(settings.webhook_secret.get_secret_value())

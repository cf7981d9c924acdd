"""Settings from the environment and `.env` (pydantic-settings); see `.env.example`."""

from __future__ import annotations

import socket
from datetime import timedelta
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bridge.core.rules import (
    DEFAULT_PLANS,
    DEFAULT_STAR_PACKS,
    DEFAULT_STAR_PLANS,
    RefundPolicy,
    Rules,
)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr | None = None
    bot_api_url: str = "https://api.telegram.org"
    database_url: str = "sqlite:///data/bridge.db"
    default_language: str = "en"
    # Telegram's limits (30 messages/s, 1/s per chat) through PTB's AIORateLimiter. Off only
    # for benchmarks against a local server that has no limits.
    rate_limit: bool = True
    # Send every message with `allow_paid_broadcast` (Telegram then allows up to 1,000
    # messages/s, each beyond the free 30/s paid in Stars from the bot's balance).
    paid_broadcast: bool = False
    # With rate_limit: messages per second the bot sends to one private chat after a short
    # burst (Telegram: about one); 0 leaves only the overall limit.
    chat_rate: float = Field(default=1.0, ge=0)
    # Updates of different members handled at once (one member's always in order).
    intake_concurrency: int = Field(default=16, ge=1)
    # Notifications in flight at once (one per member at most). The Bot API has no
    # idempotency key: a crash can repeat up to this many sends. 12: a send holds its slot
    # for a round trip and its commit, and 12 keep up with the echo bot at 50 ms (README).
    delivery_window: int = Field(default=12, ge=1)
    # Webhook mode (several workers behind a load balancer): the public URL Telegram POSTs
    # updates to, the secret it must send with each (X-Telegram-Bot-Api-Secret-Token), and
    # the host:port this worker listens on (serving WEBHOOK_URL's path). Unset: polling.
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "127.0.0.1:8000"
    # This worker's name among several (outbox claims, heartbeats): unique per worker and
    # the same across its restarts (a restart then takes back its claims at once). Default:
    # the host name, and WEBHOOK_LISTEN's port in webhook mode.
    worker_name: str = ""
    # How long an outbox claim holds when its worker dies before another worker sends it.
    delivery_lease_seconds: float = Field(default=60, gt=0)
    # How often the bot tries to reach the Bot API at start (429, 5xx, network errors;
    # backoff 1, 2, 4 … 30 s) before it exits non-zero for its supervisor to restart it.
    startup_attempts: int = Field(default=8, ge=1)
    # DEBUG, INFO, WARNING or ERROR; the bot token is masked at every level.
    log_level: str = "INFO"
    admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    # The local playground (`make run` without a token): its page's port on 127.0.0.1 (another
    # free port when taken) and its own database, never the production one.
    playground_port: int = Field(default=8080, ge=0, le=65535)
    playground_database_url: str = "sqlite:///data/playground.db"
    # A hosted bot's round trip to Telegram, simulated by the playground's Bot API server.
    playground_latency_ms: float = Field(default=0, ge=0, le=60_000)

    invitation_note_max: int = 300
    reinvite_cooldown_days: int = 21
    invitations_per_week: int = 100
    # A pending invitation expires after this many days (LinkedIn: six months); its sender
    # reads it in their digest.
    invitation_expiry_days: int = Field(default=183, ge=1, le=3650)
    inmail_refund_policy: RefundPolicy = RefundPolicy.NO_RESPONSE
    inmail_plans: Annotated[dict[str, int], NoDecode] = Field(
        default_factory=lambda: dict(DEFAULT_PLANS)
    )
    # Prices in Telegram Stars: credit packs ``10=50,25=110`` (credits=Stars) and plans
    # ``premium_career=300`` (plan=Stars, for the plan's monthly renewals from then on).
    star_packs: Annotated[dict[int, int], NoDecode] = Field(
        default_factory=lambda: dict(DEFAULT_STAR_PACKS)
    )
    star_plans: Annotated[dict[str, int], NoDecode] = Field(
        default_factory=lambda: dict(DEFAULT_STAR_PLANS)
    )

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
            raise ValueError("LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR")
        return level

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return [int(part) for part in value.replace(",", " ").split()]
        return value

    @field_validator("inmail_plans", "star_packs", "star_plans", mode="before")
    @classmethod
    def _parse_plans(cls, value: object) -> object:
        """``free=0,premium_career=5`` → {"free": 0, "premium_career": 5}."""
        if isinstance(value, str):
            pairs = (item.split("=", 1) for item in value.split(",") if item.strip())
            return {name.strip(): int(count) for name, count in pairs}
        return value

    def worker_id(self) -> str:
        if self.worker_name:
            return self.worker_name
        host = socket.gethostname()
        if self.webhook_url:
            return f"{host}:{self.webhook_listen.rpartition(':')[2]}"
        return host

    def rules(self) -> Rules:
        return Rules(
            note_max=self.invitation_note_max,
            reinvite_cooldown=timedelta(days=self.reinvite_cooldown_days),
            invites_per_window=self.invitations_per_week,
            invitation_expiry=timedelta(days=self.invitation_expiry_days),
            refund_policy=self.inmail_refund_policy,
            plans=self.inmail_plans,
            star_packs=self.star_packs,
            star_plans=self.star_plans,
        )

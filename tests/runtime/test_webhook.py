"""Webhook settings: what a start in webhook mode refuses, with the line the operator reads."""

from __future__ import annotations

import pytest

from bridge.config import Settings
from bridge.runtime.bot import webhook_problem
from bridge.runtime.webhook import listen_address, webhook_path


def _settings(**values: object) -> Settings:
    return Settings(_env_file=None, bot_token="1:x", **values)


def test_polling_needs_no_webhook_setting() -> None:
    assert webhook_problem(_settings()) is None


@pytest.mark.parametrize(
    ("values", "says"),
    [
        ({"webhook_url": "https://bot.example.org/tg"}, "WEBHOOK_SECRET must be set"),
        ({"webhook_url": "bot.example.org/tg", "webhook_secret": "s"}, "WEBHOOK_URL must be"),
        (
            {"webhook_url": "https://b.example/tg", "webhook_secret": "no spaces"},
            "WEBHOOK_SECRET must be 1 to 256",
        ),
        (
            {
                "webhook_url": "https://b.example/tg",
                "webhook_secret": "s",
                "webhook_listen": "8000",
            },
            "WEBHOOK_LISTEN must be host:port",
        ),
    ],
)
def test_bad_webhook_settings_are_refused_with_a_reason(values: dict, says: str) -> None:
    problem = webhook_problem(_settings(**values))
    assert problem is not None and says in problem


def test_good_webhook_settings() -> None:
    settings = _settings(
        webhook_url="https://bot.example.org/telegram/hook",
        webhook_secret="A-good_secret9",
        webhook_listen="0.0.0.0:8001",
    )
    assert webhook_problem(settings) is None
    assert listen_address("[::1]:8002") == ("::1", 8002)
    assert webhook_path("https://bot.example.org/telegram/hook") == "/telegram/hook"
    assert webhook_path("https://bot.example.org") == "/"

"""Start-up helpers: which BOT_API_URL values cannot be right, and the token's redaction."""

from __future__ import annotations

import logging

from bridge.logs import Redact
from bridge.runtime.startup import api_url_problem

TOKEN = "123456:AAH-secret_Part-0123456789abcdefghij"


def test_api_url_problems() -> None:
    assert api_url_problem("https://api.telegram.org") is None
    assert api_url_problem("http://127.0.0.1:8081/") is None
    assert api_url_problem("https://example.org/telegram") is None  # a proxy's prefix
    for wrong in (
        "http://127.0.0.1:8081/bot",
        "http://127.0.0.1:8081/bot/",
        f"https://api.telegram.org/bot{TOKEN}",
    ):
        problem = api_url_problem(wrong)
        assert problem is not None and "without /bot" in problem
        assert TOKEN not in problem
    assert "BOT_API_URL=http://127.0.0.1:8081" in api_url_problem("http://127.0.0.1:8081/bot")
    assert "http(s)" in api_url_problem("api.telegram.org")


def test_redact_masks_the_token_in_messages_arguments_and_tracebacks() -> None:
    redact = Redact([TOKEN])
    try:
        raise ValueError(f"The token `{TOKEN}` was rejected")
    except ValueError as exc:
        record = logging.LogRecord(
            "x",
            logging.ERROR,
            __file__,
            1,
            "GET %s failed",
            (f"https://h/bot{TOKEN.replace(':', '%3A')}/getMe",),
            (type(exc), exc, exc.__traceback__),
        )
    assert redact.filter(record)
    text = logging.Formatter().format(record)
    assert "secret_Part" not in text and "%3A" not in text
    assert "GET https://h/bot<token>/getMe failed" in text
    assert "The token `<token>` was rejected" in text

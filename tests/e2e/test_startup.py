"""Start-up as an operator sees it: the bot as a real process (`python -m bridge`) against
the local Bot API server. Transient errors at boot (429, 5xx, an API not answering yet) are
retried and the bot then serves; fatal ones (a rejected token, a wrong BOT_API_URL) end the
process with a non-zero code and one line saying what to fix. The token never appears in
the output, whatever the log level."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

from botapi_sandbox.server import SandboxServer

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "515151:startup-SECRETpart-0123456789abcdef"
SECRET = TOKEN.split(":", 1)[1]
EXIT_TIMEOUT = 30


def start_bot(tmp_path: Path, api_url: str, token: str = TOKEN, **env: str) -> subprocess.Popen:
    log = tmp_path / "bot.log"
    environment = {
        **os.environ,
        "BOT_TOKEN": token,
        "BOT_API_URL": api_url,
        "DATABASE_URL": f"sqlite:///{tmp_path}/bridge.db",
        "ADMIN_IDS": "",
        "LOG_LEVEL": "INFO",
        **env,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bridge"],
        env=environment,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )


def output(tmp_path: Path) -> str:
    return (tmp_path / "bot.log").read_text(encoding="utf-8", errors="replace")


async def wait_exit(bot: subprocess.Popen, tmp_path: Path) -> int:
    """The exit code; a bot still running after EXIT_TIMEOUT fails the test (and is killed)."""
    try:
        return await asyncio.to_thread(bot.wait, EXIT_TIMEOUT)
    except subprocess.TimeoutExpired:
        bot.kill()
        await asyncio.to_thread(bot.wait)
        raise AssertionError(
            f"the bot neither served nor exited:\n{output(tmp_path)[-3000:]}"
        ) from None


async def stop(bot: subprocess.Popen) -> int:
    if bot.poll() is None:
        bot.send_signal(signal.SIGTERM)
    try:
        return await asyncio.to_thread(bot.wait, 15)
    except subprocess.TimeoutExpired:
        bot.kill()
        return await asyncio.to_thread(bot.wait)


async def wait_in_output(tmp_path: Path, needle: str, timeout: float = 20) -> None:
    for _ in range(int(timeout / 0.1)):
        if needle in output(tmp_path):
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{needle!r} never appeared:\n{output(tmp_path)[-3000:]}")


def assert_no_token(text: str) -> None:
    assert TOKEN not in text and SECRET not in text, text[-3000:]
    assert "threads still running" not in text  # everything was closed, not abandoned


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def sandbox(port: int = 0) -> SandboxServer:
    server = SandboxServer(port=port)
    await server.start()
    server.add_bot(TOKEN, username="bridge_startup_bot")
    return server


async def test_a_rejected_token_exits_with_one_line_and_never_shows_the_token(
    tmp_path: Path,
) -> None:
    server = await sandbox()
    try:
        bot = start_bot(tmp_path, server.url, token="515151:rejected-SECRETpart-0123456789")
        code = await wait_exit(bot, tmp_path)
    finally:
        await server.stop()
    text = output(tmp_path)
    assert code != 0
    assert "rejected-SECRETpart" not in text, text
    assert "threads still running" not in text, text
    assert "Traceback" not in text, text
    told = [line for line in text.splitlines() if "BOT_TOKEN" in line]
    assert len(told) == 1, text
    assert "@BotFather" in told[0]


async def test_bot_api_url_ending_in_bot_exits_saying_so(tmp_path: Path) -> None:
    server = await sandbox()
    try:
        bot = start_bot(tmp_path, server.url + "/bot")
        code = await wait_exit(bot, tmp_path)
    finally:
        await server.stop()
    text = output(tmp_path)
    assert code != 0
    assert "Traceback" not in text, text
    told = [line for line in text.splitlines() if "BOT_API_URL" in line]
    assert len(told) == 1, text
    assert "BOT_API_URL must be the server root, without /bot" in told[0]
    assert server.url in told[0]  # the value to use instead
    assert_no_token(text)


async def test_429_and_502_at_boot_are_retried_and_the_bot_then_serves(tmp_path: Path) -> None:
    server = await sandbox()
    server.faults.add("getMe", "502", count=1)
    server.faults.add("setMyCommands", "429", count=1, retry_after=1)
    server.faults.add("setMyCommands", "502", count=1)
    alice = server.add_user("Alice", username="alice")
    bot = start_bot(tmp_path, server.url)
    try:
        await alice.send_text("/start")
        await alice.wait_for_text("Welcome", timeout=40)
        assert bot.poll() is None
        assert server.faults.injected == {"502": 2, "429": 1}
        assert server.default_bot.commands, "the command menu was published after the retries"
    finally:
        code = await stop(bot)
        await server.stop()
    text = output(tmp_path)
    assert code == 0, text
    assert "Traceback" not in text, text
    assert "retrying" in text  # each retry is logged
    assert_no_token(text)
    assert server.rejected == []


async def test_an_api_not_answering_yet_is_retried_until_it_does(tmp_path: Path) -> None:
    port = free_port()
    bot = start_bot(tmp_path, f"http://127.0.0.1:{port}")
    server: SandboxServer | None = None
    try:
        await wait_in_output(tmp_path, "retrying")
        assert bot.poll() is None
        server = await sandbox(port)
        alice = server.add_user("Alice", username="alice")
        await alice.send_text("/start")
        await alice.wait_for_text("Welcome", timeout=40)
    finally:
        await stop(bot)
        if server is not None:
            await server.stop()
    assert_no_token(output(tmp_path))


async def test_an_api_that_never_answers_ends_the_process_after_bounded_retries(
    tmp_path: Path,
) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    bot = start_bot(tmp_path, url, STARTUP_ATTEMPTS="2")
    code = await wait_exit(bot, tmp_path)
    text = output(tmp_path)
    assert code != 0
    assert "Traceback" not in text, text
    told = [line for line in text.splitlines() if "BOT_API_URL" in line]
    assert len(told) == 1 and url in told[0], text
    assert_no_token(text)


async def test_a_debug_run_never_prints_the_token(tmp_path: Path) -> None:
    server = await sandbox()
    alice = server.add_user("Alice", username="alice")
    bot = start_bot(tmp_path, server.url, LOG_LEVEL="DEBUG")
    try:
        await alice.send_text("/start")
        await alice.wait_for_text("Welcome", timeout=40)
    finally:
        code = await stop(bot)
        await server.stop()
    text = output(tmp_path)
    assert code == 0, text[-3000:]
    assert " DEBUG " in text  # the run did log at DEBUG, URLs included
    assert "/bot<token>/getUpdates" in text
    assert_no_token(text)


async def test_an_unreachable_postgresql_exits_with_one_line_and_never_shows_its_password(
    tmp_path: Path,
) -> None:
    server = await sandbox()
    try:
        url = f"postgresql://bridge:DBSECRETpw@127.0.0.1:{free_port()}/bridge"
        bot = start_bot(tmp_path, server.url, DATABASE_URL=url)
        code = await wait_exit(bot, tmp_path)
    finally:
        await server.stop()
    text = output(tmp_path)
    assert code != 0
    assert "Traceback" not in text, text
    told = [line for line in text.splitlines() if "database unavailable" in line]
    assert len(told) == 1, text
    assert "DBSECRETpw" not in text
    assert_no_token(text)

"""`python -m botapi_sandbox` run by hand: it prints the exact command that runs the bot
against it, and that command works (the bot answers a simulated user's /start)."""

from __future__ import annotations

import asyncio
import os
import re
import shlex
import signal
import subprocess
import sys
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[2]


async def read_until(process: subprocess.Popen, pattern: str, seen: list[str]) -> re.Match:
    while True:
        line = await asyncio.wait_for(asyncio.to_thread(process.stdout.readline), 20)
        assert line, "the sandbox exited:\n" + "".join(seen)
        seen.append(line)
        if match := re.search(pattern, line):
            return match


async def test_the_printed_command_runs_the_bot_against_the_sandbox(tmp_path: Path) -> None:
    sandbox = subprocess.Popen(
        [sys.executable, "-m", "botapi_sandbox", "--port", "0", "--user", "Alice"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    bot: subprocess.Popen | None = None
    seen: list[str] = []
    try:
        match = await read_until(sandbox, r"^\s+(BOT_TOKEN=.*\S)\s*$", seen)
        words = shlex.split(match.group(1))
        settings: dict[str, str] = {}
        for word in words:
            if not re.match(r"^[A-Z_]+=", word):
                break
            key, value = word.split("=", 1)
            settings[key] = value
        program = words[len(settings) :]
        assert program[-2:] == ["-m", "bridge"], words
        assert not settings["BOT_API_URL"].rstrip("/").endswith("/bot")
        assert settings["DATABASE_URL"] != "sqlite:///data/bridge.db"  # not the real one
        env = {
            **os.environ,
            **settings,
            "ADMIN_IDS": "",
            "DATABASE_URL": f"sqlite:///{tmp_path}/sandbox.db",
        }
        bot = subprocess.Popen(
            [sys.executable, "-m", "bridge"],
            env=env,
            cwd=ROOT,
            stdout=(tmp_path / "bot.log").open("wb"),
            stderr=subprocess.STDOUT,
        )
        control = settings["BOT_API_URL"].rstrip("/") + "/sandbox"
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{control}/users") as response:
                [alice] = await response.json()
            async with http.post(
                f"{control}/users/{alice['id']}/send", json={"text": "/start"}
            ) as response:
                assert response.status == 200
            for _ in range(300):
                async with http.get(f"{control}/users/{alice['id']}/chat") as response:
                    texts = [
                        m["text"] or ""
                        for m in (await response.json())["messages"]
                        if m["from_bot"]
                    ]
                if any("Welcome" in text for text in texts):
                    break
                assert bot.poll() is None, (tmp_path / "bot.log").read_text()
                await asyncio.sleep(0.1)
            else:
                raise AssertionError((tmp_path / "bot.log").read_text()[-3000:])
    finally:
        for process in (bot, sandbox):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGINT if process is sandbox else signal.SIGTERM)
                try:
                    await asyncio.to_thread(process.wait, 15)
                except subprocess.TimeoutExpired:
                    process.kill()
    assert "sandbox:local" in "".join(seen)  # the token it accepts is said, not just in --help

"""The simulated network: every Bot API call pays one round trip (half on the way in, half
on the way out), each call on its own (a slow call holds up no other), a getUpdates long
poll no more than one round trip, changeable through the control API. The delays are
checked as requested from an injected sleep, never by measuring time."""

from __future__ import annotations

import asyncio
import random
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from telegram import Bot

from botapi_sandbox.network import Network

from .conftest import Raw, Sandbox, webhook_endpoint

ROOT = Path(__file__).resolve().parents[2]


class FakeSleep:
    """Records each requested delay and what the user's chat held at that moment; with the
    gate closed, a sleeper waits until it opens (to see several calls in flight at once)."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.requested: list[float] = []
        self.alice_had: list[int] = []
        self.gate = asyncio.Event()
        self.gate.set()

    async def __call__(self, seconds: float) -> None:
        self.requested.append(seconds)
        self.alice_had.append(len(self.sandbox.alice.chat))
        await self.gate.wait()


@pytest.fixture
def fake_sleep(sandbox: Sandbox) -> FakeSleep:
    fake = FakeSleep(sandbox)
    sandbox.server.network.sleep = fake
    return fake


async def test_a_call_pays_half_the_round_trip_each_way(
    sandbox: Sandbox, bot: Bot, fake_sleep: FakeSleep
) -> None:
    sandbox.server.network.set(latency_ms=50)
    await bot.send_message(sandbox.alice.id, "hello")
    assert fake_sleep.requested == pytest.approx([0.025, 0.025])
    # Performed between the halves: the user sees it before the bot has its answer.
    assert fake_sleep.alice_had == [0, 1]
    assert sandbox.alice.chat[-1].text == "hello"


async def test_no_network_no_sleep(sandbox: Sandbox, raw: Raw, fake_sleep: FakeSleep) -> None:
    status, body = await raw("getMe")
    assert status == 200 and body["ok"]
    assert fake_sleep.requested == []


async def test_errors_and_unknown_tokens_pay_the_round_trip_too(
    sandbox: Sandbox, raw: Raw, fake_sleep: FakeSleep
) -> None:
    sandbox.server.network.set(latency_ms=40)
    status, _ = await raw("sendMessage", chat_id=1, text="nobody")
    assert status == 400
    status, _ = await raw("getMe", token="1:wrong")
    assert status == 401
    assert fake_sleep.requested == pytest.approx([0.02] * 4)


async def test_a_long_poll_pays_one_round_trip_whatever_it_waits(
    sandbox: Sandbox, raw: Raw, fake_sleep: FakeSleep
) -> None:
    sandbox.server.network.set(latency_ms=50)
    polling = asyncio.create_task(raw("getUpdates", timeout=5))
    while len(fake_sleep.requested) < 1:
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.05)  # the poll is parked in the server, not in the network
    assert fake_sleep.requested == pytest.approx([0.025])
    await sandbox.alice.send_text("hi")
    status, body = await polling
    assert status == 200 and [u["message"]["text"] for u in body["result"]] == ["hi"]
    assert fake_sleep.requested == pytest.approx([0.025, 0.025])


async def test_concurrent_calls_travel_side_by_side(
    sandbox: Sandbox, bot: Bot, fake_sleep: FakeSleep
) -> None:
    sandbox.server.network.set(latency_ms=50)
    fake_sleep.gate.clear()
    sends = [asyncio.create_task(bot.send_message(sandbox.alice.id, f"m{n}")) for n in range(5)]
    while len(fake_sleep.requested) < 5:  # all five on their way at once, none performed
        await asyncio.sleep(0.01)
    assert sandbox.alice.chat == [] and not any(s.done() for s in sends)
    fake_sleep.gate.set()
    await asyncio.gather(*sends)
    assert sorted(m.text for m in sandbox.alice.chat) == [f"m{n}" for n in range(5)]
    assert fake_sleep.requested == pytest.approx([0.025] * 10)


def test_jitter_spreads_round_trips_around_the_latency_never_below_zero() -> None:
    network = Network(rng=random.Random(7))
    network.set(latency_ms=50, jitter_ms=10)
    trips = [network.round_trip() for _ in range(500)]
    assert all(0.040 <= t <= 0.060 for t in trips)
    assert min(trips) < 0.042 and max(trips) > 0.058
    network.set(latency_ms=5, jitter_ms=20)
    assert min(network.round_trip() for _ in range(500)) == 0.0


@pytest.mark.parametrize(
    "change",
    [{"latency_ms": -1}, {"latency_ms": "fast"}, {"jitter_ms": 1e9}, {"latency_ms": True}],
)
def test_a_bad_setting_changes_nothing(change: dict) -> None:
    network = Network(latency_ms=20, jitter_ms=2)
    with pytest.raises(ValueError):
        network.set(**change)
    assert network.as_json() == {"latency_ms": 20, "jitter_ms": 2}


async def test_the_control_api_reads_and_changes_the_round_trip(
    sandbox: Sandbox, raw: Raw, fake_sleep: FakeSleep
) -> None:
    url = f"{sandbox.server.url}/sandbox/network"
    async with aiohttp.ClientSession() as http:
        async with http.get(url) as response:
            assert await response.json() == {"latency_ms": 0, "jitter_ms": 0}
        async with http.post(url, json={"latency_ms": 30}) as response:
            assert response.status == 200
            assert await response.json() == {"latency_ms": 30, "jitter_ms": 0}
        await raw("getMe")
        assert fake_sleep.requested == pytest.approx([0.015, 0.015])
        async with http.post(url, json={"latency_ms": -5, "jitter_ms": 1}) as response:
            assert response.status == 400 and "latency_ms" in (await response.json())["error"]
        async with http.post(url, data={"latency_ms": "0"}) as response:
            assert response.status == 415  # a cross-site form cannot pass for JSON
        async with http.post(
            url, json={"latency_ms": 0}, headers={"Origin": "https://evil.example"}
        ) as response:
            assert response.status == 403
        assert sandbox.server.network.as_json() == {"latency_ms": 30, "jitter_ms": 0}


def test_the_command_line_refuses_a_negative_latency() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "botapi_sandbox", "--port", "0", "--latency-ms", "-3"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=30,
    )
    assert run.returncode == 2 and "latency_ms" in run.stderr


async def test_a_webhook_request_pays_the_round_trip_too(
    sandbox: Sandbox, bot: Bot, fake_sleep: FakeSleep
) -> None:
    """Telegram's POST to a hosted bot's webhook crosses the same network as its calls."""
    got: list[dict] = []

    async def hook(request: web.Request) -> web.Response:
        got.append(await request.json())
        return web.Response()

    async with webhook_endpoint(hook) as url:
        await bot.set_webhook(url)
        sandbox.server.network.set(latency_ms=40)
        fake_sleep.requested.clear()
        await sandbox.alice.send_text("over the network")
        await sandbox.server.wait_until_confirmed(timeout=5)
        assert [u["message"]["text"] for u in got] == ["over the network"]
        assert fake_sleep.requested == pytest.approx([0.02, 0.02])
        sandbox.server.network.set(latency_ms=0)
        await bot.delete_webhook()

"""Peak resident memory of a bot process serving the 100,000-member network: start the real
bot (`python -m bridge`) on the benchmark database against the local Bot API server, let it
load the graph and answer a few updates, then read its peak RSS (VmHWM)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

from bench.degrees import DATA
from bridge.sandbox.server import SandboxServer

ROOT = Path(__file__).resolve().parents[1]


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def run(members: int = 100_000) -> dict:
    database = next(DATA.glob(f"net-{members}-*.db"))
    server = SandboxServer()
    await server.start()
    token = "888:memory-token"
    server.add_bot(token)
    user = server.add_user("Probe", username="probe")
    env = {**os.environ, "BOT_TOKEN": token, "BOT_API_URL": server.url,
           "DATABASE_URL": f"sqlite:///{database}"}
    process = subprocess.Popen([sys.executable, "-m", "bridge"], env=env, cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        await user.send_text("/start")
        await user.wait_for_text("Welcome", timeout=300)
        for command in ("/find recruiter paris", "/find data", "/inbox", "/profile"):
            await user.send_text(command)
            await asyncio.sleep(0.5)
        await server.wait_until_confirmed(60)
        peak = peak_rss_mb(process.pid)
    finally:
        process.terminate()
        await asyncio.to_thread(process.wait, 30)
        await server.stop()
    return {"members": members, "peak_rss_mb": peak}


if __name__ == "__main__":
    print(asyncio.run(run()))

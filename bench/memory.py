"""Peak resident memory of what the bot holds for a large network, measured two ways, each
in a fresh process so nothing else in this one counts:

- `core`: a process that opens the database through `Core.open` (the graph index and the
  store) and answers a few queries, then reports its peak RSS (VmHWM);
- `bot`: the real bot (`python -m bridge`) on the same database against the local Bot API
  server, after answering a few commands.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CORE_PROBE = """
import asyncio, json, sys
from bridge.core.app import Core
from bridge.storage.sqlite import SqliteStore

async def main():
    store = await SqliteStore.open(sys.argv[1])
    core = await Core.open(store)
    for viewer in (1, 2, 3):
        await core.network.search(viewer, "paris")
        core.network.degree(viewer, 50)
    await store.close()
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            print(json.dumps({"peak_rss_mb": int(line.split()[1]) / 1024}))

asyncio.run(main())
"""


GRAPH_PROBE = """
import asyncio, gc, json, sqlite3, sys
from array import array
import psutil

def rss():
    gc.collect()
    return psutil.Process().memory_info().rss

async def ours(path):
    from bridge.core.app import Core
    from bridge.storage.sqlite import SqliteStore
    before = rss()
    store = await SqliteStore.open(path)
    core = await Core.open(store)
    after = rss()
    print(json.dumps({"rss_bytes": after - before,
                      "index_bytes": core.deps.graph.memory_bytes()}))
    await store.close()

def networkx(path):
    import networkx as nx
    left, right = array("i"), array("i")
    for a, b in sqlite3.connect(path).execute("SELECT member_a, member_b FROM connections"):
        left.append(a)
        right.append(b)
    before = rss()
    g = nx.Graph()
    g.add_edges_from(zip(left, right))
    print(json.dumps({"rss_bytes": rss() - before, "edges": g.number_of_edges()}))

if sys.argv[2] == "ours":
    asyncio.run(ours(sys.argv[1]))
else:
    networkx(sys.argv[1])
"""


async def graph_memory(database: Path) -> dict:
    """RSS growth from loading the graph, ours (`Core.open`) vs a networkx Graph of the same
    edges, each in a fresh process (in one long process, memory freed by an earlier step is
    reused and the deltas lie)."""
    result = {}
    for system in ("ours", "networkx"):
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            GRAPH_PROBE,
            str(database),
            system,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        out, err = await process.communicate()
        if process.returncode != 0:
            result[system] = {"error": err.decode()[-500:]}
        else:
            result[system] = json.loads(out.decode().strip().splitlines()[-1])
    return result


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def core_process(database: Path) -> dict:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        CORE_PROBE,
        str(database),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    out, err = await process.communicate()
    if process.returncode != 0:
        return {"error": err.decode()[-500:]}
    return json.loads(out.decode().strip().splitlines()[-1])


async def bot_process(database: Path) -> dict:
    from botapi_sandbox.server import SandboxServer

    server = SandboxServer()
    await server.start()
    token = "888:memory-token"
    server.add_bot(token)
    user = server.add_user("Probe", username="probe")
    env = {
        **os.environ,
        "BOT_TOKEN": token,
        "BOT_API_URL": server.url,
        "DATABASE_URL": f"sqlite:///{database}",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bridge"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # Loading 100,000 members' graph takes ~30 s, and updates sent before the bot polls
        # may be skipped as stale: say /start until it answers.
        for _ in range(30):
            await user.send_text("/start")
            try:
                await user.wait_for_text("Welcome", timeout=10)
                break
            except TimeoutError:
                continue
        else:
            raise TimeoutError("the bot never answered /start")
        for command in ("/find recruiter paris", "/find data", "/inbox", "/profile"):
            await user.send_text(command)
            await asyncio.sleep(0.5)
        await server.wait_until_confirmed(60)
        return {"peak_rss_mb": peak_rss_mb(process.pid)}
    finally:
        process.terminate()
        await asyncio.to_thread(process.wait, 30)
        await server.stop()


async def run(database: Path, bot: bool = True) -> dict:
    result = {"database": str(database), "core": await core_process(database)}
    if bot:
        try:
            result["bot"] = await bot_process(database)
        except Exception as exc:  # the sandbox is optional for this figure
            result["bot"] = {"error": f"{type(exc).__name__}: {exc}"}
    return result

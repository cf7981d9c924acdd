"""`python -m botapi_sandbox [--port 8081] [--token T] [--user Alice ...] [--latency-ms 50]
[--jitter-ms 5]`: run the local Bot API server on its own (127.0.0.1 only) and print the
command that runs the bot against it. The latency is the round trip every Bot API call pays
(default: ``SANDBOX_LATENCY_MS``, else 0), as a hosted bot talking to Telegram would."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import shlex
import sys

from botapi_sandbox.network import checked_ms
from botapi_sandbox.server import SandboxServer

DATABASE_URL = "sqlite:///data/sandbox.db"  # never the real bot's data


def python_command() -> str:
    """This interpreter, as the user would type it (``.venv/bin/python`` in a checkout)."""
    relative = os.path.relpath(sys.executable)
    return (
        relative
        if not relative.startswith("..") and len(relative) < len(sys.executable)
        else sys.executable
    )


def run_command(url: str, token: str) -> str:
    settings = {"BOT_TOKEN": token, "BOT_API_URL": url, "DATABASE_URL": DATABASE_URL}
    words = [f"{key}={shlex.quote(value)}" for key, value in settings.items()]
    return " ".join([*words, shlex.quote(python_command()), "-m", "bridge"])


async def serve(
    port: int,
    token: str,
    username: str,
    users: list[str],
    latency_ms: float = 0.0,
    jitter_ms: float = 0.0,
) -> None:
    server = SandboxServer(port=port, latency_ms=latency_ms, jitter_ms=jitter_ms)
    server.add_bot(token=token, username=username)
    created = [server.add_user(name, username=name.lower()) for name in users]
    await server.start()
    people = ", ".join(f"{u.first_name} (id {u.id})" for u in created) or "none yet"
    print(
        f"Local Bot API server on {server.url} (127.0.0.1 only), for the bot token"
        f" {token} (@{username}).\n"
        f"Run the bot against it, in another terminal, from the project's folder:\n"
        f"  {run_command(server.url, token)}\n"
        f"Simulated users: {people}; act as them through the control API at"
        f" {server.url}/sandbox/ (botapi_sandbox/control.py). Round trip of every Bot API"
        f" call: {latency_ms:g} ms ± {jitter_ms:g} (POST /sandbox/network changes it)."
        f" Ctrl+C stops.",
        flush=True,
    )
    try:
        await asyncio.Event().wait()
    finally:
        await server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8081, help="0: any free port")
    parser.add_argument(
        "--token",
        default="sandbox:local",
        help="the bot token the server accepts (default: %(default)s)",
    )
    parser.add_argument("--username", default="bridge_bot", help="the bot's username")
    parser.add_argument(
        "--user",
        action="append",
        default=[],
        help="create a simulated user with this first name (repeatable)",
    )
    parser.add_argument(
        "--latency-ms",
        type=float,
        default=float(os.environ.get("SANDBOX_LATENCY_MS") or 0),
        help="round trip of every Bot API call, ms (default: $SANDBOX_LATENCY_MS or 0)",
    )
    parser.add_argument(
        "--jitter-ms", type=float, default=0.0, help="each round trip drawn in latency ± jitter"
    )
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    for name in ("latency_ms", "jitter_ms"):
        try:
            checked_ms(getattr(args, name), name)
        except ValueError as exc:
            parser.error(str(exc))
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING)
    try:
        asyncio.run(
            serve(args.port, args.token, args.username, args.user, args.latency_ms, args.jitter_ms)
        )
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()

"""`python -m bridge.sandbox [--port 8081] [--token T] [--user Alice ...]`: run the sandbox
on its own (127.0.0.1 only) and print its URL; point a bot at ``<url>/bot``."""

from __future__ import annotations

import argparse
import asyncio
import logging

from bridge.sandbox.server import SandboxServer


async def serve(port: int, token: str, username: str, users: list[str]) -> None:
    server = SandboxServer(port=port)
    server.add_bot(token=token, username=username)
    for name in users:
        server.add_user(name, username=name.lower())
    await server.start()
    print(f"Sandbox Bot API on {server.url} (127.0.0.1 only): base_url={server.url}/bot, "
          f"control API at {server.url}/sandbox/", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8081, help="0: any free port")
    parser.add_argument("--token", default="sandbox:local",
                        help="the bot token the server accepts")
    parser.add_argument("--username", default="bridge_bot", help="the bot's username")
    parser.add_argument("--user", action="append", default=[],
                        help="create a simulated user with this first name (repeatable)")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO)
    try:
        asyncio.run(serve(args.port, args.token, args.username, args.user))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()

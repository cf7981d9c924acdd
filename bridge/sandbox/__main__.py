"""`python -m bridge.sandbox [--port 8081] [--token T]`: run the sandbox on its own."""

from __future__ import annotations

import argparse
import asyncio

from bridge.sandbox.server import SandboxServer


async def serve(port: int, token: str) -> None:
    server = SandboxServer(port=port)
    server.add_bot(token=token)
    await server.start()
    print(f"Sandbox Bot API on {server.url} (127.0.0.1 only); BOT_API_URL={server.url}",
          flush=True)
    await asyncio.Event().wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default="sandbox:local")
    args = parser.parse_args()
    try:
        asyncio.run(serve(args.port, args.token))
    except KeyboardInterrupt:
        pass


main()

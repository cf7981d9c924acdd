"""The guard of the local servers (the sandbox Bot API server and the playground): they listen
on 127.0.0.1, but any web page the user opens can still send requests there. So every route,
GET included, answers only

- a Host that is this server's loopback address (a DNS-rebound name is refused), and
- a request from no page at all (no ``Origin``; a ``Sec-Fetch-Site`` of ``none`` for a typed
  address) or from this server's own page (``Origin`` and ``Sec-Fetch-Site: same-origin``):
  a cross-site page's ``fetch``, form, ``<img>`` or ``<script>`` is refused, since browsers
  send ``Origin`` or ``Sec-Fetch-Site`` with each of them.

And `json_body` is how a state-changing control route reads its body: JSON only, by its
content type, so a cross-site form (``text/plain`` or urlencoded) can never pass for one.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
SAFE_FETCH_SITES = ("same-origin", "none")


def allowed_hosts(port: int) -> set[str]:
    return {f"{name}:{port}" for name in LOOPBACK_NAMES}


def refusal(request: web.Request, port: int) -> str | None:
    """Why this request must be refused, or None."""
    hosts = allowed_hosts(port)
    if request.host not in hosts:
        return "this server answers on 127.0.0.1 only"
    origin = request.headers.get("Origin")
    if origin is not None and origin != f"http://{request.host}":
        return "cross-origin requests are refused"
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None and site not in SAFE_FETCH_SITES:
        return "cross-site requests are refused"
    return None


def loopback_guard(port: Callable[[], int]) -> Any:
    """aiohttp middleware; `port` gives the server's port once it is bound."""

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        reason = refusal(request, port())
        if reason is not None:
            return web.json_response({"error": reason}, status=403)
        return await handler(request)

    return guard


async def json_body(request: web.Request) -> dict[str, Any]:
    """A JSON object from a request declared as JSON; 415 or 400 otherwise."""
    if request.content_type != "application/json":
        raise web.HTTPUnsupportedMediaType(
            text=json.dumps({"error": "send JSON (Content-Type: application/json)"}),
            content_type="application/json",
        )
    try:
        body = await request.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(
            text=json.dumps({"error": "a JSON object is expected"}), content_type="application/json"
        )
    return body

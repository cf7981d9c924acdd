"""The bot's HTTP client for the Bot API: PTB's `BaseRequest` on aiohttp's client session.

Why not PTB's default (httpx): every relayed message is one Bot API call, and profiling a
burst showed httpx's client (request building, auth and redirect layers, anyio shielding,
cookie extraction, response streaming) taking about half of the bot's event-loop time —
≈ 2.5 ms of CPU per call, more than the rest of relaying a message. aiohttp is already the
product's HTTP server (webhook mode) and answers the same call for a fraction of that.
Everything above the transport — parameters, files, error mapping by status code, retries —
stays PTB's: `do_request` only moves bytes and maps transport failures to PTB's errors.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

JSON = "application/json"
log = logging.getLogger(__name__)


class AiohttpRequest(BaseRequest):
    """One pool of keep-alive connections to the Bot API server.

    Timeouts mean what PTB's do (seconds, None for none): `connect_timeout` for opening a
    connection, `pool_timeout` for waiting for a free one, `read_timeout` between bytes of
    the answer; aiohttp has no timeout on writing alone, so a request's whole life is also
    bounded by the sum of them with `write_timeout` (`media_write_timeout` for uploads)."""

    __slots__ = ("_pool_size", "_session", "_timeouts", "_media_write_timeout")

    def __init__(
        self,
        connection_pool_size: int = 256,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._timeouts: dict[str, float | None] = {
            "read": read_timeout,
            "write": write_timeout,
            "connect": connect_timeout,
            "pool": pool_timeout,
        }
        self._media_write_timeout = media_write_timeout
        # Made in `initialize`: a session belongs to the event loop that runs it.
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._timeouts["read"]

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size, limit_per_host=0),
                # The Bot API sets no cookies; not looking for them saves work on every answer.
                cookie_jar=aiohttp.DummyCookieJar(),
                headers={"User-Agent": self.USER_AGENT},
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    def _timeout(self, name: str, given: ODVInput[float]) -> float | None:
        return self._timeouts[name] if isinstance(given, DefaultValue) else given

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data is not None and request_data.contains_files
        read = self._timeout("read", read_timeout)
        connect = self._timeout("connect", connect_timeout)
        pool = self._timeout("pool", pool_timeout)
        write = (
            self._timeout("write", write_timeout)
            if not (files and isinstance(write_timeout, DefaultValue))
            else self._media_write_timeout
        )
        parts = (read, write, connect, pool)
        timeout = aiohttp.ClientTimeout(
            total=None if None in parts else sum(p or 0.0 for p in parts),
            connect=None if connect is None or pool is None else connect + pool,
            sock_connect=connect,
            sock_read=read,
        )
        body: Any = None
        headers: dict[str, str] = {}
        if request_data is not None:
            if files:
                body = _form(request_data)
            else:  # the Bot API takes JSON for every call without an upload
                body = json.dumps(request_data.parameters).encode()
                headers["Content-Type"] = JSON
        try:
            async with self._session.request(
                method, url, data=body, headers=headers, timeout=timeout
            ) as response:
                payload = await response.read()
        except (TimeoutError, aiohttp.ServerTimeoutError) as err:
            raise TimedOut from err
        except aiohttp.ClientError as err:
            raise NetworkError(f"aiohttp.{err.__class__.__name__}: {err}") from err
        if log.isEnabledFor(logging.DEBUG):  # the URL holds the token: bridge.logs masks it
            log.debug("HTTP %s %s: %d", method, url, response.status)
        return response.status, payload


def _form(request_data: RequestData) -> aiohttp.FormData:
    """A call with files: its parameters as form fields (JSON-encoded where not text, as
    the Bot API expects them in a multipart form) and each file as a part."""
    form = aiohttp.FormData(quote_fields=False)
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, upload in request_data.multipart_data.items():
        filename, content, *rest = upload
        form.add_field(
            name,
            content,
            filename=filename,
            content_type=rest[0] if rest else "application/octet-stream",
        )
    return form
